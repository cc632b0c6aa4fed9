/**
 * End-to-end: `xl remus` and `xl devd` with the built `bin/xlsim`, as a user runs them —
 * real processes and signals, the backup a detached `xlsim migrate-receive -r` child on
 * another state directory, devd a real daemon with a pidfile and a log. Times are real;
 * nothing asserts on them: every wait polls for something a user could see.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alive, sandbox, until, type Sandbox } from './helpers.js';

let sb: Sandbox;
/** Daemons started by a test, ended afterwards whatever happened. */
const daemons: number[] = [];

beforeEach(() => {
  sb = sandbox('xlsim-remus-e2e-');
});
afterEach(() => {
  for (const pid of daemons.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  sb.done();
});

/** Creates `web` (PVH, 64 MiB, a DRBD disk, a vif) and waits for its login prompt. */
async function bootWeb(): Promise<void> {
  const cfg = join(sb.root, 'web.cfg');
  writeFileSync(cfg, 'name="web"\ntype="pvh"\nkernel="/boot/vmlinuz"\nmemory=64\nvcpus=1\ndisk=["/dev/drbd1,raw,xvda,rw"]\nvif=["bridge=xenbr0"]\n');
  const r = sb.xlsim(['create', cfg]);
  expect(r.code, r.err).toBe(0);
  await until(() => /login: $/.test(sb.xlsim(['console', 'web']).out));
}

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;
const RUNNING = /^[r-][b-]----$/;

describe('xl remus', () => {
  it('-b: checkpoints to /dev/null until SIGINT, which ends it at once with 130; the guest runs on', async () => {
    await bootWeb();
    const remus = sb.start(['remus', '-F', '-b', '-i', '100', 'web', 'nowhere']);
    await until(() => count(remus.err(), /^xc: progress: Checkpointed save: /gm) >= 5);
    remus.child.kill('SIGINT');
    expect(await remus.exited).toBe(130);
    expect(remus.err()).not.toMatch(/Remus: |migration target/);
    expect(sb.list().web![1]).toMatch(RUNNING);
    expect(sb.xlsim(['console', 'web']).out).toMatch(/Restarting tasks \.\.\. done\.\r?\n/);
  });

  it('to localhost: the paused copy follows the checkpoints; interrupted, the copy takes over under its other name', async () => {
    await bootWeb();
    const remus = sb.start(['remus', '-i', '200', 'web', 'localhost']);
    await until(() => count(remus.err(), /^xc: info: All records processed$/gm) >= 3);
    expect(sb.list()['web--incoming']).toEqual([2, '--p---']);
    remus.child.kill('SIGINT');
    expect(await remus.exited).toBe(130);
    // The detached backup saw the stream end and failed over before the command returned.
    expect(remus.err()).toContain('migration target: Remus Failover for domain 2\n' +
      'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 2:Domain with name "web" already exists.\n' +
      'migration target (Remus): Failed to rename domain from web--incoming to web:-6\n');
    await until(() => RUNNING.test(sb.list()['web--incoming']?.[1] ?? ''));
    expect(sb.list().web![1]).toMatch(RUNNING);
  });

  it('to another host: destroying the primary fails over there under the domain\'s name; xl remus exits 0', async () => {
    await bootWeb();
    const remus = sb.start(['remus', '-i', '200', 'web', 'hostb']);
    const b = { XLSIM_HOME: join(sb.root, 'hosts', 'hostb') };
    await until(() => count(remus.err(), /^xc: info: All records processed$/gm) >= 2);
    expect(sb.list(b)['web--incoming']).toEqual([1, '--p---']);
    expect(sb.xlsim(['destroy', 'web']).code).toBe(0);
    expect(await remus.exited).toBe(0);
    expect(remus.err()).toContain('Remus: Primary domain has been destroyed.\n');
    expect(remus.err()).toMatch(/migration target: Remus Failover for domain 1\n$/);
    await until(() => RUNNING.test(sb.list(b).web?.[1] ?? ''));
    expect(Object.keys(sb.list(b))).toEqual(['Domain-0', 'web']);
    expect(Object.keys(sb.list())).toEqual(['Domain-0']);
    // its console: the boot, then the freezer's lines of each checkpoint's suspend, and the last resume
    expect(sb.xlsim(['console', 'web'], b).out).toMatch(/login: [\s\S]*Freezing user space processes[\s\S]*Restarting tasks \.\.\. done\.\r\n$/);
  });
});

describe('xl devd', () => {
  /** The devds `xlsim host show` lists. */
  const devds = () => [...sb.xlsim(['host', 'show']).out.matchAll(/^xl devd: pid (\d+), watching \/local\/domain\/0\/backend$/gm)].map((m) => Number(m[1]));

  it('-F runs in the foreground until SIGTERM (143), listed by host show meanwhile', async () => {
    const devd = sb.start(['devd', '-F']);
    daemons.push(devd.child.pid!);
    await until(() => devds().includes(devd.child.pid!));
    devd.child.kill('SIGTERM');
    expect(await devd.exited).toBe(143);
    expect(devd.out() + devd.err()).toBe('');
    expect(devds()).toEqual([]);
  });

  it('-p: the parent exits 0 at once; the daemon wrote its pid and its log, and ends on SIGTERM', async () => {
    const pidfile = join(sb.root, 'xldevd.pid');
    expect(sb.xlsim(['devd', '-p', pidfile])).toEqual({ code: 0, out: '', err: '' });
    const text = readFileSync(pidfile, 'utf8');
    expect(text).toMatch(/^\d+\n$/);
    const pid = Number(text);
    daemons.push(pid);
    expect(alive(pid)).toBe(true);
    expect(devds()).toEqual([pid]);
    expect(existsSync(join(sb.state, 'log', 'xldevd.log'))).toBe(true);
    // a second one rotates the log, as libxl_create_logfile does
    expect(sb.xlsim(['devd', `--pidfile=${join(sb.root, 'second.pid')}`]).code).toBe(0);
    const second = Number(readFileSync(join(sb.root, 'second.pid'), 'utf8'));
    daemons.push(second);
    expect(existsSync(join(sb.state, 'log', 'xldevd.log.1'))).toBe(true);
    expect(devds().sort((x, y) => x - y)).toEqual([pid, second].sort((x, y) => x - y));
    process.kill(pid, 'SIGTERM');
    process.kill(second, 'SIGTERM');
    await until(() => !alive(pid) && !alive(second));
    expect(devds()).toEqual([]);
  });

  it('a pidfile that cannot be written: the parent still exits 0; the daemon says why in its log and ends', async () => {
    const r = sb.xlsim(['devd', '-p', join(sb.root, 'no', 'such', 'dir', 'devd.pid')]);
    expect(r).toEqual({ code: 0, out: '', err: '' });
    const log = join(sb.state, 'log', 'xldevd.log');
    await until(() => readFileSync(log, 'utf8') !== '');
    expect(readFileSync(log, 'utf8')).toBe('Unable to open pidfile: No such file or directory\n');
    expect(devds()).toEqual([]);
  });
});
