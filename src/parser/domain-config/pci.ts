/**
 * xl_parse.c: PCI passthrough (`pci`, its defaults, `rdm`, `e820_host`), `dtdev` and `passthrough`.
 */
import { parsePciSpec, type PciDefaults } from '../specs/pci.js';
import { parseRdmSpec } from '../specs/rdm.js';
import { Exit, enumFromString, Builder, fromSpec, setIf } from './builder.js';

/** Steps 18–20: PCI defaults, `e820_host`, `rdm`, `pci`, `dtdev` and `passthrough`. */
export function pci(b: Builder): void {
  const { c_info, u } = b;
  const type = b.type;
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
}
