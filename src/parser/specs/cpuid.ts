/**
 * x86 CPUID policy strings (`cpuid=`), as parse_config_data in tools/xl/xl_parse.c
 * hands them to libxl_cpuid_parse_config / libxl_cpuid_parse_config_xend
 * (tools/libs/light/libxl_cpuid.c; xl-cfg-format.md §4.17). Errors are printed and
 * the offending field or line skipped: never fatal.
 */

import type { SpecMessage, SpecResult } from './types.js';
import { q, specMessage, strtok, strtoul } from './split.js';

/**
 * libxl_cpuid.c's own `cpuid_flags[]` table (legacy names and the numeric fields):
 * name → bit-field width (1 = a single feature flag, more = a numeric field).
 */
export const CPUID_LEGACY_FLAGS: Readonly<Record<string, number>> = {
  maxleaf: 32,
  stepping: 4,
  model: 8,
  family: 8,
  brandid: 8,
  clflush: 8,
  proccount: 8,
  localapicid: 8,
  est: 1,
  cntxid: 1,
  cmpxchg16: 1,
  sse4_1: 1,
  'sse4.1': 1,
  sse4_2: 1,
  'sse4.2': 1,
  aes: 1,
  cmpxchg8: 1,
  sysenter: 1,
  psn: 1,
  clfsh: 1,
  tm: 1,
  pbe: 1,
  arat: 1,
  tsc_adjust: 1,
  cmt: 1,
  lahfsahf: 1,
  cmplegacy: 1,
  altmovcr8: 1,
  nodeid: 1,
  perfctr_core: 1,
  perfctr_nb: 1,
  procpkg: 6,
  invtsc: 1,
  nc: 8,
  apicidsize: 4,
  svm_npt: 1,
  svm_lbrv: 1,
  svm_nrips: 1,
  svm_tscrate: 1,
  svm_vmcbclean: 1,
  svm_decode: 1,
  svm_pausefilt: 1,
  'lfence+': 1,
  maxhvleaf: 8,
};

/**
 * Feature names from xen/include/public/arch-x86/cpufeatureset.h as libxl looks them up
 * (`INIT_FEATURE_NAMES`: lower case, `_` → `-`). xlsim's copy of that list; a name
 * outside it is reported as `unknown CPUID flag name`.
 */
export const CPUID_FEATURE_NAMES: ReadonlySet<string> = new Set(
  (
    // leaf 1 edx / ecx
    'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush ds acpi mmx fxsr sse sse2 ss htt tm1 pbe ' +
    'sse3 pclmulqdq dtes64 monitor dscpl vmx smx eist tm2 ssse3 fma cx16 xtpr pdcm pcid dca sse4-1 sse4-2 x2apic movbe popcnt ' +
    'tsc-deadline aesni xsave osxsave avx f16c rdrand hypervisor ' +
    // 0x80000001 edx / ecx
    'syscall nx mmxext ffxsr page1gb rdtscp lm 3dnowext 3dnow ' +
    'lahf-lm cmp-legacy svm extapic cr8-legacy abm sse4a misalignsse 3dnowprefetch osvw ibs xop skinit wdt lwp fma4 ' +
    'nodeid-msr tbm topoext perfctr-core perfctr-nb dbext monitorx ' +
    // 0xd:1 eax
    'xsaveopt xsavec xgetbv1 xsaves ' +
    // 7:0 ebx
    'fsgsbase tsc-adjust sgx bmi1 hle avx2 fdp-excp-only smep bmi2 erms invpcid rtm pqm no-fpu-sel mpx pqe avx512f ' +
    'avx512dq rdseed adx smap avx512-ifma clflushopt clwb proc-trace avx512pf avx512er avx512cd sha avx512bw avx512vl ' +
    // 7:0 ecx
    'prefetchwt1 avx512-vbmi umip pku ospke waitpkg avx512-vbmi2 cet-ss gfni vaes vpclmulqdq avx512-vnni avx512-bitalg ' +
    'tme avx512-vpopcntdq la57 rdpid cldemote movdiri movdir64b enqcmd pks ' +
    // 0x80000007 edx, 0x80000008 ebx
    'itsc efro clzero rstr-fp-err-ptrs wbnoinvd ibpb ibrs amd-stibp ibrs-always stibp-always ibrs-fast ibrs-same-mode ' +
    'no-lmsl amd-ppin amd-ssbd virt-ssbd ssb-no psfd btc-no ibpb-ret ' +
    // 7:0 edx
    'avx512-4vnniw avx512-4fmaps fsrm uintr avx512-vp2intersect srbds-ctrl md-clear rtm-always-abort tsx-force-abort ' +
    'serialize hybrid tsxldtrk pconfig arch-lbr cet-ibt amx-bf16 avx512-fp16 amx-tile amx-int8 ibrsb stibp l1d-flush ' +
    'arch-caps core-caps ssbd ' +
    // 7:1 eax, 0x80000021 eax, 7:1 ebx/edx, 7:2 edx
    'sha512 sm3 sm4 avx-vnni avx512-bf16 fzrm fsrs fsrcs fred lkgs wrmsrns nmi-src amx-fp16 hreset avx-ifma lam msrlist ' +
    'no-nest-bp fs-gs-ns lfence-dispatch verw-clear nscb auto-ibrs cpuid-user-dis sbpb ibpb-brtype srso-no srso-us-no ' +
    'srso-msr-fix tsa-sq-no tsa-l1-no intel-ppin avx-vnni-int8 avx-ne-convert amx-complex avx-vnni-int16 utmr prefetchi ' +
    'user-msr cet-sss avx10 intel-psfd ipred-ctrl rrsba-ctrl ddp-ctrl bhi-ctrl mcdt-no ' +
    // MSR_ARCH_CAPABILITIES
    'rdcl-no eibrs rsba skip-l1dfl intel-ssb-no mds-no if-pschange-mc-no tsx-ctrl taa-no mcu-ctrl misc-package-ctrls ' +
    'energy-filtering doitm sbdr-ssdp-no fbsdp-no psdp-no mcu-enumeration fb-clear fb-clear-ctrl rrsba bhi-no ' +
    'xapic-status ovrclk-status pbrsb-no gds-ctrl gds-no rfds-no rfds-clear ign-umonitor mon-umon-mitg its-no'
  ).split(' '),
);

/** One accepted `KEY=VAL` of the libxl form: the key and the value as written. */
export interface CpuidSetting {
  key: string;
  value: string;
}

/** One xend-form CPUID line after parsing: leaf, optional subleaf, and 32-char register policies. */
export interface CpuidLeafPolicy {
  leaf: number;
  subleaf?: number;
  eax?: string;
  ebx?: string;
  ecx?: string;
  edx?: string;
}

const LIBXL_ERRORS: Record<number, string> = {
  1: 'missing "=" in key=value',
  2: 'unknown CPUID flag name',
  3: 'illegal CPUID value (must be: [0|1|x|k|s])',
};

/** libxl_cpuid_parse_config for one `KEY=VAL` field: 0 on success, else the error number. */
function parseCpuidField(field: string): number {
  const eq = field.indexOf('=');
  if (eq < 0) return 1;
  const name = field.slice(0, eq);
  const val = field.slice(eq + 1);
  if (Object.prototype.hasOwnProperty.call(CPUID_LEGACY_FLAGS, name)) {
    if (strtoul(val, 0).end !== 0) return 0;
    return val[0] === 'x' || val[0] === 'k' || val[0] === 's' ? 0 : 3;
  }
  if (!CPUID_FEATURE_NAMES.has(name)) return 2;
  return '01xks'.includes(val[0] ?? '\u0000') && val.length > 0 ? 0 : 3;
}

/**
 * Parse the libxl form `cpuid="host,KEY=VAL,…"`.
 *
 * The string is cut with `strtok` at `,` (no space skipping: `" sse=0"` is an unknown
 * name). The first field must be exactly `host`, else xl prints
 * `while parsing CPUID string: "<s>":\n` + `  error: first word must be "host"\n` and
 * ignores the whole option (value undefined, no exit). Each later field is `KEY=VAL`:
 * KEY a legacy libxl name ({@link CPUID_LEGACY_FLAGS}: VAL a number (`strtoul` base 0,
 * trailing junk ignored) or starting with `x`, `k`, `s`) or a featureset name
 * ({@link CPUID_FEATURE_NAMES}: VAL's first character one of `0 1 x k s`). A bad field
 * prints `while parsing CPUID flag: "<f>":\n` + `  error #<n>: <what>\n` (n = 1 missing
 * "=", 2 unknown name, 3 illegal value) and is skipped.
 *
 * Returns `{ host: true, settings: [{ key, value }] }` with the accepted fields in order
 * (an empty string, which xl ignores, gives `{ host: true, settings: [] }`). Messages are
 * warnings with code XL313; never an exit code. xlsim does not turn the settings into
 * libxl's per-leaf register policies.
 */
export function parseCpuidString(text: string): SpecResult<Record<string, unknown>> {
  const messages: SpecMessage[] = [];
  const fields = strtok(text, ',');
  if (fields.length === 0) return { value: { host: true, settings: [] }, messages };
  if (fields[0]!.text !== 'host') {
    messages.push(
      specMessage(
        'XL313',
        'warning',
        `while parsing CPUID string: "${text}":\n  error: first word must be "host"\n`,
        `cpuid string ${q(text)} must start with "host,"; xl ignores the whole cpuid option`,
        [fields[0]!.start, fields[0]!.start + fields[0]!.text.length],
      ),
    );
    return { messages };
  }
  const settings: CpuidSetting[] = [];
  for (const f of fields.slice(1)) {
    const rc = parseCpuidField(f.text);
    if (rc === 0) {
      const eq = f.text.indexOf('=');
      settings.push({ key: f.text.slice(0, eq), value: f.text.slice(eq + 1) });
      continue;
    }
    messages.push(
      specMessage(
        'XL313',
        'warning',
        `while parsing CPUID flag: "${f.text}":\n  error #${rc}: ${LIBXL_ERRORS[rc]}\n`,
        rc === 2
          ? `unknown CPUID flag name in ${q(f.text)} (xl skips it; names are libxl's legacy names or cpufeatureset.h names in lower case with "-")`
          : `CPUID flag ${q(f.text)} is skipped: ${LIBXL_ERRORS[rc]}`,
        [f.start, f.start + f.text.length],
      ),
    );
  }
  return { value: { host: true, settings }, messages };
}

const XEND_ERRORS: Record<number, string> = {
  1: 'illegal leaf number',
  2: 'illegal subleaf number',
  3: 'missing colon',
  4: 'invalid register name (must be e[abcd]x)',
  5: 'policy string must be exactly 32 characters long',
};

const REGS = ['eax', 'ebx', 'ecx', 'edx'] as const;

/**
 * libxl_cpuid_parse_config_xend for one line, applied to `policies` (register strings set
 * before an error stay set, as in libxl). Returns 0 or the error number.
 */
function parseXendLine(line: string, policies: CpuidLeafPolicy[]): number {
  const a = strtoul(line, 0);
  if (a.end === 0) return 1;
  const leaf = Number(BigInt.asUintN(32, a.value));
  let subleaf: number | undefined;
  let p = a.end;
  if (line[p] === ',') {
    const rest = line.slice(p + 1);
    const b = strtoul(rest, 0);
    if (b.end === 0) return 2;
    subleaf = Number(BigInt.asUintN(32, b.value));
    p = p + 1 + b.end;
  }
  if (line[p] !== ':') return 3;
  // cpuid_find_match: reuse the entry for the same leaf/subleaf, else append one.
  // 0xffffffff is libxl's "unused" subleaf marker.
  const unused = subleaf === undefined || subleaf === 0xffffffff;
  let entry = policies.find((e) => e.leaf === leaf && (unused ? e.subleaf === undefined : e.subleaf === subleaf));
  if (entry === undefined) {
    entry = unused ? { leaf } : { leaf, subleaf };
    policies.push(entry);
  }
  let s = p + 1;
  while (s < line.length) {
    if (line[s] !== 'e' || line[s + 2] !== 'x') return 4;
    const reg = (line.charCodeAt(s + 1) || 0) - 97;
    const eq = line.indexOf('=', s);
    if (reg < 0 || reg > 3 || eq < 0) return 4;
    const vStart = eq + 1;
    let vEnd = line.indexOf(',', vStart);
    if (vEnd < 0) vEnd = line.length;
    if (vEnd - vStart !== 32) return 5;
    entry[REGS[reg]!] = line.slice(vStart, vEnd);
    if (vEnd >= line.length) break;
    s = vEnd + 1;
    while (line[s] === ' ' || line[s] === '\n') s++;
  }
  return 0;
}

/**
 * Parse the xend form `cpuid=[ "LEAF[,SUBLEAF]:REG=BITS[,REG=BITS…]", … ]`.
 *
 * LEAF and SUBLEAF are `strtoul` base 0; REG is `e?x` with `?` in a–d (libxl only checks
 * the first and third characters, then jumps to the next `=`); BITS is exactly 32
 * characters (not checked further); spaces and newlines may follow each `,` between
 * registers. A bad line prints `while parsing CPUID line: "<s>":\n` +
 * `  error #<n>: <what>\n` (1 illegal leaf, 2 illegal subleaf, 3 missing colon,
 * 4 invalid register name, 5 policy length) and parsing goes on with the next line;
 * registers set before the error in that line are kept.
 *
 * Returns `{ cpuid: [{ leaf, subleaf?, eax?, ebx?, ecx?, edx? }] }` — libxl's
 * `libxl_cpuid_policy_list` JSON shape, one entry per distinct leaf/subleaf in first-seen
 * order. Messages are XL313 warnings; never an exit code.
 */
export function parseCpuidList(items: string[]): SpecResult<Record<string, unknown>> {
  const messages: SpecMessage[] = [];
  const policies: CpuidLeafPolicy[] = [];
  for (const line of items) {
    const rc = parseXendLine(line, policies);
    if (rc === 0) continue;
    messages.push(
      specMessage(
        'XL313',
        'warning',
        `while parsing CPUID line: "${line}":\n  error #${rc}: ${XEND_ERRORS[rc]}\n`,
        `cpuid line ${q(line)} is skipped: ${XEND_ERRORS[rc]}`,
      ),
    );
  }
  const cpuid = policies.map((e) => {
    const o: Record<string, unknown> = { leaf: e.leaf };
    if (e.subleaf !== undefined) o.subleaf = e.subleaf;
    for (const r of REGS) if (e[r] !== undefined) o[r] = e[r];
    return o;
  });
  return { value: { cpuid }, messages };
}
