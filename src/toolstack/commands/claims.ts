/**
 * `xl claims` and `xl sharing [Domain]` (tools/xl/xl_info.c `main_claims`,
 * tools/xl/xl_mem.c `main_sharing`; xl-commands.md §3.3).
 *
 * The emulated host builds domains at once, so no claim is ever outstanding once a
 * command returns; page sharing is not emulated, so Shared is 0.
 */
import type { DomainInfo } from '../../machine/api.js';
import { commandHelp } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { formatList } from '../format/list.js';
import { libxlLine, SITES } from '../format/log.js';
import { padLeft, padRight } from '../format/printf.js';
import { loadXlConf } from '../xl-conf.js';

/**
 * `xl claims`: the `xl list` table plus the `Claimed` column. Reads xl.conf first (a
 * broken one → exit 1); with `claim_mode=0` there it prints `claim_mode not enabled (see
 * man xl.conf).` on stderr before the table, as `main_claims` does.
 */
export const claimsCommand: XlCommandModule = {
  name: 'claims',
  minArgs: 0,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const xlConf = await loadXlConf(ctx.env, host.facts(), ctx.err);
      if (!xlConf.ok) return xlConf.status;
      if (xlConf.conf.claimMode === false) ctx.err('claim_mode not enabled (see man xl.conf).\n');
      ctx.out(formatList(host.listDomains(), { claim: true }));
      return 0;
    }),
};

/** `xl sharing`: name, id, Mem and Shared (MiB) for every or one domain (at most one operand, as `list`). */
export const sharingCommand: XlCommandModule = {
  name: 'sharing',
  minArgs: 0,
  run: (ctx) => {
    if (ctx.args.length > 1) {
      ctx.out(commandHelp(ctx.spec));
      return Promise.resolve(1);
    }
    return ctx.readHost(async (host) => {
      let domains: DomainInfo[] = host.listDomains();
      if (ctx.args.length > 0) {
        const domid = findDomain(host, ctx.args[0]!, ctx.err);
        const d = host.domain(domid);
        if (!d) {
          ctx.err(libxlLine('error', SITES.domainInfo, domid, 'Getting domain info', 'No such process'));
          ctx.err(`Error: Domain '${ctx.args[0]!}' does not exist.\n`);
          return 1;
        }
        domains = [d];
      }
      let out = `Name${' '.repeat(40)}ID   Mem Shared\n`;
      for (const d of domains) {
        out += `${padRight(d.name, 40)} ${padLeft(d.domid, 5)} ${padLeft(Math.floor(d.memKiB / 1024), 5)}  ${padLeft(0, 5)}\n`;
      }
      ctx.out(out);
      return 0;
    });
  },
};
