/**
 * xl_parse.c: scheduler parameters, memory (`memory`, `maxmem`, `llc_colors`) and the shadow/IOMMU overheads xl computes (libxl_get_required_shadow_memory, libxl_get_required_iommu_memory in tools/libs/light/libxl_utils.c). Sizes: MiB in the config, KiB in libxl.
 */
import { listItem } from '../getters.js';
import { INT_MAX, TSC_MODES, enumFromString, U64_MAX, num, kb, i32, scanU32, Builder, setIf } from './builder.js';

/**
 * `libxl_get_required_shadow_memory(maxmem_kb, smp_cpus)` (tools/libs/light/libxl_utils.c):
 * 4 × (256 × vCPUs + 2 × maxmem MiB) KiB — 1 MiB per vCPU plus 8 KiB per MiB of RAM.
 * Input and result in KiB, as uint64.
 */
export function requiredShadowKb(maxMemKb: bigint, vcpus: number): bigint {
  return BigInt.asUintN(64, 4n * (256n * BigInt(Math.trunc(vcpus)) + 2n * (maxMemKb / 1024n)));
}

/**
 * `libxl_get_required_iommu_memory(maxmem_kb)` (tools/libs/light/libxl_utils.c): the
 * pages of a 4-level, 512-entry IOMMU page table covering maxmem. Input and result in KiB.
 */
export function requiredIommuKb(maxMemKb: bigint): bigint {
  let pages = maxMemKb / 4n;
  let total = 0n;
  for (let level = 0; level < 4; level++) {
    pages = (pages + 511n) / 512n;
    total += pages;
  }
  return BigInt.asUintN(64, total * 4n);
}

/** Largest max_memkb (KiB) for which the number forms below stay exact (2^40 KiB = 1 PiB). */
export const MAX_EXACT_KB = 2 ** 40;

/** {@link requiredShadowKb} in plain numbers, for 0 ≤ maxMemKb ≤ 2^40 KiB and 0 ≤ vcpus ≤ INT_MAX (exact there). */
export function requiredShadowKbNum(maxMemKb: number, vcpus: number): number {
  return 4 * (256 * Math.trunc(vcpus) + 2 * Math.floor(maxMemKb / 1024));
}

/** {@link requiredIommuKb} in plain numbers, for 0 ≤ maxMemKb ≤ 2^40 KiB (exact there). */
export function requiredIommuKbNum(maxMemKb: number): number {
  let pages = Math.floor(maxMemKb / 4);
  let total = 0;
  for (let level = 0; level < 4; level++) {
    pages = Math.floor((pages + 511) / 512);
    total += pages;
  }
  return total * 4;
}

/**
 * The most LLC colours any Xen build has: NR_LLC_COLORS = 1 << CONFIG_LLC_COLORS_ORDER
 * (xen/common/llc-coloring.c), the order being at most 10 (xen/common/Kconfig).
 */
export const MAX_LLC_COLORS = 1 << 10;

/** Steps 10–11: scheduler parameters, `memory`/`maxmem` read (MiB, kept on the builder for the vNUMA and overhead steps), and `llc_colors`. */
export function schedulerAndMemory(b: Builder): void {
  const { b_info } = b;
  // step 10: scheduler, memory
  const sp = b_info.sched_params;
  const weight = b.long('cpu_weight');
  if (weight !== undefined) sp.weight = i32(weight);
  const cap = b.long('cap');
  if (cap !== undefined) sp.cap = i32(cap);
  const period = b.long('period');
  if (period !== undefined) sp.period = i32(period);
  const slice = b.long('slice');
  if (slice !== undefined) sp.slice = i32(slice);
  const latency = b.long('latency');
  if (latency !== undefined) sp.latency = i32(latency);
  const extratime = b.long('extratime');
  if (extratime !== undefined) sp.extratime = i32(extratime);
  if (sp.weight === -1) delete sp.weight;
  if (sp.cap === -1) delete sp.cap;
  if (sp.period === -1) delete sp.period;
  if (sp.slice === -1) delete sp.slice;
  if (sp.latency === -1) delete sp.latency;
  if (sp.extratime === -1) delete sp.extratime;

  b.memory = b.long('memory');
  b.maxmem = b.long('maxmem');

  // step 11: llc_colors (4.20)
  const llc = b.list('llc_colors');
  if (llc) {
    const colors: number[] = [];
    for (let i = 0; i < llc.items.length; i++) {
      const range = listItem(llc, i);
      if (range === undefined) b.fatal(`xl: Can't get element ${i} in LLC color list\n`, 'XL129', 1, 'llc_colors');
      const a = scanU32(range);
      let start: number;
      let end: number;
      const two = a && range[a.end] === '-' ? scanU32(range, a.end + 1) : undefined;
      if (a && two) {
        start = a.value;
        end = two.value;
        if (start > end) b.fatal(`xl: Start LLC color is greater than end: ${range}\n`, 'XL129', 1, 'llc_colors');
      } else if (a) {
        start = end = a.value;
      } else {
        b.fatal(`xl: Invalid LLC color range: ${range}\n`, 'XL129', 1, 'llc_colors');
      }
      // xl reallocs an array of every colour; past what any Xen accepts, stop here rather
      // than build it (docs/compat.md)
      if (colors.length + (end - start + 1) > MAX_LLC_COLORS) {
        const s = b.setting('llc_colors');
        b.fatal(
          `${s ? `${b.opts.source}:${s.lineno}: ` : ''}llc_colors: more than ${MAX_LLC_COLORS} colours; no Xen build has more (NR_LLC_COLORS, LLC_COLORS_ORDER at most 10)\n`,
          'XL129',
          1,
          'llc_colors',
          `llc_colors adds up to more than ${MAX_LLC_COLORS} colours; no Xen build has more (NR_LLC_COLORS): xl would try to allocate them all`,
        );
      }
      for (let c = start; c <= end; c++) colors.push(c);
    }
    if (colors.length) b_info.llc_colors = colors;
  }
}

/** Step 21: `shadow_memory` (or xl's computed shadow and IOMMU overheads), `nomigrate`, `tsc_mode`. */
export function memoryOverheads(b: Builder): void {
  const { b_info } = b;
  // step 21: shadow_memory, nomigrate, tsc_mode. xl computes the shadow and IOMMU page
  // table overheads itself once vcpus and b.memory are final (xl_parse.c comment on
  // libxl_get_required_shadow_memory / libxl_get_required_iommu_memory); an unset
  // max_memkb is LIBXL_MEMKB_DEFAULT (~0) in that arithmetic.
  const maxKbNum = b_info.max_memkb as number | bigint | undefined;
  const exact = typeof maxKbNum === 'number' && maxKbNum >= 0 && maxKbNum <= MAX_EXACT_KB && b.maxVcpus >= 0 && b.maxVcpus <= INT_MAX;
  const maxKb = exact ? 0n : maxKbNum === undefined ? U64_MAX : BigInt(maxKbNum);
  const shadow = b.long('shadow_memory');
  if (shadow !== undefined) {
    b_info.shadow_memkb = kb(shadow) as number;
  } else {
    b_info.shadow_memkb = exact ? requiredShadowKbNum(maxKbNum, b.maxVcpus) : (num(requiredShadowKb(maxKb, b.maxVcpus)) as number);
  }
  b_info.iommu_memkb = exact ? requiredIommuKbNum(maxKbNum) : (num(requiredIommuKb(maxKb)) as number);
  setIf(b_info, 'disable_migrate', b.defbool('nomigrate'));
  const tscNum = b.long('tsc_mode', true);
  if (tscNum !== undefined) {
    const nm = tscNum >= 0 && tscNum < TSC_MODES.length ? TSC_MODES[tscNum] : undefined;
    b.say(
      'WARNING: specifying "tsc_mode" as an integer is deprecated. Please use the named parameter variant. ' +
        (nm ? `e.g. tsc_mode="${nm}"` : '') +
        '\n',
      'warning',
      'XL154',
      'tsc_mode',
    );
    if (nm === undefined) b.fatal(`ERROR: invalid value ${tscNum} for "tsc_mode"\n`, 'XL119', 1, 'tsc_mode');
    if (nm !== 'default') b_info.tsc_mode = nm;
  } else {
    const tscStr = b.str('tsc_mode');
    if (tscStr !== undefined) {
      b.say(`got a tsc mode string: "${tscStr}"\n`, 'warning', 'XL162', 'tsc_mode');
      const m = enumFromString(tscStr, TSC_MODES);
      if (m === undefined) b.fatal(`ERROR: invalid value "${tscStr}" for "tsc_mode"\n`, 'XL119', 1, 'tsc_mode');
      if (m !== 'default') b_info.tsc_mode = m;
    }
  }
}
