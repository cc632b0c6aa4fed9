/**
 * `xl info` text (tools/xl/xl_info.c `print_info` and `maybe_printf`; xl-commands.md §3.5).
 *
 * The emulated machine reports its CPUs, NUMA nodes, memory, scheduler and Xen version
 * (`HostInfo`); the build facts xl also prints (dom0 kernel, compiler, build id, …) are
 * fixed values describing a Debian 13 host running Xen 4.20.
 */
import type { HostInfo } from '../../machine/api.js';
import { padLeft } from './printf.js';

/** Options of `formatInfo`. */
export interface InfoOptions {
  /** `-n`: add the cpu_topology, device topology and numa_info blocks. */
  numa?: boolean;
  /** `xl info <prefix>`: print only the value part of lines starting with it. */
  filter?: string;
  /** Domain-0's memory, MiB, for the Xen command line `dom0_mem=` (default 4096). */
  dom0MemMiB?: number;
  /** pCPUs in no cpupool (`free_cpus`, `libxl_get_freecpus`); default 0. */
  freeCpus?: number;
}

/** Fixed build facts of the emulated Debian 13 dom0 and Xen build. */
export const BUILD_FACTS = {
  release: '6.12.38+deb13-amd64',
  version: '#1 SMP PREEMPT_DYNAMIC Debian 6.12.38-1 (2025-07-16)',
  machine: 'x86_64',
  hwCaps: 'bfebfbff:77fafbff:2c100800:00000121:0000000f:009c6fbf:00000000:00000100',
  virtCaps: ['pv', 'hvm', 'hvm_directio', 'pv_directio', 'hap', 'shadow', 'iommu_hap_pt_share', 'gnttab-v1', 'gnttab-v2'],
  xenCaps: 'xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64',
  platformParams: 'virt_start=0xffff800000000000',
  ccCompiler: 'x86_64-linux-gnu-gcc (Debian 14.2.0-19) 14.2.0',
  ccCompileBy: 'pkg-xen-devel',
  ccCompileDomain: 'lists.alioth.debian.org',
  ccCompileDate: 'Tue Jul 22 12:00:00 UTC 2025',
  buildId: '5c1d8e0b9a7f6e4d3c2b1a0918273645f0e1d2c3',
} as const;

/**
 * The whole `xl info` output, exact bytes. Each piece goes through xl's `maybe_printf`
 * filter: with `filter`, a piece is printed only if it starts with the filter and has
 * `: ` after its first colon, and then only from after that `: ` (so `xl info free`
 * prints the free_memory and free_cpus values, and `virt_caps` never matches).
 */
export function formatInfo(h: HostInfo, opts: InfoOptions = {}): string {
  const pieces: string[] = [];
  const kv = (key: string, value: string | number): void => {
    pieces.push(`${key.padEnd(23)}: ${value}\n`);
  };
  kv('host', h.hostname);
  kv('release', BUILD_FACTS.release);
  kv('version', BUILD_FACTS.version);
  kv('machine', BUILD_FACTS.machine);
  kv('nr_cpus', h.nrCpus);
  kv('max_cpu_id', h.nrCpus - 1);
  kv('nr_nodes', h.nrNodes);
  kv('cores_per_socket', h.coresPerSocket);
  kv('threads_per_core', h.threadsPerCore);
  const khz = Math.round(h.cpuMhz * 1000);
  kv('cpu_mhz', `${Math.floor(khz / 1000)}.${String(khz % 1000).padStart(3, '0')}`);
  kv('hw_caps', BUILD_FACTS.hwCaps);
  pieces.push(`${'virt_caps'.padEnd(23)}:`);
  for (const cap of BUILD_FACTS.virtCaps) pieces.push(` ${cap}`);
  pieces.push('\n');
  kv('total_memory', h.totalMemoryMiB);
  kv('free_memory', h.freeMemoryMiB);
  kv('sharing_freed_memory', 0);
  kv('sharing_used_memory', 0);
  kv('outstanding_claims', 0);
  kv('free_cpus', opts.freeCpus ?? 0);
  if (opts.numa) pieces.push(...numaBlocks(h));
  kv('xen_major', h.xenMajor);
  kv('xen_minor', h.xenMinor);
  kv('xen_extra', h.xenExtra);
  kv('xen_version', `${h.xenMajor}.${h.xenMinor}${h.xenExtra}`);
  kv('xen_caps', BUILD_FACTS.xenCaps);
  kv('xen_scheduler', h.scheduler);
  kv('xen_pagesize', 4096);
  kv('platform_params', BUILD_FACTS.platformParams);
  kv('xen_changeset', '');
  const dom0 = opts.dom0MemMiB ?? 4096;
  kv('xen_commandline', `placeholder dom0_mem=${dom0}M,max:${dom0}M`);
  kv('cc_compiler', BUILD_FACTS.ccCompiler);
  kv('cc_compile_by', BUILD_FACTS.ccCompileBy);
  kv('cc_compile_domain', BUILD_FACTS.ccCompileDomain);
  kv('cc_compile_date', BUILD_FACTS.ccCompileDate);
  kv('build_id', BUILD_FACTS.buildId);
  kv('xend_config_format', 4);
  const filter = opts.filter;
  if (filter === undefined) return pieces.join('');
  let out = '';
  for (const p of pieces) {
    if (!p.startsWith(filter)) continue;
    const colon = p.indexOf(':');
    if (colon >= 0 && p[colon + 1] === ' ') out += p.slice(colon + 2);
  }
  return out;
}

/** The `-n` blocks: cpu_topology, device topology and numa_info, derived from the host's CPU layout. */
function numaBlocks(h: HostInfo): string[] {
  const out: string[] = [];
  out.push(`${'cpu_topology'.padEnd(23)}:\n`);
  out.push('cpu:    core    socket     node\n');
  const perNode = Math.max(1, Math.floor(h.nrCpus / Math.max(1, h.nrNodes)));
  const perSocket = Math.max(1, h.coresPerSocket * h.threadsPerCore);
  for (let cpu = 0; cpu < h.nrCpus; cpu++) {
    const core = Math.floor(cpu / Math.max(1, h.threadsPerCore)) % Math.max(1, h.coresPerSocket);
    const socket = Math.floor(cpu / perSocket);
    const node = Math.min(h.nrNodes - 1, Math.floor(cpu / perNode));
    out.push(`${padLeft(cpu, 3)}:    ${padLeft(core, 4)}     ${padLeft(socket, 4)}     ${padLeft(node, 4)}\n`);
  }
  out.push(`${'device topology'.padEnd(23)}:\n`);
  out.push('No device topology data available\n');
  out.push(`${'numa_info'.padEnd(23)}:\n`);
  out.push('node:    memsize    memfree    distances\n');
  const nodes = Math.max(1, h.nrNodes);
  for (let n = 0; n < nodes; n++) {
    const size = Math.floor(h.totalMemoryMiB / nodes);
    const free = Math.floor(h.freeMemoryMiB / nodes);
    const dist = Array.from({ length: nodes }, (_, m) => (m === n ? 10 : 20)).join(',');
    out.push(`${padLeft(n, 4)}:    ${padLeft(size, 6)}     ${padLeft(free, 6)}      ${dist}\n`);
  }
  return out;
}
