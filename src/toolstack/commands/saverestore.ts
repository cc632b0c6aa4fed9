/**
 * The save/restore/migration subcommands (issue 7), gathered so that `program.ts` adds
 * them with one line: `save`, `restore`, `migrate`, `migrate-receive`, `suspend`,
 * `resume`, `dump-core`, `remus`.
 */
import type { XlCommandModule } from '../command.js';
import { dumpCoreCommand } from './dump-core.js';
import { migrateCommand } from './migrate.js';
import { migrateReceiveCommand } from './migrate-receive.js';
import { remusCommand } from './remus.js';
import { restoreCommand } from './restore.js';
import { saveCommand } from './save.js';
import { resumeCommand, suspendCommand } from './suspend.js';

/** The modules, in xl's command-table order. */
export const SAVE_RESTORE_COMMANDS: readonly XlCommandModule[] = [
  saveCommand, migrateCommand, restoreCommand, migrateReceiveCommand, suspendCommand, resumeCommand, dumpCoreCommand, remusCommand,
];
