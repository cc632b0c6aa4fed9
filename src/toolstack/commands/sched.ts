/**
 * `xl sched-credit` and `xl sched-credit2` (tools/xl/xl_sched.c `main_sched_credit`,
 * `main_sched_credit2`, `sched_domain_output`, `sched_credit*_domain_output`,
 * `sched_credit*_pool_output`; xl-commands.md §3.9).
 *
 * The emulated host has one cpupool, `Pool-0`, running the host's scheduler with
 * Xen's default pool parameters (credit: tslice 30 ms, ratelimit 1000 us, migration
 * delay 0 us; credit2: ratelimit 1000 us). Changing pool parameters (`-s` with
 * `-t`/`-r`/`-m`) is not emulated.
 */
import type { Host } from '../../machine/host.js';
import type { CommandContext, XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { padLeft, padRight } from '../format/printf.js';
import { strtol10 } from './domid.js';

type Sched = 'credit' | 'credit2';

/** The only cpupool of the emulated host. */
const POOL = 'Pool-0';

function poolLine(sched: Sched): string {
  return sched === 'credit'
    ? `Cpupool ${POOL}: tslice=30ms ratelimit=1000us migration-delay=0us\n`
    : `Cpupool ${POOL}: ratelimit=1000us\n`;
}

function header(): string {
  return `${padRight('Name', 33)} ${padLeft('ID', 4)} ${padLeft('Weight', 6)} ${padLeft('Cap', 4)}\n`;
}

/** `sched_domain_get` + the row: exits the command with status 1 on failure. */
function domainRow(ctx: CommandContext, host: Host, sched: Sched, domid: number): string | undefined {
  const params = host.schedParams(domid);
  const d = host.domain(domid);
  if (!params || !d) {
    ctx.err('libxl_domain_sched_params_get failed.\n');
    return undefined;
  }
  const running = host.info().scheduler;
  if (running !== sched) {
    ctx.err(`libxl_domain_sched_params_get returned ${running} not ${sched}.\n`);
    return undefined;
  }
  return `${padRight(d.name, 33)} ${padLeft(domid, 4)} ${padLeft(params.weight, 6)} ${padLeft(params.cap, 4)}\n`;
}

/** C `strtol(optarg, NULL, 10)` as an int (0 when there are no digits). */
function cInt(s: string): number {
  return Number(BigInt.asIntN(32, strtol10(s).value));
}

function module(sched: Sched): XlCommandModule {
  return {
    name: sched === 'credit' ? 'sched-credit' : 'sched-credit2',
    minArgs: 0,
    options: (cmd) => {
      cmd
        .option('-d, --domain <Domain>')
        .option('-w, --weight <weight>')
        .option('-c, --cap <cap>')
        .option('-p, --cpupool <pool>')
        .option('-r, --ratelimit_us <us>')
        .option('-s, --schedparam');
      if (sched === 'credit') cmd.option('-t, --tslice_ms <ms>').option('-m, --migration_delay_us <us>');
      return cmd;
    },
    async run(ctx) {
      const o = ctx.opts as {
        domain?: string;
        weight?: string;
        cap?: string;
        cpupool?: string;
        ratelimit_us?: string;
        schedparam?: boolean;
        tslice_ms?: string;
        migration_delay_us?: string;
      };
      const domainOpts = o.domain !== undefined || o.weight !== undefined || o.cap !== undefined;
      if (sched === 'credit' && (o.cpupool !== undefined || o.schedparam) && domainOpts) {
        ctx.err('Specifying a cpupool or schedparam is not allowed with domain options.\n');
        return 1;
      }
      if (sched === 'credit2' && o.cpupool !== undefined && domainOpts) {
        ctx.err('Specifying a cpupool is not allowed with other options.\n');
        return 1;
      }
      if (o.domain === undefined && (o.weight !== undefined || o.cap !== undefined)) {
        ctx.err('Must specify a domain.\n');
        return 1;
      }
      const changes = o.weight !== undefined || o.cap !== undefined;
      return (changes ? ctx.withHost : ctx.readHost)(async (host: Host) => {
        const running = host.info().scheduler;
        if (o.cpupool !== undefined && o.cpupool !== POOL && o.cpupool !== '0') {
          ctx.err(`unknown cpupool '${o.cpupool}'\n`);
          return 1;
        }
        if (o.schedparam) {
          if (o.ratelimit_us !== undefined || o.tslice_ms !== undefined || o.migration_delay_us !== undefined) {
            ctx.err('xlsim: changing scheduler pool parameters is not emulated\n');
            return 1;
          }
          if (running !== sched) {
            ctx.err(`Cpupool ${POOL}: [sched params unavailable]\n`);
            return 1;
          }
          ctx.out(poolLine(sched));
          return 0;
        }
        if (o.domain === undefined) {
          if (running !== sched) return 0;
          let out = poolLine(sched) + header();
          for (const d of host.listDomains()) {
            const row = domainRow(ctx, host, sched, d.domid);
            if (row === undefined) {
              ctx.out(out);
              return 1;
            }
            out += row;
          }
          ctx.out(out);
          return 0;
        }
        const domid = findDomain(host, o.domain, ctx.err);
        if (o.weight === undefined && o.cap === undefined) {
          ctx.out(header());
          const row = domainRow(ctx, host, sched, domid);
          if (row === undefined) return 1;
          ctx.out(row);
          return 0;
        }
        // LIBXL_DOMAIN_SCHED_PARAM_{WEIGHT,CAP}_DEFAULT (-1) means "leave unchanged".
        const params: { weight?: number; cap?: number } = {};
        if (o.weight !== undefined && cInt(o.weight) !== -1) params.weight = cInt(o.weight);
        if (o.cap !== undefined && cInt(o.cap) !== -1) params.cap = cInt(o.cap);
        if (running !== sched || host.domain(domid) === undefined) {
          ctx.err('libxl_domain_sched_params_set failed.\n');
          return 1;
        }
        try {
          host.setSchedParams(domid, params);
        } catch {
          ctx.err('libxl_domain_sched_params_set failed.\n');
          return 1;
        }
        return 0;
      });
    },
  };
}

/** `xl sched-credit`: on the default credit2 host, listing prints nothing. */
export const schedCreditCommand: XlCommandModule = module('credit');
/** `xl sched-credit2`: pool line, header and weight/cap per domain; `-d D -w W -c C` sets. */
export const schedCredit2Command: XlCommandModule = module('credit2');
