/**
 * `npm run bench`: the figures the issues ask for, measured on this machine.
 *
 * 1. Lexing + parsing to `ConfigFile` (MB/s, files/s) over ≥ 1,000 generated realistic
 *    configs and over the real-world corpus in ../shared/corpus (target ≥ 40 MB/s).
 * 2. Full `DomainConfig` building (MB/s, files/s; target ≥ 20 MB/s).
 * 3. Start-up: the wall time of `xlsim list` with 10 domains against `node -e 0`
 *    (medians of repeated runs), the cost a script pays per xl call.
 *
 * Nothing here is asserted: the figures go into the issue notes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/parser/config-file.js';
import { buildDomainConfig } from '../src/parser/domain-config.js';
import type { HostFacts } from '../src/parser/libxl.js';
import { generateConfigs } from './generate.js';
import { runHostBench } from './host.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const facts: HostFacts = { nrCpus: 8, nrNodes: 1, arch: 'x86' };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

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

// Start-up cost of one-shot commands.
const home = mkdtempSync(join(tmpdir(), 'xlsim-bench-'));
const env = { ...process.env, XLSIM_HOME: home };
const xlsim = join(root, 'bin', 'xlsim');
try {
  for (let i = 0; i < 10; i++) {
    const r = spawnSync(process.execPath, [xlsim, 'create', '/dev/null', `name="bench${i}"`, 'memory=128', 'kernel="/boot/vmlinuz"'], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`create failed: ${r.stderr}`);
  }
  const time = (args: string[]) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    return performance.now() - t0;
  };
  const runs = 15;
  const base: number[] = [];
  const list: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(time(['-e', '0']));
    list.push(time([xlsim, 'list']));
  }
  const b = median(base);
  const l = median(list);
  console.log(`node -e 0                                      ${b.toFixed(1).padStart(7)} ms (median of ${runs})`);
  console.log(`xlsim list (10 domains)                        ${l.toFixed(1).padStart(7)} ms (median of ${runs}) = ${(l / b).toFixed(2)}× node -e 0`);
} finally {
  rmSync(home, { recursive: true, force: true });
}

// The host (issue 6 figures): build, create, advance, list at scale.
await runHostBench(root);
await (await import('./tui.js')).runTuiBench(root);
