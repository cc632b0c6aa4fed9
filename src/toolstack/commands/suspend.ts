/**
 * `xl suspend <Domain>` and `xl resume <Domain>` (tools/xl/xl_vmcontrol.c 4.20
 * `main_suspend` → libxl_domain_suspend_only, `main_resume` → libxl_domain_resume(…, 1);
 * xl-commands.md §0.9, §2 "suspend / resume").
 *
 * `suspend` asks the guest to suspend and waits for it as libxl does (60 s for the
 * acknowledgement, 60 s for the suspend; saverestore/suspend.ts): the domain is then
 * shut down with reason suspend (`---ss-` in `xl list`) and keeps its memory; its
 * monitor keeps waiting ("Domain has suspended."). `resume` is xc_domain_resume's
 * cooperative resume: the guest returns from its suspend with everything as it was. As
 * in xl, both ignore libxl's result and exit 0 (libxl's errors are printed); a name that
 * does not resolve exits 1. Domain-0 is refused (exit 1, docs/compat.md).
 */
import { HostError } from '../../machine/errors.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine } from '../format/log.js';
import { refuseDomain0 } from '../saverestore/config.js';
import { suspendGuest, SUSPEND_SITES } from '../saverestore/suspend.js';

/** `xl suspend`: see the module comment. */
export const suspendCommand: XlCommandModule = {
  name: 'suspend',
  minArgs: 1,
  async run(ctx) {
    const domid = await ctx.readHost((host) => findDomain(host, ctx.args[0]!, ctx.err));
    if (domid === 0) {
      refuseDomain0(ctx.err, 'suspended');
      return 1;
    }
    await suspendGuest(ctx, domid);
    return 0;
  },
};

/** `xl resume`: see the module comment. */
export const resumeCommand: XlCommandModule = {
  name: 'resume',
  minArgs: 1,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      if (domid === 0) {
        refuseDomain0(ctx.err, 'resumed');
        return 1;
      }
      try {
        host.resumeDomain(domid);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        ctx.err(libxlLine('error', SUSPEND_SITES.domainType, domid, 'unable to get dominfo', 'No such process'));
      }
      return 0;
    }),
};
