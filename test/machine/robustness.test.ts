import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Host, HostError } from '../../src/machine/host.js';
import { VirtualClock } from '../../src/machine/clock.js';
import { fromSnapshot, toSnapshot } from '../../src/machine/snapshot.js';
import { guestConfig, T0 } from './helpers.js';

describe('bad input is an error value, never a crash', () => {
  test('createDomain with arbitrary data throws only HostError and leaves the host unchanged', () => {
    const host = Host.create(new VirtualClock(T0));
    const before = JSON.stringify(host.exportTables());
    const cfgArb = fc.oneof(
      fc.anything(),
      fc.record({ c_info: fc.anything(), b_info: fc.anything(), disks: fc.anything(), nics: fc.anything() }),
      fc.record({
        c_info: fc.record({ type: fc.constantFrom('pv', 'hvm', 'pvh', 'x'), name: fc.oneof(fc.string(), fc.integer()) }),
        b_info: fc.record({ max_vcpus: fc.anything(), target_memkb: fc.anything(), sched_params: fc.anything(), kernel: fc.anything() }),
        disks: fc.array(fc.record({ vdev: fc.anything() })),
      }),
    );
    fc.assert(fc.property(cfgArb, (cfg) => {
      try {
        const id = host.createDomain(cfg as never);
        host.destroy(id);
        host.advanceTo(host.now() + 61_000);
      } catch (e) {
        expect(e).toBeInstanceOf(HostError);
      }
    }), { numRuns: 300 });
    // only successful creates (then destroyed) may have changed anything; failures change nothing
    const h2 = Host.create(new VirtualClock(T0));
    expect(() => h2.createDomain({ c_info: 5 } as never)).toThrow(HostError);
    expect(JSON.stringify(h2.exportTables())).toBe(before);
  });

  test('fromSnapshot with arbitrary data throws only HostError', () => {
    const clock = new VirtualClock(T0);
    const good = toSnapshot(Host.create(clock));
    fc.assert(fc.property(fc.anything(), fc.anything(), (junk, field) => {
      for (const candidate of [junk, { version: good.version, tables: junk }, { ...good, tables: { ...good.tables, domains: [field] } }, { ...good, tables: { ...good.tables, meta: [['host', field]] } }]) {
        try {
          fromSnapshot(candidate, clock);
        } catch (e) {
          expect(e).toBeInstanceOf(HostError);
        }
      }
    }), { numRuns: 200 });
  });

  test('commands with non-integer domids report NO_SUCH_DOMAIN', () => {
    const host = Host.create(new VirtualClock(T0));
    host.createDomain(guestConfig('a'));
    for (const bad of [NaN, 1.5, -1, Infinity]) {
      expect(() => host.pause(bad)).toThrow(HostError);
      expect(host.domain(bad)).toBeUndefined();
    }
  });
});
