/**
 * `npm run bench`: the figures the issues ask for, measured on this machine.
 *
 * 1. Lexing + parsing to `ConfigFile` (MB/s, files/s) over ≥ 1,000 generated realistic
 *    configs and over the real-world corpus in ../shared/corpus (target ≥ 40 MB/s).
 * 2. Full `DomainConfig` building (MB/s, files/s; target ≥ 20 MB/s).
 * 3. Start-up: `xlsim list`, `create -n` and `check` against `node -e 0` (bench/startup.ts).
 *
 * Nothing here is asserted: the figures go into the issue notes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/parser/config-file.js';
import { buildDomainConfig } from '../src/parser/domain-config.js';
import type { HostFacts } from '../src/parser/libxl.js';
import { generateConfigs } from './generate.js';
import { runHostBench } from './host.js';
import { runStartupBench } from './startup.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const facts: HostFacts = { nrCpus: 8, nrNodes: 1, arch: 'x86' };


/** Runs `fn` over all texts repeatedly for at least `minMs`; returns MB/s and files/s. */
function throughput(texts: string[], fn: (text: string, i: number) => void, minMs = 3000) {
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  for (let i = 0; i < texts.length; i++) fn(texts[i]!, i); // warm-up
  let passes = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < texts.length; i++) fn(texts[i]!, i);
    passes++;
    elapsed = performance.now() - t0;
  } while (elapsed < minMs);
  const secs = elapsed / 1000;
  return { mbPerSec: (bytes * passes) / 1e6 / secs, filesPerSec: (texts.length * passes) / secs, bytes };
}

function corpusTexts(): string[] {
  const dir = join(root, '..', 'shared', 'corpus');
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (!e.endsWith('.md') && !e.endsWith('.tsv')) out.push(readFileSync(p, 'latin1'));
    }
  };
  try {
    walk(dir);
  } catch {
    return [];
  }
  return out;
}

function report(label: string, r: { mbPerSec: number; filesPerSec: number; bytes: number }, files: number) {
  console.log(
    `${label.padEnd(46)} ${r.mbPerSec.toFixed(1).padStart(7)} MB/s ${Math.round(r.filesPerSec).toString().padStart(8)} files/s  (${files} files, ${(r.bytes / 1024).toFixed(0)} KiB)`,
  );
}

const generated = generateConfigs(1000);
const corpus = corpusTexts();
console.log(`xlsim bench — node ${process.version}, ${new Date().toISOString()}`);
report('lex+parse → ConfigFile (generated)', throughput(generated, (t) => parseConfig(t, 'bench.cfg')), generated.length);
if (corpus.length) report('lex+parse → ConfigFile (shared/corpus)', throughput(corpus, (t) => parseConfig(t, 'bench.cfg')), corpus.length);
report(
  'parse + build → DomainConfig (generated)',
  throughput(generated, (t) => {
    const r = parseConfig(t, 'bench.cfg');
    buildDomainConfig(r.file, { facts, source: 'bench.cfg' });
  }),
  generated.length,
);

// Start-up cost of one-shot commands (issue 7 targets).
runStartupBench(root);

// The host (issue 6 figures): build, create, advance, list at scale.
await runHostBench(root);
await (await import('./migrate.js')).runMigrateBench(root);
