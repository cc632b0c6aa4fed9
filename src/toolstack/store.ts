/**
 * The state store: where the emulated host lives between `xlsim` invocations
 * (DESIGN.md "The toolstack": take the lock, load, advance to now, run, save atomically,
 * release; a failed command leaves the state as it was).
 *
 * Two back ends behind one class:
 * - a state directory (`$XLSIM_HOME`, default `~/.local/state/xlsim`) holding
 *   `state.json`, locked with proper-lockfile and written with write-file-atomic;
 * - an in-memory host for tests, the REPL demo and the TUI demo.
 */
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import type { Clock } from '../machine/api.js';
import { Host, type HostSeed } from '../machine/host.js';
import { fromSnapshot, toSnapshot } from '../machine/snapshot.js';

/** Why the store could not give a command its host. `message` is the full user-facing text (no `xlsim:` prefix). */
export class StoreError extends Error {
  constructor(
    public readonly code: 'LOCKED' | 'CORRUPT' | 'IO',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Options of a directory-backed store. */
export interface StoreOptions {
  /** Machine of the host created on first use (defaults: the machine's `DEFAULT_SEED`). */
  seed?: Partial<HostSeed>;
  /** How long to wait for another xlsim's lock before giving up, ms. Default 5000. */
  lockWaitMs?: number;
  /**
   * In-memory stores only: where this host's xl.conf is read from (through the command's
   * `XlEnv.readFile`), e.g. `/etc/xen/xl.conf` in tests. Unset = the host has no xl.conf.
   * A directory store always uses `<dir>/xl.conf` (`XL_CONF_FILE`).
   */
  xlConfPath?: string;
}

/** The state directory: `$XLSIM_HOME`, else `$XDG_STATE_HOME/xlsim`, else `~/.local/state/xlsim`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XLSIM_HOME) return env.XLSIM_HOME;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'xlsim');
  return join(homedir(), '.local', 'state', 'xlsim');
}

/** Name of the state file inside the state directory. */
export const STATE_FILE = 'state.json';

/**
 * Name of the emulated host's xl.conf inside the state directory (`$XLSIM_HOME/xl.conf`):
 * what real xl reads from `/etc/xen/xl.conf` (xl-commands.md §1.1, §1.7).
 */
export const XL_CONF_FILE = 'xl.conf';

/**
 * Gives each command exclusive use of the emulated host.
 *
 * `withHost(clock, fn)` runs `fn(host)` and returns its exit status. Before: lock (file
 * store), load the snapshot or create the default host, `host.advanceTo(clock.now())`.
 * After: keep the new state only when `fn` returned 0 (file: atomic write; memory:
 * otherwise roll back to the snapshot taken before), and release the lock in all cases.
 *
 * Errors: `StoreError('LOCKED')` when another process holds the lock longer than
 * `lockWaitMs`; `StoreError('CORRUPT')` for an unreadable or invalid state file (the
 * message names the file and how to reset it); `StoreError('IO')` when the directory
 * cannot be created or written. Exceptions thrown by `fn` propagate after rollback.
 */
export class HostStore {
  private memHost: Host | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    /** State directory, or undefined for the in-memory store. */
    readonly dir: string | undefined,
    private readonly opts: StoreOptions,
  ) {}

  /** A store over the state directory `dir` (default `defaultStateDir()`). Nothing is touched until `withHost`. */
  static open(dir: string = defaultStateDir(), opts: StoreOptions = {}): HostStore {
    return new HostStore(dir, opts);
  }

  /** An in-memory store; `host` seeds it (else a default host is created on first use with `opts.seed`). */
  static inMemory(opts: StoreOptions & { host?: Host } = {}): HostStore {
    const store = new HostStore(undefined, opts);
    store.memHost = opts.host;
    return store;
  }

  /** Path of the state file, or undefined for the in-memory store. */
  get statePath(): string | undefined {
    return this.dir === undefined ? undefined : join(this.dir, STATE_FILE);
  }

  /**
   * Path of the emulated host's xl.conf: `<dir>/xl.conf` for a directory store, the
   * `xlConfPath` option for an in-memory store (undefined = none). The file may not exist.
   */
  get xlConfPath(): string | undefined {
    return this.dir === undefined ? this.opts.xlConfPath : join(this.dir, XL_CONF_FILE);
  }

  /** The live host of an in-memory store (undefined before first use, and for a file store). */
  get memoryHost(): Host | undefined {
    return this.memHost;
  }

  /** Runs `fn` with exclusive use of the host; see the class comment. */
  withHost(clock: Clock, fn: (host: Host) => Promise<number>): Promise<number> {
    const run = (): Promise<number> => (this.dir === undefined ? this.withMemory(clock, fn) : this.withFile(this.dir, clock, fn));
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Deletes the state file (the next command starts from a fresh host). No-op for memory stores. */
  async reset(): Promise<void> {
    if (this.dir === undefined) {
      this.memHost = undefined;
      return;
    }
    await rm(join(this.dir, STATE_FILE), { force: true });
  }

  private async withMemory(clock: Clock, fn: (host: Host) => Promise<number>): Promise<number> {
    this.memHost ??= Host.create(clock, this.opts.seed);
    const host = this.memHost;
    const before = JSON.stringify(toSnapshot(host));
    host.advanceTo(clock.now());
    let status: number;
    try {
      status = await fn(host);
    } catch (e) {
      this.memHost = fromSnapshot(JSON.parse(before), clock);
      throw e;
    }
    if (status !== 0) this.memHost = fromSnapshot(JSON.parse(before), clock);
    return status;
  }

  private async withFile(dir: string, clock: Clock, fn: (host: Host) => Promise<number>): Promise<number> {
    const path = join(dir, STATE_FILE);
    try {
      await ensureDir(dir);
    } catch (e) {
      throw new StoreError('IO', `cannot create the state directory ${dir}: ${errText(e)}`);
    }
    const release = await this.lock(path);
    try {
      const host = await this.load(path, clock);
      host.advanceTo(clock.now());
      const status = await fn(host);
      if (status === 0) {
        ensureFilenameGlobal();
        try {
          await writeFileAtomic(path, `${JSON.stringify(toSnapshot(host))}\n`);
        } catch (e) {
          throw new StoreError('IO', `cannot write the state file ${path}: ${errText(e)}`);
        }
      }
      return status;
    } finally {
      await release().catch(() => undefined);
    }
  }

  private async lock(path: string): Promise<() => Promise<void>> {
    const waitMs = this.opts.lockWaitMs ?? 5000;
    const retries = Math.max(1, Math.ceil(waitMs / 100));
    try {
      return await lockfile.lock(path, {
        realpath: false,
        stale: 15000,
        retries: { retries, minTimeout: 100, maxTimeout: 100, factor: 1 },
        onCompromised: () => undefined,
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'ELOCKED') {
        throw new StoreError(
          'LOCKED',
          `the state in ${this.dir} is locked by another xlsim command (lock ${path}.lock); try again when it has finished`,
        );
      }
      throw new StoreError('IO', `cannot lock the state file ${path}: ${errText(e)}`);
    }
  }

  private async load(path: string, clock: Clock): Promise<Host> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return Host.create(clock, this.opts.seed);
      throw new StoreError('IO', `cannot read the state file ${path}: ${errText(e)}`);
    }
    try {
      return fromSnapshot(JSON.parse(text), clock);
    } catch (e) {
      throw new StoreError(
        'CORRUPT',
        `the state file ${path} is corrupt (${errText(e)}); run 'xlsim --reset' or delete the file to start from a fresh host`,
      );
    }
  }
}

/**
 * Creates `dir` and any missing parents, like `mkdir -p`, but gives up instead of
 * looping: Node 20's own `mkdir(…, {recursive: true})` spins forever where the kernel
 * answers ENOENT for a parent that exists (e.g. `XLSIM_HOME=/proc/x`). Throws the last
 * `mkdir` error (ENOENT, EACCES, ENOTDIR, …) when the directory cannot be made.
 */
async function ensureDir(dir: string, depth = 0): Promise<void> {
  try {
    await mkdir(dir);
    return;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EEXIST') {
      if ((await stat(dir)).isDirectory()) return;
      throw e;
    }
    if (code !== 'ENOENT' || depth > 64 || dirname(dir) === dir) throw e;
  }
  await ensureDir(dirname(dir), depth + 1);
  try {
    await mkdir(dir);
  } catch (e) {
    if ((e as { code?: string }).code !== 'EEXIST') throw e;
  }
}

/**
 * write-file-atomic (a CommonJS module) names its temporary files after `__filename`,
 * which does not exist once esbuild bundles it into our ES module (dist/cli.js). Give it
 * one before the first write; a no-op where the CommonJS variable is already in scope.
 */
function ensureFilenameGlobal(): void {
  const g = globalThis as { __filename?: string };
  g.__filename ??= fileURLToPath(import.meta.url);
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
