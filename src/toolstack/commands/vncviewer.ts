/**
 * `xl vncviewer [--autopass] <Domain>` (tools/xl/xl_console.c `main_vncviewer`,
 * tools/libs/light/libxl_console.c `libxl_vncviewer_exec`). xl reads the guest's
 * `console/vnc-port` and `vnc-listen` and execs `vncviewer <listen>:<port-5900>`.
 * xlsim runs nothing: it prints that `<listen>:<display>` address on stdout and exits 0
 * (docs/compat.md). A guest without a VNC server (PV without a VNC vfb, `vnc=0`) gets
 * libxl's `Cannot get vnc-port`, exit 1.
 */
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine } from '../format/log.js';
import { MORE_SITES as S } from '../format/log-sites.js';

/** `xl vncviewer`: print the VNC address a viewer would connect to. */
export const vncviewerCommand: XlCommandModule = {
  name: 'vncviewer',
  minArgs: 1,
  options: (cmd) => cmd.option('-a, --autopass').option('--vncviewer-autopass'),
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const vnc = host.vncServer(domid);
      if (!vnc) {
        ctx.err(libxlLine('error', S.vncviewer, domid, 'Cannot get vnc-port'));
        return 1;
      }
      ctx.out(`${vnc.listen}:${vnc.port - 5900}\n`);
      return 0;
    }),
};
