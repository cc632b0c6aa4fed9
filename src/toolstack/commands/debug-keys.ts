/**
 * `xl debug-keys <Keys>` (tools/xl/xl_misc.c `main_debug_keys`, tools/libs/light/libxl.c
 * `libxl_send_debug_keys`, xen/common/keyhandler.c): Xen runs each key's handler and its
 * output goes to the hypervisor console ring, which `xl dmesg` prints (machine
 * keyhandler.ts: `h` lists the keys, `q` dumps domains and vCPUs, `r` the run queues,
 * `e` the event channels, …). Silent on stdout, exit 0. `R` would reboot the host: it is
 * refused with a message and exit 1 (docs/compat.md).
 */
import { XenError } from '../../machine/xen-error.js';
import type { XlCommandModule } from '../command.js';

/** `xl debug-keys`: press Xen debug keys; read the answer with `xl dmesg`. */
export const debugKeysCommand: XlCommandModule = {
  name: 'debug-keys',
  minArgs: 1,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const keys = ctx.args[0]!;
      try {
        host.debugKeys(keys);
      } catch (e) {
        if (!(e instanceof XenError)) throw e;
        ctx.err("xlsim: debug key 'R' would reboot the host itself; no key was sent\n");
        ctx.err(`cannot send debug keys: ${keys}\n`);
        return 1;
      }
      return 0;
    }),
};
