/**
 * vTPM specs (`vtpm=[ "backend=DOM[,uuid=UUID]", … ]`, Xen 4.3), parsed as
 * parse_config_data in tools/xl/xl_parse.c does (xl-cfg-format.md §4.5). Output follows
 * libxl_device_vtpm (tools/libs/light/libxl_types.idl).
 */

import type { SpecMessage, SpecResult } from './types.js';
import { q, specMessage, splitFields } from './split.js';
import { parseUuid } from './uuid.js';

/**
 * Parse one vtpm spec.
 *
 * Fields (common `,` split, leading spaces skipped): `backend=` (→ backend_domname,
 * required) and `uuid=` (libuuid canonical form, stored lower-case). A field without
 * `=` silently ends parsing of the spec — so a `backend=` after it is never seen.
 * Returns `{ backend_domname, uuid? }`.
 *
 * Errors (code XL306, exit 1): `Failed to parse vtpm UUID: <v>\n`,
 * `` Unknown string `<key>' in vtpm spec\n `` (only the key is shown),
 * `vtpm spec missing required backend field!\n`. The silent early stop is reported as a
 * warning with empty `text`.
 */
export function parseVtpmSpec(spec: string): SpecResult<Record<string, unknown>> {
  const messages: SpecMessage[] = [];
  let backend: string | undefined;
  let uuid: string | undefined;
  for (const f of splitFields(spec)) {
    const span: [number, number] = [f.start, f.start + f.text.length];
    const eq = f.text.indexOf('=');
    if (eq < 0) {
      messages.push(
        specMessage(
          'XL306',
          'warning',
          '',
          `vtpm field ${q(f.text)} has no "=": xl silently stops reading this vtpm spec here`,
          span,
        ),
      );
      break;
    }
    const key = f.text.slice(0, eq);
    const v = f.text.slice(eq + 1);
    if (key === 'backend') {
      backend = v;
    } else if (key === 'uuid') {
      const u = parseUuid(v);
      if (u === undefined) {
        messages.push(
          specMessage(
            'XL306',
            'error',
            `Failed to parse vtpm UUID: ${v}\n`,
            `vtpm uuid ${q(v)} is not a canonical 8-4-4-4-12 hex UUID`,
            span,
          ),
        );
        return { messages, exitCode: 1 };
      }
      uuid = u;
    } else {
      messages.push(
        specMessage(
          'XL306',
          'error',
          `Unknown string \`${key}' in vtpm spec\n`,
          `unknown vtpm key ${q(key)}: xl knows backend= and uuid=`,
          span,
        ),
      );
      return { messages, exitCode: 1 };
    }
  }
  if (backend === undefined) {
    messages.push(
      specMessage(
        'XL306',
        'error',
        'vtpm spec missing required backend field!\n',
        'a vtpm spec needs backend=<domain running the vTPM manager>',
      ),
    );
    return { messages, exitCode: 1 };
  }
  const value: Record<string, unknown> = { backend_domname: backend };
  if (uuid !== undefined && !/^[0-]+$/.test(uuid)) value.uuid = uuid;
  return { value, messages };
}
