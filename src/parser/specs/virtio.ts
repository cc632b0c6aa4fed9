/**
 * Generic virtio device specs (`virtio=[ "backend=…,type=virtio,device22,transport=mmio,grant_usage=1" ]`,
 * Xen 4.18, Arm), parsed as tools/xl/xl_parse.c parse_virtio_list / parse_virtio_config
 * do (xl-cfg-format.md §4.16). Output follows libxl_device_virtio
 * (tools/libs/light/libxl_types.idl).
 */

import type { Defbool } from '../libxl.js';
import type { SpecMessage, SpecResult } from './types.js';
import { matchOption, q, specMessage, splitFields, strtoul } from './split.js';

/**
 * Parse one virtio spec.
 *
 * Fields (common `,` split, leading spaces skipped): `backend=` (→ backend_domname),
 * `type=` (string; when its value starts with `virtio`, xl glues the next `,` field back
 * on verbatim, so `type=virtio,device22` is one field), `transport=` *(ci)* `mmio`,
 * `grant_usage=` (`strtoul` base 0 → defbool `'True'`/`'False'`).
 *
 * Returns `{ backend_domname?, type?, transport?, grant_usage? }` in IDL order.
 *
 * Errors (code XL311, exit 1): `Unknown string "<field>" in virtio spec\n`; a bad
 * `transport` makes xl exit 1 **without any message** (text ""); a `type=virtio…` that is
 * the last field makes xl read past the end of its field list (a crash upstream) —
 * reported as an error with empty text and exit 1. A type that is not
 * `virtio,device<hex>` is accepted by xl; it gets an XL311 warning with empty text.
 */
export function parseVirtioSpec(spec: string): SpecResult<Record<string, unknown>> {
  const messages: SpecMessage[] = [];
  let backend: string | undefined;
  let type: string | undefined;
  let transport: string | undefined;
  let grant: Defbool | undefined;
  let typeSpan: [number, number] | undefined;
  const fields = splitFields(spec);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    let text = f.text;
    let span: [number, number] = [f.start, f.start + f.text.length];
    const t = matchOption('type', text);
    if (t !== undefined && t.startsWith('virtio')) {
      if (i + 1 >= fields.length) {
        messages.push(
          specMessage(
            'XL311',
            'error',
            '',
            `virtio type ${q(t)} is the last field: xl always glues the next field onto a type starting with "virtio" and reads past the end of the spec (undefined behaviour upstream); write type=virtio,device<N>`,
            span,
          ),
        );
        return { messages, exitCode: 1 };
      }
      // The glued field is the raw strtok token: its leading spaces are kept.
      const next = fields[i + 1]!;
      const raw = spec.slice(f.start + f.text.length + 1, next.start + next.text.length).replace(/^,+/, '');
      text = `${text},${raw}`;
      span = [f.start, next.start + next.text.length];
      i++;
    }
    let o: string | undefined;
    if ((o = matchOption('backend', text)) !== undefined) {
      backend = o;
    } else if ((o = matchOption('type', text)) !== undefined) {
      type = o;
      typeSpan = span;
    } else if ((o = matchOption('transport', text)) !== undefined) {
      const lc = o.toLowerCase();
      if (lc !== 'mmio' && lc !== 'unknown') {
        messages.push(
          specMessage(
            'XL311',
            'error',
            '',
            `virtio transport ${q(o)} is not \`mmio\`: xl exits with status 1 without printing anything`,
            span,
          ),
        );
        return { messages, exitCode: 1 };
      }
      transport = lc;
    } else if ((o = matchOption('grant_usage', text)) !== undefined) {
      grant = strtoul(o, 0).value !== 0n ? 'True' : 'False';
    } else {
      messages.push(
        specMessage(
          'XL311',
          'error',
          `Unknown string "${text}" in virtio spec\n`,
          `unknown virtio field ${q(text)}: xl knows backend=, type=, transport=, grant_usage=`,
          span,
        ),
      );
      return { messages, exitCode: 1 };
    }
  }
  if (type !== undefined && !/^virtio,device[0-9a-f]+$/.test(type)) {
    messages.push(
      specMessage(
        'XL311',
        'warning',
        '',
        `virtio type ${q(type)} is not of the form virtio,device<N> (N lower-case hex without 0x); xl passes it on unchecked`,
        typeSpan,
      ),
    );
  }
  const value: Record<string, unknown> = {};
  if (backend !== undefined) value.backend_domname = backend;
  if (type !== undefined) value.type = type;
  if (transport !== undefined && transport !== 'unknown') value.transport = transport;
  if (grant !== undefined) value.grant_usage = grant;
  return { value, messages };
}
