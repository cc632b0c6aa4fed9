/**
 * The emulated host's xl.conf, read the way xl reads `/etc/xen/xl.conf` before a command
 * (tools/xl/xl.c `main` and `parse_global_config`; xl-commands.md §1.1, §1.7;
 * xl-cfg-format.md §1.7, §3.11). The file lives at `$XLSIM_HOME/xl.conf`
 * (`HostStore.xlConfPath`); only the commands that use its values read it, so commands
 * such as `xlsim list` do not pay for loading the parser.
 */
import type { HostFacts } from '../parser/libxl.js';
import type { Diagnostic } from '../parser/types.js';
import type { XlConfFull } from '../parser/domain-config/xl-conf.js';
import { readFileBytes, type XlEnv } from './io.js';

/** xl's line after libxlu's parse errors for xl.conf (`parse_global_config`, strerror(EINVAL)). */
export const XL_CONF_PARSE_FAILED = 'Failed to parse config file: Invalid argument\n';

/**
 * Outcome of {@link loadXlConf}.
 * - `ok: true`: `conf` holds the values (empty = xl's built-in defaults); `path` is the
 *   file that was read, undefined when there is none.
 * - `ok: false`: xl would exit with `status` (always 1) before running the command; its
 *   messages were already written.
 */
export type XlConfLoad =
  | { ok: true; conf: XlConfFull; path?: string }
  | { ok: false; status: number };

/** Where `loadXlConf` finds xl.conf: the store's `xlConfPath`, read through `readFile` (default `node:fs`). */
export type XlConfSource = { store: { readonly xlConfPath: string | undefined } } & Pick<XlEnv, 'readFile'>;

/**
 * Reads and parses the host's xl.conf (`env.store.xlConfPath`, read through
 * `env.readFile`, default `node:fs`), writing xl's messages to `err` in xl's order:
 *
 * - no xl.conf configured, or the file does not exist (ENOENT): xl's defaults, **no
 *   output** (real xl prints `Failed to read config file: /etc/xen/xl.conf: No such file
 *   or directory` here; xlsim stays quiet, see docs/compat.md);
 * - any other read error: `Failed to read config file: <path>: <strerror>\n`, then
 *   defaults, as xl goes on;
 * - a parse failure: libxlu's error lines (labelled with the path), then
 *   `Failed to parse config file: Invalid argument\n`, status 1;
 * - otherwise the notices of `readXlConf` (parser layer): getter warnings,
 *   `invalid autoballoon option` (no newline), deprecation lines, cpumask messages; a bad
 *   `max_grant_frames`/`max_maptrack_frames`/`max_grant_version` gives status 1 silently.
 *
 * @param env where xl.conf is (a command's `XlEnv`, or `{ store: { xlConfPath } }`)
 * @param facts host facts (pCPU and NUMA node counts) for the `vm*.cpumask` lists
 * @param err stderr writer
 * Never throws.
 */
export async function loadXlConf(env: XlConfSource, facts: HostFacts, err: (s: string) => void): Promise<XlConfLoad> {
  const path = env.store.xlConfPath;
  if (path === undefined) return { ok: true, conf: {} };
  const read = await (env.readFile ?? readFileBytes)(path);
  if (!read.ok) {
    if (read.code !== 'ENOENT') err(`Failed to read config file: ${path}: ${read.strerror}\n`);
    return { ok: true, conf: {} };
  }
  // The parser (chevrotain) loads only for the commands that read xl.conf.
  const [{ parseConfigBytes }, { readXlConf }] = await Promise.all([
    import('../parser/config-file.js'),
    import('../parser/domain-config/xl-conf.js'),
  ]);
  const parsed = parseConfigBytes(read.bytes, path);
  if (!parsed.ok) {
    err(parsed.xlErrors + XL_CONF_PARSE_FAILED);
    return { ok: false, status: 1 };
  }
  const r = readXlConf(parsed.file, facts);
  for (const m of r.messages) err(m.text);
  if (r.exitCode !== undefined && r.exitCode !== 0) return { ok: false, status: r.exitCode };
  return { ok: true, conf: r.conf, path };
}

/** What {@link lintXlConfBytes} returns: the shape `xlsim check` reports per file. */
export interface XlConfLint {
  /** Parse diagnostics, xl's xl.conf notices (located at their setting) and unknown keys, sorted by position. */
  diagnostics: Diagnostic[];
  /** Each resolved key → string or nested arrays of strings (empty when the parse failed). */
  settings: Record<string, unknown>;
  /** The decoded text the ranges refer to. */
  text: string;
}

/**
 * `xlsim check` for a file named `xl.conf`: lints it as xl's global configuration
 * (xl-cfg-format.md §3.11) instead of as a domain config. Reports the parser's
 * diagnostics (XL001–XL006); when the file parses, every message `readXlConf` gives
 * (XL140 notices such as `invalid autoballoon option`, getter warnings XL100–XL107,
 * cpumask messages, XL141 for the silent exit on a bad `max_grant_*` value) located at
 * the setting, and XL401 for a key xl.conf does not have (`xl silently ignores it`,
 * with a "did you mean" for a near xl.conf key, or a note when it is a domain config
 * key). `facts` gives the pCPU/node counts the `vm*.cpumask` lists are checked against.
 * Never throws.
 */
export async function lintXlConfBytes(bytes: Uint8Array, source: string, facts: HostFacts): Promise<XlConfLint> {
  const [{ parseConfigBytes }, { readXlConf }, { lookupKey, suggestKey }, { plainValue }, { LineIndex, spanToRange, fileStartRange }] =
    await Promise.all([
      import('../parser/config-file.js'),
      import('../parser/domain-config/xl-conf.js'),
      import('../parser/keys.js'),
      import('../parser/lint/values.js'),
      import('../parser/lint/text.js'),
    ]);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    text = Buffer.from(bytes).toString('latin1');
  }
  const parsed = parseConfigBytes(bytes, source);
  const out: Diagnostic[] = [...parsed.diagnostics];
  const settings: Record<string, unknown> = {};
  if (parsed.ok) {
    const lines = new LineIndex(text);
    for (const m of readXlConf(parsed.file, facts).messages) {
      const xl = m.text.replace(/\n$/, '');
      const s = m.setting;
      let range = fileStartRange();
      if (s !== undefined) {
        range = s.value.range;
        if (m.span !== undefined && s.value.kind === 'string') range = spanToRange(lines, s.value.range, s.value.value.length, m.span);
      }
      const d: Diagnostic = { severity: m.severity, code: m.code, message: m.message ?? (xl !== '' ? xl : m.code), range };
      if (xl !== '') d.xl = xl;
      out.push(d);
    }
    for (const s of parsed.file.settings()) {
      settings[s.name] = plainValue(s.value);
      if (lookupKey(s.name, 'xl.conf') !== undefined) continue;
      const guess = suggestKey(s.name, 'xl.conf');
      const note =
        lookupKey(s.name) !== undefined
          ? '; it is a domain config key, not an xl.conf setting'
          : guess !== undefined
            ? `; did you mean \`${guess}'?`
            : '';
      out.push({ severity: 'warning', code: 'XL401', message: `unknown xl.conf key \`${s.name}': xl silently ignores it${note}`, range: s.nameRange });
    }
  }
  out.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { diagnostics: out, settings, text };
}
