/**
 * libxl's stderr log lines (tools/libs/toollog/xtl_logger_stdio.c; xl-commands.md §1.4):
 * `libxl: <level>: <file>:<line>:<function>: Domain <id>:<message>[: <strerror>]`.
 * Source line numbers are those of Xen 4.20.0.
 */

/** xtl log levels as printed. */
export type LogLevel = 'debug' | 'verbose' | 'detail' | 'progress' | 'info' | 'notice' | 'warning' | 'error' | 'critical';

/** A libxl source location: file, line (4.20.0) and function. */
export interface LogSite {
  file: string;
  line: number;
  func: string;
}

/** Log sites xlsim reproduces (4.20.0 line numbers from xl-commands.md §1.4). */
export const SITES = {
  domainRename: { file: 'libxl_domain.c', line: 81, func: 'libxl__domain_rename' },
  destroyDomid: { file: 'libxl_domain.c', line: 1179, func: 'libxl__destroy_domid' },
  destroyCallback: { file: 'libxl_domain.c', line: 1133, func: 'domain_destroy_callback' },
  destroyCb: { file: 'libxl_domain.c', line: 1060, func: 'domain_destroy_cb' },
  pause: { file: 'libxl_domain.c', line: 583, func: 'libxl_domain_pause' },
  /** Not in the reference sheet: line number estimated for 4.20.0. */
  unpause: { file: 'libxl_domain.c', line: 654, func: 'libxl__domain_unpause' },
  pvcontrol: { file: 'libxl_domain.c', line: 850, func: 'pvcontrol_cb' },
  /** Not in the reference sheet: line number estimated for 4.20.0 (libxl_dom.c). */
  domainType: { file: 'libxl_dom.c', line: 40, func: 'libxl__domain_type' },
  /** libxl__domain_make's "domain creation fail" (libxl_create.c; line estimated for 4.20.0). */
  domainMake: { file: 'libxl_create.c', line: 700, func: 'libxl__domain_make' },
  /** Not in the reference sheet: line number estimated for 4.20.0 (libxl_create.c). */
  createMake: { file: 'libxl_create.c', line: 1276, func: 'initiate_domain_create' },
  /** libxl_mem.c:279 / :60 per xl-commands.md §1.4 (function names from libxl_mem.c). */
  memDynamicMax: { file: 'libxl_mem.c', line: 279, func: 'libxl_set_memory_target' },
  memStaticMax: { file: 'libxl_mem.c', line: 60, func: 'libxl_domain_setmaxmem' },
  /** Not in the reference sheet: line number estimated for 4.20.0. */
  setVcpuOnline: { file: 'libxl_domain.c', line: 1996, func: 'libxl_set_vcpuonline' },
  domainInfo: { file: 'libxl_domain.c', line: 354, func: 'libxl_domain_info' },
} as const satisfies Record<string, LogSite>;

/**
 * One libxl log line, newline included. `domid` adds `Domain <id>:` only for guest ids
 * 1..32751 (never for Domain-0 or invalid ids); `errnoText` appends `: <strerror>`.
 */
export function libxlLine(level: LogLevel, site: LogSite, domid: number | undefined, message: string, errnoText?: string): string {
  const dom = domid !== undefined && domid >= 1 && domid <= 32751 ? `Domain ${domid}:` : '';
  const tail = errnoText !== undefined ? `: ${errnoText}` : '';
  return `libxl: ${level}: ${site.file}:${site.line}:${site.func}: ${dom}${message}${tail}\n`;
}
