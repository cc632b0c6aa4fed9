/**
 * 9pfs specs (`p9=[ "P9SPEC", … ]`, Xen 4.9; `type=xen_9pfsd` since 4.19), parsed as
 * parse_config_data in tools/xl/xl_parse.c does (xl-cfg-format.md §4.6). Output follows
 * libxl_device_p9 (tools/libs/light/libxl_types.idl).
 */

import type { SpecResult } from './types.js';
import { parseUlong, q, specMessage, splitKeyValue, strtok, strtoul, toInt32 } from './split.js';

/** XEN_LOG_DIR of a default Xen build; xen_9pfsd's default path is `<XEN_LOG_DIR>/guests/<name>`. */
export const XEN_LOG_DIR = '/var/log/xen';

/** libxl_p9_type names (case-insensitive on input; `unknown` is the enum's sentinel). */
const P9_TYPES = ['unknown', 'qemu', 'xen_9pfsd'] as const;

/**
 * Parse one p9 spec for the domain called `domainName`.
 *
 * Split like channel: `strtok` at `,`, each field cut at its first `=`, C whitespace
 * trimmed off both halves. Keys: `tag`, `path`, `security_model`, `backend`
 * (→ backend_domname), `type` *(ci)* `qemu`|`xen_9pfsd`, `max-files`,
 * `max-open-files`, `max-space` (MiB) (decimal via xl's parse_ulong, stored as C int),
 * `auto-delete` (`strtoul` base 0 → bool). Repeated keys: last wins.
 *
 * For `type=xen_9pfsd` xl fills in defaults: tag `Xen`, path
 * `/var/log/xen/guests/<domainName>`, max_open_files 5. libxl checks the rest at create
 * (`9pfs spec missing required field!`, `Illegal 9pfs parameter combination`).
 *
 * Returns libxl_device_p9 fields in IDL order (`backend_domname, tag, path,
 * security_model, type, max_space, max_files, max_open_files, auto_delete`), only set /
 * non-zero ones.
 *
 * Errors (code XL307, exit 1): `failed to parse 9pfs configuration: <field>` (no
 * trailing newline), `failed to parse 9pfs type: <v>\n`,
 * `xl: failed to convert "<v>" to number\n`, `Unknown 9pfs parameter '<k>'\n`.
 */
export function parseP9Spec(spec: string, domainName: string): SpecResult<Record<string, unknown>> {
  const s: Record<string, string> = {};
  let type = 'unknown';
  let maxSpace = 0;
  let maxFiles = 0;
  let maxOpenFiles = 0;
  let autoDelete = false;
  const fail = (text: string, message: string, span: [number, number]): SpecResult<Record<string, unknown>> => ({
    messages: [specMessage('XL307', 'error', text, message, span)],
    exitCode: 1,
  });
  for (const f of strtok(spec, ',')) {
    const span: [number, number] = [f.start, f.start + f.text.length];
    const kv = splitKeyValue(f.text);
    if (kv === undefined) {
      return fail(
        `failed to parse 9pfs configuration: ${f.text}`,
        `9pfs field ${q(f.text)} is not key=value with a non-empty value`,
        span,
      );
    }
    const num = (): number | undefined => {
      const n = parseUlong(kv.value);
      return n === undefined ? undefined : toInt32(n);
    };
    switch (kv.key) {
      case 'security_model':
      case 'path':
      case 'tag':
        s[kv.key] = kv.value;
        break;
      case 'backend':
        s.backend_domname = kv.value;
        break;
      case 'type': {
        const lc = kv.value.toLowerCase();
        if (!(P9_TYPES as readonly string[]).includes(lc)) {
          return fail(
            `failed to parse 9pfs type: ${kv.value}\n`,
            `9pfs type ${q(kv.value)} is not qemu or xen_9pfsd`,
            span,
          );
        }
        type = lc;
        break;
      }
      case 'max-files':
      case 'max-open-files':
      case 'max-space': {
        const n = num();
        if (n === undefined) {
          return fail(
            `xl: failed to convert "${kv.value}" to number\n`,
            `9pfs ${kv.key} ${q(kv.value)} is not a decimal number`,
            span,
          );
        }
        if (kv.key === 'max-files') maxFiles = n;
        else if (kv.key === 'max-open-files') maxOpenFiles = n;
        else maxSpace = n;
        break;
      }
      case 'auto-delete':
        autoDelete = strtoul(kv.value, 0).value !== 0n;
        break;
      default:
        return fail(
          `Unknown 9pfs parameter '${kv.key}'\n`,
          `unknown 9pfs key ${q(kv.key)}: xl knows tag, path, security_model, backend, type, max-files, max-open-files, max-space, auto-delete`,
          span,
        );
    }
  }
  if (type === 'xen_9pfsd') {
    if (s.tag === undefined) s.tag = 'Xen';
    if (s.path === undefined) s.path = `${XEN_LOG_DIR}/guests/${domainName}`;
    if (maxOpenFiles === 0) maxOpenFiles = 5;
  }
  const value: Record<string, unknown> = {};
  for (const k of ['backend_domname', 'tag', 'path', 'security_model']) {
    if (s[k] !== undefined) value[k] = s[k];
  }
  if (type !== 'unknown') value.type = type;
  if (maxSpace !== 0) value.max_space = maxSpace;
  if (maxFiles !== 0) value.max_files = maxFiles;
  if (maxOpenFiles !== 0) value.max_open_files = maxOpenFiles;
  if (autoDelete) value.auto_delete = true;
  return { value, messages: [] };
}
