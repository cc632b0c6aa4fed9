/**
 * CPU demand, CPU-time accounting and rescheduling (DESIGN.md "The machine": CPU time
 * and run states per vCPU come from the scheduler; the guest's load comes from what the
 * guest OS is doing).
 *
 * Each vCPU holds a checkpoint `{timeNs, since, rate, wobble}`: its CPU time at host
 * time t is `timeNs + rate·(t − since)` (plus a bounded, zero-mean wobble for an idle
 * vCPU, so xentop's CPU% moves as a real idle guest's does). Time passing therefore
 * writes nothing; only a change of demand or share writes the vCPUs whose rate changes.
 * When a pool is uncontended and nothing in it is pinned, a change touches only the
 * domain that changed (O(its vCPUs)); otherwise the pool is rescheduled (scheduler.ts)
 * and only vCPUs whose share moved are rewritten.
 */
import type { Ctx } from './ctx.js';
import { hash32 } from './prng.js';
import type { DomainCore, DomainRecord, PoolRecord, VcpuRecord } from './records.js';
import { FULL, schedule, waterLevel, type SchedVcpu } from './scheduler.js';

/** Wobble epoch, ms: an idle vCPU's usage changes every epoch. */
const EPOCH_MS = 5000;
/** Epochs in the wobble pattern (it repeats every EPOCH_MS × WOBBLE_LEN ms). */
const WOBBLE_LEN = 64;
/** Wobble factors in per-mille of the rate, zero-sum, within ±400. */
const WOBBLE: readonly number[] = (() => {
  const raw = Array.from({ length: WOBBLE_LEN }, (_, k) => (hash32('wobble', k) % 801) - 400);
  const mean = Math.round(raw.reduce((a, x) => a + x, 0) / WOBBLE_LEN);
  const adj = raw.map((x) => Math.max(-400, Math.min(400, x - mean)));
  // Make the sum exactly zero by nudging the first entries.
  let sum = adj.reduce((a, x) => a + x, 0);
  for (let k = 0; sum !== 0 && k < WOBBLE_LEN; k++) {
    const step = Math.max(-400 - adj[k]!, Math.min(400 - adj[k]!, -sum));
    adj[k]! += step;
    sum += step;
  }
  return adj;
})();
/** Prefix sums of WOBBLE × EPOCH_MS (per-mille·ms). */
const WOBBLE_PREFIX: readonly number[] = (() => {
  const out: number[] = [];
  let s = 0;
  for (const f of WOBBLE) {
    out.push(s);
    s += f * EPOCH_MS;
  }
  return out;
})();
const PERIOD = EPOCH_MS * WOBBLE_LEN;

/** ∫₀ˣ wobble (per-mille·ms), periodic with period PERIOD because the factors sum to 0. */
function wobbleIntegral(x: number): number {
  const m = ((x % PERIOD) + PERIOD) % PERIOD;
  const k = Math.floor(m / EPOCH_MS);
  return WOBBLE_PREFIX[k]! + WOBBLE[k]! * (m - k * EPOCH_MS);
}

/** The vCPU's phase in the wobble pattern, ms. */
function phase(rec: DomainCore, i: number): number {
  return hash32('phase', rec.domid, rec.uuid, i) % PERIOD;
}

/**
 * CPU time of vCPU `i` of `rec` at host time `t` (≥ its checkpoint), ns. Monotonic in t.
 */
export function vcpuTimeAt(rec: DomainCore, i: number, t: number): number {
  const v = rec.vcpus[i]!;
  const dt = Math.max(0, t - v.since);
  if (dt === 0 || v.rate === 0) return v.timeNs;
  let permilleMs = dt * 1000;
  if (v.wobble) {
    const ph = phase(rec, i);
    permilleMs += wobbleIntegral(t - ph) - wobbleIntegral(v.since - ph);
  }
  return v.timeNs + Math.floor((v.rate * permilleMs) / 1000);
}

/** Total CPU time of the domain at host time `t`, ns (Σ over its vCPUs). */
export function domainCpuNs(rec: DomainCore, t: number): number {
  let sum = 0;
  for (let i = 0; i < rec.vcpus.length; i++) sum += vcpuTimeAt(rec, i, t);
  return sum;
}

/** Moves a vCPU's checkpoint to `t` and gives it a new rate (ns per ms) and wobble flag. */
function checkpoint(rec: DomainCore, i: number, t: number, rate: number, wobble: boolean): void {
  const v = rec.vcpus[i]!;
  v.timeNs = vcpuTimeAt(rec, i, t);
  v.since = t;
  v.rate = rate;
  v.wobble = wobble;
}

/**
 * What vCPU `i` of `rec` would use if it had the pCPUs to itself, ns per ms, from the
 * guest OS model: booting kernels keep vCPU 0 busy, an idle guest wakes for timers and
 * interrupts, `stress` workers each want a whole pCPU. 0 when the vCPU cannot run
 * (offline, domain paused, not running).
 */
export function vcpuDemand(rec: DomainRecord, i: number): number {
  const v = rec.vcpus[i];
  if (!v || !v.online) return 0;
  if (rec.life.state !== 'running' || rec.pauseCount > 0) return 0;
  const h = hash32('idle', rec.domid, rec.uuid, i);
  if (rec.domid === 0) return i === 0 ? 25_000 + (h % 10_000) : 4_000 + (h % 4_000);
  const g = rec.guest;
  switch (g.stage) {
    case 'firmware':
      return i === 0 ? 900_000 : 0;
    case 'kernel':
      if (g.os === 'unikernel') return i === 0 ? 600_000 : 0;
      if (g.os === 'windows') return 800_000;
      return i === 0 ? 920_000 : 300_000;
    case 'halting':
      return i === 0 ? 400_000 : 40_000;
    case 'halted':
      return 0;
    case 'up':
      break;
  }
  if (g.workload.kind === 'stress') {
    const online = rec.vcpus.filter((x) => x.online).length;
    const rank = rec.vcpus.slice(0, i).filter((x) => x.online).length;
    if (rank < Math.min(g.workload.workers, online) || g.workload.workers > online) return FULL;
  }
  if (g.os === 'windows') return i === 0 ? 3_000 + (h % 5_000) : 1_000 + (h % 2_000);
  if (g.os === 'unikernel') return i === 0 ? 200 + (h % 300) : 0;
  return i === 0 ? 500 + (h % 2_500) : 100 + (h % 700);
}

/** Whether the vCPU's hard affinity is narrower than its pool (it counts as pinned). */
function pinnedIn(v: VcpuRecord, pool: PoolRecord): boolean {
  if (v.hard === null) return false;
  return !pool.cpus.every((c) => v.hard!.includes(c));
}

/** The domain's demands after its cap (the scheduler's `applyCaps` for one domain), and whether the cap cut them. */
function cappedDemands(rec: DomainRecord): { demands: number[]; limited: boolean } {
  const raw = rec.vcpus.map((_, i) => vcpuDemand(rec, i));
  if (rec.sched.cap <= 0) return { demands: raw, limited: false };
  const limit = Math.floor((rec.sched.cap * FULL) / 100);
  const total = raw.reduce((a, x) => a + x, 0);
  return total <= limit ? { demands: raw, limited: false } : { demands: raw.map((d) => Math.floor((d * limit) / total)), limited: true };
}

/**
 * Light use: an idle vCPU waking for timers and interrupts. Light vCPUs are never the
 * ones starved while the pool's water level stays above their demand per weight, so a
 * contended pool is redistributed over its heavy vCPUs only.
 */
export const LIGHT_MAX = FULL / 20;

/** Whether a vCPU getting `rate` (its whole demand, not cut by a cap) shows idle noise. */
function wobbles(rate: number, limited: boolean): boolean {
  return !limited && rate > 0 && rate <= LIGHT_MAX;
}

/** Takes the domain's vCPUs out of its pool's books (their stored demands). */
function unbook(pool: PoolRecord, rec: DomainRecord): void {
  for (const v of rec.vcpus) {
    if (v.demand <= 0) continue;
    pool.demand -= v.demand;
    if (pinnedIn(v, pool)) pool.pinned -= 1;
    if (v.demand <= LIGHT_MAX) pool.lightDemand -= v.demand;
  }
  pool.heavy = pool.heavy.filter((h) => h.domid !== rec.domid);
}

/** Puts the domain's vCPUs, with their stored demands, into its pool's books. */
function book(pool: PoolRecord, rec: DomainCore): void {
  rec.vcpus.forEach((v, i) => {
    if (v.demand <= 0) return;
    pool.demand += v.demand;
    if (pinnedIn(v, pool)) pool.pinned += 1;
    if (v.demand <= LIGHT_MAX) {
      pool.lightDemand += v.demand;
      pool.lightMaxRatio = Math.max(pool.lightMaxRatio, v.demand / Math.max(1, rec.sched.weight));
    } else {
      pool.heavy.push({ domid: rec.domid, vcpu: i, demand: v.demand, weight: rec.sched.weight, rate: v.rate });
    }
  });
  pool.heavy.sort((a, b) => a.domid - b.domid || a.vcpu - b.vcpu);
}

/**
 * Recomputes the domain's demand after anything that changes it (life state, pause,
 * guest stage or workload, vCPUs online, cap, weight, affinity) and gives the pCPUs out
 * again. Cost: O(its vCPUs) when the pool is uncontended; O(H log H) and a write of each
 * heavy vCPU whose share moved when it is contended (H = heavy vCPUs of the pool); the
 * whole pool only when it has pinned vCPUs or even light ones would be starved. Call with
 * the record already changed; writes `rec`, the pool and every domain whose share moved.
 */
export function reschedule(ctx: Ctx, rec: DomainRecord): void {
  const pool = ctx.pool(rec.sched.pool);
  if (!pool) {
    ctx.putDomain(rec);
    return;
  }
  unbook(pool, rec);
  const { demands, limited } = cappedDemands(rec);
  rec.vcpus.forEach((v, i) => {
    v.demand = demands[i]!;
  });
  book(pool, rec);
  const capacity = pool.cpus.length * FULL;
  if (!pool.contended && pool.pinned === 0 && pool.demand <= capacity) {
    rec.vcpus.forEach((v, i) => {
      const w = wobbles(v.demand, limited);
      if (v.rate !== v.demand || v.wobble !== w) checkpoint(rec, i, ctx.now, v.demand, w);
    });
    for (const h of pool.heavy) if (h.domid === rec.domid) h.rate = h.demand;
    ctx.putDomain(rec);
    ctx.putPool(pool);
    return;
  }
  ctx.putDomain(rec);
  redistribute(ctx, pool, rec, limited);
}

/**
 * Shares a pool among its heavy vCPUs over what its light ones leave (the light ones
 * keep their demand); falls back to `reschedulePool` when that is not exact (pinned
 * vCPUs, or a water level low enough to starve light vCPUs too).
 */
function redistribute(ctx: Ctx, pool: PoolRecord, changed?: DomainRecord, changedLimited = false): void {
  const capacity = pool.cpus.length * FULL;
  if (pool.pinned > 0 || pool.lightDemand > capacity) {
    reschedulePool(ctx, pool);
    return;
  }
  const items = pool.heavy.map((h, i) => [i, h.demand, Math.max(1, h.weight)] as const);
  const { alloc, level } = waterLevel(items, capacity - pool.lightDemand);
  if (level < pool.lightMaxRatio) {
    reschedulePool(ctx, pool);
    return;
  }
  let contended = false;
  // Light vCPUs of the changed domain get their demand.
  if (changed) {
    changed.vcpus.forEach((v, i) => {
      if (v.demand > LIGHT_MAX) return;
      const w = wobbles(v.demand, changedLimited);
      if (v.rate !== v.demand || v.wobble !== w) checkpoint(changed, i, ctx.now, v.demand, w);
    });
  }
  const touched = new Map<number, DomainCore>();
  if (changed) touched.set(changed.domid, changed);
  pool.heavy.forEach((h, i) => {
    const rate = alloc.get(i) ?? 0;
    if (rate < h.demand) contended = true;
    if (h.rate === rate && !touched.has(h.domid)) return;
    const d = touched.get(h.domid) ?? ctx.domainCore(h.domid);
    if (!d) return;
    const v = d.vcpus[h.vcpu];
    if (!v) return;
    if (v.rate !== rate || v.wobble) {
      checkpoint(d, h.vcpu, ctx.now, rate, false);
      touched.set(d.domid, d);
    }
    h.rate = rate;
  });
  for (const d of touched.values()) {
    if (d === changed) ctx.putDomain(changed);
    else ctx.putDomainCore(d);
  }
  pool.contended = contended;
  ctx.putPool(pool);
}

/**
 * Shares a whole pool again (scheduler.ts), honouring hard affinity per pCPU, rebuilds
 * its books and rewrites the vCPUs whose rate changed. O(domains in the pool): used when
 * the pool has pinned vCPUs or is so contended that light vCPUs starve too.
 */
export function reschedulePool(ctx: Ctx, pool: PoolRecord): void {
  const doms = ctx.allDomainCores().filter((d) => d.sched.pool === pool.id);
  const want: SchedVcpu[] = [];
  pool.demand = 0;
  pool.lightDemand = 0;
  pool.lightMaxRatio = 0;
  pool.pinned = 0;
  pool.heavy = [];
  for (const d of doms) {
    d.vcpus.forEach((v, i) => {
      if (v.demand > 0) want.push({ key: `${d.domid}/${i}`, domid: d.domid, weight: d.sched.weight, cap: 0, demand: v.demand, hard: v.hard });
    });
    book(pool, d);
  }
  const { shares, contended } = schedule(pool.cpus, want);
  for (const d of doms) {
    let changed = false;
    // A cap cut the demands when they add up to the cap (within rounding).
    const limit = Math.floor((d.sched.cap * FULL) / 100);
    const limited = d.sched.cap > 0 && d.vcpus.reduce((a, v) => a + v.demand, 0) >= limit - d.vcpus.length;
    d.vcpus.forEach((v, i) => {
      const s = shares.get(`${d.domid}/${i}`);
      const rate = s ? s.rate : 0;
      const w = s !== undefined && !s.starved && wobbles(rate, limited);
      if (v.rate !== rate || v.wobble !== w) {
        checkpoint(d, i, ctx.now, rate, w);
        changed = true;
      }
    });
    if (changed) ctx.putDomainCore(d);
  }
  for (const h of pool.heavy) h.rate = shares.get(`${h.domid}/${h.vcpu}`)?.rate ?? 0;
  pool.contended = contended;
  ctx.putPool(pool);
}

/**
 * Takes the domain out of the scheduler's books before it goes (destroy) or changes
 * what the books key on (pool, affinity masks): its vCPUs stop, and the rest of the pool
 * is redistributed if it was contended. `reschedule` puts it back.
 */
export function descheduleDomain(ctx: Ctx, rec: DomainRecord): void {
  const pool = ctx.pool(rec.sched.pool);
  if (pool) unbook(pool, rec);
  rec.vcpus.forEach((v, i) => {
    v.demand = 0;
    if (v.rate !== 0) checkpoint(rec, i, ctx.now, 0, false);
  });
  if (!pool) return;
  ctx.putDomain(rec);
  if (pool.contended) redistribute(ctx, pool);
  else ctx.putPool(pool);
}

/** Whether vCPU `i` is on a pCPU at host time `t` (xl vcpu-list `r` vs `b`): sampled deterministically from its share. */
export function vcpuRunningAt(rec: DomainCore, i: number, t: number): boolean {
  const v = rec.vcpus[i]!;
  if (v.rate <= 0) return false;
  if (v.rate >= FULL) return true;
  if (rec.domid === 0 && i === 0) return true;
  return hash32('run', rec.domid, i, Math.floor(t / 100)) % FULL < v.rate;
}
