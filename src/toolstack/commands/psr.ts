/**
 * The Intel RDT commands — `psr-hwinfo`, `psr-cmt-attach`, `psr-cmt-detach`,
 * `psr-cmt-show`, `psr-cat-set`, `psr-cat-show`, `psr-mba-set`, `psr-mba-show`
 * (tools/xl/xl_psr.c; tools/libs/light/libxl_psr.c; xen/arch/x86/sysctl.c and
 * domctl.c) — as on a CPU without RDT: Xen has no PSR features, so its sysctls and
 * domctls answer ENODEV and libxl's hardware queries fail.
 *
 * What xl then prints: `psr-hwinfo` shows `Cache Monitoring Technology (CMT):` /
 * `Enabled         : 0` and the CAT and MBA queries fail silently (status −3 → 253;
 * `-m` alone exits 0); `psr-cmt-attach/-detach` get libxl's `CMT is not supported in this
 * system: No such device` (253); `psr-cmt-show` says `CMT is disabled in the system`
 * (255); `psr-cat-show` / `psr-mba-show` say `Failed to get info` (253); `psr-cat-set` /
 * `psr-mba-set` get `L3 CAT: is not supported in this system` / `MBA: …` once per socket
 * (253). Argument errors are xl's (help text, `Input lvl N is wrong`, …).
 */
import type { Host } from '../../machine/host.js';
import { CMD_TABLE, commandHelp } from '../cmdtable.js';
import type { CommandContext, XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine } from '../format/log.js';
import { MORE_SITES as S } from '../format/log-sites.js';
import { padRight } from '../format/printf.js';

/** libxl's ERROR_FAIL (-3) as an exit status. */
const FAIL = 253;

const help = (ctx: CommandContext, name: string): void => ctx.out(commandHelp(CMD_TABLE.find((s) => s.name === name)!));

/** Physical sockets (libxl__count_physical_sockets: nr_cpus / (threads × cores)). */
function sockets(host: Host): number {
  const s = host.seed();
  return Math.max(1, Math.floor(s.nrCpus / Math.max(1, s.coresPerSocket * s.threadsPerCore)));
}

/** C `atoi`. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
  return m ? Number(BigInt.asIntN(32, BigInt(m[1]!))) : 0;
}

/** `xl psr-hwinfo [-m] [-a] [-b]`. */
export const psrHwinfoCommand: XlCommandModule = {
  name: 'psr-hwinfo',
  minArgs: 0,
  options: (cmd) => cmd.option('-m, --cmt').option('-a, --cat').option('-b, --mba'),
  run: async (ctx) => {
    const o = ctx.opts as { cmt?: boolean; cat?: boolean; mba?: boolean };
    const all = !o.cmt && !o.cat && !o.mba;
    let ret = 0;
    if (all || o.cmt) ctx.out(`Cache Monitoring Technology (CMT):\n${padRight('Enabled', 16)}: 0\n`);
    if (all || o.cat) ret = -3;
    if (all || o.mba) ret = -3;
    return ret === 0 ? 0 : FAIL;
  },
};

function cmtAttach(name: 'psr-cmt-attach' | 'psr-cmt-detach'): XlCommandModule {
  return {
    name,
    minArgs: 1,
    run: (ctx) =>
      ctx.readHost(async (host) => {
        const domid = findDomain(host, ctx.args[0]!, ctx.err);
        ctx.err(host.domain(domid)
          ? libxlLine('error', S.psrCmt, undefined, 'CMT is not supported in this system', 'No such device')
          : libxlLine('error', S.psrLog, undefined, 'invalid domain ID', 'No such process'));
        return FAIL;
      }),
  };
}

/** `xl psr-cmt-attach <Domain>`. */
export const psrCmtAttachCommand = cmtAttach('psr-cmt-attach');
/** `xl psr-cmt-detach <Domain>`. */
export const psrCmtDetachCommand = cmtAttach('psr-cmt-detach');

/** `xl psr-cmt-show <PSR-CMT-Type> [<Domain>]`. */
export const psrCmtShowCommand: XlCommandModule = {
  name: 'psr-cmt-show',
  minArgs: 1,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      if (!['cache-occupancy', 'total-mem-bandwidth', 'local-mem-bandwidth'].includes(ctx.args[0]!) || ctx.args.length > 2) {
        help(ctx, 'psr-cmt-show');
        return 2;
      }
      if (ctx.args[1] !== undefined) findDomain(host, ctx.args[1], ctx.err);
      ctx.err('CMT is disabled in the system\n');
      return 255;
    }),
};

/** `psr_val_show` for CAT (level 2 or 3) or MBA: the level check, then `Failed to get info`. */
function valShow(ctx: CommandContext, host: Host, name: string, lvl: number | undefined): number {
  if (ctx.args.length > 1) {
    help(ctx, name);
    return 2;
  }
  if (ctx.args[0] !== undefined) findDomain(host, ctx.args[0], ctx.err);
  if (lvl !== undefined && lvl !== 2 && lvl !== 3) {
    ctx.err(`Input lvl ${lvl} is wrong\n`);
    return 1;
  }
  ctx.err('Failed to get info\n');
  return FAIL;
}

/** `xl psr-cat-show [-l <level>] [<Domain>]`. */
export const psrCatShowCommand: XlCommandModule = {
  name: 'psr-cat-show',
  minArgs: 0,
  options: (cmd) => cmd.option('-l, --level <level>'),
  run: (ctx) => ctx.readHost(async (host) => valShow(ctx, host, 'psr-cat-show', ctx.opts.level === undefined ? 3 : atoi(String(ctx.opts.level)))),
};

/** `xl psr-mba-show [<Domain>]`. */
export const psrMbaShowCommand: XlCommandModule = {
  name: 'psr-mba-show',
  minArgs: 0,
  run: (ctx) => ctx.readHost(async (host) => valShow(ctx, host, 'psr-mba-show', undefined)),
};

/** `libxl_psr_set_val` on every socket of the target map: one error line per socket. */
function setVal(ctx: CommandContext, host: Host, domid: number, feat: string): number {
  const n = sockets(host);
  for (let s = 0; s < n; s++) {
    ctx.err(host.domain(domid)
      ? libxlLine('error', S.psrAlloc, undefined, `${feat}: is not supported in this system`)
      : libxlLine('error', S.psrLog, undefined, 'invalid domain ID', 'No such process'));
  }
  return FAIL;
}

/** `xl psr-cat-set [-s <socket>] [-l <level>] [-c|-d] <Domain> <CBM>`. */
export const psrCatSetCommand: XlCommandModule = {
  name: 'psr-cat-set',
  minArgs: 2,
  options: (cmd) => cmd.option('-s, --socket <socket>').option('-l, --level <level>').option('-c, --code').option('-d, --data'),
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const o = ctx.opts as { level?: string; code?: boolean; data?: boolean };
      const lvl = o.level === undefined ? 3 : atoi(o.level);
      let feat = 'L3 CAT';
      if (lvl === 2) feat = 'L2 CAT';
      else if (lvl === 3) {
        if (o.code && o.data) {
          ctx.err('Cannot handle -c and -d at the same time\n');
          return 1;
        }
        if (o.code || o.data) feat = 'CDP';
      } else {
        ctx.err(`Input lvl ${lvl} is wrong\n`);
        return 1;
      }
      if (ctx.args.length !== 2) {
        help(ctx, 'psr-cat-set');
        return 2;
      }
      return setVal(ctx, host, findDomain(host, ctx.args[0]!, ctx.err), feat);
    }),
};

/** `xl psr-mba-set [-s <socket>] <Domain> <THRTL>`. */
export const psrMbaSetCommand: XlCommandModule = {
  name: 'psr-mba-set',
  minArgs: 0,
  options: (cmd) => cmd.option('-s, --socket <socket>'),
  run: (ctx) =>
    ctx.readHost(async (host) => {
      if (ctx.args.length !== 2) {
        help(ctx, 'psr-mba-set');
        return 1;
      }
      return setVal(ctx, host, findDomain(host, ctx.args[0]!, ctx.err), 'MBA');
    }),
};
