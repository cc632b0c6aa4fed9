/**
 * `npm run bench`: the figures the issues ask for, measured on this machine.
 *
 * 1. The parser (bench/parser.ts, `runParserBench`): parse and parse + build throughput on
 *    shared/corpus and 1,000 generated configs, side by side with libxlu when
 *    `XLU_BENCH=path/to/driver` is set, and the worst-case inputs of `xlsim check`.
 * 2. Start-up: `xlsim list`, `create -n` and `check` against `node -e 0` (bench/startup.ts).
 * 3. The host (bench/host.ts, `runHostBench`) and save/restore/migrate (bench/migrate.ts).
 * 4. The dashboard (bench/tui.ts), in a process of its own (bench/tui-main.ts).
 *
 * `XLSIM_BENCH_ONLY` takes a comma-separated list of parts to run (`parser`, `startup`,
 * `host`, `migrate`, `tui`); unset, all run. bench/parser.ts has its own switches, e.g.
 * `XLSIM_BENCH_WORST=0` for its throughput figures only.
 *
 * Nothing here is asserted: the figures go into the issue notes.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runParserBench } from './parser.js';
import { repoRoot } from './root.js';
import { runHostBench } from './host.js';
import { runStartupBench } from './startup.js';

const root = repoRoot();

const only = process.env.XLSIM_BENCH_ONLY?.split(',').map((p) => p.trim()).filter(Boolean);
/** Whether part `name` runs: all do unless `XLSIM_BENCH_ONLY` names some. */
const runs = (name: string): boolean => !only?.length || only.includes(name);

console.log(`xlsim bench — node ${process.version}, ${new Date().toISOString()}`);
if (runs('parser')) runParserBench();
// Start-up cost of one-shot commands (issue 7 targets).
if (runs('startup')) runStartupBench(root);
// The host (issue 6 figures): build, create, advance, list at scale.
if (runs('host')) await runHostBench(root);
if (runs('migrate')) await (await import('./migrate.js')).runMigrateBench(root);
// The dashboard in a process of its own, as `xlsim top` runs (bench/tui-main.ts).
if (runs('tui')) {
  const tui = spawnSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'tui-main.js')], { stdio: 'inherit' });
  if (tui.status !== 0) throw new Error(`bench: the dashboard part failed (status ${tui.status})`);
}
