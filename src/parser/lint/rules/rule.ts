/**
 * What every lint rule shares (docs/rules.md "How xlsim check works"): the
 * {@link LintRule} record, the {@link RuleContext} a rule reads, the diagnostic and fix
 * shapes, and small helpers. A rule reports findings by code; the engine (`lint.ts`)
 * gives each finding the severity its rule declares for that code (written once, in the
 * record) and runs each rule on its own, so a rule that throws costs one XL499 diagnostic
 * and the other rules still run.
 */
import type { DomainType, HostFacts } from '../../libxl.js';
import type { Diagnostic, Range, Setting, Severity, StringValue } from '../../types.js';
import { type LineIndex, spanToRange } from '../text.js';
import { cStrtol, scalar } from '../values.js';

/** A text edit: replace `range` with `text`. */
export interface TextEdit {
  range: Range;
  text: string;
}

/** A suggested fix for a diagnostic (safe to apply mechanically). */
export interface LintFix {
  /** What the fix does, e.g. `replace "true" with 1`. */
  description: string;
  edits: TextEdit[];
}

/**
 * A lint diagnostic: the shared {@link Diagnostic} plus an optional fix and the line of
 * the setting it concerns. `xl` (inherited) holds the exact line real xl prints, when it
 * prints one, so the linter can drop its own duplicate of a builder message.
 */
export interface LintDiagnostic extends Diagnostic {
  fix?: LintFix;
}

/**
 * What the linter knows about one configuration key, derived from `keys.ts` (§3).
 * `numeric`: read only through `xlu_cfg_get_long` (NUM, BOOL, MB), so a string or
 * `+=` makes xl ignore it. `list`: read only as a list. `scalar`: read only as a single
 * value. Keys accepting either form have both `list` and `scalar` false.
 */
export interface KeyFacts {
  known: boolean;
  numeric: boolean;
  bool: boolean;
  list: boolean;
  scalar: boolean;
  /** The key consumes nested lists (only `vnuma` and `vsnd`, §1.3). */
  nested: boolean;
  /** Guest types for which xl reads the key; undefined = all types. */
  types?: readonly DomainType[];
  /** The architecture where the key means something, when it is arch specific. */
  arch?: 'x86' | 'arm';
}

/** Everything a rule may look at. */
export interface RuleContext {
  text: string;
  source: string;
  lines: LineIndex;
  facts: HostFacts;
  /** Statements as written, in file order. */
  statements: readonly Setting[];
  /** The setting xl reads for `name` (last assignment, `+=` resolved). */
  get(name: string): Setting | undefined;
  /** Resolved key names, in first-appearance order. */
  names(): readonly string[];
  /** The guest type xl derives (§5.1 "Type detection"); undefined when `type`/`builder` is invalid. */
  type: DomainType | undefined;
  keyFacts(name: string): KeyFacts;
  suggestKey(name: string): string | undefined;
  /** True when `name` belongs in `/etc/xen/xl.conf` rather than a domain config. */
  isXlConfKey(name: string): boolean;
  /** Devices as the builder produced them, when it got that far (disk/nic arrays, list order). */
  disks?: ReadonlyArray<{ vdev?: string }>;
  nics?: ReadonlyArray<{ mac?: string }>;
  /** Reports a finding; its severity comes from the running rule's `codes`. */
  report(d: Finding): void;
  /**
   * True once the running rule has reported as many findings as `xlsim check` will list
   * (see LINT_LIMITS); later reports are only counted, so a rule may skip costly work
   * (a "did you mean" search) for them.
   */
  atLimit(): boolean;
}


/** A finding before the engine gives it its severity (from the rule's `codes`). */
export type Finding = Omit<LintDiagnostic, 'severity'> & { severity?: Severity };

/**
 * One lint rule: the codes it reports, each with its severity (the only place that
 * severity is written; the catalogue in `catalogue.ts` reads it from here), its scope and
 * its check.
 *
 * - `scope: 'statement'` rules look at one statement at a time, so they also run on the
 *   statements recovered from a file that failed to parse; `'file'` rules need the whole
 *   parsed file and run only when it parsed.
 * - `check` reads `ctx` and calls `ctx.report` for each finding; it may throw (the engine
 *   turns that into one XL499 diagnostic naming the rule).
 */
export interface LintRule {
  /** Stable kebab-case name, used in internal-error messages. */
  name: string;
  /** Every code the rule reports → its severity. */
  codes: Readonly<Record<string, Severity>>;
  scope: 'statement' | 'file';
  check(ctx: RuleContext): void;
}

// ---------------------------------------------------------------------------------------
// helpers

/** `table[key]` for own properties only (a key such as `constructor` must not hit Object.prototype). */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A finding of `code` at `range` with `message`, optionally xl's own line and a fix. */
export function diag(code: string, range: Range, message: string, extra: { xl?: string; fix?: LintFix } = {}): Finding {
  const d: Finding = { code, message, range };
  if (extra.xl !== undefined) d.xl = extra.xl;
  if (extra.fix !== undefined) d.fix = extra.fix;
  return d;
}

/** Range of `[s, e)` inside a string value's literal. */
export function inside(ctx: RuleContext, v: StringValue, s: number, e: number): Range {
  return spanToRange(ctx.lines, v.range, v.value.length, [s, e]);
}

/** Longest value a message quotes in full; a longer one is cut with an ellipsis. */
const QUOTE_MAX = 200;

/** A value quoted for a message, with control characters escaped (JSON string syntax), cut after {@link QUOTE_MAX} characters. */
export function quote(s: string): string {
  return s.length > QUOTE_MAX ? JSON.stringify(s.slice(0, QUOTE_MAX)).slice(0, -1) + '…"' : JSON.stringify(s);
}

/** A getter-warning line as libxlu prints it (§1.7). */
export function getterWarning(ctx: RuleContext, s: Setting, what: string): string {
  return `${ctx.source}:${s.lineno}: warning: ${what}`;
}

/** `name`'s setting when it is a plain `=` number as C `strtol` reads it, with that number. */
export function num(ctx: RuleContext, name: string): { s: Setting; n: number } | undefined {
  const s = ctx.get(name);
  const v = scalar(s);
  if (s === undefined || v === undefined || s.op !== '=') return undefined;
  const r = cStrtol(v.value);
  return r.ok ? { s, n: r.value } : undefined;
}

/** The first statement of each key, in file order. */
export function* firstOfEachKey(statements: readonly Setting[]): Generator<Setting> {
  const seen = new Set<string>();
  for (const s of statements) {
    if (seen.has(s.name)) continue;
    seen.add(s.name);
    yield s;
  }
}
