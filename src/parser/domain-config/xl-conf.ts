/**
 * xl's global configuration file `/etc/xen/xl.conf`, read as `parse_global_config()`
 * in tools/xl/xl.c (Xen 4.20) reads it, into the `XlConf` values `buildDomainConfig`
 * and the toolstack use. Reference: xl-cfg-format.md §3.11, xl-commands.md §1.7.
 */
import type { ConfigFile } from '../config-file.js';
import { getBoundedLong, getDefbool, getLong, getString, type Report } from '../getters.js';
import { parseCpuList } from '../specs/cpumap.js';
import type { DomainConfig, HostFacts } from '../libxl.js';
import { getterWarningCode } from './builder.js';
import type { BuildMessage, XlConf } from './types.js';

/** Everything xl.conf sets: the `XlConf` fields plus the toolstack-only ones. */
export interface XlConfFull extends XlConf {
  /** `autoballoon`: `on`/`1`, `off`/`0`, `auto` (default auto). */
  autoballoon?: 'on' | 'off' | 'auto';
  /** `lockfile` (default /var/lock/xl). */
  lockfile?: string;
  /** `output_format` for `xl list -l`: json (default) or sxp. */
  outputFormat?: 'json' | 'sxp';
  /** `remus.default.netbufscript`. */
  remusNetbufscript?: string;
  /** `colo.default.proxyscript`. */
  coloProxyscript?: string;
  /** `vm.cpumask`, `vm.hvm.cpumask`, `vm.pv.cpumask` as pCPU ids (unset = any pCPU). */
  vmCpumask?: number[];
  vmHvmCpumask?: number[];
  vmPvCpumask?: number[];
  /** `domid_policy`: xen (sequential, default) or random. */
  domidPolicy?: 'xen' | 'random';
}

/** What `readXlConf` returns. */
export interface XlConfResult {
  conf: XlConfFull;
  /** Messages in xl's order (exact stderr bytes in `text`). */
  messages: BuildMessage[];
  /** Set when xl exits (a bad max_grant_* value: status 1, no message). */
  exitCode?: number;
}

const INT_MAX = 0x7fffffff;

/**
 * Reads xl.conf values as xl's `parse_global_config` does (tools/xl/xl.c): libxlu getter
 * warnings as for a domain config; `vifscript`/`defaultbridge` are honoured with the
 * deprecation line `the global config option vifscript is deprecated, please switch to
 * vif.default.script\n` (resp. defaultbridge / vif.default.bridge); a bad `autoballoon`
 * prints `invalid autoballoon option` and a bad `domid_policy` prints `invalid domid_policy
 * option` (both with **no** newline, as xl); a bad `output_format` prints
 * `invalid default output format "<v>"\n`; none of these is fatal. A bad
 * `max_grant_frames`/`max_maptrack_frames`/`max_grant_version` (bounded 0..INT_MAX, read
 * silently) makes xl exit 1 with no message. `vm*.cpumask` use the CPU-list grammar
 * (§4.8) against `facts`; a bad list prints the cpumap message and is left unset.
 * Message codes: XL140 (notices), XL141 (silent grant exit); getter warnings XL100–XL107.
 * Never throws.
 */
export function readXlConf(file: ConfigFile, facts?: HostFacts): XlConfResult {
  const messages: BuildMessage[] = [];
  const conf: XlConfFull = {};
  const report: Report = (text, setting) => {
    messages.push({ text, severity: 'warning', code: getterWarningCode(text), setting });
  };
  const note = (text: string, key: string, message?: string): void => {
    const m: BuildMessage = { text, severity: 'warning', code: 'XL140' };
    const s = file.get(key);
    if (s) m.setting = s;
    if (message) m.message = message;
    messages.push(m);
  };
  const str = (k: string): string | undefined => getString(file, k, report);

  const ab = str('autoballoon');
  if (ab !== undefined) {
    if (ab === 'on' || ab === '1') conf.autoballoon = 'on';
    else if (ab === 'off' || ab === '0') conf.autoballoon = 'off';
    else if (ab === 'auto') conf.autoballoon = 'auto';
    else note('invalid autoballoon option', 'autoballoon', `autoballoon must be on, off, 1, 0 or auto, not "${ab}"; xl keeps the default (auto)`);
  }
  const rhs = getLong(file, 'run_hotplug_scripts', report);
  if (rhs !== undefined) conf.runHotplugScripts = rhs !== 0;
  const lockfile = str('lockfile');
  if (lockfile !== undefined) conf.lockfile = lockfile;

  const script = str('vif.default.script');
  if (script !== undefined) conf.vifDefaultScript = script;
  const oldScript = str('vifscript');
  if (oldScript !== undefined) {
    note('the global config option vifscript is deprecated, please switch to vif.default.script\n', 'vifscript');
    conf.vifDefaultScript = oldScript;
  }
  const bridge = str('vif.default.bridge');
  if (bridge !== undefined) conf.vifDefaultBridge = bridge;
  const oldBridge = str('defaultbridge');
  if (oldBridge !== undefined) {
    note('the global config option defaultbridge is deprecated, please switch to vif.default.bridge\n', 'defaultbridge');
    conf.vifDefaultBridge = oldBridge;
  }
  const gw = str('vif.default.gatewaydev');
  if (gw !== undefined) conf.vifDefaultGatewaydev = gw;
  const be = str('vif.default.backend');
  if (be !== undefined) conf.vifDefaultBackend = be;

  const of = str('output_format');
  if (of !== undefined) {
    if (of === 'json' || of === 'sxp') conf.outputFormat = of;
    else note(`invalid default output format "${of}"\n`, 'output_format');
  }
  const bs = str('blkdev_start');
  if (bs !== undefined) conf.blkdevStart = bs;
  const cm = getLong(file, 'claim_mode', report);
  if (cm !== undefined) conf.claimMode = cm !== 0;
  const nb = str('remus.default.netbufscript');
  if (nb !== undefined) conf.remusNetbufscript = nb;
  const px = str('colo.default.proxyscript');
  if (px !== undefined) conf.coloProxyscript = px;

  for (const [key, field] of [
    ['max_grant_frames', 'maxGrantFrames'],
    ['max_maptrack_frames', 'maxMaptrackFrames'],
    ['max_grant_version', 'maxGrantVersion'],
  ] as const) {
    const s = file.get(key);
    if (!s) continue;
    const v = getBoundedLong(file, key, 0, INT_MAX);
    if (v === undefined) {
      messages.push({
        text: '',
        severity: 'error',
        code: 'XL141',
        message: `${key} in xl.conf must be a number from 0 to ${INT_MAX}: xl exits with status 1 without a message`,
        setting: s,
      });
      return { conf, messages, exitCode: 1 };
    }
    conf[field] = v;
  }

  const topo = { nrCpus: facts?.nrCpus ?? 1, nrNodes: facts?.nrNodes ?? 1 };
  for (const [key, field] of [
    ['vm.cpumask', 'vmCpumask'],
    ['vm.hvm.cpumask', 'vmHvmCpumask'],
    ['vm.pv.cpumask', 'vmPvCpumask'],
  ] as const) {
    const text = str(key);
    if (text === undefined) continue;
    const r = parseCpuList(text, topo);
    const s = file.get(key);
    for (const m of r.messages) {
      const bm: BuildMessage = { text: m.text, severity: 'warning', code: m.code };
      if (m.message !== undefined) bm.message = m.message;
      if (s) bm.setting = s;
      if (m.span) bm.span = m.span;
      messages.push(bm);
    }
    if (r.value !== undefined && r.exitCode === undefined) conf[field] = r.value;
  }

  const dp = str('domid_policy');
  if (dp !== undefined) {
    if (dp === 'xen' || dp === 'random') conf.domidPolicy = dp;
    else note('invalid domid_policy option', 'domid_policy', `domid_policy must be xen or random, not "${dp}"; xl keeps xen`);
  }
  const br = getDefbool(file, 'bootloader_restrict', report);
  if (br !== undefined) conf.bootloaderRestrict = br;

  return { conf, messages };
}

/**
 * `xl create` without `-i`: narrows every vCPU's hard affinity by the xl.conf masks
 * `vm.cpumask` and, by guest type, `vm.pv.cpumask` (PV) or `vm.hvm.cpumask` (HVM, PVH)
 * — tools/xl/xl_vmcontrol.c `create_domain` and `apply_global_affinity_masks`. When the
 * config set no hard affinity and a relevant mask is not "every pCPU", each vCPU first
 * gets an all-pCPU map. Changes `config.b_info.vcpu_hard_affinity` in place.
 *
 * @param config a config from `buildDomainConfig`
 * @param conf the xl.conf values (`readXlConf`); unset masks mean every pCPU
 * @param nrCpus host pCPUs (the bitmap width)
 * @returns xl's message when a vCPU ends up with no pCPU — `vcpu hard affinity map is
 *   empty\n`, after which xl exits 1 — else undefined. Never throws.
 */
export function applyGlobalAffinityMasks(
  config: DomainConfig,
  conf: XlConfFull,
  nrCpus: number,
): BuildMessage | undefined {
  const all = Array.from({ length: nrCpus }, (_, i) => i);
  const full = (m: number[] | undefined): boolean => m === undefined || all.every((c) => m.includes(c));
  const typeMask = config.c_info.type === 'pv' ? conf.vmPvCpumask : conf.vmHvmCpumask;
  const b = config.b_info;
  let maps = b.vcpu_hard_affinity as number[][] | undefined;
  if ((maps === undefined || maps.length === 0) && (!full(conf.vmCpumask) || !full(typeMask))) {
    maps = Array.from({ length: b.max_vcpus ?? 1 }, () => [...all]);
  }
  if (maps === undefined) return undefined;
  const inMask = (m: number[] | undefined) => (c: number) => m === undefined || m.includes(c);
  maps = maps.map((m) => m.filter(inMask(typeMask)).filter(inMask(conf.vmCpumask)));
  b.vcpu_hard_affinity = maps;
  if (maps.some((m) => m.length === 0)) {
    return { text: 'vcpu hard affinity map is empty\n', severity: 'error', code: 'XL142' };
  }
  return undefined;
}
