/**
 * What a toolstack command runs against: its output streams, the state store, the clock
 * and how to read files. The CLI, the REPL and the TUI's command palette each build one
 * `XlEnv`; nothing under `src/toolstack` writes to `process.stdout` directly.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Clock } from '../machine/api.js';
import { DEV_NULL_RDEV } from './stdio.js';
import type { HostStore } from './store.js';
import type { ConsoleTerminal } from './terminal.js';

/** Result of reading a file as bytes: the bytes, or the errno name and glibc strerror text. */
export type ReadResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; code: string; strerror: string };

/**
 * The environment of one `runXl` call.
 *
 * - `stdout` / `stderr` receive exact bytes as text (no newline added).
 * - `store` gives the command the emulated host (locked, loaded, advanced to now).
 * - `clock` is the time source: `WallClock` in the CLI, `VirtualClock` in tests.
 * - `isTTY`: stdout is a terminal (`xlsim check` prints code frames then).
 * - `readFile`: reads a config file as bytes; defaults to `node:fs` (see `readFileBytes`).
 * - `timeZone`: IANA zone for `uptime -s` local time; default the process zone.
 * - `color`: ANSI colours in `xlsim check` code frames; default `isTTY`.
 * - `terminal`: the user's terminal for `xl console` / `xl create -c` (the CLI passes
 *   `processTerminal()`); without one those commands print the console output so far
 *   and return, as if standard input had ended.
 */
export interface XlEnv {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  store: HostStore;
  clock: Clock;
  isTTY: boolean;
  readFile?: (path: string, maxBytes?: number) => Promise<ReadResult>;
  timeZone?: string;
  color?: boolean;
  terminal?: ConsoleTerminal;
  /** Cancels the command (the REPL's Ctrl-C): waits end at once and the command exits 130. */
  signal?: AbortSignal;
}

/** Thrown inside a command when its `XlEnv.signal` fired; `runXl` turns it into exit status 130. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** glibc `strerror` texts for the errno values reading or writing a file can produce (glibc string/_strerror.c). */
const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  EIO: 'Input/output error',
  EPERM: 'Operation not permitted',
  ENXIO: 'No such device or address',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  ENOMEM: 'Cannot allocate memory',
  EFBIG: 'File too large',
  EBUSY: 'Device or resource busy',
  EAGAIN: 'Resource temporarily unavailable',
  EEXIST: 'File exists',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
};

/** The glibc `strerror` text for an errno name such as `ENOENT`; unknown names print glibc's `Unknown error`. */
export function strerror(code: string): string {
  return STRERROR[code] ?? 'Unknown error';
}

/** Largest input file xlsim reads (config files, host descriptions), bytes: 16 MiB. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * Largest input `xlsim check` reads, from a file or standard input, bytes: 256 MiB. The
 * linter runs in time linear in its input (about 1 s for 50 MB of the worst input,
 * docs/parser.md), so it takes files `create` would refuse, and says what is wrong in them.
 */
export const MAX_CHECK_BYTES = 256 * 1024 * 1024;

/** The `EFBIG` failure for an input over `max` bytes. */
function tooLarge(max: number): ReadResult {
  return { ok: false, code: 'EFBIG', strerror: `File too large (more than ${max / (1024 * 1024)} MiB)` };
}

/**
 * Reads a whole file as bytes like libxl_read_file_contents (tools/libs/light/libxl_utils.c).
 * Never throws and never blocks: failures come back as `{ok: false, code, strerror}` with
 * the errno name and glibc's text (`No such file or directory`, `Is a directory`, …).
 * Unlike xl (which would wait forever on a FIFO and read /dev/zero until memory runs out),
 * only regular files (and /dev/null) are read, and at most `maxBytes` (default
 * `MAX_INPUT_BYTES`): a FIFO, socket or device gets `EINVAL` with "is a FIFO/socket/device,
 * not a regular file", a larger file `EFBIG` with "File too large (more than 16 MiB)"
 * (docs/compat.md).
 */
export async function readFileBytes(path: string, maxBytes: number = MAX_INPUT_BYTES): Promise<ReadResult> {
  const fail = (e: unknown): ReadResult => {
    const code = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'EIO';
    return { ok: false, code, strerror: strerror(code) };
  };
  // Synchronous reads of a regular file (or /dev/null) cannot wait on anything, and
  // node:fs/promises would cost every create and check its loading at start-up.
  let fd: number | undefined;
  try {
    const st = statSync(path);
    const devNull = st.isCharacterDevice() && st.rdev === DEV_NULL_RDEV;
    if (!st.isFile() && !st.isDirectory() && !devNull) {
      const what = st.isFIFO() ? 'a FIFO (named pipe)' : st.isSocket() ? 'a socket' : 'a device';
      return { ok: false, code: 'EINVAL', strerror: `is ${what}, not a regular file` };
    }
    if (st.isFile() && st.size > maxBytes) return tooLarge(maxBytes);
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(Math.min(maxBytes + 1, Math.max(st.size, 0) + 1));
    let n = 0;
    for (;;) {
      if (n === buf.length) break;
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    // The file grew while being read past the limit.
    if (n > maxBytes) return tooLarge(maxBytes);
    return { ok: true, bytes: new Uint8Array(buf.buffer, buf.byteOffset, n) };
  } catch (e) {
    return fail(e);
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // nothing was written; a failed close loses nothing
      }
    }
  }
}

/**
 * Reads all of standard input as bytes (for `xlsim check -`): works for pipes, sockets
 * and redirected files alike, where `readFile('/dev/stdin')` fails on a socket. Never
 * throws; a read error comes back as `{ok: false}` like `readFileBytes`, and more than
 * `maxBytes` as `EFBIG` "File too large (more than N MiB)" as soon as the limit is passed
 * (so `xlsim check - < /dev/zero` ends instead of filling memory).
 */
export async function readStdinBytes(stream: NodeJS.ReadableStream = process.stdin, maxBytes: number = MAX_CHECK_BYTES): Promise<ReadResult> {
  try {
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const chunk of stream) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
      n += b.length;
      if (n > maxBytes) return tooLarge(maxBytes);
      chunks.push(b);
    }
    const buf = Buffer.concat(chunks);
    return { ok: true, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
  } catch (e) {
    const code = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'EIO';
    return { ok: false, code, strerror: strerror(code) };
  }
}

/**
 * Thrown inside a command to end it with an exit status after its output was written —
 * the equivalent of xl calling `exit(n)` deep inside a helper (e.g. `find_domain`).
 * `runXl` catches it and returns `status`; it never leaves the toolstack.
 */
export class XlExit extends Error {
  constructor(public readonly status: number) {
    super(`xl exit ${status}`);
    this.name = 'XlExit';
  }
}

/** How many running commands end themselves cleanly on `XlEnv.signal` (see `endsItselfOnSignal`). */
let selfEnding = 0;

/**
 * Declares, while a long-running command is in its loop (`xl remus`, `xl devd -F`), that
 * it ends itself cleanly when `XlEnv.signal` fires: the CLI then answers SIGINT/SIGTERM by
 * firing that signal and waiting for the command (its clean-up needs a write
 * transaction), instead of exiting at once (cli.ts). Returns the function that withdraws
 * the claim; calling it twice is harmless.
 */
export function endsItselfOnSignal(): () => void {
  selfEnding++;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    selfEnding--;
  };
}

/** Whether a command that ends itself on `XlEnv.signal` is running (see `endsItselfOnSignal`). */
export function commandEndsItselfOnSignal(): boolean {
  return selfEnding > 0;
}

/**
 * `promise`, or a `CancelledError` as soon as `signal` fires (at once when it already
 * has): for waits that are not on the clock, such as reads from a migration peer.
 * Without a signal, `promise` itself.
 */
export function unlessCancelled<T>(signal: AbortSignal | undefined, promise: Promise<T>): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
