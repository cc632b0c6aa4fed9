/**
 * `xl list` table (tools/xl/xl_info.c `list_domains`; xl-commands.md §3.1, §3.2).
 */
import type { DomainInfo } from '../../machine/api.js';
import { cpuSeconds, padLeft, padRight } from './printf.js';

/** Column switches of `xl list`: `-v`, `-Z`, `-c`, `-n`. */
export interface ListOptions {
  verbose?: boolean;
  context?: boolean;
  cpupool?: boolean;
  numa?: boolean;
  /** `xl claims`: the outstanding-claim column (MiB). */
  claim?: boolean;
}

/** Per-domain extras the plain DomainInfo does not carry. */
export interface ListExtras {
  /** Outstanding claim, KiB, added to Mem (xl list Mem = current + claim). Default 0. */
  outstandingKiB?: (domid: number) => number;
  /** Cpupool name for `-c`. Default: the domain's own (`DomainInfo.pool`). */
  poolName?: (domid: number) => string;
  /** NUMA node affinity text for `-n` (bitmap formatter output). Default `all`. */
  nodeAffinity?: (domid: number) => string;
}

/** The defaults of `listRow` (one object each, not one per row: `list` makes 10,000 rows). */
const NO_OPTIONS: ListOptions = Object.freeze({});
const NO_EXTRAS: ListExtras = Object.freeze({});

/** Shutdown reason letters indexed by Xen's SHUTDOWN_* code: `-rscwS` (xl_info.c). */
const REASON_LETTERS = '-rscwS';

/** The header line of `xl list` with its two literal TABs, newline included. */
export function listHeader(opts: ListOptions = {}): string {
  let h = 'Name                                        ID   Mem VCPUs\tState\tTime(s)';
  if (opts.verbose) h += '   UUID                            Reason-Code\tSecurity Label';
  if (opts.context && !opts.verbose) h += '   Security Label';
  if (opts.claim) h += '  Claimed';
  if (opts.cpupool) h += '         Cpupool';
  if (opts.numa) h += ' NODE Affinity';
  return `${h}\n`;
}

/** The 6-letter state column: r b p s <reason> d (xl-commands.md §3.1). */
export function stateLetters(d: Pick<DomainInfo, 'state'>): string {
  const s = d.state;
  const reason = s.shutdown ? (s.shutdownReason ?? 0) : 0;
  const letter = reason >= 0 && reason < REASON_LETTERS.length ? REASON_LETTERS[reason]! : '?';
  return (
    (s.running ? 'r' : '-') +
    (s.blocked ? 'b' : '-') +
    (s.paused ? 'p' : '-') +
    (s.shutdown ? 's' : '-') +
    letter +
    (s.dying ? 'd' : '-')
  );
}

/**
 * One `xl list` row, newline included: `%-40s %5d %5lu %5d     %s  %8.1f` plus the
 * `-v`/`-Z`/`-c`/`-n` columns. Mem is (current KiB + claim KiB) / 1024 truncated (MiB);
 * Time(s) is `(float)cpu_time / 1e9` printed with glibc `%.1f`.
 */
export function listRow(d: DomainInfo, opts: ListOptions = NO_OPTIONS, extras: ListExtras = NO_EXTRAS): string {
  const claim = extras.outstandingKiB?.(d.domid) ?? 0;
  const memMiB = Math.floor((d.memKiB + claim) / 1024);
  let row =
    `${padRight(d.name, 40)} ${padLeft(d.domid, 5)} ${padLeft(memMiB, 5)} ${padLeft(d.onlineVcpus, 5)}` +
    `     ${stateLetters(d)}  ${padLeft(cpuSeconds(d.cpuTimeNs), 8)}`;
  if (opts.verbose) {
    row += ` ${d.uuid}`;
    if (d.state.shutdown) row += ` ${padLeft((d.state.shutdownReason ?? 0).toString(16), 8)}`;
    else row += ` ${padLeft('-', 8)}`;
  }
  if (opts.verbose || opts.context) row += ` ${padLeft('-', 16)}`;
  if (opts.claim) row += ` ${padLeft(Math.floor(claim / 1024), 5)}`;
  if (opts.cpupool) row += padLeft(extras.poolName?.(d.domid) ?? d.pool, 16);
  if (opts.numa) row += ` ${extras.nodeAffinity?.(d.domid) ?? 'all'}`;
  return `${row}\n`;
}

/** The whole `xl list` output for `domains` (already in ascending domid order). */
export function formatList(domains: readonly DomainInfo[], opts: ListOptions = {}, extras: ListExtras = {}): string {
  return listHeader(opts) + domains.map((d) => listRow(d, opts, extras)).join('');
}
