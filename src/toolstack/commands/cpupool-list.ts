/**
 * `xl cpupool-list [-c|--cpus] [<CPU Pool>]` (tools/xl/xl_cpupool.c
 * `main_cpupoollist`; xl-commands.md §3.10): one row per cpupool, `Name` `%-19s`, pCPU
 * count `%3d`, scheduler `%9s`, `       y       `, domain count `%4d`; `-c` lists each
 * pool's pCPUs instead. The pool argument is looked up by name only
 * (`libxl_name_to_cpupoolid`): `Pool '<p>' does not exist`, exit 1.
 */
import type { XlCommandModule } from '../command.js';
import { cpupoolByName } from '../cpupool-arg.js';
import { padLeft, padRight } from '../format/printf.js';

/** `xl cpupool-list`: one row per pool; `-c` lists the pool's CPUs instead. */
export const cpupoolListCommand: XlCommandModule = {
  name: 'cpupool-list',
  minArgs: 0,
  options: (cmd) => cmd.option('-c, --cpus'),
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const pools = host.cpupools();
      const arg = ctx.args[0];
      const only = arg === undefined ? undefined : cpupoolByName(pools, arg);
      if (arg !== undefined && !only) {
        ctx.err(`Pool '${arg}' does not exist\n`);
        return 1;
      }
      const cpus = ctx.opts.cpus === true;
      let out = `${padRight('Name', 19)}${cpus ? 'CPU list' : 'CPUs   Sched     Active   Domain count'}\n`;
      for (const p of pools) {
        if (only && only.id !== p.id) continue;
        out += padRight(p.name, 19);
        if (cpus) out += p.cpus.join(',');
        else out += `${padLeft(p.cpus.length, 3)} ${padLeft(p.scheduler, 9)}       y       ${padLeft(p.domains, 4)}`;
        out += '\n';
      }
      ctx.out(out);
      return 0;
    }),
};
