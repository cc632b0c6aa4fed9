import { describe, expect, test } from 'vitest';
import { DEFAULT_SEED, Host, HostError } from '../../src/machine/host.js';
import { VirtualClock } from '../../src/machine/clock.js';
import { guestConfig, T0 } from './helpers.js';

const freeAtBoot = DEFAULT_SEED.totalMemoryMiB - DEFAULT_SEED.xenReservedMiB - DEFAULT_SEED.dom0MemoryMiB;

function codeOf(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { if (e instanceof HostError) return e.code; throw e; }
  return undefined;
}

describe('memory accounting (xl-commands.md §5.4)', () => {
  test('free memory: 32 GiB minus Xen\'s reserve minus Domain-0', () => {
    const host = Host.create(new VirtualClock(T0));
    expect(host.info().freeMemoryMiB).toBe(freeAtBoot);
    expect(freeAtBoot).toBeLessThan(32768 - 4096);
  });

  test('PV shows exactly memory=, max = target + 1024 KiB; free drops by target + 1 MiB rounded to 2 MiB', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain(guestConfig('pv', { memoryMiB: 1024 }));
    const d = host.domain(id)!;
    expect(d.memKiB).toBe(1024 * 1024);
    expect(d.targetKiB).toBe(1024 * 1024);
    expect(d.maxMemKiB).toBe(1024 * 1024 + 1024);
    expect(host.info().freeMemoryMiB).toBe(freeAtBoot - 1026);
    host.destroy(id);
    expect(host.info().freeMemoryMiB).toBe(freeAtBoot);
  });

  test('HVM shows about 1 MiB less than memory= and costs 2 MiB of overhead', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain(guestConfig('hvm', { type: 'hvm', memoryMiB: 2048 }));
    const d = host.domain(id)!;
    expect(Math.floor(d.memKiB / 1024)).toBe(2047);
    expect(d.maxMemKiB).toBe(2048 * 1024 + 1024);
    expect(host.info().freeMemoryMiB).toBe(freeAtBoot - 2050);
  });

  test('a domain that does not fit fails with OUT_OF_MEMORY and leaves the host unchanged', () => {
    const clock = new VirtualClock(T0);
    const host = Host.create(clock);
    host.createDomain(guestConfig('a', { memoryMiB: 20000 }));
    host.advanceTo(T0 + 5000);
    const before = JSON.stringify(host.exportTables());
    const events = host.eventCount();
    expect(codeOf(() => host.createDomain(guestConfig('b', { memoryMiB: freeAtBoot - 20002 + 2 })))).toBe('OUT_OF_MEMORY');
    expect(JSON.stringify(host.exportTables())).toBe(before);
    expect(host.eventCount()).toBe(events);
    // exactly the free amount minus the 1 MiB PV extra (rounded to 2 MiB) fits
    const id = host.createDomain(guestConfig('b', { memoryMiB: freeAtBoot - 20002 - 2 }));
    expect(host.info().freeMemoryMiB).toBe(0);
    expect(host.domain(id)).toBeDefined();
  });

  test('mem-set moves target, allocation and Xen max; refuses to exceed static-max or free memory', () => {
    const host = Host.create(new VirtualClock(T0));
    const cfg = guestConfig('m', { memoryMiB: 512 });
    cfg.b_info.max_memkb = 2048 * 1024;
    const id = host.createDomain(cfg);
    host.setMemoryTarget(id, 1024 * 1024);
    let d = host.domain(id)!;
    expect(d.memKiB).toBe(1024 * 1024);
    expect(d.maxMemKiB).toBe(1024 * 1024 + 1024);
    expect(host.xenstoreRead(`/local/domain/${id}/memory/target`)).toBe(String(1024 * 1024));
    expect(d.config!.b_info.target_memkb).toBe(1024 * 1024);
    expect(codeOf(() => host.setMemoryTarget(id, 4096 * 1024))).toBe('INVALID_ARGUMENT');
    host.setMaxMemory(id, 4096 * 1024);
    d = host.domain(id)!;
    expect(d.maxMemKiB).toBe(4096 * 1024 + 1024);
    expect(host.xenstoreRead(`/local/domain/${id}/memory/static-max`)).toBe(String(4096 * 1024));
    expect(d.config!.b_info.max_memkb).toBe(4096 * 1024);
    expect(codeOf(() => host.setMaxMemory(id, 100))).toBe('INVALID_ARGUMENT');
    host.setMaxMemory(id, 64 * 1024 * 1024);
    expect(codeOf(() => host.setMemoryTarget(id, 60 * 1024 * 1024))).toBe('OUT_OF_MEMORY');
    expect(host.domain(id)!.memKiB).toBe(1024 * 1024);
  });

  test('ballooning Domain-0 down frees host memory; it keeps no max', () => {
    const host = Host.create(new VirtualClock(T0));
    host.setMemoryTarget(0, 2048 * 1024);
    expect(host.info().freeMemoryMiB).toBe(freeAtBoot + 2048);
    expect(host.domain(0)!.maxMemKiB).toBeUndefined();
  });
});
