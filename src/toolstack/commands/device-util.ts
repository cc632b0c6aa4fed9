/**
 * Small pieces the device commands share: reading xenstore the way libxl's `getinfo`
 * functions do, and C's conversions xl applies to arguments.
 */
import { HostError } from '../../machine/errors.js';
import type { PvKind } from '../../machine/host-devices.js';
import type { Host } from '../../machine/host.js';
import { atoi as cAtoi } from '../../parser/specs/split.js';
import type { CommandContext, XlCommandModule } from '../command.js';
import { findDomain, qualifierToDomid } from '../domain-arg.js';
import { addrmLine, domainInfoLine } from '../format/device-log.js';

/** C `atoi` (glibc): the parser's one implementation. */
export const atoi = cAtoi;

/**
 * A xenstore node read as libxl's getinfo functions read numbers: `strtoul(val, NULL, 10)`
 * as a C `int`, or -1 when the node is absent.
 */
export function xsInt(host: Host, path: string): number {
  const v = host.xenstoreRead(path);
  if (v === undefined) return -1;
  const m = /^\s*([+-]?\d+)/.exec(v);
  return m ? Number(BigInt.asIntN(32, BigInt(m[1]!))) : 0;
}

/** The backend domid in a backend path `/local/domain/<id>/backend/…` (libxl__backendpath_parse_domid); -1 if none. */
export function beDomid(path: string): number {
  const m = /^\/local\/domain\/(\d+)\//.exec(path);
  return m ? Number(m[1]) : -1;
}

/** C `printf("%s", s)` of a string that may be NULL: glibc prints `(null)`. */
export function cStr(s: string | undefined): string {
  return s ?? '(null)';
}

/** xl's exit status when a command's main returns libxl's ERROR_FAIL (-3 & 0xff). */
export const EXIT_ERROR_FAIL = 253;

/**
 * Hot-plugs `dev` as `kind` and, on failure, prints what libxl and xl print
 * (`Getting domain info` for a domid with no domain, `unable to add device`, then
 * `libxl_device_<kind>_add failed.`). Returns 0, or `failStatus`.
 */
export function addPv(ctx: CommandContext, host: Host, domid: number, kind: PvKind, dev: Record<string, unknown>, failStatus: number): number {
  try {
    host.dev.attach(domid, kind, dev);
  } catch (e) {
    if (!(e instanceof HostError)) throw e;
    if (e.code === 'NO_SUCH_DOMAIN') ctx.err(domainInfoLine(domid));
    ctx.err(addrmLine('add'));
    ctx.err(`libxl_device_${kind}_add failed.\n`);
    return failStatus;
  }
  return 0;
}

/**
 * `xl <kind>-detach <Domain> <DevId>` for vkb, vdispl and vsnd (xl_vkb.c, xl_vdispl.c,
 * xl_vsnd.c `main_*detach`): the devid is `atoi`'s; one the domain lacks prints
 * `Error: Device <n> not connected.`; a failed removal `libxl_device_<kind>_remove
 * failed.`; both exit 253 (ERROR_FAIL).
 */
export function pvDetachCommand(kind: 'vkb' | 'vdispl' | 'vsnd', dir: string): XlCommandModule {
  return {
    name: `${kind}-detach`,
    minArgs: 2,
    run: (ctx) =>
      ctx.withHost(async (host) => {
        const domid = findDomain(host, ctx.args[0]!, ctx.err);
        const devid = atoi(ctx.args[1]!);
        if (host.xenstoreRead(`/libxl/${domid}/device/${dir}/${devid}/backend`) === undefined) {
          ctx.err(`Error: Device ${devid} not connected.\n`);
          return EXIT_ERROR_FAIL;
        }
        try {
          host.dev.detach(domid, kind, devid);
        } catch (e) {
          if (!(e instanceof HostError)) throw e;
          ctx.err(`libxl_device_${kind}_remove failed.\n`);
          return EXIT_ERROR_FAIL;
        }
        return 0;
      }),
  };
}

/**
 * A list command that resolves each operand with `libxl_domain_qualifier_to_domid`: a
 * bad name prints `<arg> is an invalid domain identifier` and the next one is listed
 * (exit 0). `header` is printed first; `lines` gives each domain's lines.
 */
export function qualifierListCommand(name: string, header: string, lines: (host: Host, domid: number) => string): XlCommandModule {
  return {
    name,
    minArgs: 1,
    run: (ctx) =>
      ctx.readHost(async (host) => {
        ctx.out(header);
        for (const arg of ctx.args) {
          const domid = qualifierToDomid(host, arg);
          if (domid === undefined) {
            ctx.err(`${arg} is an invalid domain identifier\n`);
            continue;
          }
          ctx.out(lines(host, domid));
        }
        return 0;
      }),
  };
}
