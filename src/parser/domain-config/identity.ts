/**
 * xl_parse.c, first section: who the domain is (seclabels, type, name, uuid, pool) and the xl.conf defaults that apply to every domain.
 */
import type { DomainType } from '../libxl.js';
import { parseUuid } from '../specs/uuid.js';
import { bool, isPrefixOf, NO_XL_CONF, TYPE_MEMBER, Builder, randomUuid, setIf } from './builder.js';

/** Steps 2–9 of parse_config_data: seclabels, type and builder, hap, name, uuid, oos, pool, the PVH shim, and the xl.conf defaults blkdev_start and claim_mode. */
export function identity(b: Builder): void {
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
}
