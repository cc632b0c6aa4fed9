/**
 * Lint rules — What libxl refuses at creation time or silently wraps (xl-cfg-format.md §5.3): XL435, XL436, XL438–XL447, XL449–XL451.
 *
 * Each rule is one {@link LintRule} record (codes with their severity, scope, check);
 * facts and sources are cited per rule (see `rule.ts` for the shared helpers).
 */
import { readItems, scalar, specFields } from '../values.js';
import { own, diag, inside, quote, type LintRule, type RuleContext, num } from './rule.js';

// libxl creation-time refusals (§5.3): XL435 PoD conflicts, XL436 PV vNUMA,
// XL438 rombios, XL439 native_paravirt, XL440 usb + usbversion, XL441 nestedhvm+altp2mhvm

/** True when the config turns altp2m on (`altp2m` other than disabled/0, or `altp2mhvm` ≠ 0). */
function altp2mOn(ctx: RuleContext): boolean {
  const a = scalar(ctx.get('altp2m'))?.value.trim().toLowerCase();
  if (a !== undefined && a !== '' && a !== 'disabled' && a !== '0') return true;
  const h = num(ctx, 'altp2mhvm');
  return h !== undefined && h.n !== 0;
}

/** What libxl refuses at creation time: PoD conflicts (XL435), PV vNUMA (XL436), rombios (XL438), native_paravirt (XL439), usb with usbversion (XL440), nestedhvm with altp2mhvm (XL441). */
export const libxlRules: LintRule = {
  name: 'libxl-rules',
  codes: { XL435: 'error', XL436: 'error', XL438: 'error', XL439: 'error', XL440: 'error', XL441: 'error' },
  scope: 'file',
  check: (ctx) => {
    const type = ctx.type;
    const mem = num(ctx, 'memory');
    const maxmem = num(ctx, 'maxmem');
    const pod = (type === 'hvm' || type === 'pvh') && mem !== undefined && maxmem !== undefined && mem.n < maxmem.n;
    if (pod) {
      if (readItems(ctx.get('pci')).length > 0) {
        ctx.report(
          diag('XL435', mem!.s.nameRange, 'memory below maxmem makes this guest populate-on-demand, and libxl refuses PoD together with PCI passthrough ("IOMMU required for device passthrough but not supported together with PoD"); set memory = maxmem'),
        );
      } else if (ctx.get('vnuma') !== undefined) {
        ctx.report(
          diag('XL435', mem!.s.nameRange, 'memory below maxmem makes this guest populate-on-demand, and libxl refuses PoD together with vNUMA ("Cannot enable PoD and vNUMA at the same time"); set memory = maxmem'),
        );
      } else if (altp2mOn(ctx)) {
        ctx.report(
          diag('XL435', mem!.s.nameRange, 'memory below maxmem makes this guest populate-on-demand, and libxl refuses PoD together with altp2m ("Cannot enable PoD and ALTP2M at the same time"); set memory = maxmem'),
        );
      }
    }
    if (type === 'pv' && ctx.get('vnuma') !== undefined) {
      ctx.report(diag('XL436', ctx.get('vnuma')!.nameRange, 'libxl refuses vNUMA for PV guests ("PV vNUMA is not yet supported"); use an HVM or PVH guest or remove vnuma'));
    }
    if (type === 'hvm') {
      const bios = scalar(ctx.get('bios'));
      if (bios !== undefined && bios.value.toLowerCase() === 'rombios') {
        ctx.report(diag('XL438', bios.range, 'the only device model (qemu-xen) cannot use ROMBIOS: libxl refuses the domain ("qemu-xen does not support bios=rombios."); use seabios or ovmf'));
      }
      const usbv = ctx.get('usbversion');
      const usbOld = ctx.get('usb') ?? ctx.get('usbdevice');
      if (usbv !== undefined && usbOld !== undefined) {
        ctx.report(diag('XL440', usbv.nameRange, `libxl refuses usbversion together with ${usbOld.name} ("usbversion and/or usbredirection cannot be enabled with usb and/or usbdevice parameters."); keep one of them`));
      }
      const nested = num(ctx, 'nestedhvm');
      const alt = num(ctx, 'altp2mhvm');
      if (nested && alt && nested.n !== 0 && alt.n !== 0) {
        ctx.report(diag('XL441', alt.s.nameRange, 'libxl refuses nestedhvm together with altp2mhvm ("nestedhvm and altp2mhvm cannot be used together"); drop one'));
      }
    }
    const tsc = scalar(ctx.get('tsc_mode'));
    if (tsc !== undefined && (tsc.value.toLowerCase() === 'native_paravirt' || tsc.value === '3')) {
      ctx.report(diag('XL439', tsc.range, 'tsc_mode native_paravirt (PVRDTSCP) was removed from Xen: xl accepts it but libxl refuses the domain; use "default"'));
    }
  },
};

// more creation-time refusals and silent wrap-arounds: XL442 emulated NIC on PV/PVH,
// XL443 channel without name, XL444 videoram minimum, XL445 reversed ioports range,
// XL446 negative size, XL447 9pfs required fields

/** Keys holding MiB sizes that xl stores into unsigned fields (§2.2 "Memory sizes"). */
const SIZE_KEYS = ['memory', 'maxmem', 'videoram', 'shadow_memory', 'stubdomain_memory', 'rdm_mem_boundary', 'mmio_hole'];

/** More creation-time refusals and silent wrap-arounds (XL442–XL447). */
export const deviceRefusals: LintRule = {
  name: 'device-refusals',
  codes: { XL442: 'error', XL443: 'error', XL444: 'error', XL445: 'warning', XL446: 'warning', XL447: 'error' },
  scope: 'file',
  check: (ctx) => {
    const type = ctx.type;
    if (type === 'pv' || type === 'pvh') {
      for (const v of readItems(ctx.get('vif'))) {
        for (const f of specFields(v.value)) {
          const body = f.text.replace(/^ +/, '');
          if (body !== 'type=ioemu') continue;
          const off = f.start + (f.text.length - body.length);
          ctx.report(
            diag('XL442', inside(ctx, v, off, off + body.length), `type=ioemu asks for an emulated NIC, which a ${type.toUpperCase()} guest cannot have: libxl refuses the domain ("trying to create PV or PVH guest with an emulated interface"); remove type=ioemu`),
          );
        }
      }
    }
    readItems(ctx.get('channel')).forEach((v, i) => {
      const hasName = specFields(v.value).some((f) => /^\s*name\s*=\s*\S/.test(f.text));
      if (!hasName) {
        ctx.report(
          diag('XL443', v.range, `this channel has no name=: xl accepts it, but libxl refuses the domain ("channel ${i} has no name"); add name=…`),
        );
      }
    });
    if (type === 'hvm') {
      const vram = num(ctx, 'videoram');
      const vga = scalar(ctx.get('vga'))?.value;
      const stdvga = num(ctx, 'stdvga');
      const kind = vga ?? (stdvga && stdvga.n !== 0 ? 'stdvga' : 'cirrus');
      const min: Record<string, [number, string]> = {
        cirrus: [8, 'videoram must be at least 8 MB for CIRRUS on QEMU_XEN'],
        stdvga: [16, 'videoram must be at least 16 MB for STDVGA on QEMU_XEN'],
        qxl: [128, '128 Mib videoram is the minimum for qxl default'],
      };
      const m = own(min, kind);
      if (vram && m && vram.n >= 0 && vram.n < m[0]) {
        ctx.report(
          diag('XL444', vram.s.value.range, `videoram = ${vram.n} MiB is below the ${m[0]} MiB the ${kind} adapter needs: libxl refuses the domain ("${m[1]}")`),
        );
      }
    }
    for (const v of readItems(ctx.get('ioports'))) {
      const m = /^\s*(?:0[xX])?([0-9a-fA-F]+)-(?:0[xX])?([0-9a-fA-F]+)\s*$/.exec(v.value);
      if (m && parseInt(m[2]!, 16) < parseInt(m[1]!, 16)) {
        ctx.report(
          diag('XL445', v.range, `the ioport range ${v.value} ends before it starts: xl does not notice (it compares before reading the end) and passes a wrapped-around port count to libxl; write ${m[2]}-${m[1]}`),
        );
      }
    }
    for (const k of SIZE_KEYS) {
      const n = num(ctx, k);
      if (n && n.n < 0) {
        ctx.report(
          diag('XL446', n.s.value.range, `${k} = ${n.n}: xl does not reject negative sizes; the value wraps around when stored as an unsigned number of KiB`),
        );
      }
    }
    for (const v of readItems(ctx.get('p9'))) {
      const keys = new Set(
        specFields(v.value).flatMap((f) => {
          const eq = f.text.indexOf('=');
          return eq > 0 && f.text.slice(eq + 1).trim() !== '' ? [f.text.slice(0, eq).trim()] : [];
        }),
      );
      const typ = /(?:^|,)\s*type\s*=\s*([^,]*)/.exec(v.value)?.[1]?.trim().toLowerCase();
      if (typ === 'xen_9pfsd') continue;
      const missing = ['tag', 'path', 'security_model'].filter((k) => !keys.has(k));
      if (missing.length > 0) {
        ctx.report(
          diag('XL447', v.range, `this 9pfs share lacks ${missing.join(', ')}: xl accepts it, but libxl refuses the domain ("9pfs spec missing required field!")`),
        );
      }
    }
  },
};

// XL449 firmware prefix, XL450 passthrough disabled with devices, XL451 USB controller limits

export const firmwareAndPassthrough: LintRule = {
  name: 'firmware-and-passthrough',
  codes: { XL449: 'warning', XL450: 'error', XL451: 'error' },
  scope: 'file',
  check: (ctx) => {
    const fw = scalar(ctx.get('firmware'));
    if (fw !== undefined) {
      const v = fw.value;
      if (ctx.type === 'hvm') {
        const known = ['rombios', 'seabios', 'ovmf', 'uefi', 'bios'];
        if ((v.toLowerCase() === 'uefi' || v.toLowerCase() === 'bios') && v !== v.toLowerCase()) {
          ctx.report(diag('XL449', fw.range, `${quote(v)} is not a firmware name to xl (the match is case-sensitive), so it is read as the path of a firmware file; write ${quote(v.toLowerCase())}`));
        } else if (!known.includes(v.toLowerCase()) && 'uefi'.startsWith(v)) {
          ctx.report(diag('XL449', fw.range, `xl matches firmware as a prefix: ${quote(v)} is read as "uefi" (OVMF); write "uefi" or "ovmf"`));
        } else if (!known.includes(v.toLowerCase()) && 'bios'.startsWith(v)) {
          ctx.report(diag('XL449', fw.range, `xl matches firmware as a prefix: ${quote(v)} is read as "bios" (the default BIOS); write "bios" or "seabios"`));
        }
      } else if (ctx.type === 'pv' || ctx.type === 'pvh') {
        if (v !== 'pvgrub32' && v !== 'pvgrub64' && ('pvgrub32'.startsWith(v) || 'pvgrub64'.startsWith(v))) {
          ctx.report(
            diag('XL449', fw.range, `xl accepts ${quote(v)} because it is a prefix of pvgrub32/pvgrub64, but then boots the file ${v}.bin in the Xen firmware directory, which does not exist; write "pvgrub32" or "pvgrub64"`),
          );
        }
      }
    }
    const pt = scalar(ctx.get('passthrough'));
    if (pt !== undefined && pt.value.toLowerCase() === 'disabled') {
      const devs = ['pci', 'dtdev'].filter((k) => readItems(ctx.get(k)).length > 0);
      if (devs.length > 0) {
        ctx.report(
          diag('XL450', pt.range, `passthrough = "disabled" but ${devs.join(' and ')} lists devices to pass through: libxl refuses the domain ("passthrough disabled but devices are specified")`),
        );
      }
    }
    for (const v of readItems(ctx.get('usbctrl'))) {
      let typ = 'auto';
      let version = 2;
      let ports: number | undefined;
      for (const f of specFields(v.value)) {
        const m = /^\s*(type|version|ports)=(.*)$/.exec(f.text);
        if (!m) continue;
        if (m[1] === 'type') typ = m[2]!.toLowerCase();
        else if (m[1] === 'version') version = parseInt(m[2]!, 10) || 0;
        else ports = parseInt(m[2]!, 10) || 0;
      }
      if (typ === 'auto') typ = ctx.type === 'hvm' ? 'devicemodel' : 'pv';
      let problem: string | undefined;
      if (typ === 'pv' || typ === 'qusb') {
        if (version !== 1 && version !== 2) problem = `a ${typ} USB controller is version 1 or 2, not ${version}`;
        else if (ports !== undefined && (ports < 1 || ports > 31)) problem = `a ${typ} USB controller has 1 to 31 ports, not ${ports}`;
      } else if (typ === 'devicemodel') {
        const want: Record<number, string> = { 1: 'exactly 2', 2: 'exactly 6', 3: '1 to 15' };
        if (own(want, String(version)) === undefined) problem = `an emulated USB controller is version 1, 2 or 3, not ${version}`;
        else if (ports !== undefined && ((version === 1 && ports !== 2) || (version === 2 && ports !== 6) || (version === 3 && (ports < 1 || ports > 15)))) {
          problem = `an emulated USB ${version}.0 controller has ${want[version]} ports, not ${ports}`;
        }
      }
      if (problem !== undefined) {
        ctx.report(diag('XL451', v.range, `${problem}: xl accepts the spec, but libxl refuses the controller when the domain is created`));
      }
    }
  },
};
