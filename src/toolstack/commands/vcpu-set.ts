/**
 * `xl vcpu-set [-i|--ignore-host] <Domain> <vCPUs>` (tools/xl/xl_vcpu.c `main_vcpuset`,
 * `vcpuset`; xl-commands.md §2.1 "vcpu-set").
 */
import { HostError } from '../../machine/errors.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine, SITES } from '../format/log.js';

/** `xl vcpu-set`: brings vCPUs 0..n-1 online and the rest offline. */
export const vcpuSetCommand: XlCommandModule = {
  name: 'vcpu-set',
  minArgs: 2,
  options: (cmd) => cmd.option('-i, --ignore-host'),
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const text = ctx.args[1]!;
      const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(text);
      // strtoul: a leading '-' negates modulo 2^64; anything above INT_MAX is refused.
      const count = m ? (m[1] === '-' ? BigInt.asUintN(64, -BigInt(m[2]!)) : BigInt(m[2]!)) : undefined;
      if (count === undefined || count > 2147483647n) {
        ctx.err('Error: Invalid argument.\n');
        return 1;
      }
      const n = Number(count);
      const d = host.domain(domid);
      if (ctx.opts.ignoreHost !== true) {
        if (!d) {
          ctx.err(libxlLine('error', SITES.domainInfo, domid, 'Getting domain info', 'No such process'));
          return 1;
        }
        const hostCpus = host.info().nrCpus;
        if (n > d.onlineVcpus && n > hostCpus) {
          ctx.err(`You are overcommmitting! You have ${hostCpus} physical CPUs and want ${n} vCPUs! Aborting, use --ignore-host to continue\n`);
          return 1;
        }
      }
      if (!d) {
        ctx.err(`Domain ${domid} does not exist.\n`);
        return 1;
      }
      try {
        host.setVcpus(domid, n);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        if (n === 0) ctx.err(libxlLine('error', SITES.setVcpuOnline, domid, 'Requested 0 VCPUs!'));
        else if (n > d.maxVcpus) ctx.err(libxlLine('error', SITES.setVcpuOnline, domid, `Requested ${n} VCPUs, however maxcpus is ${d.maxVcpus}!`));
        ctx.err(`libxl_set_vcpuonline failed domid=${domid} max_vcpus=${n}, rc: -3\n`);
        return 1;
      }
      return 0;
    }),
};
