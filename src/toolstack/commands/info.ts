/**
 * `xl info [-n|--numa] [<key-prefix>]` (tools/xl/xl_info.c `main_info`, `print_info`,
 * `maybe_printf`; xl-commands.md §3.5).
 */
import type { XlCommandModule } from '../command.js';
import { formatInfo } from '../format/info.js';

/** `xl info`: host facts, one `key : value` line each; a prefix argument keeps only the values of matching lines. */
export const infoCommand: XlCommandModule = {
  name: 'info',
  minArgs: 0,
  options: (cmd) => cmd.option('-n, --numa'),
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const numa = ctx.opts.numa === true;
      const filter = numa ? undefined : ctx.args[0];
      const dom0 = host.domain(0);
      ctx.out(formatInfo(host.info(), { numa, filter, dom0MemMiB: dom0 ? Math.floor(dom0.memKiB / 1024) : undefined }));
      return 0;
    }),
};
