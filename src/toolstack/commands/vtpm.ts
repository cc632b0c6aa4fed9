/**
 * `xl vtpm-attach <Domain> [uuid=<uuid>] [backend=<BackDomain>]`, `xl vtpm-list
 * <Domain(s)>`, `xl vtpm-detach <Domain> <DevId|uuid>` (tools/xl/xl_vtpm.c, Xen 4.20.0;
 * libxl_vtpm.c `libxl_device_vtpm_getinfo`; xl-commands.md §3.7 "vtpm-list").
 *
 * vtpm-attach reads its own `uuid=`/`backend=` arguments (no cfg spec: `backend` is
 * optional here), with the parser's `matchOption` and `parseUuid`; a name that does not
 * resolve prints `<arg> is an invalid domain identifier` (exit 1), a bad uuid
 * `Invalid uuid specified (<v>)`, anything else ``unrecognized argument `<arg>' ``; `-N`
 * prints `vtpm: <json>`. vtpm-list prints its header, then per domain each vTPM (a bad
 * name is reported and skipped, exit 0). vtpm-detach takes a uuid or else a devid
 * (`atoi`); none such → `Unknown device <arg>.` (exit 1).
 */
import { HostError } from '../../machine/errors.js';
import type { Host } from '../../machine/host.js';
import { matchOption } from '../../parser/specs/split.js';
import { parseUuid } from '../../parser/specs/uuid.js';
import type { XlCommandModule } from '../command.js';
import { findDomain, qualifierToDomid } from '../domain-arg.js';
import { padLeft, padRight } from '../format/printf.js';
import { addPv, atoi, beDomid, EXIT_ERROR_FAIL, qualifierListCommand, xsInt } from './device-util.js';

/** `xl vtpm-attach`. */
export const vtpmAttachCommand: XlCommandModule = {
  name: 'vtpm-attach',
  minArgs: 1,
  async run(ctx) {
    const { yajlStringify } = await import('../format/libxl-json.js');
    return ctx.withHost(async (host) => {
      const domid = qualifierToDomid(host, ctx.args[0]!);
      if (domid === undefined) {
        ctx.err(`${ctx.args[0]!} is an invalid domain identifier\n`);
        return 1;
      }
      const vtpm: Record<string, unknown> = {};
      for (const arg of ctx.args.slice(1)) {
        let v: string | undefined;
        if ((v = matchOption('uuid', arg)) !== undefined) {
          const u = parseUuid(v);
          if (u === undefined) {
            ctx.err(`Invalid uuid specified (${v})\n`);
            return 1;
          }
          vtpm.uuid = u;
        } else if ((v = matchOption('backend', arg)) !== undefined) {
          vtpm.backend_domname = v;
        } else {
          ctx.err(`unrecognized argument \`${arg}'\n`);
          return 1;
        }
      }
      // libxl_device_vtpm members in IDL order (backend_domname, then uuid); a nil uuid is the default.
      const dev: Record<string, unknown> = {};
      if (vtpm.backend_domname !== undefined) dev.backend_domname = vtpm.backend_domname;
      if (vtpm.uuid !== undefined && !/^[0-]+$/.test(String(vtpm.uuid))) dev.uuid = vtpm.uuid;
      if (ctx.dryRun) {
        ctx.out(`vtpm: ${yajlStringify(dev)}\n`);
        return 0;
      }
      return addPv(ctx, host, domid, 'vtpm', dev, 1);
    });
  },
};

/** One row of vtpm-list for each of the domain's vTPMs, read where libxl reads them. */
function vtpmRows(host: Host, domid: number): string {
  let out = '';
  for (const n of host.xenstoreList(`/libxl/${domid}/device/vtpm`)) {
    const lp = `/libxl/${domid}/device/vtpm/${n}`;
    const fe = `/local/domain/${domid}/device/vtpm/${n}`;
    const be = host.xenstoreRead(`${lp}/backend`);
    const uuid = host.xenstoreRead(`${lp}/uuid`);
    if (be === undefined || uuid === undefined) continue;
    const devid = Number(n);
    out +=
      `${padRight(devid, 3)} ${padRight(beDomid(be), 2)} ${uuid} ${padLeft(devid, 6)} ${padLeft(xsInt(host, `${fe}/state`), 5)} ` +
      `${padLeft(xsInt(host, `${fe}/event-channel`), 6)} ${padLeft(xsInt(host, `${fe}/ring-ref`), 8)} ${padRight(be, 30)}\n`;
  }
  return out;
}

/** `xl vtpm-list`. */
export const vtpmListCommand: XlCommandModule = qualifierListCommand(
  'vtpm-list',
  `${padRight('Idx', 3)} ${padRight('BE', 2)} ${padRight('Uuid', 36)} ${padRight('handle', 6)} ${padRight('state', 5)} ${padRight('evt-ch', 6)} ${padRight('ring-ref', 5)} ${padRight('BE-path', 10)}\n`,
  vtpmRows,
);

/** `xl vtpm-detach`: by uuid when the argument is one, else by devid. */
export const vtpmDetachCommand: XlCommandModule = {
  name: 'vtpm-detach',
  minArgs: 2,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const which = ctx.args[1]!;
      const uuid = parseUuid(which);
      const ids = host.xenstoreList(`/libxl/${domid}/device/vtpm`).map(Number);
      const devid = uuid !== undefined
        ? ids.find((i) => host.xenstoreRead(`/libxl/${domid}/device/vtpm/${i}/uuid`) === uuid)
        : ids.find((i) => i === atoi(which));
      if (devid === undefined) {
        ctx.err(`Unknown device ${which}.\n`);
        return 1;
      }
      try {
        host.dev.detach(domid, 'vtpm', devid);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        ctx.err('libxl_device_vtpm_remove failed.\n');
        return EXIT_ERROR_FAIL; // main_vtpmdetach returns libxl's rc
      }
      return 0;
    }),
};
