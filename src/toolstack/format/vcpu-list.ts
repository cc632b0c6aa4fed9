/**
 * `xl vcpu-list` table (tools/xl/xl_vcpu.c `print_vcpuinfo`, `print_bitmap` in
 * tools/xl/xl_utils.c; xl-commands.md §3.6).
 */
import type { DomainInfo, VcpuInfo } from '../../machine/api.js';
import { cpuSeconds, padLeft, padRight } from './printf.js';

/** The header line, newline included. */
export function vcpuListHeader(): string {
  return (
    `${padRight('Name', 32)} ${padLeft('ID', 5)} ${padLeft('VCPU', 5)} ${padLeft('CPU', 5)} ` +
    `${padLeft('State', 5)} ${padLeft('Time(s)', 9)} Affinity (Hard / Soft)\n`
  );
}

/**
 * xl's `print_bitmap` over pCPUs 0..nrCpus-1: `all` when every bit is set, `none` when
 * none is, else ascending comma items `N` or `A-B`.
 */
export function formatBitmap(cpus: readonly number[], nrCpus: number): string {
  const set = new Set(cpus.filter((c) => c >= 0 && c < nrCpus));
  if (set.size === 0) return 'none';
  if (set.size === nrCpus) return 'all';
  const items: string[] = [];
  let i = 0;
  while (i < nrCpus) {
    if (!set.has(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < nrCpus && set.has(j + 1)) j++;
    items.push(i === j ? `${i}` : `${i}-${j}`);
    i = j + 1;
  }
  return items.join(',');
}

/**
 * One row: name L32, domid R5, vCPU R5, then CPU R5 with no space, the 5-char state,
 * time R9 `%.1f` of the float-converted ns counter, two spaces, hard ` / ` soft affinity.
 */
export function vcpuRow(d: Pick<DomainInfo, 'name' | 'domid'>, v: VcpuInfo, nrCpus: number): string {
  let row = `${padRight(d.name, 32)} ${padLeft(d.domid, 5)} ${padLeft(v.id, 5)}`;
  if (!v.online) row += `${padLeft('-', 5)} ${padLeft('-', 3)}-p `;
  else row += `${padLeft(v.cpu ?? 0, 5)} ${padLeft(v.running ? 'r' : '-', 3)}${v.blocked ? 'b' : '-'}- `;
  row += `${padLeft(cpuSeconds(v.timeNs), 9)}  `;
  row += `${formatBitmap(v.hardAffinity, nrCpus)} / ${formatBitmap(v.softAffinity, nrCpus)}\n`;
  return row;
}

/** Rows for every vCPU of `d`, in vCPU id order. */
export function vcpuRows(d: DomainInfo, nrCpus: number): string {
  return [...(d.vcpus ?? [])].sort((a, b) => a.id - b.id).map((v) => vcpuRow(d, v, nrCpus)).join('');
}
