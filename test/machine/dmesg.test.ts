/** The hypervisor console ring: Xen's boot log from the host facts, its bound, clear, snapshots. */
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import { CONRING_SIZE, conringAppend, xenBootLog } from '../../src/machine/dmesg.js';
import { DEFAULT_SEED, Host, HostError } from '../../src/machine/host.js';
import { fromSnapshot, toSnapshot } from '../../src/machine/snapshot.js';
import { guestConfig, T0 } from './helpers.js';

function lines(text: string): string[] {
  return text.split('\n');
}

describe('Xen boot log', () => {
  const host = Host.create(new VirtualClock(T0));
  const log = host.dmesg();

  test('is the 4.20 x86 boot log of the default host, consistent with its facts', () => {
    const l = lines(log);
    expect(l[0]).toBe(' Xen 4.20.0');
    expect(l[1]).toBe(
      '(XEN) Xen version 4.20.0 (pkg-xen-devel@lists.alioth.debian.org) (x86_64-linux-gnu-gcc (Debian 14.2.0-19) 14.2.0) debug=n Tue Jul 22 12:00:00 UTC 2025',
    );
    expect(l).toContain('(XEN) Command line: placeholder dom0_mem=4096M,max:4096M');
    expect(l).toContain('(XEN) System RAM: 32768MB (33554432kB)');
    expect(l).toContain('(XEN) SMP: Allowing 8 CPUs (0 hotplug CPUs)');
    expect(l).toContain('(XEN) Brought up 8 CPUs');
    expect(l).toContain('(XEN) Initializing Credit2 scheduler');
    expect(l).toContain('(XEN) Detected 3192.000 MHz processor.');
    expect(l).toContain('(XEN) Dom0 has maximum 4 VCPUs');
    expect(l).toContain('(XEN) Allocated console ring of 16 KiB.');
    expect(l.filter((x) => /^\(XEN\) Adding cpu \d+ to runqueue 0$/.test(x))).toHaveLength(8);
    expect(l.filter((x) => x.startsWith('(XEN) ACPI: LAPIC '))).toHaveLength(8);
    expect(l.at(-2)).toBe('(XEN) Freed 664kB init memory');
  });

  test('every line after the banner is a (XEN) line, ends in a newline and fits the ring', () => {
    expect(log.endsWith('\n')).toBe(true);
    expect(lines(log).slice(1, -1).every((x) => x.startsWith('(XEN) '))).toBe(true);
    expect(log.length).toBeLessThan(CONRING_SIZE);
    expect(/^[\x20-\x7e\n]*$/.test(log)).toBe(true);
  });

  test('follows a different seed: pCPUs, memory, scheduler, Domain-0', () => {
    const seed = { nrCpus: 4, coresPerSocket: 2, threadsPerCore: 2, totalMemoryMiB: 16384, scheduler: 'credit' as const, dom0Vcpus: 2, dom0MemoryMiB: 2048, xenMinor: 19, xenExtra: '.1' };
    const other = Host.create(new VirtualClock(T0), seed).dmesg();
    const l = lines(other);
    expect(l[0]).toBe(' Xen 4.19.1');
    expect(l).toContain('(XEN) Command line: placeholder dom0_mem=2048M,max:2048M');
    expect(l).toContain('(XEN) System RAM: 16384MB (16777216kB)');
    expect(l).toContain('(XEN) SMP: Allowing 4 CPUs (0 hotplug CPUs)');
    expect(l).toContain('(XEN) Brought up 4 CPUs');
    expect(l).toContain('(XEN) Initializing Credit scheduler');
    expect(l).not.toContain('(XEN) Initializing Credit2 scheduler');
    expect(l.some((x) => x.includes('to runqueue'))).toBe(false);
    expect(l).toContain('(XEN) Dom0 has maximum 2 VCPUs');
    expect(other).toBe(xenBootLog({ ...DEFAULT_SEED, ...seed }));
  });

  test('a release Xen stays quiet through a normal guest lifecycle', () => {
    const clock = new VirtualClock(T0);
    const h = Host.create(clock);
    const before = h.dmesg();
    const a = h.createDomain(guestConfig('a'));
    h.createDomain(guestConfig('b', { type: 'hvm' }));
    h.advanceTo(T0 + 20_000);
    h.requestShutdown(a, 'poweroff');
    h.advanceTo(T0 + 40_000);
    h.destroy(h.domidByName('b')!);
    expect(h.domain(a)).toBeUndefined();
    expect(h.dmesg()).toBe(before);
  });
});

describe('console ring', () => {
  test('clearDmesg empties the ring', () => {
    const h = Host.create(new VirtualClock(T0));
    h.clearDmesg();
    expect(h.dmesg()).toBe('');
  });

  test('is bounded to 16 KiB: the oldest bytes fall off, mid-line', () => {
    const boot = xenBootLog(DEFAULT_SEED);
    const extra = '(XEN) grant_table.c:1234: d0v1 Bad flags (0) or dom (0); expected d0\n'.repeat(200);
    const ring = conringAppend(boot, extra);
    expect(ring.length).toBe(CONRING_SIZE);
    expect(ring).toBe((boot + extra).slice(-CONRING_SIZE));
    expect(ring.startsWith('(XEN) ')).toBe(false);
    expect(conringAppend('abc', 'def', 4)).toBe('cdef');
    expect(conringAppend('ab', 'c', 4)).toBe('abc');
  });
});

describe('snapshots', () => {
  test('carry the ring: a cleared ring stays cleared after a round trip', () => {
    const clock = new VirtualClock(T0);
    const h = Host.create(clock);
    expect(fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(h))), clock).dmesg()).toBe(h.dmesg());
    h.clearDmesg();
    const snap = toSnapshot(h);
    expect(snap.tables.consoles!.find(([k]) => k === 'hv')?.[1]).toMatchObject({ text: '' });
    expect(fromSnapshot(JSON.parse(JSON.stringify(snap)), clock).dmesg()).toBe('');
  });
});
