/**
 * xl's `parse_config_data()` (tools/xl/xl_parse.c, Xen 4.20): turns a parsed config file
 * into a libxl_domain_config, in xl's order, with xl's warnings and fatal errors.
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
import type { ConfigFile } from './config-file.js';
import {
  getBoundedLong,
  getDefbool,
  getList,
  getLong,
  getString,
  getStringList,
  listItem,
  type Report,
} from './getters.js';
import type { BuildInfo, CreateInfo, Defbool, DeviceDisk, DeviceNic, DomainConfig, DomainType, HostFacts } from './libxl.js';
import type { ListValue, Setting, Value } from './types.js';
import type { SpecMessage, SpecResult } from './specs/types.js';
import { parseDiskSpecs } from './specs/disk.js';
import { parseNicSpec, type NicDefaults } from './specs/vif.js';
import { parseCpuList, type CpuTopology } from './specs/cpumap.js';
import { parsePciSpec, type PciDefaults } from './specs/pci.js';
import { parseRdmSpec } from './specs/rdm.js';
import { parseIomem, parseIoports, parseIrqs } from './specs/ioresources.js';
import { parseVfbSpec } from './specs/vfb.js';
import { parseVkbSpec } from './specs/vkb.js';
import { parseChannelSpec } from './specs/channel.js';
import { parseUsbctrlSpec, parseUsbdevSpec } from './specs/usb.js';
import { parseVtpmSpec } from './specs/vtpm.js';
import { parseP9Spec } from './specs/p9.js';
import { parsePvcallsSpec } from './specs/pvcalls.js';
import { parseVdisplSpec } from './specs/vdispl.js';
import { parseVsndCard } from './specs/vsnd.js';
import { parseVirtioSpec } from './specs/virtio.js';
import { parseVnuma } from './specs/vnuma.js';
import { parseCpuidList, parseCpuidString } from './specs/cpuid.js';
import { parseViridian, VIRIDIAN_BITMAP_WIDTH, VIRIDIAN_GROUPS } from './specs/viridian.js';
import { parseSmbios } from './specs/smbios.js';
import { parseUuid } from './specs/uuid.js';

/** One message xl prints while building the config. */
export interface BuildMessage {
  /** Exact stderr bytes xl writes, with "\n" where xl has one ('' when xl is silent). */
  text: string;
  severity: 'error' | 'warning';
  /** Stable rule code: XL1xx for the ones defined here (see BUILD_CODES), XL2xx/XL3xx from specs/. */
  code: string;
  /** xlsim wording, when clearer than xl's. */
  message?: string;
  /** The setting the message is about (for its location), when known. */
  setting?: Setting;
  /** Span inside that setting's string value, when known. */
  span?: [number, number];
}

/** What `buildDomainConfig` returns. */
export interface BuildResult {
  /** The domain config; undefined when xl would exit. */
  config?: DomainConfig;
  /** Messages in xl's order (xl-cfg-format.md §5.1). */
  messages: BuildMessage[];
  /** xl's exit status when it would exit (1, 3, 6, 255 …); undefined on success. */
  exitCode?: number;
}

/**
 * The xl.conf values `parse_config_data` uses (tools/xl/xl.c globals, xl.conf(5),
 * xl-cfg-format.md §3.11). Every field is optional; absent = xl's built-in default.
 */
export interface XlConf {
  /** `vif.default.script` (or deprecated `vifscript`). */
  vifDefaultScript?: string;
  /** `vif.default.bridge` (or deprecated `defaultbridge`). */
  vifDefaultBridge?: string;
  /** `vif.default.backend`. */
  vifDefaultBackend?: string;
  /** `vif.default.gatewaydev`. */
  vifDefaultGatewaydev?: string;
  /** `claim_mode` (default 1) → `b_info.claim_mode`. */
  claimMode?: boolean;
  /** `run_hotplug_scripts` (default 1) → `c_info.run_hotplug_scripts`. */
  runHotplugScripts?: boolean;
  /** `max_grant_frames`, used when the domain config does not set it. */
  maxGrantFrames?: number;
  /** `max_maptrack_frames`, used when the domain config does not set it. */
  maxMaptrackFrames?: number;
  /** `max_grant_version`, used when the domain config does not set it. */
  maxGrantVersion?: number;
  /** `blkdev_start` → `b_info.blkdev_start`. */
  blkdevStart?: string;
  /** `bootloader_restrict`, used when the domain config does not set it. */
  bootloaderRestrict?: boolean;
}

/** Options of `buildDomainConfig`. */
export interface BuildOptions {
  /** Host facts xl reads before parsing (pCPUs, NUMA nodes, architecture). */
  facts: HostFacts;
  /** The config's source label as the user typed it (starts libxlu/disk/vif messages). */
  source: string;
  /** xl.conf values. */
  xlConf?: XlConf;
  /**
   * Whether the emulated xl was built with pygrub (HAVE_PYGRUB; default true, as
   * distribution builds are). When false, `bootloader="pygrub"` or `"/usr/bin/pygrub"`
   * is refused as xl does.
   */
  pygrub?: boolean;
  /** Random source in [0, 1) for the UUID xl generates when `uuid=` is absent and for `ms_vm_genid="generate"`; default Math.random. */
  random?: () => number;
}

/**
 * The XL1xx codes of messages produced here (the sub-grammar parsers in `specs/` have
 * their own codes). Key: code; value: what it is about.
 */
export const BUILD_CODES: Readonly<Record<string, string>> = {
  XL100: 'libxlu getter warning (other)',
  XL101: 'a list where xl wants a single value (getter warning)',
  XL102: 'a single value where xl wants a list (getter warning)',
  XL103: 'not a valid number (getter warning)',
  XL104: 'number out of range (getter warning)',
  XL105: '+= used on a number (getter warning)',
  XL106: 'number outside its bounds (getter warning)',
  XL107: 'nested list item of the wrong kind (getter warning)',
  XL110: 'invalid domain type (type=/builder=)',
  XL111: 'builder= contradicts type=',
  XL112: 'name= missing',
  XL113: 'uuid= not a UUID',
  XL114: 'maxvcpus < vcpus',
  XL115: 'unknown on_<event> action',
  XL116: 'PV/PVH guest without kernel, bootloader or firmware',
  XL117: 'both kernel and firmware (PV/PVH)',
  XL118: 'firmware= not pvgrub32/pvgrub64 (PV/PVH)',
  XL119: 'invalid enumerated value (ERROR: invalid value …)',
  XL120: 'max_grant_frames/max_maptrack_frames/max_grant_version invalid (xl exits silently)',
  XL121: 'unknown passthrough option',
  XL122: 'timer_mode on a PV guest',
  XL123: 'unknown device_model_version',
  XL124: 'a list option xl cannot read (Unable to parse …)',
  XL125: 'unknown vga',
  XL126: 'VNC display both in vnclisten and vncdisplay',
  XL127: 'unknown vendor_device',
  XL128: 'unknown Arm option value (gic_version, tee, sve)',
  XL129: 'llc_colors error',
  XL130: 'mmio_hole out of range',
  XL131: 'ms_vm_genid not generate/none',
  XL132: 'unknown MCA capability',
  XL133: 'pci spec rejected (xl line after libxlu message)',
  XL134: 'vsnd card is not a list',
  XL135: 'bootloader pygrub on an xl built without pygrub',
  XL150: 'root=/extra= ignored because cmdline= is set',
  XL151: 'kernel=…hvmloader ignored for HVM',
  XL152: 'bios_path_override without bios=',
  XL153: 'altp2mhvm deprecated',
  XL154: 'tsc_mode as an integer deprecated',
  XL155: 'timer_mode as an integer deprecated',
  XL156: 'bootloader_args as a string deprecated',
  XL157: 'vncviewer ignored',
  XL158: 'device_model ignored',
  XL159: 'device_model_override without device_model_version',
  XL160: 'vif2 ignored',
  XL161: 'msr_relaxed will be removed',
  XL162: 'tsc_mode given as a string (xl notes it)',
  XL140: 'xl.conf notice (deprecated alias, invalid autoballoon/output_format/domid_policy)',
  XL141: 'xl.conf max_grant_* invalid (xl exits silently)',
  XL142: 'vCPU hard affinity empty after the xl.conf vm*.cpumask masks',
  XL143: 'vcpus is negative as a C int: libxl cannot allocate the cpumap',
  XL144: 'more vCPUs than Xen allows',
  XL199: 'internal error while building the config',
};

/** XEN_FIRMWARE_DIR of a default Xen build (config/Paths.mk: $(LIBEXEC)/boot). */
export const XEN_FIRMWARE_DIR = '/usr/lib/xen/boot';

/** LIBXL_MAX_GRANT_DEFAULT (tools/include/libxl.h): ~(uint32_t)0. */
const MAX_GRANT_DEFAULT_U32 = 0xffffffff;
const INT_MAX = 0x7fffffff;
/** HVM_BELOW_4G_MMIO_LENGTH / HVM_BELOW_4G_MMIO_START (xen/include/public/hvm/e820.h), bytes. */
const MMIO_HOLE_MIN = 0x10000000;
const MMIO_HOLE_MAX = 0xf0000000;

/** xl's on_* names (xl_parse.c action_on_shutdown_names) → libxl JSON names; undefined for any other text. */
function actionName(v: string): string | undefined {
  switch (v) {
    case 'destroy':
      return 'destroy';
    case 'restart':
      return 'restart';
    case 'rename-restart':
      return 'restart_rename';
    case 'preserve':
      return 'preserve';
    case 'coredump-destroy':
      return 'coredump_destroy';
    case 'coredump-restart':
      return 'coredump_restart';
    case 'soft-reset':
      return 'soft_reset';
    default:
      return undefined;
  }
}

const TSC_MODES = ['default', 'always_emulate', 'native', 'native_paravirt'];
const TIMER_MODES = ['delay_for_missed_ticks', 'no_delay_for_missed_ticks', 'no_missed_ticks_pending', 'one_missed_tick_pending'];
const ALTP2M_MODES = ['disabled', 'mixed', 'external', 'limited'];

/** Thrown internally when xl would exit; caught by buildDomainConfig. */
class Exit {
  constructor(readonly code: number) {}
}

const bool = (b: boolean): Defbool => (b ? 'True' : 'False');

/** libxl `*_from_string`: case-insensitive match against the enum names (libxl_utils.c). */
function enumFromString(value: string, names: readonly string[]): string | undefined {
  const v = value.toLowerCase();
  for (const n of names) if (n.toLowerCase() === v) return n;
  return undefined;
}

const U64_MAX = (1n << 64n) - 1n;

/** A uint64 as a JS number when exact, else as a bigint (yajlStringify prints both). */
function num(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

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
const MAX_EXACT_KB = 2 ** 40;

/** {@link requiredShadowKb} in plain numbers, for 0 ≤ maxMemKb ≤ 2^40 KiB and 0 ≤ vcpus ≤ INT_MAX (exact there). */
function requiredShadowKbNum(maxMemKb: number, vcpus: number): number {
  return 4 * (256 * Math.trunc(vcpus) + 2 * Math.floor(maxMemKb / 1024));
}

/** {@link requiredIommuKb} in plain numbers, for 0 ≤ maxMemKb ≤ 2^40 KiB (exact there). */
function requiredIommuKbNum(maxMemKb: number): number {
  let pages = Math.floor(maxMemKb / 4);
  let total = 0;
  for (let level = 0; level < 4; level++) {
    pages = Math.floor((pages + 511) / 512);
    total += pages;
  }
  return total * 4;
}

/**
 * A MiB count from the config as the KiB value xl stores in a uint64 MemKB field
 * (`l * 1024`): negative values wrap (xl-cfg-format.md §2.2). A JS number when exact,
 * else a bigint.
 */
function kb(mib: number): number | bigint {
  // Plain number arithmetic when the product is exact; bigint for the rest (wrapping).
  if (mib >= 0 && mib <= MAX_EXACT_MIB) return Math.trunc(mib) * 1024;
  return num(BigInt.asUintN(64, BigInt(Math.trunc(mib)) * 1024n));
}

/** The largest MiB count whose KiB value (× 1024) is still an exact JS number. */
const MAX_EXACT_MIB = Math.floor(Number.MAX_SAFE_INTEGER / 1024);

/** Value stored into a uint32 field (C conversion: modulo 2^32). */
function u32(n: number): number {
  // ToUint32 is exactly the modulo-2^32 wrap for every finite integer.
  if (Number.isFinite(n)) return Math.trunc(n) >>> 0;
  return Number(BigInt.asUintN(32, BigInt(Math.trunc(n))));
}

/** Value stored into a C int field (C conversion: modulo 2^32, two's complement). */
function i32(n: number): number {
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
function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** `strncmp(value, word, strlen(value)) == 0`: value is a prefix of word (xl's type/builder/firmware matching). */
function isPrefixOf(value: string, word: string): boolean {
  const n = value.length;
  if (n > word.length) return false;
  for (let i = 0; i < n; i++) if (value.charCodeAt(i) !== word.charCodeAt(i)) return false;
  return true;
}

/** sscanf("%u") at the start of `s`: blanks, optional sign, digits; result wrapped to 32 bits; `end` = index after. */
function scanU32(s: string, start = 0): { value: number; end: number } | undefined {
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

/** Inserts `devid` into a device object after the last of `after` that is present (IDL position). */
function withDevid(dev: Record<string, unknown>, devid: number, after: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(dev).filter((k) => k !== 'devid');
  let pos = 0;
  keys.forEach((k, i) => {
    if (after.includes(k)) pos = i + 1;
  });
  keys.forEach((k, i) => {
    if (i === pos) out.devid = devid;
    out[k] = dev[k];
  });
  if (!('devid' in out)) out.devid = devid;
  return out;
}

const BACKEND_KEYS = ['backend_domid', 'backend_domname'] as const;
/** Keys a p9 device's devid follows (libxl_device_p9 in libxl_types.idl). */
const P9_DEVID_AFTER = [...BACKEND_KEYS, 'tag', 'path', 'security_model'] as const;
/** Keys a virtio device's devid follows (libxl_device_virtio in libxl_types.idl). */
const VIRTIO_DEVID_AFTER = [...BACKEND_KEYS, 'type', 'transport', 'grant_usage'] as const;
/** No xl.conf: every value at xl's built-in default. */
const NO_XL_CONF: XlConf = Object.freeze({});
/** No xl.conf vif defaults. */
const NO_NIC_DEFAULTS: NicDefaults = Object.freeze({});
/** The `b_info` key of the `type.<t>` union member for each domain type. */
const TYPE_MEMBER: Readonly<Record<DomainType, string>> = { hvm: 'type.hvm', pv: 'type.pv', pvh: 'type.pvh' };
/** The on_* keys with xl's default action for each, in xl's order (xl_parse.c step 17). */
const ON_EVENT_DEFAULTS: readonly (readonly [string, string])[] = [
  ['on_poweroff', 'destroy'],
  ['on_reboot', 'restart'],
  ['on_watchdog', 'destroy'],
  ['on_crash', 'destroy'],
  ['on_soft_reset', 'soft-reset'],
];
/** `vga=` values → libxl_vga_interface_type names (xl_parse.c). */
const VGA_KINDS: Readonly<Record<string, string>> = { stdvga: 'std', cirrus: 'cirrus', none: 'none', qxl: 'qxl' };

/** The state of one run of parse_config_data. */
class Builder {
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
  /** `type.<t>` member being filled. */
  u!: Record<string, unknown>;
  /** HVM rdm policy (global default for pci entries). */
  rdmPolicy: string | undefined;

  constructor(cfg: ConfigFile, opts: BuildOptions) {
    this.cfg = cfg;
    this.opts = opts;
    this.random = opts.random ?? Math.random;
    this.report = (text: string, setting: Setting) => {
      this.messages.push({ text, severity: 'warning', code: getterWarningCode(text), setting });
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

function fromSpec(m: SpecMessage, setting: Setting | undefined): BuildMessage {
  const b: BuildMessage = { text: m.text, severity: m.severity, code: m.code };
  if (m.message !== undefined) b.message = m.message;
  if (setting) b.setting = setting;
  if (m.span) b.span = m.span;
  return b;
}

/** ASCII codes of the lower-case hex digits. */
const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];
/** Scratch character codes of one UUID text (36 characters). */
const uuidChars: number[] = new Array<number>(36).fill(45);

/**
 * A random version-4 UUID (libxl_uuid_generate) in lower-case 8-4-4-4-12 form, from 16
 * calls of `rand` (one per byte, in order).
 */
function randomUuid(rand: () => number): string {
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
    run(b);
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

function run(b: Builder): void {
  const { c_info, b_info } = b;
  const xlConf = b.opts.xlConf ?? NO_XL_CONF;
  const facts = b.opts.facts;

  // step 2: seclabels
  if (b.str('init_seclabel') !== undefined) c_info.ssid_label = b.str('init_seclabel', true);
  const seclabel = b.str('seclabel');
  if (seclabel !== undefined) {
    if (c_info.ssid_label !== undefined) b_info.exec_ssid_label = seclabel;
    else c_info.ssid_label = seclabel;
  }

  // run_hotplug_scripts from xl.conf (xl_parse.c sets it on every config)
  c_info.run_hotplug_scripts = bool(xlConf.runHotplugScripts ?? true);

  // step 3: type (prefix of hvm, pv, pvh in that order)
  let type: DomainType | undefined;
  const typeStr = b.str('type');
  if (typeStr !== undefined) {
    if (isPrefixOf(typeStr, 'hvm')) type = 'hvm';
    else if (isPrefixOf(typeStr, 'pv')) type = 'pv';
    else if (isPrefixOf(typeStr, 'pvh')) type = 'pvh';
    else b.fatal(`Invalid domain type ${typeStr}.\n`, 'XL110', 1, 'type');
  }
  // step 4: builder (deprecated)
  const builder = b.str('builder');
  if (builder !== undefined) {
    let bt: DomainType;
    if (isPrefixOf(builder, 'hvm')) bt = 'hvm';
    else if (isPrefixOf(builder, 'generic')) bt = 'pv';
    else b.fatal(`Invalid domain type ${builder}.\n`, 'XL110', 1, 'builder');
    if (type !== undefined && type !== bt) {
      b.fatal('Contradicting "builder" and "type" options specified.\n', 'XL111', 1, 'builder');
    }
    type = bt;
  }
  // step 5: default type, hap
  if (type === undefined) type = facts.arch === 'arm' ? 'pvh' : 'pv';
  b.type = type;
  c_info.type = type;
  setIf(c_info, 'hap', b.defbool('hap'));

  // step 6: name
  const name = b.str('name');
  if (name === undefined) b.fatal('Domain name must be specified.\n', 'XL112', 1, 'name');
  c_info.name = name;

  // step 7: uuid
  const uuidStr = b.str('uuid');
  if (uuidStr !== undefined) {
    const u = parseUuid(uuidStr);
    if (u === undefined) b.fatal(`Failed to parse UUID: ${uuidStr}\n`, 'XL113', 1, 'uuid');
    c_info.uuid = u;
  } else {
    c_info.uuid = randomUuid(b.random);
  }

  // step 8: oos, pool
  setIf(c_info, 'oos', b.defbool('oos'));
  setIf(c_info, 'pool_name', b.str('pool'));

  const u: Record<string, unknown> = {};
  b.u = u;
  b_info[TYPE_MEMBER[type]] = u;

  // step 9: PVH shim
  if (type === 'pvh') {
    setIf(u, 'pvshim', b.defbool('pvshim'));
    setIf(u, 'pvshim_path', b.str('pvshim_path'));
    setIf(u, 'pvshim_cmdline', b.str('pvshim_cmdline'));
    setIf(u, 'pvshim_extra', b.str('pvshim_extra'));
  }

  if (xlConf.blkdevStart !== undefined) b_info.blkdev_start = xlConf.blkdevStart;
  b_info.claim_mode = bool(xlConf.claimMode ?? true);

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

  const memory = b.long('memory');
  const maxmem = b.long('maxmem');

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
      for (let c = start; c <= end; c++) colors.push(c);
    }
    if (colors.length) b_info.llc_colors = colors;
  }

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
  let maxVcpus = 0;
  const maxvcpusVal = b.long('maxvcpus');
  if (maxvcpusVal !== undefined) maxVcpus = i32(maxvcpusVal);
  const vuart = b.str('vuart');
  if (vuart !== undefined) {
    const v = enumFromString(vuart, ['unknown', 'sbsa_uart']);
    if (v === undefined) b.fatal(`ERROR: invalid value "${vuart}" for "vuart"\n`, 'XL119', 1, 'vuart');
    if (v !== 'unknown') b_info.arch_arm.vuart = v;
  }

  // step 13: vnuma
  let maxMemKb: number | bigint | undefined = maxmem !== undefined ? kb(maxmem) : undefined;
  const targetMemKb: number | bigint | undefined = memory !== undefined ? kb(memory) : undefined;
  const vnuma = b.list('vnuma');
  if (vnuma) {
    const r = b.spec(
      parseVnuma(vnuma.items, {
        nrCpus: facts.nrCpus,
        nrNodes: facts.nrNodes,
        ...(maxVcpus ? { maxvcpus: maxVcpus } : {}),
        ...(maxmem !== undefined ? { maxmemMiB: maxmem } : {}),
        source: b.opts.source,
      }),
      'vnuma',
    );
    if (r && r.nodes.length) {
      b_info.vnuma_nodes = r.nodes;
      if (!maxVcpus) maxVcpus = r.maxvcpus;
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
  if (maxVcpus === 0) maxVcpus = i32(b.vcpus);
  // the int field compared with the long: any vcpus above INT_MAX fails here
  if (maxVcpus < b.vcpus) b.fatal('xl: maxvcpus < vcpus\n', 'XL114', 1, b.has('maxvcpus') ? 'maxvcpus' : 'vcpus');
  checkVcpuLimit(b, maxVcpus, maxvcpusVal !== undefined ? 'maxvcpus' : b.has('vnuma') && !b.has('vcpus') ? 'vnuma' : 'vcpus');
  b_info.max_vcpus = maxVcpus;
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

  // step 16: grant limits (bounded 0..INT_MAX, silent; a bad value exits 1 with no message)
  grantLimit(b, 'max_grant_frames', xlConf.maxGrantFrames, MAX_GRANT_DEFAULT_U32, u32);
  grantLimit(b, 'max_maptrack_frames', xlConf.maxMaptrackFrames, MAX_GRANT_DEFAULT_U32, u32);
  grantLimit(b, 'max_grant_version', xlConf.maxGrantVersion, -1, i32);

  // step 17: on_* actions
  for (const [key, dflt] of ON_EVENT_DEFAULTS) {
    const v = b.str(key) ?? dflt;
    const action = actionName(v);
    if (action === undefined) b.fatal(`Unknown ${key} action "${v}" specified\n`, 'XL115', 1, key);
    if (action !== 'destroy') (b.d as Record<string, unknown>)[key] = action;
  }

  // step 18: pci defaults, e820_host, rdm
  const pciMsitranslate = b.long('pci_msitranslate');
  const pciPowerMgmt = b.long('pci_power_mgmt');
  const pciPermissive = b.long('pci_permissive');
  const pciSeize = b.long('pci_seize');
  if (type === 'pv') setIf(u, 'e820_host', b.defbool('e820_host'));
  const rdm = b.str('rdm');
  let rdmValue: Record<string, unknown> | undefined;
  if (rdm !== undefined) {
    const r = parseRdmSpec(rdm);
    // xl ignores a failed rdm parse silently, but libxlu's own lines still print
    const s = b.setting('rdm');
    for (const m of r.messages) b.messages.push(fromSpec(m, s));
    if (r.value && r.exitCode === undefined) rdmValue = { ...(r.value as Record<string, unknown>) };
  }
  if (rdmValue) {
    b.rdmPolicy = typeof rdmValue.policy === 'string' ? rdmValue.policy : undefined;
    if (type === 'hvm') {
      const rdmOut: Record<string, unknown> = {};
      if (rdmValue.strategy !== undefined && rdmValue.strategy !== 'ignore') rdmOut.strategy = rdmValue.strategy;
      if (rdmValue.policy !== undefined && rdmValue.policy !== 'invalid') rdmOut.policy = rdmValue.policy;
      u.rdm = rdmOut;
    }
  }

  // step 19: pci
  const pcis = b.listItems('pci');
  if (pcis) {
    const devs: Record<string, unknown>[] = [];
    for (const spec of pcis) {
      const pciDefaults: PciDefaults = {
        msitranslate: !!pciMsitranslate,
        power_mgmt: !!pciPowerMgmt,
        permissive: !!pciPermissive,
        seize: !!pciSeize,
      };
      if (b.rdmPolicy === 'strict' || b.rdmPolicy === 'relaxed') pciDefaults.rdm_policy = b.rdmPolicy;
      const r = parsePciSpec(spec, pciDefaults);
      const s = b.setting('pci');
      for (const m of r.messages) b.messages.push(fromSpec(m, s));
      if (r.exitCode !== undefined || r.value === undefined) {
        const line = `unable to parse PCI_SPEC_STRING \`${spec}' for passthrough\n`;
        if (!r.messages.some((m) => m.text.includes('unable to parse PCI_SPEC_STRING'))) {
          b.say(line, 'error', 'XL133', 'pci');
        }
        throw new Exit(r.exitCode ?? 6);
      }
      devs.push(r.value as Record<string, unknown>);
    }
    if (devs.length) {
      b.d.pcidevs = devs;
      if (type === 'pv') u.e820_host = 'True';
    }
  }

  // step 20: dtdev, passthrough
  const dtdevs = b.listItems('dtdev');
  if (dtdevs && dtdevs.length) b.d.dtdevs = dtdevs.map((path) => ({ path }));
  const passthrough = b.str('passthrough');
  if (passthrough !== undefined) {
    const p = enumFromString(passthrough, ['default', 'disabled', 'enabled', 'sync_pt', 'share_pt']);
    if (p === undefined) b.fatal(`ERROR: unknown passthrough option '${passthrough}'\n`, 'XL121', 1, 'passthrough');
    if (p !== 'default') c_info.passthrough = p;
  }

  // step 21: shadow_memory, nomigrate, tsc_mode. xl computes the shadow and IOMMU page
  // table overheads itself once vcpus and memory are final (xl_parse.c comment on
  // libxl_get_required_shadow_memory / libxl_get_required_iommu_memory); an unset
  // max_memkb is LIBXL_MEMKB_DEFAULT (~0) in that arithmetic.
  const maxKbNum = b_info.max_memkb as number | bigint | undefined;
  const exact = typeof maxKbNum === 'number' && maxKbNum >= 0 && maxKbNum <= MAX_EXACT_KB && maxVcpus >= 0 && maxVcpus <= INT_MAX;
  const maxKb = exact ? 0n : maxKbNum === undefined ? U64_MAX : BigInt(maxKbNum);
  const shadow = b.long('shadow_memory');
  if (shadow !== undefined) {
    b_info.shadow_memkb = kb(shadow) as number;
  } else {
    b_info.shadow_memkb = exact ? requiredShadowKbNum(maxKbNum, maxVcpus) : (num(requiredShadowKb(maxKb, maxVcpus)) as number);
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

  // step 22
  const rtc = b.long('rtc_timeoffset');
  if (rtc !== undefined && u32(rtc) !== 0) b_info.rtc_timeoffset = u32(rtc);
  if (b.long('vncviewer') !== undefined) {
    b.say(
      'WARNING: ignoring "vncviewer" option. Use "-V" option of "xl create" to automatically spawn vncviewer.\n',
      'warning',
      'XL157',
      'vncviewer',
    );
  }
  setIf(b_info, 'localtime', b.defbool('localtime'));
  const videoram = b.long('videoram');
  if (videoram !== undefined) b_info.video_memkb = kb(videoram) as number;
  const evtchn = b.long('max_event_channels');
  if (evtchn !== undefined && u32(evtchn) !== 0) b_info.event_channels = u32(evtchn);
  setIf(b_info, 'kernel', b.str('kernel'));
  setIf(b_info, 'ramdisk', b.str('ramdisk'));
  setIf(b_info, 'device_tree', b.str('device_tree'));
  {
    const cmdline = b.str('cmdline');
    const root = b.str('root');
    const extra = b.str('extra');
    if (cmdline !== undefined) {
      b_info.cmdline = cmdline;
      if (root !== undefined || extra !== undefined) {
        b.say('Warning: ignoring root= and extra= in favour of cmdline=\n', 'warning', 'XL150', root !== undefined ? 'root' : 'extra');
      }
    } else if (root !== undefined && extra !== undefined) {
      b_info.cmdline = `root=${root} ${extra}`;
    } else if (root !== undefined) {
      b_info.cmdline = `root=${root}`;
    } else if (extra !== undefined) {
      b_info.cmdline = extra;
    }
  }
  setIf(c_info, 'driver_domain', b.defbool('driver_domain'));
  setIf(b_info, 'acpi', b.defbool('acpi'));

  // step 23: bootloader
  setIf(b_info, 'bootloader', b.str('bootloader'));
  if (b.opts.pygrub === false && (b_info.bootloader === 'pygrub' || b_info.bootloader === '/usr/bin/pygrub')) {
    b.fatal('ERROR: this instance of Xen has been built without support of "pygrub".\n', 'XL135', 3, 'bootloader');
  }
  {
    const st = b.cfg.get('bootloader_args');
    if (st) {
      const asList = getStringList(b.cfg, 'bootloader_args');
      if (asList !== undefined) {
        if (asList.length) b_info.bootloader_args = asList;
      } else {
        const s = b.str('bootloader_args');
        if (s !== undefined) {
          b.say(
            'WARNING: Specifying "bootloader_args" as a string is deprecated. Please use a list of arguments.\n',
            'warning',
            'XL156',
            'bootloader_args',
          );
          const parts = s.split(/[ \t\n]/).filter((x) => x !== '');
          if (parts.length) b_info.bootloader_args = parts;
        }
      }
    }
  }
  const blRestrict = b.defbool('bootloader_restrict');
  if (blRestrict !== undefined) b_info.bootloader_restrict = blRestrict;
  else if (xlConf.bootloaderRestrict !== undefined) b_info.bootloader_restrict = bool(xlConf.bootloaderRestrict);
  setIf(b_info, 'bootloader_user', b.str('bootloader_user'));

  // step 24: timer_mode
  {
    const tmNum = b.long('timer_mode', true);
    const tmStr = tmNum === undefined ? b.str('timer_mode') : undefined;
    if ((tmNum !== undefined || tmStr !== undefined) && type === 'pv') {
      b.fatal('ERROR: "timer_mode" option is not supported for PV guests.\n', 'XL122', 3, 'timer_mode');
    }
    if (tmNum !== undefined) {
      const nm = tmNum >= 0 && tmNum < TIMER_MODES.length ? TIMER_MODES[tmNum] : undefined;
      // libxl_timer_mode_to_string also knows the enum's sentinel -1 "unknown"
      const shown = tmNum === -1 ? 'unknown' : nm;
      b.say(
        'WARNING: specifying "timer_mode" as an integer is deprecated. Please use the named parameter variant. ' +
          (shown ? `e.g. timer_mode="${shown}"` : '') +
          '\n',
        'warning',
        'XL155',
        'timer_mode',
      );
      if (nm === undefined) b.fatal(`ERROR: invalid value ${tmNum} for "timer_mode"\n`, 'XL119', 1, 'timer_mode');
      b_info.timer_mode = nm;
    } else if (tmStr !== undefined) {
      const m = enumFromString(tmStr, ['unknown', ...TIMER_MODES]);
      if (m === undefined) b.fatal(`ERROR: invalid value "${tmStr}" for "timer_mode"\n`, 'XL119', 1, 'timer_mode');
      if (m !== 'unknown') b_info.timer_mode = m;
    }
  }

  // step 25: nestedhvm, then the per-type block
  setIf(b_info, 'nested_hvm', b.defbool('nestedhvm'));
  if (type === 'hvm') hvmBlock1(b);
  else pvBlock(b);

  // step 26: altp2m, vmtrace_buf_kb
  {
    const n = b.long('altp2m', true);
    if (n !== undefined) {
      if (n < 0 || n > 3) b.fatal(`ERROR: invalid value ${n} for "altp2m"\n`, 'XL119', 1, 'altp2m');
      if (n !== 0) b_info.altp2m = ALTP2M_MODES[n];
    } else {
      const s = b.str('altp2m');
      if (s !== undefined) {
        const m = enumFromString(s, ALTP2M_MODES);
        if (m === undefined) b.fatal(`ERROR: invalid value "${s}" for "altp2m"\n`, 'XL119', 1, 'altp2m');
        if (m !== 'disabled') b_info.altp2m = m;
      }
    }
    const vt = b.long('vmtrace_buf_kb', true);
    if (vt !== undefined && vt !== 0) b_info.vmtrace_buf_kb = i32(vt);
  }

  // step 27: ioports, irqs, iomem
  const ioports = b.listItems('ioports');
  if (ioports) {
    const v = b.spec(parseIoports(ioports) as SpecResult<unknown>, 'ioports');
    if (Array.isArray(v) && v.length) b_info.ioports = v;
  }
  const irqs = b.listItems('irqs');
  if (irqs) {
    const v = b.spec(parseIrqs(irqs) as SpecResult<unknown>, 'irqs');
    if (Array.isArray(v) && v.length) b_info.irqs = v;
  }
  const iomem = b.listItems('iomem');
  if (iomem) {
    const v = b.spec(parseIomem(iomem) as SpecResult<unknown>, 'iomem');
    if (Array.isArray(v) && v.length) b_info.iomem = v;
  }

  // step 28: disks
  const disks = b.list('disk');
  if (disks) {
    const out: DeviceDisk[] = [];
    // xlu_cfg_get_listitem until it returns NULL (see Builder.listItems)
    for (let i = 0; ; i++) {
      const spec = listItem(disks, i);
      if (spec === undefined) break;
      const disk = b.spec(parseDiskSpecs([spec], b.opts.source), 'disk');
      if (disk) out.push(disk);
    }
    if (out.length) b.d.disks = out;
  }

  // step 29: the other device lists
  devices(b);

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

  // step 31: device model
  deviceModel(b);

  // step 32: top-level vnc/sdl for PV, dm_restrict
  if (type === 'pv' && !(b.d.vfbs as unknown[] | undefined)?.length) {
    const vnc = b.long('vnc');
    if (vnc !== undefined && vnc !== 0) {
      const vfb: Record<string, unknown> = { devid: 0, vnc: topLevelVnc(b), sdl: topLevelSdl(b) };
      setIf(vfb, 'keymap', b.str('keymap'));
      b.d.vfbs = [vfb];
      const vkbs = (b.d.vkbs as Record<string, unknown>[] | undefined) ?? [];
      vkbs.push({ devid: vkbs.length });
      b.d.vkbs = vkbs;
    }
  }
  setIf(b_info, 'dm_restrict', b.defbool('dm_restrict'));

  // step 33: HVM block 2
  if (type === 'hvm') hvmBlock2(b);

  // step 34: Arm
  {
    const gic = b.str('gic_version', true);
    if (gic !== undefined) {
      const g = enumFromString(gic, ['default', 'v2', 'v3']);
      if (g === undefined) b.fatal(`Unknown gic_version "${gic}" specified\n`, 'XL128', 3, 'gic_version');
      if (g !== 'default') b_info.arch_arm.gic_version = g;
    }
    const tee = b.str('tee', true);
    if (tee !== undefined) {
      const t = enumFromString(tee, ['none', 'optee', 'ffa']);
      if (t === undefined) b.fatal(`Unknown tee "${tee}" specified\n`, 'XL128', 3, 'tee');
      if (t !== 'none') b_info.tee = t;
    }
    const sve = b.str('sve', true);
    if (sve !== undefined) {
      const names = ['hw', 'disabled', ...Array.from({ length: 16 }, (_, i) => String((i + 1) * 128))];
      const s = enumFromString(sve, names);
      if (s === undefined) b.fatal(`Unknown sve "${sve}" specified\n`, 'XL128', 1, 'sve');
      if (s !== 'disabled') b_info.arch_arm.sve_vl = s;
    }
    const spis = b.long('nr_spis');
    if (spis !== undefined && u32(spis) !== 0xffffffff) b_info.arch_arm.nr_spis = u32(spis);
  }

  // step 35: vkb, virtio
  const vkbs = b.listItems('vkb');
  if (vkbs) {
    const list = (b.d.vkbs as Record<string, unknown>[] | undefined) ?? [];
    for (const spec of vkbs) {
      const v = b.spec(parseVkbSpec(spec), 'vkb');
      if (v) list.push(withDevid(v, list.length, BACKEND_KEYS));
    }
    if (list.length) b.d.vkbs = list;
  }
  const virtios = b.listItems('virtio');
  if (virtios) {
    const list: Record<string, unknown>[] = [];
    for (const spec of virtios) {
      const v = b.spec(parseVirtioSpec(spec), 'virtio');
      if (v) list.push(withDevid(v, list.length, VIRTIO_DEVID_AFTER));
    }
    if (list.length) b.d.virtios = list;
  }

  // step 36
  setIf(c_info, 'xend_suspend_evtchn_compat', b.defbool('xend_suspend_evtchn_compat'));
  const msr = b.defbool('msr_relaxed');
  if (msr !== undefined) {
    b_info.arch_x86.msr_relaxed = msr;
    b.say(
      'WARNING: msr_relaxed will be removed in future versions.\n' +
        'If it fixes an issue you are having please report to xen-devel@lists.xenproject.org.\n',
      'warning',
      'XL161',
      'msr_relaxed',
    );
  }
  setIf(b_info, 'vpmu', b.defbool('vpmu'));
}

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
function cpuBitmapBits(b: Builder, nBits: number): number {
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
function checkVcpuLimit(b: Builder, maxVcpus: number, key: string): void {
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
const HVM_MAX_VCPUS = 128;

function setIf(obj: Record<string, unknown>, key: string, v: unknown): void {
  if (v !== undefined) obj[key] = v;
}

/** Adds a non-fatal spec result (cpuid): messages always, value when present. */
function softSpec(b: Builder, r: SpecResult<unknown>, key: string, set: (v: unknown) => void): void {
  const s = b.setting(key);
  for (const m of r.messages) b.messages.push(fromSpec(m, s));
  if (r.value !== undefined) set(r.value);
}

/** `cpus` / `cpus_soft` (parse_vcpu_affinity, xl_parse.c; xl-cfg-format.md §4.8). */
function affinity(b: Builder, key: 'cpus' | 'cpus_soft', hard: boolean): void {
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

/** Grant limits: `xlu_cfg_get_bounded_long(…, 0, INT_MAX, …, dont_warn=1)`; ESRCH → xl.conf value; other failure → silent exit 1. */
function grantLimit(
  b: Builder,
  key: string,
  xlConfValue: number | undefined,
  initValue: number,
  conv: (n: number) => number,
): void {
  const st = b.cfg.get(key);
  let v: number | undefined;
  if (st === undefined) {
    v = xlConfValue;
  } else {
    v = getBoundedLong(b.cfg, key, 0, INT_MAX);
    if (v === undefined) {
      b.messages.push({
        text: '',
        severity: 'error',
        code: 'XL120',
        message: `${key} must be a number from 0 to ${INT_MAX}: xl exits with status 1 without a message`,
        setting: st,
      });
      throw new Exit(1);
    }
  }
  if (v !== undefined && conv(v) !== conv(initValue)) b.b_info[key] = conv(v);
}

/** PV/PVH block of step 25: firmware, then the kernel check. */
function pvBlock(b: Builder): void {
  const fw = b.str('firmware');
  if (fw !== undefined) {
    if (b.b_info.kernel !== undefined) b.fatal('ERROR: both kernel and firmware specified\n', 'XL117', 1, 'firmware');
    if (!isPrefixOf(fw, 'pvgrub32') && !isPrefixOf(fw, 'pvgrub64')) {
      b.fatal('ERROR: only pvgrub{32|64} supported as firmware options\n', 'XL118', 1, 'firmware');
    }
    b.b_info.kernel = `${XEN_FIRMWARE_DIR}/${fw}.bin`;
  }
  if (b.b_info.bootloader === undefined && b.b_info.kernel === undefined) {
    b.fatal('Neither kernel nor bootloader specified\n', 'XL116', 1);
  }
}

/**
 * Viridian group names → their bit numbers in libxl's viridian_enable/_disable bitmaps
 * (libxl_viridian_enlightenment values), ascending, as libxl's JSON lists set bits.
 */
function viridianBits(names: readonly string[]): number[] {
  const bits: number[] = [];
  for (let bit = 0; bit < VIRIDIAN_GROUPS.length; bit++) if (names.includes(VIRIDIAN_GROUPS[bit]!)) bits.push(bit);
  return bits;
}

/** HVM block of step 25 (xl_parse.c `case LIBXL_DOMAIN_TYPE_HVM`). */
function hvmBlock1(b: Builder): void {
  const { b_info, u } = b;
  if (b_info.kernel !== undefined && basename(b_info.kernel) === 'hvmloader') {
    b.say(
      'WARNING: you seem to be using "kernel" directive to override HVM guest firmware. Ignore that. ' +
        'Use "firmware_override" instead if you really want a non-default firmware\n',
      'warning',
      'XL151',
      'kernel',
    );
    delete b_info.kernel;
  }
  setIf(u, 'firmware', b.str('firmware_override'));
  setIf(u, 'system_firmware', b.str('bios_path_override'));
  const bios = b.str('bios');
  if (bios !== undefined) {
    const v = enumFromString(bios, ['unknown', 'rombios', 'seabios', 'ovmf']);
    if (v === undefined) b.fatal(`ERROR: invalid value "${bios}" for "bios"\n`, 'XL119', 1, 'bios');
    if (v !== 'unknown') u.bios = v;
  } else if (u.system_firmware !== undefined) {
    b.say('WARNING: bios_path_override given without specific bios name\n', 'warning', 'XL152', 'bios_path_override');
  }
  setIf(u, 'pae', b.defbool('pae'));
  setIf(u, 'acpi_s3', b.defbool('acpi_s3'));
  setIf(u, 'acpi_s4', b.defbool('acpi_s4'));
  setIf(u, 'acpi_laptop_slate', b.defbool('acpi_laptop_slate'));
  setIf(u, 'nx', b.defbool('nx'));
  setIf(u, 'hpet', b.defbool('hpet'));
  setIf(u, 'vpt_align', b.defbool('vpt_align'));
  setIf(b_info, 'apic', b.defbool('apic'));
  setIf(u, 'pirq', b.defbool('hvm_pirq'));

  // viridian: a list of groups, else a boolean read silently
  const vl = b.list('viridian', true);
  if (vl) {
    const items = getStringList(b.cfg, 'viridian') ?? [];
    const r = b.spec(parseViridian(items), 'viridian');
    if (r) {
      // `defaults` sets the defbool; libxl adds the default groups when it builds the domain
      if (r.defaults) u.viridian = 'True';
      const enable = viridianBits(r.enable);
      // `all` is libxl_bitmap_set_any: bits 13…63 too (no group has them, so nothing clears them)
      if (r.all) for (let bit = VIRIDIAN_GROUPS.length; bit < VIRIDIAN_BITMAP_WIDTH; bit++) enable.push(bit);
      const disable = viridianBits(r.disable);
      if (enable.length) u.viridian_enable = enable;
      if (disable.length) u.viridian_disable = disable;
    }
  } else if (b.has('viridian')) {
    setIf(u, 'viridian', b.defbool('viridian', true));
  }

  const hole = b.long('mmio_hole');
  if (hole !== undefined) {
    const bytes = hole * 1024 * 1024;
    if (bytes < MMIO_HOLE_MIN || bytes > MMIO_HOLE_MAX) {
      b.fatal(`ERROR: invalid value ${hole} for "mmio_hole"\n`, 'XL130', 1, 'mmio_hole');
    }
    u.mmio_hole_memkb = hole * 1024;
  }

  const altp2mhvm = b.defbool('altp2mhvm');
  if (altp2mhvm !== undefined) {
    u.altp2m = altp2mhvm;
    b.say('WARNING: Specifying "altp2mhvm" is deprecated. Please use "altp2m" instead.\n', 'warning', 'XL153', 'altp2mhvm');
  }
  setIf(u, 'smbios_firmware', b.str('smbios_firmware'));
  setIf(u, 'acpi_firmware', b.str('acpi_firmware'));

  const smbios = b.list('smbios');
  if (smbios) {
    const items = getStringList(b.cfg, 'smbios') ?? [];
    const r = b.spec(parseSmbios(items), 'smbios');
    if (r && r.length) u.smbios = r;
  } else if (b.has('smbios')) {
    b.fatal('xl: Unable to parse smbios options.\n', 'XL124', 1, 'smbios');
  }

  const genid = b.str('ms_vm_genid');
  if (genid !== undefined) {
    if (genid === 'generate') {
      u.ms_vm_genid = Array.from({ length: 16 }, () => Math.floor(b.random() * 256) & 0xff);
    } else if (genid !== 'none') {
      b.fatal('ERROR: "ms_vm_genid" option must be "generate" or "none"\n', 'XL131', 1, 'ms_vm_genid');
    }
  }

  const rdmb = b.long('rdm_mem_boundary');
  if (rdmb !== undefined) u.rdm_mem_boundary_memkb = kb(rdmb);

  const mca = b.list('mca_caps', true);
  if (mca) {
    let caps = 0;
    for (let i = 0; i < mca.items.length; i++) {
      const s = listItem(mca, i);
      if (s === 'lmce') caps |= 1;
      else b.fatal(`ERROR: unrecognized MCA capability '${s ?? '(null)'}'.\n`, 'XL132', 3, 'mca_caps');
    }
    if (caps) u.mca_caps = caps;
  } else if (b.has('mca_caps')) {
    b.fatal('ERROR: unable to parse mca_caps.\n', 'XL132', 3, 'mca_caps');
  }

  const fw = b.str('firmware');
  if (fw !== undefined) {
    const bt = enumFromString(fw, ['unknown', 'rombios', 'seabios', 'ovmf']);
    if (bt !== undefined) {
      if (bt !== 'unknown') u.bios = bt;
      else delete u.bios;
    } else if (isPrefixOf(fw, 'uefi')) {
      u.bios = 'ovmf';
    } else if (!isPrefixOf(fw, 'bios')) {
      u.firmware = fw;
    }
  }
}

/**
 * One simple device list: each item of list `key` through `parse`, kept when it parses,
 * `devid` = position among the kept ones inserted after the `after` keys (none when
 * null), stored as `d[out]` when any.
 */
function each(
  b: Builder,
  key: string,
  parse: (spec: string) => SpecResult<Record<string, unknown>>,
  after: readonly string[] | null,
  out: string,
): void {
  const items = b.listItems(key);
  if (!items) return;
  const list: Record<string, unknown>[] = [];
  for (const spec of items) {
    const v = b.spec(parse(spec), key);
    if (v) list.push(after ? withDevid(v, list.length, after) : v);
  }
  if (list.length) b.d[out] = list;
}

/** Keys a usbctrl's devid follows (libxl_device_usbctrl in libxl_types.idl). */
const USBCTRL_DEVID_AFTER = ['type'] as const;

/** Step 29: p9, vtpm, vdispl, pvcalls, vsnd, channel, vif, vif2, vfb, usbctrl, usbdev. */
function devices(b: Builder): void {
  const d = b.d;

  if (b.has('p9')) {
    const name = b.c_info.name ?? '';
    each(b, 'p9', (s) => parseP9Spec(s, name), P9_DEVID_AFTER, 'p9s');
  }
  each(b, 'vtpm', parseVtpmSpec, BACKEND_KEYS, 'vtpms');
  each(b, 'vdispl', parseVdisplSpec, BACKEND_KEYS, 'vdispls');
  each(b, 'pvcalls', parsePvcallsSpec, BACKEND_KEYS, 'pvcallsifs');

  const vsnd = b.list('vsnd');
  if (vsnd) {
    const cards: Record<string, unknown>[] = [];
    for (const item of vsnd.items) {
      if (item.kind !== 'list') {
        // libxlu's xlu_cfg_value_get_list warns (line of the item, column always 0); xl exits
        b.say(`${b.opts.source}:${item.range.start.line}:0: warning: value is not a list\n`, 'warning', 'XL107', 'vsnd');
        b.fatal('', 'XL134', 1, 'vsnd', 'each vsnd element must be a list describing one sound card: xl exits with status 1');
      }
      const v = b.spec(parseVsndCard((item as ListValue).items as Value[]) as SpecResult<Record<string, unknown>>, 'vsnd');
      if (v) cards.push(withDevid(v, cards.length, BACKEND_KEYS));
    }
    if (cards.length) d.vsnds = cards;
  }

  each(b, 'channel', parseChannelSpec, BACKEND_KEYS, 'channels');

  // vif: devid = list index; xl.conf defaults applied first
  const vifs = b.list('vif');
  if (vifs) {
    const xc = b.opts.xlConf ?? NO_XL_CONF;
    const defaults: NicDefaults = xc === NO_XL_CONF ? NO_NIC_DEFAULTS : {};
    if (xc.vifDefaultBridge !== undefined) defaults.bridge = xc.vifDefaultBridge;
    if (xc.vifDefaultScript !== undefined) defaults.script = xc.vifDefaultScript;
    if (xc.vifDefaultBackend !== undefined) defaults.backend = xc.vifDefaultBackend;
    if (xc.vifDefaultGatewaydev !== undefined) defaults.gatewaydev = xc.vifDefaultGatewaydev;
    const nics: DeviceNic[] = [];
    // xlu_cfg_get_listitem until it returns NULL (see Builder.listItems)
    for (let i = 0; ; i++) {
      const spec = listItem(vifs, i);
      if (spec === undefined) break;
      const nic = b.spec(parseNicSpec(spec, { source: b.opts.source, mode: 'config', devid: i, defaults }), 'vif');
      if (nic) nics.push(nic);
    }
    if (nics.length) d.nics = nics;
  }
  if (b.list('vif2') !== undefined) {
    b.say('WARNING: vif2: netchannel2 is deprecated and not supported by xl\n', 'warning', 'XL160', 'vif2');
  }

  // vfb: each entry also adds a vkb
  const vfbs = b.listItems('vfb');
  if (vfbs) {
    const vfbList: Record<string, unknown>[] = [];
    const vkbList = (d.vkbs as Record<string, unknown>[] | undefined) ?? [];
    for (const spec of vfbs) {
      const v = b.spec(parseVfbSpec(spec), 'vfb');
      if (!v) continue;
      vfbList.push(withDevid(v, vfbList.length, BACKEND_KEYS));
      vkbList.push({ devid: vkbList.length });
    }
    if (vfbList.length) d.vfbs = vfbList;
    if (vkbList.length) d.vkbs = vkbList;
  }

  each(b, 'usbctrl', parseUsbctrlSpec, USBCTRL_DEVID_AFTER, 'usbctrls');
  each(b, 'usbdev', parseUsbdevSpec, null, 'usbdevs');
}

/** The device_model_args* keys and the b_info fields they fill (xl_parse.c). */
const DM_ARGS = [
  ['device_model_args', 'extra'],
  ['device_model_args_pv', 'extra_pv'],
  ['device_model_args_hvm', 'extra_hvm'],
] as const;

/** Step 31: device model keys. */
function deviceModel(b: Builder): void {
  const { b_info } = b;
  const dm = b.str('device_model');
  if (dm !== undefined) {
    b.say(
      'WARNING: ignoring device_model directive.\n' +
        'WARNING: Use "device_model_override" instead if you really want a non-default device_model\n',
      'warning',
      'XL158',
      'device_model',
    );
    if (dm.includes('stubdom-dm')) {
      if (b.type === 'hvm') {
        b.say('WARNING: Or use "device_model_stubdomain_override" if you  want to enable stubdomains\n', 'warning', 'XL158', 'device_model');
      } else {
        b.say('WARNING: ignoring "device_model_stubdomain_override" directive for pv guest\n', 'warning', 'XL158', 'device_model');
      }
    }
  }
  setIf(b_info, 'device_model', b.str('device_model_override'));
  const ver = b.str('device_model_version');
  if (ver !== undefined) {
    if (ver !== 'qemu-xen') b.fatal(`Unknown device_model_version "${ver}" specified\n`, 'XL123', 1, 'device_model_version');
    b_info.device_model_version = 'qemu_xen';
  } else if (b_info.device_model !== undefined) {
    b.say('WARNING: device model override given without specific DM version\n', 'warning', 'XL159', 'device_model_override');
  }
  setIf(b_info, 'device_model_stubdomain', b.defbool('device_model_stubdomain_override'));
  setIf(b_info, 'device_model_ssid_label', b.str('device_model_stubdomain_seclabel'));
  setIf(b_info, 'device_model_user', b.str('device_model_user'));
  setIf(b_info, 'stubdomain_kernel', b.str('stubdomain_kernel'));
  setIf(b_info, 'stubdomain_cmdline', b.str('stubdomain_cmdline'));
  setIf(b_info, 'stubdomain_ramdisk', b.str('stubdomain_ramdisk'));
  const sm = b.long('stubdomain_memory');
  if (sm !== undefined) b_info.stubdomain_memkb = kb(sm) as number;

  for (const [key, field] of DM_ARGS) {
    if (!b.has(key)) continue;
    const l = getStringList(b.cfg, key, b.report);
    if (l === undefined) b.fatal(`xl: Unable to parse ${key}.\n`, 'XL124', 3, key);
    if (l.length) b_info[field] = l;
  }
}

function topLevelVnc(b: Builder): Record<string, unknown> {
  const vnc: Record<string, unknown> = {};
  setIf(vnc, 'enable', b.defbool('vnc'));
  setIf(vnc, 'listen', b.str('vnclisten'));
  setIf(vnc, 'passwd', b.str('vncpasswd'));
  const disp = b.long('vncdisplay');
  if (disp !== undefined && i32(disp) !== 0) vnc.display = i32(disp);
  setIf(vnc, 'findunused', b.defbool('vncunused'));
  return vnc;
}

function topLevelSdl(b: Builder): Record<string, unknown> {
  const sdl: Record<string, unknown> = {};
  setIf(sdl, 'enable', b.defbool('sdl'));
  setIf(sdl, 'opengl', b.defbool('opengl'));
  setIf(sdl, 'display', b.str('display'));
  setIf(sdl, 'xauthority', b.str('xauthority'));
  return sdl;
}

/** HVM block of step 33. */
function hvmBlock2(b: Builder): void {
  const { u } = b;
  const vga = b.str('vga');
  if (vga !== undefined) {
    const k = Object.hasOwn(VGA_KINDS, vga) ? VGA_KINDS[vga] : undefined;
    if (k === undefined) b.fatal(`Unknown vga "${vga}" specified\n`, 'XL125', 1, 'vga');
    u.vga = { kind: k };
  } else {
    const std = b.long('stdvga');
    if (std !== undefined) u.vga = { kind: std ? 'std' : 'cirrus' };
  }
  const hdtype = b.str('hdtype');
  if (hdtype !== undefined) {
    const h = enumFromString(hdtype, ['ide', 'ahci']);
    if (h === undefined) b.fatal(`ERROR: invalid value "${hdtype}" for "hdtype"\n`, 'XL119', 1, 'hdtype');
    if (h !== 'ide') u.hdtype = h;
  }
  const vnc = topLevelVnc(b);
  u.vnc = vnc;
  u.sdl = topLevelSdl(b);
  setIf(u, 'keymap', b.str('keymap'));

  const spice: Record<string, unknown> = {};
  setIf(spice, 'enable', b.defbool('spice'));
  const port = b.long('spiceport');
  if (port !== undefined && i32(port) !== 0) spice.port = i32(port);
  const tls = b.long('spicetls_port');
  if (tls !== undefined && i32(tls) !== 0) spice.tls_port = i32(tls);
  setIf(spice, 'host', b.str('spicehost'));
  setIf(spice, 'disable_ticketing', b.defbool('spicedisable_ticketing'));
  setIf(spice, 'passwd', b.str('spicepasswd'));
  setIf(spice, 'agent_mouse', b.defbool('spiceagent_mouse'));
  setIf(spice, 'vdagent', b.defbool('spicevdagent'));
  setIf(spice, 'clipboard_sharing', b.defbool('spice_clipboard_sharing'));
  const usbr = b.long('spiceusbredirection');
  if (usbr !== undefined && i32(usbr) !== 0) spice.usbredirection = i32(usbr);
  setIf(spice, 'image_compression', b.str('spice_image_compression'));
  setIf(spice, 'streaming_video', b.str('spice_streaming_video'));
  u.spice = spice;
  setIf(u, 'nographic', b.defbool('nographic'));

  const gfxNum = b.long('gfx_passthru', true);
  if (gfxNum !== undefined) {
    u.gfx_passthru = bool(gfxNum !== 0);
  } else {
    const g = b.str('gfx_passthru');
    if (g !== undefined) {
      const k = enumFromString(g, ['default', 'igd']);
      if (k === undefined) b.fatal(`ERROR: invalid value "${g}" for "gfx_passthru"\n`, 'XL119', 1, 'gfx_passthru');
      u.gfx_passthru = 'True';
      if (k !== 'default') u.gfx_passthru_kind = k;
    }
  }

  stringOrList(b, 'serial', 'serial_list', 'serial');
  setIf(u, 'boot', b.str('boot'));
  setIf(u, 'usb', b.defbool('usb'));
  const usbversion = b.long('usbversion');
  if (usbversion !== undefined && i32(usbversion) !== 0) u.usbversion = i32(usbversion);
  stringOrList(b, 'usbdevice', 'usbdevice_list', 'usbdevice');
  setIf(u, 'vkb_device', b.defbool('vkb_device'));
  setIf(u, 'soundhw', b.str('soundhw'));
  setIf(u, 'xen_platform_pci', b.defbool('xen_platform_pci'));

  if (typeof vnc.listen === 'string' && vnc.display && vnc.listen.includes(':')) {
    b.fatal('ERROR: Display specified both in vnclisten and vncdisplay!\n', 'XL126', 1, 'vnclisten');
  }

  const vendor = b.str('vendor_device');
  if (vendor !== undefined) {
    const v = enumFromString(vendor, ['none', 'xenserver']);
    if (v === undefined) b.fatal(`xl: unknown vendor_device '${vendor}'\n`, 'XL127', 3, 'vendor_device');
    if (v !== 'none') u.vendor_device = v;
  }
}

/** `serial` / `usbdevice`: a string list (silently tried), else one string, else "Unable to parse" (exit 3). */
function stringOrList(b: Builder, key: string, listField: string, strField: string): void {
  if (!b.has(key)) return;
  const l = getStringList(b.cfg, key);
  if (l !== undefined) {
    if (l.length) b.u[listField] = l;
    return;
  }
  const s = b.str(key);
  if (s === undefined) b.fatal(`xl: Unable to parse ${key}.\n`, 'XL124', 3, key);
  b.u[strField] = s;
}
