/**
 * `xl uptime [-s] [Domain ...]` (tools/xl/xl_info.c `main_uptime`, `print_uptime`,
 * `print_dom0_uptime`, `print_domU_uptime`; xl-commands.md §3.8).
 *
 * Uptime is whole seconds: Domain-0's from the host boot (`/proc/uptime`), a guest's as
 * `time(NULL)` minus its `/vm/<uuid>/start_time` (both truncated to seconds).
 */
import type { DomainInfo } from '../../machine/api.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { localClockText, uptimeHeader, uptimeRow, uptimeShortRow } from '../format/uptime.js';

/** `xl uptime`: header (unless `-s`), Domain-0 first, then every guest in domid order. */
export const uptimeCommand: XlCommandModule = {
  name: 'uptime',
  minArgs: 0,
  options: (cmd) => cmd.option('-s'),
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const short = ctx.opts.s === true;
      const domids = ctx.args.map((a) => findDomain(host, a, ctx.err));
      const nowMs = host.now();
      const nowSec = Math.floor(nowMs / 1000);
      const nowText = localClockText(nowMs, ctx.env.timeZone);
      const line = (d: DomainInfo): string => {
        const seconds = d.domid === 0 ? Math.floor((nowMs - d.startTime) / 1000) : nowSec - Math.floor(d.startTime / 1000);
        return short ? uptimeShortRow(nowText, d.name, d.domid, seconds) : uptimeRow(d.name, d.domid, seconds);
      };
      let out = short ? '' : uptimeHeader();
      const targets = domids.length > 0 ? domids : host.listDomains().map((d) => d.domid);
      for (const id of targets) {
        const d = host.domain(id);
        if (d) out += line(d);
      }
      ctx.out(out);
      return 0;
    }),
};
