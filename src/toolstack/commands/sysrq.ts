/**
 * `xl sysrq <Domain> <letter>` (tools/xl/xl_misc.c `main_sysrq`, tools/libs/light/
 * libxl.c `libxl_send_sysrq`): writes the letter to the guest's `control/sysrq`; a Linux
 * guest handles it at once (controls.ts: its console shows the kernel's `sysrq:` lines;
 * `b` reboots, `c` crashes, `o` powers off, `s` syncs, `h` prints the help line). A
 * second character → `Invalid sysrq.`, a blank line and sysrq's help on stdout, exit 1.
 * Otherwise exit 0, as xl — except that `b`, `c` and `o` are not sent to Domain-0, the
 * host itself: a clear message and exit 1 (docs/compat.md).
 */
import { XenError } from '../../machine/xen-error.js';
import { commandHelp } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';

/** `xl sysrq`: send a magic SysRq letter to a guest. */
export const sysrqCommand: XlCommandModule = {
  name: 'sysrq',
  minArgs: 2,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const key = ctx.args[1]!;
      if (key.length !== 1) {
        ctx.err('Invalid sysrq.\n\n');
        ctx.out(commandHelp(ctx.spec));
        return 1;
      }
      try {
        host.sendSysrq(domid, key);
      } catch (e) {
        if (!(e instanceof XenError)) throw e;
        if (e.code === 'DOMAIN_0') {
          ctx.err(`xlsim: Domain-0 is the host itself; sysrq '${key}' would ${key === 'b' ? 'reset' : key === 'c' ? 'crash' : 'power off'} it and is not sent\n`);
          return 1;
        }
        // libxl writes the node whatever the domain; nothing to report.
      }
      return 0;
    }),
};
