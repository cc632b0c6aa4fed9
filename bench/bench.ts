/**
 * `npm run bench`: the figures the issues ask for, measured on this machine.
 *
 * 1. The parser (bench/parser.ts, `runParserBench`): parse and parse + build throughput on
 *    shared/corpus and 1,000 generated configs, side by side with libxlu when
 *    `XLU_BENCH=path/to/driver` is set, and the worst-case inputs of `xlsim check`.
 * 2. Start-up: `xlsim list`, `create -n` and `check` against `node -e 0` (bench/startup.ts).
 * 3. The host (bench/host.ts, `runHostBench`) and save/restore/migrate (bench/migrate.ts).
 *
 * Nothing here is asserted: the figures go into the issue notes.
 */
import { repoRoot, runParserBench } from './parser.js';
import { runHostBench } from './host.js';
import { runStartupBench } from './startup.js';

const root = repoRoot();

console.log(`xlsim bench — node ${process.version}, ${new Date().toISOString()}`);
runParserBench();

// Start-up cost of one-shot commands (issue 7 targets).
runStartupBench(root);

// The host (issue 6 figures): build, create, advance, list at scale.
await runHostBench(root);
await (await import('./migrate.js')).runMigrateBench(root);
// The dashboard as bin/xlsim ships it: React's production build, chosen before the
// dashboard's chunk (which imports React) loads.
process.env.NODE_ENV ??= 'production';
await (await import('./tui.js')).runTuiBench(root);
