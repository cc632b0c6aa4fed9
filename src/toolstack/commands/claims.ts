/**
 * `xl claims` and `xl sharing [Domain]` (tools/xl/xl_info.c `main_claims`,
 * tools/xl/xl_mem.c `main_sharing`; xl-commands.md §3.3).
 *
 * The emulated host builds domains at once, so no claim is ever outstanding once a
 * command returns (claim_mode=1, xl's default, so no warning is printed); page sharing
 * is not emulated, so Shared is 0.
 */
import type { DomainInfo } from '../../machine/api.js';
import { commandHelp } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { formatList } from '../format/list.js';
import { libxlLine, SITES } from '../format/log.js';
import { padLeft, padRight } from '../format/printf.js';

/** `xl claims`: the `xl list` table plus the `Claimed` column. */
export const claimsCommand: XlCommandModule = {
  name: 'claims',
  minArgs: 0,
  run: (ctx) =>
    ctx.withHost(async (host) => {
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
    return ctx.withHost(async (host) => {
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
