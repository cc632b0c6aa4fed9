import { describe, expect, test } from 'vitest';
import { Host, HostError } from '../../src/machine/host.js';
import { VirtualClock } from '../../src/machine/clock.js';
import { fromSnapshot, SNAPSHOT_VERSION, toSnapshot } from '../../src/machine/snapshot.js';
import { guestConfig, T0 } from './helpers.js';

function busyHost(): { host: Host; clock: VirtualClock } {
  const clock = new VirtualClock(T0);
  const host = Host.create(clock);
  const a = host.createDomain(guestConfig('a', { vcpus: 2, nics: [{ bridge: 'xenbr0' }], disks: [{ vdev: 'xvda', target: '/dev/vg/a' }] }));
  host.createDomain(guestConfig('b', { type: 'hvm', memoryMiB: 2048 }), { paused: true });
  host.createDomain(guestConfig('c', { onReboot: 'restart' }));
  host.advanceTo(T0 + 1500);
  host.requestShutdown(a, 'reboot');
  host.requestShutdown(host.domidByName('c')!, 'reboot');
  host.advanceTo(T0 + 1500 + 1); // mid-boot, shutdowns pending
  return { host, clock };
}

function errorOf(fn: () => unknown): HostError | undefined {
  try { fn(); } catch (e) { if (e instanceof HostError) return e; throw e; }
  return undefined;
}

describe('snapshot', () => {
  test('is versioned plain JSON and round-trips exactly', () => {
    const { host, clock } = busyHost();
    const snap = toSnapshot(host);
    expect(snap.version).toBe(SNAPSHOT_VERSION);
    const text = JSON.stringify(snap);
    const restored = fromSnapshot(JSON.parse(text), clock);
    expect(JSON.stringify(toSnapshot(restored))).toBe(text);
    expect(restored.now()).toBe(host.now());
    expect(restored.listDomains()).toEqual(host.listDomains());
  });

  test('restore then advance equals advancing the original (boots, shutdown acks, restarts)', () => {
    const { host, clock } = busyHost();
    const restored = fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(host))), clock);
    for (const h of [host, restored]) {
      h.advanceTo(T0 + 30_000);
      h.unpause(h.domidByName('b')!);
      h.advanceTo(T0 + 3 * 86_400_000);
    }
    expect(toSnapshot(restored)).toEqual(toSnapshot(host));
    expect(restored.events()).toEqual(host.events());
    expect(host.events().filter((e) => e.kind === 'created').length).toBe(5);
  });

  test('a snapshot is a copy: later changes to the host do not leak into it', () => {
    const { host } = busyHost();
    const snap = toSnapshot(host);
    const before = JSON.stringify(snap);
    host.destroy(host.domidByName('a')!);
    host.advanceTo(T0 + 100_000);
    expect(JSON.stringify(snap)).toBe(before);
  });

  test('unknown versions and malformed data are refused with INVALID_ARGUMENT and a clear message', () => {
    const { host, clock } = busyHost();
    const good = JSON.parse(JSON.stringify(toSnapshot(host)));
    let e = errorOf(() => fromSnapshot({ ...good, version: 99 }, clock));
    expect(e?.code).toBe('INVALID_ARGUMENT');
    expect(e?.message).toBe(`unsupported snapshot version 99 (this xlsim reads version ${SNAPSHOT_VERSION})`);
    e = errorOf(() => fromSnapshot(null, clock));
    expect(e?.message).toBe('invalid snapshot: not an object');
    e = errorOf(() => fromSnapshot({ version: SNAPSHOT_VERSION }, clock));
    expect(e?.message).toBe('invalid snapshot: missing tables');
    const broken = structuredClone(good);
    broken.tables.domains = 'lots';
    expect(errorOf(() => fromSnapshot(broken, clock))?.message).toBe('invalid snapshot: table domains is not a list');
    const badRow = structuredClone(good);
    badRow.tables.domains[1] = { domid: 1 };
    expect(errorOf(() => fromSnapshot(badRow, clock))?.message).toBe('invalid snapshot: domains[1] is not a [key, row] pair');
    const noHost = structuredClone(good);
    noHost.tables.meta = [];
    expect(errorOf(() => fromSnapshot(noHost, clock))?.message).toBe('invalid snapshot: the tables hold no host');
  });
});

describe('determinism', () => {
  test('same seed and same commands give the same host; another seed gives other uuids and MACs', () => {
    const run = (rngSeed?: number) => {
      const host = Host.create(new VirtualClock(T0), rngSeed === undefined ? {} : { rngSeed });
      host.createDomain(guestConfig('x', { nics: [{}] }));
      host.advanceTo(T0 + 12_345);
      host.createDomain(guestConfig('y', { type: 'hvm' }));
      host.advanceTo(T0 + 99_999);
      return host;
    };
    const a = run();
    const b = run();
    expect(toSnapshot(a)).toEqual(toSnapshot(b));
    expect(a.consoleLog(1)).toBe(b.consoleLog(1));
    const c = run(42);
    expect(c.domain(1)!.uuid).not.toBe(a.domain(1)!.uuid);
    expect(c.devices(1)[0]!.mac).not.toBe(a.devices(1)[0]!.mac);
    expect(c.devices(1)[0]!.mac).toMatch(/^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
  });
});
