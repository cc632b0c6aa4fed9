/**
 * The console client behind `xl console` and `xl create -c`: xl's `main_console` /
 * libxl's `libxl_console_exec` and `libxl_primary_console_exec` choosing the console,
 * then xenconsole (tools/console/client/main.c) attaching to it and copying the guest's
 * output until the user detaches or the guest's pty goes away (xl-commands.md §6).
 *
 * The host lives in the state store, so following means re-reading it: every `pollMs`
 * (200 ms) the store is read — locked only for the read, never saved, the host advanced
 * to the clock's now — and only the console bytes the guest printed since the last read
 * are written out. Terminal access goes through the `ConsoleTerminal` port (terminal.ts).
 */
import type { Clock } from '../machine/api.js';
import type { Host } from '../machine/host.js';
import { findDomain } from './domain-arg.js';
import { libxlLine, SITES } from './format/log.js';
import { StoreError, type HostStore } from './store.js';
import type { ConsoleTerminal } from './terminal.js';

/** xenconsole's default escape character, Ctrl-] (0x1d). */
export const DEFAULT_ESCAPE = 0x1d;
/** How long xenconsole waits for the console's tty to appear in xenstore, ms (`get_pty_fd`, 5 s). */
export const TTY_WAIT_MS = 5000;
/** How often a following console re-reads the state store, ms. */
export const POLL_MS = 200;
/** `EINVAL`: xenconsole's exit status for a bad escape or Domain-0. */
const EINVAL = 22;
/** `ENOENT`: xenconsole's exit status when the tty never appears (`err(errno, …)`). */
const ENOENT = 2;

/** The console kinds of `xl console -t` (libxl_console_type). */
export type ConsoleType = 'pv' | 'serial' | 'vuart';

/**
 * xenconsole's `get_escape_character`: `^X` → X & 0x1f, a single byte → that byte,
 * anything else (empty, longer, a multi-byte character) → undefined (the caller prints
 * `Invalid escape argument` and exits 22).
 */
export function parseEscape(arg: string): number | undefined {
  const bytes = Buffer.from(arg, 'utf8');
  if (bytes.length === 2 && bytes[0] === 0x5e) return bytes[1]! & 0x1f;
  if (bytes.length === 1) return bytes[0]!;
  return undefined;
}

/**
 * Reads the host without changing the store: runs `fn` on a snapshot advanced to
 * `clock.now()`; nothing is written and no lock is taken (`HostStore.read`). Throws
 * what the store throws (`StoreError`) and what `fn` throws.
 */
export function readHost<T>(store: HostStore, clock: Clock, fn: (host: Host) => T): Promise<T> {
  return store.read(clock, fn);
}

/** Where a console client runs: the store and clock, its output, and the user's terminal. */
export interface ConsoleIO {
  store: HostStore;
  clock: Clock;
  out: (s: string) => void;
  err: (s: string) => void;
  /**
   * The user's terminal. Without one (the REPL, the dashboard's palette) the client
   * prints the console output so far and returns 0, as if standard input had ended.
   */
  terminal?: ConsoleTerminal;
  /** Re-read interval, ms (default `POLL_MS`). */
  pollMs?: number;
}

/** What `attachConsole` is asked for: xl console's operand and options. */
export interface ConsoleRequest {
  /** The domain operand (name or domid), resolved by xl's `find_domain`. */
  domain: string;
  /** `-t`; undefined = the domain's primary console. */
  type?: ConsoleType;
  /** `-n` (console number, C `atoi`); used only with `-t`. */
  num?: number;
  /** `-e`'s argument as given; undefined = Ctrl-]. */
  escape?: string;
}

/**
 * Which output a console shows: the guest's boot/console log (PV console 0 of a PV/PVH
 * guest, serial 0 of an HVM guest — where bootlog.ts writes), `quiet` for a console that
 * exists but that the guest does not write to (the PV console of an HVM guest), or
 * `missing` when its tty node does not exist (xenconsole then waits 5 s and fails).
 */
export function consoleStream(domType: 'pv' | 'pvh' | 'hvm', type: ConsoleType | undefined, num: number): 'log' | 'quiet' | 'missing' {
  let t: ConsoleType = type ?? (domType === 'hvm' ? 'serial' : 'pv');
  const n = type === undefined ? 0 : num;
  if (t === 'vuart') return 'missing'; // x86 guests have no vuart: …/vuart/0/tty never appears
  if (t === 'serial') {
    if (domType === 'hvm' && n === 0) return 'log';
    t = 'pv'; // xenconsole: no …/serial/N/tty → fall back to the PV console
  }
  if (n !== 0) return 'missing'; // …/device/console/N/tty: only console 0 is configured
  return domType === 'hvm' ? 'quiet' : 'log';
}

/**
 * `xl console` end to end: resolves the domain and console (xl + libxl), then runs
 * xenconsole. Resolves to the exit status, with messages exactly as xl-commands.md §6:
 * unknown name → `<arg> is an invalid domain identifier (rc=-6)` (1); no such domid
 * without `-t` → libxl's `unable to get domain type` line + `Unable to attach console`
 * (1); bad `-e` → `Invalid escape argument` (22); Domain-0 → `Can't specify Domain-0`
 * (22); a console whose tty never appears (no such domid with `-t`, `-t vuart`, `-n N`
 * for a console the guest lacks) → after 5 s of `io.clock`,
 * `xenconsole: Could not read tty from store: No such file or directory` (2). Otherwise
 * follows the console (`followConsole`). Throws `XlExit` (from `findDomain`) and `StoreError`.
 */
export async function attachConsole(io: ConsoleIO, req: ConsoleRequest): Promise<number> {
  const found = await readHost(io.store, io.clock, (host) => {
    const domid = findDomain(host, req.domain, io.err);
    return { domid, type: host.domain(domid)?.type };
  });
  const { domid, type } = found;
  if (req.type === undefined && type === undefined) {
    io.err(libxlLine('error', SITES.domainType, undefined, `unable to get domain type for domid=${domid}`));
    io.err('Unable to attach console\n');
    return 1;
  }
  let escape = DEFAULT_ESCAPE;
  if (req.escape !== undefined) {
    const e = parseEscape(req.escape);
    if (e === undefined) {
      io.err('Invalid escape argument\n');
      return EINVAL;
    }
    escape = e;
  }
  if (domid === 0) {
    io.err("Can't specify Domain-0\n");
    return EINVAL;
  }
  const stream = type === undefined ? 'missing' : consoleStream(type, req.type, req.num ?? 0);
  if (stream === 'missing') {
    await io.clock.sleepUntil(io.clock.now() + TTY_WAIT_MS);
    io.err('xenconsole: Could not read tty from store: No such file or directory\n');
    return ENOENT;
  }
  return followConsole(io, domid, { escape, quiet: stream === 'quiet' });
}

/**
 * xenconsole's `console_loop` over the store: writes the domain's console output so far,
 * then — with a terminal — puts it in raw mode and every `pollMs` writes the bytes the
 * guest printed since the last read, until one of:
 * - a read from the terminal is exactly the escape byte → exit 0, no message;
 * - standard input ends → exit 0;
 * - the domain is gone from the host (destroyed; a reboot's new domid is not followed)
 *   → its last output is written, exit 0;
 * - SIGINT / SIGTERM (when not in raw mode, where ^C is just a byte) → 128 + signal.
 * Everything else typed goes to the guest (its login prompt and shell answer; guest/os.ts),
 * each batch in one short write transaction. The terminal is restored before returning.
 * `quiet` follows a console the guest never writes to. A store that stays locked for a
 * poll is simply tried again at the next one.
 */
export async function followConsole(io: ConsoleIO, domid: number, opts: { escape: number; quiet?: boolean }): Promise<number> {
  const first = await readHost(io.store, io.clock, (host) => {
    const c = host.consoleSince(domid, 0);
    return c && !c.gone ? { text: opts.quiet ? '' : c.text, total: c.total } : undefined;
  });
  if (!first) return 0;
  if (first.text !== '') io.out(first.text);
  if (!io.terminal) return 0;
  let offset = first.total;
  let stop: number | undefined;
  let typed = '';
  let wake: () => void = () => undefined;
  const finish = (code: number): void => {
    stop ??= code;
    wake();
  };
  const close = io.terminal.open({
    input: (bytes) => {
      if (bytes.length === 1 && bytes[0] === opts.escape) {
        finish(0);
        return;
      }
      typed += Buffer.from(bytes).toString('latin1');
      wake();
    },
    end: () => finish(0),
    signal: (signo) => finish(128 + signo),
  });
  const pollMs = io.pollMs ?? POLL_MS;
  try {
    while (stop === undefined) {
      if (typed === '') {
        const woken = new Promise<void>((resolve) => {
          wake = resolve;
        });
        await Promise.race([io.clock.sleepUntil(io.clock.now() + pollMs), woken]);
      }
      if (stop !== undefined) break;
      try {
        if (typed !== '') {
          const bytes = typed;
          typed = '';
          await io.store.withHost(io.clock, async (host) => {
            if (host.domain(domid)) host.consoleInput(domid, bytes);
            return 0;
          });
        }
        const read = await readHost(io.store, io.clock, (host) => {
          const c = host.consoleSince(domid, offset);
          return c ? { text: opts.quiet ? '' : c.text, total: c.total, gone: c.gone } : { text: '', total: offset, gone: true };
        });
        offset = read.total;
        if (read.text !== '') io.out(read.text);
        if (read.gone) finish(0);
      } catch (e) {
        if (e instanceof StoreError && e.code === 'LOCKED') continue;
        throw e;
      }
    }
  } finally {
    close();
  }
  return stop ?? 0;
}
