/**
 * End-to-end: one realistic administrator's session with the built `bin/xlsim`, as real
 * processes against one state directory — the "done when" walk of the every-command issue:
 * create three of the shipped example domains; pause and unpause; vcpu-set and vcpu-pin
 * (seen in vcpu-list); mem-set; block-attach and block-detach; network-attach; cd-insert;
 * save and restore; migrate to localhost, to a second named host and back with `-s ''`;
 * sysrq; `shutdown -w -a`; destroy. Each step checks what a user would look at: the exit
 * code, xl's messages (from shared/reference/xl-commands.md and tools/xl/*.c) and the
 * listing commands' view of the host. Guests run in real time here, so waits poll for an
 * observable condition and nothing asserts on a duration.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/xlsim');
const EXAMPLES = join(ROOT, 'examples/etc-xen');
let root: string;
let state: string;
let hostb: string;

interface Run {
  code: number;
  out: string;
  err: string;
}

function env(home: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, XLSIM_HOME: home, HOME: root, PATH: `${join(ROOT, 'bin')}:${process.env.PATH ?? ''}`, CI: 'true' };
  delete e.NODE_EXTRA_CA_CERTS;
  delete e.XLSIM_HOSTS;
  delete e.XLSIM_LINK_MIBPS;
  return e;
}

/** Runs `xlsim args…` on the host at `home` (default: the session's host). */
function xl(args: string[], home = state): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: env(home), encoding: 'utf8', timeout: 90_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Runs `xlsim args…` and expects exit 0; returns the run. */
function ok(args: string[], home = state): Run {
  const r = xl(args, home);
  expect(r.code, `xlsim ${args.join(' ')}: ${r.err}`).toBe(0);
  return r;
}

interface Row {
  domid: number;
  mem: number;
  vcpus: number;
  state: string;
}

/** `xlsim list` as name → row. */
function list(home = state): Record<string, Row> {
  const r = ok(['list'], home);
  expect(r.out.split('\n')[0]).toBe('Name                                        ID   Mem VCPUs\tState\tTime(s)');
  return Object.fromEntries(
    r.out
      .split('\n')
      .slice(1, -1)
      .map((l) => {
        const f = l.split(/\s+/);
        return [f[0]!, { domid: Number(f[1]), mem: Number(f[2]), vcpus: Number(f[3]), state: f[4]! }];
      }),
  );
}

/** Polls `cond` until it holds (real time, at most `ms`). */
async function until(what: string, cond: () => boolean, ms = 45_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The console ring of `dom` (xl console on a non-terminal prints the ring and exits). */
function consoleText(dom: string, home = state): string {
  return xl(['console', dom], home).out;
}

/** The block devices of `dom` as vdev numbers (`xl block-list`). */
function vbds(dom: string): number[] {
  const r = ok(['block-list', dom]);
  expect(r.out.split('\n')[0]).toMatch(/^Vdev  BE  handle state evt-ch ring-ref BE-path/);
  return r.out.split('\n').slice(1, -1).map((l) => Number(l.split(/\s+/)[0]));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'xlsim-session-'));
  state = join(root, 'xen');
  hostb = join(root, 'hosts', 'hostb');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('a session with the built xlsim', () => {
  it('walks the administrator tour from create to destroy', async () => {
    // create three example domains: xl prints where it parses from, on stderr.
    for (const f of ['alpine-pv-kernel.cfg', 'fedora-pvh.cfg', 'ubuntu-hvm-ovmf.cfg']) {
      const r = ok(['create', join(EXAMPLES, f)]);
      expect(r.err).toBe(`Parsing config from ${join(EXAMPLES, f)}\n`);
      expect(r.out).toBe('');
    }
    let doms = list();
    expect(Object.keys(doms)).toEqual(['Domain-0', 'alpine-pv', 'fedora-pvh', 'ubuntu-hvm']);
    expect([doms['alpine-pv']!.domid, doms['fedora-pvh']!.domid, doms['ubuntu-hvm']!.domid]).toEqual([1, 2, 3]);
    expect(doms['fedora-pvh']!.mem).toBe(4096);
    await until('alpine-pv reaches its login prompt', () => /login: $/.test(consoleText('alpine-pv')));

    // pause, unpause: silent, and list shows the p flag in between.
    const p = ok(['pause', 'alpine-pv']);
    expect(p.out + p.err).toBe('');
    expect(list()['alpine-pv']!.state).toBe('--p---');
    ok(['unpause', 'alpine-pv']);
    expect(list()['alpine-pv']!.state).not.toContain('p');

    // vcpu-set within maxvcpus=4; vcpu-pin; vcpu-list shows both.
    await until('fedora-pvh reaches its login prompt', () => /login: $/.test(consoleText('fedora-pvh')));
    ok(['vcpu-set', 'fedora-pvh', '3']);
    expect(list()['fedora-pvh']!.vcpus).toBe(3);
    ok(['vcpu-pin', 'alpine-pv', '0', '3']);
    const vl = ok(['vcpu-list', 'alpine-pv']).out.split('\n');
    expect(vl[0]).toBe('Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)');
    expect(vl[1]).toMatch(/^alpine-pv\s+1\s+0\s+3\s+[-rb]{3}\s+[\d.]+\s+3 \/ all$/);

    // mem-set: the balloon driver gives memory back; list follows it.
    ok(['mem-set', 'fedora-pvh', '2048m']);
    await until('fedora-pvh balloons down to 2048 MiB', () => list()['fedora-pvh']!.mem === 2048);

    // block-attach / block-detach go through the backend/frontend handshake.
    const img = join(root, 'extra.img');
    writeFileSync(img, '');
    ok(['block-attach', 'alpine-pv', `format=raw, vdev=xvdb, access=rw, target=${img}`]);
    await until('xvdb is listed', () => vbds('alpine-pv').includes(51728));
    expect(vbds('alpine-pv')).toEqual([51712, 51728]);
    ok(['block-detach', 'alpine-pv', 'xvdb']);
    expect(vbds('alpine-pv')).toEqual([51712]);

    // network-attach: a second vif, devid 1.
    ok(['network-attach', 'alpine-pv', 'bridge=xenbr0']);
    const nl = ok(['network-list', 'alpine-pv']).out.split('\n').slice(1, -1);
    expect(nl.map((l) => Number(l.split(/\s+/)[0]))).toEqual([0, 1]);

    // cd-insert into the HVM guest's CD drive: QEMU's block list names the new image.
    const iso = join(root, 'rescue.iso');
    writeFileSync(iso, '');
    ok(['cd-insert', 'ubuntu-hvm', 'hdc', iso]);
    await until('QEMU sees the new medium', () => xl(['qemu-monitor-command', 'ubuntu-hvm', 'info block']).out.includes(iso));

    // save: xl's file layout; the domain is gone; restore brings it back with a new domid.
    const sav = join(root, 'alpine.sav');
    const before = list()['alpine-pv']!.domid;
    const s = ok(['save', 'alpine-pv', sav]);
    expect(s.err).toMatch(new RegExp(`^Saving to ${sav} new xl format \\(info 0x3/0x0/\\d+\\)\n`));
    const fd = openSync(sav, 'r');
    const magic = Buffer.alloc(16);
    readSync(fd, magic, 0, 16, 0);
    closeSync(fd);
    expect(magic.toString('latin1')).toBe('Xen saved domain');
    expect(list()['alpine-pv']).toBeUndefined();
    const rs = ok(['restore', sav]);
    expect(rs.err).toMatch(new RegExp(`^Loading new save file ${sav} \\(new xl fmt info 0x3/0x0/\\d+\\)\n Savefile contains xl domain config in JSON format\nParsing config from <saved>\n`));
    doms = list();
    expect(doms['alpine-pv']!.domid).toBeGreaterThan(before);
    // The restored guest carries on: its console still holds the boot it did before.
    expect(consoleText('alpine-pv')).toMatch(/login: /);
    // The block device detached before the save stays detached; the vif attached stays.
    expect(vbds('alpine-pv')).toEqual([51712]);

    // migrate to localhost: a new domid, same name.
    const m1 = ok(['migrate', 'alpine-pv', 'localhost']);
    expect(m1.err).toMatch(/migration target: Ready to receive domain\.\n/);
    expect(m1.err).toMatch(/\nMigration successful\.\n$/);
    const afterLocal = list()['alpine-pv']!.domid;
    expect(afterLocal).toBeGreaterThan(doms['alpine-pv']!.domid);

    // migrate to a second named host (hosts/hostb beside the state directory) ...
    ok(['migrate', 'alpine-pv', 'hostb']);
    expect(list()['alpine-pv']).toBeUndefined();
    expect(Object.keys(list(hostb))).toEqual(['Domain-0', 'alpine-pv']);
    // ... and back with -s '': HOST is itself the command that runs migrate-receive.
    const back = xl(['migrate', '-s', '', 'alpine-pv', `XLSIM_HOME=${state} xlsim migrate-receive`], hostb);
    expect(back.code, back.err).toBe(0);
    expect(back.err).toMatch(/\nMigration successful\.\n$/);
    expect(Object.keys(list(hostb))).toEqual(['Domain-0']);
    expect(list()['alpine-pv']).toBeDefined();

    // sysrq s: the guest's kernel syncs and says so on its console.
    ok(['sysrq', 'fedora-pvh', 's']);
    await until('fedora-pvh reports the sync', () => consoleText('fedora-pvh').includes('Emergency Sync complete'));

    // shutdown -w -a: every guest acknowledges and goes; Domain-0 is skipped.
    await until('ubuntu-hvm is up', () => /login: /.test(consoleText('ubuntu-hvm')));
    const sd = ok(['shutdown', '-w', '-a']);
    expect(Object.keys(list())).toEqual(['Domain-0']);
    expect(sd.err).toMatch(/^Shutting down domain \d+\n/);
    expect(sd.err).toMatch(/Waiting for 3 domains\n/);
    expect(sd.err.match(/^Domain \d+ has been shut down, reason code 0$/gm)).toHaveLength(3);

    // destroy: silent, immediate.
    ok(['create', join(EXAMPLES, 'mirage-unikernel.cfg')]);
    const d = ok(['destroy', 'mirage-www']);
    expect(d.out + d.err).toBe('');
    expect(Object.keys(list())).toEqual(['Domain-0']);
    // Domain-0 is refused at once with xl's message and exit code.
    const d0 = xl(['destroy', '0']);
    expect(d0.code).toBe(1);
    expect(d0.err).toBe('Not destroying domain 0; use -f to force.\nThis can only be done when using a disaggregated hardware domain and toolstack.\n\n');
  }, 300_000);
});
