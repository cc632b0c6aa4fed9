/**
 * The network interface (vif) specification: `vif=[ "VIFSPEC", … ]` in a domain config
 * and the arguments of `xl network-attach`.
 *
 * Follows xl `parse_nic_config`, `set_default_nic_values` and the `vif=` loop of
 * `parse_config_data` (tools/xl/xl_parse.c), `main_networkattach`
 * (tools/xl/xl_nic.c), xl-network-configuration(5), xl-cfg-format.md §4.2.
 */

import type { DeviceNic } from '../libxl.js';
import type { SpecMessage, SpecResult } from './types.js';
import { parseVifRate } from './rate.js';
import { formatMac } from './mac.js';
import { strtoulC, toInt32, toUint32, ULONG_MAX } from './vdev.js';
import { hexDigit } from './split.js';

/** xl.conf `vif.default.*` values xl copies into every new vif before parsing it (`set_default_nic_values`). */
export interface NicDefaults {
  /** `vif.default.bridge` → libxl `bridge`. */
  bridge?: string;
  /** `vif.default.script` → libxl `script`. */
  script?: string;
  /** `vif.default.backend` → libxl `backend_domname`. */
  backend?: string;
  /** `vif.default.gatewaydev` → libxl `gatewaydev`. */
  gatewaydev?: string;
}

/** Options of {@link parseNicSpec} and {@link parseNicTokens}. */
export interface NicParseOptions {
  /** Config file name as typed, or `command line` for network-attach; starts `rate=` error lines. */
  source: string;
  /**
   * `config`: a `vif=` list item; xl ignores the result of each field, so unknown
   * fields, a bad `type=` or `mac=` only print (XL212 warning) and the NIC is kept.
   * `attach`: `xl network-attach`; the first bad field fails the command (XL211, exit 1).
   * In both modes `rate=`, `devid=`, `mtu=` errors make xl exit 1.
   */
  mode: 'config' | 'attach';
  /** The devid xl gives the NIC before parsing: the list index in a config; -1 (unset, libxl picks) for network-attach. */
  devid: number;
  /** xl.conf vif defaults. */
  defaults?: NicDefaults;
}

/** COLO string fields, cfg key = libxl field, in libxl_types.idl order. */
const COLO_FIELDS: readonly string[] = (() => {
  const out: string[] = [];
  const idIpPort = (p: string): void => {
    for (const s of ['id', 'ip', 'port']) out.push(`${p}_${s}`);
  };
  idIpPort('colo_sock_mirror');
  idIpPort('colo_sock_compare_pri_in');
  idIpPort('colo_sock_compare_sec_in');
  idIpPort('colo_sock_compare_notify');
  for (const n of [0, 1, 2]) idIpPort(`colo_sock_redirector${n}`);
  out.push('colo_filter_mirror_queue', 'colo_filter_mirror_outdev');
  for (const n of [0, 1]) for (const s of ['queue', 'indev', 'outdev']) out.push(`colo_filter_redirector${n}_${s}`);
  out.push('colo_compare_pri_in', 'colo_compare_sec_in', 'colo_compare_out', 'colo_compare_notify_dev');
  for (const n of [0, 1]) idIpPort(`colo_sock_sec_redirector${n}`);
  for (const n of [0, 1]) for (const s of ['queue', 'indev', 'outdev']) out.push(`colo_filter_sec_redirector${n}_${s}`);
  out.push('colo_filter_sec_rewriter0_queue', 'colo_checkpoint_host', 'colo_checkpoint_port');
  return out;
})();

/**
 * Simple `key=` → string field mappings of parse_nic_config. A Map: the keys looked up are
 * slices of the spec, which a property lookup would first have to find in V8's string table.
 */
const STRING_KEYS: ReadonlyMap<string, string> = new Map([
  ['bridge', 'bridge'],
  ['gatewaydev', 'gatewaydev'],
  ['ip', 'ip'],
  ['script', 'script'],
  ['backend', 'backend_domname'],
  ['vifname', 'ifname'],
  ['model', 'model'],
  ['forwarddev', 'coloft_forwarddev'],
  ['vlan', 'vlan'],
  ...COLO_FIELDS.map((f): [string, string] => [f, f]),
]);

/** The NIC being filled (libxl_device_nic after libxl_device_nic_init + set_default_nic_values). */
interface NicState {
  strings: Record<string, string>;
  devid: number;
  mtu: number;
  mac: number[];
  nictype?: 'vif' | 'vif_ioemu';
  rate?: { bytesPerInterval: number; intervalUsecs: number };
  trusted?: boolean;
  /** Whether any COLO string field was set (so `result` need not look for them). */
  hasColo?: boolean;
}

/** Outcome of one field. */
type FieldOutcome = 'ok' | 'bad' | 'exit';

/** xl's `parse_ulong`: `strtoul(…, 10)`, fails on no digits or ULONG_MAX. */
function parseUlong(v: string): bigint | undefined {
  const r = strtoulC(v, 0, 10);
  if (r.end === 0 || r.value === ULONG_MAX) return undefined;
  return r.value;
}

/**
 * The `mac=` loop: six `strtoul(…, 16)` groups, each ≤ 255 (after narrowing to
 * `unsigned int`), the pointer advanced one character past each group whatever that
 * character is. `memory` holds the value followed by what C would find after its
 * terminating NUL (see `parseOne`), so a short MAC reads on into the next field as xl
 * does. Bytes before the failing group stay set.
 */
function parseMac(memory: string, mac: number[]): boolean {
  let p = 0;
  for (let i = 0; i < 6; i++) {
    if (p > memory.length) return false;
    const r = strtoulC(memory, p, 16);
    const val = toUint32(r.value);
    if (r.end === p || val > 255) return false;
    mac[i] = val;
    p = r.end + 1;
  }
  return true;
}

/**
 * The common case of the `mac=` loop: exactly `xx:xx:xx:xx:xx:xx` (two hex digits per
 * group, `:` between groups, nothing else). For such a value the six `strtoul(…, 16)`
 * calls of {@link parseMac} read exactly these bytes, so the result is the same; fills
 * `mac` and returns true. Returns false (leaving `mac` untouched) for anything else,
 * which then goes through {@link parseMac}.
 */
function plainMac(value: string, mac: number[]): boolean {
  if (value.length !== 17) return false;
  for (let i = 0; i < 6; i++) {
    const p = i * 3;
    if (i < 5 && value.charCodeAt(p + 2) !== 58) return false;
    if (hexDigit(value.charCodeAt(p)) < 0 || hexDigit(value.charCodeAt(p + 1)) < 0) return false;
  }
  for (let i = 0; i < 6; i++) {
    const p = i * 3;
    mac[i] = hexDigit(value.charCodeAt(p)) * 16 + hexDigit(value.charCodeAt(p + 1));
  }
  return true;
}

/**
 * Check a `vlan=` value against the format xl-network-configuration(5) documents (xl
 * itself passes it on unchecked; xl-cfg-format.md §4.2 "vlan format"): terms separated
 * by `/`, each `N[p|u]`, `N1-N2[u]` or `N+OxC[u]` with IDs 1–4094, and exactly one PVID
 * when more than one ID is listed. Returns what is wrong, or undefined when it is fine.
 */
export function checkVlan(value: string): string | undefined {
  let ids = 0;
  let pvids = 0;
  for (const term of value.split('/')) {
    const m = /^([0-9]+)(?:-([0-9]+)|\+([0-9]+)x([0-9]+))?([pu]?)$/.exec(term);
    if (!m) return `"${term}" is not a VLAN term (N, Np, Nu, N1-N2, N+OxC)`;
    const n = Number(m[1]);
    const flag = m[5];
    let last = n;
    let count = 1;
    if (m[2] !== undefined) {
      last = Number(m[2]);
      if (last < n) return `the range "${term}" runs backwards`;
      count = last - n + 1;
    } else if (m[3] !== undefined) {
      count = Number(m[4]) + 1;
      last = n + Number(m[3]) * Number(m[4]);
    }
    if (n < 1 || last > 4094) return `VLAN IDs are 1 to 4094, "${term}" is outside`;
    if (flag === 'p') {
      if (count > 1) return `only a single ID can be the PVID ("${term}")`;
      pvids++;
    }
    ids += count;
  }
  if (pvids > 1) return 'more than one ID is marked as the PVID (p)';
  if (ids > 1 && pvids === 0) return 'several IDs are listed but none is marked as the PVID (p)';
  return undefined;
}

/** No xl.conf vif defaults. */
const NO_DEFAULTS: NicDefaults = Object.freeze({});

/** Parses fields into one NIC, collecting messages. */
class NicParser {
  readonly messages: SpecMessage[] = [];
  readonly st: NicState;
  exitCode?: number;

  constructor(private readonly opts: NicParseOptions) {
    this.st = { strings: {}, devid: opts.devid, mtu: 0, mac: [0, 0, 0, 0, 0, 0] };
    const d = opts.defaults ?? NO_DEFAULTS;
    if (d.script !== undefined) this.st.strings.script = d.script;
    if (d.bridge !== undefined) this.st.strings.bridge = d.bridge;
    if (d.gatewaydev !== undefined) this.st.strings.gatewaydev = d.gatewaydev;
    if (d.backend !== undefined) this.st.strings.backend_domname = d.backend;
  }

  /** A field xl rejects: a warning in a config (xl goes on), an error for network-attach. */
  private bad(text: string, message: string, span: [number, number]): FieldOutcome {
    const config = this.opts.mode === 'config';
    this.messages.push({ text, severity: config ? 'warning' : 'error', code: config ? 'XL212' : 'XL211', message, span });
    return 'bad';
  }

  /**
   * `parse_nic_config` for one field.
   * @param token the field text (leading spaces already skipped)
   * @param afterText with `afterAt`: what lies in memory after the field's terminating
   *   NUL is `afterText.slice(afterAt)` (taken only when a short `mac=` needs it)
   * @param at offset of the token in the caller's string, for spans
   */
  parseOne(token: string, afterText: string, afterAt: number, at: number): FieldOutcome {
    const st = this.st;
    const eq = token.indexOf('=');
    const key = eq < 0 ? undefined : token.slice(0, eq);
    const value = eq < 0 ? '' : token.slice(eq + 1);
    const vstart = at + eq + 1;
    let field: string | undefined; // set by the STRING_KEYS branch
    if (key === 'type') {
      if (value === 'vif') st.nictype = 'vif';
      else if (value === 'ioemu') st.nictype = 'vif_ioemu';
      else return this.bad("Invalid parameter `type'.\n", `type must be vif (PV only) or ioemu (emulated and PV), not "${value}"`, [vstart, at + token.length]);
    } else if (key === 'mac') {
      if (!plainMac(value, st.mac) && !parseMac(value + '\0' + afterText.slice(afterAt), st.mac)) {
        return this.bad(
          "Invalid parameter `mac'.\n",
          `"${value}" is not a MAC address: write six hex bytes 00-ff separated by ":", e.g. 00:16:3e:12:34:56`,
          [vstart, at + token.length],
        );
      }
    } else if (key === 'netdev') {
      this.messages.push({
        text: 'the netdev parameter is deprecated, please use gatewaydev instead\n',
        severity: 'warning',
        code: 'XL212',
        message: `netdev= is the old name of gatewaydev=; write gatewaydev=${value}`,
        span: [at, at + token.length],
      });
      st.strings.gatewaydev = value;
    } else if (key !== undefined && (field = STRING_KEYS.get(key)) !== undefined) {
      st.strings[field] = value;
      if (field.startsWith('colo_')) st.hasColo = true;
      const vlanProblem = key === 'vlan' ? checkVlan(value) : undefined;
      if (vlanProblem !== undefined) {
        this.messages.push({
          text: '',
          severity: 'warning',
          code: 'XL214',
          message: `vlan=${value}: ${vlanProblem}; xl passes it on unchecked and the hotplug script will reject or misread it`,
          span: [vstart, at + token.length],
        });
      }
    } else if (key === 'rate') {
      const r = parseVifRate(value, this.opts.source);
      for (const m of r.messages) this.messages.push(m.span ? { ...m, span: [m.span[0] + vstart, m.span[1] + vstart] } : m);
      if (!r.value) {
        this.exitCode = r.exitCode ?? 1;
        return 'exit';
      }
      st.rate = r.value;
    } else if (key === 'accel') {
      this.messages.push({
        text: 'the accel parameter for vifs is currently not supported\n',
        severity: 'warning',
        code: 'XL212',
        message: 'accel= has no effect in xl; remove it',
        span: [at, at + token.length],
      });
    } else if (key === 'devid' || key === 'mtu') {
      const n = parseUlong(value);
      if (n === undefined) {
        this.messages.push({
          text: `xl: failed to convert "${value}" to number\n`,
          severity: 'error',
          code: 'XL211',
          message: `${key}= needs a decimal number, not "${value}"`,
          span: [vstart, at + token.length],
        });
        this.exitCode = 1;
        return 'exit';
      }
      if (key === 'devid') st.devid = toInt32(n);
      else st.mtu = toInt32(n);
    } else if (token === 'trusted') {
      st.trusted = true;
    } else if (token === 'untrusted') {
      st.trusted = false;
    } else {
      return this.bad(
        `unrecognized argument \`${token}'\n`,
        `"${token}" is not a vif setting; known ones are mac, bridge, type, model, vifname, script, ip, backend, rate, devid, mtu, gatewaydev, vlan, trusted, untrusted`,
        [at, at + token.length],
      );
    }
    return 'ok';
  }

  /** The libxl_device_nic with keys in IDL order, default-valued fields omitted. */
  result(): DeviceNic {
    const st = this.st;
    const s = st.strings;
    const nic: DeviceNic = {};
    if (s.backend_domname !== undefined) nic.backend_domname = s.backend_domname;
    if (st.devid !== -1) nic.devid = st.devid;
    if (st.mtu !== 0) nic.mtu = st.mtu;
    if (s.model !== undefined) nic.model = s.model;
    const mac = st.mac;
    if (mac[0] || mac[1] || mac[2] || mac[3] || mac[4] || mac[5]) nic.mac = formatMac(mac);
    if (s.ip !== undefined) nic.ip = s.ip;
    if (s.bridge !== undefined) nic.bridge = s.bridge;
    if (s.ifname !== undefined) nic.ifname = s.ifname;
    if (s.script !== undefined) nic.script = s.script;
    if (st.nictype !== undefined) nic.nictype = st.nictype;
    if (st.rate) {
      nic.rate_bytes_per_interval = st.rate.bytesPerInterval;
      nic.rate_interval_usecs = st.rate.intervalUsecs;
    }
    if (s.gatewaydev !== undefined) nic.gatewaydev = s.gatewaydev;
    if (s.coloft_forwarddev !== undefined) nic.coloft_forwarddev = s.coloft_forwarddev;
    if (st.hasColo) for (const f of COLO_FIELDS) if (s[f] !== undefined) nic[f] = s[f];
    if (st.trusted !== undefined) nic.trusted = st.trusted ? 'True' : 'False';
    if (s.vlan !== undefined) nic.vlan = s.vlan;
    return nic;
  }
}

/**
 * Parse one vif spec string into a libxl_device_nic, as xl does
 * (tools/xl/xl_parse.c `parse_nic_config` and the `vif=` loop; xl-cfg-format.md §4.2).
 *
 * The string is cut at every `,` like C `strtok` (empty fields vanish); leading spaces
 * (U+0020 only) of each field are skipped, trailing ones kept; an empty string is a NIC
 * with all defaults. xl.conf `vif.default.*` values are applied first.
 *
 * @param spec the vif list item
 * @param opts see {@link NicParseOptions}. In `attach` mode the string is split the same
 *   way and parsing stops at the first bad field (use {@link parseNicTokens} for the
 *   exact network-attach argv path).
 * @returns `value`: the NIC with keys in libxl IDL order and defaults omitted (`devid`
 *   present unless it is -1; `mac` only when set; `trusted` as "True"/"False"); undefined
 *   when xl would exit. `messages`: xl's exact stderr lines — `` Invalid parameter `type'. ``,
 *   `` Invalid parameter `mac'. ``, `` unrecognized argument `<field>' `` (XL212 warning in a
 *   config, XL211 error for attach), the netdev/accel notices (XL212), rate errors
 *   (XL213), `xl: failed to convert "<v>" to number` (XL211); plus an xlsim-only XL214 warning
 *   (empty text) for a `vlan=` value outside the documented format. `exitCode`: 1 when xl exits.
 *   Never throws.
 */
export function parseNicSpec(spec: string, opts: NicParseOptions): SpecResult<DeviceNic> {
  const p = new NicParser(opts);
  // strtok(buf, ","): each call nulls the delimiter right after the token it returns;
  // what lies beyond is still the raw spec text.
  let i = 0;
  for (;;) {
    while (spec[i] === ',') i++;
    if (i >= spec.length) break;
    let e = spec.indexOf(',', i);
    if (e < 0) e = spec.length;
    let t = i;
    while (spec[t] === ' ') t++;
    const outcome = p.parseOne(spec.slice(t, e), spec, e + 1, t);
    if (outcome === 'exit' || (outcome === 'bad' && opts.mode === 'attach')) {
      return { messages: p.messages, exitCode: p.exitCode ?? 1 };
    }
    i = e + 1;
  }
  return { value: p.result(), messages: p.messages };
}

/**
 * Parse the vif fields of `xl network-attach DOM TOKEN…`, one argv item per field, as
 * `main_networkattach` does (tools/xl/xl_nic.c → `parse_nic_config`): no comma
 * splitting and no space skipping (a comma stays part of the value), and the command
 * fails at the first bad field. As in C, a short `mac=` reads on into the next argv
 * item (argv strings lie back to back in memory).
 *
 * @param tokens the field arguments, e.g. `['bridge=xenbr1', 'rate=10MB/s']`
 * @param opts see {@link NicParseOptions}; normally `mode: 'attach'`, `devid: -1`,
 *   `source: 'command line'`. With `mode: 'config'` bad fields only warn.
 * @returns as {@link parseNicSpec}; exitCode 1 on the first bad field. Never throws.
 */
export function parseNicTokens(tokens: string[], opts: NicParseOptions): SpecResult<DeviceNic> {
  const p = new NicParser(opts);
  let at = 0;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    const outcome = p.parseOne(token, tokens.slice(k + 1).join('\0'), 0, at);
    if (outcome === 'exit' || (outcome === 'bad' && opts.mode === 'attach')) {
      return { messages: p.messages, exitCode: p.exitCode ?? 1 };
    }
    at += token.length + 1;
  }
  return { value: p.result(), messages: p.messages };
}
