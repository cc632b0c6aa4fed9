/**
 * Output formats of `xlsim check` (the xl.cfg linter): `text` (one-liners, plus a code
 * frame with carets and a summary when stdout is a terminal), `gcc` (one-liners
 * `file:line:col: severity: message [CODE]`), `json` and `sarif` (SARIF 2.1.0 as GitHub
 * code scanning accepts it).
 *
 * The formatter takes plain `CheckFileResult`s, so any source of diagnostics — the
 * parser, the builder, the lint rules of src/parser/lint — plugs in by producing
 * `Diagnostic`s (src/parser/types.ts).
 */
import { codeFrame } from './codeframe.js';
import { RULES, RULES_DOC } from '../../parser/lint/catalogue.js';
import type { Diagnostic, Severity } from '../../parser/types.js';

/** The report formats `--format` accepts. */
export type CheckFormat = 'text' | 'gcc' | 'json' | 'sarif';

/** All `--format` values, in help order. */
export const CHECK_FORMATS: readonly CheckFormat[] = ['text', 'gcc', 'json', 'sarif'];

/** What was found in one file. */
export interface CheckFileResult {
  /** The path as the user typed it. */
  file: string;
  /** When the file could not be read: glibc's strerror text (then no diagnostics). */
  readError?: string;
  /** Diagnostics to report, sorted by position. */
  diagnostics: Diagnostic[];
  /** Each resolved key → a string, or nested arrays of strings (what xl would read). */
  settings: Record<string, unknown>;
  /** The decoded text the ranges refer to (for code frames). */
  text: string;
}

/** How diagnostics count: `strict` makes warnings problems; `quiet` reports errors only. */
export interface CheckPolicy {
  strict?: boolean;
  quiet?: boolean;
}

/** The diagnostics a policy reports (`quiet` keeps errors only). */
export function reported(r: CheckFileResult, policy: CheckPolicy): Diagnostic[] {
  return policy.quiet ? r.diagnostics.filter((d) => d.severity === 'error') : r.diagnostics;
}

/** Whether `d` is a problem under `policy` (errors always; warnings with `strict`; info never). */
export function isProblem(d: Diagnostic, policy: CheckPolicy): boolean {
  return d.severity === 'error' || (policy.strict === true && d.severity === 'warning');
}

/** A file passes when it was read and has no problem under `policy`. */
export function fileOk(r: CheckFileResult, policy: CheckPolicy): boolean {
  return r.readError === undefined && !reported(r, policy).some((d) => isProblem(d, policy));
}

/** Exit status of a check run: 2 if a file was unreadable, else 1 if any problem, else 0. */
export function checkExitCode(results: readonly CheckFileResult[], policy: CheckPolicy): number {
  if (results.some((r) => r.readError !== undefined)) return 2;
  return results.every((r) => fileOk(r, policy)) ? 0 : 1;
}

/** `file:line:col: severity: message [CODE]` (newline included). */
export function gccLine(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${d.message} [${d.code}]\n`;
}

/** The stderr line for a file that cannot be read (xl's wording for the reason). */
export function readErrorLine(r: CheckFileResult): string {
  return `${r.file}: error: cannot read file: ${r.readError}\n`;
}

/** Output of the `gcc` format (stdout) and the unreadable-file lines (stderr). */
export function formatGcc(results: readonly CheckFileResult[], policy: CheckPolicy): { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  for (const r of results) {
    if (r.readError !== undefined) stderr += readErrorLine(r);
    for (const d of reported(r, policy)) stdout += gccLine(r.file, d);
  }
  return { stdout, stderr };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Output of the `text` format. Not on a terminal: exactly the `gcc` lines. On a terminal
 * (`tty`): each line is followed by a code frame with carets and a blank line, ANSI
 * colours if `color`, and a final summary (`2 errors, 1 warning in 3 files`).
 */
export function formatText(
  results: readonly CheckFileResult[],
  policy: CheckPolicy,
  opts: { tty: boolean; color?: boolean },
): { stdout: string; stderr: string } {
  if (!opts.tty) return formatGcc(results, policy);
  let stdout = '';
  let stderr = '';
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const r of results) {
    if (r.readError !== undefined) stderr += readErrorLine(r);
    for (const d of reported(r, policy)) {
      stdout += gccLine(r.file, d);
      stdout += `${codeFrame(r.text, d.range, { color: opts.color === true })}\n\n`;
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      else infos++;
    }
  }
  const parts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (infos > 0) parts.push(plural(infos, 'note'));
  stdout += `${parts.join(', ')} in ${plural(results.length, 'file')}\n`;
  return { stdout, stderr };
}

/** One diagnostic as the `json` format prints it. */
export interface JsonDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

/**
 * Output of the `json` format: an array with one object per file,
 * `{file, ok, diagnostics: [{line, column, endLine, endColumn, severity, code, message}], settings}`
 * (plus `error` for an unreadable file), 2-space indented, newline-terminated.
 */
export function formatJson(results: readonly CheckFileResult[], policy: CheckPolicy): string {
  const files = results.map((r) => {
    const diagnostics: JsonDiagnostic[] = reported(r, policy).map((d) => ({
      line: d.range.start.line,
      column: d.range.start.column,
      endLine: d.range.end.line,
      endColumn: d.range.end.column,
      severity: d.severity,
      code: d.code,
      message: d.message,
    }));
    const obj: Record<string, unknown> = { file: r.file, ok: fileOk(r, policy) };
    if (r.readError !== undefined) obj.error = r.readError;
    obj.diagnostics = diagnostics;
    obj.settings = r.settings;
    return obj;
  });
  return `${JSON.stringify(files, null, 2)}\n`;
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A path as a SARIF relative URI: forward slashes, no leading `./`, each segment percent-encoded. */
function sarifUri(path: string): string {
  const p = path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/**
 * Output of the `sarif` format: one SARIF 2.1.0 log with one run of tool `xlsim`, the
 * catalogue of every code used as `tool.driver.rules` (id, name, short description,
 * help URI into docs/rules.md, default level), and one result per diagnostic with a
 * physical location (1-based start/end line and column; a position before line 1 is
 * clamped to 1, as GitHub code scanning requires). Unreadable files become
 * `invocations[0].toolExecutionNotifications`.
 */
export function formatSarif(results: readonly CheckFileResult[], policy: CheckPolicy, version = '0.1.0'): string {
  const used = new Map<string, number>();
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = (code: string, severity: Severity): number => {
    let i = used.get(code);
    if (i === undefined) {
      i = rules.length;
      used.set(code, i);
      const info = RULES[code];
      rules.push({
        id: code,
        name: info?.title ?? code,
        shortDescription: { text: info?.title ?? code },
        help: { text: `See ${RULES_DOC}#${code.toLowerCase()} in the xlsim sources.` },
        defaultConfiguration: { level: SARIF_LEVEL[info?.severity ?? severity] },
      });
    }
    return i;
  };
  const sarifResults: Record<string, unknown>[] = [];
  for (const r of results) {
    for (const d of reported(r, policy)) {
      const startLine = Math.max(1, d.range.start.line);
      const startColumn = Math.max(1, d.range.start.column);
      let endLine = Math.max(startLine, d.range.end.line);
      let endColumn = Math.max(1, d.range.end.column);
      if (endLine === startLine && endColumn <= startColumn) endColumn = startColumn + 1;
      if (endLine < startLine) endLine = startLine;
      sarifResults.push({
        ruleId: d.code,
        ruleIndex: ruleIndex(d.code, d.severity),
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: sarifUri(r.file) },
              region: { startLine, startColumn, endLine, endColumn },
            },
          },
        ],
      });
    }
  }
  const notifications = results
    .filter((r) => r.readError !== undefined)
    .map((r) => ({
      level: 'error',
      message: { text: `cannot read file: ${r.readError}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(r.file) } } }],
    }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'xlsim',
            version,
            rules,
          },
        },
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
