/**
 * Virtual keyboard/pointer specs (`vkb=[ "VKBSPEC", … ]`, Xen 4.12), parsed as
 * tools/xl/xl_parse.c parse_vkb_list / parse_vkb_config do (xl-cfg-format.md §4.3; field
 * names from xen/include/public/io/kbdif.h). Output follows libxl_device_vkb
 * (tools/libs/light/libxl_types.idl).
 */

import type { SpecResult } from './types.js';
import { matchOption, q, specMessage, splitFields, strtoul, toUint32 } from './split.js';

/** libxl_vkb_backend values accepted by `backend-type=` (case-insensitive, libxl_utils.c). */
const BACKENDS = ['unknown', 'qemu', 'linux'] as const;

const BOOL_FIELDS = [
  ['feature-disable-keyboard', 'feature_disable_keyboard'],
  ['feature-disable-pointer', 'feature_disable_pointer'],
  ['feature-abs-pointer', 'feature_abs_pointer'],
  ['feature-raw-pointer', 'feature_raw_pointer'],
  ['feature-multi-touch', 'feature_multi_touch'],
] as const;

const U32_FIELDS = [
  ['multi-touch-width', 'multi_touch_width'],
  ['multi-touch-height', 'multi_touch_height'],
  ['multi-touch-num-contacts', 'multi_touch_num_contacts'],
  ['width', 'width'],
  ['height', 'height'],
] as const;

/** IDL order of libxl_device_vkb members a spec can set. */
const ORDER = [
  'backend_domname',
  'backend_type',
  'unique_id',
  'feature_disable_keyboard',
  'feature_disable_pointer',
  'feature_abs_pointer',
  'feature_raw_pointer',
  'feature_multi_touch',
  'width',
  'height',
  'multi_touch_width',
  'multi_touch_height',
  'multi_touch_num_contacts',
] as const;

/**
 * Parse one vkb spec.
 *
 * Fields: `backend` (→ backend_domname), `backend-type` (*(ci)* `qemu`|`linux` →
 * backend_type), `unique-id`, the `feature-*` flags (strtoul base 0 → bool), and the
 * uint32 numbers `width`, `height`, `multi-touch-width`, `multi-touch-height`,
 * `multi-touch-num-contacts` (`strtoul(…, 0)`: leading number, trailing junk ignored,
 * none → 0, wrapped to 32 bits). A non-zero multi-touch dimension turns
 * feature_multi_touch on.
 *
 * Returns libxl_device_vkb fields in IDL order (only non-default ones; bools as JS
 * booleans, only when true). Errors (code XL302, all exit 1 — xl's parse_vkb_list exits
 * with EXIT_FAILURE):
 * `Unknown backend_type "<v>" in vkb spec\n`, `Unknown string "<field>" in vkb spec\n`,
 * `backend-type should be set in vkb spec\n` (also for `backend-type=unknown`, the
 * enum's sentinel), and
 * `multi-touch-width, multi-touch-height, multi-touch-num-contacts should be set for multi touch in vkb spec\n`.
 */
export function parseVkbSpec(spec: string): SpecResult<Record<string, unknown>> {
  const v: Record<string, unknown> = {};
  let backendType = 'unknown';
  const fail = (text: string, message: string, span?: [number, number]): SpecResult<Record<string, unknown>> => ({
    messages: [specMessage('XL302', 'error', text, message, span)],
    exitCode: 1,
  });
  for (const f of splitFields(spec)) {
    const span: [number, number] = [f.start, f.start + f.text.length];
    const t = f.text;
    let o: string | undefined;
    if ((o = matchOption('backend', t)) !== undefined) {
      v.backend_domname = o;
      continue;
    }
    if ((o = matchOption('backend-type', t)) !== undefined) {
      const lc = o.toLowerCase();
      if (!(BACKENDS as readonly string[]).includes(lc)) {
        return fail(
          `Unknown backend_type "${o}" in vkb spec\n`,
          `vkb backend-type ${q(o)} is not one of qemu, linux (case-insensitive)`,
          span,
        );
      }
      backendType = lc;
      continue;
    }
    if ((o = matchOption('unique-id', t)) !== undefined) {
      v.unique_id = o;
      continue;
    }
    let done = false;
    for (const [name, field] of BOOL_FIELDS) {
      if ((o = matchOption(name, t)) !== undefined) {
        v[field] = strtoul(o, 0).value !== 0n;
        done = true;
        break;
      }
    }
    if (done) continue;
    for (const [name, field] of U32_FIELDS) {
      if ((o = matchOption(name, t)) !== undefined) {
        v[field] = toUint32(strtoul(o, 0).value);
        done = true;
        break;
      }
    }
    if (done) continue;
    return fail(
      `Unknown string "${t}" in vkb spec\n`,
      `unknown vkb field ${q(t)}: xl knows backend, backend-type, unique-id, feature-disable-keyboard, feature-disable-pointer, feature-abs-pointer, feature-raw-pointer, feature-multi-touch, multi-touch-width, multi-touch-height, multi-touch-num-contacts, width, height (each as key=value)`,
      span,
    );
  }
  if (backendType === 'unknown') {
    return fail(
      'backend-type should be set in vkb spec\n',
      'a vkb spec needs backend-type=qemu or backend-type=linux',
    );
  }
  v.backend_type = backendType;
  const mtw = (v.multi_touch_width as number | undefined) ?? 0;
  const mth = (v.multi_touch_height as number | undefined) ?? 0;
  const mtn = (v.multi_touch_num_contacts as number | undefined) ?? 0;
  if (mtw || mth || mtn) v.feature_multi_touch = true;
  if (v.feature_multi_touch === true && !(mtw || mth || mtn)) {
    return fail(
      'multi-touch-width, multi-touch-height, multi-touch-num-contacts should be set for multi touch in vkb spec\n',
      'feature-multi-touch is on but no multi-touch-width, multi-touch-height or multi-touch-num-contacts is set (non-zero)',
    );
  }
  const out: Record<string, unknown> = {};
  for (const k of ORDER) {
    const x = v[k];
    if (x === undefined || x === false || x === 0) continue;
    out[k] = x;
  }
  return { value: out, messages: [] };
}
