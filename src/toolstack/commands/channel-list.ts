/**
 * `xl channel-list <Domain(s)>` (tools/xl/xl_console.c `main_channellist`, Xen 4.20.0;
 * libxl_console.c `libxl__append_channel_list`, `libxl_device_channel_getinfo`;
 * xl-commands.md §3.7).
 *
 * Channels are the domain's consoles that have a name (consoles 1…n; libxl lists them in
 * its own directory order and numbers them from 0). Header
 * `Idx BE state evt-ch ring-ref connection` then an empty 30-wide column; a row per
 * channel: devid, backend domid, frontend state, event channel (`port`), ring-ref, the
 * connection as libxl_channel_connection_to_string gives it (`pty`, `socket`: the IDL
 * enum's names in lower case, where the reference sheet shows upper case) and, for a PTY,
 * its tty path padded to 30 and followed by a space. A bad name exits 1 (`find_domain`).
 */
import type { Host } from '../../machine/host.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { padLeft, padRight } from '../format/printf.js';
import { beDomid, xsInt } from './device-util.js';

/** The domain's channels as channel-list prints them. */
function channelRows(host: Host, domid: number): string {
  let out = '';
  let idx = 0;
  for (const n of host.xenstoreList(`/libxl/${domid}/device/console`)) {
    const lp = `/libxl/${domid}/device/console/${n}`;
    if (host.xenstoreRead(`${lp}/name`) === undefined) continue;
    const connection = host.xenstoreRead(`${lp}/connection`);
    const be = host.xenstoreRead(`${lp}/backend`);
    const devid = idx++;
    if (be === undefined || (connection !== 'pty' && connection !== 'socket')) continue;
    const fe = `/local/domain/${domid}/device/console/${n}`;
    out += `${padRight(devid, 3)} ${padRight(beDomid(be), 2)} ${padRight(xsInt(host, `${fe}/state`), 5)} `;
    out += `${padRight(xsInt(host, `${fe}/port`), 6)} ${padRight(xsInt(host, `${fe}/ring-ref`), 8)} ${padRight(connection, 10)} `;
    if (connection === 'pty') out += `${padRight(host.xenstoreRead(`${fe}/tty`) ?? '', 30)} `;
    out += '\n';
  }
  return out;
}

/** `xl channel-list`. */
export const channelListCommand: XlCommandModule = {
  name: 'channel-list',
  minArgs: 1,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      ctx.out(`${padRight('Idx', 3)} ${padRight('BE', 2)} ${padRight('state', 5)} ${padRight('evt-ch', 6)} ${padLeft('ring-ref', 8)} ${padRight('connection', 10)} ${padRight('', 30)}\n`);
      for (const arg of ctx.args) ctx.out(channelRows(host, findDomain(host, arg, ctx.err)));
      return 0;
    }),
};
