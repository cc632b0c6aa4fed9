/**
 * Shared data types of the xl.cfg parser: source positions, diagnostics and the
 * libxlu value tree.
 *
 * The value model follows libxlu (`tools/libs/util/libxlu_internal.h`,
 * `libxlu_cfg_i.h`): a setting is `{name, op, lineno, value}` and a value is either
 * a string (from a STRING *or* a NUMBER token) or a list of values. There are no
 * numbers or booleans in the tree; getters convert (see `getters.ts`).
 * Reference: shared/reference/xl-cfg-format.md §1–§2.
 */

/** A point in the source text. `line` and `column` are 1-based; `offset` is a 0-based index into the decoded text. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open source range `[start, end)`. */
export interface Range {
  start: Position;
  end: Position;
}

/** How serious a diagnostic is: `error` for what xl rejects, `warning` for what it accepts but misreads. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One located problem in a config file.
 *
 * `code` is a stable rule code (`XL` + three digits, documented in docs/rules.md).
 * `message` is xlsim's own wording (says where and what). `xl`, when present, is the
 * exact line real xl prints on stderr for the same problem (no trailing newline), so
 * `xlsim create` can reproduce xl byte for byte while `xlsim check` explains more.
 */
export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  range: Range;
  xl?: string;
}

/** A scalar value: what a STRING or NUMBER token becomes (dequoted text). */
export interface StringValue {
  kind: 'string';
  /** The value as xl sees it: NUMBER text verbatim, STRING text dequoted with libxlu's escape rules. */
  value: string;
  /** Which token produced it. */
  token: 'STRING' | 'NUMBER';
  range: Range;
}

/** A list value `[ … ]`; items may themselves be lists (nested lists, xl.cfg(5) §Syntax). */
export interface ListValue {
  kind: 'list';
  items: Value[];
  range: Range;
}

/** A libxlu value: string or list. */
export type Value = StringValue | ListValue;

/**
 * One assignment statement as written, or (in `ConfigFile.settings`) as resolved
 * after repeated keys and `+=`.
 *
 * `lineno` is the line libxlu records for the setting: the line where the value starts
 * (for a list, the line of `[`). Getter warnings print it.
 */
export interface Setting {
  name: string;
  op: '=' | '+=';
  value: Value;
  lineno: number;
  /** The whole statement, from the key to the end of the value. */
  range: Range;
  /** The key alone. */
  nameRange: Range;
}
