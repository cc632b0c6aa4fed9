/**
 * `xl cpupool-migrate <Domain> <CPU Pool>` (tools/xl/xl_cpupool.c `main_cpupoolmigrate`,
 * tools/libs/light/libxl_cpupool.c `libxl_cpupool_movedomain`). The domain must exist
 * (`unknown domain '<d>'`, also for an unused numeric id) and the pool too. Xen refuses
 * Domain-0 (EPERM) and a pool without pCPUs (ENOENT); libxl then logs `Error moving
 * domain to cpupool` (its LOGEV gets −1, so no strerror follows) and xl exits 1.
 */
import { XenError } from '../../machine/xen-error.js';
import type { XlCommandModule } from '../command.js';
import { cpupoolByQualifier } from '../cpupool-arg.js';
import { qualifierToDomid } from '../domain-arg.js';
import { libxlLine } from '../format/log.js';
import { MORE_SITES as S } from '../format/log-sites.js';

/** `xl cpupool-migrate`: move a domain into another cpupool. */
export const cpupoolMigrateCommand: XlCommandModule = {
  name: 'cpupool-migrate',
  minArgs: 2,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const [dom, arg] = ctx.args as [string, string];
      const domid = qualifierToDomid(host, dom);
      if (domid === undefined || !host.domain(domid)) {
        ctx.err(`unknown domain '${dom}'\n`);
        return 1;
      }
      const pool = cpupoolByQualifier(host.cpupools(), arg);
      if (!pool) {
        ctx.err(`unknown cpupool '${arg}'\n`);
        return 1;
      }
      try {
        host.moveToCpupool(domid, pool.id);
      } catch (e) {
        if (!(e instanceof XenError)) throw e;
        ctx.err(libxlLine('error', S.poolMoveDomain, domid, 'Error moving domain to cpupool'));
        return 1;
      }
      return 0;
    }),
};
