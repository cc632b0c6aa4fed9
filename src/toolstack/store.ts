/**
 * The state store: where the emulated host lives between `xlsim` invocations
 * (DESIGN.md "The store"). A state directory (`$XLSIM_HOME`, default
 * `~/.local/state/xlsim`) holds `host.db`, an SQLite database (store/sqlite.ts) with one
 * table per kind of host row; `xl.conf` beside it is the host's `/etc/xen/xl.conf`.
 *
 * - `read(clock, fn)`: a consistent snapshot, the host advanced to now in memory, no
 *   lock waited for, nothing of the command written (list, vcpu-list, info, top -b …);
 *   events that came due are saved when the database is idle (see `read`).
 * - `withHost(clock, fn)`: the write lock (SQLite's, which dies with its process), the
 *   host advanced to now, `fn`, then commit when `fn` returns 0 and roll back otherwise.
 *   A command reads and writes only the rows it touches; a killed process leaves the
 *   host before or after its command; a slow command makes the next one wait, never
 *   lose its work.
 * - `reset()` / `restoreBackup()`: a fresh host with the old one kept as `host.db.bak`,
 *   and the way back.
 *
 * An in-memory store (`HostStore.inMemory`) runs the same code over a `MemoryBackend`
 * (tests, the REPL demo, the dashboard's demo host).
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Clock } from '../machine/api.js';
import { HostError } from '../machine/errors.js';
import { Host, initHost, type HostSeed } from '../machine/host.js';
import { MemoryBackend, TABLES, Tx, type TableBackend } from '../machine/tables.js';
import { META_KEY, SCHEMA_VERSION, type HostMeta } from '../machine/records.js';
import { SqliteBackend, SqliteStoreError, StoreBusyError } from './store/sqlite.js';
import { BACKUP_FILE, DB_FILE, defaultStateDir, OLD_STATE_FILE, XL_CONF_FILE } from './store/paths.js';

/** Why the store could not give a command its host. `message` is the full user-facing text (no `xlsim:` prefix). */
export class StoreError extends Error {
  constructor(
    public readonly code: 'LOCKED' | 'CORRUPT' | 'IO' | 'OLD_STATE' | 'NO_BACKUP' | 'ABORTED',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Options of a store. */
export interface StoreOptions {
  /** Machine of the host created on first use (defaults: the machine's `DEFAULT_SEED`). */
  seed?: Partial<HostSeed>;
  /** How long to wait for another xlsim's write lock before giving up, ms. Default 60,000. */
  lockWaitMs?: number;
  /** Ends lock waits at once (SIGINT, SIGTERM). */
  signal?: AbortSignal;
  /**
   * In-memory stores only: where this host's xl.conf is read from (through the command's
   * `XlEnv.readFile`), e.g. `/etc/xen/xl.conf` in tests. Unset = the host has no xl.conf.
   * A directory store always uses `<dir>/xl.conf` (`XL_CONF_FILE`).
   */
  xlConfPath?: string;
}

export { BACKUP_FILE, DB_FILE, defaultStateDir, OLD_STATE_FILE, XL_CONF_FILE } from './store/paths.js';

/** Default wait for another process's write lock, ms. */
export const DEFAULT_LOCK_WAIT_MS = 60_000;

/**
 * Gives commands the emulated host: read snapshots and exclusive write transactions
 * (see the module comment). Errors: `StoreError` — `LOCKED` (another xlsim held the
 * write lock longer than `lockWaitMs`), `CORRUPT` (not an xlsim database, damaged),
 * `IO` (directory or file unusable), `OLD_STATE` (a `state.json` from an older xlsim),
 * `ABORTED` (a signal ended the wait). Exceptions thrown by `fn` propagate after rollback.
 */
export class HostStore {
  private mem: MemoryBackend | undefined;
  private db: SqliteBackend | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    /** State directory, or undefined for the in-memory store. */
    readonly dir: string | undefined,
    private readonly opts: StoreOptions,
  ) {}

  /** A store over the state directory `dir` (default `defaultStateDir()`). Nothing is touched until first use. */
  static open(dir: string = defaultStateDir(), opts: StoreOptions = {}): HostStore {
    return new HostStore(dir, opts);
  }

  /**
   * An in-memory store. `host` (made with `Host.create`) or `backend` seeds it; else a
   * default host is created on first use with `opts.seed`.
   */
  static inMemory(opts: StoreOptions & { host?: Host; backend?: MemoryBackend } = {}): HostStore {
    const store = new HostStore(undefined, opts);
    store.mem = opts.backend ?? opts.host?.memoryBackend();
    return store;
  }

  /** Path of the host database, or undefined for the in-memory store. */
  get statePath(): string | undefined {
    return this.dir === undefined ? undefined : join(this.dir, DB_FILE);
  }

  /** Path of the backup `reset` keeps, or undefined for the in-memory store. */
  get backupPath(): string | undefined {
    return this.dir === undefined ? undefined : join(this.dir, BACKUP_FILE);
  }

  /**
   * Path of the emulated host's xl.conf: `<dir>/xl.conf` for a directory store, the
   * `xlConfPath` option for an in-memory store (undefined = none). The file may not exist.
   */
  get xlConfPath(): string | undefined {
    return this.dir === undefined ? this.opts.xlConfPath : join(this.dir, XL_CONF_FILE);
  }

  /** A host over an in-memory store's tables, committing each command at once (tests, demos); undefined for a directory store. */
  memoryHost(clock: Clock): Host | undefined {
    if (this.dir !== undefined) return undefined;
    return Host.over(this.memory(clock), clock);
  }

  /**
   * Runs `fn` on a read-only snapshot of the host, advanced to `clock.now()` in memory.
   * Never waits for a writer, and `fn`'s changes are never saved. Only the host's own
   * progress may be: when advancing ran queued events (guests booting, timers), or the
   * host was of an older table layout and has just been upgraded, and the
   * database is idle at that instant — no writer holds the lock and nothing was committed
   * since the snapshot (`SqliteBackend.tryUpgrade`) — the advanced host is committed
   * before `fn` runs, so the next command does not run the same events again. That is
   * exactly what the next writer would have computed; when the database is busy, nothing
   * is written and nothing waits.
   */
  read<T>(clock: Clock, fn: (host: Host) => T | Promise<T>): Promise<T> {
    return this.serial(async () => {
      const backend = await this.backend(clock);
      const db = backend instanceof SqliteBackend ? backend : undefined;
      db?.beginRead();
      try {
        let tx = Tx.over(backend);
        // A host of an older layout is upgraded in the transaction (machine/ctx.ts).
        const olderLayout = tx.get<HostMeta>('meta', META_KEY)?.schema !== SCHEMA_VERSION;
        let host = bindHost(tx, clock);
        const ran = host.advanceTo(clock.now());
        if ((ran > 0 || olderLayout) && db?.tryUpgrade()) {
          tx.commit(db);
          db.commit();
          db.beginRead();
          tx = Tx.over(backend);
          host = bindHost(tx, clock);
          host.advanceTo(clock.now());
        }
        return await fn(host);
      } finally {
        if (db && db.txState !== 'none') db.rollback();
      }
    });
  }

  /** Runs `fn` with exclusive use of the host; commits when it returns 0 (see the class comment). */
  withHost(clock: Clock, fn: (host: Host) => Promise<number>): Promise<number> {
    return this.serial(async () => {
      const backend = await this.backend(clock);
      const db = backend instanceof SqliteBackend ? backend : undefined;
      if (db) await this.lock(db);
      let committed = false;
      try {
        const tx = Tx.over(backend);
        const host = bindHost(tx, clock);
        host.advanceTo(clock.now());
        const status = await fn(host);
        if (status === 0) {
          tx.commit(backend);
          db?.commit();
          committed = true;
        }
        return status;
      } finally {
        if (!committed && db && db.txState !== 'none') db.rollback();
      }
    });
  }

  /**
   * Starts again from a fresh host (`seed`, default the store's), under the write lock. The previous host is
   * kept as `host.db.bak` (replacing an older backup) for `restoreBackup`. A `state.json`
   * of an older xlsim is moved aside to `state.json.bak`. Returns the backup's path, or
   * undefined when there was no host to keep. An in-memory store just forgets its host.
   */
  async reset(clock: Clock, seed: Partial<HostSeed> = this.opts.seed ?? {}): Promise<string | undefined> {
    if (this.dir === undefined) {
      this.mem = new MemoryBackend();
      const tx = Tx.over(this.mem);
      initHost(tx, clock, seed);
      tx.commit(this.mem);
      return undefined;
    }
    const dir = this.dir;
    return this.serial(async () => {
      const old = join(dir, OLD_STATE_FILE);
      if (existsSync(old)) renameSync(old, `${old}.bak`);
      let db: SqliteBackend;
      try {
        db = this.sqlite();
      } catch (e) {
        // A database that cannot be opened (damaged, not ours) is moved aside whole as the backup.
        if (!(e instanceof StoreError) || e.code !== 'CORRUPT') throw e;
        const path = join(dir, DB_FILE);
        const bak = join(dir, BACKUP_FILE);
        for (const f of ['', '-wal', '-shm']) rmSync(`${bak}${f}`, { force: true });
        renameSync(path, bak);
        for (const f of ['-wal', '-shm']) rmSync(`${path}${f}`, { force: true });
        db = this.sqlite();
        await this.lock(db);
        const tx = Tx.over(db);
        initHost(tx, clock, seed);
        tx.commit(db);
        db.commit();
        return bak;
      }
      await this.lock(db);
      try {
        const hasHost = db.get('meta', 'host') !== undefined;
        let backup: string | undefined;
        if (hasHost) backup = await copyTo(db, join(dir, BACKUP_FILE));
        clearAll(db);
        const tx = Tx.over(db);
        initHost(tx, clock, seed);
        tx.commit(db);
        db.commit();
        return backup;
      } catch (e) {
        if (db.txState !== 'none') db.rollback();
        throw e;
      }
    });
  }

  /**
   * Brings back the host `reset` kept (`host.db.bak`), under the write lock; the current
   * host becomes the backup, so calling it twice swaps back. Throws `StoreError('NO_BACKUP')`
   * when there is none.
   */
  async restoreBackup(): Promise<void> {
    if (this.dir === undefined) throw new StoreError('NO_BACKUP', 'an in-memory host has no backup');
    const dir = this.dir;
    const bak = join(dir, BACKUP_FILE);
    if (!existsSync(bak)) throw new StoreError('NO_BACKUP', `there is no backup to restore (${bak} does not exist); 'xlsim --reset' makes one`);
    await this.serial(async () => {
      let src: SqliteBackend;
      try {
        src = SqliteBackend.open(bak, { readonly: true });
      } catch (e) {
        throw toStoreError(e);
      }
      const db = this.sqlite();
      await this.lock(db);
      try {
        src.beginRead();
        // A backup from an older xlsim lacks the tables added since; the host's layout
        // upgrade (machine/ctx.ts) fills them on first use.
        const rows = src.tables().map((t) => [t, src.range(t, '', undefined)] as const);
        src.rollback();
        src.close();
        const current = db.get('meta', 'host') !== undefined ? await copyTo(db, `${bak}.swap`) : undefined;
        clearAll(db);
        const changes = new Map(rows.map(([t, r]) => [t, new Map<string, string | null>(r)]));
        db.write(changes);
        db.commit();
        if (current) renameSync(current, bak);
        else rmSync(bak, { force: true });
      } catch (e) {
        if (db.txState !== 'none') db.rollback();
        throw e;
      }
    });
  }

  /** Long-running readers (the dashboard): what changed since change-log position `seq`. */
  changesSince(seq: number): ReturnType<SqliteBackend['changesSince']> | undefined {
    return this.dir === undefined ? undefined : this.sqlite().changesSince(seq);
  }

  /** Closes the database (rolling back any open transaction). Safe to call twice; the store reopens on next use. */
  close(): void {
    if (this.db) {
      try {
        if (this.db.txState !== 'none') this.db.rollback();
      } catch {
        // closing anyway
      }
      this.db.close();
      this.db = undefined;
    }
  }

  // ---------------------------------------------------------------- internals

  /** Runs store operations one at a time (the REPL and the dashboard share one store). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private memory(clock: Clock): MemoryBackend {
    if (!this.mem) {
      this.mem = new MemoryBackend();
      const tx = Tx.over(this.mem);
      initHost(tx, clock, this.opts.seed);
      tx.commit(this.mem);
    }
    return this.mem;
  }

  private async backend(clock: Clock): Promise<TableBackend> {
    if (this.dir === undefined) return this.memory(clock);
    const db = this.sqlite();
    if (db.get('meta', 'host') === undefined) await this.initialise(db, clock);
    return db;
  }

  /** Opens the database, making the directory; refuses an old `state.json` that has no database beside it. */
  private sqlite(): SqliteBackend {
    if (this.db) return this.db;
    const dir = this.dir!;
    try {
      ensureDir(dir);
    } catch (e) {
      throw new StoreError('IO', `cannot create the state directory ${dir}: ${errText(e)}`);
    }
    const path = join(dir, DB_FILE);
    if (!existsSync(path) && existsSync(join(dir, OLD_STATE_FILE))) {
      throw new StoreError('OLD_STATE',
        `${join(dir, OLD_STATE_FILE)} was written by an older xlsim, which kept the host in one JSON file; ` +
        `this xlsim keeps it in ${path}. Run 'xlsim --reset' to start a fresh host (the old file is kept as ${OLD_STATE_FILE}.bak)`);
    }
    try {
      this.db = SqliteBackend.open(path);
    } catch (e) {
      throw toStoreError(e);
    }
    return this.db;
  }

  /** Writes a fresh host into an empty database (first use), under the write lock; another process may win the race. */
  private async initialise(db: SqliteBackend, clock: Clock): Promise<void> {
    await this.lock(db);
    try {
      if (db.get('meta', 'host') === undefined) {
        const tx = Tx.over(db);
        initHost(tx, clock, this.opts.seed);
        tx.commit(db);
      }
      db.commit();
    } catch (e) {
      if (db.txState !== 'none') db.rollback();
      throw e;
    }
  }

  private async lock(db: SqliteBackend): Promise<void> {
    const waitMs = this.opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    try {
      await db.beginWrite({ waitMs, signal: this.opts.signal });
    } catch (e) {
      if (e instanceof StoreBusyError) {
        throw new StoreError('LOCKED', `the host in ${this.dir} is busy: another xlsim command held it for ${Math.round(waitMs / 1000)} s; try again when it has finished`);
      }
      throw toStoreError(e);
    }
  }

}

/** Copies every row of `db` (inside its current transaction) to a new database at `path`; returns `path`. */
async function copyTo(db: SqliteBackend, path: string): Promise<string> {
  const tmp = `${path}.tmp-${process.pid}`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  const out = SqliteBackend.open(tmp);
  try {
    await out.beginWrite({ waitMs: 5000 });
    out.write(new Map(TABLES.map((t) => [t, new Map<string, string | null>(db.range(t, '', undefined))] as const)));
    out.commit();
  } finally {
    out.close();
  }
  for (const f of [`${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  renameSync(tmp, path);
  return path;
}

/** `Host.bind`, with a host of another layout version reported as a store problem the user can fix. */
function bindHost(tx: Tx, clock: Clock): Host {
  try {
    return Host.bind(tx, clock);
  } catch (e) {
    throw toStoreError(e);
  }
}

/** Deletes every row of every table (inside the caller's write transaction). */
function clearAll(db: SqliteBackend): void {
  const changes = new Map(TABLES.map((t) => [t, new Map<string, string | null>(db.range(t, '', undefined).map(([k]) => [k, null]))] as const));
  db.write(changes);
}

/** A StoreError for a failure of the database or of the host in it. */
function toStoreError(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  if (e instanceof SqliteStoreError) {
    if (e.code === 'ABORTED') return new StoreError('ABORTED', 'interrupted while waiting for another xlsim command');
    if (e.code === 'NOT_A_DATABASE' || e.code === 'CORRUPT' || e.code === 'SCHEMA') {
      return new StoreError('CORRUPT', `${e.message}; run 'xlsim --reset' to start from a fresh host (the old one is kept as a backup)`);
    }
    return new StoreError('IO', e.message);
  }
  if (e instanceof HostError) return new StoreError('CORRUPT', `the host database is not usable (${e.message}); run 'xlsim --reset' to start from a fresh host`);
  return new StoreError('IO', errText(e));
}

/**
 * Creates `dir` and any missing parents, like `mkdir -p`, but gives up instead of
 * looping: Node 20's own `mkdir(…, {recursive: true})` spins forever where the kernel
 * answers ENOENT for a parent that exists (e.g. `XLSIM_HOME=/proc/x`). Throws the last
 * `mkdir` error (ENOENT, EACCES, ENOTDIR, …) when the directory cannot be made.
 */
function ensureDir(dir: string, depth = 0): void {
  try {
    mkdirSync(dir);
    return;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EEXIST') {
      if (statSync(dir).isDirectory()) return;
      throw e;
    }
    if (code !== 'ENOENT' || depth > 64 || dirname(dir) === dir) throw e;
  }
  ensureDir(dirname(dir), depth + 1);
  try {
    mkdirSync(dir);
  } catch (e) {
    if ((e as { code?: string }).code !== 'EEXIST') throw e;
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
