import { describe, expect, test } from 'vitest';
import { Host, HostError, MAX_DOMID } from '../../src/machine/host.js';
import { VirtualClock } from '../../src/machine/clock.js';
import { guestConfig, T0 } from './helpers.js';

function withDomid(name: string, domid: number) {
  const c = guestConfig(name, { memoryMiB: 64 });
  c.c_info.domid = domid;
  return c;
}

describe('domid allocation (xl-commands.md §5.2)', () => {
  test('sequential after the last allocated; destroyed ids are not reused before wrap', () => {
    const host = Host.create(new VirtualClock(T0));
    const a = host.createDomain(guestConfig('a', { memoryMiB: 64 }));
    const b = host.createDomain(guestConfig('b', { memoryMiB: 64 }));
    expect([a, b]).toEqual([1, 2]);
    host.destroy(a);
    host.destroy(b);
    host.advanceTo(T0 + 3_600_000);
    expect(host.createDomain(guestConfig('c', { memoryMiB: 64 }))).toBe(3);
  });

  test('wraps from 32751 to 1 and skips ids in use', () => {
    const host = Host.create(new VirtualClock(T0));
    host.createDomain(guestConfig('one', { memoryMiB: 64 })); // 1
    host.createDomain(guestConfig('two', { memoryMiB: 64 })); // 2
    expect(host.createDomain(withDomid('top', MAX_DOMID - 1))).toBe(32750);
    expect(host.createDomain(guestConfig('next', { memoryMiB: 64 }))).toBe(32751);
    expect(host.createDomain(guestConfig('wrapped', { memoryMiB: 64 }))).toBe(3);
  });

  test('an id destroyed less than 60 s ago is skipped after the wrap, reused later', () => {
    const clock = new VirtualClock(T0);
    const host = Host.create(clock);
    const one = host.createDomain(guestConfig('one', { memoryMiB: 64 }));
    host.createDomain(withDomid('top', MAX_DOMID));
    host.destroy(one);
    expect(host.createDomain(guestConfig('x', { memoryMiB: 64 }))).toBe(2);
    host.destroy(2);
    host.createDomain(withDomid('top2', MAX_DOMID - 1));
    host.advanceTo(T0 + 61_000);
    // 1 and 2 are both free and old enough now: the rover continues after 32750 → 32751 in use → 1
    expect(host.createDomain(guestConfig('y', { memoryMiB: 64 }))).toBe(1);
  });

  test('a requested domid that is in use is refused without changing anything', () => {
    const host = Host.create(new VirtualClock(T0));
    host.createDomain(guestConfig('a', { memoryMiB: 64 }));
    const before = JSON.stringify(host.exportTables());
    expect(() => host.createDomain(withDomid('b', 1))).toThrow(HostError);
    expect(JSON.stringify(host.exportTables())).toBe(before);
  });

  test('a failed create does not consume a domid (documented difference from xl)', () => {
    const host = Host.create(new VirtualClock(T0));
    host.createDomain(guestConfig('a', { memoryMiB: 64 }));
    expect(() => host.createDomain(guestConfig('a', { memoryMiB: 64 }))).toThrow(/already in use/);
    expect(() => host.createDomain(guestConfig('huge', { memoryMiB: 64 * 1024 }))).toThrow(HostError);
    expect(host.createDomain(guestConfig('b', { memoryMiB: 64 }))).toBe(2);
  });
});
