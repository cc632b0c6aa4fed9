/**
 * Cpupools and per-pool scheduler parameters (DESIGN.md "The machine": the scheduler
 * with cpupools). A cpupool is a set of pCPUs with its own scheduler; every domain is in
 * exactly one pool and runs only on that pool's pCPUs; a pCPU is in at most one pool
 * (the rest are "free", `xl info` free_cpus).
 *
 * The rules and error numbers are Xen 4.20's (xen/common/sched/cpupool.c
 * `cpupool_do_sysctl`, `cpupool_create`, `cpupool_destroy`, `cpupool_unassign_cpu`,
 * `cpupool_assign_cpu_locked`; xen/common/sched/core.c `sched_move_domain`,
 * `sched_adjust_global`), with libxl's bookkeeping on top (tools/libs/light/
 * libxl_cpupool.c: pool names and UUIDs under `/local/pool/<id>` in xenstore, a pool's
 * pCPUs freed before it is destroyed, `ERROR_INVAL` for a pool that still has domains):
 *
 * - Pool-0 (id 0) exists from boot and always holds Domain-0, so it can never be
 *   destroyed; pCPU 0 never leaves it (EINVAL).
 * - A pool with domains cannot be destroyed (EBUSY) and cannot lose its last pCPU
 *   (EBUSY); a domain cannot move into a pool without pCPUs (ENOENT).
 * - Domain-0 cannot be moved: Xen refuses the control domain moving itself (EPERM,
 *   `rcu_lock_remote_domain_by_id`).
 * - Moving a domain gives it the new scheduler's defaults (weight 256, cap 0, RTDS
 *   10000/4000 µs with extratime) and resets every vCPU's hard and soft affinity to all
 *   pCPUs (`sched_move_domain` → `sched_alloc_domdata`, `sched_set_affinity(all, all)`).
 * - At most 2 × nr_cpus pools (ENOSPC); a scheduler that is not built in gives ENOENT.
 *
 * CPU time follows the pCPUs: every change of a pool's pCPUs or domains shares the
 * affected pools again through cpu.ts (`reschedulePool`, `reschedule`,
 * `descheduleDomain`). Every failure is a `XenError` (xen-error.ts: a `HostError` with a stable
 * code plus the errno Xen returns, which xl prints through libxl), raised before anything
 * is written.
 */
import { freshUuid } from './build.js';
import { descheduleDomain, reschedule, reschedulePool } from './cpu.js';
import type { Ctx } from './ctx.js';
import { HostError } from './errors.js';
import type { DomainRecord, PoolRecord, RtdsParams } from './records.js';
import { numKey } from './tables.js';
import { XenError } from './xen-error.js';
import { xsRm, xsWrite } from './xenstore.js';

/** A scheduler a pool can run (libxl_scheduler names, tools/libs/light/libxl_types.idl). */
export type SchedulerName = PoolRecord['scheduler'];

/**
 * The schedulers the emulated Xen is built with. A release build has only credit and
 * credit2 (xen/common/sched/Kconfig); the emulated host also has the UNSUPPORTED ones
 * so they can be tried (docs/compat.md).
 */
export const BUILT_SCHEDULERS: readonly SchedulerName[] = ['credit', 'credit2', 'rtds', 'arinc653', 'null'];

/** Scheduler parameters of a pool, as `xl sched-credit -s` / `xl sched-credit2 -s` show them. */
export interface PoolSchedParams {
  /** credit only: time slice, ms (1…1000). */
  tsliceMs?: number;
  /** credit and credit2: rate limit, µs (0 = off, else 100…500000). */
  ratelimitUs?: number;
  /** credit only: vCPU migration delay, µs (0…100000). */
  migrDelayUs?: number;
}

/** Xen's defaults (sched/credit.c `csched_init`, sched/credit2.c `csched2_init`, sched/private.h). */
export function defaultPoolParams(s: SchedulerName): PoolSchedParams {
  if (s === 'credit') return { tsliceMs: 30, ratelimitUs: 1000, migrDelayUs: 0 };
  if (s === 'credit2') return { ratelimitUs: 1000 };
  return {};
}

/** RTDS defaults for a vCPU (xen/common/sched/rt.c RTDS_DEFAULT_PERIOD/BUDGET, extratime set). */
export const RTDS_DEFAULT: Readonly<RtdsParams> = Object.freeze({ period: 10000, budget: 4000, extratime: true });

/** A pool as the toolstack sees it (`libxl_cpupoolinfo` plus its scheduler parameters). */
export interface PoolInfo {
  id: number;
  name: string;
  scheduler: SchedulerName;
  /** pCPU ids, ascending. */
  cpus: number[];
  /** Domains in it (`n_dom`), dying ones included. */
  domains: number;
  /** Scheduler parameters with Xen's defaults filled in. */
  params: PoolSchedParams;
  uuid?: string;
}

/** Every pool operation (`Input` `{ kind: 'pool', op }` in step.ts). */
export type PoolOp =
  | { kind: 'create'; name: string; scheduler: SchedulerName; cpus: number[] }
  | { kind: 'destroy'; pool: number }
  | { kind: 'rename'; pool: number; name: string }
  | { kind: 'cpu-add'; pool: number; cpu: number }
  | { kind: 'cpu-remove'; pool: number; cpu: number }
  | { kind: 'move-domain'; pool: number; domid: number }
  | { kind: 'params'; pool: number; params: PoolSchedParams }
  | { kind: 'rtds'; domid: number; vcpus: { vcpu: number; period: number; budget: number; extratime: boolean }[] };

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** The pool row, or ENOENT (`cpupool_get_by_id` failing). */
function mustPool(ctx: Ctx, id: number): PoolRecord {
  const p = isInt(id) && id >= 0 ? ctx.pool(id) : undefined;
  if (!p) throw new XenError('INVALID_ARGUMENT', 'ENOENT', `cpupool ${String(id)} does not exist`);
  return p;
}

/** pCPUs in no pool, ascending (`cpupool_free_cpus`). */
export function freeCpus(ctx: Ctx): number[] {
  const used = new Set<number>();
  for (const p of ctx.allPools()) for (const c of p.cpus) used.add(c);
  const out: number[] = [];
  for (let c = 0; c < ctx.meta.seed.nrCpus; c++) if (!used.has(c)) out.push(c);
  return out;
}

/** Number of domains in each pool (`n_dom`). */
function domainCounts(ctx: Ctx): Map<number, number> {
  const counts = new Map<number, number>();
  for (const d of ctx.allDomainCores()) counts.set(d.sched.pool, (counts.get(d.sched.pool) ?? 0) + 1);
  return counts;
}

/** Every pool with its domain count and parameters, ascending id (`libxl_list_cpupool`). */
export function poolInfos(ctx: Ctx): PoolInfo[] {
  const counts = domainCounts(ctx);
  return ctx.allPools().map((p) => {
    const info: PoolInfo = {
      id: p.id, name: p.name, scheduler: p.scheduler, cpus: [...p.cpus], domains: counts.get(p.id) ?? 0,
      params: { ...defaultPoolParams(p.scheduler), ...(p.params ?? {}) },
    };
    if (p.uuid) info.uuid = p.uuid;
    return info;
  });
}

/** The RTDS parameters of each vCPU of `rec` (defaults where none were set). */
export function rtdsOf(rec: Pick<DomainRecord, 'vcpus' | 'sched'>): RtdsParams[] {
  return rec.vcpus.map((_, i) => ({ ...(rec.sched.rtds?.[i] ?? RTDS_DEFAULT) }));
}

function checkCpu(ctx: Ctx, cpu: number): void {
  if (!isInt(cpu) || cpu < 0 || cpu >= ctx.meta.seed.nrCpus) {
    throw new XenError('INVALID_ARGUMENT', 'EINVAL', `pCPU ${String(cpu)} does not exist`);
  }
}

/**
 * `XEN_SYSCTL_CPUPOOL_OP_CREATE` + `_ADDCPU` for each of `cpus` + libxl's xenstore nodes:
 * a new pool with the next id after the highest one. Returns its id. Errors: ENOENT
 * (scheduler not built in), ENOSPC (2 × nr_cpus pools), EINVAL (no such pCPU), ENODEV
 * (pCPU not free).
 */
export function createPool(ctx: Ctx, name: string, scheduler: SchedulerName, cpus: number[]): number {
  if (typeof name !== 'string') throw new XenError('INVALID_ARGUMENT', 'EINVAL', 'a cpupool name is a string');
  if (!BUILT_SCHEDULERS.includes(scheduler)) {
    throw new XenError('INVALID_ARGUMENT', 'ENOENT', `scheduler ${String(scheduler)} is not available`);
  }
  const pools = ctx.allPools();
  if (pools.length >= 2 * ctx.meta.seed.nrCpus) throw new XenError('LIMIT', 'ENOSPC', 'too many cpupools');
  if (!Array.isArray(cpus)) throw new XenError('INVALID_ARGUMENT', 'EINVAL', 'cpus must be a list of pCPU ids');
  const free = new Set(freeCpus(ctx));
  for (const c of cpus) {
    checkCpu(ctx, c);
    if (!free.has(c)) throw new XenError('INVALID_STATE', 'ENODEV', `pCPU ${c} is not free`);
  }
  const id = pools.length ? pools[pools.length - 1]!.id + 1 : 0;
  const uuid = freshUuid(ctx);
  const pool: PoolRecord = {
    id, name, scheduler, cpus: [...new Set(cpus)].sort((a, b) => a - b),
    demand: 0, lightDemand: 0, mode: 'classes', classes: {}, pinned: 0, contended: false, uuid,
  };
  ctx.putPool(pool);
  xsWrite(ctx, `/local/pool/${id}/uuid`, uuid);
  xsWrite(ctx, `/local/pool/${id}/name`, name);
  return id;
}

/**
 * libxl_cpupool_destroy: frees the pool's pCPUs and removes it. Errors: ENOENT (no such
 * pool), EBUSY (it has domains — always the case for Pool-0, which holds Domain-0).
 */
export function destroyPool(ctx: Ctx, id: number): void {
  const p = mustPool(ctx, id);
  const n = domainCounts(ctx).get(p.id) ?? 0;
  if (n > 0 || p.id === 0) throw new XenError('INVALID_STATE', 'EBUSY', `cpupool ${p.name} has ${n} domain(s)`);
  ctx.tx.del('pools', numKey(p.id));
  xsRm(ctx, `/local/pool/${p.id}`);
}

/** libxl_cpupool_rename: the pool's new name (libxl does not check that names are unique). Errors: ENOENT. */
export function renamePool(ctx: Ctx, id: number, name: string): void {
  const p = mustPool(ctx, id);
  if (typeof name !== 'string') throw new XenError('INVALID_ARGUMENT', 'EINVAL', 'a cpupool name is a string');
  p.name = name;
  ctx.putPool(p);
  xsWrite(ctx, `/local/pool/${p.id}/name`, name);
}

/**
 * `XEN_SYSCTL_CPUPOOL_OP_ADDCPU`: a free pCPU joins the pool, whose domains may use it
 * at once. Errors: ENOENT (no pool), EINVAL (no such pCPU), ENODEV (pCPU not free).
 */
export function addCpu(ctx: Ctx, id: number, cpu: number): void {
  const p = mustPool(ctx, id);
  checkCpu(ctx, cpu);
  if (!freeCpus(ctx).includes(cpu)) throw new XenError('INVALID_STATE', 'ENODEV', `pCPU ${cpu} is not free`);
  p.cpus = [...p.cpus, cpu].sort((a, b) => a - b);
  ctx.putPool(p);
  reschedulePool(ctx, p);
}

/**
 * `XEN_SYSCTL_CPUPOOL_OP_RMCPU`: the pCPU leaves the pool and becomes free; the pool's
 * domains share what is left. Errors: ENOENT (no pool), EINVAL (pCPU 0 of Pool-0, no
 * such pCPU), EADDRNOTAVAIL (not in this pool), EBUSY (the pool's last pCPU while it
 * has domains).
 */
export function removeCpu(ctx: Ctx, id: number, cpu: number): void {
  const p = mustPool(ctx, id);
  if ((p.id === 0 && cpu === 0) || !isInt(cpu) || cpu < 0 || cpu >= ctx.meta.seed.nrCpus) {
    throw new XenError('INVALID_ARGUMENT', 'EINVAL', p.id === 0 && cpu === 0 ? 'pCPU 0 must stay in Pool-0' : `pCPU ${String(cpu)} does not exist`);
  }
  if (!p.cpus.includes(cpu)) throw new XenError('INVALID_ARGUMENT', 'EADDRNOTAVAIL', `pCPU ${cpu} is not in cpupool ${p.name}`);
  if (p.cpus.length === 1 && (domainCounts(ctx).get(p.id) ?? 0) > 0) {
    throw new XenError('INVALID_STATE', 'EBUSY', `pCPU ${cpu} is the last one of cpupool ${p.name}, which has domains`);
  }
  p.cpus = p.cpus.filter((c) => c !== cpu);
  ctx.putPool(p);
  reschedulePool(ctx, p);
}

/**
 * `XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN` (`sched_move_domain`): the domain leaves its pool's
 * books, takes the new scheduler's default parameters, all-pCPU affinities, and runs on
 * the new pool's pCPUs. A move to its own pool does nothing. Errors: ESRCH (no domain),
 * EPERM (Domain-0), ENOENT (no pool, or a pool without pCPUs).
 */
export function moveDomain(ctx: Ctx, id: number, domid: number): void {
  const rec = ctx.domain(domid);
  if (!rec) throw new XenError('NO_SUCH_DOMAIN', 'ESRCH', `domain ${String(domid)} does not exist`, domid);
  if (rec.domid === 0) throw new XenError('DOMAIN_0', 'EPERM', 'Domain-0 stays in Pool-0', 0);
  if (rec.sched.pool === id) return;
  const p = isInt(id) && id >= 0 ? ctx.pool(id) : undefined;
  if (!p || p.cpus.length === 0) {
    throw new XenError('INVALID_ARGUMENT', 'ENOENT', p ? `cpupool ${p.name} has no pCPUs` : `cpupool ${String(id)} does not exist`, domid);
  }
  descheduleDomain(ctx, rec);
  rec.sched = { weight: 256, cap: 0, pool: p.id };
  for (const v of rec.vcpus) {
    v.hard = null;
    v.soft = null;
  }
  reschedule(ctx, rec);
  const moved = ctx.pool(p.id);
  if (moved) reschedulePool(ctx, moved);
}

/**
 * `XEN_SYSCTL_SCHEDOP_putinfo` for a pool (`sched_adjust_global`, credit `csched_sys_cntl`,
 * credit2 `csched2_sys_cntl`): merges `params` into the pool's. Errors: ESRCH (no pool),
 * EINVAL (a parameter its scheduler does not have, or out of Xen's ranges: tslice 1…1000
 * ms, ratelimit 0 or 100…500000 µs and at most the tslice, migration delay ≤ 100000 µs).
 */
export function setPoolParams(ctx: Ctx, id: number, params: PoolSchedParams): void {
  const p = isInt(id) && id >= 0 ? ctx.pool(id) : undefined;
  if (!p) throw new XenError('INVALID_ARGUMENT', 'ESRCH', `cpupool ${String(id)} does not exist`);
  const bad = (msg: string): never => {
    throw new XenError('INVALID_ARGUMENT', 'EINVAL', msg);
  };
  if (p.scheduler !== 'credit' && p.scheduler !== 'credit2') bad(`the ${p.scheduler} scheduler has no pool parameters`);
  const given = typeof params === 'object' && params !== null ? params : {};
  const next = { ...defaultPoolParams(p.scheduler), ...(p.params ?? {}) };
  for (const k of ['tsliceMs', 'ratelimitUs', 'migrDelayUs'] as const) {
    const v = given[k];
    if (v === undefined) continue;
    if (!isInt(v)) bad(`${k} must be an integer`);
    if (p.scheduler === 'credit2' && k !== 'ratelimitUs') bad(`credit2 has no ${k}`);
    next[k] = v;
  }
  const r = next.ratelimitUs ?? 0;
  if (r !== 0 && (r < 100 || r > 500000)) bad('ratelimit out of range');
  if (p.scheduler === 'credit') {
    const t = next.tsliceMs ?? 30;
    if (t < 1 || t > 1000) bad('tslice out of range');
    if (r > t * 1000) bad('ratelimit greater than tslice');
    const m = next.migrDelayUs ?? 0;
    if (m < 0 || m > 100000) bad('migration delay out of range');
  }
  p.params = next;
  ctx.putPool(p);
}

/**
 * `XEN_DOMCTL_SCHEDOP_putvcpuinfo` (sched/rt.c `rt_dom_cntl`): per-vCPU period, budget
 * (µs) and extratime for a domain in an RTDS pool. A vCPU without extratime gets at most
 * budget/period of a pCPU. Errors: NO_SUCH_DOMAIN, EINVAL (not in an RTDS pool, no such
 * vCPU, period < 10 µs, budget < 10 µs or budget > period).
 */
export function setRtds(ctx: Ctx, domid: number, vcpus: { vcpu: number; period: number; budget: number; extratime: boolean }[]): void {
  const rec = ctx.domain(domid);
  if (!rec) throw new XenError('NO_SUCH_DOMAIN', 'ESRCH', `domain ${String(domid)} does not exist`, domid);
  const bad = (msg: string): never => {
    throw new XenError('INVALID_ARGUMENT', 'EINVAL', msg, domid);
  };
  if (ctx.pool(rec.sched.pool)?.scheduler !== 'rtds') bad(`domain ${domid} is not in an RTDS cpupool`);
  if (!Array.isArray(vcpus)) bad('vcpus must be a list');
  const next = rtdsOf(rec);
  for (const v of vcpus) {
    if (!isInt(v.vcpu) || v.vcpu < 0 || v.vcpu >= rec.vcpus.length) bad(`domain ${domid} has no vCPU ${String(v.vcpu)}`);
    if (!isInt(v.period) || !isInt(v.budget) || v.period < 10 || v.budget < 10 || v.budget > v.period) {
      bad('RTDS period and budget must be at least 10 us, budget at most the period');
    }
    next[v.vcpu] = { period: v.period, budget: v.budget, extratime: v.extratime === true };
  }
  descheduleDomain(ctx, rec);
  rec.sched.rtds = next;
  reschedule(ctx, rec);
  const pool = ctx.pool(rec.sched.pool);
  if (pool) reschedulePool(ctx, pool);
}

/** Runs one pool operation (the `pool` case of step.ts); returns the new pool's id for `create`. */
export function poolStep(ctx: Ctx, op: PoolOp): number | undefined {
  switch (op.kind) {
    case 'create':
      return createPool(ctx, op.name, op.scheduler, op.cpus);
    case 'destroy':
      destroyPool(ctx, op.pool);
      return undefined;
    case 'rename':
      renamePool(ctx, op.pool, op.name);
      return undefined;
    case 'cpu-add':
      addCpu(ctx, op.pool, op.cpu);
      return undefined;
    case 'cpu-remove':
      removeCpu(ctx, op.pool, op.cpu);
      return undefined;
    case 'move-domain':
      moveDomain(ctx, op.pool, op.domid);
      return undefined;
    case 'params':
      setPoolParams(ctx, op.pool, op.params);
      return undefined;
    case 'rtds':
      setRtds(ctx, op.domid, op.vcpus);
      return undefined;
    default:
      throw new HostError('INVALID_ARGUMENT', `unknown cpupool operation ${String((op as { kind?: unknown }).kind)}`);
  }
}
