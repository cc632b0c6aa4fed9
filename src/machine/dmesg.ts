/**
 * The hypervisor's console ring (what `xl dmesg` reads through XEN_SYSCTL_readconsole):
 * the boot log an x86 Xen 4.20 host prints, built from the host's facts, kept in a
 * bounded ring like Xen's `conring` (xen/drivers/char/console.c, default 16 KiB
 * `conring_size`); old bytes fall off the front.
 *
 * The boot log follows the order and wording of a release (`debug=n`) Xen 4.20 on an
 * Intel VT-x/VT-d machine booted by GRUB with a PV Domain-0 (xen/arch/x86/setup.c
 * `__start_xen`, xen/arch/x86/pv/dom0_build.c, xen/common/sched/credit2.c
 * `csched2_init`, xen/drivers/char/console.c `console_init_postirq`). Its counts (pCPUs,
 * memory, scheduler, Domain-0 size, version) come from the `HostSeed`, so `xl dmesg`
 * agrees with `xl info`. A release build at the default `loglvl`/`guest_loglvl` prints
 * nothing for a normal guest lifecycle, so after boot the ring only grows when the
 * hypervisor has something to warn about.
 */
import type { HostSeed } from './records.js';

/** Size of the console ring, bytes (Xen's default `conring_size`, 16 KiB). */
export const CONRING_SIZE = 16384;

/** Fixed build facts of the emulated Xen (the same Debian 13 build `xl info` reports). */
const BUILD = {
  by: 'pkg-xen-devel@lists.alioth.debian.org',
  compiler: 'x86_64-linux-gnu-gcc (Debian 14.2.0-19) 14.2.0',
  date: 'Tue Jul 22 12:00:00 UTC 2025',
  bootloader: 'GRUB 2.12-9',
} as const;

/**
 * The Xen command line the emulated host booted with: Debian's `placeholder` plus a fixed
 * Domain-0 size (`dom0_mem=<MiB>M,max:<MiB>M`), as `xl info` prints it in
 * `xen_commandline` (xl-commands.md §3.5). `dom0MiB` is Domain-0's boot memory, MiB.
 */
export function xenCommandLine(dom0MiB: number): string {
  return `placeholder dom0_mem=${dom0MiB}M,max:${dom0MiB}M`;
}

function hex(n: number | bigint, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/**
 * The text Xen 4.20 prints while booting `seed`'s machine, exact bytes, each line
 * `(XEN) …` and ending in `\n`. Deterministic: the same seed gives the same text.
 * Memory figures are derived from `seed.totalMemoryMiB` (MiB) and
 * `seed.dom0MemoryMiB` (MiB); pCPU lines from `seed.nrCpus`, `coresPerSocket` and
 * `threadsPerCore`; the scheduler block from `seed.scheduler`. Never throws.
 */
export function xenBootLog(seed: HostSeed): string {
  const version = `${seed.xenMajor}.${seed.xenMinor}${seed.xenExtra}`;
  const lines: string[] = [];
  const p = (s: string): void => void lines.push(`(XEN) ${s}`);
  const totalKiB = seed.totalMemoryMiB * 1024;
  const totalBytes = BigInt(seed.totalMemoryMiB) * 1048576n;
  const top = totalBytes + 0x80000000n - 0x2000000n; // RAM above 4 GiB is remapped past the PCI hole
  const khz = Math.round(seed.cpuMhz * 1000);
  const mhz = `${Math.floor(khz / 1000)}.${String(khz % 1000).padStart(3, '0')}`;
  const sockets = Math.max(1, Math.ceil(seed.nrCpus / Math.max(1, seed.coresPerSocket * seed.threadsPerCore)));
  const dom0Pages = seed.dom0MemoryMiB * 256;

  lines.push(` Xen ${version}`);
  p(`Xen version ${version} (${BUILD.by}) (${BUILD.compiler}) debug=n ${BUILD.date}`);
  p(`Bootloader: ${BUILD.bootloader}`);
  p(`Command line: ${xenCommandLine(seed.dom0MemoryMiB)}`);
  p('Xen image load base address: 0');
  p('Video information:');
  p(' VGA is text mode 80x25, font 8x16');
  p(' VBE/DDC methods: V2; EDID transfer time: 1 seconds');
  p('Disc information:');
  p(' Found 1 MBR signatures');
  p(' Found 1 EDD information structures');
  p('CPU Vendor: Intel, Family 6 (0x6), Model 158 (0x9e), Stepping 10 (raw 000906ea)');
  p('Enabled features: APIC NX PCID SMEP SMAP IBRSB STIBP L1D_FLUSH SSBD');
  p('Xen-e820 RAM map:');
  p(' [0000000000000000, 000000000009d7ff] (usable)');
  p(' [000000000009d800, 000000000009ffff] (reserved)');
  p(' [00000000000e0000, 00000000000fffff] (reserved)');
  p(' [0000000000100000, 000000007dffffff] (usable)');
  p(' [000000007e000000, 000000007fffffff] (reserved)');
  p(' [00000000e0000000, 00000000efffffff] (reserved)');
  p(' [00000000fec00000, 00000000fec00fff] (reserved)');
  p(' [00000000fee00000, 00000000fee00fff] (reserved)');
  p(' [00000000ff000000, 00000000ffffffff] (reserved)');
  if (top > 0x100000000n) p(` [0000000100000000, ${hex(top - 1n, 16)}] (usable)`);
  p(`System RAM: ${seed.totalMemoryMiB}MB (${totalKiB}kB)`);
  p('ACPI: RSDP 000F05B0, 0024 (r2 ALASKA)');
  p('ACPI: XSDT 7DF1A0A8, 00C4 (r1 ALASKA   A M I   1072009 AMI     10013)');
  p('ACPI: FACP 7DF4E4B8, 0114 (r6 ALASKA   A M I   1072009 AMI     10013)');
  p('ACPI: DSDT 7DF1A200, 342B6 (r2 ALASKA   A M I   1072009 INTL 20160527)');
  p('ACPI: APIC 7DF4E5D0, 00BC (r4 ALASKA   A M I   1072009 AMI     10013)');
  p('ACPI: DMAR 7DF54C68, 00A8 (r1 INTEL  EDK2            2       1000013)');
  if (seed.nrNodes > 1) {
    p('SRAT: Node 0 PXM 0 [0000000000000000, 000000007fffffff]');
    p(`NUMA: Using ${seed.nrNodes} nodes from the SRAT`);
  } else {
    p('No NUMA configuration found');
    p(`Faking a node at 0000000000000000-${hex(top, 16)}`);
  }
  p('Domain heap initialised');
  p('SMBIOS 3.2 present.');
  p('Using APIC driver default');
  p('ACPI: PM-Timer IO Port: 0x1808 (32 bits)');
  p('ACPI: Local APIC address 0xfee00000');
  for (let i = 0; i < seed.nrCpus; i++) {
    p(`ACPI: LAPIC (acpi_id[0x${hex(i + 1, 2)}] lapic_id[0x${hex(i, 2)}] enabled)`);
  }
  p('ACPI: IOAPIC (id[0x02] address[0xfec00000] gsi_base[0])');
  p('IOAPIC[0]: apic_id 2, version 32, address 0xfec00000, GSI 0-119');
  p('Using ACPI (MADT) for SMP configuration information');
  p(`SMP: Allowing ${seed.nrCpus} CPUs (0 hotplug CPUs)`);
  p('IRQ limits: 120 GSI, 1432 MSI/MSI-X');
  p('Switched to APIC driver x2apic_mixed');
  p('xstate: size: 0x440 and states: 0x1f');
  p('Speculative mitigation facilities:');
  p('  Hardware hints: RSBA');
  p('  Hardware features: IBPB IBRS STIBP SSBD L1D_FLUSH MD_CLEAR');
  p('  Compiled-in support: INDIRECT_THUNK SHADOW_PAGING HARDEN_ARRAY HARDEN_BRANCH HARDEN_GUEST_ACCESS');
  p('Support for HVM VMs: MSR_SPEC_CTRL RSB EAGER_FPU MD_CLEAR');
  p('Support for PV VMs: MSR_SPEC_CTRL EAGER_FPU MD_CLEAR');
  p('  XPTI (64-bit PV only): Dom0 enabled, DomU enabled (with PCID)');
  p('  PV L1TF shadowing: Dom0 disabled, DomU enabled');
  if (seed.scheduler === 'credit2') {
    p('Initializing Credit2 scheduler');
    p(' load_precision_shift: 18');
    p(' load_window_shift: 30');
    p(' underload_balance_tolerance: 0');
    p(' overload_balance_tolerance: -3');
    p(' runqueues arrangement: socket');
    p(' cap enforcement granularity: 10ms');
    p('load tracking window length 1073741824 ns');
  } else {
    p('Initializing Credit scheduler');
  }
  p('Platform timer is 24.000MHz HPET');
  p(`Detected ${mhz} MHz processor.`);
  p('Intel VT-d iommu 0 supported page sizes: 4kB, 2MB, 1GB');
  p('Intel VT-d Snoop Control enabled.');
  p('Intel VT-d Dom0 DMA Passthrough not enabled.');
  p('Intel VT-d Queued Invalidation enabled.');
  p('Intel VT-d Interrupt Remapping enabled.');
  p('Intel VT-d Posted Interrupt not enabled.');
  p('Intel VT-d Shared EPT tables enabled.');
  p('I/O virtualisation enabled');
  p(' - Dom0 mode: Relaxed');
  p('Interrupt remapping enabled');
  p(`nr_sockets: ${sockets}`);
  p('Enabled directed EOI with ioapic_ack_old on!');
  p('Enabling APIC mode.  Using 1 I/O APICs');
  p('ENABLING IO-APIC IRQs');
  p(' -> Using old ACK method');
  p('..TIMER: vector=0xF0 apic1=0 pin1=2 apic2=-1 pin2=-1');
  p('TSC deadline timer enabled');
  p(`Allocated console ring of ${CONRING_SIZE / 1024} KiB.`);
  p('mwait-idle: MWAIT substates: 0x11142120');
  p('mwait-idle: v0.4.1 model 0x9e');
  p('mwait-idle: lapic_timer_reliable_states 0xffffffff');
  p('VMX: Supported advanced features:');
  p(' - APIC MMIO access virtualisation');
  p(' - APIC TPR shadow');
  p(' - Extended Page Tables (EPT)');
  p(' - Virtual-Processor Identifiers (VPID)');
  p(' - Virtual NMI');
  p(' - MSR direct-access bitmap');
  p(' - Unrestricted Guest');
  p(' - VMCS shadowing');
  p(' - VM Functions');
  p(' - Page Modification Logging');
  p('HVM: ASIDs enabled.');
  p('HVM: VMX enabled');
  p('HVM: Hardware Assisted Paging (HAP) detected');
  p('HVM: HAP page sizes: 4kB, 2MB, 1GB');
  p(`Brought up ${seed.nrCpus} CPUs`);
  p('Scheduling granularity: cpu, 1 CPU per sched-resource');
  if (seed.scheduler === 'credit2') {
    for (let i = 0; i < seed.nrCpus; i++) {
      p(`Adding cpu ${i} to runqueue 0`);
      if (i === 0) p(' First cpu on runqueue, activating');
    }
  }
  p('mcheck_poll: Machine check polling timer started.');
  p('NX (Execute Disable) protection active');
  p('d0 has maximum 1208 PIRQs');
  p('*** Building a PV Dom0 ***');
  p(' Xen  kernel: 64-bit, lsb');
  p(' Dom0 kernel: 64-bit, PAE, lsb, paddr 0x1000000 -> 0x4000000');
  p('PHYSICAL MEMORY ARRANGEMENT:');
  const allocEnd = top - 0x4000000n; // the initial ramdisk sits in the last 64 MiB
  const allocStart = allocEnd - BigInt(seed.dom0MemoryMiB) * 1048576n;
  p(` Dom0 alloc.:   ${hex(allocStart, 16)}->${hex(allocEnd, 16)} (${dom0Pages - 8192} pages to be allocated)`);
  p(` Init. ramdisk: ${hex(allocEnd + 0x1d4000n, 16)}->${hex(allocEnd + 0x2fff6b8n, 16)}`);
  p('VIRTUAL MEMORY ARRANGEMENT:');
  p(' Loaded kernel: ffffffff81000000->ffffffff84000000');
  p(` Phys-Mach map: 0000008000000000->${hex(0x8000000000n + BigInt(dom0Pages) * 8n, 16)}`);
  p(' Start info:    ffffffff84000000->ffffffff840004b8');
  p(' Page tables:   ffffffff84001000->ffffffff84026000');
  p(' Boot stack:    ffffffff84026000->ffffffff84027000');
  p(' TOTAL:         ffffffff80000000->ffffffff84400000');
  p(' ENTRY ADDRESS: ffffffff83c4b1c0');
  p(`Dom0 has maximum ${seed.dom0Vcpus} VCPUs`);
  p('Initial low memory virq threshold set at 0x4000 pages.');
  p('Scrubbing Free RAM in background');
  p('Std. Loglevel: Errors and warnings');
  p('Guest Loglevel: Nothing (Rate-limited: Errors and warnings)');
  p('Xen is relinquishing VGA console.');
  p("*** Serial input to DOM0 (type 'CTRL-a' three times to switch input)");
  p('Freed 664kB init memory');
  return `${lines.join('\n')}\n`;
}

/**
 * Appends `text` to the ring contents `ring` and keeps only the last `size` bytes
 * (default `CONRING_SIZE`), as Xen's `conring_puts` overwrites the oldest bytes; the
 * result may therefore start in the middle of a line, as `xl dmesg` output does after
 * the ring wrapped. Text is ASCII, so a string character is one byte.
 */
export function conringAppend(ring: string, text: string, size: number = CONRING_SIZE): string {
  const all = ring + text;
  return all.length > size ? all.slice(all.length - size) : all;
}
