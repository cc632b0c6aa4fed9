/**
 * `xl pause <Domain>` / `xl unpause <Domain>` (tools/xl/xl_vmcontrol.c `main_pause`,
 * `main_unpause`; xl-commands.md §0.9, §2.1 "pause / unpause").
 *
 * xl ignores libxl's result: a hypervisor failure prints libxl's error line and the
 * command still exits 0. A name that does not resolve exits 1 (`find_domain`).
 */
import { HostError } from '../../machine/errors.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine, SITES } from '../format/log.js';

/** xl's errno text for a host failure: a missing domain is ESRCH, anything else EINVAL. */
function errnoText(e: HostError): string {
  return e.code === 'NO_SUCH_DOMAIN' ? 'No such process' : 'Invalid argument';
}

/** `xl pause <Domain>`: raises the domain's pause count. */
export const pauseCommand: XlCommandModule = {
  name: 'pause',
  minArgs: 1,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      try {
        host.pause(domid);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        ctx.err(libxlLine('error', SITES.pause, domid, 'Pausing domain', errnoText(e)));
      }
      return 0;
    }),
};

/** `xl unpause <Domain>`: lowers the domain's pause count. */
export const unpauseCommand: XlCommandModule = {
  name: 'unpause',
  minArgs: 1,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      try {
        host.unpause(domid);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        ctx.err(libxlLine('error', SITES.unpause, domid, 'Unpausing domain', errnoText(e)));
      }
      return 0;
    }),
};
