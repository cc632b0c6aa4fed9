/**
 * `xl vkb-attach <Domain> <vkb-spec-component(s)>...`, `xl vkb-list <Domain(s)>`,
 * `xl vkb-detach <Domain> <DevId>` (tools/xl/xl_vkb.c, Xen 4.20.0; libxl_vkb.c
 * `libxl_device_vkb_getinfo`, `libxl__vkb_from_xenstore`).
 *
 * vkb-attach parses its arguments with the parser's vkb spec (xl_parse.c
 * `parse_vkb_config`, one field each): a bad field prints the spec's message and exits
 * 255 (its -1), a missing backend type `backend-type should be set` and a multi-touch
 * flag without sizes `multi-touch-width, multi-touch-height, multi-touch-num-contacts
 * should be set` (exit 253, ERROR_FAIL), a failed add `libxl_device_vkb_add failed.`
 * (253); `-N` prints `vkb: <json>`. vkb-list resolves each domain with `find_domain`
 * (a bad name exits 1). vkb-detach: `Error: Device <n> not connected.` (253).
 */
import type { Host } from '../../machine/host.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { padLeft, padRight } from '../format/printf.js';
import { addPv, beDomid, cStr, EXIT_ERROR_FAIL, pvDetachCommand, xsInt } from './device-util.js';

/** The spec parser's closing checks, in the words `main_vkbattach` uses for them. */
const ATTACH_WORDING: Record<string, string> = {
  'backend-type should be set in vkb spec\n': 'backend-type should be set\n',
  'multi-touch-width, multi-touch-height, multi-touch-num-contacts should be set for multi touch in vkb spec\n':
    'multi-touch-width, multi-touch-height, multi-touch-num-contacts should be set\n',
};

/** `xl vkb-attach`. */
export const vkbAttachCommand: XlCommandModule = {
  name: 'vkb-attach',
  minArgs: 2,
  async run(ctx) {
    const [{ parseVkbSpec }, { yajlStringify }] = await Promise.all([import('../../parser/specs/vkb.js'), import('../format/libxl-json.js')]);
    return ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const parsed = parseVkbSpec(ctx.args.slice(1).join(','));
      if (!parsed.value) {
        const text = parsed.messages.map((m) => m.text).join('');
        const late = ATTACH_WORDING[text];
        ctx.err(late ?? text);
        return late !== undefined ? EXIT_ERROR_FAIL : 255;
      }
      if (ctx.dryRun) {
        ctx.out(`vkb: ${yajlStringify(parsed.value)}\n`);
        return 0;
      }
      return addPv(ctx, host, domid, 'vkb', parsed.value, EXIT_ERROR_FAIL);
    });
  },
};

/** The domain's keyboards as vkb-list prints them. */
function vkbRows(host: Host, domid: number): string {
  let out = '';
  for (const n of host.xenstoreList(`/libxl/${domid}/device/vkbd`)) {
    const lp = `/libxl/${domid}/device/vkbd/${n}`;
    const be = host.xenstoreRead(`${lp}/backend`);
    if (be === undefined || host.xenstoreRead(`${lp}/frontend`) === undefined) continue;
    const fe = `/local/domain/${domid}/device/vkbd/${n}`;
    const devid = Number(n);
    const type = /\/backend\/vinput\//.test(be) ? 'linux' : 'qemu';
    out +=
      `${padRight(devid, 3)} ${padRight(beDomid(be), 2)} ${padLeft(devid, 6)} ${padLeft(xsInt(host, `${fe}/state`), 5)} ` +
      `${padLeft(xsInt(host, `${fe}/event-channel`), 6)} ${padLeft(xsInt(host, `${fe}/page-gref`), 6)} ` +
      `${padRight(cStr(host.xenstoreRead(`${be}/unique-id`)), 10)} ${padRight(type, 10)} ${padRight(be, 30)}\n`;
  }
  return out;
}

/** `xl vkb-list`. */
export const vkbListCommand: XlCommandModule = {
  name: 'vkb-list',
  minArgs: 1,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      ctx.out(
        `${padRight('Idx', 3)} ${padRight('BE', 2)} ${padRight('handle', 6)} ${padRight('state', 5)} ${padRight('evt-ch', 6)} ` +
          `${padLeft('ref', 6)} ${padRight('ID', 10)} ${padRight('BE-type', 10)} ${padRight('BE-path', 30)}\n`,
      );
      for (const arg of ctx.args) ctx.out(vkbRows(host, findDomain(host, arg, ctx.err)));
      return 0;
    }),
};

/** `xl vkb-detach`. */
export const vkbDetachCommand: XlCommandModule = pvDetachCommand('vkb', 'vkbd');
