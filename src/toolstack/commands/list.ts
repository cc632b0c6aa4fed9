/**
 * `xl list [-l] [-v] [-Z] [-c] [-n] [Domain]` (tools/xl/xl_info.c `main_list`,
 * `list_domains`, `list_domains_details`; xl-commands.md §2.1 "list", §3.1–§3.4).
 */
import type { Host } from '../../machine/host.js';
import { commandHelp } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { formatList } from '../format/list.js';
import { libxlLine, SITES } from '../format/log.js';
import { listLongJson } from '../format/json.js';

/** `xl list`: at most one domain operand; two or more print list's help and exit 1. */
export const listCommand: XlCommandModule = {
  name: 'list',
  minArgs: 0,
  options: (cmd) =>
    cmd
      .option('-l, --long')
      .option('-v, --verbose')
      .option('-Z, --context')
      .option('-c, --cpupool')
      .option('-n, --numa'),
  async run(ctx) {
    const o = ctx.opts as { long?: boolean; verbose?: boolean; context?: boolean; cpupool?: boolean; numa?: boolean };
    if (ctx.args.length > 1) {
      ctx.out(commandHelp(ctx.spec));
      return 1;
    }
    return ctx.readHost(async (host: Host) => {
      let domains = host.listDomains({ config: o.long === true });
      if (ctx.args.length === 1) {
        const arg = ctx.args[0]!;
        const domid = findDomain(host, arg, ctx.err);
        const d = host.domain(domid);
        if (!d) {
          ctx.err(libxlLine('error', SITES.domainInfo, domid, 'Getting domain info', 'No such process'));
          ctx.err(`Error: Domain '${arg}' does not exist.\n`);
          return 1;
        }
        domains = [d];
      }
      if (o.long) ctx.out(listLongJson(domains));
      else ctx.out(formatList(domains, o));
      return 0;
    });
  },
};
