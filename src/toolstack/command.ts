/**
 * The contract between `program.ts` and the subcommand modules under `commands/`.
 */
import type { Command } from 'commander';
import type { Host } from '../machine/host.js';
import type { CmdSpec } from './cmdtable.js';
import type { XlEnv } from './io.js';

/** What a subcommand handler receives once xl's option parsing succeeded. */
export interface CommandContext {
  env: XlEnv;
  /** The table row the subcommand resolved to. */
  spec: CmdSpec;
  /** Operands left after option parsing, in order (getopt's `argv[optind..]`). */
  args: string[];
  /** The command's arguments exactly as given (options included), before getopt. */
  rawArgs?: string[];
  /** Parsed options as commander names them (`-p` → `p`, `--dryrun` → `dryrun`). */
  opts: Record<string, unknown>;
  /** Global `-N` (dry run). */
  dryRun: boolean;
  /** Number of global `-v` flags. */
  verbose: number;
  /**
   * Runs `fn` with the host under the write lock, advanced to now; the host is saved
   * only when `fn` returns 0 (see `HostStore.withHost`).
   */
  withHost: (fn: (host: Host) => Promise<number>) => Promise<number>;
  /** Runs `fn` on a read-only snapshot of the host advanced to now: no lock, nothing saved (`HostStore.read`). */
  readHost: <T>(fn: (host: Host) => T | Promise<T>) => Promise<T>;
  /** Writes to stdout / stderr. */
  out: (s: string) => void;
  err: (s: string) => void;
}

/** One subcommand module: its getopt options and its handler. */
export interface XlCommandModule {
  /** The xl command name (a `CMD_TABLE` name, or an xlsim extension such as `check`). */
  name: string;
  /** getopt's `reqargs`: fewer operands → `'xl <cmd>' requires at least N argument(s).` + help, exit 2. */
  minArgs: number;
  /** Declares the command's options on its commander `Command` (`-h` is added by the program). */
  options?: (cmd: Command) => void;
  /** Runs the command; resolves to the exit status. May throw `XlExit` after writing output. */
  run: (ctx: CommandContext) => Promise<number>;
}

/** commander "increaser" for repeatable flags (`-w -w`, `-v -v`): counts occurrences. */
export function countFlag(_value: unknown, previous: number): number {
  return previous + 1;
}
