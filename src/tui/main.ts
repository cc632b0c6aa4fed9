/**
 * `xlsim top` and `xlsim demo`: xentop over the emulated host.
 *
 * - `demo: true` boots an in-memory host on the wall clock and creates every config in
 *   the package's `examples/etc-xen/` with `xl create`, then shows the dashboard.
 * - `demo: false` reads the persistent state store on every refresh (locking it only for
 *   the read), so `xlsim create` in another terminal shows up at the next refresh.
 *
 * Options are xentop's (tools/xentop/xentop.c `main`, xl-commands.md §4.1): `-d -n -x -r
 * -v -b -i -f -z -h -V`. Batch mode (`-b`), and any run whose stdin or stdout is not a
 * terminal, prints xentop -b iterations (header + rows) instead of the Ink dashboard: raw
 * mode needs a TTY (stack-notes.md §C3.2). Ink and React are imported only when drawing,
 * in React's production build (`NODE_ENV=production` unless the caller set it).
 *
 * xlsim's own options come before or among xentop's: `--mouse` turns on mouse reports
 * (click selects, a click on the header sorts, the wheel scrolls). The UI settings (sort,
 * columns, delay, sections) are kept in `tui.json` in the state directory.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock, DomainInfo } from '../machine/api.js';
import { WallClock } from '../machine/clock.js';
import { Host } from '../machine/host.js';
import { runXl } from '../toolstack/program.js';
import { defaultStateDir, HostStore } from '../toolstack/store.js';
import type { CommandResult, TopSource } from './source.js';
import { archHost, drillHost, sampleHost } from './queries.js';
import { xlCompletionContext } from './complete.js';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, settingsPath, type UiSettings } from './settings.js';
import type { TopState } from './state.js';
import { DEFAULT_TOP_OPTIONS, formatBatch, type TopOptions, type TopSample } from './xentop.js';
import { idleScavenger } from './idle-gc.js';

/** Where `runTop` writes and whether it may draw. Defaults: the process's streams. */
export interface TopIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Both stdin and stdout are terminals (the interactive dashboard needs raw mode). */
  isTTY: boolean;
}

/** Options of `runTop`. */
export interface RunTopOptions {
  /** The persistent store to read (`demo: false`); default `HostStore.open()` ($XLSIM_HOME). */
  store?: HostStore;
  /** Boot an in-memory host with the example configs instead of reading the store. */
  demo: boolean;
  /** xentop's command-line arguments (after `top`), e.g. `['-b', '-i', '2', '-d', '1']`. */
  args?: string[];
  /** Output streams and terminal check; default the process's. */
  io?: TopIO;
  /** Time source; default a `WallClock`. Tests pass a `VirtualClock` (sleeps advance it). */
  clock?: Clock;
  /** Folder of configs the demo creates; default the package's `examples/etc-xen`. */
  examplesDir?: string;
  /** Where the UI settings are kept; default `tui.json` in the state directory; null = not kept. */
  settingsFile?: string | null;
}

/** xentop's parsed command line. */
export interface TopArgs {
  /** Seconds between refreshes (`-d`, atoi as xentop does; default 3). */
  delaySec: number;
  /** Refreshes before exiting (`-i`); undefined = until quit / SIGINT. */
  iterations?: number;
  batch: boolean;
  opts: TopOptions;
  help: boolean;
  version: boolean;
  /** getopt's complaint about a bad option (the usage follows it, exit 0 as in xentop). */
  error?: string;
  /** `-d` was given (it then wins over the saved delay). */
  delayGiven?: boolean;
  /** xlsim's `--mouse`: mouse reports on. */
  mouse?: boolean;
}

/**
 * Frames per second at most: Ink draws a frame at most every 1000/MAX_FPS ms (leading and
 * trailing), so bursts of key presses and host events draw once per interval. 60, not
 * fewer: a key pressed just after a refresh's frame waits for the rest of the interval,
 * which at 15 fps was up to 66 ms (the frames after a key whose wall time reached 70–77
 * ms in `npm run bench`); a refresh draws the same frames at any rate, so idle CPU does
 * not change. Holding a key down draws up to the key repeat rate instead of 15 a second.
 */
export const MAX_FPS = 60;

/** xentop's usage text (tools/xentop/xentop.c `usage`, Xen 4.20: no `-p`). */
export const TOP_USAGE =
  'Usage: xentop [OPTION]\n' +
  'Displays ongoing information about xen vm resources \n\n' +
  '-h, --help           display this help and exit\n' +
  '-V, --version        output version information and exit\n' +
  '-d, --delay=SECONDS  seconds between updates (default 3)\n' +
  '-n, --networks       output vif network data\n' +
  '-x, --vbds           output vbd block device data\n' +
  '-r, --repeat-header  repeat table header before each domain\n' +
  '-v, --vcpus          output vcpu data\n' +
  '-b, --batch\t     output in batch mode, no user input accepted\n' +
  '-i, --iterations     number of iterations before exiting\n' +
  '-f, --full-name      output the full domain name (not truncated)\n' +
  '-z, --dom0-first     display dom0 first (ignore sorting)\n' +
  '\nReport bugs to <xen-devel@lists.xenproject.org>.\n';

/** xentop's `-V` text (tools/xentop/xentop.c `version`). */
export const TOP_VERSION =
  'xentop 1.0\n\n' +
  'Written by Judy Fischbach, David Hendricks, and Josh Triplett.\n\n' +
  'Copyright 2005 IBM Corp.\n' +
  'This is free software; see the source for copying conditions.  There is NO\n' +
  'warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n';

/** C `atoi`: leading blanks, optional sign, digits; anything else stops; no digits = 0. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1]!, 10) : 0;
}

const LONG: Record<string, string> = {
  help: 'h',
  version: 'V',
  delay: 'd',
  networks: 'n',
  vbds: 'x',
  'repeat-header': 'r',
  vcpus: 'v',
  batch: 'b',
  iterations: 'i',
  'full-name': 'f',
  'dom0-first': 'z',
};

/**
 * Parse xentop's options with getopt_long's rules (`hVbnvd:frxi:z`, clustered short
 * options, `--name=value` or `--name value`, unique long-option prefixes). Never throws:
 * a bad option sets `error` (getopt's message) and `help`.
 */
export function parseTopArgs(argv: readonly string[]): TopArgs {
  // xlsim's --mouse is taken out before getopt sees xentop's options.
  const args = argv.filter((a) => a !== '--mouse');
  const r: TopArgs = { delaySec: 3, batch: false, opts: { ...DEFAULT_TOP_OPTIONS }, help: false, version: false };
  const apply = (c: string, value: string | undefined): void => {
    switch (c) {
      case 'h':
        r.help = true;
        break;
      case 'V':
        r.version = true;
        break;
      case 'd':
        r.delaySec = atoi(value ?? '');
        r.delayGiven = true;
        break;
      case 'i': {
        const n = atoi(value ?? '');
        // xentop: `if (!loop && !(--iterations)) break;` — 0 or less never reaches 0.
        r.iterations = n > 0 ? n : undefined;
        break;
      }
      case 'n':
        r.opts.networks = true;
        break;
      case 'x':
        r.opts.vbds = true;
        break;
      case 'r':
        r.opts.repeatHeader = true;
        break;
      case 'v':
        r.opts.vcpus = true;
        break;
      case 'b':
        r.batch = true;
        break;
      case 'f':
        r.opts.fullName = true;
        break;
      case 'z':
        r.opts.dom0First = true;
        break;
    }
  };
  if (args.length !== argv.length) r.mouse = true;
  const fail = (msg: string): TopArgs => ({ ...r, help: true, error: msg });
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const exact = LONG[name] !== undefined ? [name] : Object.keys(LONG).filter((k) => k.startsWith(name));
      if (exact.length !== 1) {
        return fail(exact.length === 0 ? `xentop: unrecognized option '${a}'\n` : `xentop: option '${a}' is ambiguous\n`);
      }
      const c = LONG[exact[0]!]!;
      const takes = c === 'd' || c === 'i';
      if (takes) {
        let v = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) return fail(`xentop: option '--${exact[0]}' requires an argument\n`);
        apply(c, v);
      } else {
        if (eq >= 0) return fail(`xentop: option '--${exact[0]}' doesn't allow an argument\n`);
        apply(c, undefined);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (!'hVbnvdfrxiz'.includes(c)) return fail(`xentop: invalid option -- '${c}'\n`);
        if (c === 'd' || c === 'i') {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return fail(`xentop: option requires an argument -- '${c}'\n`);
          apply(c, v);
          break;
        }
        apply(c, undefined);
      }
    }
    // Operands are ignored, as xentop ignores them.
  }
  return r;
}

/**
 * The package's `examples/etc-xen` folder: searched upwards from this module, since it
 * sits two levels below the package root in `src/tui/` and one level below in the
 * `dist/` bundle. undefined if not found.
 */
export function findExamplesDir(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const cand = join(dir, 'examples', 'etc-xen');
    if (existsSync(cand)) return cand;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** Thrown into a command whose run was cancelled: its next wait ends with it. */
class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * `clock` whose waits end at once with `Cancelled` when `signal` fires: a command that
 * waits (xl shutdown waiting for the guest's acknowledgement) stops at its next wait,
 * never inside a write transaction (waits happen between them).
 */
export function cancellableClock(clock: Clock, signal: AbortSignal | undefined): Clock {
  if (!signal) return clock;
  return {
    now: () => clock.now(),
    sleepUntil: (ms) => {
      if (signal.aborted) return Promise.reject(new Cancelled());
      if (clock instanceof WallClock) {
        // Own timers, cleared on abort: a cancelled wait leaves nothing that keeps the
        // process alive after the dashboard quits.
        return new Promise<void>((resolve, reject) => {
          let timer: NodeJS.Timeout | undefined;
          const onAbort = (): void => {
            if (timer) clearTimeout(timer);
            reject(new Cancelled());
          };
          const tick = (): void => {
            const left = ms - clock.now();
            if (!(left > 0)) {
              signal.removeEventListener('abort', onAbort);
              resolve();
            } else timer = setTimeout(tick, Math.min(left, 2 ** 31 - 1));
          };
          signal.addEventListener('abort', onAbort, { once: true });
          tick();
        });
      }
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(new Cancelled());
        signal.addEventListener('abort', onAbort, { once: true });
        clock.sleepUntil(ms).then(
          () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
          (e: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(e);
          },
        );
      });
    },
  };
}

/** Run one xl command against `store`, capturing its output. Never throws. */
async function capture(store: HostStore, clock: Clock, argv: string[], signal?: AbortSignal): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const code = await runXl(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    store,
    clock: cancellableClock(clock, signal),
    isTTY: false,
  });
  return signal?.aborted ? { code, stdout, stderr, cancelled: true } : { code, stdout, stderr };
}

/**
 * A `TopSource` over a state store: every read sees the host advanced to `clock.now()`
 * and reads only what the request names (`queries.ts`); actions and palette commands run
 * through `runXl`. A directory store is only read (a snapshot: nothing written, no lock)
 * except for console input; the in-memory demo store keeps the advanced host, so it does
 * not replay the same events on every refresh. `cfgPaths` names the cfg file of domains
 * the dashboard created (by domain name).
 */
export function storeSource(store: HostStore, clock: Clock, cfgPaths: Map<string, string> = new Map()): TopSource {
  const look = <T>(fn: (host: Host) => T): Promise<T> => {
    if (store.dir !== undefined) return store.read(clock, fn);
    let out: T | undefined;
    return store.withHost(clock, async (host) => ((out = fn(host)), 0)).then(() => out as T);
  };
  const change = (fn: (host: Host) => void): Promise<string | undefined> =>
    store
      .withHost(clock, async (host) => (fn(host), 0))
      .then(() => undefined)
      .catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
  return {
    sample: (req) => look((host) => sampleHost(host, req)),
    consoleSince: (domid, offset) => look((host) => host.consoleSince(domid, offset)),
    consoleInput: (domid, bytes) => change((host) => host.consoleInput(domid, bytes)),
    drill: (domid, opts) => look((host) => drillHost(host, domid, cfgPaths.get(host.domain(domid)?.name ?? ''), opts?.xenstore ?? true)),
    arch: (domids) => look((host) => archHost(host, domids)),
    run: async (argv, opts) => {
      const r = await capture(store, clock, argv, opts?.signal);
      // Remember the cfg file of a domain created from the palette, for its drill-down.
      const file = argv[0] === 'create' ? argv.slice(1).find((a) => !a.startsWith('-') && !a.includes('=')) : undefined;
      if (r.code === 0 && file !== undefined && !argv.includes('-n') && !argv.includes('--dryrun')) {
        const name = await look((host) => host.listDomains().reduce((a, d) => (a === undefined || d.startTime >= a.startTime ? d : a), undefined as DomainInfo | undefined)?.name);
        if (name) cfgPaths.set(name, resolvePath(file));
      }
      return r;
    },
    withdrawShutdown: (domid) =>
      change((host) => {
        if (host.xenstoreRead(`/local/domain/${domid}/control/shutdown`)) host.withdrawShutdown(domid);
      }).then(() => undefined),
  };
}

/**
 * Create every `*.cfg` in `dir` (sorted by file name) with `xl create` on `store`.
 * Returns one line per config that failed (xl's first stderr line), empty when all booted.
 * `created`, when given, receives each created domain's name → cfg path.
 */
export async function bootExamples(store: HostStore, clock: Clock, dir: string, created?: Map<string, string>): Promise<string[]> {
  const failures: string[] = [];
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.cfg'))
      .sort();
  } catch (e) {
    return [`cannot read ${dir}: ${e instanceof Error ? e.message : String(e)}`];
  }
  for (const f of files) {
    const r = await capture(store, clock, ['create', '-q', join(dir, f)]);
    if (r.code === 0 && created) {
      const name = await store.read(clock, (h) => h.listDomains().at(-1)?.name);
      if (name) created.set(name, join(dir, f));
    }
    if (r.code !== 0) {
      const why = r.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit ${r.code}`;
      failures.push(`${f}: ${why}`);
    }
  }
  return failures;
}

function processIO(): TopIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: process.stdin.isTTY === true && process.stdout.isTTY === true,
  };
}

/** Alternate screen on/off (xterm private mode 1049); Ink 6.8 has no option for it (stack-notes.md §C2). */
const ALT_ON = '\x1b[?1049h';
const ALT_OFF = '\x1b[?1049l';

/**
 * Batch mode: `iterations` times (forever if undefined) print header + rows, then sleep
 * `delaySec`, until SIGINT/SIGTERM (xentop.c `main`, batch branch).
 */
async function runBatch(source: TopSource, clock: Clock, a: TopArgs, io: TopIO): Promise<number> {
  let stop = false;
  let wake: (() => void) | undefined;
  const onSignal = (): void => {
    stop = true;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    let prev: TopSample | undefined;
    for (let n = 1; !stop; n++) {
      const cur = await source.sample({ detail: 'all' });
      io.stdout(formatBatch(cur, prev, 'NAME', a.opts));
      prev = cur;
      if (a.iterations !== undefined && n >= a.iterations) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        void clock.sleepUntil(clock.now() + Math.max(0, a.delaySec) * 1000).then(resolve);
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}

/** Mouse reports on (button presses and the wheel, SGR coordinates) and off (xterm private modes 1000 and 1006). */
const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
const MOUSE_OFF = '\x1b[?1006l\x1b[?1000l';

/** What the saved settings and the command line give the dashboard: the command line wins where it says something. */
export function startSettings(saved: UiSettings, a: TopArgs): { delaySec: number; opts: TopOptions; sortField: UiSettings['sortField']; reverse: boolean; cols: UiSettings['cols'] } {
  return {
    delaySec: a.delayGiven && a.delaySec > 0 ? a.delaySec : saved.delaySec,
    opts: {
      ...a.opts,
      networks: a.opts.networks || saved.sections.networks,
      vbds: a.opts.vbds || saved.sections.vbds,
      vcpus: a.opts.vcpus || saved.sections.vcpus,
      repeatHeader: a.opts.repeatHeader || saved.sections.repeatHeader,
    },
    sortField: saved.sortField,
    reverse: saved.reverse,
    cols: saved.cols,
  };
}

/** The settings to save from the dashboard's state. */
export function settingsOf(s: Pick<TopState, 'sortField' | 'reverse' | 'cols' | 'delaySec' | 'opts'>): UiSettings {
  return {
    sortField: s.sortField,
    reverse: s.reverse,
    cols: s.cols,
    delaySec: s.delaySec,
    sections: { networks: s.opts.networks, vbds: s.opts.vbds, vcpus: s.opts.vcpus, repeatHeader: s.opts.repeatHeader },
  };
}

/** The interactive dashboard on the alternate screen; restores the screen on exit and on SIGINT/SIGTERM. */
async function runInteractive(source: TopSource, a: TopArgs, message: string | undefined, file: string | null, cfgPaths: ReadonlyMap<string, string>, stateDir: string | undefined): Promise<number> {
  // React's development build costs several times the CPU per frame; ship the production one.
  process.env.NODE_ENV ??= 'production';
  const [{ render }, React, { TopApp }] = await Promise.all([import('ink'), import('react'), import('./app.js')]);
  const saved = file ? loadSettings(file) : undefined;
  const start = startSettings(saved ?? { ...DEFAULT_SETTINGS, delaySec: a.delaySec > 0 ? a.delaySec : 3 }, { ...a, delayGiven: saved ? a.delayGiven : false });
  let pending: UiSettings | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending && file) saveSettings(file, pending);
    pending = undefined;
  };
  const onSettings = (st: TopState): void => {
    if (!file) return;
    pending = settingsOf(st);
    if (!timer) timer = setTimeout(flush, 1000);
  };
  process.stdout.write(ALT_ON + (a.mouse ? MOUSE_ON : ''));
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    process.stdout.write((a.mouse ? MOUSE_OFF : '') + ALT_OFF);
  };
  process.on('exit', restore);
  let unmount: (() => void) | undefined;
  const onSignal = (): void => unmount?.();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const instance = render(
      React.createElement(TopApp, {
        source,
        delaySec: start.delaySec,
        opts: start.opts,
        settings: saved ? { sortField: start.sortField, reverse: start.reverse, cols: start.cols } : undefined,
        onSettings,
        iterations: a.iterations,
        initialMessage: message,
        cfgPaths,
        completion: (domains: { name: string; domid: number }[]) => xlCompletionContext(domains, stateDir),
        scavenger: idleScavenger(),
      }),
      // Not `incrementalRendering`: Ink 6.8's incremental log-update (build/log-update.js
      // createIncremental) moves the cursor up one line too few when the frame ends with
      // the newline Ink adds below full height, so every later frame lands one row low and
      // the column header and key bar vanish. The standard writer erases and redraws the
      // frame in one synchronized-output write, which does not flicker.
      // Ctrl-C reaches the app (the console pane sends it to the guest; elsewhere it quits).
      { exitOnCtrlC: false, patchConsole: false, maxFps: MAX_FPS },
    );
    unmount = () => instance.unmount();
    await instance.waitUntilExit();
  } finally {
    flush();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', restore);
    restore();
  }
  return 0;
}

/**
 * Entry point of `xlsim top` and `xlsim demo`. Resolves to the exit status; never
 * throws — store and boot failures are printed as one `xlsim: …` line (status 1).
 * `-h` / a bad option print xentop's usage on stdout (status 0, as xentop), `-V` its version.
 */
export async function runTop(opts: RunTopOptions): Promise<number> {
  const io = opts.io ?? processIO();
  const a = parseTopArgs(opts.args ?? []);
  if (a.error) io.stderr(a.error);
  if (a.help) {
    io.stdout(TOP_USAGE);
    return 0;
  }
  if (a.version) {
    io.stdout(TOP_VERSION);
    return 0;
  }
  const clock = opts.clock ?? new WallClock();
  try {
    let store: HostStore;
    let message: string | undefined;
    const cfgPaths = new Map<string, string>();
    if (opts.demo) {
      store = HostStore.inMemory({ host: Host.create(clock) });
      const dir = opts.examplesDir ?? findExamplesDir();
      if (dir === undefined) {
        message = 'demo: examples/etc-xen not found; showing Domain-0 only';
      } else {
        const failed = await bootExamples(store, clock, dir, cfgPaths);
        if (failed.length > 0) message = `demo: ${failed.length} config(s) failed: ${failed.join('; ')}`;
      }
    } else {
      store = opts.store ?? HostStore.open();
    }
    const source = storeSource(store, clock, cfgPaths);
    if (a.batch || !io.isTTY) {
      if (message) io.stderr(`xlsim: ${message}\n`);
      // Without a terminal and without -b: one iteration, as the brief for `xlsim top | …` asks.
      return await runBatch(source, clock, a.batch ? a : { ...a, iterations: 1 }, io);
    }
    const file = opts.settingsFile === null ? null : (opts.settingsFile ?? settingsPath(store.dir ?? defaultStateDir()));
    return await runInteractive(source, a, message, file, cfgPaths, store.dir);
  } catch (e) {
    io.stderr(`xlsim: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
