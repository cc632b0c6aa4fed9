/**
 * `xl vdispl-attach <Domain> [backend=<BackDomain>] [be-alloc=<BackAlloc>]
 * [connectors='<Connectors>']`, `xl vdispl-list <Domain(s)>`, `xl vdispl-detach <Domain>
 * <DevId>` (tools/xl/xl_vdispl.c, Xen 4.20.0; libxl_vdispl.c
 * `libxl_device_vdispl_getinfo`, `libxl__device_vdispl_getconnectors`).
 *
 * vdispl-attach parses its arguments with the parser's vdispl spec (xl_parse.c
 * `parse_vdispl_config`): `Unknown string "<arg>" in vdispl spec` or `Can't parse
 * connector resolution` exit 1; no connector → `At least one connector should be
 * specified.` (253); a failed add `libxl_device_vdispl_add failed.` (253); `-N` prints
 * `vdispl: <json>`. vdispl-list has no header: a `DevId: …` line per display and a
 * TAB-indented `Connector: …` line per connector (a bad name is reported and skipped).
 * vdispl-detach: `Error: Device <n> not connected.` (253).
 */
import type { Host } from '../../machine/host.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { addPv, beDomid, cStr, EXIT_ERROR_FAIL, pvDetachCommand, qualifierListCommand, xsInt } from './device-util.js';

/** `xl vdispl-attach`. */
export const vdisplAttachCommand: XlCommandModule = {
  name: 'vdispl-attach',
  minArgs: 1,
  async run(ctx) {
    const [{ parseVdisplSpec }, { yajlStringify }] = await Promise.all([import('../../parser/specs/vdispl.js'), import('../format/libxl-json.js')]);
    return ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const parsed = parseVdisplSpec(ctx.args.slice(1).join(','));
      if (!parsed.value) {
        const text = parsed.messages.map((m) => m.text).join('');
        ctx.err(text);
        return text.startsWith('At least one connector') ? EXIT_ERROR_FAIL : 1;
      }
      if (ctx.dryRun) {
        ctx.out(`vdispl: ${yajlStringify(parsed.value)}\n`);
        return 0;
      }
      return addPv(ctx, host, domid, 'vdispl', parsed.value, EXIT_ERROR_FAIL);
    });
  },
};

/** A `WxH` resolution node as `sscanf("%ux%u")` reads it. */
function resolution(v: string | undefined): [number, number] {
  const m = /^(\d+)x(\d+)/.exec(v ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** The domain's displays as vdispl-list prints them. */
function vdisplLines(host: Host, domid: number): string {
  let out = '';
  for (const n of host.xenstoreList(`/libxl/${domid}/device/vdispl`)) {
    const lp = `/libxl/${domid}/device/vdispl/${n}`;
    const be = host.xenstoreRead(`${lp}/backend`);
    if (be === undefined) continue;
    const fe = `/local/domain/${domid}/device/vdispl/${n}`;
    out +=
      `DevId: ${Number(n)}, BE: ${beDomid(be)}, handle: ${domid}, state: ${xsInt(host, `${fe}/state`)}, ` +
      `be-alloc: ${Math.max(0, xsInt(host, `${fe}/be-alloc`))}, BE-path: ${be}, FE-path: ${cStr(host.xenstoreRead(`${lp}/frontend`))}\n`;
    for (let j = 0; host.xenstoreRead(`${fe}/${j}`) !== undefined; j++) {
      const c = `${fe}/${j}`;
      const [w, h] = resolution(host.xenstoreRead(`${c}/resolution`));
      out +=
        `\tConnector: ${j}, id: ${cStr(host.xenstoreRead(`${c}/unique-id`))}, width: ${w}, height: ${h}, ` +
        `req-rref: ${xsInt(host, `${c}/req-ring-ref`)}, req-evtch: ${xsInt(host, `${c}/req-event-channel`)}, ` +
        `evt-rref: ${xsInt(host, `${c}/evt-ring-ref`)}, evt-evtch: ${xsInt(host, `${c}/evt-event-channel`)}\n`;
    }
  }
  return out;
}

/** `xl vdispl-list` (no header). */
export const vdisplListCommand: XlCommandModule = qualifierListCommand('vdispl-list', '', vdisplLines);

/** `xl vdispl-detach`. */
export const vdisplDetachCommand: XlCommandModule = pvDetachCommand('vdispl', 'vdispl');
