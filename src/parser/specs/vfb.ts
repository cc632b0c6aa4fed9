/**
 * Virtual framebuffer specs (`vfb=[ "VFBSPEC", … ]`), parsed as xl's parse_config_data
 * does in tools/xl/xl_parse.c (xl-cfg-format.md §4.3). Output follows
 * libxl_device_vfb in tools/libs/light/libxl_types.idl.
 */

import type { Defbool } from '../libxl.js';
import type { SpecMessage, SpecResult } from './types.js';
import { atoi, q, specMessage, splitFields } from './split.js';

/** libxl_vnc_info as xl fills it from a vfb spec (only fields the spec set). */
export interface VncInfo {
  enable?: Defbool;
  listen?: string;
  passwd?: string;
  display?: number;
  findunused?: Defbool;
}

/** libxl_sdl_info as xl fills it from a vfb spec (only fields the spec set). */
export interface SdlInfo {
  enable?: Defbool;
  opengl?: Defbool;
  display?: string;
  xauthority?: string;
}

const bool = (s: string): Defbool => (atoi(s) !== 0 ? 'True' : 'False');

/**
 * Parse one vfb spec.
 *
 * Fields (after the common `,` split with empty fields dropped and leading spaces
 * skipped): `vnc`, `vncunused`, `sdl`, `opengl` (atoi → defbool `'True'`/`'False'`, so
 * `vnc=yes` means false), `vncdisplay` (atoi), `vnclisten`, `vncpasswd`, `keymap`,
 * `display`, `xauthority` (strings, trailing spaces kept). Repeated keys: last wins.
 *
 * Returns `{ vnc: {…}, sdl: {…}, keymap? }` in libxl_device_vfb IDL order; `vnc` and `sdl`
 * are always present (struct members), their fields only when set. `backend_domid` is
 * never set by a spec and `devid` (the list index) is the caller's to add.
 *
 * xl never fails and never prints for a vfb spec: unknown keys are ignored, and a field
 * without `=` silently ends parsing of the spec. Both are reported here as warnings
 * with empty `text` (xl is silent) and code XL301 so `xlsim check` can explain them.
 */
export function parseVfbSpec(spec: string): SpecResult<Record<string, unknown>> {
  const vnc: VncInfo = {};
  const sdl: SdlInfo = {};
  let keymap: string | undefined;
  const messages: SpecMessage[] = [];
  const fields = splitFields(spec);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const eq = f.text.indexOf('=');
    if (eq < 0) {
      const ignored = fields.length - i - 1;
      messages.push(
        specMessage(
          'XL301',
          'warning',
          '',
          `vfb field ${q(f.text)} has no "=": xl silently stops reading this vfb spec here` +
            (ignored > 0 ? ` and ignores the ${ignored} field(s) after it` : ''),
          [f.start, f.start + f.text.length],
        ),
      );
      break;
    }
    const key = f.text.slice(0, eq);
    const v = f.text.slice(eq + 1);
    switch (key) {
      case 'vnc':
        vnc.enable = bool(v);
        break;
      case 'vnclisten':
        vnc.listen = v;
        break;
      case 'vncpasswd':
        vnc.passwd = v;
        break;
      case 'vncdisplay':
        vnc.display = atoi(v);
        break;
      case 'vncunused':
        vnc.findunused = bool(v);
        break;
      case 'keymap':
        keymap = v;
        break;
      case 'sdl':
        sdl.enable = bool(v);
        break;
      case 'opengl':
        sdl.opengl = bool(v);
        break;
      case 'display':
        sdl.display = v;
        break;
      case 'xauthority':
        sdl.xauthority = v;
        break;
      default:
        messages.push(
          specMessage(
            'XL301',
            'warning',
            '',
            `unknown vfb key ${q(key)}: xl silently ignores it (known keys: vnc, vnclisten, vncpasswd, vncdisplay, vncunused, keymap, sdl, opengl, display, xauthority)`,
            [f.start, f.start + f.text.length],
          ),
        );
    }
  }
  // libxl_vnc_info / libxl_sdl_info IDL order; display 0 is the init value (omitted).
  const vncOut: Record<string, unknown> = {};
  if (vnc.enable !== undefined) vncOut.enable = vnc.enable;
  if (vnc.listen !== undefined) vncOut.listen = vnc.listen;
  if (vnc.passwd !== undefined) vncOut.passwd = vnc.passwd;
  if (vnc.display !== undefined && vnc.display !== 0) vncOut.display = vnc.display;
  if (vnc.findunused !== undefined) vncOut.findunused = vnc.findunused;
  const sdlOut: Record<string, unknown> = {};
  if (sdl.enable !== undefined) sdlOut.enable = sdl.enable;
  if (sdl.opengl !== undefined) sdlOut.opengl = sdl.opengl;
  if (sdl.display !== undefined) sdlOut.display = sdl.display;
  if (sdl.xauthority !== undefined) sdlOut.xauthority = sdl.xauthority;
  const value: Record<string, unknown> = { vnc: vncOut, sdl: sdlOut };
  if (keymap !== undefined) value.keymap = keymap;
  return { value, messages };
}
