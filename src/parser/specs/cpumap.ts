/**
 * pCPU lists: `cpus=`, `cpus_soft=`, xl.conf `vm.cpumask`/`vm.hvm.cpumask`/…, and the
 * hard/soft affinity arguments of `xl vcpu-pin`; and the bitmap formatter xl prints
 * them with.
 *
 * Follows `cpurange_parse`, `update_cpumap_range`, `parse_range` (tools/xl/xl_parse.c)
 * and `print_bitmap` (tools/xl/xl_utils.c); xl-cfg-format.md §4.8, xl-commands.md §3.6.
 */

import type { SpecMessage, SpecResult } from './types.js';
import { strtoulC, ULONG_MAX } from './vdev.js';

/** Host topology a CPU list is read against (node k owns pCPUs k·P … (k+1)·P−1, P = nrCpus / nrNodes). */
export interface CpuTopology {
  /** Number of pCPUs (the bitmap width). */
  nrCpus: number;
  /** Number of NUMA nodes. */
  nrNodes: number;
}

/** `parse_range`: `N` or `N-M`, decimal `strtoul`, N ≤ M, nothing after. */
function parseRange(str: string): [bigint, bigint] | undefined {
  const a = strtoulC(str, 0, 10);
  if (a.end === 0 || a.value === ULONG_MAX) return undefined;
  let b = a.value;
  let end = a.end;
  if (str[end] === '-') {
    const r = strtoulC(str, end + 1, 10);
    if (r.end === end + 1 || r.value === ULONG_MAX || r.value < a.value) return undefined;
    b = r.value;
    end = r.end;
  }
  if (end !== str.length) return undefined;
  return [a.value, b];
}

/** What {@link plainRange} read: N and M (M = N for a single number). */
let plainLo = 0;
let plainHi = 0;

/**
 * {@link parseRange} for the usual term, `N` or `N-M` of 1–15 ASCII digits each (what
 * strtoul reads as plain decimal, far below 2^53), as numbers in {@link plainLo} and
 * {@link plainHi}, without bigints: 1 when the term has that shape and N ≤ M, 0 when it
 * has that shape and N > M (an invalid range), -1 for any other text (then parseRange
 * decides).
 */
function plainRange(str: string): number {
  const n = str.length;
  let i = 0;
  let lo = 0;
  for (let c = str.charCodeAt(0); c >= 48 && c <= 57 && i < 15; c = str.charCodeAt(++i)) lo = lo * 10 + (c - 48);
  if (i === 0) return -1;
  if (i === n) {
    plainLo = plainHi = lo;
    return 1;
  }
  if (str.charCodeAt(i) !== 45 /* - */) return -1;
  const start = ++i;
  let hi = 0;
  for (let c = str.charCodeAt(i); c >= 48 && c <= 57 && i - start < 15; c = str.charCodeAt(++i)) hi = hi * 10 + (c - 48);
  if (i === start || i !== n) return -1;
  plainLo = lo;
  plainHi = hi;
  return lo <= hi ? 1 : 0;
}

/** The pCPUs of NUMA node `node` (none when the node does not exist, as libxl_node_to_cpumap). */
function nodeCpus(node: number, topo: CpuTopology): number[] {
  if (topo.nrNodes <= 0 || node >= topo.nrNodes) return [];
  const per = Math.floor(topo.nrCpus / topo.nrNodes);
  const out: number[] = [];
  const last = node === topo.nrNodes - 1 ? topo.nrCpus : (node + 1) * per;
  for (let c = node * per; c < last; c++) out.push(c);
  return out;
}

/**
 * Parse a CPU list into the set of pCPUs it names, as xl's `cpurange_parse`
 * (tools/xl/xl_parse.c; xl-cfg-format.md §4.8).
 *
 * Grammar: terms separated by `,` (empty terms skipped), applied left to right to an
 * empty set; a term is `[^][node:|nodes:](all | N | N-M)`; `^` removes, `node(s):`
 * means NUMA nodes. pCPU ids at or above `topo.nrCpus` are silently dropped (libxl
 * bitmaps ignore bits past their size).
 *
 * @param text the list, e.g. `"0-3,^1"`, `"nodes:0,^6"`, `"all"`
 * @param topo host pCPU and node counts
 * @returns `value`: sorted pCPU ids (may be empty, e.g. for `"^0"`). On error, one of
 *   xl's lines `Can't combine "^" and "all".\n` or `Invalid pcpu range: <rest>.\n`
 *   (`<rest>` is the term after its `^` and `node:` prefixes), code XL221, and
 *   exitCode 1; parsing stops at the first bad term. Never throws.
 */
export function parseCpuList(text: string, topo: CpuTopology): SpecResult<number[]> {
  const set = new Set<number>();
  const nrCpus = Math.max(0, Math.floor(topo.nrCpus));
  let offset = 0;
  for (const rawTerm of text.split(',')) {
    const termStart = offset;
    offset += rawTerm.length + 1;
    if (rawTerm === '') continue;
    let str = rawTerm;
    let isNot = false;
    let isNodes = false;
    if (str.startsWith('^')) {
      isNot = true;
      str = str.slice(1);
    }
    if (str.startsWith('node:')) {
      isNodes = true;
      str = str.slice(5);
    } else if (str.startsWith('nodes:')) {
      isNodes = true;
      str = str.slice(6);
    }
    const span: [number, number] = [termStart, termStart + rawTerm.length];
    if (str === 'all') {
      if (isNot) {
        const m: SpecMessage = {
          text: 'Can\'t combine "^" and "all".\n',
          severity: 'error',
          code: 'XL221',
          message: `"${rawTerm}" would remove every pCPU; "^" cannot be used with "all" — list the pCPUs or nodes to remove instead`,
          span,
        };
        return { messages: [m], exitCode: 1 };
      }
      for (let c = 0; c < nrCpus; c++) set.add(c);
      continue;
    }
    // the usual term, read in numbers; anything else through parseRange's bigints
    const limitN = isNodes ? Math.max(0, topo.nrNodes) : nrCpus;
    const plain = Number.isInteger(limitN) ? plainRange(str) : -1;
    const range = plain < 0 ? parseRange(str) : undefined;
    if (plain === 0 || (plain < 0 && !range)) {
      const m: SpecMessage = {
        text: `Invalid pcpu range: ${str}.\n`,
        severity: 'error',
        code: 'XL221',
        message: `"${rawTerm}" is not a ${isNodes ? 'NUMA node' : 'pCPU'} range: write N or N-M with decimal N ≤ M, optionally after "^" and "node:"/"nodes:", or "all"`,
        span,
      };
      return { messages: [m], exitCode: 1 };
    }
    let lo: number;
    let hi: number;
    if (plain > 0) {
      hi = plainHi < limitN ? plainHi : limitN - 1;
      lo = plainLo < limitN ? plainLo : limitN;
    } else {
      const [a, b] = range!;
      const limit = BigInt(limitN);
      hi = b < limit ? Number(b) : Number(limit) - 1;
      lo = Number(a < limit ? a : limit);
    }
    for (let id = lo; id <= hi; id++) {
      if (!isNodes) {
        // id < limitN = nrCpus here
        if (isNot) set.delete(id);
        else set.add(id);
        continue;
      }
      for (const c of nodeCpus(id, topo)) {
        if (c >= nrCpus) continue;
        if (isNot) set.delete(c);
        else set.add(c);
      }
    }
  }
  // Every member is below nrCpus: collecting them in id order needs no sort when the
  // bitmap is not much wider than the set.
  let value: number[];
  if (nrCpus <= 64 + 8 * set.size) {
    value = [];
    for (let c = 0; c < nrCpus && value.length < set.size; c++) if (set.has(c)) value.push(c);
  } else value = [...set].sort((x, y) => x - y);
  return { value, messages: [] };
}

/**
 * Format a pCPU set as xl prints a cpumap (`print_bitmap`, tools/xl/xl_utils.c;
 * xl-commands.md §3.6): `all` when pCPUs 0…nrCpus−1 are all set, `none` when none is,
 * otherwise ascending comma-separated items `N` or `A-B`, e.g. `0-3,6,8-9`. Only ids
 * below `nrCpus` are considered.
 * @param cpus pCPU ids, any order, duplicates allowed
 * @param nrCpus bitmap width (pCPUs on the host)
 */
export function formatCpumap(cpus: number[], nrCpus: number): string {
  const bits = new Set(cpus);
  let out = '';
  let state = 0;
  let firstset = 0;
  let i = 0;
  for (; i < nrCpus; i++) {
    const set = bits.has(i);
    if (state === 0 || state === 2) {
      if (set) {
        firstset = i;
        state++;
      }
    } else if (!set) {
      out += `${state > 1 ? ',' : ''}${firstset}`;
      if (i - 1 > firstset) out += `-${i - 1}`;
      state = 2;
    }
  }
  if (state === 0) return 'none';
  if (state === 1 && firstset === 0) return 'all';
  if (state === 1 || state === 3) {
    out += `${state > 1 ? ',' : ''}${firstset}`;
    if (i - 1 > firstset) out += `-${i - 1}`;
  }
  return out;
}
