/**
 * xentop's text output, byte for byte, as pure functions (no Ink, no I/O).
 *
 * Follows tools/xentop/xentop.c (Xen 4.20: `fields[]`, `do_summary`, `do_header`,
 * `do_domain`, `do_vcpu`, `do_network`, `do_vbd`, the `compare_*` functions) and
 * tools/libs/stat/xenstat.c for the state predicates; facts are in
 * shared/reference/xl-commands.md §4.2–§4.4.
 *
 * Units: memory in the input is KiB (`DomainInfo.memKiB`), host memory MiB
 * (`HostInfo.totalMemoryMiB`); CPU time ns; sample times ms since the epoch.
 */
import type { DomainInfo, HostInfo } from '../machine/api.js';
import { ShutdownReason } from '../machine/api.js';
import { formatFixed } from '../toolstack/format/printf.js';

/** One host snapshot as xentop samples it (`xenstat_get_node` + `gettimeofday`). */
export interface TopSample {
  /** Wall time of the sample, ms since the Unix epoch (xentop's `curtime`). */
  nowMs: number;
  host: HostInfo;
  /** Domains in domid order, as libxenstat lists them. */
  domains: DomainInfo[];
}

/**
 * The 19 xentop columns in screen order (`enum field_id` in xentop.c).
 * `S` cycles through them in this order.
 */
export type FieldId =
  | 'NAME'
  | 'STATE'
  | 'CPU(sec)'
  | 'CPU(%)'
  | 'MEM(k)'
  | 'MEM(%)'
  | 'MAXMEM(k)'
  | 'MAXMEM(%)'
  | 'VCPUS'
  | 'NETS'
  | 'NETTX(k)'
  | 'NETRX(k)'
  | 'VBDS'
  | 'VBD_OO'
  | 'VBD_RD'
  | 'VBD_WR'
  | 'VBD_RSECT'
  | 'VBD_WSECT'
  | 'SSID';

/** Column headers in order, with xentop's default widths (xl-commands.md §4.3). */
export const FIELDS: readonly { id: FieldId; width: number }[] = [
  { id: 'NAME', width: 10 },
  { id: 'STATE', width: 6 },
  { id: 'CPU(sec)', width: 10 },
  { id: 'CPU(%)', width: 6 },
  { id: 'MEM(k)', width: 10 },
  { id: 'MEM(%)', width: 6 },
  { id: 'MAXMEM(k)', width: 10 },
  { id: 'MAXMEM(%)', width: 9 },
  { id: 'VCPUS', width: 5 },
  { id: 'NETS', width: 4 },
  { id: 'NETTX(k)', width: 8 },
  { id: 'NETRX(k)', width: 8 },
  { id: 'VBDS', width: 4 },
  { id: 'VBD_OO', width: 8 },
  { id: 'VBD_RD', width: 8 },
  { id: 'VBD_WR', width: 8 },
  { id: 'VBD_RSECT', width: 10 },
  { id: 'VBD_WSECT', width: 10 },
  { id: 'SSID', width: 4 },
];

/** Display options of xentop (`-n -x -v -r -f -z`, toggled by `N B V R` on screen). */
export interface TopOptions {
  /** `-n` / `N`: one `Net<i> RX: … TX: …` line per vif. */
  networks: boolean;
  /** `-x` / `B`: one `VBD …` line per vbd. */
  vbds: boolean;
  /** `-v` / `V`: a `VCPUs(sec):` line per domain. */
  vcpus: boolean;
  /** `-r` / `R`: repeat the column header before every domain after the first. */
  repeatHeader: boolean;
  /** `-f`: do not truncate NAME to 10 columns. */
  fullName: boolean;
  /** `-z` (4.19+): Domain-0 first, whatever the sort column. */
  dom0First: boolean;
}

/** xentop's defaults: everything off. */
export const DEFAULT_TOP_OPTIONS: TopOptions = {
  networks: false,
  vbds: false,
  vcpus: false,
  repeatHeader: false,
  fullName: false,
  dom0First: false,
};

/**
 * C `printf("%.1f", x)` as glibc prints it: the exact binary value rounded to one
 * decimal, ties to even (`0.25` → `0.2`, `0.75` → `0.8`), unlike JS `toFixed` which
 * rounds exact ties away from zero. NaN/Infinity print as glibc does (`nan`, `inf`).
 * (xl-commands.md §0 item 17.) The one implementation is the toolstack's `formatFixed`.
 */
export function cFixed1(x: number): string {
  return formatFixed(x, 1);
}

/** Right-justify `s` in `width` columns (C `%*s`; never truncates). */
function rj(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

/** Xen's version string as `xenstat_node_xen_version` gives it, e.g. `4.20.0`. */
export function xenVersion(host: HostInfo): string {
  return `${host.xenMajor}.${host.xenMinor}${host.xenExtra}`;
}

/* ---- libxenstat's state predicates (tools/libs/stat/xenstat.c) ---- */

/** `xenstat_domain_crashed`: shut down with reason crash. */
function isCrashed(d: DomainInfo): boolean {
  return d.state.shutdown && d.state.shutdownReason === ShutdownReason.Crash;
}
/** `xenstat_domain_shutdown`: shut down with any reason but crash. */
function isShutdown(d: DomainInfo): boolean {
  return d.state.shutdown && d.state.shutdownReason !== ShutdownReason.Crash;
}

const STATE_TESTS: readonly [string, (d: DomainInfo) => boolean][] = [
  ['d', (d) => d.state.dying],
  ['s', isShutdown],
  ['b', (d) => d.state.blocked],
  ['c', isCrashed],
  ['p', (d) => d.state.paused],
  ['r', (d) => d.state.running],
];

/**
 * xentop's STATE column: six letters `d s b c p r` (dying, shutdown, blocked, crashed,
 * paused, running), `-` where not set, e.g. `-----r` or `--b---` (xentop.c `print_state`).
 */
export function stateLetters(d: DomainInfo): string {
  let s = '';
  for (const [ch, test] of STATE_TESTS) s += test(d) ? ch : '-';
  return s;
}

/* ---- derived values ---- */

/** Host memory, KiB (`xenstat_node_tot_mem` / 1024). */
function hostTotalKiB(host: HostInfo): number {
  return host.totalMemoryMiB * 1024;
}

/**
 * CPU(%) of `d` between `prev` and `cur` (xentop.c `get_cpu_pct`):
 * (Δ cpu ns / 10) / Δ wall µs, i.e. percent of one pCPU. 0 without a previous sample of
 * the same domid. `prevById` (the previous sample's domains by domid) saves a linear
 * search per domain when a whole sample is computed. A zero or negative wall interval gives 0 (real xentop would divide by 0).
 */
export function cpuPercent(d: DomainInfo, prev: TopSample | undefined, curMs: number, prevById?: ReadonlyMap<number, DomainInfo>): number {
  if (!prev) return 0;
  const old = prevById ? prevById.get(d.domid) : prev.domains.find((o) => o.domid === d.domid);
  if (!old) return 0;
  const usElapsed = (curMs - prev.nowMs) * 1000;
  if (!(usElapsed > 0)) return 0;
  // cpu_ns is unsigned in C: a smaller value would wrap; a new domain with the same id
  // cannot have less CPU time in a consistent host, so clamp at 0.
  const delta = Math.max(0, d.cpuTimeNs - old.cpuTimeNs);
  return delta / 10 / usElapsed;
}

const byIdCache = new WeakMap<TopSample, ReadonlyMap<number, DomainInfo>>();

/**
 * A sample's domains by domid, built once per sample object (a refresh looks the previous
 * sample up twice: for the counters of rows read without devices, and for CPU(%)). The
 * sample's `domains` must not change after the first call, as no sample's does.
 */
export function domainsById(sample: TopSample): ReadonlyMap<number, DomainInfo> {
  let m = byIdCache.get(sample);
  if (m === undefined) {
    const built = new Map<number, DomainInfo>();
    for (const d of sample.domains) built.set(d.domid, d);
    byIdCache.set(sample, (m = built));
  }
  return m;
}

/** Everything one row shows, computed once per sample (numbers, not yet padded). */
export interface TopRow {
  domid: number;
  name: string;
  state: string;
  cpuSec: number;
  cpuPct: number;
  memKiB: number;
  memPct: number;
  /** undefined = `no limit` */
  maxMemKiB: number | undefined;
  /** undefined = `n/a` */
  maxPct: number | undefined;
  vcpus: number;
  nets: number;
  netTxK: number;
  netRxK: number;
  vbds: number;
  vbdOO: number;
  vbdRd: number;
  vbdWr: number;
  vbdRsect: number;
  vbdWsect: number;
  ssid: number;
  /** The domain the row was computed from (detail lines need it). */
  info: DomainInfo;
}

/** xlsim's TYPE column: `PV`, `PVH`, `HVM`, or `Domain-0` for domid 0. */
export function typeLabel(d: Pick<DomainInfo, 'domid' | 'type'>): string {
  return d.domid === 0 ? 'Domain-0' : d.type.toUpperCase();
}

/**
 * Compute the rows of one refresh from the current sample and the previous one
 * (for CPU(%)), in domid order (unsorted). Domains with an empty name (being
 * destroyed, not readable from xenstore) are omitted, as xentop does (§4.4).
 * Runs over every domain at each refresh, so it sums the device counters in plain
 * loops (no array per domain): about 0.2 ms for 1,000 domains.
 */
export function computeRows(cur: TopSample, prev?: TopSample): TopRow[] {
  const totalKiB = hostTotalKiB(cur.host);
  const prevById = prev ? domainsById(prev) : undefined;
  const out: TopRow[] = [];
  for (const d of cur.domains) {
    if (d.name === '') continue;
    let txBytes = 0;
    let rxBytes = 0;
    for (const n of d.nets ?? []) {
      txBytes += n.txBytes;
      rxBytes += n.rxBytes;
    }
    let oo = 0;
    let rd = 0;
    let wr = 0;
    let rsect = 0;
    let wsect = 0;
    for (const v of d.vbds ?? []) {
      oo += v.oo;
      rd += v.rdReq;
      wr += v.wrReq;
      rsect += v.rdSect;
      wsect += v.wrSect;
    }
    out.push({
      domid: d.domid,
      name: d.name,
      state: stateLetters(d),
      cpuSec: Math.floor(d.cpuTimeNs / 1e9),
      cpuPct: cpuPercent(d, prev, cur.nowMs, prevById),
      memKiB: d.memKiB,
      memPct: totalKiB > 0 ? (d.memKiB / totalKiB) * 100 : 0,
      maxMemKiB: d.maxMemKiB,
      maxPct: d.maxMemKiB === undefined ? undefined : totalKiB > 0 ? (d.maxMemKiB / totalKiB) * 100 : 0,
      vcpus: d.maxVcpus,
      nets: d.nets?.length ?? 0,
      netTxK: Math.floor(txBytes / 1024),
      netRxK: Math.floor(rxBytes / 1024),
      vbds: d.vbds?.length ?? 0,
      vbdOO: oo,
      vbdRd: rd,
      vbdWr: wr,
      vbdRsect: rsect,
      vbdWsect: wsect,
      ssid: d.ssidref,
      info: d,
    });
  }
  return out;
}

/* ---- sorting (xentop.c compare_*) ---- */

/** Numeric sort key of a column; larger sorts first (xentop's `-compare`). */
function numericKey(r: TopRow, f: FieldId): number {
  switch (f) {
    case 'CPU(sec)':
      return r.info.cpuTimeNs;
    case 'CPU(%)':
      return r.cpuPct;
    case 'MEM(k)':
      return r.memKiB;
    case 'MEM(%)':
      return r.memPct;
    case 'MAXMEM(k)':
      // (unsigned long long)-1 = no limit: the largest value.
      return r.maxMemKiB ?? Number.POSITIVE_INFINITY;
    case 'MAXMEM(%)':
      return r.maxPct ?? Number.POSITIVE_INFINITY;
    case 'VCPUS':
      return r.vcpus;
    case 'NETS':
      return r.nets;
    case 'NETTX(k)':
      return r.netTxK;
    case 'NETRX(k)':
      return r.netRxK;
    case 'VBDS':
      return r.vbds;
    case 'VBD_OO':
      return r.vbdOO;
    case 'VBD_RD':
      return r.vbdRd;
    case 'VBD_WR':
      return r.vbdWr;
    case 'VBD_RSECT':
      return r.vbdRsect;
    case 'VBD_WSECT':
      return r.vbdWsect;
    case 'SSID':
      return r.ssid;
    default:
      return 0;
  }
}

/**
 * compare_state as one number: a bit per letter of `d s b c p r`, `d` the highest, so a
 * larger number is a domain with an earlier letter set, which xentop sorts first.
 */
function stateRank(r: TopRow): number {
  let n = 0;
  for (const [, test] of STATE_TESTS) n = n * 2 + (test(r.info) ? 1 : 0);
  return n;
}

/**
 * Sort `rows` by precomputed keys (one per row, same order): strings ascending, numbers
 * descending (xentop's `-compare`), both flipped by `reverse`; ties keep the input order;
 * with `dom0First` domid 0 goes first whatever the keys. Returns a new array. Computing
 * each key once keeps a sort of 1,000 domains to a fraction of a millisecond per compare.
 */
export function sortByKeys(rows: readonly TopRow[], keys: readonly (number | string)[], reverse = false, dom0First = false): TopRow[] {
  const idx = rows.map((_, i) => i);
  const dir = reverse ? -1 : 1;
  idx.sort((i, j) => {
    if (dom0First) {
      const a0 = rows[i]!.domid === 0;
      const b0 = rows[j]!.domid === 0;
      if (a0 !== b0) return a0 ? -1 : 1;
    }
    const x = keys[i]!;
    const y = keys[j]!;
    let c = 0;
    if (typeof x === 'string' || typeof y === 'string') c = x < y ? -1 : x > y ? 1 : 0;
    else c = x > y ? -1 : x < y ? 1 : 0;
    return c * dir || i - j;
  });
  return idx.map((i) => rows[i]!);
}

/** The sort key of `r` for xentop column `f`: NAME lower-cased (strcasecmp), STATE its rank, others numeric. */
export function fieldKey(r: TopRow, f: FieldId): number | string {
  if (f === 'NAME') return r.name.toLowerCase();
  if (f === 'STATE') return stateRank(r);
  return numericKey(r, f);
}

/**
 * Sort rows as xentop does (§4.4): NAME ascending case-insensitive, STATE by letter
 * priority, every other column numerically descending. Ties keep domid order (xentop's
 * qsort leaves them unspecified). With `dom0First`, domid 0 goes first (`-z`).
 * `reverse` flips the order (xlsim's `I`, as in htop). Returns a new array.
 */
export function sortRows(rows: TopRow[], field: FieldId, dom0First = false, reverse = false): TopRow[] {
  return sortByKeys(
    rows,
    rows.map((r) => fieldKey(r, field)),
    reverse,
    dom0First,
  );
}

/** The column after `field` in `S`'s cycle (SSID wraps to NAME). */
export function nextSortField(field: FieldId): FieldId {
  const i = FIELDS.findIndex((f) => f.id === field);
  return FIELDS[(i + 1) % FIELDS.length]!.id;
}

/* ---- widths ---- */

/** Digits of `v` as `(unsigned)(log10(v) + 1)` computes them (0 for v < 1). */
function digits(v: number): number {
  return v >= 1 ? Math.floor(Math.log10(v) + 1) : 0;
}

/**
 * Column widths for one refresh (xentop.c `reset_field_widths` + `adjust_field_widths`):
 * the defaults, with NETTX/NETRX/VBD_RD/VBD_WR/VBD_RSECT/VBD_WSECT grown to fit the
 * largest value shown, and NAME grown to the longest name under `-f`.
 */
export function fieldWidths(rows: TopRow[], fullName = false): Record<FieldId, number> {
  const w = Object.fromEntries(FIELDS.map((f) => [f.id, f.width])) as Record<FieldId, number>;
  const grow = (f: FieldId, n: number): void => {
    if (n > w[f]) w[f] = n;
  };
  for (const r of rows) {
    if (fullName) grow('NAME', r.name.length);
    grow('NETTX(k)', digits(r.netTxK));
    grow('NETRX(k)', digits(r.netRxK));
    grow('VBD_RD', digits(r.vbdRd));
    grow('VBD_WR', digits(r.vbdWr));
    grow('VBD_RSECT', digits(r.vbdRsect));
    grow('VBD_WSECT', digits(r.vbdWsect));
  }
  return w;
}

/* ---- lines ---- */

/**
 * The column header cells, each right-justified to its width (xentop.c `do_header`).
 * Joined with one space they are the header line; the UI draws them in reverse video
 * with the sort column bold.
 */
export function headerCells(widths: Record<FieldId, number>): string[] {
  return FIELDS.map((f) => rj(f.id, widths[f.id]));
}

/** The header line without its newline, e.g. `      NAME  STATE   CPU(sec) …  SSID`. */
export function formatHeader(widths: Record<FieldId, number>): string {
  return headerCells(widths).join(' ');
}

/** One domain row's cells, padded (xentop.c `print_*`). */
export function rowCells(r: TopRow, widths: Record<FieldId, number>, fullName = false): string[] {
  const nw = widths.NAME;
  return [
    fullName ? rj(r.name, nw) : rj(r.name.slice(0, 10), 10),
    r.state,
    rj(String(r.cpuSec), widths['CPU(sec)']),
    rj(cFixed1(r.cpuPct), widths['CPU(%)']),
    rj(String(r.memKiB), widths['MEM(k)']),
    rj(cFixed1(r.memPct), widths['MEM(%)']),
    rj(r.maxMemKiB === undefined ? 'no limit' : String(r.maxMemKiB), widths['MAXMEM(k)']),
    rj(r.maxPct === undefined ? 'n/a' : cFixed1(r.maxPct), widths['MAXMEM(%)']),
    rj(String(r.vcpus), widths.VCPUS),
    rj(String(r.nets), widths.NETS),
    rj(String(r.netTxK), widths['NETTX(k)']),
    rj(String(r.netRxK), widths['NETRX(k)']),
    rj(String(r.vbds), widths.VBDS),
    rj(String(r.vbdOO), widths.VBD_OO),
    rj(String(r.vbdRd), widths.VBD_RD),
    rj(String(r.vbdWr), widths.VBD_WR),
    rj(String(r.vbdRsect), widths.VBD_RSECT),
    rj(String(r.vbdWsect), widths.VBD_WSECT),
    rj(String(r.ssid), widths.SSID),
  ];
}

/** One domain row without its newline (cells joined by one space). */
export function formatRow(r: TopRow, widths: Record<FieldId, number>, fullName = false): string {
  return rowCells(r, widths, fullName).join(' ');
}

/**
 * The detail lines printed under a domain row with `-v`, `-n`, `-x` (xentop.c
 * `do_vcpu`, `do_network`, `do_vbd`), each without its final newline.
 * vCPU line: `VCPUs(sec): ` then ` <i %2u>: <secs %10llu>s` per online vCPU, a newline
 * plus 8 spaces before every 5th vCPU index. Error and drop counters are 0 (the emulated
 * backends do not fail).
 */
export function detailLines(d: DomainInfo, opts: TopOptions): string[] {
  const out: string[] = [];
  if (opts.vcpus) {
    let s = 'VCPUs(sec): ';
    const n = d.maxVcpus;
    for (let i = 0; i < n; i++) {
      const v = d.vcpus?.find((x) => x.id === i);
      if (!v || !v.online) continue;
      if (i !== 0 && i % 5 === 0) s += '\n        ';
      s += ` ${rj(String(i), 2)}: ${rj(String(Math.floor(v.timeNs / 1e9)), 10)}s`;
    }
    out.push(...s.split('\n'));
  }
  if (opts.networks) {
    (d.nets ?? []).forEach((n, i) => {
      out.push(
        `Net${i} RX: ${rj(String(n.rxBytes), 8)}bytes ${rj(String(n.rxPackets), 8)}pkts ${rj('0', 8)}err ${rj('0', 8)}drop  ` +
          `TX: ${rj(String(n.txBytes), 8)}bytes ${rj(String(n.txPackets), 8)}pkts ${rj('0', 8)}err ${rj('0', 8)}drop`,
      );
    });
  }
  if (opts.vbds) {
    for (const v of d.vbds ?? []) {
      const major = ((v.devid >> 8) & 0xfff).toString(16);
      const minor = (v.devid & 0xff).toString(16);
      out.push(
        `VBD BlkBack ${rj(String(v.devid), 4)} [${rj(major, 2)}:${rj(minor, 2)}]  OO: ${rj(String(v.oo), 8)}` +
          `   RD: ${rj(String(v.rdReq), 8)}   WR: ${rj(String(v.wrReq), 8)}` +
          `   RSECT: ${rj(String(v.rdSect), 10)}   WSECT: ${rj(String(v.wrSect), 10)}`,
      );
    }
  }
  return out;
}

/** `HH:MM:SS` of `ms`, local time (strftime `%H:%M:%S` on `localtime`) or UTC. */
export function clockTime(ms: number, utc = false): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return utc
    ? `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
    : `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * The three summary lines of interactive xentop (xentop.c `do_summary`, §4.2), without
 * newlines:
 * 1. `xentop - HH:MM:SS   Xen 4.20.0`
 * 2. `<n> domains: <r> running, <b> blocked, <p> paused, <c> crashed, <d> dying, <s> shutdown `
 *    (trailing space; each domain counted once: running > blocked > paused > shutdown >
 *    crashed > dying)
 * 3. `Mem: <t>k total, <u>k used, <f>k free    CPUs: <n> @ <MHz>MHz` (KiB).
 * `utc` prints the time in UTC instead of local time.
 */
export function summaryLines(s: TopSample, utc = false): [string, string, string] {
  let run = 0;
  let block = 0;
  let pause = 0;
  let crash = 0;
  let dying = 0;
  let shut = 0;
  for (const d of s.domains) {
    if (d.state.running) run++;
    else if (d.state.blocked) block++;
    else if (d.state.paused) pause++;
    else if (isShutdown(d)) shut++;
    else if (isCrashed(d)) crash++;
    else if (d.state.dying) dying++;
  }
  const total = hostTotalKiB(s.host);
  const free = s.host.freeMemoryMiB * 1024;
  return [
    `xentop - ${clockTime(s.nowMs, utc)}   Xen ${xenVersion(s.host)}`,
    `${s.domains.length} domains: ${run} running, ${block} blocked, ${pause} paused, ` +
      `${crash} crashed, ${dying} dying, ${shut} shutdown `,
    `Mem: ${total}k total, ${total - free}k used, ${free}k free    CPUs: ${s.host.nrCpus} @ ${Math.floor(s.host.cpuMhz)}MHz`,
  ];
}

/**
 * One batch-mode iteration (`xentop -b`, §4.2): the header line then one line per
 * domain (plus detail lines and repeated headers as `opts` asks), each ending in `\n`;
 * no summary and no key bar. `prev` is the previous iteration's sample (CPU(%) is 0.0
 * without it).
 */
export function formatBatch(
  cur: TopSample,
  prev: TopSample | undefined,
  sortField: FieldId = 'NAME',
  opts: TopOptions = DEFAULT_TOP_OPTIONS,
): string {
  const rows = sortRows(computeRows(cur, prev), sortField, opts.dom0First);
  const widths = fieldWidths(rows, opts.fullName);
  const header = formatHeader(widths);
  const lines: string[] = [header];
  rows.forEach((r, i) => {
    if (i > 0 && opts.repeatHeader) lines.push(header);
    lines.push(formatRow(r, widths, opts.fullName));
    lines.push(...detailLines(r.info, opts));
  });
  return lines.map((l) => l + '\n').join('');
}
