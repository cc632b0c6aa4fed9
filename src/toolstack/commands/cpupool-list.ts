/**
 * `xl cpupool-list [-c|--cpus] [<CPU Pool>]` (tools/xl/xl_cpupool.c
 * `main_cpupoollist`; xl-commands.md §3.10). The emulated host has one pool, `Pool-0`,
 * holding every pCPU and every domain, scheduled by the host's scheduler.
 */
import type { XlCommandModule } from '../command.js';
import { padLeft, padRight } from '../format/printf.js';

/** `xl cpupool-list`: one row per pool; `-c` lists the pool's CPUs instead. */
export const cpupoolListCommand: XlCommandModule = {
  name: 'cpupool-list',
  minArgs: 0,
  options: (cmd) => cmd.option('-c, --cpus'),
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const pool = ctx.args[0];
      if (pool !== undefined && pool !== 'Pool-0' && pool !== '0') {
        ctx.err(`Pool '${pool}' does not exist\n`);
        return 1;
      }
      const info = host.info();
      if (ctx.opts.cpus === true) {
        const cpus = Array.from({ length: info.nrCpus }, (_, i) => i).join(',');
        ctx.out(`${padRight('Name', 19)}CPU list\n${padRight('Pool-0', 19)}${cpus}\n`);
      } else {
        ctx.out(
          `${padRight('Name', 19)}CPUs   Sched     Active   Domain count\n` +
            `${padRight('Pool-0', 19)}${padLeft(info.nrCpus, 3)} ${padLeft(info.scheduler, 9)}       y       ${padLeft(host.listDomains().length, 4)}\n`,
        );
      }
      return 0;
    }),
};
