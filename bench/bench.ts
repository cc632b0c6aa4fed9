/**
 * `npm run bench`: the figures the issues ask for, measured on this machine.
 *
 * 1. The parser (bench/parser.ts, `runParserBench`): parse and parse + build throughput on
 *    shared/corpus and 1,000 generated configs, side by side with libxlu when
 *    `XLU_BENCH=path/to/driver` is set, and the worst-case inputs of `xlsim check`.
 * 2. Start-up: the wall time of `xlsim list` with 10 domains against `node -e 0`
 *    (medians of repeated runs), the cost a script pays per xl call.
 * 3. The host (bench/host.ts, `runHostBench`).
 *
 * Nothing here is asserted: the figures go into the issue notes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runParserBench } from './parser.js';
import { runHostBench } from './host.js';

const root = repoRoot();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

console.log(`xlsim bench — node ${process.version}, ${new Date().toISOString()}`);
runParserBench();

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
