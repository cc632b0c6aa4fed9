/**
 * UUID values (`uuid=` in xl.cfg, vtpm `uuid=`): xl calls `libxl_uuid_from_string`,
 * which on Linux is libuuid's `uuid_parse` (tools/libs/light/libxl_uuid.c,
 * xl-cfg-format.md §3.3 "Other options", §4.5).
 */

import type { SpecResult } from './types.js';
import { hexDigit, q, specMessage } from './split.js';

/**
 * Parse a UUID as libuuid's `uuid_parse` does: exactly 36 characters, `-` at offsets 8,
 * 13, 18 and 23 and a hex digit (either case) everywhere else — the canonical
 * 8-4-4-4-12 form, no braces, no surrounding blanks. Returns the lower-cased canonical
 * form (how libxl prints a UUID) or `undefined` when libuuid would refuse it.
 */
export function parseUuid(text: string): string | undefined {
  if (text.length !== 36) return undefined;
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45 /* - */) return undefined;
    } else if (hexDigit(c) < 0) {
      return undefined;
    }
  }
  return text.toLowerCase();
}

/**
 * The top-level `uuid=` key (xl_parse.c parse_config_data step 7, xl-cfg-format.md §5.1):
 * the canonical UUID, or the error `Failed to parse UUID: <v>\n` (code XL316) with exit 1.
 */
export function parseDomainUuid(text: string): SpecResult<string> {
  const u = parseUuid(text);
  if (u !== undefined) return { value: u, messages: [] };
  return {
    messages: [
      specMessage(
        'XL316',
        'error',
        `Failed to parse UUID: ${text}\n`,
        `uuid ${q(text)} is not a canonical UUID: xl wants 36 characters, 8-4-4-4-12 hex digits separated by "-" (e.g. 4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f)`,
        [0, text.length],
      ),
    ],
    exitCode: 1,
  };
}
