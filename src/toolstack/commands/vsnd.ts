/**
 * `xl vsnd-attach <Domain> <vsnd-spec-component(s)>...`, `xl vsnd-list <Domain(s)>`,
 * `xl vsnd-detach <Domain> <DevId>` (tools/xl/xl_vsnd.c, Xen 4.20.0; libxl_vsnd.c
 * `libxl__vsnd_from_xenstore`, `libxl_device_vsnd_getinfo`).
 *
 * vsnd-attach reads each argument as one item of a card (`CARD, short-name=…`,
 * `PCM, name=…`, `STREAM, unique-id=…, type=p`) with the parser's vsnd card reader
 * (xl_parse.c `parse_vsnd_item`): `Invalid key: …`, `Invalid parameter: …` and
 * `Invalid stream type: …` exit 255 (-1), `Invalid pcm format: …` exits 1 (xl calls
 * `exit(EXIT_FAILURE)` there); a failed add prints `libxl_device_vsnd_add failed.`
 * (253); `-N` prints `vsnd: <json>`. vsnd-list prints, per card, a blank line and a
 * `devid: …` line, the card's names and parameters, a TAB-indented line per PCM and a
 * doubly indented pair of lines per stream; parameters print as xl's `print_params`
 * does (its sample formats under the label `sample-rates`, as in xl). vsnd-detach:
 * `Error: Device <n> not connected.` (253).
 */
import type { Host } from '../../machine/host.js';
import type { StringValue } from '../../parser/types.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { addPv, beDomid, cStr, EXIT_ERROR_FAIL, pvDetachCommand, qualifierListCommand, xsInt } from './device-util.js';

/** An argument as a libxlu string value (the card reader takes list items). */
function item(text: string): StringValue {
  const at = { line: 1, column: 1, offset: 0 };
  return { kind: 'string', value: text, token: 'STRING', range: { start: at, end: { ...at, column: text.length + 1, offset: text.length } } };
}

/** `xl vsnd-attach`. */
export const vsndAttachCommand: XlCommandModule = {
  name: 'vsnd-attach',
  minArgs: 2,
  async run(ctx) {
    const [{ parseVsndCard }, { yajlStringify }] = await Promise.all([import('../../parser/specs/vsnd.js'), import('../format/libxl-json.js')]);
    return ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const parsed = parseVsndCard(ctx.args.slice(1).map(item));
      if (!parsed.value) {
        const text = parsed.messages.map((m) => m.text).join('');
        ctx.err(text);
        return text.startsWith('Invalid pcm format') ? 1 : 255;
      }
      if (ctx.dryRun) {
        ctx.out(`vsnd: ${yajlStringify(parsed.value)}\n`);
        return 0;
      }
      return addPv(ctx, host, domid, 'vsnd', parsed.value, EXIT_ERROR_FAIL);
    });
  },
};

/** xl's `print_params` over the parameter nodes under `dir` (values as libxl reads them back). */
function params(host: Host, dir: string): string {
  let out = '';
  const u32 = (node: string): number => {
    const v = xsInt(host, `${dir}/${node}`);
    return v < 0 ? 0 : v;
  };
  if (u32('channels-min')) out += `, channels-min: ${u32('channels-min')}`;
  if (u32('channels-max')) out += `, channels-max: ${u32('channels-max')}`;
  if (u32('buffer-size')) out += `, buffer-size: ${u32('buffer-size')}`;
  const rates = host.xenstoreRead(`${dir}/sample-rates`);
  if (rates) out += `, sample-rates: ${rates.split(';').filter((r) => r !== '').map((r) => Number(r) >>> 0).join(';')}`;
  const formats = host.xenstoreRead(`${dir}/sample-formats`);
  // print_params labels the formats XENSND_FIELD_SAMPLE_RATES too (tools/xl/xl_vsnd.c).
  if (formats) out += `, sample-rates: ${formats.split(';').filter((f) => f !== '').map((f) => f.toLowerCase()).join(';')}`;
  return `${out}\n`;
}

/** The domain's sound cards as vsnd-list prints them. */
function vsndLines(host: Host, domid: number): string {
  let out = '';
  for (const n of host.xenstoreList(`/libxl/${domid}/device/vsnd`)) {
    const lp = `/libxl/${domid}/device/vsnd/${n}`;
    const be = host.xenstoreRead(`${lp}/backend`);
    const fe = host.xenstoreRead(`${lp}/frontend`);
    if (be === undefined || fe === undefined) continue;
    out += `\ndevid: ${Number(n)}, be-domid: ${beDomid(be)}, handle: ${domid}, state: ${xsInt(host, `${fe}/state`)}, be-path: ${be}, fe-path: ${fe}\n`;
    out += `short-name: "${cStr(host.xenstoreRead(`${fe}/short-name`))}", long-name: "${cStr(host.xenstoreRead(`${fe}/long-name`))}"${params(host, fe)}`;
    for (let j = 0; host.xenstoreRead(`${fe}/${j}`) !== undefined; j++) {
      const pcm = `${fe}/${j}`;
      out += `\tpcm: ${j}, name: "${cStr(host.xenstoreRead(`${pcm}/name`))}"${params(host, pcm)}`;
      for (let k = 0; host.xenstoreRead(`${pcm}/${k}`) !== undefined; k++) {
        const s = `${pcm}/${k}`;
        const type = host.xenstoreRead(`${s}/type`);
        out += `\t\tstream: ${k}, unique-id: "${cStr(host.xenstoreRead(`${s}/unique-id`))}", type: ${type === 'p' || type === 'c' ? type : '(null)'}${params(host, s)}`;
        out += `\t\t\tevent-channel: ${xsInt(host, `${s}/event-channel`)}, ring-ref: ${xsInt(host, `${s}/ring-ref`)}\n`;
      }
    }
  }
  return out;
}

/** `xl vsnd-list` (no header). */
export const vsndListCommand: XlCommandModule = qualifierListCommand('vsnd-list', '', vsndLines);

/** `xl vsnd-detach`. */
export const vsndDetachCommand: XlCommandModule = pvDetachCommand('vsnd', 'vsnd');
