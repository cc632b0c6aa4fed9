/**
 * PCI passthrough specifications: `pci=[ "PCI_SPEC", … ]` in a domain config and the
 * argument of `xl pci-attach`.
 *
 * Follows `xlu_pci_parse_spec_string`, `parse_bdf`, `parse_vslot`, `parse_key_val`,
 * `parse_rdm_policy` (tools/libs/util/libxlu_pci.c), the `pci=` loop of
 * `parse_config_data` (tools/xl/xl_parse.c), xl-pci-configuration(5),
 * xl-cfg-format.md §4.11.
 */

import type { SpecMessage, SpecResult } from './types.js';
import { atoiC, scanIntC, toUint32 } from './vdev.js';
import { hexDigit } from './split.js';

/** libxl_rdm_reserve_policy names as libxl's JSON prints them. */
export type RdmPolicy = 'strict' | 'relaxed';

/** Per-device defaults xl applies before parsing each entry (`pci_permissive`, `pci_msitranslate`, `pci_seize`, `pci_power_mgmt`, the global `rdm=` policy). */
export interface PciDefaults {
  permissive?: boolean;
  msitranslate?: boolean;
  seize?: boolean;
  power_mgmt?: boolean;
  rdm_policy?: RdmPolicy;
}

/** Where the spec comes from: decides xl's closing line and exit status. */
export interface PciParseOptions {
  /**
   * `config` (default): a `pci=` item; xl prints
   * `` unable to parse PCI_SPEC_STRING `<spec>' for passthrough `` and exits 6 (or 3 for a
   * bad rdm_policy). `attach`: `xl pci-attach`; xl prints
   * `pci-attach: malformed BDF specification "<spec>"` and exits 1.
   */
  context?: 'config' | 'attach';
}

/** LIBXL_PCI_FUNC_ALL: the vfunc mask for `.*` (all functions). */
const PCI_FUNC_ALL = 0xffffffff;

/** The device fields as they are filled (libxl_device_pci). */
interface PciState {
  func: number;
  dev: number;
  bus: number;
  domain: number;
  vdevfn: number;
  vfunc_mask: number;
  msitranslate: boolean;
  power_mgmt: boolean;
  permissive: boolean;
  seize: boolean;
  rdm_policy?: RdmPolicy | 'invalid';
  name?: string;
}

/** `sscanf(s + i, "%x")` narrowed to `unsigned int`. */
function scanHex(s: string, i: number): { value: number; end: number } | undefined {
  const r = scanIntC(s, i, 16);
  return r ? { value: toUint32(r.value), end: r.end } : undefined;
}

/** `parse_bdf`: `[DDDD:]BB:SS.F` or `.*`; returns the index after it, or undefined. */
function parseBdf(pci: PciState, str: string, start: number): number | undefined {
  let colons = 0;
  for (let k = start; hexDigit(str.charCodeAt(k)) >= 0 || str[k] === ':'; k++) if (str[k] === ':') colons++;
  let p = start;
  const nums: number[] = [];
  const want = colons === 1 ? 2 : colons === 2 ? 3 : 0;
  if (!want) return undefined;
  for (let n = 0; n < want; n++) {
    const r = scanHex(str, p);
    if (!r) return undefined;
    nums.push(r.value);
    p = r.end;
    const sep = n === want - 1 ? '.' : ':';
    if (str[p] !== sep) return undefined;
    p++;
  }
  const [domain, bus, dev] = want === 2 ? [0, nums[0]!, nums[1]!] : [nums[0]!, nums[1]!, nums[2]!];
  if (domain > 0xffff || bus > 0xff || dev > 0x1f) return undefined;
  let func: number;
  if (str[p] === '*') {
    pci.vfunc_mask = PCI_FUNC_ALL;
    func = 0;
    p++;
  } else {
    const f = scanHex(str, p);
    if (!f || f.value > 7) return undefined;
    pci.vfunc_mask = 1;
    func = f.value;
    p = f.end;
  }
  pci.domain = domain;
  pci.bus = bus;
  pci.dev = dev;
  pci.func = func;
  return p;
}

/**
 * libxlu's `xlu_pci_parse_bdf` (`parse_bdf` without an end pointer): `[DDDD:]BB:SS.F` or
 * `…SS.*` in hex at the start of `str`; whatever follows is ignored, as in libxlu.
 * Returns the device's numbers (`func` 0 for `*`), or undefined when malformed — xl then
 * prints `pci-assignable-add: malformed BDF "<str>"` (or `…-remove: malformed BDF
 * '<str>'`) and exits 2.
 */
export function parsePciBdf(str: string): { domain: number; bus: number; dev: number; func: number } | undefined {
  const pci: PciState = {
    func: 0, dev: 0, bus: 0, domain: 0, vdevfn: 0, vfunc_mask: 0,
    msitranslate: false, power_mgmt: false, permissive: false, seize: false,
  };
  if (parseBdf(pci, str, 0) === undefined) return undefined;
  return { domain: pci.domain, bus: pci.bus, dev: pci.dev, func: pci.func };
}

/** `parse_vslot`: hex ≤ 0x1f, stored as vslot << 3. */
function parseVslot(pci: PciState, str: string, start: number): number | undefined {
  const r = scanHex(str, start);
  if (!r || r.value > 0x1f) return undefined;
  pci.vdevfn = r.value << 3;
  return r.end;
}

/**
 * Parse one PCI_SPEC string, as libxlu `xlu_pci_parse_spec_string` plus xl's handling
 * of its failure (libxlu_pci.c, xl_parse.c; xl-cfg-format.md §4.11).
 *
 * Grammar: `BDF[@VSLOT][,KEY=VALUE]*` or `KEY=VALUE[,KEY=VALUE]*`. BDF is
 * `[DDDD:]BB:SS.F` in hex (domain ≤ 0xffff, bus ≤ 0xff, slot ≤ 0x1f, function ≤ 7 or
 * `*` for all functions); VSLOT is hex ≤ 0x1f. Keys: `bdf`, `vslot`, `permissive`,
 * `msitranslate`, `seize`, `power_mgmt` (C `atoi`, non-zero = on), `rdm_policy`
 * (case-insensitive `strict`/`relaxed`), `name`. Exactly one of a BDF and `name=`.
 *
 * @param spec the list item or pci-attach argument
 * @param defaults per-device defaults from `pci_*` keys and the global rdm policy
 * @param opts `context` (see {@link PciParseOptions}); default `config`
 * @returns `value`: the libxl_device_pci fields in IDL order (`func`, `dev`, `bus`,
 *   `domain`, `vdevfn`, `vfunc_mask`, `msitranslate`, `power_mgmt`, `permissive`,
 *   `seize`, `rdm_policy`, `name`) with default values (0, false, unset) omitted;
 *   undefined on failure. `messages` (code XL231): libxlu's lines, which have **no**
 *   trailing newline (`Unknown PCI_SPEC_STRING option: <k>`, `Unknown RDM policy: <v>`),
 *   then xl's closing line. `exitCode`: 6 (invalid) or 3 (bad rdm_policy) in a config,
 *   1 for pci-attach. Never throws.
 */
export function parsePciSpec(
  spec: string,
  defaults: PciDefaults,
  opts: PciParseOptions = {},
): SpecResult<Record<string, unknown>> {
  const pci: PciState = {
    func: 0,
    dev: 0,
    bus: 0,
    domain: 0,
    vdevfn: 0,
    vfunc_mask: 0,
    msitranslate: defaults.msitranslate ?? false,
    power_mgmt: defaults.power_mgmt ?? false,
    permissive: defaults.permissive ?? false,
    seize: defaults.seize ?? false,
    ...(defaults.rdm_policy !== undefined ? { rdm_policy: defaults.rdm_policy } : {}),
  };
  const messages: SpecMessage[] = [];
  const fail = (errno: 6 | 3, why: string, span?: [number, number]): SpecResult<Record<string, unknown>> => {
    const attach = opts.context === 'attach';
    messages.push({
      text: attach
        ? `pci-attach: malformed BDF specification "${spec}"\n`
        : `unable to parse PCI_SPEC_STRING \`${spec}' for passthrough\n`,
      severity: 'error',
      code: 'XL231',
      message: why,
      ...(span ? { span } : {}),
    });
    return { messages, exitCode: attach ? 1 : errno };
  };
  const BDF_HELP = 'a PCI device is [DDDD:]BB:SS.F in hex (bus ≤ ff, slot ≤ 1f, function 0-7 or *), e.g. 0000:03:00.0';

  let p = 0;
  let bdfPresent = false;
  let namePresent = false;
  const after = parseBdf(pci, spec, 0);
  if (after !== undefined) {
    bdfPresent = true;
    p = after;
    if (spec[p] === '@') {
      const v = parseVslot(pci, spec, p + 1);
      if (v === undefined) {
        return fail(6, `the virtual slot after "@" must be hex 0-1f (e.g. @05); note @20 is 0x20, too big`, [p + 1, spec.length]);
      }
      p = v;
    }
    if (spec[p] === ',') p++;
    else if (p < spec.length) {
      return fail(6, `unexpected "${spec.slice(p)}" after the device address; separate settings with "," and no spaces`, [p, spec.length]);
    }
  }
  while (p < spec.length) {
    const eq = spec.indexOf('=', p);
    if (eq < 0) {
      return fail(
        6,
        after === undefined && p === 0
          ? `"${spec}" is neither a device address nor key=value settings; ${BDF_HELP}`
          : `"${spec.slice(p)}" has no "=": every setting after the address is key=value (e.g. seize=1)`,
        [p, spec.length],
      );
    }
    const key = spec.slice(p, eq);
    let vend = spec.indexOf(',', eq + 1);
    if (vend < 0) vend = spec.length;
    const val = spec.slice(eq + 1, vend);
    const kspan: [number, number] = [p, eq];
    const vspan: [number, number] = [eq + 1, vend];
    p = vend < spec.length ? vend + 1 : vend;
    if (key === 'bdf') {
      if (parseBdf(pci, val, 0) !== undefined) bdfPresent = true;
      else return fail(6, `bdf= value "${val}" is not a device address; ${BDF_HELP}`, vspan);
    } else if (key === 'vslot') {
      if (parseVslot(pci, val, 0) === undefined) return fail(6, `vslot must be hex 0-1f, not "${val}"`, vspan);
    } else if (key === 'permissive') pci.permissive = atoiC(val) !== 0;
    else if (key === 'msitranslate') pci.msitranslate = atoiC(val) !== 0;
    else if (key === 'seize') pci.seize = atoiC(val) !== 0;
    else if (key === 'power_mgmt') pci.power_mgmt = atoiC(val) !== 0;
    else if (key === 'rdm_policy') {
      const v = val.toLowerCase();
      if (v === 'strict' || v === 'relaxed' || v === 'invalid') pci.rdm_policy = v;
      else {
        messages.push({ text: `Unknown RDM policy: ${val}`, severity: 'error', code: 'XL231', span: vspan, message: `rdm_policy must be strict or relaxed, not "${val}"` });
        return fail(3, `rdm_policy must be strict or relaxed, not "${val}"`, vspan);
      }
    } else if (key === 'name') {
      namePresent = true;
      pci.name = val;
    } else {
      messages.push({
        text: `Unknown PCI_SPEC_STRING option: ${key}`,
        severity: 'error',
        code: 'XL231',
        span: kspan,
        message: `"${key}" is not a PCI setting; known ones are bdf, vslot, permissive, msitranslate, seize, power_mgmt, rdm_policy, name`,
      });
      return fail(6, `"${key}" is not a PCI setting`, kspan);
    }
  }
  if (bdfPresent === namePresent) {
    return fail(
      6,
      bdfPresent
        ? 'give either a device address (BDF) or name=, not both'
        : `no device given: ${BDF_HELP}, or name=NAME of an assignable device`,
    );
  }
  const out: Record<string, unknown> = {};
  if (pci.func) out.func = pci.func;
  if (pci.dev) out.dev = pci.dev;
  if (pci.bus) out.bus = pci.bus;
  if (pci.domain) out.domain = pci.domain;
  if (pci.vdevfn) out.vdevfn = pci.vdevfn;
  if (pci.vfunc_mask) out.vfunc_mask = pci.vfunc_mask;
  if (pci.msitranslate) out.msitranslate = true;
  if (pci.power_mgmt) out.power_mgmt = true;
  if (pci.permissive) out.permissive = true;
  if (pci.seize) out.seize = true;
  if (pci.rdm_policy !== undefined && pci.rdm_policy !== 'invalid') out.rdm_policy = pci.rdm_policy;
  if (pci.name !== undefined) out.name = pci.name;
  return { value: out, messages };
}
