/**
 * `xl sched-credit` and `xl sched-credit2` (tools/xl/xl_sched.c `main_sched_credit`,
 * `main_sched_credit2`, `sched_domain_output`, `sched_credit*_domain_output`,
 * `sched_credit*_pool_output`; tools/libs/light/libxl_sched.c for libxl's checks and
 * log lines; xl-commands.md §3.9).
 *
 * Listing walks the cpupools whose scheduler is the command's (none on a credit2 host
 * for `sched-credit`: nothing printed, exit 0): per pool its parameter line, the header
 * and a weight/cap row for each of its domains. `-d D` shows one domain, `-d D -w W -c
 * C` sets (−1 keeps the value), `-s` shows pool 0's (or `-p`'s) parameters and `-s
 * -t/-r/-m` sets them (per pool, stored in the host).
 */
import type { Host } from '../../machine/host.js';
import type { PoolInfo, PoolSchedParams, SchedulerName } from '../../machine/pools.js';
import { XenError, STRERROR } from '../../machine/xen-error.js';
import type { CommandContext, XlCommandModule } from '../command.js';
import { cpupoolByQualifier } from '../cpupool-arg.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine, type LogSite } from '../format/log.js';
import { MORE_SITES as S } from '../format/log-sites.js';
import { padLeft, padRight } from '../format/printf.js';
import { strtol10 } from './domid.js';

type Sched = 'credit' | 'credit2';

/** C `strtol(optarg, NULL, 10)` stored in an `int` (0 when there are no digits). */
export function cInt(s: string): number {
  return Number(BigInt.asIntN(32, strtol10(s).value));
}

/** `%-33s %4s %6s %4s` header of the weight/cap table. */
function header(): string {
  return `${padRight('Name', 33)} ${padLeft('ID', 4)} ${padLeft('Weight', 6)} ${padLeft('Cap', 4)}\n`;
}

/** The pool-parameter line (`sched_credit*_pool_output`), or the unavailable line plus libxl's errors. */
function poolLine(ctx: CommandContext, sched: Sched, pool: PoolInfo): string {
  if (pool.scheduler !== sched) {
    const site = sched === 'credit' ? S.creditParamsGet : S.credit2ParamsGet;
    ctx.err(libxlLine('error', site, undefined, `getting ${sched === 'credit' ? 'Credit' : 'Credit2'} scheduler parameters`, STRERROR.EINVAL));
    ctx.err(`libxl_sched_${sched}_params_get failed.\n`);
    return `Cpupool ${pool.name}: [sched params unavailable]\n`;
  }
  const p = pool.params;
  return sched === 'credit'
    ? `Cpupool ${pool.name}: tslice=${p.tsliceMs}ms ratelimit=${p.ratelimitUs}us migration-delay=${p.migrDelayUs}us\n`
    : `Cpupool ${pool.name}: ratelimit=${p.ratelimitUs}us\n`;
}

/**
 * `sched_domain_get` for the domain and its row (`%-33s %4d %6d %4d`), or undefined
 * after printing libxl's and xl's errors: an unknown domain has no scheduler (libxl_dom.c
 * `get domaininfo failed`, then `Unknown scheduler`), a domain in another scheduler's
 * pool gives `libxl_domain_sched_params_get returned <s> not <sched>.`.
 */
export function schedDomainRow(ctx: CommandContext, host: Host, sched: SchedulerName, domid: number): string | undefined {
  const d = host.domain(domid);
  const poolId = host.cpupoolOf(domid);
  const pool = host.cpupools().find((p) => p.id === poolId);
  if (!d || !pool) {
    ctx.err(libxlLine('error', S.domainCpupool, domid, 'get domaininfo failed', STRERROR.ESRCH));
    ctx.err(libxlLine('error', S.domParamsGetUnknown, domid, 'Unknown scheduler'));
    ctx.err('libxl_domain_sched_params_get failed.\n');
    return undefined;
  }
  if (pool.scheduler !== sched) {
    ctx.err(`libxl_domain_sched_params_get returned ${pool.scheduler} not ${sched}.\n`);
    return undefined;
  }
  const params = host.schedParams(domid)!;
  return `${padRight(d.name, 33)} ${padLeft(domid, 4)} ${padLeft(params.weight, 6)} ${padLeft(params.cap, 4)}\n`;
}

/**
 * `sched_domain_output`: for each pool running `sched` (only `-p`'s when given), its
 * parameter line, the header and the rows of its domains. Unknown `-p` → `unknown
 * cpupool`, status 1; otherwise 0 even when a row fails (xl stops that pool's rows).
 */
export function schedDomainOutput(
  ctx: CommandContext,
  host: Host,
  sched: SchedulerName,
  cpupool: string | undefined,
  pool: (p: PoolInfo) => string,
  head: () => string,
  row: (domid: number) => string | undefined,
): number {
  const pools = host.cpupools();
  let only: PoolInfo | undefined;
  if (cpupool !== undefined) {
    only = cpupoolByQualifier(pools, cpupool);
    if (!only) {
      ctx.err(`unknown cpupool '${cpupool}'\n`);
      return 1;
    }
  }
  const doms = host.listDomains();
  for (const p of pools) {
    if (p.scheduler !== sched || (only && only.id !== p.id)) continue;
    ctx.out(pool(p) + head());
    for (const d of doms) {
      if (host.cpupoolOf(d.domid) !== p.id) continue;
      const r = row(d.domid);
      if (r === undefined) return 0;
      ctx.out(r);
    }
  }
  return 0;
}

/**
 * libxl's `sched_credit*_domain_set` checks and the host call: prints libxl's error lines
 * and xl's `libxl_domain_sched_params_set failed.`, returning 1, on failure.
 */
function setDomain(ctx: CommandContext, host: Host, sched: Sched, domid: number, weight?: number, cap?: number): number {
  const fail = (site: LogSite, msg: string, errno?: string): number => {
    ctx.err(libxlLine('error', site, domid, msg, errno));
    ctx.err('libxl_domain_sched_params_set failed.\n');
    return 1;
  };
  const credit = sched === 'credit';
  const d = host.domain(domid);
  if (!d) return fail(credit ? S.creditDomInfo : S.credit2DomInfo, 'Getting domain info', STRERROR.ESRCH);
  const pool = host.cpupools().find((p) => p.id === host.cpupoolOf(domid));
  if (pool?.scheduler !== sched) {
    return fail(credit ? S.creditDomGet : S.credit2DomGet, `Getting domain sched ${sched}`, STRERROR.EINVAL);
  }
  // LIBXL_DOMAIN_SCHED_PARAM_{WEIGHT,CAP}_DEFAULT (-1) means "leave unchanged".
  const params: { weight?: number; cap?: number } = {};
  if (weight !== undefined && weight !== -1) {
    if (weight < 1 || weight > 65535) {
      return fail(credit ? S.creditWeight : S.credit2Weight, 'Cpu weight out of range, valid values are within range from 1 to 65535');
    }
    params.weight = weight;
  }
  if (cap !== undefined && cap !== -1) {
    const max = d.maxVcpus * 100;
    if (cap < 0 || cap > max) {
      return fail(credit ? S.creditCap : S.credit2Cap, `Cpu cap out of range, valid range is from 0 to ${max} for specified number of vcpus`);
    }
    params.cap = cap;
  }
  host.setSchedParams(domid, params);
  return 0;
}

/**
 * libxl_sched_credit{,2}_params_set's checks (ratelimit 0 or 100…500000 µs; credit:
 * tslice 1…1000 ms, ratelimit ≤ tslice, migration delay ≤ 100000 µs) and the host call.
 */
function setPool(ctx: CommandContext, host: Host, sched: Sched, pool: PoolInfo, params: PoolSchedParams): number {
  const fail = (site: LogSite | undefined, msg?: string, errno?: string): number => {
    if (site && msg) ctx.err(libxlLine('error', site, undefined, msg, errno));
    ctx.err(`libxl_sched_${sched}_params_set failed.\n`);
    return 1;
  };
  const t = params.tsliceMs ?? 0;
  const r = params.ratelimitUs ?? 0;
  if (sched === 'credit' && (t < 1 || t > 1000)) return fail(S.creditTslice, 'Time slice out of range, valid range is from 1 to 1000');
  if (r !== 0 && (r < 100 || r > 500000)) return fail(S.ratelimit, 'Ratelimit out of range, valid range is from 100 to 500000');
  if (sched === 'credit') {
    if (r > t * 1000) return fail(S.creditRatelimitTslice, 'Ratelimit cannot be greater than timeslice');
    const m = params.migrDelayUs ?? 0;
    if (m < 0 || m > 100000) return fail(S.creditMigrDelay, 'vcpu migration delay should be >= 0 and <= 100000us');
  }
  try {
    host.setCpupoolSchedParams(pool.id, params);
  } catch (e) {
    if (!(e instanceof XenError)) throw e;
    return fail(undefined);
  }
  return 0;
}

interface SchedOpts {
  domain?: string;
  weight?: string;
  cap?: string;
  cpupool?: string;
  ratelimit_us?: string;
  schedparam?: boolean;
  tslice_ms?: string;
  migration_delay_us?: string;
}

function module(sched: Sched): XlCommandModule {
  const credit = sched === 'credit';
  return {
    name: credit ? 'sched-credit' : 'sched-credit2',
    minArgs: 0,
    options: (cmd) => {
      cmd
        .option('-d, --domain <Domain>')
        .option('-w, --weight <weight>')
        .option('-c, --cap <cap>')
        .option('-p, --cpupool <pool>')
        .option('-r, --ratelimit_us <us>')
        .option('-s, --schedparam');
      if (credit) cmd.option('-t, --tslice_ms <ms>').option('-m, --migration_delay_us <us>');
      return cmd;
    },
    async run(ctx) {
      const o = ctx.opts as SchedOpts;
      const domainOpts = o.domain !== undefined || o.weight !== undefined || o.cap !== undefined;
      if (credit && (o.cpupool !== undefined || o.schedparam) && domainOpts) {
        ctx.err('Specifying a cpupool or schedparam is not allowed with domain options.\n');
        return 1;
      }
      if (!credit && o.cpupool !== undefined && domainOpts) {
        ctx.err('Specifying a cpupool is not allowed with other options.\n');
        return 1;
      }
      if (o.domain === undefined && (o.weight !== undefined || o.cap !== undefined)) {
        ctx.err('Must specify a domain.\n');
        return 1;
      }
      const poolParams = o.tslice_ms !== undefined || o.ratelimit_us !== undefined || o.migration_delay_us !== undefined;
      if (credit && !o.schedparam && poolParams) {
        ctx.err('Must specify schedparam to set schedule parameter values.\n');
        return 1;
      }
      const changes = (o.schedparam && poolParams) || (o.domain !== undefined && (o.weight !== undefined || o.cap !== undefined));
      return (changes ? ctx.withHost : ctx.readHost)(async (host: Host) => {
        if (o.schedparam) {
          const pools = host.cpupools();
          const pool = o.cpupool === undefined ? pools.find((p) => p.id === 0) : cpupoolByQualifier(pools, o.cpupool);
          if (!pool) {
            ctx.err(`unknown cpupool '${o.cpupool}'\n`);
            return 1;
          }
          if (!poolParams) {
            ctx.out(poolLine(ctx, sched, pool));
            return 0;
          }
          if (credit) {
            if (pool.scheduler !== sched) {
              ctx.err(libxlLine('error', S.creditParamsGet, undefined, 'getting Credit scheduler parameters', STRERROR.EINVAL));
              ctx.err('libxl_sched_credit_params_get failed.\n');
              return 1;
            }
            const next: PoolSchedParams = { ...pool.params };
            if (o.tslice_ms !== undefined) next.tsliceMs = cInt(o.tslice_ms);
            if (o.ratelimit_us !== undefined) next.ratelimitUs = cInt(o.ratelimit_us);
            if (o.migration_delay_us !== undefined) next.migrDelayUs = cInt(o.migration_delay_us);
            return setPool(ctx, host, sched, pool, next);
          }
          const r = cInt(o.ratelimit_us!);
          if (pool.scheduler !== sched && (r === 0 || (r >= 100 && r <= 500000))) {
            ctx.err(libxlLine('error', S.credit2ParamsSet, undefined, 'Setting Credit2 scheduler parameters', STRERROR.EINVAL));
            ctx.err('libxl_sched_credit2_params_set failed.\n');
            return 1;
          }
          return setPool(ctx, host, sched, pool, { ratelimitUs: r });
        }
        if (o.domain === undefined) {
          return schedDomainOutput(ctx, host, sched, o.cpupool, (p) => poolLine(ctx, sched, p), header, (id) => schedDomainRow(ctx, host, sched, id));
        }
        const domid = findDomain(host, o.domain, ctx.err);
        if (o.weight === undefined && o.cap === undefined) {
          ctx.out(header());
          const row = schedDomainRow(ctx, host, sched, domid);
          if (row === undefined) return 1;
          ctx.out(row);
          return 0;
        }
        return setDomain(ctx, host, sched, domid, o.weight === undefined ? undefined : cInt(o.weight), o.cap === undefined ? undefined : cInt(o.cap));
      });
    },
  };
}

/** `xl sched-credit`: credit pools only (none on the default credit2 host: nothing printed). */
export const schedCreditCommand: XlCommandModule = module('credit');
/** `xl sched-credit2`: per credit2 pool its ratelimit line and weight/cap rows; `-d D -w W -c C` sets. */
export const schedCredit2Command: XlCommandModule = module('credit2');
