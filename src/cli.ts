/**
 * The CLI, bundled into dist/cli.cjs by scripts/build.mjs and started by `bin/xlsim`
 * (which loads the bundle with V8's code cache and hands over how to load the dashboard).
 *
 * - `xlsim <xl subcommand> …`: runs the command through `runXl` against the state
 *   directory (`$XLSIM_HOME`, default `~/.local/state/xlsim`) on the wall clock and
 *   exits with xl's status.
 * - `xlsim` alone on a terminal: the interactive prompt (`toolstack/repl.ts`); with piped
 *   or redirected input, a script of xl commands, one a line (`-k` keeps going after a
 *   failure).
 * - `xlsim top` / `xlsim demo`: the dashboard (`tui/main.ts`, loaded lazily so Ink and
 *   React stay out of every other command's start-up).
 * - `xlsim --reset`: a fresh default host; the previous one is kept as a backup that
 *   `xlsim host restore-backup` brings back.
 *
 * SIGINT and SIGTERM end a command at once: an open write transaction is rolled back (the
 * host stays as it was before the command) and the process exits 130 / 143. A command
 * that ends itself cleanly (`xl remus`, `xl devd -F`: io.ts `endsItselfOnSignal`) is
 * cancelled instead and given up to 3 s to finish; a second signal ends it at once.
 *
 * Anything unexpected is reported as one `xlsim: …` line, never a stack trace.
 */
import { join } from 'node:path';
import { WallClock } from './machine/clock.js';
import { lookupCommand } from './toolstack/cmdtable.js';
import { commandEndsItselfOnSignal, type XlEnv } from './toolstack/io.js';
import { runXl, xlsimHelp } from './toolstack/program.js';
import { complete, type Completion } from './toolstack/complete.js';
import { fsSources } from './toolstack/complete-fs.js';
import { runRepl, runScript } from './toolstack/repl.js';
import { HostStore } from './toolstack/store.js';
import { fdWriter, isTerminal, quietOnBrokenPipe, setExitStatus, wantsColor } from './toolstack/stdio.js';
import { processTerminal } from './toolstack/terminal.js';

/** The subcommand word of an xl command line (the first argument after the global options) and the arguments after it. */
function subcommandOf(args: string[]): { sub?: string; rest: string[] } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return { rest: [] };
    if (!a.startsWith('-') || a === '-') return { sub: a, rest: args.slice(i + 1) };
  }
  return { rest: [] };
}

/** xlsim's version (package.json). */
const VERSION = '0.1.0';

/** Exit status for a signal, as a shell reports it (128 + signal number). */
const SIGNAL_STATUS: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** How long a command that ends itself on a signal gets to do so, ms of real time. */
const SELF_END_GRACE_MS = 3000;

/**
 * SIGINT / SIGTERM: roll back whatever the store has open and exit with 128 + signo.
 * Interactive commands that want Ctrl-C for themselves (the REPL, consoles) put the
 * terminal in raw mode, where Ctrl-C is a byte, not a signal. A command that ends itself
 * (see the module comment) gets `command` aborted and its exit status set to 128 + signo
 * in `ended` instead.
 */
function endOnSignals(store: HostStore, abort: AbortController, command: AbortController, ended: { status?: number }): void {
  const hardExit = (status: number): never => {
    abort.abort();
    store.close();
    process.exit(status);
  };
  for (const sig of Object.keys(SIGNAL_STATUS)) {
    process.on(sig, () => {
      const status = SIGNAL_STATUS[sig]!;
      if (commandEndsItselfOnSignal() && !command.signal.aborted) {
        ended.status = status;
        command.abort();
        setTimeout(() => hardExit(status), SELF_END_GRACE_MS).unref();
        return;
      }
      hardExit(status);
    });
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const abort = new AbortController();
  const command = new AbortController();
  const ended: { status?: number } = {};
  const store = HostStore.open(undefined, { signal: abort.signal });
  endOnSignals(store, abort, command, ended);
  try {
    const code = await run(args, store, command.signal);
    if (ended.status !== undefined) {
      // Cancelled waits may leave timers behind: end now, as for any other signal.
      store.close();
      process.exit(ended.status);
    }
    return code;
  } finally {
    // Closing lets SQLite checkpoint its write-ahead log into the database file.
    store.close();
  }
}

async function run(args: string[], store: HostStore, signal: AbortSignal): Promise<number> {
  // A one-shot command writes with write(2) (toolstack/stdio.ts); the REPL, a script and
  // the dashboard switch to node's streams below, as they read standard input anyway.
  const out = fdWriter(1);
  const err = fdWriter(2);
  const isTTY = isTerminal(1);
  const env: XlEnv = {
    signal,
    stdout: out,
    stderr: err,
    store,
    clock: new WallClock(),
    isTTY,
    color: wantsColor(isTTY),
    terminal: processTerminal(),
  };
  const useStreams = (): void => {
    quietOnBrokenPipe(process.stdout);
    quietOnBrokenPipe(process.stderr);
    env.stdout = (s) => void process.stdout.write(s);
    env.stderr = (s) => void process.stderr.write(s);
  };
  if (args.length === 1 && args[0] === '--help') {
    out(xlsimHelp());
    return 0;
  }
  if (args.length === 1 && args[0] === '--version') {
    out(`xlsim ${VERSION} (xl and xentop of Xen 4.20, on an emulated host; Node ${process.version})\n`);
    return 0;
  }
  if (args.length === 1 && args[0] === '--reset') {
    const backup = await store.reset(env.clock);
    err(
      backup
        ? `xlsim: a fresh host is in ${store.statePath}; the previous one is kept in ${backup} ('xlsim host restore-backup' brings it back)\n`
        : `xlsim: a fresh host is in ${store.statePath}\n`,
    );
    return 0;
  }
  const scriptFlags = args.filter((a) => a === '-k' || a === '--keep-going');
  if (scriptFlags.length === args.length && !process.stdin.isTTY) {
    // Piped or redirected input: a script of xl commands.
    useStreams();
    return runScript({ env, input: process.stdin, keepGoing: scriptFlags.length > 0 });
  }
  if (args.length === 0 && process.stdin.isTTY && process.stdout.isTTY) {
    useStreams();
    process.stdout.write("xlsim — the xl toolstack on an emulated Xen host. Type 'help' for the commands, 'exit' to leave.\n");
    return runRepl({
      env,
      input: process.stdin,
      output: process.stdout,
      terminal: true,
      historyFile: store.dir ? join(store.dir, 'history') : undefined,
      complete: replCompletion(store, env),
      takeOver: (words) => takeOver(words, store, env),
    });
  }
  const { sub, rest } = subcommandOf(args);
  if (sub === 'demo' || (sub !== undefined && lookupCommand(sub)?.name === 'top')) {
    useStreams();
    const { runTop } = await loaders.loadTui();
    return runTop(sub === 'demo' ? { demo: true, args: rest } : { store, demo: false, args: rest });
  }
  return runXl(args, env);
}

/**
 * The REPL's completion: command names and options from xl's table, domain names and
 * domids from a snapshot of the host taken at most every two seconds (Tab must answer at
 * once), file paths, and the named hosts of `$XLSIM_HOSTS`.
 */
function replCompletion(store: HostStore, env: XlEnv): (line: string) => Completion {
  let domains: string[] = [];
  let fetched = 0;
  const refresh = (): void => {
    if (Date.now() - fetched < 2000) return;
    fetched = Date.now();
    void store
      .read(env.clock, (h) => h.listDomains().flatMap((d) => [d.name, String(d.domid)]))
      .then((ds) => {
        domains = ds;
      })
      .catch(() => undefined);
  };
  refresh();
  const sources = fsSources(() => domains, store.dir);
  return (line) => {
    refresh();
    return complete(line, sources);
  };
}

/** Where named emulated hosts live: `$XLSIM_HOSTS`, else `hosts/` beside the state directory. */

/**
 * REPL lines that take over the screen: the dashboard (`top`), a console (`console`,
 * `create -c`) with the real terminal in raw mode. undefined = an ordinary command.
 */
function takeOver(words: string[], store: HostStore, env: XlEnv): Promise<number> | undefined {
  const name = lookupCommand(words[0]!)?.name;
  if (name === 'top') return loaders.loadTui().then(({ runTop }) => runTop({ store, demo: false, args: words.slice(1) }));
  if (name === 'console' || (name === 'create' && words.includes('-c'))) return runXl(words, { ...env, terminal: processTerminal() });
  return undefined;
}

/** How the CLI gets the dashboard: an ES module (Ink has top-level await), loaded only for `top`/`demo`. */
export interface CliLoaders {
  loadTui: () => Promise<{ runTop: typeof import('./tui/main.js').runTop }>;
}

let loaders: CliLoaders = {
  loadTui: () => Promise.reject(new Error('this build has no dashboard (start the CLI through bin/xlsim)')),
};

/**
 * Runs `xlsim` with the process's arguments and sets the exit status; never throws.
 * `with` replaces how the dashboard is loaded (bin/xlsim passes dist/tui.mjs).
 */
export function start(with_?: Partial<CliLoaders>): Promise<void> {
  loaders = { ...loaders, ...with_ };
  return main().then(
    (code) => setExitStatus(code),
    (e: unknown) => {
      fdWriter(2)(`xlsim: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

export * from './kernel.js';
