/**
 * Table layout upgrades (machine/ctx.ts `Ctx.open`): a host written by the previous
 * xlsim (layout 3, pools listing their heavy vCPUs) opens in this one (layout 4, share
 * classes) with its domains, CPU times and pools intact, and keeps running.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import { META_KEY } from '../../src/machine/records.js';
import { Host } from '../../src/machine/host.js';
import { SCHEMA_VERSION } from '../../src/machine/records.js';
import { Tx } from '../../src/machine/tables.js';
import { guestConfig, T0 } from './helpers.js';

describe('table layout 3 → 4', () => {
  it('a layout-3 host opens, keeps its domains and CPU times, and its pools get share classes', () => {
    const clock = new VirtualClock(T0);
    const host = Host.create(clock);
    for (const n of ['a', 'b', 'c']) host.createDomain(guestConfig(n, { vcpus: 2 }));
    host.createDomain(guestConfig('p', { vcpus: 4 }), { paused: true });
    host.advanceTo(T0 + 120_000); // booted and idle: no vCPU is in a share class
    const before = host.listDomains();
    const backend = host.memoryBackend()!;

    // Write the rows back as layout 3 had them.
    const tx = Tx.over(backend);
    for (const [k, pool] of tx.range<Record<string, unknown>>('pools', '', undefined)) {
      const { mode: _m, classes: _c, ...rest } = pool;
      tx.put('pools', k, { ...rest, heavy: [], lightMaxRatio: 0 });
    }
    const meta = tx.get<{ schema: number }>('meta', META_KEY)!;
    tx.put('meta', META_KEY, { ...meta, schema: 3 });
    tx.commit(backend);

    const reopened = Host.over(backend, clock);
    expect(reopened.listDomains()).toEqual(before);
    // It goes on running: an unpaused guest boots and accrues CPU time; the first write
    // stores the upgraded layout (a read upgrades only its own view).
    reopened.unpause(reopened.domidByName('p')!);
    expect(Tx.over(backend).get<{ schema: number }>('meta', META_KEY)!.schema).toBe(SCHEMA_VERSION);
    for (const [, pool] of Tx.over(backend).range<Record<string, unknown>>('pools', '', undefined)) {
      expect(pool).not.toHaveProperty('heavy');
      expect(pool).not.toHaveProperty('lightMaxRatio');
      expect(pool).toHaveProperty('classes');
    }
    reopened.advanceTo(T0 + 125_000);
    const p = reopened.listDomains().find((d) => d.name === 'p')!;
    expect(p.cpuTimeNs).toBeGreaterThan(0);
  });
});
