/**
 * `xl rename <Domain> <NewDomainName>` (tools/xl/xl_misc.c `main_rename`;
 * xl-commands.md §2.1 "rename", §5.5).
 */
import { HostError } from '../../machine/errors.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine, SITES } from '../format/log.js';

/** `xl rename`: renames a domain; a name in use → libxl's reason + `Can't rename domain '<dom>'.`, exit 1. */
export const renameCommand: XlCommandModule = {
  name: 'rename',
  minArgs: 2,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const [dom, newName] = [ctx.args[0]!, ctx.args[1]!];
      const domid = findDomain(host, dom, ctx.err);
      try {
        host.rename(domid, newName);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        if (e.code === 'NAME_EXISTS') {
          ctx.err(libxlLine('error', SITES.domainRename, domid, `Domain with name "${newName}" already exists.`));
        }
        ctx.err(`Can't rename domain '${dom}'.\n`);
        return 1;
      }
      return 0;
    }),
};
