/**
 * PV calls specs (`pvcalls=[ "backend=DOM", … ]`, Xen 4.11), parsed as
 * parse_config_data in tools/xl/xl_parse.c does (xl-cfg-format.md §4.7). Output follows
 * libxl_device_pvcallsif (tools/libs/light/libxl_types.idl).
 */

import type { SpecMessage, SpecResult } from './types.js';
import { q, specMessage, splitFields } from './split.js';

/**
 * Parse one pvcalls spec.
 *
 * Only `backend=` (→ backend_domname; optional, libxl defaults to Domain-0). A field
 * without `=` silently ends parsing (reported as a warning with empty `text`). Returns
 * `{ backend_domname? }`.
 *
 * Error (code XL308, exit 1): `` Unknown string `<key>' in pvcalls spec\n ``.
 */
export function parsePvcallsSpec(spec: string): SpecResult<Record<string, unknown>> {
  const messages: SpecMessage[] = [];
  let backend: string | undefined;
  for (const f of splitFields(spec)) {
    const span: [number, number] = [f.start, f.start + f.text.length];
    const eq = f.text.indexOf('=');
    if (eq < 0) {
      messages.push(
        specMessage(
          'XL308',
          'warning',
          '',
          `pvcalls field ${q(f.text)} has no "=": xl silently stops reading this pvcalls spec here`,
          span,
        ),
      );
      break;
    }
    const key = f.text.slice(0, eq);
    if (key !== 'backend') {
      messages.push(
        specMessage(
          'XL308',
          'error',
          `Unknown string \`${key}' in pvcalls spec\n`,
          `unknown pvcalls key ${q(key)}: the only key is backend=`,
          span,
        ),
      );
      return { messages, exitCode: 1 };
    }
    backend = f.text.slice(eq + 1);
  }
  const value: Record<string, unknown> = {};
  if (backend !== undefined) value.backend_domname = backend;
  return { value, messages };
}
