/**
 * End-to-end: the device commands of the built `bin/xlsim`, run as a user would, on a host
 * made from a host description with PCI devices (`xlsim host init --host FILE`), in a
 * temp state directory. Each step checks exit status and output; nothing waits on the
 * clock except for an observable condition (a frontend connected), with a deadline.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/xlsim');
let home: string;

function xlsim(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: home,
    env: { ...process.env, XLSIM_HOME: join(home, 'state'), CI: 'true' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Runs `args` until `pred` holds on its result (a frontend connecting takes the guest some time), at most `ms`. */
function until(args: string[], pred: (out: string) => boolean, ms = 60_000): string {
  const end = Date.now() + ms;
  for (;;) {
    const r = xlsim(...args);
    if (pred(r.out) || Date.now() > end) return r.out;
  }
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'xlsim-e2e-dev-'));
  writeFileSync(join(home, 'host.json'), JSON.stringify({
    cpus: { nodes: 1, sockets: 1, cores: 4, threads: 2 },
    memory_mib: 16384,
    dom0: { memory_mib: 2048, vcpus: 2 },
    hostname: 'xen01',
    pci: [{ bdf: '0000:03:00.0', description: 'Ethernet controller: Intel Corporation I350 Gigabit Network Connection' }],
  }));
  writeFileSync(join(home, 'web.cfg'), 'name = "web"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 512\ndisk = [ "phy:/dev/vg0/web,xvda,w" ]\n');
  writeFileSync(join(home, 'win.cfg'), 'name = "win"\ntype = "hvm"\nmemory = 1024\ndisk = [ ",,hdc,cdrom" ]\n');
  writeFileSync(join(home, 'alpine.iso'), 'not really an ISO image');
}, 120_000);

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('bin/xlsim device commands', () => {
  it('makes the host from a description with a PCI device and starts two guests', () => {
    expect(xlsim('host', 'init', '--host', 'host.json')).toMatchObject({ code: 0, out: 'host xen01: 8 pCPUs in 1 node(s), 16384 MiB, Xen 4.20.0, credit2\n' });
    expect(xlsim('create', '-q', 'web.cfg')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('create', '-q', 'win.cfg')).toEqual({ code: 0, out: '', err: '' });
  });

  it('block-attach, block-list, block-detach; network-attach, network-list', () => {
    expect(xlsim('block-attach', 'web', 'phy:/dev/vg0/data,xvdb,w')).toEqual({ code: 0, out: '', err: '' });
    const out = until(['block-list', 'web'], (o) => /\n51728 0   1      4 /.test(o));
    expect(out).toMatch(/^Vdev  BE  handle state evt-ch ring-ref BE-path {23}\n51712 0   1      4 .*\n51728 0   1      4     \d+ +\d+ +\/local\/domain\/0\/backend\/vbd\/1\/51728\n$/);
    expect(xlsim('block-detach', 'web', 'xvdb')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('block-list', 'web').out).not.toContain('51728');
    expect(xlsim('network-attach', 'web', 'mac=00:16:3e:00:00:42')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('network-list', 'web').out).toMatch(/\n0   0  00:16:3e:00:00:42     0 +[14] /);
  });

  it('cd-eject and cd-insert on the HVM guest\'s empty drive', () => {
    expect(xlsim('cd-insert', 'win', 'hdc', 'missing.iso')).toEqual({ code: 1, out: '', err: 'Cannot stat file: missing.iso\n' });
    expect(xlsim('cd-insert', 'win', 'hdc', 'alpine.iso')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('cd-eject', 'win', 'hdc')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('cd-eject', 'web', 'xvda')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_disk.c:990:libxl_cdrom_insert: Domain 1:cdrom-insert requires an HVM domain\n',
    });
  });

  it('vtpm-attach, vtpm-list, vtpm-detach', () => {
    const uuid = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    expect(xlsim('vtpm-attach', 'web', `uuid=${uuid}`)).toEqual({ code: 0, out: '', err: '' });
    const out = until(['vtpm-list', 'web'], (o) => o.includes(`${uuid}      0     4 `));
    expect(out).toMatch(new RegExp(`^Idx BE Uuid {33}handle state evt-ch ring-ref BE-path   \\n0   0  ${uuid}      0     4 +\\d+ +\\d+ /local/domain/0/backend/vtpm/1/0\\n$`));
    expect(xlsim('vtpm-detach', 'web', uuid)).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('vtpm-list', 'web').out.split('\n')).toHaveLength(2);
    expect(xlsim('vtpm-detach', 'web', '0')).toEqual({ code: 1, out: '', err: 'Unknown device 0.\n' });
  });

  it('vkb-attach, vkb-list, vkb-detach', () => {
    expect(xlsim('vkb-attach', 'web', 'backend-type=linux', 'unique-id=kbd0')).toEqual({ code: 0, out: '', err: '' });
    const out = until(['vkb-list', 'web'], (o) => /\n0   0       0     4 /.test(o));
    expect(out).toMatch(/\n0   0       0     4 +\d+ +\d+ kbd0       linux      \/local\/domain\/0\/backend\/vinput\/1\/0\n$/);
    expect(xlsim('vkb-detach', 'web', '0')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('vkb-detach', 'web', '0')).toEqual({ code: 253, out: '', err: 'Error: Device 0 not connected.\n' });
  });

  it('pci-assignable-add, pci-attach, pci-list', () => {
    expect(xlsim('pci-attach', 'web', '03:00.0').code).toBe(1);
    expect(xlsim('pci-assignable-add', '03:00.0')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('pci-assignable-list')).toEqual({ code: 0, out: '0000:03:00.0 \n', err: '' });
    expect(xlsim('pci-attach', 'web', '03:00.0')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('pci-list', 'web')).toEqual({ code: 0, out: 'Vdev Device\n00.0 0000:03:00.0\n', err: '' });
    expect(xlsim('pci-assignable-list')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('pci-attach', 'win', '03:00.0').err).toContain('already assigned to a different guest?');
  });
});
