/**
 * `xl cpupool-cpu-add <CPU Pool> <CPU nr>|node:<node nr>` and `xl cpupool-cpu-remove …`
 * (tools/xl/xl_cpupool.c `main_cpupoolcpuadd`, `main_cpupoolcpuremove`;
 * tools/libs/light/libxl_cpupool.c `libxl_cpupool_cpuadd_cpumap`,
 * `libxl_cpupool_cpuremove_cpumap`).
 *
 * The CPU list is parsed first (xl's `parse_cpurange`, the parser's `parseCpuList`: any
 * list, `node:`/`nodes:`, `^`), then the pool is looked up. Each pCPU is moved on its
 * own; one that Xen refuses prints libxl's `Error moving cpu N to cpupool: <strerror>`
 * (`Error removing cpu N from cpupool: …`) and xl's summary lines, yet the command exits
 * 0, as xl does.
 */
import { STRERROR, XenError } from '../../machine/xen-error.js';
import { parseCpuList } from '../../parser/specs/cpumap.js';
import type { XlCommandModule } from '../command.js';
import { cpupoolByQualifier } from '../cpupool-arg.js';
import { libxlLine } from '../format/log.js';
import { MORE_SITES as S } from '../format/log-sites.js';

function module(op: 'add' | 'remove'): XlCommandModule {
  return {
    name: op === 'add' ? 'cpupool-cpu-add' : 'cpupool-cpu-remove',
    minArgs: 2,
    run: (ctx) =>
      ctx.withHost(async (host) => {
        const [arg, list] = ctx.args as [string, string];
        const facts = host.facts();
        const parsed = parseCpuList(list, { nrCpus: facts.nrCpus, nrNodes: facts.nrNodes });
        for (const m of parsed.messages) ctx.err(m.text);
        if (parsed.exitCode) return 1;
        const pool = cpupoolByQualifier(host.cpupools(), arg);
        if (!pool) {
          ctx.err(`unknown cpupool '${arg}'\n`);
          return 1;
        }
        let failed = false;
        for (const cpu of parsed.value ?? []) {
          try {
            if (op === 'add') host.cpupoolAddCpu(pool.id, cpu);
            else host.cpupoolRemoveCpu(pool.id, cpu);
          } catch (e) {
            if (!(e instanceof XenError)) throw e;
            failed = true;
            ctx.err(op === 'add'
              ? libxlLine('error', S.poolCpuAdd, undefined, `Error moving cpu ${cpu} to cpupool`, STRERROR[e.errno])
              : libxlLine('error', S.poolCpuRemove, undefined, `Error removing cpu ${cpu} from cpupool`, STRERROR[e.errno]));
          }
        }
        if (failed) {
          ctx.err(op === 'add'
            ? `some cpus may not have been added to ${arg}\n`
            : `Some cpus may have not or only partially been removed from '${arg}'.\nIf a cpu can't be added to another cpupool, add it to '${arg}' again and retry.\n`);
        }
        return 0;
      }),
  };
}

/** `xl cpupool-cpu-add`: move free pCPUs into a pool. */
export const cpupoolCpuAddCommand: XlCommandModule = module('add');
/** `xl cpupool-cpu-remove`: free pCPUs of a pool. */
export const cpupoolCpuRemoveCommand: XlCommandModule = module('remove');
