/**
 * `xl dmesg [-c|--clear]` (tools/xl/xl_misc.c `main_dmesg`, libxl `libxl_xen_console_read_*`;
 * xl-commands.md §2.1 "dmesg"): prints the hypervisor console ring exactly as Xen holds it
 * (`(XEN) …` lines, the oldest text possibly cut off when the 16 KiB ring has wrapped);
 * `-c` clears the ring after printing it. Exit 0.
 */
import type { XlCommandModule } from '../command.js';

/** `xl dmesg`: the Xen console ring on stdout; `-c`/`--clear` empties it afterwards. */
export const dmesgCommand: XlCommandModule = {
  name: 'dmesg',
  minArgs: 0,
  options: (cmd) => cmd.option('-c, --clear'),
  run: (ctx) =>
    ctx.opts.clear === true
      ? ctx.withHost(async (host) => {
          ctx.out(host.dmesg());
          host.clearDmesg();
          return 0;
        })
      : ctx.readHost((host) => {
          ctx.out(host.dmesg());
          return 0;
        }),
};
