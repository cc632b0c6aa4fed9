/**
 * `xlsim check`'s engine: every problem in one xl.cfg file, located at
 * file:line:column.
 *
 * Pipeline (docs/rules.md "How xlsim check works"):
 * 1. parse (`config-file.ts`): lexical/syntax diagnostics XL001–XL0xx;
 * 2. only if the parse succeeded, xl's own processing (`domain-config.ts`,
 *    `parse_config_data` in tools/xl/xl_parse.c): XL1xx and the sub-grammar codes
 *    XL2xx/XL3xx. Real xl stops at its first fatal error; to list everything the linter
 *    then **re-runs the builder** with the offending key hidden (or, for "missing key"
 *    errors such as `Domain name must be specified.`, with a placeholder value added),
 *    up to one re-run per key, and keeps every new message. Re-runs stop at a bad
 *    `type`/`builder`, since every later check depends on the guest type;
 * 3. the XL4xx rules (`rules/<group>.ts`, one record each), which look at each key on
 *    their own and so run whatever the builder did. When the parse failed, only the rules
 *    of scope `statement` run (on the statements the parser recovered). Each rule runs on
 *    its own: one that throws gives one XL499 diagnostic and the others still run; each
 *    finding gets the severity its rule declares for its code.
 * When a rule restates a builder message (the same exact xl line), only the rule's
 * diagnostic is kept: it carries the same `xl` text with a closer location and a fix.
 * Inline `# xlsim: ignore=XLnnn` comments then remove suppressed diagnostics
 * (`suppress.ts`); a directive code that silences nothing (or is not a rule code) is
 * reported as XL498 (info). The rest are sorted by position.
 */
import { parseConfig, parseConfigBytes, type ConfigFile, type Truncation } from '../config-file.js';
import { buildDomainConfig } from '../domain-config.js';
import type { HostFacts } from '../libxl.js';
import type { Diagnostic, Range, Setting, StringValue } from '../types.js';
import { guestType, LINT_RULES, type Finding, type LintDiagnostic, type LintRule, type RuleContext } from './rules/index.js';
import { isXlConfKey, keyFacts, suggestKeyName } from './keyfacts.js';
import { RULES } from './catalogue.js';
import { applySuppressions, findSuppressions } from './suppress.js';
import { fileStartRange, LineIndex, spanToRange } from './text.js';
import { plainValue } from './values.js';
import { escapeControls, printable } from '../grammar/messages.js';

/** Options for {@link lintConfig}. */
export interface LintOptions {
  /** What xl would ask the host (`libxl_get_physinfo`): CPUs, NUMA nodes, architecture. */
  facts: HostFacts;
}

/** What {@link lintConfig} returns. Never thrown; always complete. */
export interface LintResult {
  /** The parsed file (statements the parser could recover, when the parse failed). */
  file: ConfigFile;
  /** Every diagnostic not suppressed inline, sorted by position (then severity). */
  diagnostics: LintDiagnostic[];
  /** Diagnostics silenced by `# xlsim: ignore=…` comments. */
  suppressed: LintDiagnostic[];
  /**
   * Each resolved key → what xl would read: a string, or (nested) arrays of strings for
   * lists. Repeated keys and `+=` resolved (last wins, §1.6). Empty when the parse failed
   * (xl reads nothing then).
   */
  settings: Record<string, unknown>;
  /** The decoded text the ranges refer to (what the code frames show). */
  text: string;
}

/** Placeholder values used when a fatal "missing key" error would stop the builder. */
const PLACEHOLDERS: ReadonlyArray<{ xl: RegExp; name: string; value: string }> = [
  { xl: /^Domain name must be specified\./, name: 'name', value: 'xlsim-check' },
  { xl: /^Neither kernel nor bootloader specified/, name: 'kernel', value: '/xlsim-check/vmlinuz' },
];

/** Keys whose failure ends the re-runs: every later check depends on them. */
const STOP_KEYS = new Set(['type', 'builder']);

/** A view of `file` with some keys hidden and some placeholder settings added. */
function view(file: ConfigFile, hidden: ReadonlySet<string>, extra: ReadonlyMap<string, Setting>): ConfigFile {
  if (hidden.size === 0 && extra.size === 0) return file;
  const statements = [...file.statements.filter((s) => !hidden.has(s.name)), ...extra.values()];
  const names = [...file.names().filter((n) => !hidden.has(n)), ...[...extra.keys()].filter((n) => !file.has(n))];
  const v: ConfigFile = Object.create(file) as ConfigFile;
  Object.defineProperties(v, {
    statements: { value: statements, enumerable: true },
    get: { value: (n: string) => (hidden.has(n) ? undefined : (extra.get(n) ?? file.get(n))) },
    has: { value: (n: string) => !hidden.has(n) && (extra.has(n) || file.has(n)) },
    names: { value: () => names },
    settings: { value: () => names.map((n) => (extra.get(n) ?? file.get(n))!) },
  });
  return v;
}

function placeholder(name: string, value: string): Setting {
  const r = fileStartRange();
  const s: Setting = { name, op: '=', value: { kind: 'string', value, token: 'STRING', range: r }, lineno: 1, range: r, nameRange: r };
  placeholders.add(s);
  return s;
}

type BuilderMessage = ReturnType<typeof buildDomainConfig>['messages'][number];

/** Placeholder settings the linter added (they have no place in the file). */
const placeholders = new WeakSet<Setting>();

/** Where a builder message points: inside the string (span), the value, or the file start. */
function messageRange(lines: LineIndex, m: BuilderMessage): Range {
  const s = m.setting;
  if (s === undefined || placeholders.has(s)) return fileStartRange();
  if (s.value.kind === 'string') {
    return m.span !== undefined ? spanToRange(lines, s.value.range, s.value.value.length, m.span) : s.value.range;
  }
  // A list setting: find the item the message is about (its text quotes the item, or
  // the list has a single string item), then the span inside it.
  const items = s.value.items.filter((it): it is StringValue => it.kind === 'string');
  const item =
    items.find((it) => it.value !== '' && m.text.includes('`' + it.value + "'")) ??
    items.find((it) => it.value !== '' && m.text.includes(it.value)) ??
    items.find((it) => {
      if (m.span === undefined || m.span[1] > it.value.length || m.span[1] <= m.span[0]) return false;
      const piece = it.value.slice(m.span[0], m.span[1]);
      return m.text.includes(piece) || (m.message ?? '').includes(piece);
    }) ??
    (items.length === 1 ? items[0] : undefined);
  if (item === undefined) return s.value.range;
  return m.span !== undefined ? spanToRange(lines, item.range, item.value.length, m.span) : item.range;
}

/** Runs the builder until it stops failing (or cannot get further); see the module comment. */
function runBuilder(file: ConfigFile, facts: HostFacts, source: string) {
  const hidden = new Set<string>();
  const extra = new Map<string, Setting>();
  const messages: BuilderMessage[] = [];
  const seen = new Set<string>();
  let config: ReturnType<typeof buildDomainConfig>['config'];
  for (let round = 0; round < 64; round++) {
    const res = buildDomainConfig(view(file, hidden, extra), { facts, source });
    config = res.config;
    for (const m of res.messages) {
      const key = `${m.code}\u0000${m.text}\u0000${m.setting?.name ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      messages.push(m);
    }
    if (res.exitCode === undefined) break;
    const fatal = [...res.messages].reverse().find((m) => m.severity === 'error');
    if (fatal === undefined) break;
    const name = fatal.setting?.name;
    if (name !== undefined && !extra.has(name)) {
      if (STOP_KEYS.has(name) || hidden.has(name)) break;
      hidden.add(name);
      continue;
    }
    const ph = PLACEHOLDERS.find((p) => p.xl.test(fatal.text));
    if (ph === undefined || extra.has(ph.name)) break;
    extra.set(ph.name, placeholder(ph.name, ph.value));
  }
  return { messages, config };
}

/**
 * Builder codes (XL1xx, XL2xx, XL3xx) that a lint rule restates, when both concern the
 * same setting (the rule's diagnostic starts inside the builder message's setting) or
 * the builder message has no setting.
 */
const SUPERSEDES: Readonly<Record<string, readonly string[]>> = {
  XL402: ['XL157', 'XL158', 'XL160'],
  XL403: ['XL153'],
  XL404: ['XL103'],
  XL406: ['XL103', 'XL104'],
  XL407: ['XL103'],
  XL409: ['XL101', 'XL102'],
  XL412: ['XL105'],
  XL414: ['XL114'],
  XL418: ['XL116'],
  XL420: ['XL122'],
  XL421: ['XL150'],
  XL422: ['XL151'],
  XL423: ['XL241'],
  XL424: ['XL132'],
  XL425: ['XL303'],
  XL426: ['XL310'],
  XL427: ['XL231', 'XL133'],
  XL428: ['XL201'],
  XL431: ['XL115'],
  XL434: ['XL201', 'XL202'],
};

function supersedes(rule: LintDiagnostic, m: BuilderMessage, located: Range): boolean {
  if (!Object.hasOwn(SUPERSEDES, rule.code) || !SUPERSEDES[rule.code]!.includes(m.code)) return false;
  const s = m.setting;
  if (s === undefined || placeholders.has(s)) return true;
  const at = rule.range.start.offset;
  if (at < s.range.start.offset || at > s.range.end.offset) return false; // another setting
  if (s.value.kind === 'string' || located === s.value.range) return true;
  // A list setting: the same item, or the rule points at the key itself.
  return overlaps(rule.range, located) || rule.range.end.offset <= s.value.range.start.offset;
}

function overlaps(a: Range, b: Range): boolean {
  return a.start.offset <= b.end.offset && b.start.offset <= a.end.offset;
}

function severityRank(s: Diagnostic['severity']): number {
  return s === 'error' ? 0 : s === 'warning' ? 1 : 2;
}

/** Position, then severity (errors first), then code. */
function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (
    a.range.start.offset - b.range.start.offset ||
    severityRank(a.severity) - severityRank(b.severity) ||
    a.code.localeCompare(b.code)
  );
}

function lintFile(
  text: string,
  source: string,
  opts: LintOptions,
  parsed: { file: ConfigFile; diagnostics: Diagnostic[]; ok: boolean; truncated?: Truncation },
): LintResult {
  const lines = new LineIndex(text);
  const { file } = parsed;
  const out: LintDiagnostic[] = [...parsed.diagnostics];
  const built: Array<{ d: LintDiagnostic; m: BuilderMessage }> = [];
  const mine: LintDiagnostic[] = [];
  let disks: Array<{ vdev?: string }> | undefined;
  let nics: Array<{ mac?: string }> | undefined;
  let builderCompleted = false;

  if (parsed.ok) {
    const { messages, config } = runBuilder(file, opts.facts, source);
    for (const m of messages) {
      const xl = m.text.replace(/\n$/, '');
      const d: LintDiagnostic = {
        severity: m.severity,
        code: m.code,
        // xl's own text, less the shouting prefix the severity column already says.
        message: m.message ?? (xl !== '' ? xl.replace(/^(?:WARNING|ERROR|Warning|xl): */, '') : m.code),
        range: messageRange(lines, m),
      };
      if (xl !== '') d.xl = xl;
      built.push({ d, m });
    }
    if (config !== undefined) {
      builderCompleted = true;
      disks = config.disks;
      nics = config.nics;
    }
  }

  const statements = file.statements;
  const ctx: RuleContext = {
    text,
    source,
    lines,
    facts: opts.facts,
    statements,
    get: (n) => file.get(n),
    names: () => file.names(),
    type: guestType((n) => file.get(n), opts.facts),
    keyFacts,
    suggestKey: suggestKeyName,
    isXlConfKey,
    disks,
    nics,
    report: (d) => {
      // at most LINT_LIMITS.maxDiagnostics findings per rule are kept; the rest are counted
      if (reportedByRule++ < LINT_LIMITS.maxDiagnostics) mine.push(withSeverity(running!, d));
      else notShown++;
    },
    atLimit: () => reportedByRule >= LINT_LIMITS.maxDiagnostics,
  };
  // Each rule on its own: one that throws becomes one XL499 diagnostic naming it, and the
  // others still run.
  let running: LintRule | undefined;
  let reportedByRule = 0;
  let notShown = parsed.truncated?.diagnostics ?? 0;
  for (const rule of LINT_RULES) {
    if (!parsed.ok && rule.scope !== 'statement') continue;
    running = rule;
    reportedByRule = 0;
    try {
      rule.check(ctx);
    } catch (err) {
      mine.push(ruleFailed(rule, err));
    }
  }
  // A rule that restates a builder message replaces it: the rule's copy is located more
  // precisely and explains more. It inherits xl's exact line when it has none.
  const restated = new Set(mine.flatMap((d) => (d.xl !== undefined ? [d.xl.trim()] : [])));
  for (const { d, m } of built) {
    if (d.xl !== undefined && restated.has(d.xl.trim())) continue;
    const by = mine.find((x) => supersedes(x, m, d.range));
    if (by !== undefined) {
      if (by.xl === undefined && d.xl !== undefined) by.xl = d.xl;
      continue;
    }
    out.push(d);
  }
  // A rule's getter-warning line is only xl's when xl really prints it: xl reads some keys
  // silently ("don't warn"), and then a completed builder run has no such line.
  if (builderCompleted) {
    const printed = new Set(built.flatMap(({ d }) => (d.xl !== undefined ? [d.xl.trim()] : [])));
    for (const d of mine) {
      if (d.xl !== undefined && d.xl.startsWith(`${source}:`) && d.xl.includes(': warning: ') && !printed.has(d.xl.trim())) delete d.xl;
    }
  }
  out.push(...mine);

  out.sort(byPosition);
  const spans = statements.map((s) => [s.range.start.line, s.range.end.line] as const);
  const { kept, suppressed, unused } = applySuppressions(out, findSuppressions(text, spans));
  for (const [i, { directive, code }] of unused.entries()) {
    if (i >= LINT_LIMITS.maxDiagnostics) {
      notShown += unused.length - i;
      break;
    }
    const range = lines.range(directive.offset, directive.offset + directive.length);
    kept.push({
      severity: 'info',
      code: 'XL498',
      message: !Object.hasOwn(RULES, code)
        ? `\`${code}' in this xlsim: ignore comment is not an xlsim rule code (see docs/rules.md)`
        : `this xlsim: ignore comment silences ${code}, but ${code} is not reported here; remove it`,
      range,
    });
  }
  kept.sort(byPosition);
  // every message, whoever wrote it (xl's lines, spec parsers, rules), is one safe line
  for (const d of kept) d.message = escapeControls(d.message.length > MAX_MESSAGE ? d.message.slice(0, MAX_MESSAGE) + '…' : d.message);
  if (kept.length > LINT_LIMITS.maxDiagnostics) {
    // keep the most serious first (errors, then warnings, then notes), each by position
    const bySeverity = [...kept].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || byPosition(a, b));
    notShown += bySeverity.length - LINT_LIMITS.maxDiagnostics;
    bySeverity.length = LINT_LIMITS.maxDiagnostics;
    kept.length = 0;
    kept.push(...bySeverity.sort(byPosition));
  }
  // The limit notes (XL007) come on top of the listed diagnostics, never instead of them.
  if (notShown > 0) {
    kept.push({
      severity: 'info',
      code: 'XL007',
      message: `${notShown} more problems not shown: xlsim check lists the first ${LINT_LIMITS.maxDiagnostics} of a file, errors first`,
      range: kept.length ? kept[kept.length - 1]!.range : fileStartRange(),
    });
  }
  if (parsed.truncated && (parsed.truncated.statements || parsed.truncated.listItems || parsed.truncated.stoppedAt)) {
    kept.push(tooLarge(parsed.truncated));
  }
  kept.sort(byPosition);

  const settings: Record<string, unknown> = {};
  if (parsed.ok) {
    for (const n of file.names()) {
      const s = file.get(n);
      if (s !== undefined) settings[n] = plainValue(s.value);
    }
  }
  return { file, diagnostics: kept, suppressed, settings, text };
}

/** A rule's finding with the severity the rule declares for its code (an undeclared code is the rule's bug). */
function withSeverity(rule: LintRule, f: Finding): LintDiagnostic {
  const severity = Object.hasOwn(rule.codes, f.code) ? rule.codes[f.code] : undefined;
  if (severity === undefined) throw new Error(`reported ${f.code}, which it does not declare`);
  const d = f as LintDiagnostic;
  d.severity = severity;
  return d;
}

/** The XL499 diagnostic for a lint rule that threw: the file start, the rule's name, the error. */
function ruleFailed(rule: LintRule, err: unknown): LintDiagnostic {
  const msg = printable(err instanceof Error ? err.message : String(err), 200);
  return {
    severity: 'error',
    code: 'XL499',
    message: `xlsim could not finish its ${rule.name} check (internal error: ${msg}); the other checks ran; please report it`,
    range: fileStartRange(),
  };
}

/**
 * What `xlsim check` keeps of a hostile file, so any input is checked in time linear in
 * its size with a small constant: the whole file is always parsed (so xl's verdict is
 * exact), but only the first 100,000 statements and 10,000 items of each list are looked
 * at, and at most 1,000 diagnostics are listed, errors first (XL007 says what was left out).
 * Real configs have a few dozen statements.
 */
export const LINT_LIMITS = Object.freeze({ maxStatements: 100_000, maxListItems: 10_000, maxDiagnostics: 1_000, maxXlLines: 0 });

/** Longest message shown; a longer one (quoting a huge key or value) is cut with an ellipsis. */
const MAX_MESSAGE = 1000;

/** The XL007 note for a file whose statements or list items were cut (at the first cut statement, or the file start). */
function tooLarge(t: Truncation): LintDiagnostic {
  const parts: string[] = [];
  if (t.statements) parts.push(`${t.statements} statements after the first ${LINT_LIMITS.maxStatements}`);
  if (t.listItems) parts.push(`${t.listItems} list items past the first ${LINT_LIMITS.maxListItems} of their list`);
  if (t.stoppedAt) {
    return {
      severity: 'info',
      code: 'XL007',
      message: `more than ${LINT_LIMITS.maxDiagnostics} errors: xlsim check stopped reading here; fix the ones above and check again`,
      range: { start: t.stoppedAt, end: t.stoppedAt },
    };
  }
  return {
    severity: 'info',
    code: 'XL007',
    message: `file too large to check in full: ${parts.join(' and ')} were parsed (the syntax is checked) but not looked at`,
    range: t.firstStatement ? t.firstStatement.nameRange : fileStartRange(),
  };
}

function internalError(text: string, source: string, err: unknown): LintResult {
  const file = parseConfig('', source).file;
  const msg = err instanceof Error ? err.message : String(err);
  return {
    file,
    diagnostics: [
      { severity: 'error', code: 'XL499', message: `xlsim could not check this file (internal error: ${msg}); please report it`, range: fileStartRange() },
    ],
    suppressed: [],
    settings: {},
    text,
  };
}

/**
 * Lints one config text.
 *
 * @param text   the file contents, already decoded (ranges are offsets into it)
 * @param source the name xl prints in messages (the path as the user typed it, §1.1)
 * @param opts   host facts the checks depend on (vNUMA pnodes, vCPU counts, arch defaults)
 * @returns a {@link LintResult}; problems are data, this function does not throw
 */
export function lintConfig(text: string, source: string, opts: LintOptions): LintResult {
  try {
    return lintFile(text, source, opts, parseConfig(text, source, LINT_LIMITS));
  } catch (err) {
    return internalError(text, source, err);
  }
}

/**
 * Lints raw file bytes (binary data, NUL bytes, invalid UTF-8 and huge files included).
 * Decoding is the parser's (`parseConfigBytes`: UTF-8, else Latin-1 with an XL006
 * warning); the decoded text is returned in
 * {@link LintResult.text} for code frames.
 *
 * @param bytes  the file as read from disk
 * @param source the name xl prints in messages
 * @param opts   see {@link LintOptions}
 */
export function lintBytes(bytes: Uint8Array, source: string, opts: LintOptions): LintResult {
  let text = '';
  try {
    text = decodedText(bytes);
    const parsed = parseConfigBytes(bytes, source, LINT_LIMITS);
    return lintFile(text, source, opts, parsed);
  } catch (err) {
    return internalError(text, source, err);
  }
}

/**
 * The text `parseConfigBytes` decodes `bytes` into, so ranges and code frames agree:
 * UTF-8 when the bytes are valid UTF-8, else Latin-1 (one character per byte; the parser
 * then adds an XL006 warning).
 */
function decodedText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}
