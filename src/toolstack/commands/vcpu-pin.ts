/**
 * `xl vcpu-pin [-f|--force] [-i|--ignore-global-affinity-masks] <Domain> <VCPU|all>
 * <Hard affinity|-|all> [<Soft affinity|-|all>]` (tools/xl/xl_vcpu.c `main_vcpupin`,
 * `apply_global_affinity_masks`; tools/libs/light/libxl_sched.c
 * `libxl__set_vcpuaffinity`, `libxl_set_vcpuaffinity_all`; xl-commands.md §2.1
 * "vcpu-pin", §3.6).
 *
 * CPU lists are parsed by the parser's `parseCpuList` (xl's `cpurange_parse`: ranges,
 * `all`, `node:`/`nodes:`, `^` exclusions); `-` leaves that affinity as it is. Global
 * `-N` prints `cpumap: <hard|->[ <soft>]` and changes nothing. Otherwise the hard mask
 * is narrowed by xl.conf's `vm.cpumask` / `vm.{pv,hvm}.cpumask` (unless `-i`) and set;
 * the scheduler honours it at once (`vcpu-list` shows it).
 *
 * Exit status: 1 for bad arguments and for a refused single vCPU (`Could not set affinity
 * for vcpu `N'.`); `all` prints `Could not set affinity.` on failure but exits 0, as xl.
 */
import { HostError } from '../../machine/errors.js';
import type { Host } from '../../machine/host.js';
import type { DomainConfig } from '../../parser/libxl.js';
import { formatCpumap, parseCpuList } from '../../parser/specs/cpumap.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine, SITES } from '../format/log.js';
import { MORE_SITES as S } from '../format/log-sites.js';
import { loadXlConf } from '../xl-conf.js';

/** C `strtol(s, &end, 10)`: the value and whether any digit was read. */
function strtolC(s: string): { value: number; read: boolean } {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(s);
  if (!m) return { value: 0, read: false };
  const v = BigInt(m[2]!) * (m[1] === '-' ? -1n : 1n);
  const max = (1n << 63n) - 1n;
  return { value: Number(v > max ? max : v < -max - 1n ? -max - 1n : v), read: true };
}

/** `xl vcpu-pin`: set hard (and soft) affinity of one vCPU or all. */
export const vcpuPinCommand: XlCommandModule = {
  name: 'vcpu-pin',
  minArgs: 3,
  options: (cmd) => cmd.option('-f, --force').option('-i, --ignore-global-affinity-masks'),
  async run(ctx) {
    const o = ctx.opts as { force?: boolean; ignoreGlobalAffinityMasks?: boolean };
    const [domArg, vcpuArg, hardArg, softArg] = ctx.args as [string, string, string, string | undefined];
    const facts = await ctx.readHost((host) => host.facts());
    const xlConf = await loadXlConf(ctx.env, facts, ctx.err);
    if (!xlConf.ok) return xlConf.status;
    const topo = { nrCpus: facts.nrCpus, nrNodes: facts.nrNodes };
    return (ctx.dryRun ? ctx.readHost : ctx.withHost)(async (host: Host) => {
      const domid = findDomain(host, domArg, ctx.err);
      const parsed = strtolC(vcpuArg);
      let vcpu: number | 'all' = parsed.value;
      if (!parsed.read || parsed.value < 0) {
        if (vcpuArg !== 'all') {
          ctx.err(`Error: Invalid argument ${vcpuArg} as VCPU.\n`);
          return 1;
        }
        if (o.force) {
          ctx.err("Error: --force and 'all' as VCPU not allowed.\n");
          return 1;
        }
        vcpu = 'all';
      }
      const parse = (text: string): number[] | undefined => {
        const r = parseCpuList(text, topo);
        for (const m of r.messages) ctx.err(m.text);
        return r.exitCode ? undefined : r.value;
      };
      let hard: number[] | undefined;
      if (hardArg !== '-') {
        hard = parse(hardArg);
        if (!hard) return 1;
      }
      let soft: number[] | undefined;
      if (softArg !== undefined && softArg !== '-') {
        soft = parse(softArg);
        if (!soft) return 1;
      }
      if (ctx.dryRun) {
        ctx.out(`cpumap: ${hard ? formatCpumap(hard, facts.nrCpus) : '-'}${soft ? ` ${formatCpumap(soft, facts.nrCpus)}` : ''}\n`);
        return 0;
      }
      if (o.ignoreGlobalAffinityMasks !== true && hard) {
        const d = host.domain(domid);
        if (!d) {
          ctx.err(libxlLine('error', SITES.domainInfo, domid, 'Getting domain info', 'No such process'));
          ctx.err('Could not get domain info\n');
          return 1;
        }
        const { applyGlobalAffinityMasks } = await import('../../parser/domain-config/xl-conf.js');
        const probe: DomainConfig = { c_info: { type: d.type }, b_info: { max_vcpus: 1, vcpu_hard_affinity: [hard], sched_params: {}, arch_arm: {}, arch_x86: {} } };
        const empty = applyGlobalAffinityMasks(probe, xlConf.conf, facts.nrCpus);
        if (empty) {
          ctx.err(empty.text);
          return 1;
        }
        hard = (probe.b_info.vcpu_hard_affinity as number[][])[0]!;
      }
      const d = host.domain(domid);
      const ids = vcpu === 'all' ? Array.from({ length: d?.maxVcpus ?? 0 }, (_, i) => i) : [vcpu];
      if (vcpu === 'all' && !d) {
        ctx.err('libxl_list_vcpu failed.\n');
        return 1;
      }
      const errnoOf = (e: HostError): string => (e.code === 'NO_SUCH_DOMAIN' ? 'No such process' : 'Invalid argument');
      try {
        if (hard || soft) host.pinVcpu(domid, vcpu, hard, soft);
        else throw new HostError('INVALID_ARGUMENT', 'nothing to set');
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        // libxl__set_vcpuaffinity with neither mask returns ERROR_INVAL silently.
        const silent = !hard && !soft;
        if (vcpu !== 'all') {
          if (!silent) ctx.err(libxlLine('error', S.setAffinity, domid, 'Setting vcpu affinity', errnoOf(e)));
          ctx.err(`Could not set affinity for vcpu \`${vcpu}'.\n`);
          return 1;
        }
        for (const i of ids) {
          if (!silent) ctx.err(libxlLine('error', S.setAffinity, domid, 'Setting vcpu affinity', errnoOf(e)));
          ctx.err(libxlLine('warning', S.setAffinityAll, domid, `Failed to set affinity for ${i}`));
        }
        ctx.err('Could not set affinity.\n');
        return 0;
      }
      // libxl warns when a soft affinity has no pCPU the vCPU may run on.
      if (soft) {
        const after = host.domain(domid)!;
        const pool = host.cpupools().find((p) => p.id === host.cpupoolOf(domid));
        for (const i of ids) {
          const v = after.vcpus![i]!;
          const reach = v.softAffinity.filter((c) => v.hardAffinity.includes(c) && (pool?.cpus ?? []).includes(c));
          if (reach.length === 0) {
            ctx.err(libxlLine('warning', S.softUnreachable, domid, `All cpus in soft affinity of vcpu ${i} are unreachable. Only hard affinity will be considered for scheduling`));
          }
        }
      }
      return 0;
    });
  },
};
