/**
 * The option and result types of `buildDomainConfig` (xl's `parse_config_data`, tools/xl/xl_parse.c).
 */
import type { DomainConfig, HostFacts } from '../libxl.js';
import type { Setting } from '../types.js';

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
