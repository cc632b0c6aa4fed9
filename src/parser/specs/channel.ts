/**
 * Channel specs (`channel=[ "CHANSPEC", … ]`, Xen 4.5), parsed as parse_config_data in
 * tools/xl/xl_parse.c does (xl-cfg-format.md §4.4). Output follows libxl_device_channel
 * (tools/libs/light/libxl_types.idl), with the keyed union flattened to
 * `connection` + `path`.
 */

import type { SpecMessage, SpecResult } from './types.js';
import { q, specMessage, splitKeyValue, strtok } from './split.js';

/**
 * Parse one channel spec.
 *
 * The spec is cut with `strtok` at `,` (empty fields dropped, no space skipping), each
 * field split at its first `=` with C whitespace trimmed off both halves. Keys:
 * `backend` (→ backend_domname), `name`, `path`, `connection` (exactly `pty` or
 * `socket`, lower case). Repeated keys: last wins.
 *
 * Returns `{ backend_domname?, name?, connection: 'pty'|'socket', path? }` (`path` only
 * for socket). `name` is not required here: libxl checks it later
 * (`channel <n> has no name`).
 *
 * Messages (code XL303), in xl's order:
 * - `failed to parse channel configuration: <field>` — **no trailing newline** — for a
 *   field without `=` or with nothing after it; exit 1.
 * - `unknown channel parameter '<k>', ignoring\n` — warning, parsing goes on.
 * - `unknown channel connection '<v>'\n` — exit 1 (also for the man page's upper-case
 *   `PTY`/`SOCKET`, which the code rejects).
 * - `channel has unknown 'connection'\n` — no connection given; exit 1.
 * - `channel connection 'socket' requires path=..\n` — exit 1.
 */
export function parseChannelSpec(spec: string): SpecResult<Record<string, unknown>> {
  const messages: SpecMessage[] = [];
  let backend: string | undefined;
  let name: string | undefined;
  let path: string | undefined;
  let connection: 'pty' | 'socket' | undefined;
  const fail = (text: string, message: string, span?: [number, number]): SpecResult<Record<string, unknown>> => {
    messages.push(specMessage('XL303', 'error', text, message, span));
    return { messages, exitCode: 1 };
  };
  for (const f of strtok(spec, ',')) {
    const span: [number, number] = [f.start, f.start + f.text.length];
    const kv = splitKeyValue(f.text);
    if (kv === undefined) {
      return fail(
        `failed to parse channel configuration: ${f.text}`,
        `channel field ${q(f.text)} is not key=value with a non-empty value`,
        span,
      );
    }
    switch (kv.key) {
      case 'backend':
        backend = kv.value;
        break;
      case 'name':
        name = kv.value;
        break;
      case 'path':
        path = kv.value;
        break;
      case 'connection':
        if (kv.value === 'pty' || kv.value === 'socket') {
          connection = kv.value;
        } else {
          const upper = kv.value.toLowerCase() === 'pty' || kv.value.toLowerCase() === 'socket';
          return fail(
            `unknown channel connection '${kv.value}'\n`,
            upper
              ? `channel connection ${q(kv.value)}: xl only accepts lower-case \`pty\` or \`socket\`; the man page's upper-case spelling is rejected`
              : `channel connection ${q(kv.value)} is not \`pty\` or \`socket\``,
            span,
          );
        }
        break;
      default:
        messages.push(
          specMessage(
            'XL303',
            'warning',
            `unknown channel parameter '${kv.key}', ignoring\n`,
            `unknown channel key ${q(kv.key)} is ignored (known keys: backend, name, path, connection)`,
            span,
          ),
        );
    }
  }
  if (connection === undefined) {
    return fail("channel has unknown 'connection'\n", 'a channel needs connection=pty or connection=socket');
  }
  if (connection === 'socket' && path === undefined) {
    return fail(
      "channel connection 'socket' requires path=..\n",
      'connection=socket needs path=<unix socket path> in the same channel spec',
    );
  }
  const value: Record<string, unknown> = {};
  if (backend !== undefined) value.backend_domname = backend;
  if (name !== undefined) value.name = name;
  value.connection = connection;
  if (connection === 'socket') value.path = path;
  return { value, messages };
}
