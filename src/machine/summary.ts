/**
 * A domain's summary as `xl list` prints it (tools/xl/xl_info.c `list_domains`, from
 * libxl's `libxl_dominfo`): run state, memory, vCPUs online and the CPU time accrued up to
 * a host time. A pure function of the domain's `listing` row (itself a function of its
 * `domains` row) and its cpupool row, so the host's queries (host.ts `describe`) and the
 * quick `list` (toolstack/quick-list.ts, which reads only `listing` rows) give the same
 * figures from the same rows.
 */
import type { DomainType } from '../parser/libxl.js';
import type { DomainInfo, DomainRunState, ShutdownReason, VcpuInfo } from './api.js';
import { vcpuPhase, vcpuRateFrom, vcpuRunningFrom, vcpuTimeFrom } from './cpu.js';
import type { DomainCore, Lifecycle, PoolRecord } from './records.js';

/**
 * Whether the guest executes at this instant: running (not building, shut down or dying)
 * and not paused. Its run time counts and its timers run only then.
 */
export function domainExecuting(rec: DomainCore): boolean {
  return executingFrom(rec.life.state, rec.pauseCount);
}

/** `domainExecuting` from the domain's lifecycle state and pause count. */
function executingFrom(life: Lifecycle['state'], pauseCount: number): boolean {
  return life === 'running' && pauseCount === 0;
}

/**
 * One vCPU of a `listing` row: `[online (0 or 1), timeNs, rate, since, phase, cls, clsBase]`,
 * VcpuRecord's checkpoint (ns, ns per ms, virtual ms), its wobble phase (ms, `vcpuPhase`;
 * −1 when it does not wobble) and its share class (null: none) with `clsBase` (ns).
 */
export type ListingVcpu = [online: 0 | 1, timeNs: number, rate: number, since: number, phase: number, cls: string | null, clsBase: number];

/**
 * A domain's `listing` row: what `xl list` reads of it, as flat arrays rather than the
 * `domains` row's objects, because `xl list` parses one per domain and a 10,000-domain
 * host made that parse a third of the command (arrays of numbers parse several times
 * faster than objects; the uuid hash behind each vCPU's phase is done once, at write).
 * Written with every `domains` row (ctx.ts), never on its own: `listingOf` of that row.
 * Memory in KiB (`maxMemKiB` null: no limit), times in virtual ms.
 */
export type ListingRow = [
  domid: number, name: string, uuid: string, type: DomainType, createdAt: number,
  life: Lifecycle['state'], reason: ShutdownReason | null, pauseCount: number,
  memKiB: number, targetKiB: number, maxMemKiB: number | null, pool: number, vcpus: ListingVcpu[],
];

/** The domid a `listing` row is of. */
export function listingDomid(row: ListingRow): number {
  return row[0];
}

/** The id of the cpupool the domain of a `listing` row is in (the pool `listingSummary` needs). */
export function listingPool(row: ListingRow): number {
  return row[11];
}

/** The `listing` row of domain `rec` (its `domains` row). */
export function listingOf(rec: DomainCore): ListingRow {
  const vcpus = rec.vcpus.map((v, i): ListingVcpu => [
    v.online ? 1 : 0, v.timeNs, v.rate, v.since, v.wobble ? vcpuPhase(rec, i) : -1, v.cls ?? null, v.clsBase ?? 0,
  ]);
  const m = rec.mem;
  return [
    rec.domid, rec.name, rec.uuid, rec.type, rec.createdAt, rec.life.state, rec.life.state === 'shutdown' ? rec.life.reason : null,
    rec.pauseCount, m.memKiB, m.targetKiB, m.maxMemKiB ?? null, rec.sched.pool, vcpus,
  ];
}

/**
 * The summary of domain `rec` at host time `t` (ms since the epoch): a `DomainInfo`
 * without vCPUs, config or device statistics, `ssidref` 0. `pool` is the domain's cpupool
 * row (undefined: the pool is named `Pool-0` and no share class applies). CPU time is in
 * ns, memory in KiB. `vcpus`, when the caller has already worked out each vCPU at `t`
 * (`xl vcpu-list`, `list -l`), gives each one's CPU time and whether it runs, so they
 * are not computed twice. Never throws on a well-formed row. The same as
 * `listingSummary(listingOf(rec), …)`.
 */
export function domainSummary(rec: DomainCore, t: number, pool: PoolRecord | undefined, vcpus?: readonly Pick<VcpuInfo, 'timeNs' | 'running'>[]): DomainInfo {
  return listingSummary(listingOf(rec), t, pool, vcpus);
}

/**
 * Whether a vCPU of the domain of `row` runs at host time `t` (ms), as `listingSummary`'s
 * `state.running` says, without building the summary (`xl vcpu-list DOMAIN` asks it of
 * every domain to seat the running vCPUs). `pool` as for `listingSummary`.
 */
export function listingRunning(row: ListingRow, t: number, pool: PoolRecord | undefined): boolean {
  const vs = row[12];
  if (!executingFrom(row[5], row[7])) return false;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i]!;
    if (v[0] === 1 && vcpuRunningFrom(row[0], i, vcpuRateFrom(v[2], v[5], pool), t)) return true;
  }
  return false;
}

/**
 * `domainSummary` from the domain's `listing` row (the quick `xl list` reads only those).
 * `pool` must be the cpupool row numbered `listingPool(row)`. Never throws on a well-formed row.
 */
export function listingSummary(row: ListingRow, t: number, pool: PoolRecord | undefined, vcpus?: readonly Pick<VcpuInfo, 'timeNs' | 'running'>[]): DomainInfo {
  const [domid, name, uuid, type, createdAt, life, reason, pauseCount, memKiB, targetKiB, maxMemKiB, , vs] = row;
  const executing = executingFrom(life, pauseCount);
  let running = vcpus ? false : listingRunning(row, t, pool);
  let cpu = 0;
  let online = 0;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i]!;
    cpu += vcpus ? vcpus[i]!.timeNs : vcpuTimeFrom(v[1], v[3], v[2], v[4], v[5], v[6], t, pool);
    if (v[0] === 0) continue;
    online++;
    if (vcpus && !running && executing) running = vcpus[i]!.running;
  }
  const state: DomainRunState = {
    running,
    blocked: executing && !running,
    paused: pauseCount > 0,
    shutdown: life === 'shutdown',
    dying: life === 'dying',
  };
  if (life === 'shutdown') state.shutdownReason = reason!;
  const info: DomainInfo = {
    domid,
    name,
    uuid,
    type,
    state,
    memKiB,
    targetKiB,
    onlineVcpus: online,
    maxVcpus: vs.length,
    cpuTimeNs: cpu,
    startTime: createdAt,
    pool: pool?.name ?? 'Pool-0',
    ssidref: 0,
  };
  if (maxMemKiB !== null) info.maxMemKiB = maxMemKiB;
  return info;
}
