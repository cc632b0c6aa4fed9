/**
 * The xl program: global options, subcommand lookup, per-command getopt behaviour and
 * help, dispatch to `commands/*`, output and exit status captured (never `process.exit`).
 * Used by the CLI, the REPL and the TUI's command palette.
 *
 * Follows tools/xl/xl.c `main` and `help`, tools/xl/xl_utils.c `def_getopt`
 * (xl-commands.md §1.1–§1.3): unknown global option → `unknown global option`, exit 1;
 * no subcommand → full help, exit 1; unknown/ambiguous → `command not implemented`,
 * exit 1; per-command `-h` → help, exit 0; bad option → ``option `X' not supported.``,
 * exit 2; too few operands → `'xl <cmd>' requires at least N argument[s].` + help, exit 2.
 */
import { Command, CommanderError, type Option } from 'commander';
import { CMD_TABLE, commandHelp, fullHelp, lookupCommand, type CmdSpec } from './cmdtable.js';
import type { CommandContext, XlCommandModule } from './command.js';
import { countFlag } from './command.js';
import type { Clock } from '../machine/api.js';
import { CancelledError, unlessCancelled, XlExit, type XlEnv } from './io.js';
import { StoreError } from './store.js';
import { createCommand } from './commands/create.js';
import { listCommand } from './commands/list.js';
import { pauseCommand, unpauseCommand } from './commands/pause.js';
import { rebootCommand, shutdownCommand } from './commands/shutdown.js';
import { destroyCommand } from './commands/destroy.js';
import { domidCommand, domnameCommand } from './commands/domid.js';
import { uptimeCommand } from './commands/uptime.js';
import { vcpuListCommand } from './commands/vcpu-list.js';
import { infoCommand } from './commands/info.js';
import { checkCommand, CHECK_SPEC } from './commands/check.js';
import { hostCommand, HOST_SPEC } from './commands/host.js';
import { completeCommand, completionCommand, COMPLETE_SPEC, COMPLETION_SPEC } from './commands/completion.js';
import { renameCommand } from './commands/rename.js';
import { vmListCommand } from './commands/vm-list.js';
import { blockListCommand, networkListCommand } from './commands/devices.js';
import { DEVICE_COMMANDS } from './device-commands.js';
import { memMaxCommand, memSetCommand } from './commands/mem.js';
import { vcpuSetCommand } from './commands/vcpu-set.js';
import { schedCredit2Command, schedCreditCommand } from './commands/sched.js';
import { claimsCommand, sharingCommand } from './commands/claims.js';
import { cpupoolListCommand } from './commands/cpupool-list.js';
import { consoleCommand } from './commands/console.js';
import { dmesgCommand } from './commands/dmesg.js';
import { blockAttachCommand, blockDetachCommand } from './commands/block.js';
import { networkAttachCommand, networkDetachCommand } from './commands/network.js';
import { POOL_COMMANDS } from './commands/pools-index.js';
import { CONTROL_COMMANDS } from './commands/controls-index.js';
import { SAVE_RESTORE_COMMANDS } from './commands/saverestore.js';
import { topCommand } from './commands/top.js';

export type { XlEnv } from './io.js';

/** Subcommands xlsim emulates, by xl name. */
export const COMMANDS: ReadonlyMap<string, XlCommandModule> = new Map(
  [
    createCommand,
    listCommand,
    pauseCommand,
    unpauseCommand,
    shutdownCommand,
    rebootCommand,
    destroyCommand,
    domidCommand,
    domnameCommand,
    uptimeCommand,
    vcpuListCommand,
    infoCommand,
    renameCommand,
    vmListCommand,
    blockListCommand,
    networkListCommand,
    memSetCommand,
    memMaxCommand,
    vcpuSetCommand,
    schedCreditCommand,
    schedCredit2Command,
    claimsCommand,
    sharingCommand,
    cpupoolListCommand,
    blockAttachCommand,
    blockDetachCommand,
    networkAttachCommand,
    networkDetachCommand,
    consoleCommand,
    dmesgCommand,
    checkCommand,
    hostCommand,
    // [save/restore/migrate]
    ...SAVE_RESTORE_COMMANDS,
    // [pools/pinning/schedulers]
    ...POOL_COMMANDS,
    // [devices]
    ...DEVICE_COMMANDS,
    // [guest controls and misc]
    ...CONTROL_COMMANDS,
    // [repl and packaging]
    topCommand,
    completionCommand,
    completeCommand,
  ].map((m) => [m.name, m]),
);

/** xlsim's own subcommands, matched by exact name only so xl's prefix rules stay intact. */
const EXTENSIONS: ReadonlyMap<string, CmdSpec> = new Map(
  [CHECK_SPEC, HOST_SPEC, COMPLETION_SPEC, COMPLETE_SPEC].map((s) => [s.name, s]),
);

/** getopt's complaint about option letter `letter` (xl's `def_getopt`). */
class GetoptError extends Error {
  constructor(readonly letter: string) {
    super(`option \`${letter}' not supported.`);
  }
}

/** `-h`/`--help` seen while scanning (getopt returns 'h' in order). */
class HelpRequested extends Error {}

/**
 * A commander `Command` whose parse errors come out as getopt's: an unknown option or a
 * missing option argument becomes a `GetoptError` carrying the option letter
 * (`--long` options carry NUL, as glibc's `optopt` is 0 for them).
 */
class GetoptCommand extends Command {
  unknownOption(flag: string): never {
    throw new GetoptError(letterOf(flag));
  }
  optionMissingArgument(option: Option): never {
    throw new GetoptError(letterOf(option.short ?? option.long ?? ''));
  }
}

function letterOf(flag: string): string {
  if (flag.startsWith('--')) return '\0';
  return flag.charAt(1) || '\0';
}

/**
 * getopt_long's view of the arguments, in order, up to the first event that ends
 * option processing in xl: `help` for `-h`/`--help`, a `GetoptError` for an unknown
 * option or a missing option argument, undefined when neither occurs. Operands are
 * skipped (GNU permutation); `--` ends the scan. commander, which keeps parsing known
 * options after an unknown one, does the actual value parsing afterwards.
 */
function getoptScan(cmd: Command, args: readonly string[]): 'help' | GetoptError | undefined {
  const opts = cmd.options as readonly Option[];
  const takesArg = (o: Option): boolean => o.required || o.optional;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    if (!a.startsWith('-') || a === '-') continue;
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0]!;
      const o = opts.find((x) => x.long === `--${name}`);
      if (!o) return new GetoptError('\0');
      if (o.long === '--help') return 'help';
      if (o.required && !a.includes('=')) {
        if (i + 1 >= args.length) return new GetoptError(letterOf(o.short ?? ''));
        i++;
      }
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const letter = a[j]!;
      const o = opts.find((x) => x.short === `-${letter}`);
      if (!o) return new GetoptError(letter);
      if (letter === 'h') return 'help';
      if (takesArg(o)) {
        if (j + 1 < a.length) break;
        if (o.required) {
          if (i + 1 >= args.length) return new GetoptError(letter);
          i++;
        }
        break;
      }
    }
  }
  return undefined;
}

function quietCommand(name: string, env: XlEnv): GetoptCommand {
  const cmd = new GetoptCommand(name);
  cmd
    .exitOverride()
    .configureOutput({ writeOut: env.stdout, writeErr: env.stderr, outputError: () => undefined })
    .helpOption(false)
    .allowExcessArguments(true)
    .argument('[args...]')
    .action(() => undefined);
  return cmd;
}

/**
 * Runs one xl command line (`argv` without the program name, e.g. `['list', '-v']`)
 * against `env` and resolves to xl's exit status. Never throws and never exits the
 * process: every failure is written to `env.stderr` and becomes a non-zero status.
 */
export async function runXl(argv: string[], env: XlEnv): Promise<number> {
  try {
    return await dispatch(argv, env.signal ? { ...env, clock: cancellable(env.clock, env.signal) } : env);
  } catch (e) {
    if (e instanceof XlExit) return e.status;
    if (e instanceof CancelledError) return 130;
    if (e instanceof StoreError) {
      env.stderr(`xlsim: ${e.message}\n`);
      return 1;
    }
    env.stderr(`xlsim: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

async function dispatch(argv: string[], env: XlEnv): Promise<number> {
  // Global options, getopt "+vfNtT": stop at the first operand.
  const root = quietCommand('xl', env);
  root
    .option('-v', 'verbose', countFlag, 0)
    .option('-f', 'force')
    .option('-N', 'dry run')
    .option('-t', 'progress with CR')
    .option('-T', 'timestamps')
    .passThroughOptions();
  try {
    root.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof GetoptError || e instanceof CommanderError) {
      env.stderr('unknown global option\n');
      return 1;
    }
    throw e;
  }
  const globals = root.opts<{ v: number; N?: boolean }>();
  const [name, ...rest] = root.args;
  if (name === undefined) {
    env.stdout(fullHelp());
    return 1;
  }
  const spec = lookupCommand(name) ?? EXTENSIONS.get(name);
  if (!spec) {
    if (name === 'help') {
      env.stdout(helpFor(rest[0]));
      return 0;
    }
    env.stderr('command not implemented\n');
    return 1;
  }
  if (globals.N && !spec.canDryrun) {
    env.stderr('command does not implement -N (dryrun) option\n');
    return 1;
  }
  const mod = COMMANDS.get(spec.name);
  if (!mod) throw new Error(`no module for 'xl ${spec.name}'`);
  return runSubcommand(spec, mod, rest, env, { dryRun: globals.N === true, verbose: globals.v ?? 0 });
}

function helpFor(name: string | undefined): string {
  if (name === undefined || name === 'help') return fullHelp();
  const spec = lookupCommand(name) ?? EXTENSIONS.get(name);
  return spec ? helpText(spec) : `command "${name}" not implemented\n`;
}

/** xl's per-command help; xlsim's own commands say `Usage: xlsim <name>`. */
function helpText(spec: CmdSpec): string {
  const text = commandHelp(spec);
  return EXTENSIONS.has(spec.name) ? text.replace(/^Usage: xl \[[^\]]*\] /, 'Usage: xlsim ') : text;
}

async function runSubcommand(
  spec: CmdSpec,
  mod: XlCommandModule,
  args: string[],
  env: XlEnv,
  globals: { dryRun: boolean; verbose: number },
): Promise<number> {
  const cmd = quietCommand(spec.name, env);
  cmd.option('-h, --help', 'help');
  mod.options?.(cmd);
  try {
    const first = getoptScan(cmd, args);
    if (first === 'help') throw new HelpRequested();
    if (first) throw first;
    cmd.parse(args, { from: 'user' });
  } catch (e) {
    if (e instanceof HelpRequested) {
      env.stdout(helpText(spec));
      return 0;
    }
    if (e instanceof GetoptError) {
      env.stderr(`${e.message}\n`);
      return 2;
    }
    if (e instanceof CommanderError) {
      env.stderr(`option \`\0' not supported.\n`);
      return 2;
    }
    throw e;
  }
  const operands = cmd.args;
  if (operands.length < mod.minArgs) {
    const n = mod.minArgs;
    env.stderr(`'xl ${spec.name}' requires at least ${n} argument${n > 1 ? 's' : ''}.\n\n`);
    env.stdout(helpText(spec));
    return 2;
  }
  const ctx: CommandContext = {
    env,
    spec,
    args: operands,
    rawArgs: args,
    opts: cmd.opts(),
    dryRun: globals.dryRun,
    verbose: globals.verbose,
    withHost: (fn) => env.store.withHost(env.clock, fn),
    readHost: (fn) => env.store.read(env.clock, fn),
    out: env.stdout,
    err: env.stderr,
  };
  return mod.run(ctx);
}

/**
 * `clock` whose waits end with `CancelledError` as soon as `signal` fires (the REPL's
 * Ctrl-C stops `shutdown -w`, `console` … at their next wait).
 */
function cancellable(clock: Clock, signal: AbortSignal): Clock {
  return {
    now: () => clock.now(),
    sleepUntil: (ms) => (signal.aborted ? Promise.reject(new CancelledError()) : unlessCancelled(signal, clock.sleepUntil(ms))),
  };
}

/** Names of every xl subcommand in table order (for completion in the REPL and palette). */
export function commandNames(): string[] {
  return [...CMD_TABLE.map((s) => s.name), ...[...EXTENSIONS.keys()].filter((n) => !n.startsWith('__'))];
}

/**
 * `xlsim --help`: xl's full help (the same table `xl help` prints), then xlsim's own
 * commands and how to start the prompt and the dashboard. Real xl answers `--help` with
 * "unknown global option" (tools/xl/xl.c `main`); docs/compat.md.
 */
export function xlsimHelp(): string {
  let out = fullHelp();
  out += '\nxlsim extensions:\n\n';
  for (const spec of EXTENSIONS.values()) {
    if (spec.name.startsWith('__')) continue;
    out += ` ${spec.name.padEnd(19)} ${spec.desc}\n`;
  }
  out +=
    '\n xlsim                    with no arguments on a terminal: an interactive prompt\n' +
    ' xlsim < script.xl        runs a file of xl commands (-k keeps going after a failure)\n' +
    ' xlsim top / xlsim demo   the dashboard on your host / on a demo host\n' +
    ' xlsim --reset            a fresh host (the old one is kept as a backup)\n' +
    ' xlsim --version          which xl and Xen this xlsim emulates\n';
  return out;
}
