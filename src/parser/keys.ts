/**
 * The table of every key xl reads: the domain config keys of xl.cfg(5) as
 * `parse_config_data()` reads them (tools/xl/xl_parse.c), plus the global keys of
 * xl.conf(5) (tools/xl/xl.c `parse_global_config`), kept apart.
 *
 * Used by the linter ("unknown key", "did you mean", "ignored for this guest type",
 * "deprecated alias") and by `xlsim help`-style listings.
 * Reference: shared/reference/xl-cfg-format.md §3.1–§3.11.
 */

/**
 * How xl reads a key's value (xl-cfg-format.md §3 legend).
 * - `STR` string atom (STRING or NUMBER token); `NUM` integer via `strtol(…, 0)`;
 *   `BOOL` a NUM where 0 = false; `MB` a NUM in MiB; `KB` a NUM in KiB;
 * - `LIST` list of string atoms; `SPEC` one string with its own sub-grammar (§4);
 *   `SPEC_LIST` list of such strings; `LIST_OF_LISTS` nested lists (vnuma, vsnd);
 * - `STR|LIST`, `NUM|STR`, `LIST|BOOL`: xl accepts either shape.
 */
export type KeyType =
  | 'STR'
  | 'NUM'
  | 'BOOL'
  | 'MB'
  | 'KB'
  | 'LIST'
  | 'SPEC'
  | 'SPEC_LIST'
  | 'LIST_OF_LISTS'
  | 'STR|LIST'
  | 'NUM|STR'
  | 'LIST|BOOL';

/** Guest type a key is read for (libxl_domain_type, lower case). */
export type GuestType = 'pv' | 'pvh' | 'hvm';

/** One key xl reads. */
export interface KeyInfo {
  /** The key as written in the file (lower case, may contain `.` and `_`). */
  name: string;
  /** Which file reads it: a domain config (`cfg`) or `/etc/xen/xl.conf` (`xl.conf`). */
  file: 'cfg' | 'xl.conf';
  type: KeyType;
  /** `all`, or the guest types for which xl reads it (silently ignored for the others). */
  for: 'all' | readonly GuestType[];
  /** First Xen release whose xl reads it (e.g. `4.0`, `4.20`). */
  since: string;
  /** Architecture where the key has a meaning, when it is arch specific. */
  arch?: 'x86' | 'arm';
  /** Set when xl reads the key only as a deprecated alias or to warn about it. */
  deprecated?: { use?: string; note: string };
  /** True when xl.cfg(5) does not document the key (xl-cfg-format.md §3.10). */
  undocumented?: boolean;
  /** One-line description. */
  description: string;
}

type Row = [
  name: string,
  type: KeyType,
  forTypes: 'all' | readonly string[],
  since: string,
  description: string,
  extra?: Partial<Pick<KeyInfo, 'arch' | 'deprecated' | 'undocumented'>>,
];

const ALL = 'all';
const HVM = 'hvm';
const PV = 'pv';
const PVH = 'pvh';

/* xl-cfg-format.md §3.1–§3.10, in the man page's order. */
const CFG_ROWS: Row[] = [
  // §3.1 mandatory
  ['name', 'STR', ALL, '4.0', 'domain name; required'],
  // §3.2 guest type
  ['type', 'STR', ALL, '4.10', 'guest type: hvm, pv or pvh (prefix match)'],
  ['builder', 'STR', ALL, '4.0', 'old guest type selector: hvm or generic', {
    deprecated: { use: 'type', note: 'deprecated since Xen 4.10; use type=' },
  }],
  // §3.3 CPU allocation
  ['pool', 'STR', ALL, '4.1', 'cpupool to create the domain in'],
  ['vcpus', 'NUM', ALL, '4.0', 'vCPUs online at boot'],
  ['maxvcpus', 'NUM', ALL, '4.1', 'maximum vCPUs (hotplug limit)'],
  ['cpus', 'STR|LIST', ALL, '4.1', 'hard affinity: pCPUs the vCPUs may run on'],
  ['cpus_soft', 'STR|LIST', ALL, '4.5', 'soft affinity: preferred pCPUs'],
  // CPU scheduling
  ['cpu_weight', 'NUM', ALL, '4.2', 'credit scheduler weight (1-65535, default 256)'],
  ['cap', 'NUM', ALL, '4.2', 'credit scheduler cap, percent of one pCPU (0 = none)'],
  ['period', 'NUM', ALL, '4.2', 'scheduler period (RTDS)', { undocumented: true }],
  ['slice', 'NUM', ALL, '4.2', 'scheduler slice (old SEDF)', { undocumented: true }],
  ['latency', 'NUM', ALL, '4.2', 'scheduler latency (old SEDF)', { undocumented: true }],
  ['extratime', 'NUM', ALL, '4.2', 'scheduler extratime flag (RTDS)', { undocumented: true }],
  // memory
  ['memory', 'MB', ALL, '4.0', 'initial memory allocation, MiB'],
  ['maxmem', 'MB', ALL, '4.1', 'maximum memory, MiB'],
  // vNUMA
  ['vnuma', 'LIST_OF_LISTS', ALL, '4.6', 'virtual NUMA topology, one list per vnode'],
  // event actions
  ['on_poweroff', 'STR', ALL, '4.1', 'action when the guest powers off (default destroy)'],
  ['on_reboot', 'STR', ALL, '4.1', 'action when the guest reboots (default restart)'],
  ['on_watchdog', 'STR', ALL, '4.1', 'action when the watchdog fires (default destroy)'],
  ['on_crash', 'STR', ALL, '4.1', 'action when the guest crashes (default destroy)'],
  ['on_soft_reset', 'STR', ALL, '4.7', 'action on soft reset (default soft-reset)'],
  // direct kernel boot
  ['kernel', 'STR', ALL, '4.0', 'kernel image to boot (path in dom0)'],
  ['ramdisk', 'STR', ALL, '4.0', 'initial ramdisk (path in dom0)'],
  ['cmdline', 'STR', ALL, '4.5', 'kernel command line'],
  ['root', 'STR', ALL, '4.0', 'root= part of the kernel command line'],
  ['extra', 'STR', ALL, '4.1', 'extra kernel command line text'],
  // firmware
  ['firmware', 'STR', ALL, '4.10', 'HVM: bios/uefi/path; PV/PVH: pvgrub32 or pvgrub64'],
  ['pvshim', 'BOOL', [PVH], '4.11', 'run a PV guest inside a PVH shim'],
  ['pvshim_path', 'STR', [PVH], '4.11', 'PV shim binary'],
  ['pvshim_cmdline', 'STR', [PVH], '4.11', 'PV shim command line'],
  ['pvshim_extra', 'STR', [PVH], '4.11', 'text appended to the PV shim command line'],
  // other
  ['uuid', 'STR', ALL, '4.1', 'domain UUID (8-4-4-4-12 hex)'],
  ['seclabel', 'STR', ALL, '4.2', 'XSM/FLASK security label'],
  ['init_seclabel', 'STR', ALL, '4.3', 'XSM/FLASK label used while building'],
  ['max_grant_frames', 'NUM', ALL, '4.10', 'grant table frames limit'],
  ['max_maptrack_frames', 'NUM', ALL, '4.10', 'maptrack frames limit'],
  ['max_grant_version', 'NUM', ALL, '4.16', 'highest grant table version'],
  ['nomigrate', 'BOOL', ALL, '4.1', 'disallow migration'],
  ['driver_domain', 'BOOL', ALL, '4.4', 'domain runs backends (driver domain)'],
  ['device_tree', 'STR', ALL, '4.6', 'partial device tree to give the guest', { arch: 'arm' }],
  ['passthrough', 'STR', ALL, '4.13', 'IOMMU mode: default, disabled, enabled, sync_pt, share_pt'],
  ['xend_suspend_evtchn_compat', 'BOOL', ALL, '4.14', 'xend-compatible suspend event channel'],
  ['vmtrace_buf_kb', 'KB', ALL, '4.15', 'processor trace buffer per vCPU, KiB'],
  ['vpmu', 'BOOL', ALL, '4.16', 'virtual PMU', { arch: 'arm' }],
  ['xenstore_feature_mask', 'NUM', ALL, '4.21', 'xenstore features offered to the guest'],
  ['xenstore_quota', 'LIST', ALL, '4.22', 'xenstore quotas as name=value'],
  // §3.4 devices
  ['disk', 'SPEC_LIST', ALL, '4.0', 'virtual block devices (vbd)'],
  ['vif', 'SPEC_LIST', ALL, '4.0', 'virtual network interfaces'],
  ['vtpm', 'SPEC_LIST', ALL, '4.3', 'virtual TPMs'],
  ['p9', 'SPEC_LIST', ALL, '4.9', '9pfs shares'],
  ['pvcalls', 'SPEC_LIST', ALL, '4.11', 'PV calls backends'],
  ['vfb', 'SPEC_LIST', ALL, '4.0', 'virtual framebuffers (each adds a vkb)'],
  ['channel', 'SPEC_LIST', ALL, '4.5', 'virtual channels (PV consoles with a name)'],
  ['rdm', 'SPEC', ALL, '4.6', 'reserved device memory policy', { arch: 'x86' }],
  ['usbctrl', 'SPEC_LIST', ALL, '4.7', 'USB controllers'],
  ['usbdev', 'SPEC_LIST', ALL, '4.7', 'USB host devices to pass through'],
  ['pci', 'SPEC_LIST', ALL, '4.0', 'PCI devices to pass through'],
  ['pci_permissive', 'BOOL', ALL, '4.2', 'default permissive= for pci entries'],
  ['pci_msitranslate', 'BOOL', ALL, '4.0', 'default msitranslate= for pci entries'],
  ['pci_seize', 'BOOL', ALL, '4.5', 'default seize= for pci entries'],
  ['pci_power_mgmt', 'BOOL', ALL, '4.0', 'default power_mgmt= for pci entries'],
  ['gfx_passthru', 'NUM|STR', [HVM], '4.1', 'graphics passthrough: 0/1, default or igd'],
  ['rdm_mem_boundary', 'MB', [HVM], '4.6', 'RDM boundary below 4G, MiB'],
  ['dtdev', 'LIST', ALL, '4.6', 'host device tree paths to pass through', { arch: 'arm' }],
  ['ioports', 'LIST', ALL, '4.2', 'I/O port ranges to pass through (hex)'],
  ['iomem', 'LIST', ALL, '4.3', 'machine memory ranges to map (hex pages)'],
  ['irqs', 'LIST', ALL, '4.2', 'physical IRQs to pass through'],
  ['max_event_channels', 'NUM', ALL, '4.4', 'event channel limit (default 1023)'],
  ['vdispl', 'SPEC_LIST', ALL, '4.10', 'virtual displays'],
  ['dm_restrict', 'BOOL', ALL, '4.10', 'restrict the device model'],
  ['device_model_user', 'STR', ALL, '4.7', 'user the device model runs as'],
  ['vsnd', 'LIST_OF_LISTS', ALL, '4.12', 'virtual sound cards'],
  ['vkb', 'SPEC_LIST', ALL, '4.12', 'virtual keyboards/pointers'],
  ['virtio', 'SPEC_LIST', ALL, '4.18', 'virtio devices', { arch: 'arm' }],
  ['tee', 'STR', ALL, '4.13', 'TEE mediator: none, optee, ffa', { arch: 'arm' }],
  // §3.5 PV
  ['bootloader', 'STR', ALL, '4.1', 'bootloader run in dom0 (e.g. pygrub)'],
  ['bootloader_args', 'STR|LIST', ALL, '4.1', 'arguments for the bootloader'],
  ['bootloader_restrict', 'BOOL', ALL, '4.18', 'run the bootloader restricted'],
  ['bootloader_user', 'STR', ALL, '4.18', 'user the bootloader runs as'],
  ['e820_host', 'BOOL', [PV], '4.2', 'use the host e820 map (PCI passthrough)'],
  // §3.6 HVM
  ['boot', 'STR', [HVM], '4.0', 'boot order: c disk, d CD-ROM, n network'],
  ['hdtype', 'STR', [HVM], '4.6', 'emulated disk controller: ide or ahci'],
  ['hap', 'BOOL', ALL, '4.1', 'hardware assisted paging'],
  ['oos', 'BOOL', ALL, '4.1', 'out-of-sync shadow page tables'],
  ['shadow_memory', 'MB', ALL, '4.0', 'shadow/P2M pool, MiB'],
  ['bios', 'STR', [HVM], '4.2', 'firmware: rombios, seabios or ovmf'],
  ['bios_path_override', 'STR', [HVM], '4.8', 'path of the BIOS image'],
  ['firmware_override', 'STR', [HVM], '4.2', 'path of the HVM firmware (hvmloader)', { undocumented: true }],
  ['pae', 'BOOL', [HVM], '4.0', 'expose PAE'],
  ['acpi', 'BOOL', ALL, '4.0', 'expose ACPI'],
  ['acpi_s3', 'BOOL', [HVM], '4.2', 'ACPI S3 (suspend to RAM)'],
  ['acpi_s4', 'BOOL', [HVM], '4.2', 'ACPI S4 (suspend to disk)'],
  ['acpi_laptop_slate', 'BOOL', [HVM], '4.9', 'ACPI laptop/slate switch'],
  ['apic', 'BOOL', [HVM], '4.0', 'expose the local APIC'],
  ['nx', 'BOOL', [HVM], '4.0', 'expose NX'],
  ['hpet', 'BOOL', [HVM], '4.1', 'emulate an HPET'],
  ['altp2m', 'NUM|STR', ALL, '4.9', 'alternate p2m: disabled, mixed, external, limited'],
  ['altp2mhvm', 'BOOL', [HVM], '4.6', 'old alternate p2m switch', {
    deprecated: { use: 'altp2m', note: 'xl warns: use "altp2m" instead' },
  }],
  ['altp2m_count', 'NUM', ALL, '4.21', 'number of alternate p2m views'],
  ['nestedhvm', 'BOOL', ALL, '4.2', 'nested virtualisation'],
  ['cpuid', 'STR|LIST', ALL, '4.1', 'CPUID policy (libxl or xend syntax)', { arch: 'x86' }],
  ['acpi_firmware', 'STR', [HVM], '4.3', 'extra ACPI tables file'],
  ['smbios_firmware', 'STR', [HVM], '4.3', 'extra SMBIOS tables file'],
  ['smbios', 'LIST', [HVM], '4.18', 'SMBIOS strings as key=value'],
  ['ms_vm_genid', 'STR', [HVM], '4.5', 'Microsoft VM generation ID: generate or none'],
  ['tsc_mode', 'NUM|STR', ALL, '4.1', 'TSC mode: default, always_emulate, native, native_paravirt', { arch: 'x86' }],
  ['localtime', 'BOOL', ALL, '4.2', 'RTC in local time'],
  ['rtc_timeoffset', 'NUM', ALL, '4.2', 'RTC offset, seconds'],
  ['vpt_align', 'BOOL', [HVM], '4.1', 'align virtual platform timers'],
  ['timer_mode', 'NUM|STR', [HVM, PVH], '4.1', 'virtual timer mode (not for PV)'],
  ['mmio_hole', 'MB', [HVM], '4.5', 'MMIO hole below 4G, MiB (256-3840)'],
  ['xen_platform_pci', 'BOOL', [HVM], '4.1', 'Xen platform PCI device (PV drivers)'],
  ['xen_platform_pci_bar_uc', 'BOOL', [HVM], '4.21', 'platform PCI BAR uncacheable', { arch: 'x86' }],
  ['viridian', 'LIST|BOOL', [HVM], '4.0', 'Hyper-V enlightenments'],
  ['hvm_pirq', 'BOOL', [HVM], '4.19', 'route interrupts over event channels'],
  ['videoram', 'MB', ALL, '4.0', 'video memory, MiB'],
  ['stdvga', 'BOOL', [HVM], '4.0', 'old switch for the standard VGA', {
    deprecated: { use: 'vga', note: 'read only when vga= is absent; use vga="stdvga"' },
  }],
  ['vga', 'STR', [HVM], '4.3', 'emulated graphics: stdvga, cirrus, none, qxl'],
  ['vnc', 'BOOL', ALL, '4.0', 'VNC console'],
  ['vnclisten', 'STR', ALL, '4.0', 'VNC listen address[:display]'],
  ['vncdisplay', 'NUM', ALL, '4.0', 'VNC display number (port 5900+n)'],
  ['vncunused', 'BOOL', ALL, '4.0', 'pick the first free VNC display'],
  ['vncpasswd', 'STR', ALL, '4.1', 'VNC password'],
  ['keymap', 'STR', ALL, '4.0', 'keyboard layout (e.g. en-us)'],
  ['sdl', 'BOOL', ALL, '4.0', 'SDL window'],
  ['opengl', 'BOOL', ALL, '4.0', 'OpenGL for SDL', { undocumented: true }],
  ['display', 'STR', ALL, '4.5', 'X display for SDL', { undocumented: true }],
  ['xauthority', 'STR', ALL, '4.5', 'X authority file for SDL', { undocumented: true }],
  ['nographic', 'BOOL', [HVM], '4.0', 'no graphics'],
  ['spice', 'BOOL', [HVM], '4.2', 'SPICE console'],
  ['spicehost', 'STR', [HVM], '4.2', 'SPICE listen address'],
  ['spiceport', 'NUM', [HVM], '4.2', 'SPICE port'],
  ['spicetls_port', 'NUM', [HVM], '4.2', 'SPICE TLS port'],
  ['spicedisable_ticketing', 'BOOL', [HVM], '4.2', 'SPICE without password'],
  ['spicepasswd', 'STR', [HVM], '4.2', 'SPICE password'],
  ['spiceagent_mouse', 'BOOL', [HVM], '4.2', 'SPICE agent mouse'],
  ['spicevdagent', 'BOOL', [HVM], '4.4', 'SPICE vdagent'],
  ['spice_clipboard_sharing', 'BOOL', [HVM], '4.4', 'SPICE clipboard sharing'],
  ['spiceusbredirection', 'NUM', [HVM], '4.4', 'SPICE USB redirection channels'],
  ['spice_image_compression', 'STR', [HVM], '4.6', 'SPICE image compression'],
  ['spice_streaming_video', 'STR', [HVM], '4.6', 'SPICE video streaming'],
  ['serial', 'STR|LIST', [HVM], '4.0', 'emulated serial ports'],
  ['soundhw', 'STR', [HVM], '4.1', 'emulated sound hardware'],
  ['vkb_device', 'BOOL', [HVM], '4.13', 'PV keyboard device'],
  ['usb', 'BOOL', [HVM], '4.0', 'emulated USB controller'],
  ['usbversion', 'NUM', [HVM], '4.4', 'emulated USB version: 1, 2 or 3'],
  ['usbdevice', 'STR|LIST', [HVM], '4.0', 'emulated USB devices (tablet, host:…)'],
  ['vendor_device', 'STR', [HVM], '4.4', 'vendor PCI device: none or xenserver'],
  // §3.8 device model
  ['device_model_version', 'STR', ALL, '4.2', 'device model: qemu-xen'],
  ['device_model_override', 'STR', ALL, '4.2', 'device model binary'],
  ['stubdomain_kernel', 'STR', ALL, '4.14', 'stub domain kernel'],
  ['stubdomain_cmdline', 'STR', ALL, '4.16', 'stub domain command line'],
  ['stubdomain_ramdisk', 'STR', ALL, '4.14', 'stub domain ramdisk'],
  ['stubdomain_memory', 'MB', ALL, '4.14', 'stub domain memory, MiB'],
  ['device_model_stubdomain_override', 'BOOL', ALL, '4.2', 'run the device model in a stub domain'],
  ['device_model_stubdomain_seclabel', 'STR', ALL, '4.2', 'stub domain security label'],
  ['device_model_args', 'LIST', ALL, '4.1', 'extra device model arguments'],
  ['device_model_args_pv', 'LIST', ALL, '4.2', 'extra device model arguments for PV'],
  ['device_model_args_hvm', 'LIST', ALL, '4.2', 'extra device model arguments for HVM'],
  // §3.9 architecture specific
  ['gic_version', 'STR', ALL, '4.6', 'GIC version: default, v2, v3', { arch: 'arm' }],
  ['vuart', 'STR', ALL, '4.10', 'virtual UART: sbsa_uart', { arch: 'arm' }],
  ['sve', 'STR', ALL, '4.18', 'SVE vector length: disabled, hw or 128..2048', { arch: 'arm' }],
  ['llc_colors', 'LIST', ALL, '4.20', 'last level cache colours', { arch: 'arm' }],
  ['nr_spis', 'NUM', ALL, '4.19', 'number of SPIs', { arch: 'arm' }],
  ['trap_unmapped_accesses', 'BOOL', ALL, '4.21', 'trap accesses to unmapped MMIO', { arch: 'arm' }],
  ['arm_sci', 'SPEC', ALL, '4.21', 'ARM SCI mediator: type=none|scmi_smc', { arch: 'arm' }],
  ['mca_caps', 'LIST', [HVM], '4.10', 'machine check capabilities: lmce', { arch: 'x86' }],
  ['msr_relaxed', 'BOOL', ALL, '4.15', 'relaxed MSR access (deprecated behaviour)', { arch: 'x86' }],
  // §3.10 warn-only keys
  ['device_model', 'STR', ALL, '4.0', 'old device model path; ignored with a warning', {
    deprecated: { use: 'device_model_override', note: 'xl ignores it with a warning' },
    undocumented: true,
  }],
  ['vncviewer', 'BOOL', ALL, '4.0', 'ignored with a warning; use xl create -V', {
    deprecated: { note: 'xl ignores it with a warning; use "xl create -V"' },
    undocumented: true,
  }],
  ['vif2', 'LIST', ALL, '4.0', 'netchannel2; ignored with a warning', {
    deprecated: { use: 'vif', note: 'netchannel2 is not supported by xl' },
    undocumented: true,
  }],
];

/* xl-cfg-format.md §3.11 (tools/xl/xl.c parse_global_config). */
const XLCONF_ROWS: Row[] = [
  ['autoballoon', 'STR', ALL, '4.1', 'balloon dom0 down to make room: on, off, auto'],
  ['run_hotplug_scripts', 'NUM', ALL, '4.2', 'xl runs the hotplug scripts (default 1)'],
  ['lockfile', 'STR', ALL, '4.1', 'lock file (default /var/lock/xl)'],
  ['vif.default.script', 'STR', ALL, '4.2', 'default vif hotplug script'],
  ['vifscript', 'STR', ALL, '4.1', 'old name of vif.default.script', {
    deprecated: { use: 'vif.default.script', note: 'xl warns: use vif.default.script' },
  }],
  ['vif.default.bridge', 'STR', ALL, '4.2', 'default bridge (xenbr0)'],
  ['defaultbridge', 'STR', ALL, '4.1', 'old name of vif.default.bridge', {
    deprecated: { use: 'vif.default.bridge', note: 'xl warns: use vif.default.bridge' },
  }],
  ['vif.default.backend', 'STR', ALL, '4.3', 'default vif backend domain'],
  ['vif.default.gatewaydev', 'STR', ALL, '4.3', 'default gateway device for vif-route'],
  ['output_format', 'STR', ALL, '4.2', 'list -l format: json or sxp'],
  ['blkdev_start', 'STR', ALL, '4.2', 'first vdev used for bootloader disks'],
  ['claim_mode', 'NUM', ALL, '4.4', 'claim memory before building (default 1)'],
  ['remus.default.netbufscript', 'STR', ALL, '4.5', 'Remus network buffer script'],
  ['colo.default.proxyscript', 'STR', ALL, '4.7', 'COLO proxy script'],
  ['max_grant_frames', 'NUM', ALL, '4.10', 'default grant table frames'],
  ['max_maptrack_frames', 'NUM', ALL, '4.10', 'default maptrack frames'],
  ['max_grant_version', 'NUM', ALL, '4.16', 'default highest grant version'],
  ['vm.cpumask', 'STR', ALL, '4.9', 'global hard affinity mask for all guests'],
  ['vm.hvm.cpumask', 'STR', ALL, '4.9', 'global hard affinity mask for HVM guests'],
  ['vm.pv.cpumask', 'STR', ALL, '4.9', 'global hard affinity mask for PV guests'],
  ['domid_policy', 'STR', ALL, '4.14', 'domid allocation: xen or random'],
  ['bootloader_restrict', 'BOOL', ALL, '4.18', 'default bootloader_restrict'],
];

function toInfo(file: 'cfg' | 'xl.conf', r: Row): KeyInfo {
  const [name, type, forTypes, since, description, extra] = r;
  const info: KeyInfo = {
    name,
    file,
    type,
    for: forTypes === ALL ? 'all' : (forTypes as unknown as GuestType[]),
    since,
    description,
  };
  if (extra) Object.assign(info, extra);
  return info;
}

/** Every domain config key xl reads (xl.cfg(5)), in the man page's order. */
export const KEYS: readonly KeyInfo[] = CFG_ROWS.map((r) => toInfo('cfg', r));

/** Every xl.conf key xl reads (xl.conf(5); tools/xl/xl.c). */
export const XL_CONF_KEYS: readonly KeyInfo[] = XLCONF_ROWS.map((r) => toInfo('xl.conf', r));

const CFG_INDEX = new Map(KEYS.map((k) => [k.name, k]));
const XLCONF_INDEX = new Map(XL_CONF_KEYS.map((k) => [k.name, k]));

/**
 * Looks a key up by its exact (case-sensitive) name.
 * `file` picks the table: domain config (default) or xl.conf. Never throws.
 */
export function lookupKey(name: string, file: 'cfg' | 'xl.conf' = 'cfg'): KeyInfo | undefined {
  return (file === 'cfg' ? CFG_INDEX : XLCONF_INDEX).get(name);
}

/**
 * True when xl reads `key` for a guest of type `type` (xl-cfg-format.md §3 "For" column).
 * Unknown keys give false.
 */
export function keyAppliesTo(name: string, type: GuestType): boolean {
  const k = CFG_INDEX.get(name);
  if (!k) return false;
  return k.for === 'all' || k.for.includes(type);
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transposition) between
 * `a` and `b`, in UTF-16 units. Quadratic in the lengths: for "did you mean" use
 * {@link boundedEditDistance}, which stops early.
 */
export function editDistance(a: string, b: string): number {
  return boundedEditDistance(a, b, Math.max(a.length, b.length));
}

// Three DP rows reused by boundedEditDistance (i−2, i−1, i); grown on demand.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * {@link editDistance} when it is at most `max`, else `max + 1`. Only the diagonal band
 * |i − j| ≤ max is computed and the loop stops as soon as a whole row exceeds `max`, so the
 * cost is O(min(|a|, |b|) × max) time and O(|b|) memory whatever the inputs.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  const m = a.length;
  const n = b.length;
  const over = max + 1;
  if (Math.abs(m - n) > max) return over;
  if (m === 0 || n === 0) return Math.max(m, n);
  if (rowA.length < n + 1) {
    rowA = new Int32Array(n + 1);
    rowB = new Int32Array(n + 1);
    rowC = new Int32Array(n + 1);
  }
  let prev2 = rowA; // row i-2
  let prev = rowB; // row i-1
  let cur = rowC; // row i
  for (let j = 0; j <= n; j++) prev[j] = j <= max ? j : over;
  for (let i = 1; i <= m; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(n, i + max);
    cur[0] = i <= max ? i : over;
    if (lo > 1) cur[lo - 1] = over;
    let rowMin = cur[0]!;
    const ai = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = prev[j - 1]! + (ai === bj ? 0 : 1);
      const del = prev[j]! + 1;
      if (del < v) v = del;
      const ins = cur[j - 1]! + 1;
      if (ins < v) v = ins;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        const tr = prev2[j - 2]! + 1;
        if (tr < v) v = tr;
      }
      if (v > over) v = over;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < n) cur[hi + 1] = over;
    if (rowMin > max) return over;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  const d = prev[n]!;
  return d > max ? over : d;
}

/** The longest key of either table, plus the largest distance a suggestion may have. */
const SUGGEST_MAX_LENGTH = Math.max(...KEYS.map((k) => k.name.length), ...XL_CONF_KEYS.map((k) => k.name.length)) + 3;

/**
 * "Did you mean": the known key closest to `name` by edit distance, for an unknown
 * key (xl itself silently ignores unknown keys, xl-cfg-format.md §2.2).
 *
 * Comparison is case-insensitive (so `Memory` suggests `memory`). A suggestion is made
 * only when the distance is at most 1 for names of up to 4 characters, at most 2 up to
 * 8 characters, and at most 3 beyond; ties go to the key listed first. Returns undefined
 * for a known key or when nothing is close enough. Bounded time: names longer than any key
 * plus 3 get no suggestion, and each comparison stops once the distance exceeds the limit.
 */
export function suggestKey(name: string, file: 'cfg' | 'xl.conf' = 'cfg'): string | undefined {
  const table = file === 'cfg' ? KEYS : XL_CONF_KEYS;
  if (lookupKey(name, file)) return undefined;
  // No key is longer than SUGGEST_MAX_LENGTH − 3, so a longer name has nothing within reach.
  if (name.length > SUGGEST_MAX_LENGTH) return undefined;
  const lower = name.toLowerCase();
  const limit = lower.length <= 4 ? 1 : lower.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestD = limit + 1;
  for (const k of table) {
    // Only a strictly closer key replaces the best so far (ties go to the first listed).
    const dist = boundedEditDistance(lower, k.name, bestD - 1);
    if (dist < bestD) {
      bestD = dist;
      best = k.name;
      if (dist === 0) break;
    }
  }
  return best;
}
