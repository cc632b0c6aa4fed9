/**
 * Where the state store keeps a host (DESIGN.md "The store"): the state directory and the
 * names of the files in it. A module of its own so the quick `list` (quick-list.ts) finds
 * the database without loading the store.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The state directory: `$XLSIM_HOME`, else `$XDG_STATE_HOME/xlsim`, else `~/.local/state/xlsim`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XLSIM_HOME) return env.XLSIM_HOME;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'xlsim');
  return join(homedir(), '.local', 'state', 'xlsim');
}

/** Name of the host database inside the state directory. */
export const DB_FILE = 'host.db';
/** Name of the backup `reset` keeps (and `restoreBackup` brings back). */
export const BACKUP_FILE = 'host.db.bak';
/** The single JSON file older xlsim versions kept the host in. */
export const OLD_STATE_FILE = 'state.json';

/**
 * Name of the emulated host's xl.conf inside the state directory (`$XLSIM_HOME/xl.conf`):
 * what real xl reads from `/etc/xen/xl.conf` (xl-commands.md §1.1, §1.7).
 */
export const XL_CONF_FILE = 'xl.conf';
