/**
 * What the dashboard (`src/tui`, bundled on its own as dist/tui.mjs) uses from the
 * machine and the toolstack. The CLI bundle (dist/cli.cjs) exports all of it, and the
 * dashboard bundle imports it from there, so `xlsim top` runs one copy of the host and
 * store code (scripts/build.mjs checks that every name the dashboard imports is here).
 */
export * from './machine/index.js';
export { formatFixed, padLeft, padRight, cpuSeconds } from './toolstack/format/printf.js';
export { runXl, commandNames, COMMANDS } from './toolstack/program.js';
export { CMD_TABLE, lookupCommand, commandHelp, fullHelp } from './toolstack/cmdtable.js';
export { HostStore, StoreError, defaultStateDir } from './toolstack/store.js';
export type { XlEnv, ReadResult } from './toolstack/io.js';
export { readFileBytes } from './toolstack/io.js';
export { complete, type CompletionSources } from './toolstack/complete.js';
export { fsSources } from './toolstack/complete-fs.js';
