/** Shared fixtures for toolstack tests: DomainInfo builders and an in-memory runXl harness. */
import type { DomainInfo } from '../../src/machine/api.js';
import { VirtualClock } from '../../src/machine/clock.js';
import type { ReadResult, XlEnv } from '../../src/toolstack/io.js';
import { runXl } from '../../src/toolstack/program.js';
import { HostStore } from '../../src/toolstack/store.js';

/** A DomainInfo with plausible defaults; override what the test is about. */
export function dom(over: Partial<DomainInfo> & { domid: number; name: string }): DomainInfo {
  return {
    uuid: '00000000-0000-0000-0000-000000000000',
    type: 'pv',
    state: { running: false, blocked: true, paused: false, shutdown: false, dying: false },
    memKiB: 1048576,
    targetKiB: 1048576,
    onlineVcpus: 1,
    maxVcpus: 1,
    vcpus: [],
    cpuTimeNs: 0,
    startTime: 0,
    config: { c_info: { type: 'pv' }, b_info: { sched_params: {}, arch_arm: {}, arch_x86: {} } },
    nets: [],
    vbds: [],
    ssidref: 0,
    pool: 'Pool-0',
    ...over,
  };
}

/** Start of the virtual clock in tests: 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);

/**
 * A VirtualClock that runs scripted actions once virtual time reaches them, and a hook
 * after every sleep; it fails after `limit` sleeps (default 100000), so a command that
 * never ends fails its test instead of hanging it.
 */
export class ScriptClock extends VirtualClock {
  private hooks: { at: number; fn: () => unknown }[] = [];
  /** Runs after every sleep (before the due actions). */
  onSleep: (() => unknown) | undefined;
  sleeps = 0;
  constructor(start: number, private readonly limit = 100_000) {
    super(start);
  }
  /** Runs `fn` the first time a sleep reaches `at` (ms since the epoch). */
  at(at: number, fn: () => unknown): void {
    this.hooks.push({ at, fn });
  }
  override async sleepUntil(ms: number): Promise<void> {
    await super.sleepUntil(ms);
    if (++this.sleeps > this.limit) throw new Error(`still sleeping after ${this.limit} sleeps`);
    await this.onSleep?.();
    const due = this.hooks.filter((h) => h.at <= this.now());
    this.hooks = this.hooks.filter((h) => h.at > this.now());
    for (const h of due) await h.fn();
  }
}

/**
 * A captured runXl harness over an in-memory store and a VirtualClock, with an in-memory file system.
 * `opts.xlConfPath` gives the host an xl.conf at that path (served from `files` like any file).
 */
export function harness(files: Record<string, string> = {}, opts: { isTTY?: boolean; xlConfPath?: string; clock?: VirtualClock; signal?: AbortSignal } = {}) {
  const clock = opts.clock ?? new VirtualClock(T0);
  const store = HostStore.inMemory(opts.xlConfPath === undefined ? {} : { xlConfPath: opts.xlConfPath });
  let out = '';
  let err = '';
  const env: XlEnv = {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    store,
    clock,
    signal: opts.signal,
    isTTY: opts.isTTY ?? false,
    timeZone: 'UTC',
    readFile: async (path: string): Promise<ReadResult> => {
      if (path in files) return { ok: true, bytes: new TextEncoder().encode(files[path]) };
      if (path.endsWith('/')) return { ok: false, code: 'EISDIR', strerror: 'Is a directory' };
      return { ok: false, code: 'ENOENT', strerror: 'No such file or directory' };
    },
  };
  /** Runs one command line (split on spaces) and returns its status and the captured output. */
  const run = async (line: string | string[]) => {
    out = '';
    err = '';
    const argv = Array.isArray(line) ? line : line.split(' ').filter((w) => w.length > 0);
    const code = await runXl(argv, env);
    return { code, out, err };
  };
  return { env, clock, store, files, run };
}
