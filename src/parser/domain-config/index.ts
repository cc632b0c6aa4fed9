/**
 * xl's `parse_config_data()` (tools/xl/xl_parse.c, Xen 4.20): turns a parsed config file
 * into a libxl_domain_config, in xl's order, with xl's warnings and fatal errors.
 *
 * One module per part of xl_parse.c, run in xl's order from {@link SECTIONS}:
 * `identity.ts` (type, name, uuid …), `memory.ts` (scheduler, memory, overheads),
 * `cpu.ts` (vCPUs, vNUMA, affinity, cpuid), `limits.ts` (grant limits, on_* actions),
 * `pci.ts`, `boot.ts` (kernel, bootloader, time), `hvm.ts` (per-type blocks, HVM
 * platform and display), `devices.ts` (disks, NICs and every other device),
 * `device-model.ts`, `arch.ts` (Arm, x86); `builder.ts` holds the {@link Builder} they
 * share and `types.ts` the option and result types. `xl-conf.ts` reads xl.conf.
 *
 * Reference: shared/reference/xl-cfg-format.md §2 (getters), §3 (every key), §4 (the
 * sub-grammars, implemented in `specs/`), §5.1 (order of processing, fatal messages,
 * exit codes), §5.2 (warnings).
 *
 * The result holds only fields xl sets (libxl's JSON leaves default-valued fields out,
 * so a field that is absent here is "libxl default"). Values are stored as libxl's JSON
 * prints them: enums as lower-case names, defbools as "True"/"False", bitmaps as lists
 * of set bit numbers, memory in KiB. Keys xl 4.20 does not read (xenstore_feature_mask,
 * xenstore_quota, altp2m_count, xen_platform_pci_bar_uc, trap_unmapped_accesses,
 * arm_sci: all 4.21+) are ignored as xl 4.20 ignores them.
 */
import type { ConfigFile } from '../config-file.js';
import { Builder, Exit } from './builder.js';
import type { BuildOptions, BuildResult } from './types.js';
import { identity } from './identity.js';
import { memoryOverheads, schedulerAndMemory } from './memory.js';
import { cpuid, vcpus } from './cpu.js';
import { grantsAndActions } from './limits.js';
import { pci } from './pci.js';
import { boot } from './boot.js';
import { hvmDisplay, typeSpecific } from './hvm.js';
import { disksAndDevices, inputAndVirtio, ioResources } from './devices.js';
import { deviceModelStep } from './device-model.js';
import { arm, lastOptions } from './arch.js';

export * from './types.js';
export { getterWarningCode, XEN_FIRMWARE_DIR } from './builder.js';
export { requiredIommuKb, requiredShadowKb } from './memory.js';
export { XEN_MAX_VCPUS } from './cpu.js';

/**
 * The sections of parse_config_data in the order xl runs them (xl-cfg-format.md §5.1,
 * steps 2–36), each with the steps it covers. A section may stop the run the way xl
 * exits (`Builder.fatal`).
 */
export const SECTIONS: ReadonlyArray<readonly [string, (b: Builder) => void]> = [
  ['identity (steps 2–9)', identity],
  ['scheduler and memory (10–11)', schedulerAndMemory],
  ['vCPUs, vNUMA, memory defaults, affinity (12–15)', vcpus],
  ['grant limits and on_* actions (16–17)', grantsAndActions],
  ['PCI, rdm, dtdev, passthrough (18–20)', pci],
  ['shadow and IOMMU memory, nomigrate, tsc_mode (21)', memoryOverheads],
  ['boot: kernel, command line, bootloader, timer_mode (22–24)', boot],
  ['per-type block, altp2m (25–26)', typeSpecific],
  ['ioports, irqs, iomem (27)', ioResources],
  ['disks and devices (28–29)', disksAndDevices],
  ['cpuid (30)', cpuid],
  ['device model, PV vnc/sdl (31–32)', deviceModelStep],
  ['HVM display and platform (33)', hvmDisplay],
  ['Arm (34)', arm],
  ['vkb, virtio (35)', inputAndVirtio],
  ['last options (36)', lastOptions],
];

/**
 * Builds the libxl_domain_config xl would build from `file`, as `parse_config_data()`
 * in tools/xl/xl_parse.c (Xen 4.20) does, following xl-cfg-format.md §5.1 step by step
 * (steps 2–36; step 0 is the host, step 1 the parse, both done by the caller) and
 * stopping at the first fatal error exactly as xl does.
 *
 * @param file the parsed config (`parseConfig(...).file`); a file that failed to parse
 *   must not get here (xl stops at `Failed to parse config`).
 * @param opts `facts` (pCPUs/nodes for cpus= and vnuma=), `source` (the file name as
 *   typed, used in messages), `xlConf` (xl.conf values), `random` (for the generated
 *   UUID and VM generation ID).
 * @returns `config` (undefined when xl would exit), `messages` in xl's order (getter
 *   warnings, §5.2 warnings, spec messages, then the fatal message), `exitCode` when xl
 *   would exit: 1 for most errors; 3 (`-ERROR_FAIL`) for the pygrub check, timer_mode on PV,
 *   bootloader_args, viridian, mca_caps, device_model_args*, serial, usbdevice,
 *   vendor_device, gic_version, tee; 6 or 3 for pci (from the pci parser). Never throws:
 *   an unexpected internal failure comes back as an XL199 message with exit code 255.
 *
 * vCPUs: `vcpus=` sets `avail_vcpus` (vCPUs 0…vcpus−1; values below 1 count as 1, as
 * the sheet states) and is the default for `max_vcpus`; without `vcpus=`, `max_vcpus` is 1
 * and `avail_vcpus` is left to libxl (xl allocates the bitmap only when the key is there).
 *
 * Memory: `memory=`/`maxmem=` MiB become `b_info.target_memkb`/`max_memkb` KiB, each
 * defaulting to the other; `shadow_memkb` is computed like
 * `libxl_get_required_shadow_memory` (4 × (256 × max_vcpus + 2 × maxmem MiB) KiB) when
 * `shadow_memory=` is absent, as xl does, and `iommu_memkb` like
 * `libxl_get_required_iommu_memory` (decision: xl 4.13+ fills both in parse_config_data).
 */
export function buildDomainConfig(file: ConfigFile, opts: BuildOptions): BuildResult {
  const b = new Builder(file, opts);
  try {
    for (let i = 0; i < SECTIONS.length; i++) SECTIONS[i]![1](b);
    return { config: b.d, messages: b.messages };
  } catch (e) {
    if (e instanceof Exit) return { messages: b.messages, exitCode: e.code };
    b.messages.push({
      text: '',
      severity: 'error',
      code: 'XL199',
      message: `internal error while building the domain config: ${e instanceof Error ? e.message : String(e)}`,
    });
    return { messages: b.messages, exitCode: 255 };
  }
}
