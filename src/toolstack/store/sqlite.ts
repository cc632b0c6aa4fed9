/**
 * The host's tables in an SQLite database file (DESIGN.md "The store"), through
 * better-sqlite3: the `TableBackend` the toolstack uses for a state directory.
 *
 * - One physical table per name in `TABLES`: `(k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID`,
 *   plus `changes(seq, tbl, k)`, a change log for long-running readers (the dashboard).
 * - WAL mode, `synchronous=NORMAL`: a committed transaction survives its process being
 *   killed (it may be lost only if the machine itself loses power); a process killed inside
 *   a transaction leaves nothing of it.
 * - Readers (`beginRead`) see one consistent snapshot and never wait for the writer.
 *   Writers (`beginWrite`) take SQLite's single write lock with `BEGIN IMMEDIATE`; while
 *   another process holds it they retry on timers, so the event loop stays free and an
 *   `AbortSignal` (SIGINT/SIGTERM) ends the wait at once. The lock dies with its process.
 *
 * Key order. The machine orders keys by UTF-16 code unit (JS `<`); SQLite's BINARY
 * collation compares UTF-8 bytes, i.e. code points, which differs for code units
 * U+D800–U+FFFF (a supplementary character sorts below U+E000 in UTF-16, above it in
 * UTF-8), and UTF-8 cannot hold a lone surrogate at all. So keys are stored encoded
 * (`encodeKey`): every code unit below U+D800 is kept as it is (all ASCII keys are stored
 * verbatim), and every code unit c ≥ U+D800 (surrogate halves and U+E000–U+FFFF alike) is
 * stored as the supplementary character U+10000 + (c − 0xD800). The map is strictly
 * increasing per code unit and UTF-8 byte order is code point order, so BINARY order of the
 * encoded keys is exactly UTF-16 order of the keys, and decoding is exact (lone surrogates
 * included).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { statSync, accessSync, constants as fsConstants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import loadBetterSqlite3 from './load-better-sqlite3.cjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChangeSet, RangeOptions, TableBackend } from '../../machine/tables.js';
import { TABLES, type TableName } from '../../machine/table-names.js';

/**
 * Schema version kept in `PRAGMA user_version`; a file with a higher one was written by a
 * newer xlsim. 2: the `listing` table (table-names.ts); a version-1 file gets it (and
 * version 2) when first opened for writing.
 */
export const SCHEMA_VERSION = 2;

/** `PRAGMA application_id` of an xlsim host database ("xlsm"). */
export const APPLICATION_ID = 0x786c736d;

/**
 * Tables whose writes are not recorded in the change log: they are append-mostly logs
 * themselves (`events` by sequence number, `queue` by due time), so a reader follows them
 * by key range from the last key it saw instead; or, for `listing`, written only with the
 * `domains` row of the same key, whose change is logged.
 */
export const UNLOGGED_TABLES: ReadonlySet<TableName> = new Set<TableName>(['events', 'queue', 'listing']);

/** How many rows the change log keeps (the newest); older ones are pruned on every write. */
export const CHANGE_LOG_LIMIT = 50_000;

/**
 * How long a reader (and `open`) lets SQLite wait, synchronously, for the rare moments a
 * WAL database is locked against readers (crash recovery, the last connection's final
 * checkpoint), ms. Readers never wait for a writer's transaction.
 */
export const READ_BUSY_MS = 5000;

/** What went wrong with the database file. */
export type SqliteStoreErrorCode =
  | 'NOT_A_DATABASE' // the file is not an SQLite database, or not an xlsim host
  | 'IS_DIRECTORY'
  | 'PERMISSION' // the file or its directory cannot be read or written
  | 'MISSING' // no such file (read-only open) or directory
  | 'CORRUPT' // SQLITE_CORRUPT: the database is damaged
  | 'SCHEMA' // written by a newer xlsim
  | 'READ_ONLY' // a write on a backend opened read-only
  | 'IO' // any other I/O failure (disk full, I/O error)
  | 'BUSY' // see StoreBusyError
  | 'ABORTED'; // beginWrite's signal fired while waiting

/**
 * A failure of the store, for the user: `message` is one line naming the database path
 * (no `xlsim:` prefix, no stack trace needed); `code` says which kind; `cause` keeps the
 * underlying SQLite or file-system error when there is one.
 */
export class SqliteStoreError extends Error {
  constructor(
    public readonly code: SqliteStoreErrorCode,
    /** The database file's path as given to `open`. */
    public readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SqliteStoreError';
  }
}

/**
 * Another process held the write lock for longer than `beginWrite`'s `waitMs` (or, rarely,
 * a read found the database locked for longer than `READ_BUSY_MS`). Code `BUSY`.
 */
export class StoreBusyError extends SqliteStoreError {
  constructor(
    path: string,
    /** How long the caller was prepared to wait, ms. */
    public readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super('BUSY', path, `${path}: busy: another xlsim process is changing this host (waited ${waitedMs} ms)`, options);
    this.name = 'StoreBusyError';
  }
}

/** Options of `SqliteBackend.open`. */
export interface SqliteOpenOptions {
  /**
   * Open for reading only: the file must exist and hold an xlsim host; `beginWrite` and
   * `write` fail with code `READ_ONLY`. Nothing is ever written to the file.
   */
  readonly?: boolean;
}

/** Options of `SqliteBackend.beginWrite`. */
export interface BeginWriteOptions {
  /** How long to wait for another process's write lock before failing with `StoreBusyError`, ms (0 = one try). */
  waitMs: number;
  /** Ends the wait at once (rejects with code `ABORTED`), e.g. on SIGINT/SIGTERM. */
  signal?: AbortSignal;
  /** Called once, the first time the lock is found taken (e.g. to say "waiting for another xlsim…"). */
  onBusy?: () => void;
}

/**
 * What changed since a reader's last look (`SqliteBackend.changesSince`).
 * - `seq`: the newest change sequence number now (pass it to the next call).
 * - `changes`: each changed (table, key) once, in order of its latest change; rows in
 *   `UNLOGGED_TABLES` never appear.
 * - `truncated`: true when changes after the given `seq` were already pruned (the reader
 *   fell more than `CHANGE_LOG_LIMIT` changes behind, or the database was replaced): the
 *   list is incomplete and the reader must re-read everything it shows.
 */
export interface ChangeLogSlice {
  seq: number;
  changes: [TableName, string][];
  truncated: boolean;
}

/** Transaction state of a `SqliteBackend` connection. */
export type SqliteTxState = 'none' | 'read' | 'write';

const KNOWN_TABLES: ReadonlySet<string> = new Set<string>(TABLES);
const NEEDS_ENCODING = /[\ud800-\uffff]/;
const NEEDS_DECODING = /[\ud800-\udbff]/;

/**
 * The stored form of a key: code units below U+D800 unchanged, each code unit c ≥ U+D800
 * as the character U+10000 + (c − 0xD800) (a surrogate pair), so that SQLite's byte order
 * of stored keys is the UTF-16 code-unit order of keys. Total and exact for any JS string.
 */
export function encodeKey(key: string): string {
  if (!NEEDS_ENCODING.test(key)) return key;
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0xd800) out += key[i];
    else {
      const d = c - 0xd800; // 0 … 0x27ff
      out += String.fromCharCode(0xd800 + (d >> 10), 0xdc00 + (d & 0x3ff));
    }
  }
  return out;
}

/** Inverse of `encodeKey` (for stored keys written by `encodeKey` only). */
export function decodeKey(stored: string): string {
  if (!NEEDS_DECODING.test(stored)) return stored;
  let out = '';
  for (let i = 0; i < stored.length; i++) {
    const c = stored.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < stored.length) {
      const lo = stored.charCodeAt(i + 1);
      out += String.fromCharCode(0xd800 + ((c - 0xd800) << 10) + (lo - 0xdc00));
      i++;
    } else out += stored[i];
  }
  return out;
}

/**
 * better-sqlite3, loaded on the first database opened: a command that never opens the
 * host's database (`check`, `create -n`, `help`) does not pay for loading it.
 */
let sqliteModule: typeof BetterSqlite3 | undefined;
function sqlite(): typeof BetterSqlite3 {
  return (sqliteModule ??= loadBetterSqlite3());
}

/** Where better-sqlite3 keeps its native addon inside its package. */
const ADDON_IN_PACKAGE = join('better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

/**
 * The native addon's path, found from this module (so bundles need not mark better-sqlite3
 * external); undefined = better-sqlite3's own lookup. The `node_modules` folders from this
 * module's directory up are tried first, as node's resolution tries them (one stat each,
 * ~0.05 ms), then node's full resolution (`require.resolve`, ~1 ms: package.json reads).
 */
let addonPath: string | null | undefined = null;
function nativeBinding(): string | undefined {
  if (addonPath === null) {
    addonPath = undefined;
    // import.meta is empty in a CommonJS bundle made without the CLI build's defines.
    const here = import.meta.dirname ?? (typeof import.meta.url === 'string' ? dirname(fileURLToPath(import.meta.url)) : undefined);
    for (let dir = here; dir !== undefined; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', ADDON_IN_PACKAGE);
      if (existsSync(candidate)) {
        addonPath = candidate;
        break;
      }
      if (dirname(dir) === dir) break;
    }
    if (addonPath === undefined) {
      try {
        addonPath = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
      } catch {
        addonPath = undefined;
      }
    }
  }
  return addonPath;
}

/** A deterministic xorshift32 stream seeded from the pid, for the writers' back-off jitter. */
let instances = 0;
function jitterStream(): () => number {
  let s = (Math.imul(process.pid, 0x9e3779b1) ^ Math.imul(++instances, 0x85ebca6b)) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

/**
 * The SQLite result code (`SQLITE_BUSY`, `SQLITE_NOTADB`, …) of an error better-sqlite3
 * raised, or undefined for any other error. Told by its shape, not by `instanceof`: the
 * native addon makes its errors with the `SqliteError` class of the first copy of
 * better-sqlite3 that loaded it, and a process may hold two (bin/xlsim's quick `list` in
 * dist/list.cjs declines, then dist/cli.cjs runs the command).
 */
function sqliteCode(err: unknown): string | undefined {
  if (!(err instanceof Error) || err.name !== 'SqliteError') return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

function isBusy(err: unknown): boolean {
  return sqliteCode(err)?.startsWith('SQLITE_BUSY') ?? false;
}

/** Why the file at `path` cannot be opened, from the file system's point of view. */
function diagnoseOpen(path: string, readonly: boolean, err: unknown): unknown {
  const fail = (code: SqliteStoreErrorCode, what: string) => new SqliteStoreError(code, path, `${path}: ${what}`, { cause: err });
  try {
    const st = statSync(path);
    if (st.isDirectory()) return fail('IS_DIRECTORY', 'is a directory, not a database file');
    try {
      accessSync(path, readonly ? fsConstants.R_OK : fsConstants.R_OK | fsConstants.W_OK);
    } catch {
      return fail('PERMISSION', `permission denied (cannot ${readonly ? 'read' : 'read and write'} the database file)`);
    }
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    if (errno === 'EACCES') return fail('PERMISSION', 'permission denied');
    if (errno === 'ENOENT' || errno === 'ENOTDIR') {
      try {
        if (!statSync(dirname(path)).isDirectory()) return fail('MISSING', 'its directory is not a directory');
      } catch {
        return fail('MISSING', 'its directory does not exist');
      }
      if (readonly) return fail('MISSING', 'no such database file');
      try {
        accessSync(dirname(path), fsConstants.W_OK | fsConstants.X_OK);
      } catch {
        return fail('PERMISSION', 'permission denied (cannot create the database file in its directory)');
      }
    }
  }
  return toStoreError(path, err);
}

/** A store error for any failure of an SQLite call on the database at `path` (non-SQLite errors pass through). */
function toStoreError(path: string, err: unknown): SqliteStoreError | unknown {
  if (err instanceof SqliteStoreError) return err;
  const code = sqliteCode(err);
  if (code === undefined) {
    if (err instanceof TypeError && /directory does not exist/.test(err.message)) {
      return new SqliteStoreError('MISSING', path, `${path}: its directory does not exist`, { cause: err });
    }
    return err;
  }
  const fail = (c: SqliteStoreErrorCode, what: string) => new SqliteStoreError(c, path, `${path}: ${what}`, { cause: err });
  if (code === 'SQLITE_NOTADB') return fail('NOT_A_DATABASE', 'not a database (not an xlsim host database)');
  if (code.startsWith('SQLITE_CORRUPT')) return fail('CORRUPT', 'the database is corrupt (SQLITE_CORRUPT)');
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return fail('PERMISSION', 'permission denied (the database or its directory is read-only)');
  }
  if (code.startsWith('SQLITE_BUSY')) return new StoreBusyError(path, READ_BUSY_MS, { cause: err });
  if (code === 'SQLITE_FULL') return fail('IO', 'disk full');
  if (code.startsWith('SQLITE_CANTOPEN')) return fail('IO', 'cannot open the database file');
  const msg = err instanceof Error ? err.message : String(err);
  return fail('IO', `${msg} (${code})`);
}

type StmtKind = 'get' | 'asc' | 'ascOpen' | 'desc' | 'descOpen' | 'values' | 'put' | 'del';

function stmtSql(table: string, kind: StmtKind): string {
  const t = `"${table}"`;
  switch (kind) {
    case 'get': return `SELECT v FROM ${t} WHERE k = ?`;
    case 'asc': return `SELECT k, v FROM ${t} WHERE k >= ? AND k < ? ORDER BY k LIMIT ?`;
    case 'ascOpen': return `SELECT k, v FROM ${t} WHERE k >= ? ORDER BY k LIMIT ?`;
    case 'desc': return `SELECT k, v FROM ${t} WHERE k >= ? AND k < ? ORDER BY k DESC LIMIT ?`;
    case 'descOpen': return `SELECT k, v FROM ${t} WHERE k >= ? ORDER BY k DESC LIMIT ?`;
    case 'values': return `SELECT v FROM ${t} ORDER BY k`;
    case 'put': return `INSERT OR REPLACE INTO ${t} (k, v) VALUES (?, ?)`;
    case 'del': return `DELETE FROM ${t} WHERE k = ?`;
  }
}

/** SQLite's LIMIT for `RangeOptions.limit` with MemoryBackend's semantics (undefined, NaN, ∞ = none; 2.5 = 3). */
function sqlLimit(limit: number | undefined): number {
  if (limit === undefined || Number.isNaN(limit) || limit > Number.MAX_SAFE_INTEGER) return -1;
  return Math.ceil(limit);
}

function schemaSql(): string {
  const tables = TABLES.map((t) => `CREATE TABLE IF NOT EXISTS "${t}" (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;`);
  return [
    ...tables,
    'CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, k TEXT NOT NULL);',
    `PRAGMA application_id = ${APPLICATION_ID};`,
    `PRAGMA user_version = ${SCHEMA_VERSION};`,
  ].join('\n');
}

/** Sleeps `ms` on a timer; resolves false at once when `signal` fires. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Blocks the thread for `ms` (only while creating a database that another process is creating too). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The host's tables in one SQLite file, for one process. Not safe to share between
 * concurrent async tasks of one process without their own coordination: one connection
 * has at most one transaction at a time.
 *
 * Typical use:
 * ```ts
 * const b = SqliteBackend.open(path);
 * await b.beginWrite({ waitMs: 5000, signal });
 * try { const tx = Tx.over(b); …; tx.commit(b); b.commit(); } catch (e) { b.rollback(); throw e; }
 * ```
 * Reads outside a transaction (`get`, `range`) each see the latest committed state;
 * inside `beginRead` … `commit`/`rollback` they all see one snapshot.
 *
 * Every method throws `SqliteStoreError` (one-line message naming the file) for a failure
 * of the database, and a plain `Error` for misuse (unknown table, `write` without
 * `beginWrite`, a second transaction).
 */
export class SqliteBackend implements TableBackend {
  private readonly stmts = new Map<string, BetterSqlite3.Statement>();
  private state: SqliteTxState = 'none';
  private acquiring: (() => void) | undefined;
  private closed = false;
  private readonly jitter = jitterStream();

  private constructor(
    private readonly db: BetterSqlite3.Database,
    /** The database file's path as given to `open`. */
    readonly path: string,
    /** Whether this connection was opened read-only. */
    readonly readonly: boolean,
  ) {}

  /**
   * Opens (creating when absent, unless `readonly`) the database at `path`. The file's
   * directory must exist. Throws `SqliteStoreError`: `IS_DIRECTORY`, `PERMISSION`,
   * `MISSING`, `NOT_A_DATABASE` (not SQLite, or SQLite but not an xlsim host), `CORRUPT`,
   * `SCHEMA` (newer schema), `IO`. Cost on an existing file: one file open and two pragmas.
   */
  static open(path: string, opts: SqliteOpenOptions = {}): SqliteBackend {
    const readonly = opts.readonly ?? false;
    let db: BetterSqlite3.Database;
    try {
      db = new (sqlite())(path, { readonly, fileMustExist: readonly, timeout: READ_BUSY_MS, nativeBinding: nativeBinding() });
    } catch (err) {
      throw diagnoseOpen(path, readonly, err);
    }
    try {
      SqliteBackend.checkSchema(db, path, readonly);
      if (!readonly) db.pragma('synchronous = NORMAL');
    } catch (err) {
      db.close();
      throw err instanceof SqliteStoreError ? err : toStoreError(path, err);
    }
    return new SqliteBackend(db, path, readonly);
  }

  private static checkSchema(db: BetterSqlite3.Database, path: string, readonly: boolean): void {
    const header = () => {
      const row = db.prepare('SELECT (SELECT user_version FROM pragma_user_version) AS u, (SELECT application_id FROM pragma_application_id) AS a').get() as { u: number; a: number };
      return row;
    };
    let { u, a } = header();
    if (a === APPLICATION_ID && u === SCHEMA_VERSION) return;
    const fail = (code: SqliteStoreErrorCode, what: string) => new SqliteStoreError(code, path, `${path}: ${what}`);
    if (a === APPLICATION_ID && u > SCHEMA_VERSION) {
      throw fail('SCHEMA', `written by a newer xlsim (schema ${u}; this xlsim reads schema ${SCHEMA_VERSION})`);
    }
    // A file of an older xlsim (schema 1 up to this one's).
    const isOlder = (v: { u: number; a: number }) => v.a === APPLICATION_ID && v.u >= 1 && v.u < SCHEMA_VERSION;
    const older = isOlder({ u, a });
    // An older file read-only (a backup being restored): its tables are read as they are.
    if (older && readonly) return;
    if (!older && (a !== 0 || u !== 0)) throw fail('NOT_A_DATABASE', 'an SQLite database, but not an xlsim host database');
    const foreign = () => (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT IN (" + [...TABLES, 'changes'].map((t) => `'${t}'`).join(',') + ')').get() as { n: number }).n > 0;
    if (foreign()) throw fail('NOT_A_DATABASE', 'an SQLite database, but not an xlsim host database');
    if (readonly) throw fail('MISSING', 'not initialised as an xlsim host database yet');
    // A new file: switch it to WAL (persistent) and create the schema; an older one: add the
    // tables it lacks. Another process may be doing the same right now; switching journal
    // mode can report busy without waiting.
    const deadline = performance.now() + READ_BUSY_MS;
    for (;;) {
      try {
        const mode = db.pragma('journal_mode = WAL', { simple: true });
        if (mode !== 'wal') throw fail('IO', `cannot use write-ahead logging here (journal mode stays "${String(mode)}")`);
        db.exec('BEGIN IMMEDIATE');
        try {
          ({ u, a } = header());
          if (u === 0 && a === 0) {
            if (foreign()) throw fail('NOT_A_DATABASE', 'an SQLite database, but not an xlsim host database');
            db.exec(schemaSql());
          } else if (isOlder({ u, a })) {
            db.exec(schemaSql()); // the tables added since (CREATE TABLE IF NOT EXISTS), then the new version
          }
          db.exec('COMMIT');
        } catch (e) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw e;
        }
        break;
      } catch (e) {
        if (!isBusy(e) || performance.now() > deadline) throw e;
        sleepSync(2 + Math.floor(Math.random() * 8));
      }
    }
    ({ u, a } = header());
    if (a !== APPLICATION_ID || u !== SCHEMA_VERSION) throw fail('NOT_A_DATABASE', 'an SQLite database, but not an xlsim host database');
  }

  private stmt(table: TableName, kind: StmtKind): BetterSqlite3.Statement {
    const id = `${table}\0${kind}`;
    let s = this.stmts.get(id);
    if (!s) {
      if (!KNOWN_TABLES.has(table)) throw new Error(`unknown table ${String(table)}`);
      s = this.db.prepare(stmtSql(table, kind));
      if (kind === 'get' || kind === 'values') s.pluck(true);
      else if (kind !== 'put' && kind !== 'del') s.raw(true);
      this.stmts.set(id, s);
    }
    return s;
  }

  private sql(sql: string): BetterSqlite3.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Runs `fn`, turning SQLite failures into `SqliteStoreError`s. */
  private guard<T>(fn: () => T): T {
    if (this.closed) throw new Error(`${this.path}: database connection is closed`);
    try {
      return fn();
    } catch (err) {
      throw toStoreError(this.path, err);
    }
  }

  /**
   * Which of the host's `TABLES` this file has: all of them, except in an older file opened
   * read-only (a backup from an older xlsim), which lacks the tables added since. In
   * `TABLES` order. Throws `SqliteStoreError` as the other reads do.
   */
  tables(): TableName[] {
    return this.guard(() => {
      const have = new Set(this.db.prepare('SELECT name FROM sqlite_schema WHERE type = \'table\'').pluck(true).all() as string[]);
      return TABLES.filter((t) => have.has(t));
    });
  }

  /** The row's JSON text, or undefined when absent. */
  get(table: TableName, key: string): string | undefined {
    return this.guard(() => this.stmt(table, 'get').get(encodeKey(key)) as string | undefined);
  }

  /**
   * Rows with `lo ≤ key < hi` (`hi` undefined = no upper bound) in UTF-16 key order,
   * descending when `reverse`, at most `limit` — exactly as `MemoryBackend.range`.
   */
  range(table: TableName, lo: string, hi: string | undefined, opts: RangeOptions = {}): [string, string][] {
    return this.guard(() => {
      if (opts.limit !== undefined && opts.limit <= 0) return [];
      const limit = sqlLimit(opts.limit);
      const kind: StmtKind = opts.reverse ? (hi === undefined ? 'descOpen' : 'desc') : hi === undefined ? 'ascOpen' : 'asc';
      const s = this.stmt(table, kind);
      const rows = (hi === undefined ? s.all(encodeKey(lo), limit) : s.all(encodeKey(lo), encodeKey(hi), limit)) as [string, string][];
      for (const r of rows) r[0] = decodeKey(r[0]);
      return rows;
    });
  }

  /**
   * Calls `fn` with each row of `table` (its JSON text), in key order, reading the rows one
   * at a time rather than all at once: a caller that is done with each row before the next
   * (the quick `list` over 10,000 domains) keeps only one in memory. `fn` must not use this
   * connection. Throws `SqliteStoreError` as the other reads do.
   */
  forEachValue(table: TableName, fn: (value: string) => void): void {
    this.guard(() => {
      for (const v of this.stmt(table, 'values').iterate() as IterableIterator<string>) fn(v);
    });
  }

  /**
   * Applies every change inside the current write transaction (all or nothing: a failure
   * leaves the transaction as it was) and records each changed (table, key) outside
   * `UNLOGGED_TABLES` in the change log, pruned to the newest `CHANGE_LOG_LIMIT` rows.
   * Throws `Error` unless `beginWrite` succeeded and is not yet committed.
   */
  write(changes: ChangeSet): void {
    if (this.readonly) throw new SqliteStoreError('READ_ONLY', this.path, `${this.path}: opened read-only`);
    if (this.state !== 'write') throw new Error('SqliteBackend.write: no write transaction (call beginWrite first)');
    this.guard(() => {
      this.sql('SAVEPOINT w').run();
      try {
        const log = this.sql('INSERT INTO changes (tbl, k) VALUES (?, ?)');
        let last = -1;
        for (const [table, rows] of changes) {
          const put = this.stmt(table, 'put');
          const del = this.stmt(table, 'del');
          const logged = !UNLOGGED_TABLES.has(table);
          for (const [k, v] of rows) {
            const ek = encodeKey(k);
            if (v === null) del.run(ek);
            else put.run(ek, v);
            if (logged) last = Number(log.run(table, ek).lastInsertRowid);
          }
        }
        if (last > CHANGE_LOG_LIMIT) this.sql('DELETE FROM changes WHERE seq <= ?').run(last - CHANGE_LOG_LIMIT);
        this.sql('RELEASE w').run();
      } catch (e) {
        this.sql('ROLLBACK TO w').run();
        this.sql('RELEASE w').run();
        throw e;
      }
    });
  }

  /**
   * Starts a read transaction on one consistent snapshot (the latest commit at this call);
   * it never waits for a writer and never blocks one. End it with `commit` or `rollback`,
   * soon: a snapshot held for long keeps the write-ahead log from being checkpointed.
   */
  beginRead(): void {
    this.assertIdle();
    this.guard(() => {
      this.sql('BEGIN DEFERRED').run();
      try {
        this.sql('SELECT k FROM meta LIMIT 1').get(); // pins the snapshot now
      } catch (e) {
        this.sql('ROLLBACK').run();
        throw e;
      }
    });
    this.state = 'read';
  }

  /**
   * Takes the database's write lock (`BEGIN IMMEDIATE`). While another process holds it,
   * retries on timers every 2–25 ms (jitter from the pid) without blocking the event loop,
   * for at most `waitMs`; then rejects with `StoreBusyError`. `signal` rejects at once with
   * code `ABORTED`, as does `close()`. The transaction sees the latest commit and no other
   * writer can commit until this one ends with `commit` or `rollback`.
   */
  async beginWrite(opts: BeginWriteOptions): Promise<void> {
    if (this.readonly) throw new SqliteStoreError('READ_ONLY', this.path, `${this.path}: opened read-only`);
    this.assertIdle();
    const aborted = () => new SqliteStoreError('ABORTED', this.path, `${this.path}: gave up waiting for the host's lock (interrupted)`, { cause: opts.signal?.reason });
    if (opts.signal?.aborted) throw aborted();
    const waitMs = Math.max(0, opts.waitMs);
    const start = performance.now();
    const stop = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    this.acquiring = () => stop.abort();
    let told = false;
    try {
      for (let attempt = 0; ; attempt++) {
        if (this.tryBeginImmediate()) {
          this.state = 'write';
          return;
        }
        if (!told) {
          told = true;
          opts.onBusy?.();
        }
        const left = start + waitMs - performance.now();
        if (left <= 0) throw new StoreBusyError(this.path, waitMs);
        const cap = Math.min(25, 4 + 3 * attempt);
        const delay = 2 + Math.floor(this.jitter() * (cap - 1));
        if (!(await sleep(Math.min(delay, Math.ceil(left)), signal))) throw aborted();
        if (this.closed) throw aborted();
      }
    } finally {
      this.acquiring = undefined;
    }
  }

  /**
   * Turns the open read transaction into a write transaction when that is possible at
   * once: no other process holds the write lock and nothing was committed since this
   * snapshot began (SQLite's SQLITE_BUSY / SQLITE_BUSY_SNAPSHOT otherwise). Returns true
   * when it is now a write transaction (end it with `commit` or `rollback`), false when
   * the read transaction is still open and unchanged. Never waits. Throws `Error` when no
   * read transaction is open.
   */
  tryUpgrade(): boolean {
    if (this.state !== 'read') throw new Error('SqliteBackend.tryUpgrade: no read transaction');
    if (this.readonly) return false;
    // A write statement, even one that changes no row, takes the write lock.
    if (!this.tryWithoutWaiting("DELETE FROM meta WHERE k = ''")) return false;
    this.state = 'write';
    return true;
  }

  /** One `BEGIN IMMEDIATE` without SQLite's busy handler: true when the lock was taken. */
  private tryBeginImmediate(): boolean {
    return this.tryWithoutWaiting('BEGIN IMMEDIATE');
  }

  /** Runs `sql` with SQLite's busy handler off: true when it ran, false when the database was busy. */
  private tryWithoutWaiting(sql: string): boolean {
    return this.guard(() => {
      this.sql('PRAGMA busy_timeout = 0').get();
      try {
        this.sql(sql).run();
        return true;
      } catch (e) {
        if (isBusy(e)) return false;
        throw e;
      } finally {
        this.sql(`PRAGMA busy_timeout = ${READ_BUSY_MS}`).get();
      }
    });
  }

  /** Ends the current transaction, making a write transaction's writes durable. Throws `Error` when none is open. */
  commit(): void {
    if (this.state === 'none') throw new Error('SqliteBackend.commit: no transaction');
    try {
      this.guard(() => this.sql('COMMIT').run());
    } finally {
      if (this.closed || !this.db.inTransaction) this.state = 'none';
    }
  }

  /** Ends the current transaction, discarding its writes. No-op when none is open (safe in `finally`). */
  rollback(): void {
    if (this.state === 'none' || this.closed) return;
    try {
      this.guard(() => {
        if (this.db.inTransaction) this.sql('ROLLBACK').run();
      });
    } finally {
      this.state = 'none';
    }
  }

  /** The current transaction's kind. */
  get txState(): SqliteTxState {
    return this.state;
  }

  /**
   * Changes logged after `seq` (0 = from the start of the log), with the newest sequence
   * number; see `ChangeLogSlice`. Read on one snapshot (the current transaction's, if any).
   */
  changesSince(seq: number): ChangeLogSlice {
    return this.guard(() => {
      const run = () => {
        const bounds = this.sql('SELECT min(seq) AS lo, max(seq) AS hi FROM changes').get() as { lo: number | null; hi: number | null };
        const hi = bounds.hi ?? 0;
        const lo = bounds.lo ?? hi + 1;
        const truncated = seq > hi || (seq < lo - 1 && seq < hi);
        const rows = this.sql('SELECT tbl, k FROM changes WHERE seq > ? ORDER BY seq').raw(true).all(Math.max(0, Math.floor(seq))) as [TableName, string][];
        const uniq = new Map<string, [TableName, string]>();
        for (const [t, k] of rows) {
          const id = `${t}\0${k}`;
          uniq.delete(id);
          uniq.set(id, [t, decodeKey(k)]);
        }
        return { seq: hi, changes: [...uniq.values()], truncated };
      };
      if (this.state !== 'none') return run();
      this.sql('BEGIN DEFERRED').run();
      try {
        return run();
      } finally {
        this.sql('COMMIT').run();
      }
    });
  }

  /** The newest change-log sequence number (0 when nothing was ever logged). */
  lastChangeSeq(): number {
    return this.guard(() => (this.sql('SELECT coalesce(max(seq), 0) FROM changes').pluck(true).get() as number));
  }

  /** Rolls back any open transaction, ends a pending `beginWrite` (code `ABORTED`) and closes the file. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.acquiring?.();
    this.rollback();
    this.closed = true;
    this.stmts.clear();
    this.db.close();
  }

  private assertIdle(): void {
    if (this.closed) throw new Error(`${this.path}: database connection is closed`);
    if (this.state !== 'none' || this.acquiring) throw new Error(`SqliteBackend: a ${this.acquiring ? 'write' : this.state} transaction is already open`);
  }
}
