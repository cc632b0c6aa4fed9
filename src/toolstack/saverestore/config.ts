/**
 * The domain configuration a save file or migration stream carries, and the config
 * files `xl save`/`xl migrate -C`/`xl restore CFG` can give instead:
 *
 * - `savedConfigJson`: xl_saverestore.c `save_domain_core_begin` — the config libxl
 *   keeps for the domain (`libxl_retrieve_domain_configuration`, printed like `xl list
 *   -l`), with `c_info.domid` = the domid under `-D`, else 0 (not printed), as libxl's
 *   JSON with yajl's formatting;
 * - `parseConfigFile`: xl_parse.c `parse_config_data` over a cfg file, as `xl create`
 *   parses one (the parser is loaded only here);
 * - `configFromJson`: libxl_domain_config_from_json for the saved JSON.
 */
import type { DomainInfo } from '../../machine/api.js';
import type { DomainConfig, HostFacts } from '../../parser/libxl.js';
import { domainConfigJson, yajlStringify } from '../format/libxl-json.js';
import type { CommandContext } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine, SITES } from '../format/log.js';
import { readFileBytes } from '../io.js';

/** The JSON text xl puts into a save file for `config` of domain `domid` (see the module comment). */
export function savedConfigJson(config: DomainConfig, domid: number, preserveDomid: boolean): string {
  const c = structuredClone(config);
  c.c_info = { ...c.c_info, domid: preserveDomid ? domid : 0 };
  return yajlStringify(domainConfigJson(c, { for: 'list-l' }));
}

/** The JSON of a config parsed from a file (no create-time fields), as `save CFG` / `migrate -C` embed it. */
export function parsedConfigJson(config: DomainConfig): string {
  return yajlStringify(domainConfigJson(config, { for: 'create-n' }));
}

/** xl's `-d` print of a restored domain's config (create_domain's `debug` branch). */
export function debugConfigJson(config: DomainConfig): string {
  return yajlStringify(domainConfigJson(config, { for: 'create-n' }));
}

/**
 * Parses the saved JSON config (libxl_domain_config_from_json): an object with
 * `c_info` and `b_info`. Returns undefined for anything else.
 */
export function configFromJson(bytes: Uint8Array): DomainConfig | undefined {
  try {
    const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const c = v as DomainConfig;
    if (typeof c.c_info !== 'object' || c.c_info === null || typeof c.b_info !== 'object' || c.b_info === null) return undefined;
    return c;
  } catch {
    return undefined;
  }
}

/**
 * Reads and parses a cfg file as `xl create` does (libxlu + parse_config_data), writing
 * the parser's messages. `unreadable` is printed when the file cannot be read (xl's
 * wording differs per command); `announce` (`Parsing config from …`) once it was read. Returns the config, or undefined after printing why
 * (parse errors end with `Failed to parse config: Invalid argument`).
 */
export async function parseConfigFile(
  ctx: CommandContext,
  file: string,
  facts: HostFacts,
  unreadable: (strerror: string) => string,
  announce?: string,
): Promise<DomainConfig | undefined> {
  const read = await (ctx.env.readFile ?? readFileBytes)(file);
  if (!read.ok) {
    ctx.err(unreadable(read.strerror));
    return undefined;
  }
  if (announce) ctx.err(announce);
  const [{ parseConfigBytes }, { buildDomainConfig }] = await Promise.all([
    import('../../parser/config-file.js'),
    import('../../parser/domain-config.js'),
  ]);
  const parsed = parseConfigBytes(read.bytes, file);
  if (!parsed.ok) {
    const failed = 'Failed to parse config: Invalid argument\n';
    ctx.err(parsed.xlErrors.endsWith(failed) ? parsed.xlErrors : parsed.xlErrors + failed);
    return undefined;
  }
  const built = buildDomainConfig(parsed.file, { facts, source: file });
  for (const m of built.messages) ctx.err(m.text);
  if (!built.config || (built.exitCode !== undefined && built.exitCode !== 0)) return undefined;
  return built.config;
}

/**
 * What libxl and xl print when `libxl_retrieve_domain_configuration` fails for a domid
 * that names no domain (libxl_domain.c `libxl_domain_info`, libxl_dom.c
 * `libxl__userdata_path`, libxl_internal.c `libxl__get_domain_configuration`,
 * libxl_domain.c `retrieve_domain_configuration_lock_acquired`; Xen 4.20.0 lines), then
 * xl_saverestore.c's `unable to retrieve domain configuration`.
 */
export function retrieveFailed(err: (s: string) => void, domid: number): void {
  err(libxlLine('error', SITES.domainInfo, domid, 'Getting domain info', 'No such process'));
  err(libxlLine('error', { file: 'libxl_dom.c', line: 1244, func: 'libxl__userdata_path' }, undefined, `unable to find domain info for domain ${domid}`, 'No such process'));
  err(libxlLine('error', { file: 'libxl_internal.c', line: 527, func: 'libxl__get_domain_configuration' }, domid, 'failed to retrieve domain configuration'));
  err(libxlLine('error', { file: 'libxl_domain.c', line: 2337, func: 'retrieve_domain_configuration_lock_acquired' }, domid, 'Fail to get domain configuration'));
  err('unable to retrieve domain configuration\n');
}

/** xlsim refuses to save, migrate or suspend Domain-0 (real xl would try to suspend the host itself; docs/compat.md). */
export function refuseDomain0(err: (s: string) => void, what: string): void {
  err(`xlsim: Domain-0 is the host itself and is not ${what} through xl\n`);
}

/** What `saveCoreBegin` found: the domain, its live info and the config JSON to send. */
export interface SaveBegin {
  domid: number;
  info: DomainInfo;
  json: string;
  /** The host's CPU clock, MHz (libxc's TSC record). */
  cpuMhz: number;
}

/**
 * xl_saverestore.c `save_domain_core_begin` as `xl save` and `xl migrate` start: the
 * domain from its operand (`find_domain`), Domain-0 refused, then the config JSON —
 * from `override` (`unable to read overridden config file`) or as libxl keeps it
 * (`unable to retrieve domain configuration`), with the domid under `preserveDomid`.
 * Returns what it found, or the exit status after printing why.
 */
export async function saveCoreBegin(ctx: CommandContext, dom: string, override: string | undefined, preserveDomid: boolean, what: string): Promise<SaveBegin | number> {
  const found = await ctx.readHost((host) => {
    const domid = findDomain(host, dom, ctx.err);
    return { domid, info: host.domain(domid), config: host.domainConfig(domid), facts: host.facts(), cpuMhz: host.info().cpuMhz };
  });
  const { domid, info } = found;
  if (domid === 0) {
    refuseDomain0(ctx.err, what);
    return 1;
  }
  let json: string;
  if (override !== undefined) {
    const config = await parseConfigFile(ctx, override, found.facts, () => 'unable to read overridden config file\n');
    if (!config) return 1;
    json = parsedConfigJson(config);
  } else {
    if (!found.config || !info) {
      retrieveFailed(ctx.err, domid);
      return 1;
    }
    json = savedConfigJson(found.config, domid, preserveDomid);
  }
  if (!info) {
    // An override config for a domid that names no domain: libxl's suspend finds no domain type.
    ctx.err(libxlLine('error', { file: 'libxl_dom.c', line: 37, func: 'libxl__domain_type' }, domid, 'unable to get dominfo', 'No such process'));
    return 1;
  }
  return { domid, info, json, cpuMhz: found.cpuMhz };
}
