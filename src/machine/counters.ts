/**
 * What the host counts per domain (DESIGN.md "What the seed documents teach is visible"):
 * hypercalls by kind for PV and PVH guests; VM exits by reason and device-model I/O
 * requests for HVM guests; I/O on each vif and vbd. The counts are a deterministic
 * function of what the guest has been doing (its run time, its CPU time, its devices)
 * plus discrete counts recorded by events (grants, balloon moves), so time passing
 * writes nothing and a learner can compare a PV guest with an HVM one side by side.
 *
 * Rates are modelled on an idle Linux guest (tickless, a few wakeups a second per vCPU,
 * timer and event-channel traffic) and grow with CPU use; an HVM guest traps to Xen
 * for HLT, interrupts, APIC and MSR accesses, and its emulated devices turn port and
 * MMIO accesses into ioreqs for its QEMU device model (xen/arch/x86/hvm/vmx/vmx.c exit
 * reasons; xen/include/public/xen.h hypercall names).
 */
import type { DomainRecord } from './records.js';

/** Per-kind counts: `[name, per second of run time, per ms of CPU time]`. */
type Rates = readonly (readonly [string, number, number])[];

const PV_RATES: Rates = [
  ['sched_op', 60, 0.05],
  ['set_timer_op', 55, 0.01],
  ['event_channel_op', 25, 0.04],
  ['mmu_update', 0.5, 0.8],
  ['multicall', 1, 0.2],
  ['vcpu_op', 2, 0.01],
  ['grant_table_op', 4, 0.02],
  ['memory_op', 0.05, 0.001],
  ['physdev_op', 0.5, 0],
  ['xen_version', 0.01, 0],
];

const PVH_RATES: Rates = [
  ['sched_op', 55, 0.05],
  ['vcpu_op', 50, 0.01],
  ['event_channel_op', 25, 0.04],
  ['hvm_op', 3, 0.005],
  ['grant_table_op', 4, 0.02],
  ['memory_op', 0.05, 0.001],
  ['xen_version', 0.01, 0],
];

/** HVM VM exits (`exit:` prefix) and ioreqs (`ioreq:` prefix). */
const HVM_RATES: Rates = [
  ['exit:HLT', 95, 0],
  ['exit:EXTERNAL_INTERRUPT', 110, 0.02],
  ['exit:APIC_ACCESS', 45, 0.01],
  ['exit:MSR_WRITE', 60, 0.01],
  ['exit:MSR_READ', 8, 0.005],
  ['exit:IO_INSTRUCTION', 20, 0.3],
  ['exit:EPT_VIOLATION', 6, 0.6],
  ['exit:CPUID', 0.2, 0.001],
  ['exit:VMCALL', 20, 0.02],
  ['exit:PAUSE_INSTRUCTION', 0, 0.05],
  ['ioreq:pio', 18, 0.28],
  ['ioreq:mmio', 4, 0.4],
];

/**
 * The domain's counts by kind at run time `runMs` and CPU time `cpuNs`: hypercalls
 * (PV, PVH; names as in xen/include/public/xen.h without `__HYPERVISOR_`), or for HVM
 * `exit:<REASON>` and `ioreq:<pio|mmio>`. Domain-0 counts as PV. Discrete counts the
 * host recorded (`rec.counters`) are added. Integers, never decreasing.
 */
export function domainCounters(rec: DomainRecord, runMs: number, cpuNs: number): Record<string, number> {
  const rates = rec.domid !== 0 && rec.type === 'hvm' ? HVM_RATES : rec.domid !== 0 && rec.type === 'pvh' ? PVH_RATES : PV_RATES;
  const out: Record<string, number> = {};
  const cpuMs = cpuNs / 1e6;
  for (const [name, perSec, perCpuMs] of rates) out[name] = Math.floor((runMs / 1000) * perSec + cpuMs * perCpuMs);
  for (const [k, v] of Object.entries(rec.counters)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Total hypercalls (PV, PVH) or VM exits (HVM) in `counters`. */
export function totalOf(counters: Record<string, number>, hvm: boolean): number {
  let t = 0;
  for (const [k, v] of Object.entries(counters)) if (hvm ? k.startsWith('exit:') : !k.includes(':')) t += v;
  return t;
}

/** I/O counters of one device at the domain's run time (xentop's NETS and VBDS lines). */
export function deviceIo(rate: number, runMs: number, cpuNs: number): { rxPackets: number; txPackets: number; rdReq: number; wrReq: number } {
  const f = rate / 1000;
  const base = (runMs / 1000) * f;
  const busy = (cpuNs / 1e6) * f * 0.05;
  return {
    rxPackets: Math.floor(base * 9 + busy * 0.8),
    txPackets: Math.floor(base * 6 + busy * 0.5),
    rdReq: Math.floor(base * 1.5 + busy * 0.3),
    wrReq: Math.floor(base * 2 + busy * 0.1),
  };
}
