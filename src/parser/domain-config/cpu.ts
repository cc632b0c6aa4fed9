/**
 * xl_parse.c: vCPUs (`vcpus`, `maxvcpus`, vNUMA, `cpus`/`cpus_soft` affinity) and `cpuid`.
 */
import { listItem } from '../getters.js';
import { parseCpuidList, parseCpuidString } from '../specs/cpuid.js';
import { parseCpuList, type CpuTopology } from '../specs/cpumap.js';
import type { SpecResult } from '../specs/types.js';
import { parseVnuma } from '../specs/vnuma.js';
import { enumFromString, kb, i32, Builder, softSpec } from './builder.js';

/**
 * MAX_VIRT_CPUS of Xen on x86 (xen/arch/x86/include/asm/config.h: GDT_LDT_MBYTES <<
 * (20 − GDT_LDT_VCPU_VA_SHIFT) = 1024 << 3): the most vCPUs any guest can have.
 * arch_sanitise_domain_config (xen/arch/x86/domain.c) refuses more (HVM and PVH guests:
 * HVM_MAX_VCPUS, 128), and libxl refuses an avail_vcpus bitmap of more than
 * HVM_MAX_VCPUS bytes (libxl_create.c, "avail_vcpus bitmap contains too many VCPUS").
 */
export const XEN_MAX_VCPUS = 8192;

/**
 * The size in bits of the avail_vcpus bitmap xl allocates for `vcpus=`:
 * `libxl_cpu_bitmap_alloc(ctx, &b_info->avail_vcpus, l)` (tools/xl/xl_parse.c, Xen 4.20)
 * with `l` converted to the function's int parameter (`nBits`). libxl_cpu_bitmap_alloc
 * (tools/libs/light/libxl_utils.c) refuses a negative count (xl then prints "Unable to
 * allocate cpumap" and exits 1), takes 0 as "the host's CPU count" (libxl_get_max_cpus),
 * and rounds up to whole bytes (libxl_bitmap_alloc). Returns the bit capacity; nothing is
 * allocated here.
 */
export function cpuBitmapBits(b: Builder, nBits: number): number {
  if (nBits < 0) {
    b.say('libxl: error: libxl_utils.c:812:libxl_cpu_bitmap_alloc: invalid number of cpus provided\n', 'error', 'XL143', 'vcpus');
    b.fatal('Unable to allocate cpumap\n', 'XL143', 1, 'vcpus', `vcpus = ${b.str('vcpus', true) ?? nBits} is ${nBits} as the C int libxl takes; libxl refuses a negative vCPU count`);
  }
  const bits = nBits === 0 ? b.opts.facts.nrCpus : nBits;
  return Math.ceil(bits / 8) * 8;
}

/**
 * Refuses a vCPU count no Xen accepts ({@link XEN_MAX_VCPUS}), before anything sized per
 * vCPU (avail_vcpus, the affinity arrays) is built. Real xl goes on and fails when the
 * domain is created (libxl or Xen refuse it) after allocating per-vCPU arrays of that
 * size; xlsim stops here with a located error instead (docs/compat.md).
 */
export function checkVcpuLimit(b: Builder, maxVcpus: number, key: string): void {
  if (maxVcpus <= XEN_MAX_VCPUS) return;
  const s = b.setting(key);
  const where = s ? `${b.opts.source}:${s.lineno}: ` : '';
  const what = key === 'vnuma' ? `vnuma gives ${maxVcpus} vCPUs` : `${key} = ${maxVcpus}`;
  b.fatal(
    `${where}${what}: Xen allows at most ${XEN_MAX_VCPUS} vCPUs per guest (MAX_VIRT_CPUS; HVM and PVH guests ${HVM_MAX_VCPUS})\n`,
    'XL144',
    1,
    key,
    `${what}: more vCPUs than Xen allows (at most ${XEN_MAX_VCPUS} per guest, ${HVM_MAX_VCPUS} for HVM and PVH guests); xl would fail when creating the domain`,
  );
}

/** HVM_MAX_VCPUS (xen/include/public/hvm/hvm_info_table.h). */
export const HVM_MAX_VCPUS = 128;

/** `cpus` / `cpus_soft` (parse_vcpu_affinity, xl_parse.c; xl-cfg-format.md §4.8). */
export function affinity(b: Builder, key: 'cpus' | 'cpus_soft', hard: boolean): void {
  const topo: CpuTopology = b.opts.facts;
  const maxVcpus = b.b_info.max_vcpus ?? 1;
  const list = b.list(key, true);
  let masks: number[][] | undefined;
  if (list) {
    const n = Math.min(list.items.length, maxVcpus);
    masks = [];
    for (let i = 0; i < n; i++) {
      const item = listItem(list, i) ?? '';
      const r = b.spec(parseCpuList(item, topo), key);
      masks.push(r ?? []);
    }
  } else {
    const s = b.str(key);
    if (s === undefined) return;
    masks = [];
    // xl parses the same string once per vCPU; the result is the same each time, so
    // parse it once (its messages are only fatal ones, reported by the first parse).
    if (maxVcpus > 0) {
      const r = b.spec(parseCpuList(s, topo), key) ?? [];
      for (let i = 0; i < maxVcpus; i++) masks.push(i === 0 ? r : r.slice());
    }
  }
  b.b_info[hard ? 'vcpu_hard_affinity' : 'vcpu_soft_affinity'] = masks;
  if (!hard || list) b.b_info.numa_placement = 'False';
}

/** Steps 12–15: `vcpus`, `maxvcpus` and `vuart`; vNUMA; the memory and vCPU defaults with xl's `maxvcpus < vcpus` check and the Xen limit; `cpus`/`cpus_soft` affinity. */
export function vcpus(b: Builder): void {
  const { b_info } = b;
  const facts = b.opts.facts;
  // step 12: vcpus, maxvcpus, vuart. xl keeps `vcpus` in a C long but hands it to
  // libxl_cpu_bitmap_alloc(ctx, &avail_vcpus, l), whose parameter is an int.
  const vcpusVal = b.long('vcpus');
  let vcpusLong = 1;
  let availBits = 0;
  if (vcpusVal !== undefined) {
    vcpusLong = vcpusVal < 1 ? 1 : Math.trunc(vcpusVal);
    availBits = cpuBitmapBits(b, i32(vcpusLong));
    b.vcpus = vcpusLong;
  }
  b.maxVcpus = 0;
  const maxvcpusVal = b.long('maxvcpus');
  if (maxvcpusVal !== undefined) b.maxVcpus = i32(maxvcpusVal);
  const vuart = b.str('vuart');
  if (vuart !== undefined) {
    const v = enumFromString(vuart, ['unknown', 'sbsa_uart']);
    if (v === undefined) b.fatal(`ERROR: invalid value "${vuart}" for "vuart"\n`, 'XL119', 1, 'vuart');
    if (v !== 'unknown') b_info.arch_arm.vuart = v;
  }

  // step 13: vnuma
  let maxMemKb: number | bigint | undefined = b.maxmem !== undefined ? kb(b.maxmem) : undefined;
  const targetMemKb: number | bigint | undefined = b.memory !== undefined ? kb(b.memory) : undefined;
  const vnuma = b.list('vnuma');
  if (vnuma) {
    const r = b.spec(
      parseVnuma(vnuma.items, {
        nrCpus: facts.nrCpus,
        nrNodes: facts.nrNodes,
        ...(b.maxVcpus ? { maxvcpus: b.maxVcpus } : {}),
        ...(b.maxmem !== undefined ? { maxmemMiB: b.maxmem } : {}),
        source: b.opts.source,
      }),
      'vnuma',
    );
    if (r && r.nodes.length) {
      b_info.vnuma_nodes = r.nodes;
      if (!b.maxVcpus) b.maxVcpus = r.maxvcpus;
      if (maxMemKb === undefined) maxMemKb = kb(r.maxmemMiB);
      b_info.numa_placement = 'False';
    }
  }

  // step 14: defaults and the vcpus check
  const finalMax = maxMemKb ?? targetMemKb;
  const finalTarget = targetMemKb ?? maxMemKb;
  if (finalMax !== undefined) b_info.max_memkb = finalMax as number;
  if (finalTarget !== undefined) b_info.target_memkb = finalTarget as number;
  // `b_info->max_vcpus = vcpus`: the long stored into libxl's int field
  if (b.maxVcpus === 0) b.maxVcpus = i32(b.vcpus);
  // the int field compared with the long: any vcpus above INT_MAX fails here
  if (b.maxVcpus < b.vcpus) b.fatal('xl: maxvcpus < vcpus\n', 'XL114', 1, b.has('maxvcpus') ? 'maxvcpus' : 'vcpus');
  checkVcpuLimit(b, b.maxVcpus, maxvcpusVal !== undefined ? 'maxvcpus' : b.has('vnuma') && !b.has('vcpus') ? 'vnuma' : 'vcpus');
  b_info.max_vcpus = b.maxVcpus;
  // xl allocates the avail_vcpus bitmap only inside its `vcpus=` branch; libxl_bitmap_set
  // ignores bits past the bitmap, so at most `availBits` vCPUs are marked available.
  if (vcpusVal !== undefined) {
    const n = Math.min(b.vcpus, availBits);
    const avail: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) avail[i] = i;
    b_info.avail_vcpus = avail;
  }

  // step 15: cpus, cpus_soft
  affinity(b, 'cpus', true);
  affinity(b, 'cpus_soft', false);
}

/** Step 30: `cpuid` (list or libxl string form). */
export function cpuid(b: Builder): void {
  const { b_info } = b;
  // step 30: cpuid
  {
    const l = b.list('cpuid', true);
    if (l) {
      const items: string[] = [];
      for (let i = 0; ; i++) {
        const it = listItem(l, i);
        if (it === undefined) break;
        items.push(it);
      }
      const r = parseCpuidList(items) as SpecResult<unknown>;
      softSpec(b, r, 'cpuid', (v) => (b_info.cpuid = v));
    } else {
      const s = b.str('cpuid');
      if (s !== undefined) {
        const r = parseCpuidString(s) as SpecResult<unknown>;
        softSpec(b, r, 'cpuid', (v) => (b_info.cpuid = v));
      }
    }
  }
}
