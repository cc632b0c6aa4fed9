/**
 * CPU demand, CPU-time accounting and rescheduling (DESIGN.md "The machine": CPU time
 * and run states per vCPU come from the scheduler; the guest's load comes from what the
 * guest OS is doing).
 *
 * Each vCPU holds a checkpoint `{timeNs, since, rate, wobble}`: its CPU time at host
 * time t is `timeNs + rate·(t − since)` (plus a bounded, zero-mean wobble for an idle
 * vCPU, so xentop's CPU% moves as a real idle guest's does). Time passing therefore
 * writes nothing; only a change of demand or share writes the vCPUs whose rate changes.
 *
 * Light vCPUs (idle use, ≤ LIGHT_MAX: a guest waking for timers and interrupts) always
 * get their demand, as credit2 runs a waking vCPU at once (its boost; sched/credit2.c
 * `runq_tickle`), unless together they want more than the pool has. Heavy vCPUs (booting, busy) of a pool with nothing pinned are members of a
 * share class (`PoolRecord.classes`): all heavy vCPUs with the same demand and weight get
 * the same rate from the pool's water level, so the class keeps their accrued time once
 * (`ShareClass.acc`) and a member's time is `timeNs + acc(t) − clsBase`. A change of the
 * water level (a guest booting while the pool is contended) then rewrites the pool's few
 * classes, not its thousands of vCPUs: O(its vCPUs + classes) per change. A pool with
 * pinned vCPUs, or whose light vCPUs alone want more than it has, is shared vCPU by vCPU
 * (scheduler.ts, O(domains in the pool)) in `full` mode.
 *
 * Every function that reads a vCPU's CPU time takes its pool, for the class.
 */
import type { Ctx } from './ctx.js';
import { hash32, hashFinal, hashMore, hashParts } from './prng.js';
import type { DomainCore, DomainRecord, PoolRecord, ShareClass, VcpuRecord } from './records.js';
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

/** vCPU `i`'s phase in the wobble pattern of an idle vCPU, ms in [0, 320000): fixed by its domid, uuid and index. */
export function vcpuPhase(rec: Pick<DomainCore, 'domid' | 'uuid'>, i: number): number {
  // hash32('phase', domid, uuid, i): the prefix is the same for every vCPU of a domain,
  // and `xl list` asks for each in turn.
  if (rec.domid !== phaseOf.domid || rec.uuid !== phaseOf.uuid) {
    phaseOf.domid = rec.domid;
    phaseOf.uuid = rec.uuid;
    phaseOf.state = hashMore(hashMore(PHASE_PREFIX, rec.domid), rec.uuid);
  }
  return hashFinal(hashMore(phaseOf.state, i)) % PERIOD;
}

/** The domain whose `phase` prefix was hashed last, and that prefix's FNV state. */
const phaseOf = { domid: -1, uuid: '', state: 0 };

/** The FNV states of `'phase'` and `'run'`, the first parts of every `phase` and `vcpuRunningAt` hash. */
const PHASE_PREFIX = hashParts('phase');
const RUN_PREFIX = hashParts('run');

/** A share class's accrued CPU time per member at host time `t`, ns. */
function classAcc(c: ShareClass, t: number): number {
  return c.acc + Math.floor(c.rate * Math.max(0, t - c.since));
}

/**
 * CPU time of vCPU `i` of `rec` at host time `t` (≥ its checkpoint), ns. Monotonic in t.
 * `pool` is the domain's cpupool (needed for a heavy vCPU in a share class; a vCPU in no
 * class ignores it).
 */
export function vcpuTimeAt(rec: DomainCore, i: number, t: number, pool: PoolRecord | undefined): number {
  const v = rec.vcpus[i]!;
  // The phase is hashed only when the wobble counts (vcpuTimeFrom ignores it otherwise).
  const ph = v.wobble && v.rate !== 0 && t > v.since ? vcpuPhase(rec, i) : -1;
  return vcpuTimeFrom(v.timeNs, v.since, v.rate, ph, v.cls, v.clsBase ?? 0, t, pool);
}

/**
 * `vcpuTimeAt` from a vCPU's checkpoint fields (VcpuRecord `timeNs` ns, `since` ms,
 * `rate` ns per ms, `cls`, `clsBase` ns) and its wobble phase (`vcpuPhase`, ms; −1 when it
 * does not wobble): the one formula, which the `listing` rows (summary.ts) feed without a
 * whole `DomainCore`. ns at host time `t` (ms).
 */
export function vcpuTimeFrom(
  timeNs: number, since: number, rate: number, ph: number, cls: string | null | undefined, clsBase: number, t: number, pool: PoolRecord | undefined,
): number {
  if (cls !== undefined && cls !== null) {
    const c = pool?.classes[cls];
    if (c) return timeNs + classAcc(c, t) - clsBase;
  }
  const dt = Math.max(0, t - since);
  if (dt === 0 || rate === 0) return timeNs;
  let permilleMs = dt * 1000;
  if (ph >= 0) permilleMs += wobbleIntegral(t - ph) - wobbleIntegral(since - ph);
  return timeNs + Math.floor((rate * permilleMs) / 1000);
}

/** Total CPU time of the domain at host time `t`, ns (Σ over its vCPUs); `pool` as for `vcpuTimeAt`. */
export function domainCpuNs(rec: DomainCore, t: number, pool: PoolRecord | undefined): number {
  let sum = 0;
  for (let i = 0; i < rec.vcpus.length; i++) sum += vcpuTimeAt(rec, i, t, pool);
  return sum;
}

/** The vCPU's current allocation, ns of CPU per ms: its class's rate when it is in one. */
export function vcpuRate(v: Pick<VcpuRecord, 'rate' | 'cls'>, pool: PoolRecord | undefined): number {
  return vcpuRateFrom(v.rate, v.cls, pool);
}

/** `vcpuRate` from the vCPU's own `rate` (ns per ms) and its share class (undefined or null: none). */
export function vcpuRateFrom(rate: number, cls: string | null | undefined, pool: PoolRecord | undefined): number {
  if (cls !== undefined && cls !== null) {
    const c = pool?.classes[cls];
    if (c) return c.rate;
  }
  return rate;
}

/**
 * Moves a vCPU's checkpoint to `t` and gives it a new rate (ns per ms) and wobble flag.
 * The vCPU must be in no share class (`leaveClass` first).
 */
function checkpoint(rec: DomainCore, i: number, t: number, rate: number, wobble: boolean): void {
  const v = rec.vcpus[i]!;
  v.timeNs = vcpuTimeAt(rec, i, t, undefined);
  v.since = t;
  v.rate = rate;
  v.wobble = wobble;
}

/** The key of the share class of a heavy vCPU with this demand and weight. */
function classKey(demand: number, weight: number): string {
  return `${demand}:${weight}`;
}

/** Takes vCPU `i` out of its share class at `t`: its time so far becomes its own checkpoint, at the class's rate. */
function leaveClass(pool: PoolRecord, rec: DomainCore, i: number, t: number): void {
  const v = rec.vcpus[i]!;
  if (v.cls === undefined) return;
  const c = pool.classes[v.cls];
  if (c) {
    v.timeNs = v.timeNs + classAcc(c, t) - (v.clsBase ?? 0);
    v.rate = c.rate;
    c.count -= 1;
    if (c.count <= 0) delete pool.classes[v.cls];
  }
  v.since = t;
  v.wobble = false;
  delete v.cls;
  delete v.clsBase;
}

/** Puts vCPU `i` (in no class, heavy) into the share class of its demand and weight at `t`. */
function joinClass(pool: PoolRecord, rec: DomainCore, i: number, t: number): void {
  const v = rec.vcpus[i]!;
  const key = classKey(v.demand, rec.sched.weight);
  // A new class starts at its demand; the water level corrects it in the same step.
  const c = (pool.classes[key] ??= { demand: v.demand, weight: rec.sched.weight, count: 0, rate: v.demand, acc: 0, since: t });
  v.timeNs = vcpuTimeAt(rec, i, t, undefined);
  v.since = t;
  v.rate = c.rate;
  v.wobble = false;
  v.cls = key;
  v.clsBase = classAcc(c, t);
  c.count += 1;
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
  if (rec.life.state !== 'running' || rec.pauseCount > 0 || rec.guest.s3) return 0;
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
  // RTDS without extratime: a vCPU gets at most budget/period of a pCPU (sched/rt.c).
  const raw = rec.vcpus.map((_, i) => {
    const d = vcpuDemand(rec, i);
    const rt = rec.sched.rtds?.[i];
    return rt && !rt.extratime ? Math.min(d, Math.floor((FULL * rt.budget) / rt.period)) : d;
  });
  if (rec.sched.cap <= 0) return { demands: raw, limited: false };
  const limit = Math.floor((rec.sched.cap * FULL) / 100);
  const total = raw.reduce((a, x) => a + x, 0);
  return total <= limit ? { demands: raw, limited: false } : { demands: raw.map((d) => Math.floor((d * limit) / total)), limited: true };
}

/**
 * Light use, ns per ms: an idle vCPU waking for timers and interrupts. Light vCPUs get
 * their demand first (credit2's boost for a waking vCPU), so a contended pool is
 * redistributed over its heavy vCPUs only.
 */
export const LIGHT_MAX = FULL / 20;

/** Whether a vCPU getting `rate` (its whole demand, not cut by a cap) shows idle noise. */
function wobbles(rate: number, limited: boolean): boolean {
  return !limited && rate > 0 && rate <= LIGHT_MAX;
}

/** Takes the domain's vCPUs out of its pool's books (their stored demands) and out of their share classes, at `t`. */
function unbook(pool: PoolRecord, rec: DomainCore, t: number): void {
  rec.vcpus.forEach((v, i) => {
    leaveClass(pool, rec, i, t);
    if (v.demand <= 0) return;
    pool.demand -= v.demand;
    if (pinnedIn(v, pool)) pool.pinned -= 1;
    if (v.demand <= LIGHT_MAX) pool.lightDemand -= v.demand;
  });
}

/**
 * Puts the domain's vCPUs, with their stored demands, into its pool's books; in
 * `classes` mode its heavy vCPUs join their share classes at `t`.
 */
function book(pool: PoolRecord, rec: DomainCore, t: number): void {
  rec.vcpus.forEach((v, i) => {
    if (v.demand <= 0) return;
    pool.demand += v.demand;
    if (pinnedIn(v, pool)) pool.pinned += 1;
    if (v.demand <= LIGHT_MAX) {
      pool.lightDemand += v.demand;
    } else if (pool.mode === 'classes') {
      joinClass(pool, rec, i, t);
    }
  });
}

/**
 * Recomputes the domain's demand after anything that changes it (life state, pause,
 * guest stage or workload, vCPUs online, cap, weight, affinity) and gives the pCPUs out
 * again. Cost: O(its vCPUs) when the pool is uncontended; O(its vCPUs + the pool's share
 * classes) when it is contended; O(domains in the pool) only when the pool has pinned
 * vCPUs, even light ones would starve, or it is in `full` mode. Call with the record
 * already changed; writes `rec`, the pool and (full mode) every domain whose share moved.
 */
export function reschedule(ctx: Ctx, rec: DomainRecord): void {
  const pool = ctx.pool(rec.sched.pool);
  if (!pool) {
    ctx.putDomain(rec);
    return;
  }
  unbook(pool, rec, ctx.now);
  const { demands, limited } = cappedDemands(rec);
  rec.vcpus.forEach((v, i) => {
    v.demand = demands[i]!;
  });
  book(pool, rec, ctx.now);
  const capacity = pool.cpus.length * FULL;
  if (!pool.contended && pool.pinned === 0 && pool.demand <= capacity) {
    // Uncontended: every vCPU gets its demand (a class's rate is its demand already).
    rec.vcpus.forEach((v, i) => {
      if (v.cls !== undefined) return;
      const w = wobbles(v.demand, limited);
      if (v.rate !== v.demand || v.wobble !== w) checkpoint(rec, i, ctx.now, v.demand, w);
    });
    ctx.putDomain(rec);
    ctx.putPool(pool);
    return;
  }
  ctx.putDomain(rec);
  redistribute(ctx, pool, rec, limited);
}

/**
 * Shares a pool in `classes` mode: its light vCPUs keep their demand, its share classes
 * get the water level of what the light ones leave. Falls back to `reschedulePool` when
 * that is not exact (pinned vCPUs, light vCPUs wanting more than the pool has) or the
 * pool is in `full` mode. `changed` (already written by the caller) gets its light
 * vCPUs' demands.
 */
function redistribute(ctx: Ctx, pool: PoolRecord, changed?: DomainRecord, changedLimited = false): void {
  const capacity = pool.cpus.length * FULL;
  if (pool.mode !== 'classes' || pool.pinned > 0 || pool.lightDemand > capacity) {
    reschedulePool(ctx, pool);
    return;
  }
  const keys = Object.keys(pool.classes);
  const items = keys.map((k, i) => {
    const c = pool.classes[k]!;
    return [i, c.demand, Math.max(1, c.weight), c.count] as const;
  });
  const { alloc } = waterLevel(items, capacity - pool.lightDemand);
  if (changed) {
    changed.vcpus.forEach((v, i) => {
      if (v.cls !== undefined || v.demand > LIGHT_MAX) return;
      const w = wobbles(v.demand, changedLimited);
      if (v.rate !== v.demand || v.wobble !== w) checkpoint(changed, i, ctx.now, v.demand, w);
    });
    ctx.putDomain(changed);
  }
  let contended = false;
  keys.forEach((k, i) => {
    const c = pool.classes[k]!;
    const rate = alloc.get(i) ?? 0;
    if (rate < c.demand) contended = true;
    if (rate === c.rate) return;
    c.acc = classAcc(c, ctx.now);
    c.since = ctx.now;
    c.rate = rate;
  });
  pool.contended = contended;
  ctx.putPool(pool);
}

/**
 * Shares a whole pool again and rebuilds its books: O(domains in the pool). In
 * `classes` mode when nothing is pinned and the light vCPUs fit (every heavy
 * vCPU joins its share class, the classes get the water level); otherwise in `full` mode,
 * vCPU by vCPU through scheduler.ts, honouring hard affinity per pCPU. Writes the domains
 * whose vCPUs changed.
 */
export function reschedulePool(ctx: Ctx, pool: PoolRecord): void {
  const now = ctx.now;
  const doms = ctx.allDomainCores().filter((d) => d.sched.pool === pool.id);
  const changed = new Set<DomainCore>();
  for (const d of doms) {
    d.vcpus.forEach((v, i) => {
      if (v.cls === undefined) return;
      leaveClass(pool, d, i, now);
      changed.add(d);
    });
  }
  pool.classes = {};
  pool.mode = 'full';
  pool.demand = 0;
  pool.lightDemand = 0;
  pool.pinned = 0;
  for (const d of doms) book(pool, d, now);
  const capacity = pool.cpus.length * FULL;
  // A cap cut the domain's demands when they add up to the cap (within rounding).
  const limitedOf = (d: DomainCore): boolean =>
    d.sched.cap > 0 && d.vcpus.reduce((a, v) => a + v.demand, 0) >= Math.floor((d.sched.cap * FULL) / 100) - d.vcpus.length;
  const byClasses = pool.pinned === 0 && pool.lightDemand <= capacity;
  let alloc = new Map<string, number>();
  const counts = new Map<string, [number, number, number]>();
  if (byClasses) {
    for (const d of doms) {
      for (const v of d.vcpus) {
        if (v.demand <= LIGHT_MAX) continue;
        const key = classKey(v.demand, d.sched.weight);
        const c = counts.get(key);
        if (c) c[2] += 1;
        else counts.set(key, [v.demand, d.sched.weight, 1]);
      }
    }
    const keys = [...counts.keys()];
    const water = waterLevel(keys.map((k, i) => [i, counts.get(k)![0], Math.max(1, counts.get(k)![1]), counts.get(k)![2]] as const), capacity - pool.lightDemand);
    alloc = new Map(keys.map((k, i) => [k, water.alloc.get(i) ?? 0]));
  }
  if (byClasses) {
    pool.mode = 'classes';
    for (const d of doms) {
      const limited = limitedOf(d);
      d.vcpus.forEach((v, i) => {
        if (v.demand > LIGHT_MAX) {
          joinClass(pool, d, i, now);
          changed.add(d);
          return;
        }
        const w = wobbles(v.demand, limited);
        if (v.rate !== v.demand || v.wobble !== w) {
          checkpoint(d, i, now, v.demand, w);
          changed.add(d);
        }
      });
    }
    let contended = false;
    for (const [key, c] of Object.entries(pool.classes)) {
      const rate = alloc.get(key) ?? 0;
      if (rate < c.demand) contended = true;
      // The members joined at `now` with the class's old rate; nothing accrued since.
      c.acc = classAcc(c, now);
      c.since = now;
      c.rate = rate;
    }
    pool.contended = contended;
  } else {
    const want: SchedVcpu[] = [];
    for (const d of doms) {
      d.vcpus.forEach((v, i) => {
        if (v.demand > 0) want.push({ key: `${d.domid}/${i}`, domid: d.domid, weight: d.sched.weight, cap: 0, demand: v.demand, hard: v.hard });
      });
    }
    const { shares, contended } = schedule(pool.cpus, want);
    for (const d of doms) {
      const limited = limitedOf(d);
      d.vcpus.forEach((v, i) => {
        const s = shares.get(`${d.domid}/${i}`);
        const rate = s ? s.rate : 0;
        const w = s !== undefined && !s.starved && wobbles(rate, limited);
        if (v.rate !== rate || v.wobble !== w) {
          checkpoint(d, i, now, rate, w);
          changed.add(d);
        }
      });
    }
    pool.contended = contended;
  }
  for (const d of changed) ctx.putDomainCore(d);
  ctx.putPool(pool);
}

/**
 * Takes the domain out of the scheduler's books before it goes (destroy) or changes
 * what the books key on (pool, affinity masks): its vCPUs stop, and the rest of the pool
 * is redistributed if it was contended. `reschedule` puts it back.
 */
export function descheduleDomain(ctx: Ctx, rec: DomainRecord): void {
  const pool = ctx.pool(rec.sched.pool);
  if (pool) unbook(pool, rec, ctx.now);
  rec.vcpus.forEach((v, i) => {
    v.demand = 0;
    if (v.rate !== 0) checkpoint(rec, i, ctx.now, 0, false);
  });
  if (!pool) return;
  ctx.putDomain(rec);
  if (pool.contended) redistribute(ctx, pool);
  else ctx.putPool(pool);
}

/**
 * Whether vCPU `i` is on a pCPU at host time `t` (xl vcpu-list `r` vs `b`): sampled
 * deterministically from its share. `pool` as for `vcpuTimeAt`.
 */
export function vcpuRunningAt(rec: DomainCore, i: number, t: number, pool: PoolRecord | undefined): boolean {
  return vcpuRunningFrom(rec.domid, i, vcpuRate(rec.vcpus[i]!, pool), t);
}

/**
 * `vcpuRunningAt` from the domain's domid, the vCPU's index and its current allocation
 * (`vcpuRate`, ns per ms), at host time `t` (ms): the one sampling, which the `listing`
 * rows (summary.ts) feed without a whole `DomainCore`.
 */
export function vcpuRunningFrom(domid: number, i: number, rate: number, t: number): boolean {
  if (rate <= 0) return false;
  if (rate >= FULL) return true;
  if (domid === 0 && i === 0) return true;
  return hashFinal(hashMore(hashMore(hashMore(RUN_PREFIX, domid), i), Math.floor(t / 100))) % FULL < rate; // hash32('run', domid, i, t / 100 ms)
}
