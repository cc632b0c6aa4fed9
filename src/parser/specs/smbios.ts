/**
 * SMBIOS strings for HVM guests (`smbios=[ "system_manufacturer=ACME", … ]`, Xen 4.18),
 * as parse_config_data in tools/xl/xl_parse.c reads them (xl-cfg-format.md §4.18).
 * Keys are libxl_smbios_type names (tools/libs/light/libxl_types.idl).
 */

import type { SpecResult } from './types.js';
import { q, specMessage } from './split.js';

/** libxl_smbios_type names, in enum order. */
export const SMBIOS_TYPES = [
  'bios_vendor',
  'bios_version',
  'system_manufacturer',
  'system_product_name',
  'system_version',
  'system_serial_number',
  'baseboard_manufacturer',
  'baseboard_product_name',
  'baseboard_version',
  'baseboard_serial_number',
  'baseboard_asset_tag',
  'baseboard_location_in_chassis',
  'enclosure_manufacturer',
  'enclosure_serial_number',
  'enclosure_asset_tag',
  'battery_manufacturer',
  'battery_device_name',
  'oem',
] as const;

/** How many `oem` strings xl accepts. */
export const SMBIOS_MAX_OEM = 99;

/**
 * Parse the smbios list items.
 *
 * Each item is cut at its first `=`; the key is matched case-insensitively against
 * {@link SMBIOS_TYPES}; the value (everything after the `=`, kept verbatim) must not be
 * empty; `oem` may appear at most 99 times. Returns `[{ key, value }]` in list order,
 * `key` lower-case (libxl_smbios: key enum + value string).
 *
 * Errors (code XL315, exit 1): `xl: failed to split "<s>" at '='\n`,
 * `xl: empty value not allowed for smbios "<k>="\n`, `xl: unknown smbios type '<k>'\n`,
 * `xl: smbios limited to 99 oem strings\n`.
 */
export function parseSmbios(items: string[]): SpecResult<{ key: string; value: string }[]> {
  const out: { key: string; value: string }[] = [];
  let oem = 0;
  const fail = (text: string, message: string): SpecResult<{ key: string; value: string }[]> => ({
    messages: [specMessage('XL315', 'error', text, message)],
    exitCode: 1,
  });
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      return fail(`xl: failed to split "${item}" at '='\n`, `smbios item ${q(item)} is not key=value`);
    }
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (value === '') {
      return fail(`xl: empty value not allowed for smbios "${key}="\n`, `smbios ${q(key)} has an empty value`);
    }
    const t = SMBIOS_TYPES.find((x) => x === key.toLowerCase());
    if (t === undefined) {
      return fail(
        `xl: unknown smbios type '${key}'\n`,
        `unknown smbios key ${q(key)}: known keys are ${SMBIOS_TYPES.join(', ')}`,
      );
    }
    if (t === 'oem' && ++oem > SMBIOS_MAX_OEM) {
      return fail('xl: smbios limited to 99 oem strings\n', 'more than 99 smbios oem= strings');
    }
    out.push({ key: t, value });
  }
  return { value: out, messages: [] };
}
