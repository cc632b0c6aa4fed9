/**
 * `xl devd [-F] [-p FILE | --pidfile=FILE]`: the device daemon of a driver domain, which
 * watches the domain's `backend` directory in xenstore and runs the hotplug scripts of the
 * backends that appear there (Xen 4.20.0 tools/xl/xl_misc.c `main_devd`, xl_utils.c
 * `do_daemonize`, libxl_utils.c `libxl_create_logfile`, libxl_device.c
 * `libxl_device_events_handler`; tools/hotplug/Linux/init.d/xendriverdomain.in runs
 * `xl devd --pidfile=…`).
 *
 * In xlsim the machine itself serves every backend, so devd is bookkeeping: while it runs,
 * the host records its watch (Domain-0's watch on `/local/domain/0/backend`, token
 * `xldevd/<pid>`: machine ha.ts), `xlsim host show` lists it, and it runs no script (no
 * hotplug script from a config is ever executed).
 *
 * - Without `-F` xl daemonizes (`do_daemonize("xldevd", pidfile)`): the log file
 *   `xldevd.log` is rotated as libxl does (`.1` … `.10`) in the host's log directory
 *   (`$XLSIM_HOME/log`, the emulated `/var/log/xen`), the daemon gets it as stdout and
 *   stderr, a session of its own and `/` as working directory (`daemon(0, 1)`: a
 *   relative `-p` path is relative to `/`), writes its pid and a newline to the pidfile
 *   (opened without truncating, mode 0600; on failure `Unable to open pidfile: <error>` in
 *   the log and the daemon exits 1), and the command exits 0. xlsim's parent returns once
 *   the daemon has written its pidfile and recorded its watch (or died), so a script can
 *   read the pidfile at once; xl's may return a moment before. An in-memory host (tests,
 *   the demo) cannot be shared with a daemon: devd without `-F` is refused there, exit 1.
 * - `-F`: in the foreground until SIGINT or SIGTERM (Ctrl-C at the prompt), which end it
 *   cleanly: the watch is removed, exit 130 / 143. `-p` is ignored, as in xl.
 * Extra operands are ignored, as xl's getopt loop does.
 */
import type { spawn as Spawn } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { XlCommandModule, CommandContext } from '../command.js';
import { libxlLine } from '../format/log.js';
import { CancelledError, endsItselfOnSignal, strerror } from '../io.js';
import { lazyRequire } from '../lazy-require.js';
import { selfCommand } from './migrate.js';

/** Set in a daemonized devd's environment: its pidfile ('' for none). */
export const DEVD_DAEMON_ENV = 'XLSIM_DEVD_DAEMON';
/** xl's name for the daemon and its log (`do_daemonize("xldevd", …)`). */
export const DEVD_NAME = 'xldevd';
/** How often the foreground loop wakes (it has nothing to do: the machine serves the backends), ms. */
const IDLE_MS = 60_000;

/** The errno name of a Node error, 'EIO' when it has none. */
function codeOf(e: unknown): string {
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' ? c : 'EIO';
}

/**
 * libxl_utils.c `libxl_create_logfile(name)` in `dir`: an existing `<name>.log` is rotated
 * (`.log.10` removed, `.log.N` → `.log.N+1`, `.log` → `.log.1`; missing files skipped).
 * Returns the path to open. Throws the file system's error.
 */
export function createLogfile(dir: string, name: string): string {
  const log = join(dir, `${name}.log`);
  if (existsSync(log)) {
    rmSync(`${log}.10`, { force: true });
    for (let i = 9; i > 0; i--) {
      try {
        renameSync(`${log}.${i}`, `${log}.${i + 1}`);
      } catch (e) {
        if (codeOf(e) !== 'ENOENT') throw e;
      }
    }
    renameSync(log, `${log}.1`);
  }
  return log;
}

/**
 * xl_utils.c `do_daemonize`'s pidfile: `open(pidfile, O_RDWR | O_CREAT, S_IRUSR|S_IWUSR)`,
 * then `<pid>\n` at its start (no truncation). Returns perror's line on failure.
 */
export function writePidfile(path: string, pid: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o600);
  } catch (e) {
    return `Unable to open pidfile: ${strerror(codeOf(e))}\n`;
  }
  try {
    writeSync(fd, `${pid}\n`, 0);
  } catch (e) {
    closeSync(fd);
    return `Writing pid: ${strerror(codeOf(e))}\n`;
  }
  closeSync(fd);
  return undefined;
}

/** Whether process `pid` is alive here (a devd record of a killed process is stale, as its xenstore connection would be gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return codeOf(e) === 'EPERM';
  }
}

/**
 * The devds recorded on the host whose process is still alive (every record of an
 * in-memory host, which lives in this process).
 */
export function liveDevds(pids: number[], inMemory: boolean): number[] {
  return inMemory ? pids : pids.filter(alive);
}

/** `do_daemonize("xldevd", pidfile)` in the parent: see the module comment. Returns the exit status. */
async function daemonize(ctx: CommandContext, pidfile: string | undefined): Promise<number> {
  const dir = ctx.env.store.dir;
  if (dir === undefined) {
    ctx.err('xlsim: devd cannot daemonize with an in-memory host (the daemon could not reach it); run it with -F\n');
    return 1;
  }
  const logDir = join(dir, 'log');
  let log = join(logDir, `${DEVD_NAME}.log`);
  let fd: number;
  try {
    mkdirSync(logDir, { recursive: true });
    log = createLogfile(logDir, DEVD_NAME);
    fd = openSync(log, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o644);
  } catch (e) {
    // xl's daemonizing child says so and exits -1; the parent reports it and returns ERROR_FAIL.
    ctx.err(`failed to open logfile ${log}: ${strerror(codeOf(e))}\n`);
    ctx.err(libxlLine('error', { file: 'libxl_exec.c', line: 118, func: 'libxl_report_child_exitstatus' }, undefined,
      `domain monitoring daemonizing child [${process.pid}] exited with error status 255`));
    return 253;
  }
  const [node, bin] = selfCommand();
  // node:child_process is loaded here, not at start-up (as for migrate's transport).
  const { spawn } = lazyRequire<{ spawn: typeof Spawn }>('node:child_process');
  const child = spawn(node, [bin, 'devd', '-F'], {
    cwd: '/',
    detached: true,
    stdio: ['ignore', fd, fd, 'pipe'],
    env: { ...process.env, XLSIM_HOME: dir, [DEVD_DAEMON_ENV]: pidfile ?? '' },
  });
  closeSync(fd);
  const ready = child.stdio[3] as NodeJS.ReadableStream & { destroy(): void };
  await new Promise<void>((resolve) => {
    ready.on('data', () => resolve());
    ready.on('end', () => resolve());
    ready.on('error', () => resolve());
    child.on('error', () => resolve());
    child.on('exit', () => resolve());
  });
  ready.destroy();
  child.unref();
  return 0;
}

/**
 * The daemon (or `-F`): `libxl_device_events_handler` until the command is cancelled.
 * `daemon`: this process is the daemonized devd (pidfile, readiness on fd 3).
 */
async function serve(ctx: CommandContext, daemon: { pidfile: string } | undefined): Promise<number> {
  const pid = process.pid;
  if (daemon?.pidfile) {
    const failed = writePidfile(daemon.pidfile, pid);
    if (failed) {
      ctx.err(failed);
      return 1;
    }
  }
  const release = endsItselfOnSignal();
  const inMemory = ctx.env.store.dir === undefined;
  try {
    await ctx.withHost(async (host) => {
      const recorded = host.ha.devds();
      const live = new Set(liveDevds(recorded, inMemory));
      for (const p of recorded) if (!live.has(p)) host.ha.devdStop(p);
      host.ha.devdStart(pid);
      return 0;
    });
    if (daemon) {
      try {
        writeSync(3, 'ready\n');
        closeSync(3);
      } catch {
        // nobody waits for us (the variable was set by hand)
      }
    }
    const clock = ctx.env.clock;
    for (;;) await clock.sleepUntil(clock.now() + IDLE_MS);
  } catch (e) {
    if (e instanceof CancelledError) {
      await ctx.withHost(async (host) => {
        host.ha.devdStop(pid);
        return 0;
      });
    }
    throw e;
  } finally {
    release();
  }
}

/** `xl devd`: see the module comment. */
export const devdCommand: XlCommandModule = {
  name: 'devd',
  minArgs: 0,
  options: (cmd) => cmd.option('-F').option('-p, --pidfile <file>'),
  async run(ctx) {
    const o = ctx.opts as { F?: boolean; pidfile?: string };
    if (!o.F) return daemonize(ctx, o.pidfile);
    const marked = process.env[DEVD_DAEMON_ENV];
    return serve(ctx, marked === undefined || ctx.env.store.dir === undefined ? undefined : { pidfile: marked });
  },
};
