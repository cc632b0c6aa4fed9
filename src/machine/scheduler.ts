/**
 * The scheduler as a pure function: given a cpupool's pCPUs and the vCPUs that want to
 * run in it, how much CPU each vCPU gets (DESIGN.md "The machine": the scheduler is its
 * own pure module). It models the long-run shares of Xen's credit and credit2
 * schedulers (xen/common/sched/credit2.c): weight-proportional fair shares, a
 * per-domain cap in % of one pCPU, and hard affinity honoured per pCPU — a vCPU only
 * ever runs on the pCPUs of its hard-affinity mask, so 4 vCPUs pinned to one pCPU share
 * that one pCPU.
 *
 * Allocation is in ns of CPU per ms of time (`FULL` = one whole pCPU). Cost
 * O(V log V + M·P) for V vCPUs, M distinct affinity masks and P pCPUs.
 *
 * Method: caps first (a capped domain's vCPUs are scaled down together to its cap);
 * then vCPU groups with the same hard-affinity mask are served narrowest mask first,
 * each group water-filled by weight over the capacity its mask's pCPUs still have, the
 * capacity taken out of those pCPUs in proportion to what each has left. Vcpus that
 * may run anywhere in the pool come last and share what remains. Every vCPU gets at
 * most its demand and at most one pCPU; every set of pCPUs serves at most its size.
 */

/** One pCPU fully used: ns of CPU per ms of time. */
export const FULL = 1_000_000;

/** A vCPU that wants to run (its domain running, unpaused, the vCPU online). */
export interface SchedVcpu {
  /** Unique key, e.g. `12/0` (domid/vcpu). */
  key: string;
  domid: number;
  /** The domain's weight, 1…65535. */
  weight: number;
  /** The domain's cap in % of one pCPU (0 = none); applies to all its vCPUs together. */
  cap: number;
  /** What it would use if alone, ns per ms (0…FULL; larger values count as FULL). */
  demand: number;
  /** Hard affinity: pCPU ids it may run on; null = every pCPU of the pool. */
  hard: readonly number[] | null;
}

/** The result for one vCPU. */
export interface SchedShare {
  /** CPU it gets, ns per ms (integer, ≤ demand, ≤ FULL). */
  rate: number;
  /** Whether it gets less than its (capped) demand because the pCPUs are busy. */
  starved: boolean;
}

/** The allocation of a pool: per vCPU key, and whether anyone was starved. */
export interface SchedResult {
  shares: Map<string, SchedShare>;
  contended: boolean;
}

/** Demand after the domain caps: each capped domain's vCPUs scaled to fit its cap. */
export function applyCaps(vcpus: readonly SchedVcpu[]): Map<string, number> {
  const out = new Map<string, number>();
  const byDom = new Map<number, SchedVcpu[]>();
  for (const v of vcpus) {
    const d = Math.max(0, Math.min(FULL, Math.floor(v.demand)));
    out.set(v.key, d);
    if (v.cap > 0) {
      const l = byDom.get(v.domid);
      if (l) l.push(v);
      else byDom.set(v.domid, [v]);
    }
  }
  for (const list of byDom.values()) {
    const limit = Math.floor((list[0]!.cap * FULL) / 100);
    const total = list.reduce((a, v) => a + out.get(v.key)!, 0);
    if (total <= limit) continue;
    for (const v of list) out.set(v.key, Math.floor((out.get(v.key)! * limit) / total));
  }
  return out;
}

/**
 * Weighted water-filling: shares `capacity` among items with demands and weights so
 * that each gets min(demand, λ·weight) for the largest λ that fits. Integer results;
 * the total never exceeds `capacity`. Items are `[index, demand, weight]`.
 */
export function waterFill(items: readonly (readonly [number, number, number])[], capacity: number): Map<number, number> {
  return waterLevel(items, capacity).alloc;
}

/**
 * `waterFill` with its water level: the share per unit of weight that the items not
 * fully served get (Infinity when everyone is served). An item may stand for `count`
 * alike members (`[index, demand, weight, count]`, demand and weight per member): its
 * allocation is per member, as if each were an item of its own.
 */
export function waterLevel(items: readonly (readonly [number, number, number, number?])[], capacity: number): { alloc: Map<number, number>; level: number } {
  const out = new Map<number, number>();
  const total = items.reduce((a, [, d, , n]) => a + d * (n ?? 1), 0);
  if (total <= capacity) {
    for (const [i, d] of items) out.set(i, d);
    return { alloc: out, level: Infinity };
  }
  capacity = Math.max(0, capacity);
  // Sort by demand/weight: items below the water level are satisfied in that order.
  const sorted = [...items].sort((a, b) => a[1] * b[2] - b[1] * a[2] || a[0] - b[0]);
  let remaining = capacity;
  let wLeft = sorted.reduce((a, [, , w, n]) => a + w * (n ?? 1), 0);
  let k = 0;
  for (; k < sorted.length; k++) {
    const [i, d, w, n = 1] = sorted[k]!;
    // Satisfied when its demand is below its fair share of what is left.
    if (d * wLeft <= remaining * w) {
      out.set(i, d);
      remaining -= d * n;
      wLeft -= w * n;
    } else {
      break;
    }
  }
  const level = wLeft > 0 ? remaining / wLeft : Infinity;
  for (; k < sorted.length; k++) {
    const [i, , w] = sorted[k]!;
    out.set(i, wLeft > 0 ? Math.floor((remaining * w) / wLeft) : 0);
  }
  return { alloc: out, level };
}

/**
 * Shares the pool's pCPUs among `vcpus` (see the module comment). `cpus` are the pool's
 * pCPU ids; a hard mask is intersected with them (an empty intersection means the vCPU
 * cannot run: rate 0). Deterministic: the same input gives the same output.
 */
export function schedule(cpus: readonly number[], vcpus: readonly SchedVcpu[]): SchedResult {
  const capped = applyCaps(vcpus);
  const poolSet = new Set(cpus);
  const left = new Map<number, number>(cpus.map((c) => [c, FULL]));
  // Group by effective mask; the whole-pool mask sorts last.
  const groups = new Map<string, { mask: number[]; members: number[] }>();
  vcpus.forEach((v, i) => {
    const mask = v.hard === null ? [...cpus] : [...new Set(v.hard.filter((c) => poolSet.has(c)))].sort((a, b) => a - b);
    const whole = mask.length === cpus.length;
    const id = whole ? '*' : mask.join(',');
    const g = groups.get(id);
    if (g) g.members.push(i);
    else groups.set(id, { mask: whole ? [...cpus] : mask, members: [i] });
  });
  const order = [...groups.entries()].sort(([ia, a], [ib, b]) =>
    (ia === '*' ? 1 : 0) - (ib === '*' ? 1 : 0) || a.mask.length - b.mask.length || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const shares = new Map<string, SchedShare>();
  let contended = false;
  for (const [, g] of order) {
    const capacity = g.mask.reduce((a, c) => a + (left.get(c) ?? 0), 0);
    const items = g.members.map((i) => [i, capped.get(vcpus[i]!.key)!, Math.max(1, vcpus[i]!.weight)] as const);
    const got = waterFill(items, capacity);
    let used = 0;
    for (const [i, want] of items) {
      const rate = got.get(i) ?? 0;
      used += rate;
      const starved = rate < want;
      if (starved) contended = true;
      shares.set(vcpus[i]!.key, { rate, starved });
    }
    // Take `used` out of the mask's pCPUs in proportion to what each has left.
    if (used > 0 && capacity > 0) {
      let taken = 0;
      g.mask.forEach((c, j) => {
        const l = left.get(c) ?? 0;
        const t = j === g.mask.length - 1 ? Math.min(l, used - taken) : Math.min(l, Math.floor((used * l) / capacity));
        left.set(c, l - t);
        taken += t;
      });
    }
  }
  return { shares, contended };
}

/**
 * The pCPU a vCPU is shown on (`xl vcpu-list` CPU column): within its hard affinity,
 * preferring its soft affinity, picked by `pick` (a deterministic hash the caller
 * supplies, so the placement moves over time as a real scheduler's does).
 */
export function placeVcpu(cpus: readonly number[], hard: readonly number[] | null, soft: readonly number[] | null, pick: number): number {
  const pool = new Set(cpus);
  const allowed = hard === null ? [...cpus] : hard.filter((c) => pool.has(c));
  const base = allowed.length ? allowed : [...cpus];
  const preferred = soft === null ? base : base.filter((c) => soft.includes(c));
  const from = preferred.length ? preferred : base;
  return from[Math.abs(pick) % from.length] ?? 0;
}
