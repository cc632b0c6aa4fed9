/**
 * A look at the host in a state directory without the store or the machine: one read
 * transaction on its database, for the quick commands bin/xlsim tries before loading the
 * CLI (quick-list.ts, quick-config.ts). It never creates, upgrades or writes anything;
 * where the store would have to (no database yet, another layout version), or anything
 * fails, it answers undefined and the full CLI takes the command.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { META_KEY, SCHEMA_VERSION, type HostMeta } from '../../machine/records.js';
import { DB_FILE } from './paths.js';
import { SqliteBackend } from './sqlite.js';

/**
 * Runs `fn` on the database of the host in state directory `dir` and its host-wide row,
 * inside one read transaction (one snapshot), and returns what `fn` returns. Returns
 * undefined, having called nothing, when there is no database file or no host in it, when
 * its host has another layout version than this xlsim's (`SCHEMA_VERSION`), or when
 * anything throws (`fn` included). Never throws.
 */
export function peekHost<T>(dir: string, fn: (db: SqliteBackend, meta: HostMeta) => T | undefined): T | undefined {
  const path = join(dir, DB_FILE);
  try {
    if (!existsSync(path)) return undefined;
    const db = SqliteBackend.open(path);
    try {
      db.beginRead();
      const text = db.get('meta', META_KEY);
      if (text === undefined) return undefined;
      const meta = JSON.parse(text) as HostMeta;
      if (meta.schema !== SCHEMA_VERSION) return undefined;
      return fn(db, meta);
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}
