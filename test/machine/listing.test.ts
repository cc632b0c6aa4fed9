/**
 * The `listing` table (machine/summary.ts `ListingRow`): each domain's row is
 * `listingOf` its `domains` row after every kind of change, goes when the domain goes,
 * and a host written before the table existed (layout 4) gets it on first use.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import { Host } from '../../src/machine/host.js';
import { META_KEY, SCHEMA_VERSION, type DomainCore, type PoolRecord } from '../../src/machine/records.js';
import { domainSummary, listingOf, listingSummary, type ListingRow } from '../../src/machine/summary.js';
import { Tx } from '../../src/machine/tables.js';
import { guestConfig, T0 } from './helpers.js';

/** Checks every `listing` row against its `domains` row; returns the listing rows by key. */
function expectListingInStep(host: Host): Map<string, ListingRow> {
  const tables = host.exportTables();
  const listing = new Map(tables.listing as [string, ListingRow][]);
  const domains = tables.domains as [string, DomainCore][];
  expect([...listing.keys()]).toEqual(domains.map(([k]) => k));
  const pools = new Map((tables.pools as [string, PoolRecord][]).map(([, p]) => [p.id, p]));
  for (const [k, core] of domains) {
    expect(listing.get(k)).toEqual(listingOf(core));
    for (const t of [host.now(), host.now() + 1234, host.now() + 86_400_000]) {
      expect(listingSummary(listing.get(k)!, t, pools.get(core.sched.pool))).toEqual(domainSummary(core, t, pools.get(core.sched.pool)));
    }
  }
  return listing;
}

describe('the listing table', () => {
  it('follows every domains row through boot, contention, pause, pinning, shutdown and destroy', () => {
    const host = Host.create(new VirtualClock(T0));
    const ids: number[] = [];
    // Six 4-vCPU guests booting at once want more than the 8 pCPUs: the pool is shared.
    for (let i = 0; i < 6; i++) ids.push(host.createDomain(guestConfig(`h${i}`, { vcpus: 4, weight: i % 2 ? 512 : 256 })));
    const preserved = host.createDomain(guestConfig('kept', { onPoweroff: 'preserve' }));
    host.advanceTo(T0 + 1500);
    const booting = expectListingInStep(host);
    expect([...booting.values()].some((r) => r[12].some((v) => v[5] !== null))).toBe(true); // share classes in use

    // Each change is checked on its own: the scheduler rewrites other domains' vCPUs too.
    const changes = [
      () => host.pause(ids[0]!),
      () => host.pinVcpu(ids[1]!, 'all', [0]),
      () => host.setMemoryTarget(ids[2]!, 256 * 1024),
      () => host.rename(ids[3]!, 'renamed'),
      () => host.setVcpus(ids[4]!, 2),
      () => host.advanceTo(T0 + 90_000),
      () => host.requestShutdown(preserved, 'poweroff'),
      () => host.destroy(ids[5]!),
      () => host.advanceTo(T0 + 120_000),
    ];
    for (const change of changes) {
      change();
      expectListingInStep(host);
    }
    const later = expectListingInStep(host);
    expect(later.size).toBe(1 + ids.length); // Domain-0, five guests left, the shut-down one
    const kept = later.get([...later.keys()].find((k) => later.get(k)![1] === 'kept')!)!;
    expect([kept[5], kept[6]]).toEqual(['shutdown', 0]);
    expect(later.get([...later.keys()].find((k) => later.get(k)![0] === ids[0])!)![7]).toBe(1); // paused once
  });

  it('a layout-4 host (no listing rows) opens with the same listing and stores the rows at its first write', () => {
    const clock = new VirtualClock(T0);
    const host = Host.create(clock);
    for (const n of ['a', 'b', 'c']) host.createDomain(guestConfig(n, { vcpus: 2 }));
    host.advanceTo(T0 + 60_000);
    const before = host.listDomains();
    const backend = host.memoryBackend()!;
    const tx = Tx.over(backend);
    for (const [k] of tx.range('listing', '', undefined)) tx.del('listing', k);
    tx.put('meta', META_KEY, { ...tx.get<{ schema: number }>('meta', META_KEY)!, schema: 4 });
    tx.commit(backend);

    const reopened = Host.over(backend, clock);
    expect(reopened.listDomains()).toEqual(before);
    expect(Tx.over(backend).range('listing', '', undefined)).toEqual([]); // a read upgrades only its own view
    reopened.pause(reopened.domidByName('b')!);
    expect(Tx.over(backend).get<{ schema: number }>('meta', META_KEY)!.schema).toBe(SCHEMA_VERSION);
    expect(expectListingInStep(reopened).size).toBe(4);
  });
});
