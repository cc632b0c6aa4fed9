/**
 * xl_parse.c: the per-type blocks — HVM firmware, platform, viridian, smbios, graphics, serial and usb — and altp2m.
 */
import { getStringList, listItem } from '../getters.js';
import { parseSmbios } from '../specs/smbios.js';
import { parseViridian, VIRIDIAN_BITMAP_WIDTH, VIRIDIAN_GROUPS } from '../specs/viridian.js';
import { pvBlock } from './boot.js';
import { ALTP2M_MODES, bool, enumFromString, kb, i32, basename, isPrefixOf, Builder, setIf } from './builder.js';
import { topLevelVnc, topLevelSdl } from './device-model.js';

/** HVM_BELOW_4G_MMIO_LENGTH / HVM_BELOW_4G_MMIO_START (xen/include/public/hvm/e820.h), bytes. */
export const MMIO_HOLE_MIN = 0x10000000;

/** Largest `mmio_hole` in bytes (HVM_BELOW_4G_MMIO_START). */
export const MMIO_HOLE_MAX = 0xf0000000;

/** `vga=` values → libxl_vga_interface_type names (xl_parse.c). */
export const VGA_KINDS: Readonly<Record<string, string>> = { stdvga: 'std', cirrus: 'cirrus', none: 'none', qxl: 'qxl' };

/**
 * Viridian group names → their bit numbers in libxl's viridian_enable/_disable bitmaps
 * (libxl_viridian_enlightenment values), ascending, as libxl's JSON lists set bits.
 */
export function viridianBits(names: readonly string[]): number[] {
  const bits: number[] = [];
  for (let bit = 0; bit < VIRIDIAN_GROUPS.length; bit++) if (names.includes(VIRIDIAN_GROUPS[bit]!)) bits.push(bit);
  return bits;
}

/** HVM block of step 25 (xl_parse.c `case LIBXL_DOMAIN_TYPE_HVM`). */
export function hvmBlock1(b: Builder): void {
  const { b_info, u } = b;
  if (b_info.kernel !== undefined && basename(b_info.kernel) === 'hvmloader') {
    b.say(
      'WARNING: you seem to be using "kernel" directive to override HVM guest firmware. Ignore that. ' +
        'Use "firmware_override" instead if you really want a non-default firmware\n',
      'warning',
      'XL151',
      'kernel',
    );
    delete b_info.kernel;
  }
  setIf(u, 'firmware', b.str('firmware_override'));
  setIf(u, 'system_firmware', b.str('bios_path_override'));
  const bios = b.str('bios');
  if (bios !== undefined) {
    const v = enumFromString(bios, ['unknown', 'rombios', 'seabios', 'ovmf']);
    if (v === undefined) b.fatal(`ERROR: invalid value "${bios}" for "bios"\n`, 'XL119', 1, 'bios');
    if (v !== 'unknown') u.bios = v;
  } else if (u.system_firmware !== undefined) {
    b.say('WARNING: bios_path_override given without specific bios name\n', 'warning', 'XL152', 'bios_path_override');
  }
  setIf(u, 'pae', b.defbool('pae'));
  setIf(u, 'acpi_s3', b.defbool('acpi_s3'));
  setIf(u, 'acpi_s4', b.defbool('acpi_s4'));
  setIf(u, 'acpi_laptop_slate', b.defbool('acpi_laptop_slate'));
  setIf(u, 'nx', b.defbool('nx'));
  setIf(u, 'hpet', b.defbool('hpet'));
  setIf(u, 'vpt_align', b.defbool('vpt_align'));
  setIf(b_info, 'apic', b.defbool('apic'));
  setIf(u, 'pirq', b.defbool('hvm_pirq'));

  // viridian: a list of groups, else a boolean read silently
  const vl = b.list('viridian', true);
  if (vl) {
    const items = getStringList(b.cfg, 'viridian') ?? [];
    const r = b.spec(parseViridian(items), 'viridian');
    if (r) {
      // `defaults` sets the defbool; libxl adds the default groups when it builds the domain
      if (r.defaults) u.viridian = 'True';
      const enable = viridianBits(r.enable);
      // `all` is libxl_bitmap_set_any: bits 13…63 too (no group has them, so nothing clears them)
      if (r.all) for (let bit = VIRIDIAN_GROUPS.length; bit < VIRIDIAN_BITMAP_WIDTH; bit++) enable.push(bit);
      const disable = viridianBits(r.disable);
      if (enable.length) u.viridian_enable = enable;
      if (disable.length) u.viridian_disable = disable;
    }
  } else if (b.has('viridian')) {
    setIf(u, 'viridian', b.defbool('viridian', true));
  }

  const hole = b.long('mmio_hole');
  if (hole !== undefined) {
    const bytes = hole * 1024 * 1024;
    if (bytes < MMIO_HOLE_MIN || bytes > MMIO_HOLE_MAX) {
      b.fatal(`ERROR: invalid value ${hole} for "mmio_hole"\n`, 'XL130', 1, 'mmio_hole');
    }
    u.mmio_hole_memkb = hole * 1024;
  }

  const altp2mhvm = b.defbool('altp2mhvm');
  if (altp2mhvm !== undefined) {
    u.altp2m = altp2mhvm;
    b.say('WARNING: Specifying "altp2mhvm" is deprecated. Please use "altp2m" instead.\n', 'warning', 'XL153', 'altp2mhvm');
  }
  setIf(u, 'smbios_firmware', b.str('smbios_firmware'));
  setIf(u, 'acpi_firmware', b.str('acpi_firmware'));

  const smbios = b.list('smbios');
  if (smbios) {
    const items = getStringList(b.cfg, 'smbios') ?? [];
    const r = b.spec(parseSmbios(items), 'smbios');
    if (r && r.length) u.smbios = r;
  } else if (b.has('smbios')) {
    b.fatal('xl: Unable to parse smbios options.\n', 'XL124', 1, 'smbios');
  }

  const genid = b.str('ms_vm_genid');
  if (genid !== undefined) {
    if (genid === 'generate') {
      u.ms_vm_genid = Array.from({ length: 16 }, () => Math.floor(b.random() * 256) & 0xff);
    } else if (genid !== 'none') {
      b.fatal('ERROR: "ms_vm_genid" option must be "generate" or "none"\n', 'XL131', 1, 'ms_vm_genid');
    }
  }

  const rdmb = b.long('rdm_mem_boundary');
  if (rdmb !== undefined) u.rdm_mem_boundary_memkb = kb(rdmb);

  const mca = b.list('mca_caps', true);
  if (mca) {
    let caps = 0;
    for (let i = 0; i < mca.items.length; i++) {
      const s = listItem(mca, i);
      if (s === 'lmce') caps |= 1;
      else b.fatal(`ERROR: unrecognized MCA capability '${s ?? '(null)'}'.\n`, 'XL132', 3, 'mca_caps');
    }
    if (caps) u.mca_caps = caps;
  } else if (b.has('mca_caps')) {
    b.fatal('ERROR: unable to parse mca_caps.\n', 'XL132', 3, 'mca_caps');
  }

  const fw = b.str('firmware');
  if (fw !== undefined) {
    const bt = enumFromString(fw, ['unknown', 'rombios', 'seabios', 'ovmf']);
    if (bt !== undefined) {
      if (bt !== 'unknown') u.bios = bt;
      else delete u.bios;
    } else if (isPrefixOf(fw, 'uefi')) {
      u.bios = 'ovmf';
    } else if (!isPrefixOf(fw, 'bios')) {
      u.firmware = fw;
    }
  }
}

/** HVM block of step 33. */
export function hvmBlock2(b: Builder): void {
  const { u } = b;
  const vga = b.str('vga');
  if (vga !== undefined) {
    const k = Object.hasOwn(VGA_KINDS, vga) ? VGA_KINDS[vga] : undefined;
    if (k === undefined) b.fatal(`Unknown vga "${vga}" specified\n`, 'XL125', 1, 'vga');
    u.vga = { kind: k };
  } else {
    const std = b.long('stdvga');
    if (std !== undefined) u.vga = { kind: std ? 'std' : 'cirrus' };
  }
  const hdtype = b.str('hdtype');
  if (hdtype !== undefined) {
    const h = enumFromString(hdtype, ['ide', 'ahci']);
    if (h === undefined) b.fatal(`ERROR: invalid value "${hdtype}" for "hdtype"\n`, 'XL119', 1, 'hdtype');
    if (h !== 'ide') u.hdtype = h;
  }
  const vnc = topLevelVnc(b);
  u.vnc = vnc;
  u.sdl = topLevelSdl(b);
  setIf(u, 'keymap', b.str('keymap'));

  const spice: Record<string, unknown> = {};
  setIf(spice, 'enable', b.defbool('spice'));
  const port = b.long('spiceport');
  if (port !== undefined && i32(port) !== 0) spice.port = i32(port);
  const tls = b.long('spicetls_port');
  if (tls !== undefined && i32(tls) !== 0) spice.tls_port = i32(tls);
  setIf(spice, 'host', b.str('spicehost'));
  setIf(spice, 'disable_ticketing', b.defbool('spicedisable_ticketing'));
  setIf(spice, 'passwd', b.str('spicepasswd'));
  setIf(spice, 'agent_mouse', b.defbool('spiceagent_mouse'));
  setIf(spice, 'vdagent', b.defbool('spicevdagent'));
  setIf(spice, 'clipboard_sharing', b.defbool('spice_clipboard_sharing'));
  const usbr = b.long('spiceusbredirection');
  if (usbr !== undefined && i32(usbr) !== 0) spice.usbredirection = i32(usbr);
  setIf(spice, 'image_compression', b.str('spice_image_compression'));
  setIf(spice, 'streaming_video', b.str('spice_streaming_video'));
  u.spice = spice;
  setIf(u, 'nographic', b.defbool('nographic'));

  const gfxNum = b.long('gfx_passthru', true);
  if (gfxNum !== undefined) {
    u.gfx_passthru = bool(gfxNum !== 0);
  } else {
    const g = b.str('gfx_passthru');
    if (g !== undefined) {
      const k = enumFromString(g, ['default', 'igd']);
      if (k === undefined) b.fatal(`ERROR: invalid value "${g}" for "gfx_passthru"\n`, 'XL119', 1, 'gfx_passthru');
      u.gfx_passthru = 'True';
      if (k !== 'default') u.gfx_passthru_kind = k;
    }
  }

  stringOrList(b, 'serial', 'serial_list', 'serial');
  setIf(u, 'boot', b.str('boot'));
  setIf(u, 'usb', b.defbool('usb'));
  const usbversion = b.long('usbversion');
  if (usbversion !== undefined && i32(usbversion) !== 0) u.usbversion = i32(usbversion);
  stringOrList(b, 'usbdevice', 'usbdevice_list', 'usbdevice');
  setIf(u, 'vkb_device', b.defbool('vkb_device'));
  setIf(u, 'soundhw', b.str('soundhw'));
  setIf(u, 'xen_platform_pci', b.defbool('xen_platform_pci'));

  if (typeof vnc.listen === 'string' && vnc.display && vnc.listen.includes(':')) {
    b.fatal('ERROR: Display specified both in vnclisten and vncdisplay!\n', 'XL126', 1, 'vnclisten');
  }

  const vendor = b.str('vendor_device');
  if (vendor !== undefined) {
    const v = enumFromString(vendor, ['none', 'xenserver']);
    if (v === undefined) b.fatal(`xl: unknown vendor_device '${vendor}'\n`, 'XL127', 3, 'vendor_device');
    if (v !== 'none') u.vendor_device = v;
  }
}

/** `serial` / `usbdevice`: a string list (silently tried), else one string, else "Unable to parse" (exit 3). */
export function stringOrList(b: Builder, key: string, listField: string, strField: string): void {
  if (!b.has(key)) return;
  const l = getStringList(b.cfg, key);
  if (l !== undefined) {
    if (l.length) b.u[listField] = l;
    return;
  }
  const s = b.str(key);
  if (s === undefined) b.fatal(`xl: Unable to parse ${key}.\n`, 'XL124', 3, key);
  b.u[strField] = s;
}

/** Steps 25–26: `nestedhvm` and the per-type block (HVM, or PV/PVH firmware and boot check), then `altp2m` and `vmtrace_buf_kb`. */
export function typeSpecific(b: Builder): void {
  const { b_info } = b;
  const type = b.type;
  // step 25: nestedhvm, then the per-type block
  setIf(b_info, 'nested_hvm', b.defbool('nestedhvm'));
  if (type === 'hvm') hvmBlock1(b);
  else pvBlock(b);

  // step 26: altp2m, vmtrace_buf_kb
  {
    const n = b.long('altp2m', true);
    if (n !== undefined) {
      if (n < 0 || n > 3) b.fatal(`ERROR: invalid value ${n} for "altp2m"\n`, 'XL119', 1, 'altp2m');
      if (n !== 0) b_info.altp2m = ALTP2M_MODES[n];
    } else {
      const s = b.str('altp2m');
      if (s !== undefined) {
        const m = enumFromString(s, ALTP2M_MODES);
        if (m === undefined) b.fatal(`ERROR: invalid value "${s}" for "altp2m"\n`, 'XL119', 1, 'altp2m');
        if (m !== 'disabled') b_info.altp2m = m;
      }
    }
    const vt = b.long('vmtrace_buf_kb', true);
    if (vt !== undefined && vt !== 0) b_info.vmtrace_buf_kb = i32(vt);
  }
}

/** Step 33: the second HVM block (vga, graphics, spice, serial, usb, vendor device). */
export function hvmDisplay(b: Builder): void {
  const type = b.type;
  // step 33: HVM block 2
  if (type === 'hvm') hvmBlock2(b);
}
