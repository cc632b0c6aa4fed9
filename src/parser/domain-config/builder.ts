/**
 * The state of one run of xl's `parse_config_data` (tools/xl/xl_parse.c) and what every section shares: the {@link Builder} (getters that warn through libxlu's report, `say`/`fatal` for xl's own lines, spec results), C integer conversions, libxl enum matching.
 */
import type { ConfigFile } from '../config-file.js';
import { getDefbool, getList, getLong, getString, listItem, type Report } from '../getters.js';
import type { BuildInfo, CreateInfo, Defbool, DomainConfig, DomainType } from '../libxl.js';
import type { SpecMessage, SpecResult } from '../specs/types.js';
import type { ListValue, Setting } from '../types.js';
import type { BuildMessage, XlConf, BuildOptions } from './types.js';

/** XEN_FIRMWARE_DIR of a default Xen build (config/Paths.mk: $(LIBEXEC)/boot). */
export const XEN_FIRMWARE_DIR = '/usr/lib/xen/boot';

/** LIBXL_MAX_GRANT_DEFAULT (tools/include/libxl.h): ~(uint32_t)0. */
export const MAX_GRANT_DEFAULT_U32 = 0xffffffff;

/** C INT_MAX (2^31 − 1): the bound of xl's bounded getters. */
export const INT_MAX = 0x7fffffff;

/** libxl_tsc_mode names in enum order (libxl_types.idl), for `tsc_mode` as a number or a name. */
export const TSC_MODES = ['default', 'always_emulate', 'native', 'native_paravirt'];

/** libxl_timer_mode names in enum order from 0 (libxl_types.idl), for `timer_mode`. */
export const TIMER_MODES = ['delay_for_missed_ticks', 'no_delay_for_missed_ticks', 'no_missed_ticks_pending', 'one_missed_tick_pending'];

/** libxl_altp2m_mode names in enum order (libxl_types.idl), for `altp2m`. */
export const ALTP2M_MODES = ['disabled', 'mixed', 'external', 'limited'];

/** Thrown internally when xl would exit; caught by buildDomainConfig. */
export class Exit {
  constructor(readonly code: number) {}
}

/** A boolean as libxl's JSON prints a defbool: "True" or "False". */
export const bool = (b: boolean): Defbool => (b ? 'True' : 'False');

/** libxl `*_from_string`: case-insensitive match against the enum names (libxl_utils.c). */
export function enumFromString(value: string, names: readonly string[]): string | undefined {
  const v = value.toLowerCase();
  for (const n of names) if (n.toLowerCase() === v) return n;
  return undefined;
}

/** 2^64 − 1 (uint64_t's largest value, e.g. LIBXL_MEMKB_DEFAULT), as a bigint. */
export const U64_MAX = (1n << 64n) - 1n;

/** A uint64 as a JS number when exact, else as a bigint (yajlStringify prints both). */
export function num(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * A MiB count from the config as the KiB value xl stores in a uint64 MemKB field
 * (`l * 1024`): negative values wrap (xl-cfg-format.md §2.2). A JS number when exact,
 * else a bigint.
 */
export function kb(mib: number): number | bigint {
  // Plain number arithmetic when the product is exact; bigint for the rest (wrapping).
  if (mib >= 0 && mib <= MAX_EXACT_MIB) return Math.trunc(mib) * 1024;
  return num(BigInt.asUintN(64, BigInt(Math.trunc(mib)) * 1024n));
}

/** The largest MiB count whose KiB value (× 1024) is still an exact JS number. */
export const MAX_EXACT_MIB = Math.floor(Number.MAX_SAFE_INTEGER / 1024);

/** Value stored into a uint32 field (C conversion: modulo 2^32). */
export function u32(n: number): number {
  // ToUint32 is exactly the modulo-2^32 wrap for every finite integer.
  if (Number.isFinite(n)) return Math.trunc(n) >>> 0;
  return Number(BigInt.asUintN(32, BigInt(Math.trunc(n))));
}

/** Value stored into a C int field (C conversion: modulo 2^32, two's complement). */
export function i32(n: number): number {
  if (Number.isFinite(n)) return Math.trunc(n) | 0;
  return Number(BigInt.asIntN(32, BigInt(Math.trunc(n))));
}

/**
 * The XL1xx code of a libxlu getter warning, from its exact text (xl-cfg-format.md §1.7):
 * XL101 list for a scalar, XL102 scalar for a list, XL103 not a number, XL104 out of
 * range, XL105 `+=` on a number, XL106 outside bounds, XL107 nested value of the wrong
 * kind, XL100 anything else.
 */
export function getterWarningCode(text: string): string {
  if (text.includes('is a list but should be a single value')) return 'XL101';
  if (text.includes('is a single value but should be a list')) return 'XL102';
  if (text.includes('is not a valid number')) return 'XL103';
  if (text.includes('could not be parsed as a number')) return 'XL104';
  if (text.includes("can't use += with numbers")) return 'XL105';
  if (text.includes('minimum bound') || text.includes('maximum bound')) return 'XL106';
  if (text.includes('value is not a')) return 'XL107';
  return 'XL100';
}

/** libxl_basename: the part after the last `/`. */
export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** `strncmp(value, word, strlen(value)) == 0`: value is a prefix of word (xl's type/builder/firmware matching). */
export function isPrefixOf(value: string, word: string): boolean {
  const n = value.length;
  if (n > word.length) return false;
  for (let i = 0; i < n; i++) if (value.charCodeAt(i) !== word.charCodeAt(i)) return false;
  return true;
}

/** sscanf("%u") at the start of `s`: blanks, optional sign, digits; result wrapped to 32 bits; `end` = index after. */
export function scanU32(s: string, start = 0): { value: number; end: number } | undefined {
  let i = start;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i]!)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const d0 = i;
  while (i < s.length && s[i]! >= '0' && s[i]! <= '9') i++;
  if (i === d0) return undefined;
  let v = BigInt(s.slice(d0, i));
  if (v > (1n << 64n) - 1n) v = (1n << 64n) - 1n;
  if (neg) v = -v;
  return { value: Number(BigInt.asUintN(32, v)), end: i };
}

/** No xl.conf: every value at xl's built-in default. */
export const NO_XL_CONF: XlConf = Object.freeze({});

/** The `b_info` key of the `type.<t>` union member for each domain type. */
export const TYPE_MEMBER: Readonly<Record<DomainType, string>> = { hvm: 'type.hvm', pv: 'type.pv', pvh: 'type.pvh' };

/** The state of one run of parse_config_data. */
export class Builder {
  readonly messages: BuildMessage[] = [];
  readonly report: Report;
  readonly cfg: ConfigFile;
  readonly opts: BuildOptions;
  readonly random: () => number;
  c_info: CreateInfo = { type: 'pv' };
  b_info: BuildInfo = { sched_params: {}, arch_arm: {}, arch_x86: {} };
  d: DomainConfig = { c_info: this.c_info, b_info: this.b_info };
  type: DomainType = 'pv';
  vcpus = 1;
  /** `memory` and `maxmem` as read in the memory section (MiB), for the vNUMA and overhead sections. */
  memory: number | undefined = undefined;
  maxmem: number | undefined = undefined;
  /** `b_info.max_vcpus` as the vCPU section settles it (a C int). */
  maxVcpus = 0;
  /** `type.<t>` member being filled. */
  u!: Record<string, unknown>;
  /** HVM rdm policy (global default for pci entries). */
  rdmPolicy: string | undefined;

  constructor(cfg: ConfigFile, opts: BuildOptions) {
    this.cfg = cfg;
    this.opts = opts;
    this.random = opts.random ?? Math.random;
    // The closure holds the messages array, not `this`: V8 (node 20) lets a closure made in
    // a constructor that captures `this` keep each run's young objects alive through the
    // scavenges that follow, until a full GC (measured: a loop of parse + build promoted
    // ~7 KB a file, and the promotions led to mark-compacts).
    const messages = this.messages;
    this.report = (text: string, setting: Setting) => {
      messages.push({ text, severity: 'warning', code: getterWarningCode(text), setting });
    };
  }

  /** Whether the config sets `name` (ConfigFile.has). */
  has(name: string): boolean {
    return this.cfg.has(name);
  }

  setting(name: string): Setting | undefined {
    return this.cfg.get(name);
  }

  /** A message of our own (xl's fprintf). */
  say(text: string, severity: 'error' | 'warning', code: string, key?: string, message?: string): void {
    const m: BuildMessage = { text, severity, code };
    if (message !== undefined) m.message = message;
    const s = key ? this.setting(key) : undefined;
    if (s) m.setting = s;
    this.messages.push(m);
  }

  /** xl prints `text` and exits with `exitCode`. */
  fatal(text: string, code: string, exitCode: number, key?: string, message?: string): never {
    this.say(text, 'error', code, key, message);
    throw new Exit(exitCode);
  }

  /** Adds a spec parser's messages (attached to `key`'s setting); exits when the parser says xl exits. */
  spec<T>(r: SpecResult<T>, key: string): T | undefined {
    if (r.messages.length) {
      const s = this.setting(key);
      for (const m of r.messages) this.messages.push(fromSpec(m, s));
    }
    if (r.exitCode !== undefined) throw new Exit(r.exitCode);
    return r.value;
  }

  // ---- getters, warning through libxlu's report (dont_warn = 0) or silent (dont_warn = 1)
  str(name: string, silent = false): string | undefined {
    return getString(this.cfg, name, silent ? undefined : this.report);
  }
  long(name: string, silent = false): number | undefined {
    return getLong(this.cfg, name, silent ? undefined : this.report);
  }
  defbool(name: string, silent = false): Defbool | undefined {
    const b = getDefbool(this.cfg, name, silent ? undefined : this.report);
    return b === undefined ? undefined : bool(b);
  }
  list(name: string, silent = false): ListValue | undefined {
    return getList(this.cfg, name, silent ? undefined : this.report);
  }
  /** Items of a list key read with xlu_cfg_get_listitem until it returns NULL (a nested list ends the loop, §1.3). */
  listItems(name: string): string[] | undefined {
    const l = this.list(name);
    if (!l) return undefined;
    const out: string[] = [];
    for (let i = 0; ; i++) {
      const it = listItem(l, i);
      if (it === undefined) break;
      out.push(it);
    }
    return out;
  }
}

/** A sub-grammar message (`specs/`) as a builder message, attached to the setting it came from. */
export function fromSpec(m: SpecMessage, setting: Setting | undefined): BuildMessage {
  const b: BuildMessage = { text: m.text, severity: m.severity, code: m.code };
  if (m.message !== undefined) b.message = m.message;
  if (setting) b.setting = setting;
  if (m.span) b.span = m.span;
  return b;
}

/** ASCII codes of the lower-case hex digits. */
export const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/** Scratch character codes of one UUID text (36 characters). */
export const uuidChars: number[] = new Array<number>(36).fill(45);

/**
 * A random version-4 UUID (libxl_uuid_generate) in lower-case 8-4-4-4-12 form, from 16
 * calls of `rand` (one per byte, in order).
 */
export function randomUuid(rand: () => number): string {
  let at = 0;
  for (let i = 0; i < 16; i++) {
    let byte = Math.floor(rand() * 256) & 0xff;
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    if (i === 4 || i === 6 || i === 8 || i === 10) uuidChars[at++] = 45; // '-'
    uuidChars[at++] = HEX_CODES[byte >> 4]!;
    uuidChars[at++] = HEX_CODES[byte & 15]!;
  }
  return String.fromCharCode.apply(null, uuidChars);
}

/** Sets `obj[key] = v` when `v` is defined (a key xl reads only when the config sets it). */
export function setIf(obj: Record<string, unknown>, key: string, v: unknown): void {
  if (v !== undefined) obj[key] = v;
}

/** Adds a non-fatal spec result (cpuid): messages always, value when present. */
export function softSpec(b: Builder, r: SpecResult<unknown>, key: string, set: (v: unknown) => void): void {
  const s = b.setting(key);
  for (const m of r.messages) b.messages.push(fromSpec(m, s));
  if (r.value !== undefined) set(r.value);
}
