/**
 * libxl's JSON for a domain configuration, printed the way xl 4.20 prints it
 * (libxl built with yajl): `xl create -n` and `xl list -l`.
 *
 * Two pieces:
 * - `yajlStringify`: yajl 2's beautified generator (github.com/lloyd/yajl
 *   `src/yajl_gen.c`, `src/yajl_encode.c`) with libxl's 4-space indent string;
 * - `domainConfigJson`: the object libxl's generated `libxl_domain_config_gen_json`
 *   (tools/libs/light/gentypes.py over libxl_types.idl) would walk — keys in IDL order,
 *   default-valued fields left out, nested structs always present.
 * Reference: shared/reference/xl-commands.md §3.4.
 */
import type { DomainConfig } from '../../parser/libxl.js';

/** The indent string libxl gives yajl (`libxl__json_object_to_json` / `yajl_gen_indent_string`). */
const INDENT = '    ';

/**
 * Escapes a string the way `yajl_string_encode` does with default flags: `"` and `\`
 * backslashed, `\b \f \n \r \t` by name, other bytes below 0x20 as `\u00XX` (upper-case
 * hex, yajl's `CharToHex`); `/` is not escaped (no `yajl_gen_escape_solidus`); everything
 * else, including non-ASCII text, is written as is.
 */
export function yajlEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        if (c < 0x20) out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
        else out += ch;
    }
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function gen(value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return '"' + yajlEscape(value) + '"';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value.toString();
    // yajl_gen_double uses "%.20g"; libxl never emits doubles for a domain config.
    return Number.isFinite(value) ? String(value) : 'null';
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const inner = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[\n\n' + close + ']';
    return '[\n' + value.map((v) => inner + gen(v, depth + 1)).join(',\n') + '\n' + close + ']';
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{\n\n' + close + '}';
    return (
      '{\n' +
      entries.map(([k, v]) => inner + '"' + yajlEscape(k) + '": ' + gen(v, depth + 1)).join(',\n') +
      '\n' +
      close +
      '}'
    );
  }
  return 'null';
}

/**
 * Serialises `value` exactly as yajl's beautifying generator does with libxl's settings:
 * 4-space indent, every element on its own line, `"key": value`, an empty object as
 * `{`, newline, blank line, indent, `}` (empty array likewise), strings escaped as
 * `yajlEscape`, integers in decimal (bigint allowed for values beyond 2^53), booleans
 * `true`/`false`, `null`/`undefined` array items as `null`. Object properties whose value
 * is `undefined` are skipped. The result ends with the one newline yajl adds when the
 * top-level value is complete (`FINAL_NEWLINE`); `xl list -l` adds a second one with
 * `puts`, `xl create -n` prints it as is. Never throws for plain data.
 */
export function yajlStringify(value: unknown): string {
  return gen(value, 0) + '\n';
}

/* ------------------------------------------------------------------------------------
 * IDL order (tools/libs/light/libxl_types.idl, Xen 4.20). Keys not listed here are
 * emitted after the listed ones, in the order they were inserted.
 * ---------------------------------------------------------------------------------- */

const CONFIG_ORDER = [
  'c_info', 'b_info', 'disks', 'nics', 'pcidevs', 'rdms', 'dtdevs', 'vfbs', 'vkbs', 'virtios',
  'vtpms', 'p9s', 'pvcallsifs', 'vdispls', 'vsnds', 'channels', 'usbctrls', 'usbdevs',
  'on_poweroff', 'on_reboot', 'on_watchdog', 'on_crash', 'on_soft_reset',
];

const C_INFO_ORDER = [
  'type', 'hap', 'oos', 'ssidref', 'ssid_label', 'name', 'domid', 'uuid', 'xsdata',
  'platformdata', 'poolid', 'pool_name', 'run_hotplug_scripts', 'driver_domain', 'passthrough',
  'xend_suspend_evtchn_compat',
];

const B_INFO_ORDER = [
  'max_vcpus', 'avail_vcpus', 'cpumap', 'nodemap', 'vcpu_hard_affinity', 'vcpu_soft_affinity',
  'numa_placement', 'tsc_mode', 'max_memkb', 'target_memkb', 'video_memkb', 'shadow_memkb',
  'iommu_memkb', 'rtc_timeoffset', 'exec_ssidref', 'exec_ssid_label', 'localtime',
  'disable_migrate', 'cpuid', 'blkdev_start', 'vnuma_nodes', 'max_grant_frames',
  'max_maptrack_frames', 'max_grant_version', 'device_model_version', 'device_model_stubdomain',
  'stubdomain_memkb', 'stubdomain_kernel', 'stubdomain_cmdline', 'stubdomain_ramdisk',
  'device_model', 'device_model_ssidref', 'device_model_ssid_label', 'device_model_user',
  'extra', 'extra_pv', 'extra_hvm', 'sched_params', 'ioports', 'irqs', 'iomem', 'claim_mode',
  'event_channels', 'kernel', 'cmdline', 'ramdisk', 'device_tree', 'acpi', 'bootloader',
  'bootloader_args', 'bootloader_restrict', 'bootloader_user', 'timer_mode', 'nested_hvm',
  'apic', 'dm_restrict', 'tee', 'type.hvm', 'type.pv', 'type.pvh', 'arch_arm', 'arch_x86',
  'altp2m', 'vmtrace_buf_kb', 'vpmu', 'llc_colors',
];

const SCHED_ORDER = ['sched', 'weight', 'cap', 'period', 'budget', 'extratime', 'slice', 'latency'];

const HVM_ORDER = [
  'firmware', 'bios', 'pae', 'apic', 'acpi', 'acpi_s3', 'acpi_s4', 'acpi_laptop_slate', 'nx',
  'viridian', 'viridian_enable', 'viridian_disable', 'timeoffset', 'hpet', 'vpt_align',
  'mmio_hole_memkb', 'timer_mode', 'nested_hvm', 'altp2m', 'system_firmware',
  'smbios_firmware', 'smbios', 'acpi_firmware', 'hdtype', 'nographic', 'vga', 'vnc', 'keymap',
  'sdl', 'spice', 'gfx_passthru', 'gfx_passthru_kind', 'serial', 'boot', 'usb', 'usbversion',
  'usbdevice', 'vkb_device', 'soundhw', 'xen_platform_pci', 'usbdevice_list', 'vendor_device',
  'ms_vm_genid', 'serial_list', 'rdm', 'rdm_mem_boundary_memkb', 'mca_caps', 'pirq',
];
const PV_ORDER = ['kernel', 'slack_memkb', 'bootloader', 'bootloader_args', 'cmdline', 'ramdisk', 'features', 'e820_host'];
const PVH_ORDER = ['pvshim', 'pvshim_path', 'pvshim_cmdline', 'pvshim_extra'];
const ARCH_ARM_ORDER = ['gic_version', 'vuart', 'sve_vl', 'nr_spis'];
const ARCH_X86_ORDER = ['msr_relaxed'];
const VGA_ORDER = ['kind'];
const VNC_ORDER = ['enable', 'listen', 'passwd', 'display', 'findunused'];
const SDL_ORDER = ['enable', 'opengl', 'display', 'xauthority'];
const SPICE_ORDER = [
  'enable', 'port', 'tls_port', 'host', 'disable_ticketing', 'passwd', 'agent_mouse', 'vdagent',
  'clipboard_sharing', 'usbredirection', 'image_compression', 'streaming_video',
];
const RDM_ORDER = ['strategy', 'policy'];

const DISK_ORDER = [
  'backend_domid', 'backend_domname', 'pdev_path', 'vdev', 'backend', 'format', 'script',
  'removable', 'readwrite', 'is_cdrom', 'direct_io_safe', 'discard_enable', 'specification',
  'transport', 'irq', 'base', 'colo_enable', 'colo_restore_enable', 'colo_host', 'colo_port',
  'colo_export', 'active_disk', 'hidden_disk', 'trusted', 'grant_usage',
];

const NIC_ORDER = [
  'backend_domid', 'backend_domname', 'devid', 'mtu', 'vlan', 'model', 'mac', 'ip', 'bridge',
  'ifname', 'script', 'nictype', 'rate_bytes_per_interval', 'rate_interval_usecs', 'gatewaydev',
  'coloft_forwarddev',
  'colo_sock_mirror_id', 'colo_sock_mirror_ip', 'colo_sock_mirror_port',
  'colo_sock_compare_pri_in_id', 'colo_sock_compare_pri_in_ip', 'colo_sock_compare_pri_in_port',
  'colo_sock_compare_sec_in_id', 'colo_sock_compare_sec_in_ip', 'colo_sock_compare_sec_in_port',
  'colo_sock_compare_notify_id', 'colo_sock_compare_notify_ip', 'colo_sock_compare_notify_port',
  'colo_sock_redirector0_id', 'colo_sock_redirector0_ip', 'colo_sock_redirector0_port',
  'colo_sock_redirector1_id', 'colo_sock_redirector1_ip', 'colo_sock_redirector1_port',
  'colo_sock_redirector2_id', 'colo_sock_redirector2_ip', 'colo_sock_redirector2_port',
  'colo_filter_mirror_queue', 'colo_filter_mirror_outdev',
  'colo_filter_redirector0_queue', 'colo_filter_redirector0_indev', 'colo_filter_redirector0_outdev',
  'colo_filter_redirector1_queue', 'colo_filter_redirector1_indev', 'colo_filter_redirector1_outdev',
  'colo_compare_pri_in', 'colo_compare_sec_in', 'colo_compare_out', 'colo_compare_notify_dev',
  'colo_sock_sec_redirector0_id', 'colo_sock_sec_redirector0_ip', 'colo_sock_sec_redirector0_port',
  'colo_sock_sec_redirector1_id', 'colo_sock_sec_redirector1_ip', 'colo_sock_sec_redirector1_port',
  'colo_filter_sec_redirector0_queue', 'colo_filter_sec_redirector0_indev',
  'colo_filter_sec_redirector0_outdev', 'colo_filter_sec_redirector1_queue',
  'colo_filter_sec_redirector1_indev', 'colo_filter_sec_redirector1_outdev',
  'colo_filter_sec_rewriter0_queue', 'colo_checkpoint_host', 'colo_checkpoint_port', 'trusted',
];

/** Copies `obj` with keys in `order` first, then any others in insertion order; drops undefined. */
function ordered(obj: Record<string, unknown> | undefined, order: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!obj) return out;
  for (const k of order) if (obj[k] !== undefined) out[k] = obj[k];
  for (const [k, v] of Object.entries(obj)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return isPlainObject(v) ? v : undefined;
}

function orderedList(v: unknown, order?: readonly string[]): unknown[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.map((item) => (isPlainObject(item) ? ordered(item, order ?? []) : item));
}

/** Options of `domainConfigJson`. */
export interface DomainConfigJsonOptions {
  /**
   * `create-n`: the config exactly as `parse_config_data` left it (what `xl create -n`
   * prints). `list-l`: the config as libxl stores it for a created domain, i.e. plus
   * the fields libxl fills in at create (see `domainConfigJson`).
   */
  for: 'create-n' | 'list-l';
}

/**
 * The libxl_domain_config object, ready for `yajlStringify`, as libxl's generated
 * `libxl_domain_config_gen_json` walks it (xl-commands.md §3.4):
 *
 * - keys in IDL order (libxl_types.idl 4.20) for the config, `c_info`, `b_info`,
 *   `sched_params`, the `type.hvm` / `type.pv` / `type.pvh` union member, `arch_arm`,
 *   `arch_x86`, the HVM `vga`/`vnc`/`sdl`/`spice`/`rdm` structs, disks and nics; other
 *   device lists keep the key order their spec parsers built (those parsers insert in
 *   IDL order);
 * - fields absent from `config` are left out (a `DomainConfig` holds only fields that
 *   differ from libxl's init values); empty device arrays are left out;
 * - struct members are always present, even empty: `c_info`, `b_info`,
 *   `b_info.sched_params`, the union member for `c_info.type`, `arch_arm`, `arch_x86`,
 *   and for HVM `vga`, `vnc`, `sdl`, `spice`, `rdm` inside `type.hvm`. Only the union
 *   member matching `c_info.type` is printed (the union is keyed on the type).
 *
 * With `for: 'list-l'` the object also carries what libxl fills in when it creates the
 * domain (the sheet is silent on the exact set; decisions): `c_info.domid` =
 * 4294967295 (INVALID_DOMID, xl's domid policy) unless set (a domid of 0, libxl's init
 * value, is never printed — Domain-0's stub config); each nic's `nictype`
 * (`vif_ioemu` for HVM, `vif` otherwise) unless set; `b_info.target_memkb` /
 * `max_memkb` = 32768 (libxl's 32 MiB) when unset; `avail_vcpus` = [0] when unset
 * (libxl's one online vCPU); `video_memkb` = 0 for PV/PVH when
 * unset; `arch_x86.msr_relaxed` = "False" and, for HVM, `type.hvm.pirq` = "False" when
 * unset. MAC addresses, the real domid and live scheduler parameters are the host's
 * business: put them into `config` before calling. Never throws for a well-formed
 * `DomainConfig`.
 */
export function domainConfigJson(config: DomainConfig, opts: DomainConfigJsonOptions): unknown {
  const listL = opts.for === 'list-l';
  const type = config.c_info?.type ?? 'pv';

  const cSrc: Record<string, unknown> = { ...(config.c_info ?? {}) };
  if (listL && cSrc.domid === undefined) cSrc.domid = 4294967295;
  // libxl_domid's init value is 0: a domid of 0 (Domain-0's stub config) is not printed
  if (cSrc.domid === 0) delete cSrc.domid;
  const cInfo = ordered(cSrc, C_INFO_ORDER);

  const b = (config.b_info ?? {}) as Record<string, unknown>;
  const bSrc: Record<string, unknown> = { ...b };
  if (listL) {
    if (bSrc.target_memkb === undefined) bSrc.target_memkb = 32768;
    if (bSrc.max_memkb === undefined) bSrc.max_memkb = 32768;
    if (type !== 'hvm' && bSrc.video_memkb === undefined) bSrc.video_memkb = 0;
    if (bSrc.avail_vcpus === undefined) bSrc.avail_vcpus = [0];
  }
  bSrc.sched_params = ordered(asRecord(b.sched_params), SCHED_ORDER);
  // libxl prints a cpuid policy as {"cpuid": [leaf entries]}; the libxl-form settings
  // (`cpuid="host,…"`) are kept in the config as {host, settings} for the host to apply,
  // but xlsim does not expand them into leaf policies, so they are not printed.
  const cpuid = asRecord(b.cpuid);
  if (cpuid && !Array.isArray(cpuid.cpuid)) delete bSrc.cpuid;
  else if (cpuid && (cpuid.cpuid as unknown[]).length === 0) delete bSrc.cpuid;
  for (const t of ['hvm', 'pv', 'pvh'] as const) {
    const key = `type.${t}`;
    if (t !== type) {
      delete bSrc[key];
      continue;
    }
    const member = { ...(asRecord(b[key]) ?? {}) };
    if (t === 'hvm') {
      member.vga = ordered(asRecord(member.vga), VGA_ORDER);
      member.vnc = ordered(asRecord(member.vnc), VNC_ORDER);
      member.sdl = ordered(asRecord(member.sdl), SDL_ORDER);
      member.spice = ordered(asRecord(member.spice), SPICE_ORDER);
      member.rdm = ordered(asRecord(member.rdm), RDM_ORDER);
      if (listL && member.pirq === undefined) member.pirq = 'False';
      bSrc[key] = ordered(member, HVM_ORDER);
    } else {
      bSrc[key] = ordered(member, t === 'pv' ? PV_ORDER : PVH_ORDER);
    }
  }
  bSrc.arch_arm = ordered(asRecord(b.arch_arm), ARCH_ARM_ORDER);
  const x86 = { ...(asRecord(b.arch_x86) ?? {}) };
  if (listL && x86.msr_relaxed === undefined) x86.msr_relaxed = 'False';
  bSrc.arch_x86 = ordered(x86, ARCH_X86_ORDER);
  const bInfo = ordered(bSrc, B_INFO_ORDER);

  const src: Record<string, unknown> = { ...config, c_info: cInfo, b_info: bInfo };
  src.disks = orderedList(config.disks, DISK_ORDER);
  let nics = orderedList(config.nics, NIC_ORDER) as Record<string, unknown>[] | undefined;
  if (nics && listL) {
    nics = nics.map((n) =>
      n.nictype === undefined ? ordered({ ...n, nictype: type === 'hvm' ? 'vif_ioemu' : 'vif' }, NIC_ORDER) : n,
    );
  }
  src.nics = nics;
  for (const k of CONFIG_ORDER) {
    if (k === 'c_info' || k === 'b_info' || k === 'disks' || k === 'nics') continue;
    if (Array.isArray(src[k])) src[k] = orderedList(src[k]);
  }
  return ordered(src, CONFIG_ORDER);
}
