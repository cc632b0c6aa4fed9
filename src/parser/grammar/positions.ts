/**
 * Source positions of tokens and the value-tree nodes the grammar actions build
 * (libxlu's `XLU_ConfigValue` with its `YYLTYPE loc`, and `XLU_ConfigSetting`;
 * tools/libs/util/libxlu_internal.h). Shared by the chevrotain parser and the bison
 * machine so both build identical trees.
 */
import type { Position, Range, Setting, StringValue, Value } from '../types.js';
import { K, type Tok } from './tokens.js';

/** Start position of a token. */
export function tokStart(t: Tok): Position {
  return { line: t.line, column: t.column, offset: t.startOffset };
}

/** End position (exclusive) of a token; tokens other than NEWLINE never span lines. */
export function tokEnd(t: Tok): Position {
  const n = t.image.length;
  return { line: t.line, column: t.column + n, offset: t.startOffset + n };
}

/** Range covering one token. */
export function tokRange(t: Tok): Range {
  return { start: tokStart(t), end: tokEnd(t) };
}

/** The value node of a STRING or NUMBER token (its dequoted text). */
export function stringValue(t: Tok): StringValue {
  return { kind: 'string', value: t.value!, token: t.kind === K.STRING ? 'STRING' : 'NUMBER', range: tokRange(t) };
}

/** The setting node of `IDENT op value` (libxlu records the line where the value starts). */
export function makeSetting(id: Tok, op: '=' | '+=', value: Value): Setting {
  const nameRange = tokRange(id);
  return { name: id.image, op, value, lineno: value.range.start.line, range: { start: nameRange.start, end: value.range.end }, nameRange };
}
