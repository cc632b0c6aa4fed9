/**
 * `xl cpupool-numa-split` (tools/xl/xl_cpupool.c `main_cpupoolnumasplit`): with only
 * Pool-0 in use, gives each NUMA node a pool of its own. Pool-0 takes every free pCPU of
 * the first pCPU's node and is renamed `Pool-node<N>`; Domain-0 keeps at most that many
 * vCPUs online; then for each other node its pCPUs leave Pool-0 and a pool
 * `Pool-node<N>` with Pool-0's scheduler takes them. More than one pool → `splitting not
 * possible, already cpupools in use`, exit 1. Silent on success.
 */
import type { Host } from '../../machine/host.js';
import type { XlCommandModule } from '../command.js';
import { nodeOf } from './cpupool-create.js';

/** `xl cpupool-numa-split`: one cpupool per NUMA node. */
export const cpupoolNumaSplitCommand: XlCommandModule = {
  name: 'cpupool-numa-split',
  minArgs: 0,
  run: (ctx) =>
    ctx.withHost(async (host: Host) => {
      const pools = host.cpupools();
      if (pools.length > 1) {
        ctx.err('splitting not possible, already cpupools in use\n');
        return 1;
      }
      const { nrCpus, nrNodes } = host.facts();
      const sched = pools[0]!.scheduler;
      const node = (c: number): number => nodeOf(c, nrCpus, nrNodes);
      const first = node(0);
      for (const c of host.freeCpus()) if (node(c) === first) host.cpupoolAddCpu(0, c);
      host.renameCpupool(0, `Pool-node${first}`);
      const done = new Set<number>();
      let n = 0;
      for (let c = 0; c < nrCpus; c++) {
        if (node(c) === first) {
          done.add(c);
          n++;
        }
      }
      const dom0 = host.domain(0)!;
      if (dom0.onlineVcpus > n) host.setVcpus(0, n);
      for (let c = 0; c < nrCpus; c++) {
        if (done.has(c)) continue;
        const nd = node(c);
        for (const cpu of host.cpupools()[0]!.cpus) if (node(cpu) === nd) host.cpupoolRemoveCpu(0, cpu);
        const id = host.createCpupool(`Pool-node${nd}`, sched, []);
        for (const cpu of host.freeCpus()) if (node(cpu) === nd) host.cpupoolAddCpu(id, cpu);
        for (let p = c; p < nrCpus; p++) if (node(p) === nd) done.add(p);
      }
      return 0;
    }),
};
