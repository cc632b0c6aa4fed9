/**
 * Golden tests of `xl devd` in-process (an in-memory host, a scripted virtual clock) and
 * of its file handling. Expected texts from Xen 4.20.0 tools/xl/xl_cmdtable.c ("devd"),
 * xl_misc.c `main_devd`, xl_utils.c `do_daemonize` (pidfile: O_RDWR|O_CREAT, 0600,
 * `<pid>\n`, perror's "Unable to open pidfile") and libxl_utils.c `libxl_create_logfile`
 * (rotation to .1 … .10). The daemonizing path runs real processes: test/e2e/remus-devd.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogfile, liveDevds, writePidfile } from '../../src/toolstack/commands/devd.js';
import { HostStore } from '../../src/toolstack/store.js';
import { runXl } from '../../src/toolstack/program.js';
import { harness, ScriptClock, T0 } from './helpers.js';

const DEVD_HELP =
  'Usage: xl [-vtTf] devd [options]\n' +
  '\n' +
  'Daemon that listens for devices and launches backends.\n' +
  '\n' +
  'Options:\n' +
  '\n' +
  '-F                      Run in the foreground.\n' +
  '-p, --pidfile [FILE]    Write PID to pidfile when daemonizing.\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xlsim-devd-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('xl devd', () => {
  it('help and getopt errors (xl_cmdtable.c, SWITCH_FOREACH_OPT "Fp:")', async () => {
    const h = harness();
    expect(await h.run('devd -h')).toEqual({ code: 0, out: DEVD_HELP, err: '' });
    expect(await h.run('devd -x')).toEqual({ code: 2, out: '', err: "option `x' not supported.\n" });
    expect(await h.run('devd -F -p')).toEqual({ code: 2, out: '', err: "option `p' not supported.\n" });
  });

  it('an in-memory host cannot be handed to a daemon: refused, exit 1', async () => {
    const h = harness();
    const want = { code: 1, out: '', err: 'xlsim: devd cannot daemonize with an in-memory host (the daemon could not reach it); run it with -F\n' };
    expect(await h.run('devd')).toEqual(want);
    expect(await h.run(`devd --pidfile=${join(dir, 'p')}`)).toEqual(want);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('-F: runs until cancelled (Ctrl-C), its watch recorded meanwhile; -p is ignored; exit 130', async () => {
    const clock = new ScriptClock(T0);
    const abort = new AbortController();
    const h = harness({}, { clock, signal: abort.signal });
    const seen: string[] = [];
    clock.at(T0 + 3_600_000, async () => {
      const host = h.store.memoryHost(clock)!;
      seen.push(...host.ha.devds().map(String));
      seen.push(...host.xenstoreWatchers('/local/domain/0/backend/vbd').map((w) => `${w.domid} ${w.path} ${w.token}`));
      abort.abort();
    });
    const r = await h.run(`devd -F -p ${join(dir, 'devd.pid')} extra operands`);
    expect(r).toEqual({ code: 130, out: '', err: '' });
    expect(seen).toEqual([String(process.pid), `0 /local/domain/0/backend xldevd/${process.pid}`]);
    expect(h.store.memoryHost(clock)!.ha.devds()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('`xlsim host show` lists a running devd', async () => {
    const clock = new ScriptClock(T0);
    const abort = new AbortController();
    const h = harness({}, { clock, signal: abort.signal });
    let shown = '';
    clock.at(T0 + 120_000, async () => {
      let out = '';
      await runXl(['host', 'show'], { ...h.env, signal: undefined, stdout: (s) => void (out += s) });
      shown = out.split('\n').filter((l) => l.startsWith('xl devd')).join('\n');
      abort.abort();
    });
    expect((await h.run('devd -F')).code).toBe(130);
    expect(shown).toBe(`xl devd: pid ${process.pid}, watching /local/domain/0/backend`);
    expect((await h.run('host show')).out).not.toMatch(/xl devd/);
  });
});

describe('records and failures outside the host', () => {
  it('the record of a devd that was killed is not listed (its xenstore connection would be gone)', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    expect(liveDevds([process.pid, dead], false)).toEqual([process.pid]);
    expect(liveDevds([process.pid, dead], true)).toEqual([process.pid, dead]);
  });

  it('a log file that cannot be opened: xl\'s daemonizing child says so, the parent reports it, exit 253', async () => {
    const store = HostStore.open(join(dir, 'state'));
    try {
      const h = harness();
      mkdirSync(join(dir, 'state'));
      writeFileSync(join(dir, 'state', 'log'), 'not a directory');
      let err = '';
      const code = await runXl(['devd'], { ...h.env, store, stderr: (x) => void (err += x) });
      expect(code).toBe(253);
      expect(err).toBe(
        `failed to open logfile ${join(dir, 'state', 'log', 'xldevd.log')}: File exists\n` +
        `libxl: error: libxl_exec.c:118:libxl_report_child_exitstatus: domain monitoring daemonizing child [${process.pid}] exited with error status 255\n`);
    } finally {
      store.close();
    }
  });
});

describe('the daemon\'s files', () => {
  it('the pidfile: "<pid>\\n" at its start, not truncated, mode 0600; perror when it cannot be opened', () => {
    const p = join(dir, 'devd.pid');
    expect(writePidfile(p, 4242)).toBeUndefined();
    expect(readFileSync(p, 'utf8')).toBe('4242\n');
    expect(statSync(p).mode & 0o777).toBe(0o600);
    writeFileSync(p, '123456789\n');
    expect(writePidfile(p, 42)).toBeUndefined();
    expect(readFileSync(p, 'utf8')).toBe('42\n456789\n');
    expect(writePidfile(join(dir, 'no/such/dir/devd.pid'), 1)).toBe('Unable to open pidfile: No such file or directory\n');
  });

  it('the log: xldevd.log, rotated to .1 … .10 as libxl_create_logfile does', () => {
    expect(createLogfile(dir, 'xldevd')).toBe(join(dir, 'xldevd.log'));
    expect(readdirSync(dir)).toEqual([]);
    for (let i = 0; i < 12; i++) {
      writeFileSync(join(dir, 'xldevd.log'), `run ${i}\n`);
      expect(createLogfile(dir, 'xldevd')).toBe(join(dir, 'xldevd.log'));
    }
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['xldevd.log.1', 'xldevd.log.10', ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `xldevd.log.${n}`)]);
    expect(readFileSync(join(dir, 'xldevd.log.1'), 'utf8')).toBe('run 11\n');
    expect(readFileSync(join(dir, 'xldevd.log.10'), 'utf8')).toBe('run 2\n');
  });
});
