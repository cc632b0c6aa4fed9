/**
 * `xl cpupool-destroy <CPU Pool>` (tools/xl/xl_cpupool.c `main_cpupooldestroy`,
 * tools/libs/light/libxl_cpupool.c `libxl_cpupool_destroy`): frees the pool's pCPUs and
 * removes it. A pool that still has domains (Pool-0 always has Domain-0) is refused by
 * libxl with ERROR_INVAL and no log line: `Can't destroy cpupool '<p>'`, exit 1.
 */
import { XenError } from '../../machine/xen-error.js';
import type { XlCommandModule } from '../command.js';
import { cpupoolByQualifier } from '../cpupool-arg.js';

/** `xl cpupool-destroy`: deactivate an empty cpupool. */
export const cpupoolDestroyCommand: XlCommandModule = {
  name: 'cpupool-destroy',
  minArgs: 1,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const arg = ctx.args[0]!;
      const pool = cpupoolByQualifier(host.cpupools(), arg);
      if (!pool) {
        ctx.err(`unknown cpupool '${arg}'\n`);
        return 1;
      }
      try {
        host.destroyCpupool(pool.id);
      } catch (e) {
        if (!(e instanceof XenError)) throw e;
        ctx.err(`Can't destroy cpupool '${arg}'\n`);
        return 1;
      }
      return 0;
    }),
};
