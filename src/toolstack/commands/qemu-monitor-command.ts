/**
 * `xl qemu-monitor-command <Domain> <Command>` (tools/xl/xl_misc.c
 * `main_qemu_monitor_command`, tools/libs/light/libxl_qmp.c
 * `libxl_qemu_monitor_command`): the command runs in the guest's QEMU monitor (machine
 * qemu.ts) and its output is printed followed by a newline (`printf("%s\n")`), exit 0.
 * More than two operands → `Invalid arguments.`, exit 1. A guest without a device model
 * (PV, PVH, Domain-0) has no QMP socket: libxl's `Failed to connect to QMP socket
 * /var/run/xen/qmp-libxl-<id>: No such file or directory`, exit 1.
 */
import { XenError } from '../../machine/xen-error.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine } from '../format/log.js';
import { MORE_SITES as S } from '../format/log-sites.js';

/** `xl qemu-monitor-command`: ask the device model (`info block`, `info network`, …). */
export const qemuMonitorCommandCommand: XlCommandModule = {
  name: 'qemu-monitor-command',
  minArgs: 2,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      if (ctx.args.length > 2) {
        ctx.err('Invalid arguments.\n');
        return 1;
      }
      try {
        ctx.out(`${host.qemuMonitorCommand(domid, ctx.args[1]!)}\n`);
      } catch (e) {
        if (!(e instanceof XenError)) throw e;
        ctx.err(libxlLine('error', S.qmpConnect, domid,
          `Failed to connect to QMP socket /var/run/xen/qmp-libxl-${domid}`, 'No such file or directory'));
        return 1;
      }
      return 0;
    }),
};
