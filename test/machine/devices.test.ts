/**
 * Device kinds beyond vbd and vif through the `Host` API under a virtual clock: for each
 * hot-plugged kind, the xenstore tree and the event-channel and grant tables after each
 * XenbusState step (plug, frontend init, backend connect, frontend connect) and after
 * unplug; the devices a config plugs at create; CD media change; USB controllers and
 * devices; PCI passthrough; invalid operations as typed errors that change nothing.
 *
 * Expected values come from libxl (Xen 4.20.0 tools/libs/light/libxl_device.c
 * `libxl__device_add_async`, `libxl__device_generic_add`; libxl_vtpm.c, libxl_vkb.c,
 * libxl_vdispl.c, libxl_vsnd.c, libxl_console.c, libxl_usb.c, libxl_pci.c,
 * libxl_disk.c `libxl_cdrom_insert`) and the frontends' protocol headers
 * (xen/include/public/io/*.h).
 */
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import { DeviceError } from '../../src/machine/device-errors.js';
import { HostError } from '../../src/machine/errors.js';
import { Host } from '../../src/machine/host.js';
import type { PvKind } from '../../src/machine/pvdevices.js';
import type { DomainConfig } from '../../src/parser/libxl.js';
import { guestConfig, T0 } from './helpers.js';

const NIC = 'Ethernet controller: Intel Corporation I350 Gigabit Network Connection (rev 01)';
const PCI = [
  { bdf: '0000:03:00.0', description: NIC },
  { bdf: '0000:03:00.1', description: NIC },
  { bdf: '0000:81:00.0', description: 'Non-Volatile memory controller: Samsung Electronics Co Ltd NVMe SSD Controller PM9A1' },
];

/** A host with PCI devices and a booted guest (xenbus up). */
function booted(over: Partial<DomainConfig> = {}, type: 'pv' | 'hvm' = 'pv') {
  const host = Host.create(new VirtualClock(T0), { pci: PCI });
  const id = host.createDomain({ ...guestConfig('web', { type }), ...over });
  host.advanceTo(T0 + 30_000);
  return { host, id };
}

/** Runs `fn`, expects a HostError, returns [code, reason]. */
function failure(fn: () => unknown): [string, string | undefined] {
  try {
    fn();
  } catch (e) {
    if (e instanceof HostError) return [e.code, e instanceof DeviceError ? e.reason : undefined];
    throw e;
  }
  throw new Error('expected a HostError');
}

/** Expects `fn` to throw a typed error and leave every table as it was. */
function refused(host: Host, fn: () => unknown): [string, string | undefined] {
  const before = JSON.stringify(host.exportTables());
  const r = failure(fn);
  expect(JSON.stringify(host.exportTables())).toBe(before);
  return r;
}

interface KindCase {
  kind: PvKind;
  /** Frontend directory and backend directory names. */
  fe: string;
  be: string;
  device: Record<string, unknown>;
  /** Frontend nodes that get a grant reference, and an event channel port. */
  rings: string[];
  channels: string[];
  /** Backend nodes written at plug. */
  backend: Record<string, string>;
  /** Frontend nodes written at plug (besides backend, backend-id, state). */
  frontend: Record<string, string>;
}

const KINDS: KindCase[] = [
  {
    kind: 'vtpm', fe: 'vtpm', be: 'vtpm', device: { uuid: 'b2f0e3e1-7c4b-4c4e-9d7a-1f2e3d4c5b6a' },
    rings: ['ring-ref'], channels: ['event-channel'],
    backend: { handle: '0', uuid: 'b2f0e3e1-7c4b-4c4e-9d7a-1f2e3d4c5b6a', resume: 'False', 'frontend-id': '1', online: '1' },
    frontend: { handle: '0', 'backend-id': '0' },
  },
  {
    kind: 'vkb', fe: 'vkbd', be: 'vinput', device: { backend_type: 'linux', unique_id: 'kbd0', width: 1024 },
    rings: ['page-gref'], channels: ['event-channel'],
    backend: { 'unique-id': 'kbd0', width: '1024', online: '1' },
    frontend: { 'backend-id': '0' },
  },
  {
    kind: 'vdispl', fe: 'vdispl', be: 'vdispl',
    device: { connectors: [{ unique_id: 'id0', width: 1920, height: 1080 }, { unique_id: 'id1', width: 800, height: 600 }] },
    rings: ['0/req-ring-ref', '0/evt-ring-ref', '1/req-ring-ref', '1/evt-ring-ref'],
    channels: ['0/req-event-channel', '0/evt-event-channel', '1/req-event-channel', '1/evt-event-channel'],
    backend: { online: '1' },
    frontend: { 'be-alloc': '0', '0/resolution': '1920x1080', '0/unique-id': 'id0', '1/resolution': '800x600', '1/unique-id': 'id1' },
  },
  {
    kind: 'vsnd', fe: 'vsnd', be: 'vsnd',
    device: { short_name: 'Main', params: { sample_rates: [44100, 48000] }, pcms: [{ name: 'Main', params: {}, streams: [{ unique_id: '0', type: 'p', params: {} }] }] },
    rings: ['0/0/ring-ref', '0/0/evt-ring-ref'], channels: ['0/0/event-channel', '0/0/evt-event-channel'],
    backend: { online: '1' },
    frontend: { 'short-name': 'Main', 'sample-rates': '44100;48000', '0/name': 'Main', '0/0/unique-id': '0', '0/0/type': 'p' },
  },
];

describe('hot-plugged devices go through the XenbusState handshake (libxl__device_add_async, the xenbus drivers)', () => {
  for (const c of KINDS) {
    test(`${c.kind}: nodes, grants and event channels at each step, and all gone after unplug`, () => {
      const { host, id } = booted();
      const ports = host.eventChannels(id).length;
      const dom0Ports = host.eventChannels(0).length;
      const grants = host.grants(id).length;
      const devid = host.dev.attach(id, c.kind, c.device);
      expect(devid).toBe(0);
      const fe = `/local/domain/${id}/device/${c.fe}/0`;
      const be = `/local/domain/0/backend/${c.be}/${id}/0`;
      const lx = `/libxl/${id}/device/${c.fe}/0`;
      const dev = () => host.devices(id).find((d) => d.frontendPath === fe)!;
      // 1. plug: both directories, libxl's copy, backend probed (InitWait), nothing bound yet
      expect(dev()).toMatchObject({ backendState: 2, state: 1, evtch: -1, ringRef: -1, backendDomid: 0 });
      for (const [k, v] of Object.entries(c.backend)) expect(host.xenstoreRead(`${be}/${k}`), k).toBe(v);
      for (const [k, v] of Object.entries(c.frontend)) expect(host.xenstoreRead(`${fe}/${k}`), k).toBe(v);
      expect(host.xenstoreRead(`${be}/state`)).toBe('2');
      expect(host.xenstoreRead(`${be}/frontend`)).toBe(fe);
      expect(host.xenstoreRead(`${fe}/backend`)).toBe(be);
      expect(host.xenstoreRead(`${lx}/frontend`)).toBe(fe);
      expect(host.xenstoreRead(`${lx}/backend`)).toBe(be);
      expect(host.xenstoreRead(`${lx}/state`)).toBe('1');
      expect(host.xenstoreDump(fe)[0]![1].p).toEqual([`n${id}`, 'r0']);
      expect(host.xenstoreDump(be)[0]![1].p).toEqual(['n0', `r${id}`]);
      for (const n of [...c.rings, ...c.channels]) expect(host.xenstoreRead(`${fe}/${n}`), n).toBeUndefined();
      expect(host.eventChannels(id).length).toBe(ports);
      expect(host.grants(id).length).toBe(grants);
      // 2. frontend init: one grant per ring page (to the backend domain), one channel per node
      host.advanceTo(host.nextEventTime()!);
      expect(dev()).toMatchObject({ backendState: 2, state: 3 });
      const mine = host.grants(id).slice(grants);
      expect(mine.map((g) => g.toDomid)).toEqual(c.rings.map(() => 0));
      expect(c.rings.map((n) => Number(host.xenstoreRead(`${fe}/${n}`)))).toEqual(mine.map((g) => g.ref));
      const chans = host.eventChannels(id).slice(ports);
      expect(c.channels.map((n) => Number(host.xenstoreRead(`${fe}/${n}`)))).toEqual(chans.map((e) => e.port));
      expect(chans.every((e) => e.remoteDomid === 0)).toBe(true);
      expect(host.eventChannels(0).length).toBe(dom0Ports + c.channels.length);
      expect(dev().evtch).toBe(chans[0]!.port);
      expect(dev().ringRef).toBe(mine[0]!.ref);
      // 3. backend connects, 4. frontend connects
      host.advanceTo(host.nextEventTime()!);
      expect(dev()).toMatchObject({ backendState: 4, state: 3 });
      host.advanceTo(host.nextEventTime()!);
      expect(dev()).toMatchObject({ backendState: 4, state: 4 });
      expect(host.xenstoreRead(`${fe}/state`)).toBe('4');
      // unplug: Closing → Closed on both ends, grants and channels given back, nodes gone
      const since = host.eventCount();
      host.dev.detach(id, c.kind, 0);
      const states = host.events(since).filter((e) => e.kind === 'device').map((e) => `${(e as { side: string }).side}:${(e as { state: number }).state}`);
      expect(states).toEqual(['backend:5', 'frontend:5', 'frontend:6', 'backend:6']);
      expect(host.xenstoreRead(fe)).toBeUndefined();
      expect(host.xenstoreRead(be)).toBeUndefined();
      expect(host.xenstoreRead(lx)).toBeUndefined();
      expect(host.eventChannels(id).length).toBe(ports);
      expect(host.eventChannels(0).length).toBe(dom0Ports);
      expect(host.grants(id).length).toBe(grants);
      expect(host.devices(id).some((d) => d.frontendPath === fe)).toBe(false);
      expect(host.domainConfig(id)?.[`${c.kind}s`]).toBeUndefined();
    });
  }

  test('an attached device is in the stored config with its devid (vtpm: its uuid), the next one gets the next devid', () => {
    const { host, id } = booted();
    expect(host.dev.attach(id, 'vtpm', {})).toBe(0);
    expect(host.dev.attach(id, 'vtpm', {})).toBe(1);
    const vtpms = host.domainConfig(id)?.vtpms as { devid: number; uuid: string }[];
    expect(vtpms.map((v) => v.devid)).toEqual([0, 1]);
    expect(vtpms[0]!.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(host.xenstoreRead(`/local/domain/0/backend/vtpm/${id}/1/uuid`)).toBe(vtpms[1]!.uuid);
    host.dev.detach(id, 'vtpm', 0);
    expect((host.domainConfig(id)?.vtpms as { devid: number }[]).map((v) => v.devid)).toEqual([1]);
  });

  test('backend= names a driver domain: the backend lives there, the ring is granted to it, the channel ends in it', () => {
    const { host, id } = booted();
    const drv = host.createDomain(guestConfig('drv'));
    host.advanceTo(T0 + 60_000);
    const before = host.eventChannels(drv).length;
    host.dev.attach(id, 'vtpm', { backend_domname: 'drv' });
    host.advanceTo(host.now() + 50);
    const be = `/local/domain/${drv}/backend/vtpm/${id}/0`;
    const d = host.devices(id).find((x) => x.kind === 'vtpm')!;
    expect(d).toMatchObject({ backendDomid: drv, backendPath: be, backendState: 4, state: 4 });
    expect(host.xenstoreRead(`/local/domain/${id}/device/vtpm/0/backend-id`)).toBe(String(drv));
    expect(host.xenstoreDump(be)[0]![1].p).toEqual([`n${drv}`, `r${id}`]);
    expect(host.grants(id).find((g) => g.ref === d.ringRef)?.toDomid).toBe(drv);
    expect(host.eventChannels(drv).length).toBe(before + 1);
    expect(host.eventChannels(drv).at(-1)).toMatchObject({ remoteDomid: id, remotePort: d.evtch });
    host.dev.detach(id, 'vtpm', 0);
    expect(host.xenstoreRead(be)).toBeUndefined();
    expect(host.eventChannels(drv).length).toBe(before);
  });

  test('a paused guest\'s frontend waits; its backend stays in InitWait until it runs', () => {
    const { host, id } = booted();
    host.pause(id);
    host.dev.attach(id, 'vkb', { backend_type: 'qemu' });
    host.advanceTo(T0 + 90_000);
    expect(host.devices(id).find((d) => d.kind === 'vkbd')).toMatchObject({ backendState: 2, state: 1, evtch: -1 });
    host.unpause(id);
    host.advanceTo(T0 + 90_100);
    expect(host.devices(id).find((d) => d.kind === 'vkbd')).toMatchObject({ backendState: 4, state: 4, backendKind: 'vkbd' });
  });

  test('a device attached to a guest still booting connects once its xenbus comes up', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain(guestConfig('early'));
    host.dev.attach(id, 'vtpm', {});
    expect(host.devices(id).find((d) => d.kind === 'vtpm')).toMatchObject({ backendState: 2, state: 1 });
    host.advanceTo(T0 + 30_000);
    expect(host.devices(id).find((d) => d.kind === 'vtpm')).toMatchObject({ backendState: 4, state: 4 });
  });

  test('invalid operations are typed errors that change nothing', () => {
    const { host, id } = booted();
    host.dev.attach(id, 'vtpm', {});
    expect(refused(host, () => host.dev.detach(id, 'vtpm', 7))).toEqual(['NO_SUCH_DEVICE', undefined]);
    expect(refused(host, () => host.dev.detach(id, 'vkb', 0))).toEqual(['NO_SUCH_DEVICE', undefined]);
    expect(refused(host, () => host.dev.detach(99, 'vtpm', 0))).toEqual(['NO_SUCH_DOMAIN', undefined]);
    expect(refused(host, () => host.dev.attach(0, 'vtpm', {}))).toEqual(['DOMAIN_0', undefined]);
    expect(refused(host, () => host.dev.attach(id, 'vtpm', { devid: 0 }))).toEqual(['DEVICE_BUSY', undefined]);
    expect(refused(host, () => host.dev.attach(id, 'vtpm', { backend_domname: 'nosuch' }))).toEqual(['INVALID_ARGUMENT', undefined]);
    expect(refused(host, () => host.dev.attach(id, 'vtpm', { uuid: 'not-a-uuid' }))).toEqual(['INVALID_ARGUMENT', undefined]);
    expect(refused(host, () => host.dev.attach(id, 'vdispl', { connectors: [] }))).toEqual(['INVALID_ARGUMENT', undefined]);
    expect(refused(host, () => host.dev.attach(id, 'vtpm', 'x' as unknown as Record<string, unknown>))).toEqual(['INVALID_ARGUMENT', undefined]);
  });
});

describe('devices from a config are plugged at domain build (libxl_create.c domcreate_launch_dm, device_type_tbl)', () => {
  const full: Partial<DomainConfig> = {
    channels: [{ devid: 0, name: 'org.qemu.guest_agent.0', connection: 'pty' }, { devid: 1, name: 'log', connection: 'socket', path: '/run/g.sock' }],
    pvcallsifs: [{ devid: 0 }],
    vfbs: [{ devid: 0, vnc: { enable: 'True', display: 3 }, sdl: {} }],
    vkbs: [{ devid: 0 }],
    vtpms: [{ devid: 0, uuid: 'b2f0e3e1-7c4b-4c4e-9d7a-1f2e3d4c5b6a' }],
    vdispls: [{ devid: 0, connectors: [{ unique_id: 'c0', width: 640, height: 480 }] }],
    vsnds: [{ devid: 0, params: {}, pcms: [{ params: {}, streams: [{ unique_id: 's0', type: 'c', params: {} }] }] }],
    p9s: [{ tag: 'share', path: '/srv/share', security_model: 'none', devid: 0 }],
  };

  test('a PV guest gets channels as consoles 1…n, then pvcalls, vkb, vfb, vtpm, vdispl, vsnd, 9pfs; all connect when its xenbus comes up', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain({ ...guestConfig('full'), ...full });
    const kinds = () => host.devices(id).map((d) => `${d.kind}/${d.devid}:${d.backendState}${d.state}`);
    expect(kinds()).toEqual(['9pfs/0:21', 'console/1:21', 'console/2:21', 'pvcalls/0:21', 'vdispl/0:21', 'vfb/0:21', 'vkbd/0:21', 'vsnd/0:21', 'vtpm/0:21']);
    host.advanceTo(T0 + 30_000);
    expect(kinds().every((k) => k.endsWith(':44'))).toBe(true);
    // channels (libxl__device_console_add): QEMU serves them; a PTY one has its tty, a socket one its chardev
    const c1 = `/local/domain/${id}/device/console/1`;
    expect(host.xenstoreRead(`${c1}/name`)).toBe('org.qemu.guest_agent.0');
    expect(host.xenstoreRead(`${c1}/type`)).toBe('ioemu');
    expect(host.xenstoreRead(`${c1}/output`)).toBe('pty');
    expect(host.xenstoreRead(`${c1}/tty`)).toMatch(/^\/dev\/pts\/\d+$/);
    expect(host.xenstoreDump(`${c1}/name`)[0]![1].p).toEqual(['n0', `r${id}`]); // read-only for the guest
    expect(host.xenstoreRead(`${c1}/port`)).toBe(String(host.devices(id).find((d) => d.kind === 'console' && d.devid === 1)!.evtch));
    expect(host.xenstoreRead(`/local/domain/${id}/device/console/2/output`)).toBe('chardev:libxl-channel2');
    expect(host.xenstoreRead(`/local/domain/0/backend/console/${id}/2/path`)).toBe('/run/g.sock');
    expect(host.xenstoreRead(`/libxl/${id}/device/console/2/connection`)).toBe('socket');
    // vfb (libxl__set_xenstore_vfb) and the frontend's non-granted page
    expect(host.xenstoreRead(`/local/domain/0/backend/vfb/${id}/0/vncdisplay`)).toBe('3');
    expect(host.xenstoreRead(`/local/domain/${id}/device/vfb/0/page-ref`)).toMatch(/^\d+$/);
    // 9pfs (libxl__set_xenstore_p9)
    expect(host.xenstoreRead(`/local/domain/${id}/device/9pfs/0/tag`)).toBe('share');
    expect(host.xenstoreRead(`/local/domain/0/backend/9pfs/${id}/0/security_model`)).toBe('none');
    expect(host.xenstoreRead(`/local/domain/${id}/device/9pfs/0/ring-ref0`)).toMatch(/^\d+$/);
    // destroy takes every device down, and every grant and channel with it
    host.destroy(id);
    expect(host.xenstoreList('/local/domain/0/backend')).toEqual([]);
    expect(host.eventChannels(0).filter((e) => e.remoteDomid === id)).toEqual([]);
  });

  test('an HVM guest without vkb= gets QEMU\'s keyboard (vkb_device); its vfbs are QEMU\'s VGA, not PV devices', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain({ ...guestConfig('h', { type: 'hvm' }), vfbs: [{ devid: 0, vnc: {}, sdl: {} }] });
    expect(host.devices(id).map((d) => `${d.kind}/${d.devid}/${d.backendKind}`)).toEqual(['vkbd/0/vkbd']);
  });

  test('a config device that cannot be plugged fails the build and leaves the host as it was', () => {
    const host = Host.create(new VirtualClock(T0));
    expect(refused(host, () => host.createDomain({ ...guestConfig('bad'), vtpms: [{ backend_domname: 'nosuch' }] }))).toEqual(['INVALID_ARGUMENT', undefined]);
    expect(refused(host, () => host.createDomain({ ...guestConfig('bad'), channels: [{ name: 'x' }] }))).toEqual(['INVALID_ARGUMENT', undefined]);
  });
});

describe('backends libxl picks (libxl_device.c libxl__device_disk_set_backend, libxl_nic.c)', () => {
  test('a raw image gets blkback (phy); a qcow2 one, with no backendtype=, gets qdisk with <format>:<path> params', () => {
    const { host, id } = booted({
      disks: [
        { pdev_path: '/dev/vg/web', vdev: 'xvda', format: 'raw', readwrite: 1 },
        { pdev_path: '/srv/web.qcow2', vdev: 'xvdb', format: 'qcow2', readwrite: 1 },
      ],
    } as Partial<DomainConfig>);
    const [raw, qcow] = host.devices(id).filter((d) => d.kind === 'vbd');
    expect([raw!.backendKind, raw!.driver, raw!.backendPath]).toEqual(['vbd', 'blkback', `/local/domain/0/backend/vbd/${id}/51712`]);
    expect([qcow!.backendKind, qcow!.driver, qcow!.backendPath]).toEqual(['qdisk', 'qdisk', `/local/domain/0/backend/qdisk/${id}/51728`]);
    expect(host.xenstoreRead(`${qcow!.backendPath}/params`)).toBe('qcow2:/srv/web.qcow2');
    expect(host.xenstoreRead(`${raw!.backendPath}/params`)).toBe('/dev/vg/web');
    // The block hotplug script runs for phy only.
    expect(host.xenstoreRead(`${raw!.backendPath}/physical-device`)).toBeDefined();
    expect(host.xenstoreRead(`${qcow!.backendPath}/physical-device`)).toBeUndefined();
    expect(qcow!.state).toBe(4);
  });

  test('vifname= names the interface in Domain-0 and is written to the backend', () => {
    const { host, id } = booted({ nics: [{ bridge: 'xenbr0', ifname: 'web0' }, { bridge: 'xenbr0' }] } as Partial<DomainConfig>);
    const [named, plain] = host.devices(id).filter((d) => d.kind === 'vif');
    expect(named!.ifname).toBe('web0');
    expect(host.xenstoreRead(`${named!.backendPath}/vifname`)).toBe('web0');
    expect(plain!.ifname).toBe(`vif${id}.1`);
    expect(host.xenstoreRead(`${plain!.backendPath}/vifname`)).toBeUndefined();
  });
});

describe('cd-insert / cd-eject (libxl_cdrom_insert)', () => {
  const cdrom = { disks: [{ pdev_path: '/srv/iso/debian.iso', vdev: 'hdc', backend: 'qdisk', format: 'raw', is_cdrom: 1 }] } as Partial<DomainConfig>;

  test('eject empties params and type in the backend and libxl\'s copy; insert writes format:path for qdisk; the guest kernel notices', () => {
    const { host, id } = booted(cdrom, 'hvm');
    const dev = host.devices(id).find((d) => d.vdev === 'hdc')!;
    const lx = `/libxl/${id}/device/vbd/${dev.devid}`;
    // libxl_disk.c device_disk_add: a qdisk's params are <format>:<path>.
    expect(host.xenstoreRead(`${dev.backendPath}/params`)).toBe('raw:/srv/iso/debian.iso');
    host.dev.cdEject(id, 'hdc');
    expect(host.xenstoreRead(`${dev.backendPath}/params`)).toBe('');
    expect(host.xenstoreRead(`${lx}/params`)).toBe('');
    expect(host.xenstoreRead(`${dev.backendPath}/type`)).toBe('qdisk');
    expect(host.domainConfig(id)?.disks?.[0]).toMatchObject({ pdev_path: '', format: 'empty' });
    expect(host.consoleLog(id)).toMatch(/sr 1:0:0:0: \[sr0\] tray open: medium removed\r\n$/);
    host.dev.cdInsert(id, 'hdc', '/srv/iso/alpine.iso');
    expect(host.xenstoreRead(`${dev.backendPath}/params`)).toBe('raw:/srv/iso/alpine.iso');
    expect(host.xenstoreRead(`${lx}/params`)).toBe('raw:/srv/iso/alpine.iso');
    expect(host.devices(id).find((d) => d.vdev === 'hdc')!.params).toBe('/srv/iso/alpine.iso');
    expect(host.domainConfig(id)?.disks?.[0]).toMatchObject({ pdev_path: '/srv/iso/alpine.iso', format: 'raw' });
    expect(host.consoleLog(id)).toMatch(/sr 1:0:0:0: \[sr0\] media changed: alpine\.iso\r\n$/);
  });

  test('a PV guest, a missing drive and a disk that is no cdrom are refused without change', () => {
    const { host, id } = booted({ ...cdrom, disks: [...(cdrom.disks ?? []), { pdev_path: '/dev/vg/d', vdev: 'hda', backend: 'phy' }] }, 'hvm');
    expect(refused(host, () => host.dev.cdInsert(id, 'hdd', '/x.iso'))).toEqual(['NO_SUCH_DEVICE', 'cd-no-drive']);
    expect(refused(host, () => host.dev.cdInsert(id, 'hda', '/x.iso'))).toEqual(['NO_SUCH_DEVICE', 'cd-no-drive']);
    const pv = host.createDomain(guestConfig('pv'));
    expect(refused(host, () => host.dev.cdEject(pv, 'xvdc'))).toEqual(['INVALID_ARGUMENT', 'cd-not-hvm']);
    expect(refused(host, () => host.dev.cdEject(77, 'hdc'))).toEqual(['NO_SUCH_DOMAIN', undefined]);
  });
});

describe('USB controllers and devices (libxl_usb.c)', () => {
  test('a PV controller is a split device with usbif rings; a device goes on the first free port as its bus id', () => {
    const { host, id } = booted();
    const grants = host.grants(id).length;
    expect(host.dev.usbctrlAttach(id, { version: 2, ports: 4 })).toBe(0);
    const be = `/local/domain/0/backend/vusb/${id}/0`;
    expect(host.xenstoreRead(`${be}/type`)).toBe('pv');
    expect(host.xenstoreRead(`${be}/num-ports`)).toBe('4');
    expect(host.xenstoreList(`${be}/port`)).toEqual(['1', '2', '3', '4']);
    host.advanceTo(host.now() + 50);
    const fe = `/local/domain/${id}/device/vusb/0`;
    expect(host.grants(id).length).toBe(grants + 2);
    expect(host.xenstoreRead(`${fe}/urb-ring-ref`)).toBe(String(host.grants(id)[grants]!.ref));
    expect(host.xenstoreRead(`${fe}/conn-ring-ref`)).toBe(String(host.grants(id)[grants + 1]!.ref));
    expect(host.dev.usbdevAttach(id, { hostbus: 1, hostaddr: 2 })).toEqual({ ctrl: 0, port: 1 });
    expect(host.dev.usbdevAttach(id, { hostbus: 1, hostaddr: 3, ctrl: 0, port: 3 })).toEqual({ ctrl: 0, port: 3 });
    expect(host.xenstoreRead(`${be}/port/1`)).toBe('1-1');
    expect(host.xenstoreRead(`${be}/port/3`)).toBe('1-2');
    expect(host.dev.usbctrls(id)).toEqual([{ devid: 0, type: 'pv', backendDomid: 0, state: 4, version: 2, ports: 4, portBusids: ['1-1', '', '1-2', ''] }]);
    expect((host.domainConfig(id)?.usbdevs as unknown[]).length).toBe(2);
    host.dev.usbdevDetach(id, 0, 1);
    expect(host.xenstoreRead(`${be}/port/1`)).toBe('');
    host.dev.usbctrlDetach(id, 0);
    expect(host.xenstoreRead(be)).toBeUndefined();
    expect(host.xenstoreRead(fe)).toBeUndefined();
    expect(host.grants(id).length).toBe(grants);
    expect(host.domainConfig(id)?.usbdevs).toBeUndefined();
    expect(host.domainConfig(id)?.usbctrls).toBeUndefined();
  });

  test('an HVM guest\'s controller is QEMU\'s (devicemodel, libxl path only, 6 ports for USB 2); a device without a controller makes one', () => {
    const { host, id } = booted({}, 'hvm');
    expect(host.dev.usbdevAttach(id, { hostbus: 2, hostaddr: 2 })).toEqual({ ctrl: 0, port: 1 });
    expect(host.dev.usbctrls(id)).toEqual([{ devid: 0, type: 'devicemodel', backendDomid: 0, state: 0, version: 2, ports: 6, portBusids: ['2-1', '', '', '', '', ''] }]);
    expect(host.xenstoreRead(`/libxl/${id}/device/vusb/0/port/1`)).toBe('2-1');
    expect(host.xenstoreList('/local/domain/0/backend')).not.toContain('vusb');
  });

  test('libxl\'s checks are typed errors with the reason, and change nothing', () => {
    const { host, id } = booted();
    const other = host.createDomain(guestConfig('db'));
    host.dev.usbctrlAttach(id, { ports: 1 });
    host.dev.usbdevAttach(id, { hostbus: 1, hostaddr: 2 });
    expect(refused(host, () => host.dev.usbdevAttach(other, { hostbus: 1, hostaddr: 2 }))).toEqual(['DEVICE_BUSY', 'usb-attached']);
    expect(refused(host, () => host.dev.usbdevAttach(id, { hostbus: 1, hostaddr: 1 }))).toEqual(['NOT_ASSIGNABLE', 'usb-not-assignable']);
    expect(refused(host, () => host.dev.usbdevAttach(id, { hostbus: 9, hostaddr: 9 }))).toEqual(['NOT_ASSIGNABLE', 'usb-not-assignable']);
    expect(refused(host, () => host.dev.usbdevAttach(id, { hostbus: 1, hostaddr: 3, ctrl: 0 }))).toEqual(['DEVICE_BUSY', 'usb-no-free-port']);
    expect(refused(host, () => host.dev.usbdevAttach(id, { hostbus: 1, hostaddr: 3, ctrl: 0, port: 1 }))).toEqual(['DEVICE_BUSY', 'usb-port-busy']);
    expect(refused(host, () => host.dev.usbdevAttach(id, { hostbus: 1, hostaddr: 3, port: 1 }))).toEqual(['INVALID_ARGUMENT', 'usb-port-without-ctrl']);
    expect(refused(host, () => host.dev.usbdevAttach(id, { hostbus: 1, hostaddr: 3, ctrl: 5 }))).toEqual(['NO_SUCH_DEVICE', 'usb-no-ctrl']);
    expect(refused(host, () => host.dev.usbctrlAttach(id, { version: 3 }))).toEqual(['INVALID_ARGUMENT', 'usb-pv-version']);
    expect(refused(host, () => host.dev.usbctrlAttach(id, { ports: 32 }))).toEqual(['INVALID_ARGUMENT', 'usb-pv-ports']);
    expect(refused(host, () => host.dev.usbctrlDetach(id, 4))).toEqual(['NO_SUCH_DEVICE', undefined]);
    expect(refused(host, () => host.dev.usbdevDetach(id, 0, 2))).toEqual(['NO_SUCH_DEVICE', undefined]);
  });
});

describe('PCI passthrough (libxl_pci.c)', () => {
  test('assignable-add binds pciback and quarantines; attach gives it to the guest with a pciback backend its pcifront connects to', () => {
    const { host, id } = booted();
    expect(host.dev.pciAssignable()).toEqual([]);
    expect(host.dev.pciDevices()[0]).toMatchObject({ bdf: '0000:03:00.0', driver: 'igb', boundTo: 'igb', owner: 'hw' });
    expect(host.dev.pciAssignableAdd('0000:03:00.0', 'nic0')).toEqual({ alreadyAssigned: false });
    expect(host.dev.pciDevices()[0]).toMatchObject({ boundTo: 'pciback', owner: 'io' });
    expect(host.xenstoreRead('/libxl/pci/0000-03-00-0/driver_path')).toBe('/sys/bus/pci/drivers/igb');
    expect(host.xenstoreRead('/libxl/pci/0000-03-00-0/name')).toBe('nic0');
    expect(host.dev.pciAssignable()).toEqual([{ bdf: '0000:03:00.0', name: 'nic0' }]);
    const grants = host.grants(id).length;
    expect(host.dev.pciAttach(id, { bus: 3, vfunc_mask: 1 })).toEqual([{ bdf: '0000:03:00.0', vdevfn: 0 }]);
    expect(host.dev.pciDevices()[0]).toMatchObject({ owner: id });
    expect(host.xenstoreRead('/libxl/pci/0000-03-00-0/domid')).toBe(String(id));
    expect(host.dev.pciAssignable()).toEqual([]);
    const be = `/local/domain/0/backend/pci/${id}/0`;
    expect(host.xenstoreRead(`${be}/num_devs`)).toBe('1');
    expect(host.xenstoreRead(`${be}/dev-0`)).toBe('0000:03:00.0');
    expect(host.xenstoreRead(`${be}/opts-0`)).toBe('msitranslate=0,power_mgmt=0,permissive=0,rdm_policy=strict');
    expect(host.xenstoreRead(`${be}/domain`)).toBe('web');
    expect(host.xenstoreRead(`/libxl/${id}/device/pci`)).toBeUndefined(); // libxl keeps no copy of the pci backend
    host.advanceTo(host.now() + 50);
    const pf = host.devices(id).find((d) => d.kind === 'pci')!;
    expect(pf).toMatchObject({ backendState: 4, state: 4 });
    expect(host.xenstoreRead(`/local/domain/${id}/device/pci/0/pci-op-ref`)).toBe(String(pf.ringRef));
    expect(host.xenstoreRead(`/local/domain/${id}/device/pci/0/magic`)).toBe('7');
    expect(host.grants(id).length).toBe(grants + 1);
    // a second device reconfigures the connected backend
    host.dev.pciAssignableAdd('0000:03:00.1');
    const since = host.eventCount();
    host.dev.pciAttach(id, { bus: 3, func: 1 });
    expect(host.events(since).filter((e) => e.kind === 'device').map((e) => (e as { state: number }).state)).toEqual([7, 8, 4]);
    expect(host.dev.pciList(id).map((p) => p.bdf)).toEqual(['0000:03:00.0', '0000:03:00.1']);
    expect((host.domainConfig(id)?.pcidevs as unknown[]).length).toBe(2);
    // detach the first: the second moves down to index 0
    host.dev.pciDetach(id, { bus: 3 });
    expect(host.xenstoreRead(`${be}/dev-0`)).toBe('0000:03:00.1');
    expect(host.xenstoreRead(`${be}/dev-1`)).toBeUndefined();
    expect(host.xenstoreRead(`${be}/num_devs`)).toBe('1');
    expect(host.dev.pciAssignable().map((p) => p.bdf)).toEqual(['0000:03:00.0']);
    // detach the last: backend and frontend go
    host.dev.pciDetach(id, { bus: 3, func: 1 });
    expect(host.xenstoreRead(be)).toBeUndefined();
    expect(host.xenstoreRead(`/local/domain/${id}/device/pci/0`)).toBeUndefined();
    expect(host.grants(id).length).toBe(grants);
    expect(host.domainConfig(id)?.pcidevs).toBeUndefined();
    // assignable-remove -r rebinds the old driver
    expect(host.dev.pciAssignableRemove({ name: 'nic0' }, true)).toEqual({ bdf: '0000:03:00.0', notBound: false, rebound: '/sys/bus/pci/drivers/igb' });
    expect(host.dev.pciDevices()[0]).toMatchObject({ boundTo: 'igb', owner: 'hw' });
    expect(host.xenstoreRead('/libxl/pci/0000-03-00-0')).toBeUndefined();
  });

  test('an HVM guest gets the device at a slot QEMU picks; destroy returns it to quarantine, assignable again', () => {
    const { host, id } = booted({ nics: [{}] }, 'hvm');
    host.dev.pciAssignableAdd('0000:81:00.0');
    expect(host.dev.pciAttach(id, { bus: 0x81 })).toEqual([{ bdf: '0000:81:00.0', vdevfn: 5 << 3 }]);
    expect(host.dev.pciList(id)).toEqual([{ bdf: '0000:81:00.0', domain: 0, bus: 0x81, dev: 0, func: 0, vdevfn: 0x28 }]);
    expect(host.devices(id).find((d) => d.kind === 'pci')).toMatchObject({ backendState: 2, state: 1 }); // no pcifront in an HVM guest
    host.destroy(id);
    expect(host.dev.pciDevices().find((p) => p.bdf === '0000:81:00.0')).toMatchObject({ owner: 'io', boundTo: 'pciback' });
    expect(host.dev.pciAssignable()).toEqual([{ bdf: '0000:81:00.0' }]);
    expect(host.xenstoreList('/local/domain/0/backend')).toEqual([]);
  });

  test('pci= at create attaches an assignable device; a device not assignable fails the build without change', () => {
    const host = Host.create(new VirtualClock(T0), { pci: PCI });
    expect(refused(host, () => host.createDomain({ ...guestConfig('a'), pcidevs: [{ bus: 3 }] }))).toEqual(['NOT_ASSIGNABLE', 'pci-not-assignable']);
    host.dev.pciAssignableAdd('0000:03:00.0');
    const a = host.createDomain({ ...guestConfig('a'), pcidevs: [{ bus: 3 }] });
    expect(host.dev.pciList(a).map((p) => p.bdf)).toEqual(['0000:03:00.0']);
    expect(refused(host, () => host.createDomain({ ...guestConfig('b'), pcidevs: [{ bus: 3 }] }))).toEqual(['NOT_ASSIGNABLE', 'pci-not-assignable']);
    expect(refused(host, () => host.createDomain({ ...guestConfig('c', { type: 'hvm' }), pcidevs: [{ bus: 3 }] }))).toEqual(['DEVICE_BUSY', 'pci-assigned-elsewhere']);
    // seize=1 makes it assignable first (libxl__device_pci_assignable_add)
    const s = host.createDomain({ ...guestConfig('s'), pcidevs: [{ bus: 0x81, seize: true }] });
    expect(host.dev.pciList(s).map((p) => p.bdf)).toEqual(['0000:81:00.0']);
  });

  test('invalid PCI operations are typed errors with libxl\'s reason and change nothing', () => {
    const { host, id } = booted();
    const other = host.createDomain(guestConfig('db'));
    expect(refused(host, () => host.dev.pciAttach(id, { bus: 3 }))).toEqual(['NOT_ASSIGNABLE', 'pci-not-assignable']);
    expect(refused(host, () => host.dev.pciAssignableAdd('0000:09:00.0'))).toEqual(['NO_SUCH_DEVICE', 'pci-no-device']);
    expect(refused(host, () => host.dev.pciAssignableAdd('0000:03:00.0', 'x'.repeat(65)))).toEqual(['INVALID_ARGUMENT', 'pci-name-too-long']);
    expect(refused(host, () => host.dev.pciAssignableAdd('0000:03:00.0', 'two words'))).toEqual(['INVALID_ARGUMENT', 'pci-name-unprintable']);
    expect(refused(host, () => host.dev.pciAssignableRemove({ bdf: '0000:03:00.0' }, false))).toEqual(['INVALID_STATE', 'pci-not-quarantined']);
    expect(refused(host, () => host.dev.pciAssignableRemove({ name: 'nic0' }, false))).toEqual(['NO_SUCH_DEVICE', 'pci-name-unknown']);
    host.dev.pciAssignableAdd('0000:03:00.0');
    expect(refused(host, () => host.dev.pciAttach(0, { bus: 3 }))).toEqual(['DOMAIN_0', 'pci-domain-0']);
    expect(refused(host, () => host.dev.pciDetach(id, { bus: 3 }))).toEqual(['NO_SUCH_DEVICE', 'pci-none-attached']);
    host.dev.pciAttach(id, { bus: 3 });
    // in use: not assignable to another PV guest, and Xen will not quarantine or release it
    expect(refused(host, () => host.dev.pciAttach(other, { bus: 3 }))).toEqual(['NOT_ASSIGNABLE', 'pci-not-assignable']);
    expect(refused(host, () => host.dev.pciAssignableAdd('0000:03:00.0'))).toEqual(['DEVICE_BUSY', 'pci-assigned-elsewhere']);
    expect(refused(host, () => host.dev.pciAssignableRemove({ bdf: '0000:03:00.0' }, true))).toEqual(['INVALID_STATE', 'pci-not-quarantined']);
    expect(refused(host, () => host.dev.pciDetach(other, { bus: 3 }))).toEqual(['NO_SUCH_DEVICE', 'pci-none-attached']);
    host.dev.pciAssignableAdd('0000:81:00.0');
    host.dev.pciAttach(other, { bus: 0x81 });
    expect(refused(host, () => host.dev.pciDetach(other, { bus: 3 }))).toEqual(['NO_SUCH_DEVICE', 'pci-not-attached']);
    expect(refused(host, () => host.dev.pciAttach(id, { bus: 3, vfunc_mask: 0xffffffff }))).toEqual(['INVALID_ARGUMENT', 'pci-vslot-needed']);
  });
});
