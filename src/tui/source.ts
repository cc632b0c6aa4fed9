/**
 * What the dashboard reads and drives: a small port between the Ink app and the host,
 * so the same views run over an in-process demo host, the persistent state store, or a
 * test fixture. Implementations live in `main.ts` (host and store) and in the tests.
 */
import type { TopSample } from './xentop.js';

/** The captured result of one xl command run through `runXl`. */
export interface CommandResult {
  /** xl's exit status. */
  code: number;
  /** Exact bytes written to stdout / stderr. */
  stdout: string;
  stderr: string;
}

/**
 * The dashboard's view of a host. No method throws for bad input or a missing domain:
 * failures come back as data (a non-zero `code`, or an empty console log).
 */
export interface TopSource {
  /** A fresh snapshot: host facts, every domain in domid order, and the sample time (ms since the epoch). */
  sample(): Promise<TopSample>;
  /** The guest console output of `domid` so far (what `xl console` would have shown); `''` if none. */
  consoleLog(domid: number): Promise<string>;
  /**
   * Run one xl command (argv without the leading `xl`, e.g. `['pause', '3']`) through the
   * toolstack, capturing its output (DESIGN.md "The toolstack": the palette runs commands
   * through the same program as the CLI).
   */
  run(argv: string[]): Promise<CommandResult>;
}
