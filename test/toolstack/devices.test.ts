/**
 * Golden tests of the device commands: exact stdout, stderr and exit status, written
 * from xl's format strings and messages (Xen 4.20.0 tools/xl/xl_vtpm.c, xl_vkb.c,
 * xl_vdispl.c, xl_vsnd.c, xl_console.c `main_channellist`, xl_cdrom.c, xl_usb.c,
 * xl_pci.c; libxl's lines from tools/libs/light/libxl_*.c at 4.20.0 line numbers;
 * xl-commands.md §1.4, §1.5, §2.1, §3.7). Event channel ports and grant references are
 * the host's own (read through the Host API), everything else is spelled out here.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/machine/host.js';
import { harness } from './helpers.js';

const UUID = 'b2f0e3e1-7c4b-4c4e-9d7a-1f2e3d4c5b6a';
const PV =
  'name = "web"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 512\n' +
  'channel = [ "name=org.qemu.guest_agent.0,connection=pty", "name=log,connection=socket,path=/run/log.sock" ]\n';
const HVM = 'name = "win"\ntype = "hvm"\nmemory = 1024\ndisk = [ "/srv/iso/debian.iso,,hdc,cdrom" ]\n';
const NIC = 'Ethernet controller: Intel Corporation I350 Gigabit Network Connection (rev 01)';
const HOST = JSON.stringify({
  cpus: { nodes: 1, sockets: 1, cores: 4, threads: 2 },
  memory_mib: 32768,
  dom0: { memory_mib: 4096, vcpus: 4 },
  pci: [{ bdf: '0000:03:00.0', description: NIC }, { bdf: '0000:03:00.1', description: NIC }],
});
const FILES = { 'web.cfg': PV, 'win.cfg': HVM, 'host.json': HOST, '/srv/iso/debian.iso': 'iso', '/srv/iso/alpine.iso': 'iso' };

/** A host (with the PCI devices of HOST) running `web` (domid 1, PV) and `win` (domid 2, HVM). */
async function setup() {
  const h = harness(FILES);
  expect((await h.run('host init --host host.json')).code).toBe(0);
  expect((await h.run('create -q web.cfg')).code).toBe(0);
  expect((await h.run('create -q win.cfg')).code).toBe(0);
  h.clock.advance(30_000);
  const peek = <T>(fn: (host: Host) => T): Promise<T> => h.store.read(h.clock, fn);
  return { h, peek };
}

/** C `%-<w>d` / `%-<w>s` and `%<w>d`. */
const L = (v: string | number, w: number): string => String(v).padEnd(w);
const R = (v: string | number, w: number): string => String(v).padStart(w);

describe('vtpm-attach, vtpm-list, vtpm-detach (xl_vtpm.c)', () => {
  const HEADER = 'Idx BE Uuid                                 handle state evt-ch ring-ref BE-path   \n';

  it('lists a vTPM with state 1 and no channel or ring until the guest connects it, then its own', async () => {
    const { h, peek } = await setup();
    expect(await h.run(['vtpm-attach', 'web', `uuid=${UUID}`])).toEqual({ code: 0, out: '', err: '' });
    const be = '/local/domain/0/backend/vtpm/1/0';
    expect(await h.run('vtpm-list web nosuch')).toEqual({
      code: 0,
      out: HEADER + `0   0  ${UUID}      0     1     -1       -1 ${be}\n`,
      err: 'nosuch is an invalid domain identifier\n',
    });
    h.clock.advance(100);
    const d = await peek((host) => host.devices(1).find((x) => x.kind === 'vtpm')!);
    expect((await h.run('vtpm-list 1')).out).toBe(HEADER + `0   0  ${UUID}      0     4 ${R(d.evtch, 6)} ${R(d.ringRef, 8)} ${be}\n`);
    expect(await h.run('vtpm-list win')).toEqual({ code: 0, out: HEADER, err: '' });
  });

  it('detaches by uuid or devid; an unknown one is `Unknown device`', async () => {
    const { h } = await setup();
    await h.run(['vtpm-attach', 'web', `uuid=${UUID}`]);
    await h.run('vtpm-attach web');
    expect(await h.run('vtpm-detach web 7')).toEqual({ code: 1, out: '', err: 'Unknown device 7.\n' });
    expect(await h.run(`vtpm-detach web ${UUID}`)).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('vtpm-detach web 1')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('vtpm-list web')).out).toBe(HEADER);
    expect(await h.run('vtpm-detach nosuch 0')).toEqual({ code: 1, out: '', err: 'nosuch is an invalid domain identifier (rc=-6)\n' });
  });

  it('refuses a bad uuid, an unknown argument and an unknown domain; -N prints the device as JSON', async () => {
    const { h } = await setup();
    expect(await h.run('vtpm-attach web uuid=xyz')).toEqual({ code: 1, out: '', err: 'Invalid uuid specified (xyz)\n' });
    expect(await h.run('vtpm-attach web vtpm=1')).toEqual({ code: 1, out: '', err: "unrecognized argument `vtpm=1'\n" });
    expect(await h.run('vtpm-attach nosuch')).toEqual({ code: 1, out: '', err: 'nosuch is an invalid domain identifier\n' });
    expect(await h.run(['-N', 'vtpm-attach', 'web', 'backend=Domain-0', `uuid=${UUID}`])).toEqual({
      code: 0,
      out: `vtpm: {\n    "backend_domname": "Domain-0",\n    "uuid": "${UUID}"\n}\n\n`,
      err: '',
    });
    expect(await h.run('vtpm-attach web backend=nosuch')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\nlibxl_device_vtpm_add failed.\n',
    });
    expect(await h.run('vtpm-attach 9')).toEqual({
      code: 1,
      out: '',
      err:
        'libxl: error: libxl_domain.c:354:libxl_domain_info: Domain 9:Getting domain info: No such process\n' +
        'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\nlibxl_device_vtpm_add failed.\n',
    });
  });
});

describe('vkb-attach, vkb-list, vkb-detach (xl_vkb.c)', () => {
  const HEADER = 'Idx BE handle state evt-ch    ref ID         BE-type    BE-path                       \n';

  it('a linux backend is vinput; the ID column prints (null) for a keyboard without unique-id', async () => {
    const { h, peek } = await setup();
    expect(await h.run('vkb-attach web backend-type=linux unique-id=kbd0')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('vkb-list web')).out).toBe(HEADER + `0   0       0     1     -1     -1 kbd0       linux      ${L('/local/domain/0/backend/vinput/1/0', 30)}\n`);
    h.clock.advance(100);
    const d = await peek((host) => host.devices(1).find((x) => x.kind === 'vkbd')!);
    expect((await h.run('vkb-list web')).out).toBe(
      HEADER + `0   0       0     4 ${R(d.evtch, 6)} ${R(d.ringRef, 6)} kbd0       linux      ${L('/local/domain/0/backend/vinput/1/0', 30)}\n`,
    );
    // an HVM guest has QEMU's keyboard from its build (vkb_device), connected by now
    const q = await peek((host) => host.devices(2).find((x) => x.kind === 'vkbd')!);
    expect((await h.run('vkb-list win')).out).toBe(HEADER + `0   0       0     4 ${R(q.evtch, 6)} ${R(q.ringRef, 6)} (null)     qemu       /local/domain/0/backend/vkbd/2/0\n`);
    expect(await h.run('vkb-list nosuch')).toEqual({ code: 1, out: HEADER, err: 'nosuch is an invalid domain identifier (rc=-6)\n' });
  });

  it('xl\'s own words for the closing checks (exit 253), the spec\'s for a bad field (255); -N prints JSON', async () => {
    const { h } = await setup();
    expect(await h.run('vkb-attach web unique-id=kbd0')).toEqual({ code: 253, out: '', err: 'backend-type should be set\n' });
    expect(await h.run('vkb-attach web backend-type=linux feature-multi-touch=1')).toEqual({
      code: 253,
      out: '',
      err: 'multi-touch-width, multi-touch-height, multi-touch-num-contacts should be set\n',
    });
    expect(await h.run('vkb-attach web foo=1')).toEqual({ code: 255, out: '', err: 'Unknown string "foo=1" in vkb spec\n' });
    expect(await h.run('vkb-attach web backend-type=usb')).toEqual({ code: 255, out: '', err: 'Unknown backend_type "usb" in vkb spec\n' });
    expect(await h.run('-N vkb-attach web backend-type=qemu width=800')).toEqual({
      code: 0,
      out: 'vkb: {\n    "backend_type": "qemu",\n    "width": 800\n}\n\n',
      err: '',
    });
    expect(await h.run('vkb-detach web 3')).toEqual({ code: 253, out: '', err: 'Error: Device 3 not connected.\n' });
    await h.run('vkb-attach web backend-type=qemu');
    expect(await h.run('vkb-detach web 0')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('vkb-list web')).out).toBe(HEADER);
  });
});

describe('vdispl-attach, vdispl-list, vdispl-detach (xl_vdispl.c)', () => {
  it('a DevId line and a TAB-indented line per connector, rings and channels -1 until connected', async () => {
    const { h, peek } = await setup();
    expect(await h.run(['vdispl-attach', 'web', 'connectors=id0:1920x1080;id1:800x600'])).toEqual({ code: 0, out: '', err: '' });
    const head = 'DevId: 0, BE: 0, handle: 1, state: 1, be-alloc: 0, BE-path: /local/domain/0/backend/vdispl/1/0, FE-path: /local/domain/1/device/vdispl/0\n';
    expect(await h.run('vdispl-list web nosuch')).toEqual({
      code: 0,
      out:
        head +
        '\tConnector: 0, id: id0, width: 1920, height: 1080, req-rref: -1, req-evtch: -1, evt-rref: -1, evt-evtch: -1\n' +
        '\tConnector: 1, id: id1, width: 800, height: 600, req-rref: -1, req-evtch: -1, evt-rref: -1, evt-evtch: -1\n',
      err: 'nosuch is an invalid domain identifier\n',
    });
    h.clock.advance(100);
    const fe = '/local/domain/1/device/vdispl/0';
    const n = await peek((host) => (node: string) => host.xenstoreRead(`${fe}/${node}`));
    expect((await h.run('vdispl-list web')).out).toBe(
      head.replace('state: 1', 'state: 4') +
        `\tConnector: 0, id: id0, width: 1920, height: 1080, req-rref: ${n('0/req-ring-ref')}, req-evtch: ${n('0/req-event-channel')}, evt-rref: ${n('0/evt-ring-ref')}, evt-evtch: ${n('0/evt-event-channel')}\n` +
        `\tConnector: 1, id: id1, width: 800, height: 600, req-rref: ${n('1/req-ring-ref')}, req-evtch: ${n('1/req-event-channel')}, evt-rref: ${n('1/evt-ring-ref')}, evt-evtch: ${n('1/evt-event-channel')}\n`,
    );
    expect(await h.run('vdispl-detach web 0')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('vdispl-list web')).toEqual({ code: 0, out: '', err: '' });
  });

  it('refusals', async () => {
    const { h } = await setup();
    expect(await h.run('vdispl-attach web be-alloc=1')).toEqual({ code: 253, out: '', err: 'At least one connector should be specified.\n' });
    expect(await h.run('vdispl-attach web mode=1')).toEqual({ code: 1, out: '', err: 'Unknown string "mode=1" in vdispl spec\n' });
    expect(await h.run('vdispl-attach web connectors=id0:800')).toEqual({ code: 1, out: '', err: "Can't parse connector resolution\n" });
    expect(await h.run('vdispl-detach web 0')).toEqual({ code: 253, out: '', err: 'Error: Device 0 not connected.\n' });
    expect(await h.run('-N vdispl-attach web connectors=c0:640x480')).toEqual({
      code: 0,
      out: 'vdispl: {\n    "connectors": [\n        {\n            "unique_id": "c0",\n            "width": 640,\n            "height": 480\n        }\n    ]\n}\n\n',
      err: '',
    });
  });
});

describe('vsnd-attach, vsnd-list, vsnd-detach (xl_vsnd.c)', () => {
  it('each argument is one item of the card; the list prints xl\'s print_params, formats under the sample-rates label', async () => {
    const { h, peek } = await setup();
    const items = ['CARD, short-name=Main, sample-rates=44100;48000, sample-formats=s16_le', 'PCM, name=Main, channels-max=2', 'STREAM, unique-id=0, type=p'];
    expect(await h.run(['vsnd-attach', 'web', ...items])).toEqual({ code: 0, out: '', err: '' });
    const card =
      '\ndevid: 0, be-domid: 0, handle: 1, state: 1, be-path: /local/domain/0/backend/vsnd/1/0, fe-path: /local/domain/1/device/vsnd/0\n' +
      'short-name: "Main", long-name: "(null)", sample-rates: 44100;48000, sample-rates: s16_le\n' +
      '\tpcm: 0, name: "Main", channels-max: 2\n' +
      '\t\tstream: 0, unique-id: "0", type: p\n';
    expect((await h.run('vsnd-list web')).out).toBe(`${card}\t\t\tevent-channel: -1, ring-ref: -1\n`);
    h.clock.advance(100);
    const [ev, rr] = await peek((host) => ['0/0/event-channel', '0/0/ring-ref'].map((n) => host.xenstoreRead(`/local/domain/1/device/vsnd/0/${n}`)));
    expect((await h.run('vsnd-list web')).out).toBe(`${card.replace('state: 1', 'state: 4')}\t\t\tevent-channel: ${ev}, ring-ref: ${rr}\n`);
    expect(await h.run('vsnd-detach web 0')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('vsnd-detach web 0')).toEqual({ code: 253, out: '', err: 'Error: Device 0 not connected.\n' });
  });

  it('parse errors exit 255, a bad pcm format exits 1 (xl_parse.c)', async () => {
    const { h } = await setup();
    expect(await h.run(['vsnd-attach', 'web', 'DISK, name=x'])).toEqual({ code: 255, out: '', err: 'Invalid key: DISK\n' });
    expect(await h.run(['vsnd-attach', 'web', 'PCM, speed=1'])).toEqual({ code: 255, out: '', err: 'Invalid parameter: speed=1\n' });
    expect(await h.run(['vsnd-attach', 'web', 'STREAM, type=x'])).toEqual({ code: 255, out: '', err: 'Invalid stream type: x\n' });
    expect(await h.run(['vsnd-attach', 'web', 'CARD, sample-formats=float_le'])).toEqual({ code: 1, out: '', err: 'Invalid pcm format: float_le\n' });
  });
});

describe('channel-list (xl_console.c main_channellist)', () => {
  it('channels from the config: pty with its tty path padded to 30 and a space, socket without', async () => {
    const { h, peek } = await setup();
    const c = await peek((host) => [1, 2].map((n) => host.devices(1).find((d) => d.kind === 'console' && d.devid === n)!));
    const tty = await peek((host) => host.xenstoreRead('/local/domain/1/device/console/1/tty')!);
    expect(tty).toMatch(/^\/dev\/pts\/\d+$/);
    expect(await h.run('channel-list web')).toEqual({
      code: 0,
      out:
        `Idx BE state evt-ch ring-ref connection ${' '.repeat(30)}\n` +
        `0   0  4     ${L(c[0]!.evtch, 6)} ${L(c[0]!.ringRef, 8)} pty        ${L(tty, 30)} \n` +
        `1   0  4     ${L(c[1]!.evtch, 6)} ${L(c[1]!.ringRef, 8)} socket     \n`,
      err: '',
    });
    expect((await h.run('channel-list win')).out).toBe(`Idx BE state evt-ch ring-ref connection ${' '.repeat(30)}\n`);
    expect((await h.run('channel-list nosuch')).code).toBe(1);
  });
});

describe('cd-insert, cd-eject (xl_cdrom.c, libxl_cdrom_insert)', () => {
  it('changes the medium silently; the backend\'s params follow', async () => {
    const { h, peek } = await setup();
    const params = () => peek((host) => host.xenstoreRead(`${host.devices(2).find((d) => d.vdev === 'hdc')!.backendPath}/params`));
    expect(await params()).toBe('/srv/iso/debian.iso');
    expect(await h.run('cd-eject win hdc')).toEqual({ code: 0, out: '', err: '' });
    expect(await params()).toBe('');
    expect(await h.run('cd-insert win hdc /srv/iso/alpine.iso')).toEqual({ code: 0, out: '', err: '' });
    expect(await params()).toBe('/srv/iso/alpine.iso');
  });

  it('refusals: no such file, not HVM, no such drive, no such domain', async () => {
    const { h } = await setup();
    expect(await h.run('cd-insert win hdc /srv/iso/none.iso')).toEqual({ code: 1, out: '', err: 'Cannot stat file: /srv/iso/none.iso\n' });
    expect(await h.run('cd-insert web xvdc /srv/iso/alpine.iso')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_disk.c:990:libxl_cdrom_insert: Domain 1:cdrom-insert requires an HVM domain\n',
    });
    expect(await h.run('cd-eject win hdd')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_disk.c:1027:libxl_cdrom_insert: Domain 2:Virtual device not found\n',
    });
    expect(await h.run('cd-eject 7 hdc')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_dom.c:36:libxl__domain_type: Domain 7:unable to get dominfo: No such process\n',
    });
    expect(await h.run('cd-eject nosuch hdc')).toEqual({ code: 1, out: '', err: 'nosuch is an invalid domain identifier (rc=-6)\n' });
    expect(await h.run('cd-insert win hdc')).toMatchObject({ code: 2, err: "'xl cd-insert' requires at least 3 arguments.\n\n" });
  });
});

describe('usbctrl-*, usbdev-*, usb-list (xl_usb.c, libxl_usb.c)', () => {
  const HEAD = 'Devid  Type         BE  state usb-ver ports\n';

  it('a PV controller, a device on its first free port, usb-list\'s table', async () => {
    const { h } = await setup();
    expect(await h.run('usb-list web')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('usbctrl-attach web version=2 ports=4')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('usbdev-attach web hostbus=1 hostaddr=3')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('usb-list web')).toEqual({
      code: 0,
      out: HEAD + '0      pv           0   1     2       4    \n  Port 1: Bus 001 Device 003\n  Port 2:\n  Port 3:\n  Port 4:\n',
      err: '',
    });
    h.clock.advance(100);
    expect((await h.run('usb-list web')).out.split('\n')[1]).toBe('0      pv           0   4     2       4    ');
    expect(await h.run('usbdev-detach web 0 2')).toEqual({ code: 1, out: '', err: 'Unknown device at controller 0 port 2.\n' });
    expect(await h.run('usbdev-detach web 0 1 9')).toEqual({ code: 1, out: '', err: 'Invalid arguments.\n' });
    expect(await h.run('usbdev-detach web 0 1')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('usbctrl-detach web 5')).toEqual({ code: 1, out: '', err: 'Unknown device 5.\n' });
    expect(await h.run('usbctrl-detach web 0')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('usb-list web x')).toEqual({ code: 255, out: '', err: 'Invalid arguments.\n' });
  });

  it('an HVM guest gets a devicemodel controller of 6 ports when a device needs one', async () => {
    const { h } = await setup();
    expect(await h.run('usbdev-attach win hostbus=2 hostaddr=2')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('usb-list win')).out).toBe(
      HEAD + '0      devicemodel  0   0     2       6    \n  Port 1: Bus 002 Device 002\n  Port 2:\n  Port 3:\n  Port 4:\n  Port 5:\n  Port 6:\n',
    );
  });

  it('libxl\'s reasons, `unable to add device` and xl\'s line', async () => {
    const { h } = await setup();
    const tail = (what: string): string => `libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\nlibxl_device_${what}_add failed.\n`;
    expect(await h.run('usbctrl-attach web ports=40')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_usb.c:75:libxl__device_usbctrl_setdefault: Number of ports for USB controller is limited to 31\n' + tail('usbctrl'),
    });
    expect(await h.run('usbctrl-attach web version=3')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_usb.c:67:libxl__device_usbctrl_setdefault: USB version for paravirtualized devices must be 1 or 2\n' + tail('usbctrl'),
    });
    expect(await h.run('usbctrl-attach web type=xhci')).toEqual({ code: 1, out: '', err: "Invalid usb controller type 'xhci'\n" });
    expect(await h.run('usbdev-attach web hostbus=1 hostaddr=1')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_usb.c:1732:libxl__device_usbdev_add: Domain 1:USB device is not assignable.\n' + tail('usbdev'),
    });
    await h.run('usbdev-attach web hostbus=1 hostaddr=2');
    expect(await h.run('usbdev-attach win hostbus=1 hostaddr=2')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_usb.c:1746:libxl__device_usbdev_add: Domain 2:USB device already attached to a domain\n' + tail('usbdev'),
    });
    expect(await h.run('usbdev-attach web hostbus=2 hostaddr=2 port=1')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_usb.c:1166:libxl__device_usbdev_setdefault: Domain 1:USB controller must be specified if you specify port\n' + tail('usbdev'),
    });
    expect(await h.run('usbdev-attach web hostbus=2 hostaddr=2 controller=0 port=1')).toEqual({
      code: 1,
      out: '',
      err: "libxl: error: libxl_usb.c:1214:libxl__device_usbdev_setdefault: Domain 1:The controller port isn't available\n" + tail('usbdev'),
    });
    expect(await h.run('usbdev-attach web bus=1')).toEqual({ code: 1, out: '', err: "Unknown string `bus=1' in usbdev spec\n" });
  });
});

describe('pci-assignable-*, pci-attach, pci-detach, pci-list (xl_pci.c, libxl_pci.c)', () => {
  const W = (m: string): string => `libxl: warning: libxl_pci.c:${m}\n`;
  const E = (m: string): string => `libxl: error: ${m}\n`;

  it('a device made assignable, attached, listed, detached and given back to its driver', async () => {
    const { h } = await setup();
    expect(await h.run('pci-assignable-list')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('pci-assignable-add -n nic0 03:00.0')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('pci-assignable-list')).toEqual({ code: 0, out: '0000:03:00.0 \n', err: '' });
    expect(await h.run('pci-assignable-list -n')).toEqual({ code: 0, out: '0000:03:00.0 nic0\n', err: '' });
    expect(await h.run('pci-list web')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('pci-attach web 0000:03:00.0')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('pci-list web')).toEqual({ code: 0, out: 'Vdev Device\n00.0 0000:03:00.0\n', err: '' });
    expect(await h.run('pci-assignable-list')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('pci-detach web 03:00.0')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('pci-list web')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('pci-assignable-remove -r nic0')).toEqual({
      code: 0,
      out: '',
      err: 'libxl: info: libxl_pci.c:926:libxl__device_pci_assignable_remove: Rebinding to driver at /sys/bus/pci/drivers/igb\n',
    });
    expect(await h.run('pci-assignable-list')).toEqual({ code: 0, out: '', err: '' });
  });

  it('an HVM guest gets it at the slot QEMU picks; the list shows slot.function', async () => {
    const { h } = await setup();
    await h.run('pci-assignable-add 03:00.1');
    expect(await h.run('pci-attach win 03:00.1')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('pci-list win')).out).toBe('Vdev Device\n04.0 0000:03:00.1\n');
  });

  it('a device not made assignable, one in use, and detaching what is not attached', async () => {
    const { h } = await setup();
    expect(await h.run('pci-attach web 03:00.0')).toEqual({
      code: 1,
      out: '',
      err:
        E('libxl_pci.c:1688:libxl__device_pci_add: Domain 1:PCI device 0:3:0.0 is not assignable') +
        E('libxl_pci.c:1820:device_pci_add_done: Domain 1:libxl__device_pci_add failed for PCI device 0:3:0.0 (rc -3)') +
        E('libxl_device.c:1500:device_addrm_aocomplete: unable to add device'),
    });
    await h.run('pci-assignable-add 03:00.0');
    await h.run('pci-attach web 03:00.0');
    expect(await h.run('pci-attach win 03:00.0')).toEqual({
      code: 1,
      out: '',
      err:
        E('libxl_pci.c:1669:libxl__device_pci_add: Domain 2:PCI device 0000:03:00.0 already assigned to a different guest?') +
        E('libxl_pci.c:1820:device_pci_add_done: Domain 2:libxl__device_pci_add failed for PCI device 0:3:0.0 (rc -1)') +
        E('libxl_device.c:1500:device_addrm_aocomplete: unable to add device'),
    });
    expect(await h.run('pci-assignable-add 03:00.0')).toEqual({
      code: 1,
      out: '',
      err:
        W('803:libxl__device_pci_assignable_add: 0000:03:00.0 already assigned to pciback') +
        E('libxl_pci.c:849:libxl__device_pci_assignable_add: failed to quarantine 0000:03:00.0'),
    });
    expect(await h.run('pci-assignable-remove 03:00.0')).toEqual({
      code: 1,
      out: '',
      err: E('libxl_pci.c:907:libxl__device_pci_assignable_remove: failed to de-quarantine 0000:03:00.0'),
    });
    expect(await h.run('pci-detach win 03:00.0')).toEqual({ code: 1, out: '', err: E('libxl_device.c:1500:device_addrm_aocomplete: unable to remove device') });
    expect(await h.run('pci-detach web 03:00.1')).toEqual({
      code: 1,
      out: '',
      err: E('libxl_pci.c:1978:do_pci_remove: Domain 1:PCI device not attached to this domain') + E('libxl_device.c:1500:device_addrm_aocomplete: unable to remove device'),
    });
    expect(await h.run('pci-detach -f win 03:00.0')).toEqual({
      code: 0,
      out: '',
      err: E('libxl_pci.c:2292:pci_remove_detached: Domain 2:xc_deassign_device failed: No such device'),
    });
    expect((await h.run('pci-list web')).out).toBe('Vdev Device\n00.0 0000:03:00.0\n');
  });

  it('malformed arguments exit 2; a device the host does not have; names libxl refuses', async () => {
    const { h } = await setup();
    expect(await h.run('pci-assignable-add zz')).toEqual({ code: 2, out: '', err: 'pci-assignable-add: malformed BDF "zz"\n' });
    expect(await h.run('pci-assignable-remove zz')).toEqual({ code: 2, out: '', err: "pci-assignable-remove: malformed BDF 'zz'\n" });
    expect(await h.run('pci-attach web 03:00.0,foo=1')).toEqual({
      code: 2,
      out: '',
      err: 'Unknown PCI_SPEC_STRING option: foopci-attach: malformed PCI_SPEC_STRING "03:00.0,foo=1"\n',
    });
    expect(await h.run('pci-detach web nonsense')).toEqual({ code: 2, out: '', err: 'pci-detach: malformed PCI_SPEC_STRING "nonsense"\n' });
    expect(await h.run('pci-assignable-add 09:00.0')).toEqual({
      code: 1,
      out: '',
      err: E("libxl_pci.c:793:libxl__device_pci_assignable_add: Couldn't lstat /sys/bus/pci/devices/0000:09:00.0: No such file or directory"),
    });
    expect(await h.run(['pci-assignable-add', '-n', 'x'.repeat(65), '03:00.0'])).toEqual({
      code: 1,
      out: '',
      err: E('libxl_pci.c:778:libxl__device_pci_assignable_add: Name too long'),
    });
    expect(await h.run('pci-attach web name=nic9')).toEqual({
      code: 1,
      out: '',
      err:
        E("libxl_pci.c:1814:device_pci_add_done: Domain 1:libxl__device_pci_add failed for PCI device 'nic9' (rc -23)") +
        E('libxl_device.c:1500:device_addrm_aocomplete: unable to add device'),
    });
  });

  it('pci= at create: a device not made assignable fails the build (exit 3), an assignable one is attached', async () => {
    const { h } = await setup();
    const cfg = 'name = "db"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 256\npci = [ "03:00.1" ]\n';
    h.files['db.cfg'] = cfg;
    expect(await h.run('create -q db.cfg')).toEqual({
      code: 3,
      out: '',
      err:
        E('libxl_pci.c:1688:libxl__device_pci_add: Domain 3:PCI device 0:3:0.1 is not assignable') +
        E('libxl_pci.c:1820:device_pci_add_done: Domain 3:libxl__device_pci_add failed for PCI device 0:3:0.1 (rc -3)') +
        E('libxl_create.c:1980:domcreate_attach_devices: Domain 3:unable to add pci devices'),
    });
    await h.run('pci-assignable-add 03:00.1');
    expect(await h.run('create -q db.cfg')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('pci-list db')).out).toBe('Vdev Device\n00.0 0000:03:00.1\n');
  });
});

describe('block-list and network-list follow the handshake (xl_block.c, xl_nic.c)', () => {
  it('a disk attached a moment ago shows state 1 and evt-ch/ring-ref -1; once the guest connects, its own', async () => {
    const { h, peek } = await setup();
    expect(await h.run(['block-attach', 'web', 'format=raw, vdev=xvdb, access=rw, target=/dev/vg0/data'])).toEqual({ code: 0, out: '', err: '' });
    const head = 'Vdev  BE  handle state evt-ch ring-ref BE-path                       \n';
    expect((await h.run('block-list web')).out).toBe(`${head}51728 0   1      1     -1     -1       /local/domain/0/backend/vbd/1/51728\n`);
    h.clock.advance(100);
    const d = await peek((host) => host.devices(1).find((x) => x.devid === 51728)!);
    expect((await h.run('block-list web')).out).toBe(`${head}51728 0   1      4     ${L(d.evtch, 6)} ${L(d.ringRef, 8)} /local/domain/0/backend/vbd/1/51728\n`);
    expect(await h.run('network-attach web mac=00:16:3e:00:00:02')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('network-list web')).out.split('\n')[1]).toBe(`0   0  00:16:3e:00:00:02     0     1     -1    -1/-1          ${L('/local/domain/0/backend/vif/1/0', 30)}`);
  });
});

describe('deliberate differences from xl (docs/compat.md "Devices")', () => {
  it('an attach argument with a comma is two fields to xlsim', async () => {
    const { h } = await setup();
    expect(await h.run(['vkb-attach', 'web', 'backend-type=linux,unique-id=k9'])).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('vkb-list web')).out).toContain(' k9         linux ');
  });

  it('pci-assignable-list is in BDF order; pci-attach to Domain-0 is refused', async () => {
    const { h } = await setup();
    await h.run('pci-assignable-add 03:00.1');
    await h.run('pci-assignable-add 03:00.0');
    expect((await h.run('pci-assignable-list')).out).toBe('0000:03:00.0 \n0000:03:00.1 \n');
    expect(await h.run('pci-attach 0 03:00.0')).toEqual({
      code: 1,
      out: '',
      err:
        'libxl: error: libxl_pci.c:1540:pci_add_dm_done: xc_assign_device failed: Invalid argument\n' +
        'libxl: error: libxl_pci.c:1820:device_pci_add_done: libxl__device_pci_add failed for PCI device 0:3:0.0 (rc -3)\n' +
        'libxl: error: libxl_device.c:1500:device_addrm_aocomplete: unable to add device\n',
    });
  });
});
