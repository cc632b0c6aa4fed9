/**
 * The host's mechanisms driven through its API under a virtual clock: the XenbusState
 * handshake of a hot-plugged device step by step, invalid transitions, hard affinity,
 * the guest's console shell, fault injection, Xen's vCPU limits, host descriptions and
 * determinism.
 */
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import { Ctx } from '../../src/machine/ctx.js';
import { setXenbusState } from '../../src/machine/devices.js';
import { HostError } from '../../src/machine/errors.js';
import { Host, initHost } from '../../src/machine/host.js';
import { seedFromDescription } from '../../src/machine/hostdesc.js';
import { transition } from '../../src/machine/lifecycle.js';
import { XenbusState, type DeviceRecord, type DomainRecord } from '../../src/machine/records.js';
import { MemoryBackend, numKey, Tx } from '../../src/machine/tables.js';
import { guestConfig, runUntil, T0 } from './helpers.js';

const SEC = 1e9;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof HostError) return e.code;
    throw e;
  }
  return undefined;
}

/** A booted guest (its xenbus up, at its login prompt) on a fresh host. */
function booted(name = 'web', over: Parameters<typeof guestConfig>[1] = {}) {
  const clock = new VirtualClock(T0);
  const host = Host.create(clock);
  const id = host.createDomain(guestConfig(name, over));
  host.advanceTo(T0 + 20_000);
  return { host, id };
}

/** Logs in on the guest's console as `user` and returns the console text from then on for one command. */
function shell(host: Host, id: number, user = 'root') {
  host.consoleInput(id, `${user}\r`);
  host.consoleInput(id, 'secret\r');
  return (line: string): string => {
    const before = host.consoleLog(id).length;
    host.consoleInput(id, `${line}\r`);
    return host.consoleLog(id).slice(before);
  };
}

describe('a hot-plugged vbd goes through the XenbusState handshake (libxl_device.c, xenbus drivers)', () => {
  test('each step makes the xenstore nodes, grant and event channel a real host makes at that step', () => {
    const { host, id } = booted();
    const ports = host.eventChannels(id).length;
    const grants = host.grants(id).length;
    const devid = host.attachDisk(id, { pdev_path: '/srv/b.img', vdev: 'xvdb', backend: 'phy', readwrite: 1 });
    const fe = `/local/domain/${id}/device/vbd/${devid}`;
    const be = `/local/domain/0/backend/vbd/${id}/${devid}`;
    const dev = (): { be: number; fe: number; evtch: number; ringRef: number } => {
      const d = host.devices(id).find((x) => x.devid === devid)!;
      return { be: d.backendState, fe: d.state, evtch: d.evtch, ringRef: d.ringRef };
    };
    // 1. toolstack + backend probe: backend InitWait, frontend Initialising, nothing bound yet
    expect(dev()).toEqual({ be: XenbusState.InitWait, fe: XenbusState.Initialising, evtch: -1, ringRef: -1 });
    expect(host.xenstoreRead(`${be}/state`)).toBe('2');
    expect(host.xenstoreRead(`${fe}/state`)).toBe('1');
    expect(host.xenstoreRead(`${fe}/ring-ref`)).toBeUndefined();
    expect(host.xenstoreRead(`${be}/params`)).toBe('/srv/b.img');
    expect(host.xenstoreDump(fe)[0]![1].p).toEqual([`n${id}`, 'r0']);
    expect(host.eventChannels(id).length).toBe(ports);
    // 2. frontend init: ring granted to Domain-0, event channel bound, frontend Initialised
    host.advanceTo(host.nextEventTime()!);
    const s2 = dev();
    expect(s2).toMatchObject({ be: XenbusState.InitWait, fe: XenbusState.Initialised });
    expect(host.xenstoreRead(`${fe}/ring-ref`)).toBe(String(s2.ringRef));
    expect(host.xenstoreRead(`${fe}/event-channel`)).toBe(String(s2.evtch));
    expect(host.grants(id).find((g) => g.ref === s2.ringRef)).toMatchObject({ toDomid: 0, readonly: false });
    const end = host.eventChannels(id).find((e) => e.port === s2.evtch)!;
    expect(end.remoteDomid).toBe(0);
    expect(host.eventChannels(0).find((e) => e.port === end.remotePort)?.remotePort).toBe(s2.evtch);
    // 3. backend connects, 4. frontend connects
    host.advanceTo(host.nextEventTime()!);
    expect(dev()).toMatchObject({ be: XenbusState.Connected, fe: XenbusState.Initialised });
    host.advanceTo(host.nextEventTime()!);
    expect(dev()).toMatchObject({ be: XenbusState.Connected, fe: XenbusState.Connected });
    expect(host.xenstoreRead(`${fe}/state`)).toBe('4');
    // unplug: Closing → Closed on both ends, then the nodes, grant and channel go
    const since = host.eventCount();
    host.detachDisk(id, devid);
    const states = host.events(since).filter((e) => e.kind === 'device').map((e) => `${(e as { side: string }).side}:${(e as { state: number }).state}`);
    expect(states).toEqual(['backend:5', 'frontend:5', 'frontend:6', 'backend:6']);
    expect(host.xenstoreRead(`${fe}/state`)).toBeUndefined();
    expect(host.xenstoreList(`/local/domain/0/backend/vbd`)).toEqual([]); // its last vbd took the directory with it
    expect(host.eventChannels(id).length).toBe(ports);
    expect(host.grants(id).length).toBe(grants);
  });

  test('a paused guest\'s frontend waits: the backend stays in InitWait until the guest runs', () => {
    const { host, id } = booted();
    host.pause(id);
    const devid = host.attachDisk(id, { pdev_path: '/x', vdev: 'xvdc' });
    host.advanceTo(T0 + 60_000);
    expect(host.devices(id).find((d) => d.devid === devid)).toMatchObject({ backendState: 2, state: 1 });
    host.unpause(id);
    host.advanceTo(T0 + 60_100);
    expect(host.devices(id).find((d) => d.devid === devid)).toMatchObject({ backendState: 4, state: 4 });
  });

  test('a disk named d0p1 (libxl\'s d<disk>p<part> form) is decoded by the parser\'s one vdev table', () => {
    const clock = new VirtualClock(T0);
    const host = Host.create(clock);
    const id = host.createDomain(guestConfig('dp', { disks: [{ vdev: 'd0p1', target: '/dev/vg/dp' }] }));
    expect(host.devices(id).map((d) => d.devid)).toEqual([(202 << 8) | 1]);
  });
});

describe('invalid transitions are typed errors', () => {
  function ctx(): Ctx {
    const backend = new MemoryBackend();
    const tx = Tx.over(backend);
    initHost(tx, new VirtualClock(T0));
    return Ctx.open(tx);
  }

  test('XenbusState: a backend cannot jump from Initialising to Reconfigured, nor a closed end to Connected', () => {
    const c = ctx();
    const dev = {
      kind: 'vbd', backendKind: 'vbd', devid: 51712, domid: 1, backendDomid: 0, frontendPath: '/local/domain/1/device/vbd/51712',
      backendPath: '/local/domain/0/backend/vbd/1/51712', be: XenbusState.Initialising, fe: XenbusState.Initialising, grants: [], props: {}, rate: 500, pluggedAt: T0,
    } as DeviceRecord;
    expect(codeOf(() => setXenbusState(c, dev, 'backend', XenbusState.Reconfigured))).toBe('INVALID_TRANSITION');
    setXenbusState(c, dev, 'backend', XenbusState.Closed);
    expect(codeOf(() => setXenbusState(c, dev, 'backend', XenbusState.Connected))).toBe('INVALID_TRANSITION');
    expect(dev.be).toBe(XenbusState.Closed);
  });

  test('lifecycle: a dying domain cannot run again; shutting down twice is refused', () => {
    const c = ctx();
    const rec = c.tx.get<DomainRecord>('domains', numKey(0))!;
    const guest = structuredClone(rec);
    guest.domid = 5;
    guest.life = { state: 'running' };
    transition(guest, { state: 'shutdown', reason: 0 });
    expect(codeOf(() => transition(guest, { state: 'shutdown', reason: 1 }))).toBe('INVALID_TRANSITION');
    transition(guest, { state: 'dying' });
    expect(codeOf(() => transition(guest, { state: 'running' }))).toBe('INVALID_TRANSITION');
    expect(guest.life.state).toBe('dying');
  });
});

describe('hard affinity is honoured per pCPU (credit2 shares)', () => {
  test('4 booting vCPUs pinned to pCPU 0 together get at most one pCPU of time', () => {
    const clock = new VirtualClock(T0);
    const host = Host.create(clock);
    const cfg = guestConfig('pinned', { vcpus: 4 });
    cfg.b_info.vcpu_hard_affinity = [[0], [0], [0], [0]];
    const id = host.createDomain(cfg);
    host.advanceTo(T0 + 1000);
    const d = host.domain(id)!;
    expect(d.cpuTimeNs).toBeLessThanOrEqual(1 * SEC);
    expect(d.cpuTimeNs).toBeGreaterThan(0.9 * SEC);
    expect(d.vcpus!.every((v) => v.cpu === 0 || v.cpu === undefined)).toBe(true);
  });

  test('vcpu-pin moves a vCPU at once and the scheduler follows', () => {
    const clock = new VirtualClock(T0);
    const host = Host.create(clock);
    const a = host.createDomain(guestConfig('a', { vcpus: 2 }));
    const b = host.createDomain(guestConfig('b', { vcpus: 2 }));
    host.pinVcpu(a, 'all', [3]);
    host.pinVcpu(b, 'all', [3]);
    const t0 = host.domain(a)!.cpuTimeNs + host.domain(b)!.cpuTimeNs;
    host.advanceTo(T0 + 1000);
    expect(host.domain(a)!.cpuTimeNs + host.domain(b)!.cpuTimeNs - t0).toBeLessThanOrEqual(1 * SEC);
    expect(host.domain(a)!.vcpus!.map((v) => v.hardAffinity)).toEqual([[3], [3]]);
    host.pinVcpu(b, 'all', null);
    expect(host.domain(b)!.vcpus![0]!.hardAffinity).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(codeOf(() => host.pinVcpu(a, 5, [1]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => host.pinVcpu(a, 0, [99]))).toBe('INVALID_ARGUMENT');
  });
});

describe('the guest OS: a console that takes input, a login and a shell', () => {
  test('log in with any user name; uname -a and cat /proc/xen/capabilities answer as a domU does', () => {
    const { host, id } = booted('deb');
    expect(host.consoleLog(id).endsWith('deb login: ')).toBe(true);
    const run = shell(host, id);
    expect(run('uname -r')).toBe('uname -r\r\n6.1.0-21-amd64\r\nroot@deb:~# ');
    expect(run('uname -a')).toMatch(/^uname -a\r\nLinux deb 6\.1\.0-21-amd64 #1 SMP .* x86_64 GNU\/Linux\r\n/);
    expect(run('cat /proc/xen/capabilities')).toBe('cat /proc/xen/capabilities\r\nroot@deb:~# ');
    expect(run('xenstore-read name')).toBe('xenstore-read name\r\ndeb\r\nroot@deb:~# ');
  });

  test('stress -c 2 keeps two vCPUs busy until Ctrl-C', () => {
    const { host, id } = booted('cpu', { vcpus: 2 });
    const run = shell(host, id);
    run('stress -c 2');
    const c0 = host.domain(id)!.cpuTimeNs;
    host.advanceTo(T0 + 21_000);
    expect(host.domain(id)!.cpuTimeNs - c0).toBeGreaterThan(1.9 * SEC);
    host.consoleInput(id, '\x03');
    const c1 = host.domain(id)!.cpuTimeNs;
    host.advanceTo(T0 + 22_000);
    expect(host.domain(id)!.cpuTimeNs - c1).toBeLessThan(0.05 * SEC);
  });

  test('poweroff from inside follows on_poweroff exactly as a shutdown from Domain-0 does', () => {
    const { host, id } = booted('off', { onPoweroff: 'preserve' });
    shell(host, id)('poweroff');
    runUntil(host, () => host.domain(id)!.state.shutdown);
    expect(host.domain(id)!.state.shutdownReason).toBe(0);
    expect(host.consoleLog(id)).toMatch(/reboot: Power down\r\n$/);
  });

  test('sysrq c panics the kernel and on_crash runs', () => {
    const { host, id } = booted('panic');
    shell(host, id)('echo c > /proc/sysrq-trigger');
    expect(host.domain(id)).toBeUndefined();
    expect(host.events().some((e) => e.kind === 'shutdown' && e.domid === id && e.reason === 3)).toBe(true);
  });
});

describe('fault injection (xlsim host fault)', () => {
  test('the next create fails until the fault is used up', () => {
    const { host } = booted();
    host.injectFault({ kind: 'fail-creates', count: 1 });
    expect(codeOf(() => host.createDomain(guestConfig('x')))).toBe('INJECTED_FAULT');
    host.consumeCreateFault();
    expect(host.createDomain(guestConfig('x'))).toBeGreaterThan(0);
  });

  test('a guest that ignores shutdown requests never acknowledges them', () => {
    const { host, id } = booted();
    host.injectFault({ kind: 'ignore-shutdown', domid: id, on: true });
    host.requestShutdown(id, 'poweroff');
    expect(host.shutdownAckTime(id)).toBeUndefined();
    host.advanceTo(T0 + 120_000);
    expect(host.xenstoreRead(`/local/domain/${id}/control/shutdown`)).toBe('poweroff');
    expect(host.domain(id)!.state.shutdown).toBe(false);
  });

  test('a guest crashes after N seconds of its own run time', () => {
    const { host, id } = booted('doomed', { onPoweroff: 'preserve' });
    host.injectFault({ kind: 'crash-after', domid: id, seconds: 5 });
    host.advanceTo(T0 + 24_999);
    expect(host.domain(id)).toBeDefined();
    host.advanceTo(T0 + 25_000);
    expect(host.domain(id)).toBeUndefined();
    expect(host.events().filter((e) => e.kind === 'shutdown').map((e) => (e as { reason: number }).reason)).toEqual([3]);
  });
});

describe('Xen\'s limits: vCPUs beyond what Xen allows are refused, never a crash', () => {
  test('HVM and PVH take at most 128 vCPUs (HVM_MAX_VCPUS), PV 8192 (MAX_VIRT_CPUS)', () => {
    const host = Host.create(new VirtualClock(T0), { totalMemoryMiB: 1 << 20 });
    expect(codeOf(() => host.createDomain(guestConfig('h', { type: 'hvm', vcpus: 1, maxVcpus: 129 })))).toBe('LIMIT');
    expect(codeOf(() => host.createDomain(guestConfig('p', { type: 'pvh', vcpus: 1, maxVcpus: 129 })))).toBe('LIMIT');
    expect(codeOf(() => host.createDomain(guestConfig('v', { vcpus: 1, maxVcpus: 8193 })))).toBe('LIMIT');
    expect(host.createDomain(guestConfig('big', { vcpus: 2, maxVcpus: 128, type: 'hvm' }))).toBe(1);
  });
});

describe('host descriptions', () => {
  test('two NUMA nodes, sockets × cores × threads pCPUs, PCI devices', () => {
    const seed = seedFromDescription({
      cpus: { nodes: 2, sockets: 2, cores: 8, threads: 2 }, memory_mib: 131072, dom0: { memory_mib: 4096, vcpus: 4 },
      xen_version: '4.19.1', scheduler: 'credit', pci: [{ bdf: '0000:03:00.0', description: 'Ethernet controller' }],
    });
    const host = Host.create(new VirtualClock(T0), seed);
    expect(host.info()).toMatchObject({ nrCpus: 32, nrNodes: 2, coresPerSocket: 8, threadsPerCore: 2, totalMemoryMiB: 131072, xenMinor: 19, xenExtra: '.1', scheduler: 'credit' });
    expect(host.seed().pci).toEqual([{ bdf: '0000:03:00.0', description: 'Ethernet controller' }]);
  });

  test('mistakes are named', () => {
    const base = { cpus: { nodes: 1, sockets: 1, cores: 4, threads: 2 }, memory_mib: 8192, dom0: { memory_mib: 1024, vcpus: 2 } };
    const msg = (d: unknown): string => {
      try {
        seedFromDescription(d);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(msg({ ...base, memroy_mib: 1 })).toMatch(/unknown key "memroy_mib"/);
    expect(msg({ ...base, cpus: { nodes: 2, sockets: 3, cores: 1, threads: 1 } })).toMatch(/multiple of cpus\.nodes/);
    expect(msg({ ...base, dom0: { memory_mib: 9000, vcpus: 1 } })).toMatch(/dom0\.memory_mib/);
    expect(msg({ ...base, cpus: { nodes: 1, sockets: 1, cores: 1e9, threads: 1 } })).toMatch(/cpus\.cores/);
    expect(msg([])).toMatch(/JSON object/);
  });
});

describe('determinism', () => {
  test('the same commands at the same virtual times give the same host, row for row', () => {
    const run = (): Host => {
      const clock = new VirtualClock(T0);
      const host = Host.create(clock);
      const a = host.createDomain(guestConfig('a', { vcpus: 2, nics: [{}], disks: [{ vdev: 'xvda', target: '/a' }] }));
      const b = host.createDomain(guestConfig('b', { type: 'hvm', vcpus: 2 }));
      host.advanceTo(T0 + 15_000);
      host.consoleInput(a, 'root\rpw\rstress -c 1 -t 3\r');
      host.attachNic(b, {});
      host.pinVcpu(b, 1, [2]);
      host.advanceTo(T0 + 30_000);
      host.requestShutdown(a, 'reboot');
      host.advanceTo(T0 + 60_000);
      return host;
    };
    const one = run();
    const two = run();
    expect(JSON.stringify(two.exportTables())).toBe(JSON.stringify(one.exportTables()));
    expect(one.domidByName('a')).toBe(3); // rebooted: a new domid
  });
});
