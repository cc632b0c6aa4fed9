/**
 * `xl vcpu-list [Domain ...]` (tools/xl/xl_vcpu.c `main_vcpulist`, `vcpulist`,
 * `print_domain_vcpuinfo`; xl-commands.md §3.6).
 */
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { vcpuListHeader, vcpuRows } from '../format/vcpu-list.js';

/** `xl vcpu-list`: one row per vCPU of every (or each named) domain; the header comes first. */
export const vcpuListCommand: XlCommandModule = {
  name: 'vcpu-list',
  minArgs: 0,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const nrCpus = host.info().nrCpus;
      ctx.out(vcpuListHeader());
      // Running vCPUs are seated over the whole host (Host.listDomains), so no two are shown
      // on one pCPU, and a named domain shows what the whole list shows for it.
      if (ctx.args.length === 0) {
        for (const d of host.listDomains({ vcpus: true })) ctx.out(vcpuRows(d, nrCpus));
        return 0;
      }
      for (const arg of ctx.args) {
        const [d] = host.listDomains({ vcpus: true, only: new Set([findDomain(host, arg, ctx.err)]) });
        if (!d) ctx.err('libxl_list_vcpu failed.\n');
        else ctx.out(vcpuRows(d, nrCpus));
      }
      return 0;
    }),
};
