/**
 * `npm run bench`, the dashboard part, as a process of its own (bench/bench.ts starts it):
 * the dashboard is measured in a fresh process, as `xlsim top` runs, not in one whose
 * heap still holds what the parser and host benchmarks left behind (their garbage made
 * its frames pay for collections that `xlsim top` never has). React's production build
 * is chosen before the dashboard's modules (which import React) load, as bin/xlsim does.
 */
import { repoRoot } from './root.js';

process.env.NODE_ENV ??= 'production';
const { runTuiBench } = await import('./tui.js');
await runTuiBench(repoRoot());
