/**
 * `xl cpupool-rename <CPU Pool> <new name>` (tools/xl/xl_cpupool.c `main_cpupoolrename`,
 * tools/libs/light/libxl_cpupool.c `libxl_cpupool_rename`): writes the new name to
 * `/local/pool/<id>/name`. libxl does not check that the name is free.
 */
import { XenError } from '../../machine/xen-error.js';
import type { XlCommandModule } from '../command.js';
import { cpupoolByQualifier } from '../cpupool-arg.js';

/** `xl cpupool-rename`: give a cpupool a new name. */
export const cpupoolRenameCommand: XlCommandModule = {
  name: 'cpupool-rename',
  minArgs: 2,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const [arg, name] = ctx.args as [string, string];
      const pool = cpupoolByQualifier(host.cpupools(), arg);
      if (!pool) {
        ctx.err(`unknown cpupool '${arg}'\n`);
        return 1;
      }
      try {
        host.renameCpupool(pool.id, name);
      } catch (e) {
        if (!(e instanceof XenError)) throw e;
        ctx.err(`Can't rename cpupool '${arg}'\n`);
        return 1;
      }
      return 0;
    }),
};
