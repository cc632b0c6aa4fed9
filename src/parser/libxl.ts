/**
 * The typed domain configuration, shaped like libxl's `libxl_domain_config`
 * (`tools/libs/light/libxl_types.idl`): field names, nesting and enum spellings are
 * libxl's, so `xlsim create -n` and `xlsim list -l` can print the JSON real xl prints.
 *
 * Convention: objects are built with keys inserted in IDL order and only fields that
 * differ from libxl's init value present (libxl's generated `*_gen_json` skips
 * default-valued fields; see shared/reference/xl-commands.md §3.4). Memory is in KiB
 * (`*_memkb`), as in libxl; the cfg surface (`memory=`, `maxmem=`) is MiB.
 */

/** libxl_domain_type, lower-case as libxl prints it. */
export type DomainType = 'hvm' | 'pv' | 'pvh';

/** libxl_action_on_shutdown as printed in JSON (underscores), e.g. `restart_rename`. */
export type ActionOnShutdown =
  | 'destroy'
  | 'restart'
  | 'restart_rename'
  | 'preserve'
  | 'coredump_destroy'
  | 'coredump_restart'
  | 'soft_reset';

/** A libxl defbool as JSON prints it. */
export type Defbool = 'True' | 'False';

/** libxl_device_disk (subset grows with the sub-grammars). */
export interface DeviceDisk {
  backend_domid?: number;
  backend_domname?: string;
  pdev_path?: string;
  vdev?: string;
  backend?: 'phy' | 'tap' | 'qdisk' | 'standalone';
  format?: 'raw' | 'qcow' | 'qcow2' | 'vhd' | 'empty' | 'qed';
  script?: string;
  removable?: number;
  readwrite?: number;
  is_cdrom?: number;
  direct_io_safe?: boolean;
  discard_enable?: Defbool;
  specification?: 'xen' | 'virtio';
  transport?: string;
  irq?: number;
  base?: number;
  colo_enable?: Defbool;
  colo_restore_enable?: Defbool;
  colo_host?: string;
  colo_port?: number;
  colo_export?: string;
  active_disk?: string;
  hidden_disk?: string;
  trusted?: Defbool;
  grant_usage?: Defbool;
  [extra: string]: unknown;
}

/** libxl_device_nic (subset grows with the vif grammar). */
export interface DeviceNic {
  backend_domid?: number;
  backend_domname?: string;
  devid?: number;
  mtu?: number;
  model?: string;
  mac?: string;
  ip?: string;
  bridge?: string;
  ifname?: string;
  script?: string;
  nictype?: 'vif' | 'vif_ioemu';
  rate_bytes_per_interval?: number;
  rate_interval_usecs?: number;
  gatewaydev?: string;
  coloft_forwarddev?: string;
  trusted?: Defbool;
  vlan?: string;
  [extra: string]: unknown;
}

/** libxl_domain_create_info. */
export interface CreateInfo {
  type: DomainType;
  hap?: Defbool;
  oos?: Defbool;
  ssidref?: number;
  ssid_label?: string;
  name?: string;
  domid?: number;
  uuid?: string;
  pool_name?: string;
  run_hotplug_scripts?: Defbool;
  driver_domain?: Defbool;
  passthrough?: string;
  [extra: string]: unknown;
}

/** libxl_sched_params. weight/cap are -1 (absent in JSON) when left to the scheduler. */
export interface SchedParams {
  sched?: string;
  weight?: number;
  cap?: number;
  period?: number;
  slice?: number;
  latency?: number;
  extratime?: number;
  budget?: number;
}

/** libxl_domain_build_info. Guest-type specific fields live in `type.pv` / `type.hvm` / `type.pvh`. */
export interface BuildInfo {
  max_vcpus?: number;
  /** Bitmap as the list of set vCPU ids (vCPUs online at boot). */
  avail_vcpus?: number[];
  max_memkb?: number;
  target_memkb?: number;
  video_memkb?: number;
  shadow_memkb?: number;
  sched_params: SchedParams;
  kernel?: string;
  cmdline?: string;
  ramdisk?: string;
  bootloader?: string;
  bootloader_args?: string[];
  'type.pv'?: Record<string, unknown>;
  'type.hvm'?: Record<string, unknown>;
  'type.pvh'?: Record<string, unknown>;
  arch_arm: Record<string, unknown>;
  arch_x86: Record<string, unknown>;
  [extra: string]: unknown;
}

/** libxl_domain_config: what one cfg file becomes. */
export interface DomainConfig {
  c_info: CreateInfo;
  b_info: BuildInfo;
  disks?: DeviceDisk[];
  nics?: DeviceNic[];
  on_poweroff?: ActionOnShutdown;
  on_reboot?: ActionOnShutdown;
  on_watchdog?: ActionOnShutdown;
  on_crash?: ActionOnShutdown;
  on_soft_reset?: ActionOnShutdown;
  [device: string]: unknown;
}

/**
 * What xl asks the host before it parses (`libxl_get_physinfo`, xl_parse.c): the few
 * facts some config checks depend on (vNUMA pnode range, vcpus-vs-pcpus, cpumap width).
 */
export interface HostFacts {
  /** Online physical CPUs. */
  nrCpus: number;
  /** NUMA nodes; node k owns CPUs k*cpusPerNode … (k+1)*cpusPerNode-1. */
  nrNodes: number;
  /** Architecture whose defaults apply (type=pv on x86, pvh on arm). */
  arch: 'x86' | 'arm';
}
