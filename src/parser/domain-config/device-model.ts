/**
 * xl_parse.c: the device model (QEMU) keys, and the top-level VNC/SDL of PV guests.
 */
import { getStringList } from '../getters.js';
import { kb, i32, Builder, setIf } from './builder.js';

/** The device_model_args* keys and the b_info fields they fill (xl_parse.c). */
export const DM_ARGS = [
  ['device_model_args', 'extra'],
  ['device_model_args_pv', 'extra_pv'],
  ['device_model_args_hvm', 'extra_hvm'],
] as const;

/** Step 31: device model keys. */
export function deviceModel(b: Builder): void {
  const { b_info } = b;
  const dm = b.str('device_model');
  if (dm !== undefined) {
    b.say(
      'WARNING: ignoring device_model directive.\n' +
        'WARNING: Use "device_model_override" instead if you really want a non-default device_model\n',
      'warning',
      'XL158',
      'device_model',
    );
    if (dm.includes('stubdom-dm')) {
      if (b.type === 'hvm') {
        b.say('WARNING: Or use "device_model_stubdomain_override" if you  want to enable stubdomains\n', 'warning', 'XL158', 'device_model');
      } else {
        b.say('WARNING: ignoring "device_model_stubdomain_override" directive for pv guest\n', 'warning', 'XL158', 'device_model');
      }
    }
  }
  setIf(b_info, 'device_model', b.str('device_model_override'));
  const ver = b.str('device_model_version');
  if (ver !== undefined) {
    if (ver !== 'qemu-xen') b.fatal(`Unknown device_model_version "${ver}" specified\n`, 'XL123', 1, 'device_model_version');
    b_info.device_model_version = 'qemu_xen';
  } else if (b_info.device_model !== undefined) {
    b.say('WARNING: device model override given without specific DM version\n', 'warning', 'XL159', 'device_model_override');
  }
  setIf(b_info, 'device_model_stubdomain', b.defbool('device_model_stubdomain_override'));
  setIf(b_info, 'device_model_ssid_label', b.str('device_model_stubdomain_seclabel'));
  setIf(b_info, 'device_model_user', b.str('device_model_user'));
  setIf(b_info, 'stubdomain_kernel', b.str('stubdomain_kernel'));
  setIf(b_info, 'stubdomain_cmdline', b.str('stubdomain_cmdline'));
  setIf(b_info, 'stubdomain_ramdisk', b.str('stubdomain_ramdisk'));
  const sm = b.long('stubdomain_memory');
  if (sm !== undefined) b_info.stubdomain_memkb = kb(sm) as number;

  for (const [key, field] of DM_ARGS) {
    if (!b.has(key)) continue;
    const l = getStringList(b.cfg, key, b.report);
    if (l === undefined) b.fatal(`xl: Unable to parse ${key}.\n`, 'XL124', 3, key);
    if (l.length) b_info[field] = l;
  }
}

/** The `vnc*` keys as libxl_vnc_info (`enable`, `listen`, `passwd`, `display`, `findunused`), for an HVM guest or a PV guest's vfb. */
export function topLevelVnc(b: Builder): Record<string, unknown> {
  const vnc: Record<string, unknown> = {};
  setIf(vnc, 'enable', b.defbool('vnc'));
  setIf(vnc, 'listen', b.str('vnclisten'));
  setIf(vnc, 'passwd', b.str('vncpasswd'));
  const disp = b.long('vncdisplay');
  if (disp !== undefined && i32(disp) !== 0) vnc.display = i32(disp);
  setIf(vnc, 'findunused', b.defbool('vncunused'));
  return vnc;
}

/** The `sdl`/`opengl`/`display`/`xauthority` keys as libxl_sdl_info. */
export function topLevelSdl(b: Builder): Record<string, unknown> {
  const sdl: Record<string, unknown> = {};
  setIf(sdl, 'enable', b.defbool('sdl'));
  setIf(sdl, 'opengl', b.defbool('opengl'));
  setIf(sdl, 'display', b.str('display'));
  setIf(sdl, 'xauthority', b.str('xauthority'));
  return sdl;
}

/** Steps 31–32: the device-model keys, then the top-level `vnc`/`sdl` of a PV guest and `dm_restrict`. */
export function deviceModelStep(b: Builder): void {
  const { b_info } = b;
  const type = b.type;
  // step 31: device model
  deviceModel(b);

  // step 32: top-level vnc/sdl for PV, dm_restrict
  if (type === 'pv' && !(b.d.vfbs as unknown[] | undefined)?.length) {
    const vnc = b.long('vnc');
    if (vnc !== undefined && vnc !== 0) {
      const vfb: Record<string, unknown> = { devid: 0, vnc: topLevelVnc(b), sdl: topLevelSdl(b) };
      setIf(vfb, 'keymap', b.str('keymap'));
      b.d.vfbs = [vfb];
      const vkbs = (b.d.vkbs as Record<string, unknown>[] | undefined) ?? [];
      vkbs.push({ devid: vkbs.length });
      b.d.vkbs = vkbs;
    }
  }
  setIf(b_info, 'dm_restrict', b.defbool('dm_restrict'));
}
