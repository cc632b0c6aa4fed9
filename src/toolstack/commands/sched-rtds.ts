/**
 * `xl sched-rtds [-d D [-v ID|all]… [-p PERIOD -b BUDGET -e 0|1]…] [--cpupool P]`
 * (tools/xl/xl_sched.c `main_sched_rtds`, `sched_rtds_domain_output`,
 * `sched_rtds_vcpu_output(_all)`, `sched_rtds_pool_output`; tools/libs/light/
 * libxl_sched.c `sched_rtds_*`, `libxl_vcpu_sched_params_*`; xl-commands.md §3.9).
 *
 * Lists RTDS pools (`Cpupool <p>: sched=RTDS`) with each domain's default parameters
 * (period 10000 µs, budget 4000 µs, extratime yes: Xen's XEN_DOMCTL_SCHEDOP_getinfo
 * always answers the defaults) or, with `-v`, each vCPU's own. `-d D -v N -p P -b B -e E`
 * sets vCPU N (repeatable), `-v all` every vCPU. As in xl, every `-p` needs its `-b` and
 * `-e` (`Incorrect number of period, budget and extratime`), and `-c` takes no argument
 * (getopt `c` without `:`), so only `--cpupool=P` restricts the listing.
 */
import type { Host } from '../../machine/host.js';
import { RTDS_DEFAULT } from '../../machine/pools.js';
import { STRERROR, XenError } from '../../machine/xen-error.js';
import type { CommandContext, XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine } from '../format/log.js';
import { MORE_SITES as S } from '../format/log-sites.js';
import { padLeft, padRight } from '../format/printf.js';
import { XlExit } from '../io.js';
import { cInt, schedDomainOutput } from './sched.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function domainHeader(): string {
  return `${padRight('Name', 33)} ${padLeft('ID', 4)} ${padLeft('Period', 9)} ${padLeft('Budget', 9)} ${padLeft('Extratime', 10)}\n`;
}

function vcpuHeader(): string {
  return `${padRight('Name', 33)} ${padLeft('ID', 4)} ${padLeft('VCPU', 4)} ${padLeft('Period', 9)} ${padLeft('Budget', 9)} ${padLeft('Extratime', 10)}\n`;
}

function vcpuRow(name: string, domid: number, vcpu: number, p: { period: number; budget: number; extratime: boolean }): string {
  return `${padRight(name, 33)} ${padLeft(domid, 4)} ${padLeft(vcpu, 4)} ${padLeft(p.period, 9)} ${padLeft(p.budget, 9)} ${padLeft(p.extratime ? 'yes' : 'no', 10)}\n`;
}

/** The scheduler of the domain's pool, or undefined (after libxl_dom.c's error) for an unknown domain. */
function domainScheduler(ctx: CommandContext, host: Host, domid: number): string | undefined {
  const pool = host.cpupools().find((p) => p.id === host.cpupoolOf(domid));
  if (!pool) ctx.err(libxlLine('error', S.domainCpupool, domid, 'get domaininfo failed', STRERROR.ESRCH));
  return pool?.scheduler;
}

/** The domain's row (`sched_rtds_domain_output`), or undefined after the errors. */
function domainRow(ctx: CommandContext, host: Host, domid: number): string | undefined {
  const sched = domainScheduler(ctx, host, domid);
  if (sched === undefined) {
    ctx.err(libxlLine('error', S.domParamsGetUnknown, domid, 'Unknown scheduler'));
    ctx.err('libxl_domain_sched_params_get failed.\n');
    return undefined;
  }
  if (sched !== 'rtds') {
    ctx.err(`libxl_domain_sched_params_get returned ${sched} not rtds.\n`);
    return undefined;
  }
  const name = host.domain(domid)!.name;
  return `${padRight(name, 33)} ${padLeft(domid, 4)} ${padLeft(RTDS_DEFAULT.period, 9)} ${padLeft(RTDS_DEFAULT.budget, 9)} ${padLeft('yes', 10)}\n`;
}

/**
 * `sched_vcpu_get(_all)`: the rows of the given vCPUs (all when `ids` is undefined);
 * libxl's refusals end the command (`exit(EXIT_FAILURE)` in xl).
 */
function vcpuRows(ctx: CommandContext, host: Host, domid: number, ids: number[] | undefined): string {
  const all = ids === undefined;
  const sched = domainScheduler(ctx, host, domid);
  const fail = (): never => {
    ctx.err(`libxl_vcpu_sched_params_get${all ? '_all' : ''} failed.\n`);
    throw new XlExit(1);
  };
  if (sched === undefined) {
    ctx.err(libxlLine('error', all ? S.vcpuGetAllUnknown : S.vcpuGetUnknown, domid, 'Unknown scheduler'));
    fail();
  }
  if (sched !== 'rtds') {
    ctx.err(libxlLine('error', all ? S.vcpuGetAllNotSupported : S.vcpuGetNotSupported, domid, 'per-VCPU parameter getting not supported for this scheduler'));
    fail();
  }
  const params = host.rtdsParams(domid)!;
  const name = host.domain(domid)!.name;
  if (!all) {
    for (const v of ids) {
      if (v < 0 || v >= params.length) {
        ctx.err(libxlLine('error', S.rtdsVcpuRange, domid, `VCPU index is out of range, valid values are within range from 0 to ${params.length - 1}`));
        fail();
      }
    }
  }
  return (ids ?? params.map((_, i) => i)).map((v) => vcpuRow(name, domid, v, params[v]!)).join('');
}

/** libxl's checks of a period/budget pair (`sched_rtds_validate_params`); false after its error line. */
function validPair(ctx: CommandContext, period: number, budget: number): boolean {
  if (period < 1) ctx.err(libxlLine('error', S.rtdsPeriod, undefined, `Invalid VCPU period of ${period} (it should be >= 1)`));
  else if (budget < 1) ctx.err(libxlLine('error', S.rtdsBudget, undefined, `Invalid VCPU budget of ${budget} (it should be >= 1)`));
  else if (budget > period) ctx.err(libxlLine('error', S.rtdsBudgetPeriod, undefined, `VCPU budget must be smaller than or equal to period, but ${budget} > ${period}`));
  else return true;
  return false;
}

/** `sched_vcpu_set(_all)`: libxl's checks, then the host; any failure exits 1 (`exit(EXIT_FAILURE)`). */
function setVcpus(ctx: CommandContext, host: Host, domid: number, sets: { vcpu: number; period: number; budget: number; extratime: boolean }[], all: boolean): number {
  const fail = (): number => {
    ctx.err(`libxl_vcpu_sched_params_set${all ? '_all' : ''} failed.\n`);
    return 1;
  };
  const d = host.domain(domid);
  if (!d) {
    ctx.err(libxlLine('error', all ? S.rtdsVcpuSetAllInfo : S.rtdsVcpuSetInfo, domid, 'Getting domain info', STRERROR.ESRCH));
    return fail();
  }
  const sched = host.cpupools().find((p) => p.id === host.cpupoolOf(domid))?.scheduler;
  if (sched !== 'rtds') {
    ctx.err(libxlLine('error', all ? S.vcpuSetAllNotSupported : S.vcpuSetNotSupported, domid, 'per-VCPU parameter setting not supported for this scheduler'));
    return fail();
  }
  const max = d.maxVcpus - 1;
  for (const s of sets) {
    if (!all && (s.vcpu < 0 || s.vcpu > max)) {
      ctx.err(libxlLine('error', S.rtdsVcpuSetRange, domid, `Invalid VCPU ${s.vcpu}: valid range is [0, ${max}]`));
      return fail();
    }
    if (!validPair(ctx, s.period, s.budget)) return fail();
  }
  const expanded = all ? Array.from({ length: d.maxVcpus }, (_, i) => ({ ...sets[0]!, vcpu: i })) : sets;
  try {
    host.setRtdsParams(domid, expanded);
  } catch (e) {
    if (!(e instanceof XenError)) throw e;
    ctx.err(libxlLine('error', all ? S.rtdsVcpuSetAll : S.rtdsVcpuSet, domid, 'Setting vcpu sched rtds', STRERROR[e.errno]));
    return fail();
  }
  return 0;
}

/** `xl sched-rtds`: list RTDS pools' domains or vCPUs; get or set per-vCPU period/budget/extratime. */
export const schedRtdsCommand: XlCommandModule = {
  name: 'sched-rtds',
  minArgs: 0,
  options: (cmd) =>
    cmd
      .option('-d, --domain <Domain>')
      .option('-p, --period <us>', '', collect, [])
      .option('-b, --budget <us>', '', collect, [])
      .option('-e, --extratime <0|1>', '', collect, [])
      .option('-v, --vcpuid <id>', '', collect, [])
      .option('-c')
      .option('--cpupool <pool>'),
  async run(ctx) {
    const o = ctx.opts as { domain?: string; period: string[]; budget: string[]; extratime: string[]; vcpuid: string[]; cpupool?: string };
    // getopt order: an -e that is not 0 or 1 stops at once.
    if (o.extratime.some((e) => e !== '0' && e !== '1')) {
      ctx.err('Invalid extratime.\n');
      return 1;
    }
    const all = o.vcpuid.includes('all');
    const vcpus = o.vcpuid.filter((v) => v !== 'all').map(cInt);
    const [optP, optB, optE, optV] = [o.period.length > 0, o.budget.length > 0, o.extratime.length > 0, vcpus.length > 0];
    const dom = o.domain;
    if (o.cpupool !== undefined && (dom !== undefined || optP || optB || optE || optV || all)) {
      ctx.err('Specifying a cpupool is not allowed with other options.\n');
      return 1;
    }
    if (dom === undefined && (optP || optB || optE || optV)) {
      ctx.err('Missing parameters.\n');
      return 1;
    }
    if (dom !== undefined && !optV && !all && (optP || optB || optE)) {
      ctx.err('Must specify VCPU.\n');
      return 1;
    }
    if (optV && all) {
      ctx.err('Incorrect VCPU IDs.\n');
      return 1;
    }
    const [nv, np, nb, ne] = [vcpus.length, o.period.length, o.budget.length, o.extratime.length];
    if ((nv > nb && optB) || (nv > np && optP) || (nv > ne && optE) || np !== nb || np !== ne) {
      ctx.err('Incorrect number of period, budget and extratime\n');
      return 1;
    }
    const setting = dom !== undefined && (optV || all) && (optP || optB || optE);
    return (setting ? ctx.withHost : ctx.readHost)(async (host: Host) => {
      if (dom === undefined) {
        const poolLine = (p: { name: string }): string => `Cpupool ${p.name}: sched=RTDS\n`;
        if (all) {
          return schedDomainOutput(ctx, host, 'rtds', o.cpupool, poolLine, vcpuHeader, (id) => vcpuRows(ctx, host, id, undefined));
        }
        return schedDomainOutput(ctx, host, 'rtds', o.cpupool, poolLine, domainHeader, (id) => domainRow(ctx, host, id));
      }
      const domid = findDomain(host, dom, ctx.err);
      if (!optV && !all) {
        ctx.out(domainHeader());
        const row = domainRow(ctx, host, domid);
        if (row === undefined) return 1;
        ctx.out(row);
        return 0;
      }
      if (!optP && !optB && !optE) {
        ctx.out(vcpuHeader());
        ctx.out(vcpuRows(ctx, host, domid, optV ? vcpus : undefined));
        return 0;
      }
      const sets = (optV ? vcpus : [0]).map((v, i) => ({
        vcpu: v, period: cInt(o.period[i]!), budget: cInt(o.budget[i]!), extratime: cInt(o.extratime[i]!) !== 0,
      }));
      return setVcpus(ctx, host, domid, sets, !optV);
    });
  },
};
