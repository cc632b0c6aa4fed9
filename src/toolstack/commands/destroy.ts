/**
 * `xl destroy [-f] <Domain>` (tools/xl/xl_vmcontrol.c `main_destroy`, `destroy_domain`;
 * xl-commands.md §2.1 "destroy", §1.4 for the libxl error chain).
 */
import { HostError } from '../../machine/errors.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine, SITES } from '../format/log.js';

/** `xl destroy`: tears the domain down at once; Domain-0 needs `-f`. */
export const destroyCommand: XlCommandModule = {
  name: 'destroy',
  minArgs: 1,
  options: (cmd) => cmd.option('-f'),
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const force = ctx.opts.f === true;
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      if (domid === 0 && !force) {
        ctx.err(
          'Not destroying domain 0; use -f to force.\n' +
            'This can only be done when using a disaggregated hardware domain and toolstack.\n\n',
        );
        return 1;
      }
      try {
        host.destroy(domid);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        if (e.code === 'NO_SUCH_DOMAIN') {
          ctx.err(libxlLine('error', SITES.destroyDomid, domid, 'Non-existant domain'));
          ctx.err(libxlLine('error', SITES.destroyCallback, domid, 'Unable to destroy guest'));
          ctx.err(libxlLine('error', SITES.destroyCb, domid, 'Destruction of domain failed'));
          ctx.err('destroy failed (rc=-21)\n');
        } else {
          ctx.err(libxlLine('error', SITES.destroyCallback, domid, 'Unable to destroy guest'));
          ctx.err(libxlLine('error', SITES.destroyCb, domid, 'Destruction of domain failed'));
          ctx.err('destroy failed (rc=-3)\n');
        }
        return 1;
      }
      return 0;
    }),
};
