/**
 * Virtual display specs (`vdispl=[ "backend=…,be-alloc=0|1,connectors=id0:1920x1080;…" ]`,
 * Xen 4.10), parsed as tools/xl/xl_parse.c parse_vdispl_list / parse_vdispl_config do
 * (xl-cfg-format.md §4.14). Output follows libxl_device_vdispl and
 * libxl_connector_param (tools/libs/light/libxl_types.idl).
 */

import type { SpecResult } from './types.js';
import { matchOption, q, scanResolution, specMessage, splitFields, strtok, strtoul } from './split.js';

/**
 * Parse one vdispl spec.
 *
 * Fields (common `,` split, leading spaces skipped): `backend=` (→ backend_domname),
 * `be-alloc=` (`strtoul` base 0 → bool), `connectors=` — `;`-separated entries (empty
 * ones dropped), each `ID:WxH` cut at the first `:`; W and H are read like
 * `sscanf("%ux%u")` (decimal, optional sign, trailing junk ignored). A later
 * `connectors=` replaces an earlier one.
 *
 * Returns `{ backend_domname?, be_alloc?, connectors: [{ unique_id, width?, height? }] }`
 * (IDL order; width/height omitted when 0).
 *
 * Errors (code XL309, exit 1): `Can't parse connector resolution\n`,
 * `Unknown string "<field>" in vdispl spec\n`,
 * `At least one connector should be specified.\n`.
 */
export function parseVdisplSpec(spec: string): SpecResult<Record<string, unknown>> {
  let backend: string | undefined;
  let beAlloc = false;
  let connectors: Record<string, unknown>[] = [];
  const fail = (text: string, message: string, span?: [number, number]): SpecResult<Record<string, unknown>> => ({
    messages: [specMessage('XL309', 'error', text, message, span)],
    exitCode: 1,
  });
  for (const f of splitFields(spec)) {
    const span: [number, number] = [f.start, f.start + f.text.length];
    let o: string | undefined;
    if ((o = matchOption('backend', f.text)) !== undefined) {
      backend = o;
    } else if ((o = matchOption('be-alloc', f.text)) !== undefined) {
      beAlloc = strtoul(o, 0).value !== 0n;
    } else if ((o = matchOption('connectors', f.text)) !== undefined) {
      connectors = [];
      for (const c of strtok(o, ';')) {
        const colon = c.text.indexOf(':');
        const res = colon < 0 ? undefined : scanResolution(c.text.slice(colon + 1));
        if (res === undefined || res.count !== 2) {
          return fail(
            "Can't parse connector resolution\n",
            `vdispl connector ${q(c.text)} is not ID:WIDTHxHEIGHT (e.g. id0:1920x1080)`,
            span,
          );
        }
        const conn: Record<string, unknown> = { unique_id: c.text.slice(0, colon) };
        if (res.width !== 0) conn.width = res.width;
        if (res.height !== 0) conn.height = res.height;
        connectors.push(conn);
      }
    } else {
      return fail(
        `Unknown string "${f.text}" in vdispl spec\n`,
        `unknown vdispl field ${q(f.text)}: xl knows backend=, be-alloc=, connectors=`,
        span,
      );
    }
  }
  if (connectors.length === 0) {
    return fail(
      'At least one connector should be specified.\n',
      'a vdispl spec needs connectors=ID:WIDTHxHEIGHT[;…]',
    );
  }
  const value: Record<string, unknown> = {};
  if (backend !== undefined) value.backend_domname = backend;
  if (beAlloc) value.be_alloc = true;
  value.connectors = connectors;
  return { value, messages: [] };
}
