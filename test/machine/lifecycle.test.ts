import { describe, expect, test } from 'vitest';
import { Host, HostError } from '../../src/machine/host.js';
import { vdevToDevid } from '../../src/parser/specs/vdev.js';
import { VirtualClock } from '../../src/machine/clock.js';
import { ShutdownReason } from '../../src/machine/api.js';
import { guestConfig, runUntil, T0 } from './helpers.js';

function setup() {
  const clock = new VirtualClock(T0);
  const host = Host.create(clock);
  return { clock, host };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof HostError) return e.code;
    throw e;
  }
  return undefined;
}

describe('the default host', () => {
  test('xl info facts: 8 pCPUs, 1 node, 4 cores × 2 threads, 32 GiB, Xen 4.20.0, credit2', () => {
    const { host } = setup();
    const info = host.info();
    expect(info).toMatchObject({
      hostname: 'xlsim', nrCpus: 8, nrNodes: 1, coresPerSocket: 4, threadsPerCore: 2, totalMemoryMiB: 32768,
      xenMajor: 4, xenMinor: 20, xenExtra: '.0', scheduler: 'credit2',
    });
    expect(host.facts()).toEqual({ nrCpus: 8, nrNodes: 1, arch: 'x86' });
  });

  test('the seed can change the machine', () => {
    const host = Host.create(new VirtualClock(T0), { nrCpus: 16, nrNodes: 2, hostname: 'big' });
    expect(host.facts()).toEqual({ nrCpus: 16, nrNodes: 2, arch: 'x86' });
    expect(host.info().hostname).toBe('big');
    expect(() => Host.create(new VirtualClock(T0), { nrCpus: 0 })).toThrow(/nrCpus/);
    expect(() => Host.create(new VirtualClock(T0), { dom0MemoryMiB: 40000 })).toThrow(HostError);
  });

  test('Domain-0: domid 0, 4 vCPUs, 4096 MiB, no max, zero uuid, stub config as xl list -l shows it', () => {
    const { host } = setup();
    const d0 = host.domain(0)!;
    expect(host.listDomains()[0]!.domid).toBe(0);
    expect(d0.domid).toBe(0);
    expect(d0.name).toBe('Domain-0');
    expect(d0.uuid).toBe('00000000-0000-0000-0000-000000000000');
    expect(d0.memKiB).toBe(4096 * 1024);
    expect(d0.maxMemKiB).toBeUndefined();
    expect(d0.onlineVcpus).toBe(4);
    expect(d0.maxVcpus).toBe(4);
    expect(d0.type).toBe('pv');
    // key order matters: the toolstack prints this object as JSON
    expect(JSON.stringify(d0.config)).toBe(JSON.stringify({
      c_info: { type: 'pv', name: 'Domain-0' },
      b_info: {
        max_memkb: 17179869180, target_memkb: 4194304,
        sched_params: { sched: 'credit2', weight: 256, cap: 0 },
        'type.pv': {}, arch_arm: {}, arch_x86: {},
      },
    }));
    expect(d0.state.running).toBe(true);
  });
});

describe('create, pause, unpause, destroy', () => {
  test('create starts the domain; name lookup works; the stored config gains the uuid after name/domid', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('vm1', { memoryMiB: 1024, vcpus: 2 }));
    expect(id).toBe(1);
    expect(host.domidByName('vm1')).toBe(1);
    expect(host.domidByName('nope')).toBeUndefined();
    const d = host.domain(id)!;
    expect(d.state.paused).toBe(false);
    expect(d.state.shutdown).toBe(false);
    expect(d.onlineVcpus).toBe(2);
    expect(d.startTime).toBe(T0);
    // The stored config keeps what xl gave it plus the uuid (the JSON printer puts keys in IDL order).
    expect(Object.keys(d.config!.c_info).sort()).toEqual(['domid', 'name', 'run_hotplug_scripts', 'type', 'uuid']);
    expect(d.config!.c_info.uuid).toBe(d.uuid);
    expect(d.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('create -p leaves it paused: no boot progress and no CPU until unpaused', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('vm1'), { paused: true });
    host.advanceTo(T0 + 60_000);
    const d = host.domain(id)!;
    expect(d.state.paused).toBe(true);
    expect(d.state.running || d.state.blocked).toBe(false);
    expect(d.cpuTimeNs).toBe(0);
    expect(host.consoleLog(id)).toBe('');
    host.unpause(id);
    expect(host.consoleLog(id)).toMatch(/^\[    0\.000\d{3}\] Linux version 6\.1\.0-21-amd64 /);
    host.advanceTo(T0 + 70_000);
    expect(host.domain(id)!.cpuTimeNs).toBeGreaterThan(0);
  });

  test('pause nests like Xen\'s pause count; unpausing a running domain is refused', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('vm1'));
    expect(codeOf(() => host.unpause(id))).toBe('INVALID_STATE');
    host.pause(id);
    host.pause(id);
    host.unpause(id);
    expect(host.domain(id)!.state.paused).toBe(true);
    host.unpause(id);
    expect(host.domain(id)!.state.paused).toBe(false);
  });

  test('commands on Domain-0 and unknown domids fail with stable codes', () => {
    const { host } = setup();
    expect(codeOf(() => host.destroy(0))).toBe('DOMAIN_0');
    expect(codeOf(() => host.pause(0))).toBe('DOMAIN_0');
    expect(codeOf(() => host.requestShutdown(0, 'poweroff'))).toBe('DOMAIN_0');
    expect(codeOf(() => host.destroy(7))).toBe('NO_SUCH_DOMAIN');
    expect(codeOf(() => host.unpause(7))).toBe('NO_SUCH_DOMAIN');
    const err = (() => { try { host.destroy(7); } catch (e) { return e as HostError; } })();
    expect(err?.domid).toBe(7);
    expect(host.listDomains().map((d) => d.domid)).toEqual([0]);
  });

  test('destroy is immediate and frees the name', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('vm1'));
    host.destroy(id);
    expect(host.domain(id)).toBeUndefined();
    expect(host.domidByName('vm1')).toBeUndefined();
    expect(host.createDomain(guestConfig('vm1'))).toBe(2);
  });

  test('duplicate names are refused with NAME_EXISTS', () => {
    const { host } = setup();
    host.createDomain(guestConfig('vm1'));
    expect(codeOf(() => host.createDomain(guestConfig('vm1')))).toBe('NAME_EXISTS');
    expect(codeOf(() => host.createDomain(guestConfig('Domain-0')))).toBe('NAME_EXISTS');
  });

  test('bad configs are refused as INVALID_ARGUMENT, never as a crash', () => {
    const { host } = setup();
    const bad: unknown[] = [
      null, {}, { c_info: { type: 'xen', name: 'a' }, b_info: { sched_params: {} } },
      { c_info: { type: 'pv' }, b_info: { sched_params: {} } },
      guestConfig('a', { vcpus: 0 }),
      { ...guestConfig('a'), disks: [{ vdev: 'floppy0' }] },
      { ...guestConfig('a'), disks: [{ vdev: 'xvda' }, { vdev: 'xvda' }] },
      { ...guestConfig('a'), nics: [{ mac: 'zz' }] },
    ];
    for (const cfg of bad) expect(codeOf(() => host.createDomain(cfg as never))).toBe('INVALID_ARGUMENT');
  });
});

describe('shutdown and the on_* actions', () => {
  test('a booting guest answers later than a running one; it acknowledges, halts, then poweroff destroys it', () => {
    const { host } = setup();
    const old = host.createDomain(guestConfig('old'));
    host.advanceTo(T0 + 60_000);
    const fresh = host.createDomain(guestConfig('fresh'));
    host.requestShutdown(old, 'poweroff');
    host.requestShutdown(fresh, 'poweroff');
    const ackOld = host.shutdownAckTime(old)!;
    const ackFresh = host.shutdownAckTime(fresh)!;
    expect(ackOld).toBeGreaterThan(T0 + 60_000);
    expect(ackFresh - (T0 + 60_000)).toBeGreaterThan(ackOld - (T0 + 60_000));
    host.advanceTo(ackOld - 1);
    expect(host.xenstoreRead(`/local/domain/${old}/control/shutdown`)).toBe('poweroff');
    host.advanceTo(ackOld);
    // Acknowledged as Linux does (an empty control/shutdown); the guest now stops its services.
    expect(host.xenstoreRead(`/local/domain/${old}/control/shutdown`)).toBe('');
    expect(host.domain(old)!.state.shutdown).toBe(false);
    const gone = runUntil(host, () => host.domain(old) === undefined);
    expect(gone - ackOld).toBeGreaterThan(500);
    expect(host.domain(fresh)).toBeDefined();
    expect(host.consoleLog(fresh)).not.toMatch(/Power down/);
    runUntil(host, () => host.domain(fresh) === undefined);
    expect(host.nextEventTime()).toBeGreaterThan(host.now() + 50_000); // only console clean-up is left
  });

  test('reboot with on_reboot=restart: destroyed, then re-created 2 s later with a new domid, same name and uuid', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('web', { nics: [{ bridge: 'xenbr0' }] }), { configFile: '/etc/xen/web.cfg' });
    const uuid = host.domain(id)!.uuid;
    const mac = host.devices(id)[0]!.mac;
    host.advanceTo(T0 + 30_000);
    host.requestShutdown(id, 'reboot');
    const down = runUntil(host, () => host.domain(id) === undefined);
    expect(host.domidByName('web')).toBeUndefined();
    expect(host.nextEventTime()).toBe(down + 2000);
    host.advanceTo(down + 2000);
    const again = host.domidByName('web')!;
    expect(again).not.toBe(id);
    expect(again).toBe(id + 1);
    const d = host.domain(again)!;
    expect(d.uuid).toBe(uuid);
    expect(d.startTime).toBe(down + 2000);
    expect(host.devices(again)[0]!.mac).toBe(mac);
    expect(d.state.paused).toBe(false);
    // Still the domain of the cfg file it was created from.
    expect(d.configFile).toBe('/etc/xen/web.cfg');
  });

  test('on_poweroff=preserve keeps the domain shut down (---s--) with reason poweroff', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('keep', { onPoweroff: 'preserve' }));
    host.requestShutdown(id, 'poweroff');
    runUntil(host, () => host.domain(id)!.state.shutdown);
    const d = host.domain(id)!;
    expect(d.state).toEqual({ running: false, blocked: false, paused: false, shutdown: true, dying: false, shutdownReason: ShutdownReason.Poweroff });
    expect(host.xenstoreRead(`/local/domain/${id}/control/shutdown`)).toBe('');
    expect(host.consoleLog(id)).toMatch(/reboot: Power down\r\n$/);
    const cpu = d.cpuTimeNs;
    host.advanceTo(T0 + 3_600_000);
    expect(host.domain(id)!.cpuTimeNs).toBe(cpu);
    expect(codeOf(() => host.requestShutdown(id, 'reboot'))).toBe('INVALID_STATE');
    host.destroy(id);
    expect(host.domain(id)).toBeUndefined();
  });

  test('on_reboot=rename-restart keeps the old domain renamed with a fresh uuid and starts a new one', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('db', { onReboot: 'restart_rename' }));
    const uuid = host.domain(id)!.uuid;
    host.requestShutdown(id, 'reboot');
    const down = runUntil(host, () => host.domain(id)!.state.shutdown);
    host.advanceTo(down + 2000);
    const old = host.domain(id)!;
    const stamp = new Date(down).toISOString().replace(/[-:]/g, '').slice(0, 13);
    expect(old.name).toBe(`db-${stamp}Z`);
    expect(old.uuid).not.toBe(uuid);
    expect(old.state.shutdown).toBe(true);
    expect(old.state.shutdownReason).toBe(ShutdownReason.Reboot);
    const fresh = host.domain(host.domidByName('db')!)!;
    expect(fresh.uuid).toBe(uuid);
    expect(fresh.domid).not.toBe(id);
  });

  test('destroying the renamed leftover during the restart delay does not stop the restart', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('db', { onReboot: 'restart_rename' }));
    host.requestShutdown(id, 'reboot');
    const down = runUntil(host, () => host.domain(id)!.state.shutdown);
    host.advanceTo(down + 500);
    host.destroy(id);
    host.advanceTo(down + 2000);
    expect(host.domidByName('db')).toBeDefined();
  });

  test('coredump-destroy acts as destroy; without a monitor (create -e) the guest stays shut down', () => {
    const { host } = setup();
    const a = host.createDomain(guestConfig('a', { onPoweroff: 'coredump_destroy' }));
    const b = host.createDomain(guestConfig('b'), { monitor: false });
    host.requestShutdown(a, 'poweroff');
    host.requestShutdown(b, 'reboot');
    host.advanceTo(T0 + 120_000);
    expect(host.domain(a)).toBeUndefined();
    expect(host.domain(b)!.state.shutdown).toBe(true);
    expect(host.domain(b)!.state.shutdownReason).toBe(ShutdownReason.Reboot);
    expect(host.events().filter((e) => e.kind === 'action').map((e) => (e as { action: string }).action)).toEqual(['coredump-destroy']);
  });

  test('a paused guest only answers once unpaused', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('p'));
    host.advanceTo(T0 + 20_000);
    host.pause(id);
    host.requestShutdown(id, 'poweroff');
    expect(host.shutdownAckTime(id)).toBeUndefined();
    host.advanceTo(T0 + 600_000);
    expect(host.domain(id)!.state.shutdown).toBe(false);
    host.unpause(id);
    const ack = host.shutdownAckTime(id)!;
    expect(ack).toBeGreaterThan(T0 + 600_000);
    host.advanceTo(ack);
    expect(host.xenstoreRead(`/local/domain/${id}/control/shutdown`)).toBe('');
    runUntil(host, () => host.domain(id) === undefined);
  });

  test('a restart that no longer fits (name taken meanwhile) is reported, not thrown', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('vm'));
    host.requestShutdown(id, 'reboot');
    const down = runUntil(host, () => host.domain(id) === undefined);
    host.advanceTo(down + 1000);
    const squatter = host.createDomain(guestConfig('vm'));
    host.advanceTo(down + 5000);
    expect(host.listDomains().map((d) => d.domid)).toEqual([0, squatter]);
    expect(host.events().filter((e) => e.kind === 'action').map((e) => (e as { action: string }).action)).toEqual(['restart', 'restart-failed']);
  });
});

describe('vcpu-set, mem-set, mem-max, rename', () => {
  test('setVcpus changes the online count within max vCPUs', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('v', { vcpus: 2, maxVcpus: 4 }));
    host.setVcpus(id, 4);
    expect(host.domain(id)!.onlineVcpus).toBe(4);
    host.setVcpus(id, 1);
    const d = host.domain(id)!;
    expect(d.vcpus!.map((v) => v.online)).toEqual([true, false, false, false]);
    expect(d.vcpus![1].cpu).toBeUndefined();
    expect(d.config!.b_info.avail_vcpus).toEqual([0]);
    expect(host.xenstoreRead(`/local/domain/${id}/cpu/1/availability`)).toBe('offline');
    expect(codeOf(() => host.setVcpus(id, 5))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => host.setVcpus(id, 0))).toBe('INVALID_ARGUMENT');
  });

  test('rename updates name lookups and xenstore; names stay unique', () => {
    const { host } = setup();
    const a = host.createDomain(guestConfig('a'));
    host.createDomain(guestConfig('b'));
    expect(codeOf(() => host.rename(a, 'b'))).toBe('NAME_EXISTS');
    host.rename(a, 'c');
    expect(host.domidByName('c')).toBe(a);
    expect(host.xenstoreRead(`/local/domain/${a}/name`)).toBe('c');
    expect(host.domain(a)!.config!.c_info.name).toBe('c');
  });

  test('scheduler parameters: defaults, config values, and changes', () => {
    const { host } = setup();
    const a = host.createDomain(guestConfig('a', { vcpus: 2 }));
    const b = host.createDomain(guestConfig('b', { weight: 512, cap: 50 }));
    expect(host.schedParams(0)).toEqual({ weight: 256, cap: 0 });
    expect(host.schedParams(a)).toEqual({ weight: 256, cap: 0 });
    expect(host.schedParams(b)).toEqual({ weight: 512, cap: 50 });
    host.setSchedParams(a, { weight: 1000 });
    expect(host.schedParams(a)).toEqual({ weight: 1000, cap: 0 });
    expect(codeOf(() => host.setSchedParams(a, { weight: 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => host.setSchedParams(a, { cap: 201 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => host.setSchedParams(99, { cap: 1 }))).toBe('NO_SUCH_DOMAIN');
    expect(host.schedParams(99)).toBeUndefined();
  });
});

describe('vdevToDevid (xl-commands.md §3.7)', () => {
  test('xvd, hd, sd and numeric names', () => {
    expect(vdevToDevid('xvda')).toBe(51712);
    expect(vdevToDevid('xvdb')).toBe(51728);
    expect(vdevToDevid('xvda1')).toBe(51713);
    expect(vdevToDevid('xvdq')).toBe(2 ** 28 + 256 * 16);
    expect(vdevToDevid('xvdaa')).toBe(2 ** 28 + 256 * 26);
    expect(vdevToDevid('hda')).toBe(768);
    expect(vdevToDevid('hdb')).toBe(832);
    expect(vdevToDevid('hdc')).toBe(5632);
    expect(vdevToDevid('hdd')).toBe(5696);
    expect(vdevToDevid('sdb2')).toBe(2048 + 16 + 2);
    expect(vdevToDevid('51712')).toBe(51712);
    expect(vdevToDevid('fd0')).toBeUndefined();
  });
});

describe('crash and hot-plug', () => {
  test('crash: on_crash=preserve shows reason crash; default destroys', () => {
    const { host } = setup();
    const keep = host.createDomain({ ...guestConfig('keep'), on_crash: 'preserve' });
    const gone = host.createDomain(guestConfig('gone'));
    host.advanceTo(T0 + 20_000);
    host.crash(keep);
    host.crash(gone);
    expect(host.domain(keep)!.state.shutdownReason).toBe(ShutdownReason.Crash);
    expect(host.consoleLog(keep)).toMatch(/\] Kernel panic - not syncing: sysrq triggered crash\r\n$/);
    expect(host.domain(gone)).toBeUndefined();
    expect(codeOf(() => host.crash(keep))).toBe('INVALID_STATE');
  });

  test('attach and detach a disk and a nic: xenstore, event channels, grants and the stored config follow', () => {
    const { host } = setup();
    const id = host.createDomain(guestConfig('hp', { disks: [{ vdev: 'xvda', target: '/a' }] }));
    host.advanceTo(T0 + 20_000);
    const ports = host.eventChannels(id).length;
    const grants = host.grants(id).length;
    expect(host.attachDisk(id, { pdev_path: '/b.img', vdev: 'xvdb', backend: 'qdisk', readwrite: 1 })).toBe(51728);
    expect(host.xenstoreRead(`/local/domain/0/backend/qdisk/${id}/51728/params`)).toBe('raw:/b.img'); // libxl_disk.c: <format>:<path> for qdisk
    host.advanceTo(T0 + 20_050);
    expect(host.consoleLog(id)).toMatch(/blkfront: xvdb: flush diskcache/);
    expect(codeOf(() => host.attachDisk(id, { vdev: 'xvdb' }))).toBe('INVALID_ARGUMENT');
    expect(host.domain(id)!.config!.disks!.map((d) => d.vdev)).toEqual(['xvda', 'xvdb']);
    const nic = host.attachNic(id, { bridge: 'xenbr1' });
    expect(nic).toBe(0);
    host.advanceTo(T0 + 20_100);
    const cfg = host.domain(id)!.config!;
    expect(Object.keys(cfg).sort()).toEqual(['b_info', 'c_info', 'disks', 'nics']);
    expect(cfg.nics![0]!.mac).toMatch(/^00:16:3e:/);
    expect(host.devices(id).find((d) => d.kind === 'vif')!.ifname).toBe(`vif${id}.0`);
    expect(host.eventChannels(id).length).toBe(ports + 2);
    expect(host.grants(id).length).toBe(grants + 3); // one vbd ring, vif tx and rx rings
    host.detachDisk(id, 51728);
    host.detachNic(id, 0);
    expect(host.eventChannels(id).length).toBe(ports);
    expect(host.grants(id).length).toBe(grants);
    expect(host.xenstoreList(`/local/domain/${id}/device/vif`)).toEqual([]);
    expect(host.xenstoreRead(`/local/domain/0/backend/qdisk/${id}/51728/params`)).toBeUndefined();
    expect(host.domain(id)!.config!.nics).toBeUndefined();
    expect(codeOf(() => host.detachNic(id, 0))).toBe('NO_SUCH_DEVICE');
    expect(codeOf(() => host.attachDisk(0, { vdev: 'xvdc' }))).toBe('DOMAIN_0');
  });
});
