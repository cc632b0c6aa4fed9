/**
 * The one place where `xl console` touches the process: standard input, raw mode and
 * signals (xenconsole's tools/console/client/main.c `init_term` / `restore_term` /
 * `console_loop`; xl-commands.md §6). Everything else in the console path works on the
 * `ConsoleTerminal` port, so tests drive it with a fake terminal and a virtual clock.
 */
import { isTerminal } from './stdio.js';

/** What the console client hears from the terminal while attached. */
export interface TerminalHandlers {
  /** The bytes of one read from standard input (xenconsole detaches when it is exactly the escape byte). */
  input(bytes: Uint8Array): void;
  /** Standard input ended (EOF) or failed: xenconsole's `read` returned 0 or −1. */
  end(): void;
  /** The process got SIGINT (2) or SIGTERM (15). */
  signal(signo: number): void;
}

/** The user's terminal as the console client sees it. */
export interface ConsoleTerminal {
  /** Standard input and standard output are both terminals: raw mode applies (xenconsole `main`). */
  readonly isTTY: boolean;
  /**
   * Starts listening: puts the terminal in raw mode when `isTTY` (no echo, no line
   * editing, ^C and ^] arrive as bytes) and delivers input, end of input and signals to
   * `handlers`. Returns `close`, which stops listening and restores the terminal exactly
   * as it was; calling it twice is harmless. Never throws.
   */
  open(handlers: TerminalHandlers): () => void;
}

/**
 * The process's terminal: `process.stdin` for input (raw mode via `setRawMode` when
 * stdin and stdout are TTYs), SIGINT/SIGTERM for signals. The terminal is also restored
 * if the process exits while attached.
 */
export function processTerminal(given?: NodeJS.ReadStream, stdout?: NodeJS.WriteStream): ConsoleTerminal {
  // process.stdin is built only when the terminal is opened: making the stream costs a
  // one-shot command a millisecond or two of start-up, and most never read it.
  // Asked only when a console attaches, so other commands never load node:tty.
  let tty: boolean | undefined;
  const isTTY = (): boolean => (tty ??= given && stdout ? given.isTTY === true && stdout.isTTY === true : isTerminal(0) && isTerminal(1));
  return {
    get isTTY() {
      return isTTY();
    },
    open(h) {
      const stdin = given ?? process.stdin;
      let raw = false;
      if (isTTY() && typeof stdin.setRawMode === 'function') {
        try {
          stdin.setRawMode(true);
          raw = true;
        } catch {
          raw = false;
        }
      }
      const onData = (b: Buffer | string): void =>
        h.input(typeof b === 'string' ? new Uint8Array(Buffer.from(b, 'latin1')) : new Uint8Array(b));
      const onEnd = (): void => h.end();
      const onInt = (): void => h.signal(2);
      const onTerm = (): void => h.signal(15);
      let closed = false;
      const close = (): void => {
        if (closed) return;
        closed = true;
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.off('error', onEnd);
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        process.off('exit', close);
        stdin.pause();
        if (raw) {
          try {
            stdin.setRawMode(false);
          } catch {
            // the terminal went away; nothing left to restore
          }
        }
      };
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.on('error', onEnd);
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      process.on('exit', close);
      stdin.resume();
      return close;
    },
  };
}
