/**
 * End-to-end: save, restore and migration with the built `bin/xlsim`, as a user or a
 * script runs them — real processes, real files, the migration stream over a real pipe
 * to a child `xlsim migrate-receive`, other hosts as state directories. Times are
 * real here (the link is 1 GiB/s, guests are small); nothing asserts on them: waits
 * poll for an observable condition.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/xlsim');
let root: string;
let state: string;

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, XLSIM_HOME: state, HOME: root, PATH: `${join(ROOT, 'bin')}:${process.env.PATH ?? ''}`, CI: 'true', ...extra };
  delete e.NODE_EXTRA_CA_CERTS;
  delete e.XLSIM_HOSTS;
  delete e.XLSIM_LINK_MIBPS;
  Object.assign(e, extra);
  return e;
}

function xlsim(args: string[], extra: NodeJS.ProcessEnv = {}): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: env(extra), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** `xlsim list` as name → [domid, state]. */
function list(extra: NodeJS.ProcessEnv = {}): Record<string, [number, string]> {
  const r = xlsim(['list'], extra);
  expect(r.code, r.err).toBe(0);
  return Object.fromEntries(r.out.split('\n').slice(1, -1).map((l) => {
    const f = l.split(/\s+/);
    return [f[0]!, [Number(f[1]), f[4]!]];
  }));
}

/** Polls `cond` until it holds (real time, at most `ms`). */
async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Creates a guest from a small cfg and waits until it has booted to its login prompt. */
async function bootGuest(name: string, memory = 64, extra: NodeJS.ProcessEnv = {}): Promise<void> {
  const cfg = join(root, `${name}.cfg`);
  writeFileSync(cfg, `name="${name}"\ntype="pvh"\nkernel="/boot/vmlinuz"\nmemory=${memory}\nvcpus=1\ndisk=["/dev/vg/${name},raw,xvda,rw"]\nvif=["bridge=xenbr0"]\n`);
  const r = xlsim(['create', cfg], extra);
  expect(r.code, r.err).toBe(0);
  await until(() => /login: $/.test(xlsim(['console', name], extra).out));
}

/** Uptime of `name` in seconds (`xl uptime`). */
function uptime(name: string, extra: NodeJS.ProcessEnv = {}): number {
  const line = xlsim(['uptime', name], extra).out.split('\n')[1]!;
  const m = /(?:(\d+) days?, )?(\d+):(\d+):(\d+)\s*$/.exec(line) ?? /(\d+)$/.exec(line)!;
  return m.length > 2 ? Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) : Number(m[1]);
}

/** The migration stderr with the pid and the summary line made constant. */
function normal(err: string): string {
  return err.replace(/\[\d+\]/g, '[PID]').replace(/^xlsim: migration: .*$/m, 'SUMMARY').replace(/info 0x3\/0x0\/\d+/g, 'info 0x3/0x0/N');
}

const HANDSHAKE =
  'migration target: Ready to receive domain.\n' +
  'Saving to migration stream new xl format (info 0x3/0x0/N)\n' +
  'xc: info: Saving domain 1, type x86 HVM\n' +
  'Loading new save file <incoming migration stream> (new xl fmt info 0x3/0x0/N)\n' +
  ' Savefile contains xl domain config in JSON format\n' +
  'Parsing config from <saved>\n' +
  'xc: info: Found x86 HVM domain from Xen 4.20\n' +
  'xc: info: Restoring domain\n' +
  'xc: info: Restore successful\n' +
  'xc: info: XenStore: mfn 0xfeffc, dom 0, evt 1\n' +
  'xc: info: Console: mfn 0xfeffd, dom 0, evt 2\n' +
  'migration target: Transfer complete, requesting permission to start domain.\n' +
  'migration sender: Target has acknowledged transfer.\n' +
  'migration sender: Giving target permission to start.\n' +
  'migration target: Got permission, starting domain.\n' +
  'migration target: Domain started successsfully.\n' +
  'migration sender: Target reports successful startup.\n' +
  'SUMMARY\n' +
  'Migration successful.\n';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'xlsim-migrate-e2e-'));
  state = join(root, 'state');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('save and restore with the real binary', () => {
  it('carries the guest over: new domid, uptime and console kept; the file starts "Xen saved domain"', async () => {
    await bootGuest('web');
    const file = join(root, 'web.save');
    const before = uptime('web');
    const consoleBefore = xlsim(['console', 'web']).out;
    const s = xlsim(['save', 'web', file]);
    expect(s.code, s.err).toBe(0);
    expect(s.err).toMatch(/^Saving to .*web\.save new xl format \(info 0x3\/0x0\/\d+\)\nxc: info: Saving domain 1, type x86 HVM\n/);
    expect(spawnSync('head', ['-c', '16', file], { encoding: 'latin1' }).stdout).toBe('Xen saved domain');
    expect(list()).not.toHaveProperty('web');
    const r = xlsim(['restore', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('Parsing config from <saved>\nxc: info: Found x86 HVM domain from Xen 4.20\nxc: info: Restoring domain\nxc: info: Restore successful\n');
    expect(list().web![0]).toBe(2);
    expect(uptime('web')).toBeGreaterThanOrEqual(before);
    const consoleAfter = xlsim(['console', 'web']).out;
    expect(consoleAfter.startsWith(consoleBefore.slice(0, -20))).toBe(true);
    expect(consoleAfter).toContain('Restarting tasks ... done.');
  });

  it('a truncated or foreign file fails as xl does and changes nothing', async () => {
    await bootGuest('web');
    const file = join(root, 'web.save');
    expect(xlsim(['save', '-c', 'web', file]).code).toBe(0);
    const short = join(root, 'short.save');
    writeFileSync(short, readFileSync(file).subarray(0, 16));
    const before = list();
    expect(xlsim(['restore', short])).toEqual({
      code: 1, out: '',
      err: `libxl: error: libxl_utils.c:507:libxl_read_exactly: file/stream truncated reading header from ${short}\n` +
        'xl: fatal error: xl_vmcontrol.c:753: Protocol error: libxl_read_exactly( ctx, restore_fd, &hdr, sizeof(hdr), restore_source, "header")\n',
    });
    expect(xlsim(['restore', join(ROOT, 'package.json')])).toEqual({ code: 1, out: '', err: 'File has wrong magic number - corrupt or for a different tool?\n' });
    const cut = join(root, 'cut.save');
    writeFileSync(cut, readFileSync(file).subarray(0, 300));
    expect(xlsim(['restore', cut]).code).toBe(1);
    expect(list()).toEqual(before);
  });

  it('an init script saves every domain at shutdown and restores them at boot', async () => {
    await bootGuest('alpha');
    await bootGuest('beta');
    const saves = join(root, 'saves');
    mkdirSync(saves);
    const stop = spawnSync('sh', ['-c', `for d in $(xlsim list | awk 'NR>1 && $1!="Domain-0"{print $1}'); do xlsim save $d ${saves}/$d.save || exit 1; done`], { env: env(), encoding: 'utf8' });
    expect(stop.status, stop.stderr).toBe(0);
    expect(Object.keys(list())).toEqual(['Domain-0']);
    const start = spawnSync('sh', ['-c', `for f in ${saves}/*.save; do xlsim restore $f || exit 1; done`], { env: env(), encoding: 'utf8' });
    expect(start.status, start.stderr).toBe(0);
    const after = list();
    expect(Object.keys(after).sort()).toEqual(['Domain-0', 'alpha', 'beta']);
    expect(after.alpha![0]).toBeGreaterThan(2);
  });
});

describe('migration with the real binary', () => {
  it('to localhost: xl\'s handshake on both sides over a pipe, a new domid', async () => {
    await bootGuest('web');
    const r = xlsim(['migrate', 'web', 'localhost']);
    expect(r.code, r.err).toBe(0);
    expect(normal(r.err)).toBe(HANDSHAKE);
    expect(list().web![0]).toBe(2);
  });

  it('to a second named host ($XLSIM_HOSTS or hosts/ beside the state directory), and back', async () => {
    await bootGuest('web');
    const r = xlsim(['migrate', 'web', 'hostb']);
    expect(r.code, r.err).toBe(0);
    expect(normal(r.err)).toBe(HANDSHAKE);
    const b = { XLSIM_HOME: join(root, 'hosts', 'hostb') };
    expect(list()).not.toHaveProperty('web');
    expect(list(b).web![0]).toBe(1);
    expect(xlsim(['info'], b).out).toContain('host                   : hostb\n');
    const away = join(root, 'elsewhere');
    const back = xlsim(['migrate', 'web', 'hostc'], { ...b, XLSIM_HOSTS: away });
    expect(back.code, back.err).toBe(0);
    expect(list({ XLSIM_HOME: join(away, 'hostc') })).toHaveProperty('web');
  });

  it('with -s: xl\'s "exec <sshcmd> <host> xlsim migrate-receive", and -s \'\' running <host> itself', async () => {
    await bootGuest('web');
    // A transport that never answers: libxl's short read of the banner, then the child's exit status.
    expect(normal(xlsim(['migrate', '-s', 'false', 'web', 'nowhere']).err)).toBe(
      'libxl: error: libxl_utils.c:507:libxl_read_exactly: file/stream truncated reading banner from migration receiver stream\n' +
      'libxl: info: libxl_exec.c:118:libxl_report_child_exitstatus: migration transport process [PID] exited with error status 1\n');
    expect(list().web![1]).toMatch(/^[r-][b-]----$/);
    const c = join(root, 'hostc');
    const r = xlsim(['migrate', '-s', 'env', 'web', `XLSIM_HOME=${c}`]);
    expect(r.code, r.err).toBe(0);
    expect(list({ XLSIM_HOME: c })).toHaveProperty('web');
    const d = xlsim(['migrate', '-s', '', 'web', 'XLSIM_HOME=$HOME/hostd xlsim migrate-receive'], { XLSIM_HOME: c });
    expect(d.code, d.err).toBe(0);
    expect(normal(d.err)).toContain('migration sender: Target reports successful startup.\nSUMMARY\nMigration successful.\n');
    expect(list({ XLSIM_HOME: join(root, 'hostd') })).toHaveProperty('web');
    expect(list({ XLSIM_HOME: c })).not.toHaveProperty('web');
  });

  it('a target without the memory fails as xl does; the guest keeps running at the source', async () => {
    await bootGuest('big', 1024);
    const small = join(root, 'hosts', 'small');
    const desc = join(root, 'small.json');
    writeFileSync(desc, JSON.stringify({ cpus: { nodes: 1, sockets: 1, cores: 2, threads: 1 }, memory_mib: 2048, dom0: { memory_mib: 1024, vcpus: 1 } }));
    expect(xlsim(['host', 'init', '--host', desc], { XLSIM_HOME: small }).code).toBe(0);
    const r = xlsim(['migrate', 'big', 'small']);
    expect(r.code).toBe(1);
    expect(normal(r.err)).toContain('Parsing config from <saved>\nfailed to free memory for the domain\nmigration target: Domain creation failed (code -3).\n');
    expect(normal(r.err).endsWith(
      'migration sender: libxl_domain_suspend failed (rc=-8)\n' +
      'libxl: info: libxl_exec.c:118:libxl_report_child_exitstatus: migration transport process [PID] exited with error status 1\n' +
      'Migration failed, failed to suspend at sender.\n')).toBe(true);
    expect(list().big![1]).toMatch(/^[r-][b-]----$/);
    expect(Object.keys(list({ XLSIM_HOME: small }))).toEqual(['Domain-0']);
  });

  it('a transfer killed midway leaves the guest at the source and nothing at the target', async () => {
    await bootGuest('web', 256);
    // 256 MiB at 8 MiB/s: iteration 0 takes 32 s, so the kill lands inside it.
    const child = spawn(process.execPath, [BIN, 'migrate', 'web', 'hostb'], { env: env({ XLSIM_LINK_MIBPS: '8' }) });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    const closed = new Promise((done) => child.on('close', done));
    await until(() => err.includes('xc: info: Saving domain'));
    child.kill('SIGKILL');
    await closed;
    const b = { XLSIM_HOME: join(root, 'hosts', 'hostb') };
    // The receiver sees its stdin end, reports libxc's read error and exits without building anything.
    await until(() => receivers() === 0, 20_000);
    expect(list().web![1]).toMatch(/^[r-][b-]----$/);
    expect(Object.keys(list(b))).toEqual(['Domain-0']);
  });
});

/** How many `xlsim migrate-receive` processes of this test are alive (Linux /proc). */
function receivers(): number {
  let n = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (cmd.includes('migrate-receive') && readFileSync(`/proc/${pid}/environ`, 'latin1').includes(root)) n++;
    } catch {
      // gone already
    }
  }
  return n;
}
