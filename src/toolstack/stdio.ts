/**
 * The process's standard output and error for one-shot commands, without node's stream
 * machinery: `process.stdout` on a pipe loads `net` and the streams, on a terminal `tty`
 * (several milliseconds of start-up, a fifth of `node -e 0`), while a C xl simply calls
 * write(2). A one-shot command writes with `fs.writeSync` to file descriptor 1 or 2, as
 * xl's stdio does, and only falls back to node's stream when the descriptor is
 * non-blocking and full (`EAGAIN`). The REPL, scripts and the dashboard keep using the
 * streams (they read standard input and draw on the terminal anyway).
 */
import { fstatSync, writeSync } from 'node:fs';
import { lazyRequire } from './lazy-require.js';

/** Device number of /dev/null, makedev(1, 3) (Linux Documentation/admin-guide/devices.txt). */
export const DEV_NULL_RDEV = 259;

/**
 * Whether file descriptor `fd` is a terminal, as isatty(3). A descriptor that is not a
 * character device (a pipe, a file) or is /dev/null is answered from fstat(2) without
 * loading `node:tty`. Never throws: a closed or invalid descriptor is not a terminal.
 */
export function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev === DEV_NULL_RDEV) return false;
  } catch {
    return false;
  }
  return lazyRequire<typeof import('node:tty')>('node:tty').isatty(fd);
}

/**
 * Whether a command colours its output (`xlsim check`'s code frames): on a terminal, unless
 * `NO_COLOR` is set to anything non-empty (https://no-color.org).
 */
export function wantsColor(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return isTTY && !env.NO_COLOR;
}

/**
 * Ends a one-shot command with exit status `code` (set on `process.exitCode`), unless the
 * command succeeded after a write to standard output failed: `fdWriter` has then made
 * the status 1, which stays (docs/compat.md "Output").
 */
export function setExitStatus(code: number): void {
  if (code !== 0 || !process.exitCode) process.exitCode = code;
}

/**
 * A closed pipe (`xlsim list | head -1`) ends the process quietly, as SIGPIPE ends a C
 * program, instead of an unhandled 'error' event with a stack trace; any other write
 * error makes the exit status 1. Applied to node's stdout and stderr streams.
 */
export function quietOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.exitCode = 1;
  });
}

/**
 * A writer for standard output (`fd` 1) or standard error (2): each call writes all of
 * `s` (a string as UTF-8, or bytes as they are) with write(2) before returning, in
 * order. When the descriptor is non-blocking and full (`EAGAIN`), the rest of that call and every later call go to
 * node's stream (`process.stdout` / `process.stderr`), which queues them in order.
 * `EPIPE` (the reader went away) ends the process quietly with the current exit status,
 * like `quietOnBrokenPipe`; any other error drops the text and makes the exit status 1.
 * Never throws.
 */
export function fdWriter(fd: 1 | 2): (s: string | Uint8Array) => void {
  let stream: NodeJS.WriteStream | undefined;
  const toStream = (b: Uint8Array): void => {
    if (!stream) {
      stream = fd === 1 ? process.stdout : process.stderr;
      quietOnBrokenPipe(stream);
    }
    stream.write(b);
  };
  return (s) => {
    if (s.length === 0) return;
    const buf = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
    if (stream) {
      toStream(buf);
      return;
    }
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(fd, buf, off, buf.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          toStream(buf.subarray(off));
          return;
        }
        if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
        process.exitCode = 1;
        return;
      }
    }
  };
}
