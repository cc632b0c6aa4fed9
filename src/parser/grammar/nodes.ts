/**
 * The value-tree nodes the fast path's scanner builds (`lexer.ts`, clean mode): the same
 * {@link StringValue} and {@link Setting} shapes as the plain objects of `positions.ts`,
 * except that their ranges are built when read. A scanned token or key never spans lines,
 * so its line, column, offset and length say where it is; the objects of a range (three
 * to seven per setting) are made only for the few settings whose position someone asks
 * for (a message, a lint finding), not for every setting of every file parsed.
 *
 * `range` and `nameRange` are getters, not own properties: copy a setting with
 * {@link withValue} rather than by spreading it, and compare trees as read (JSON, which
 * uses `toJSON`'s plain form), not by own properties.
 */
import type { Position, Range, Setting, StringValue, Value } from '../types.js';

/** A STRING or NUMBER token's value as the scanner read it: `length` characters from `offset` (at `line`, `column`). */
export class ScannedString implements StringValue {
  readonly kind = 'string';
  value: string;
  token: 'STRING' | 'NUMBER';
  readonly #line: number;
  readonly #column: number;
  readonly #offset: number;
  readonly #length: number;

  constructor(value: string, token: 'STRING' | 'NUMBER', line: number, column: number, offset: number, length: number) {
    this.value = value;
    this.token = token;
    this.#line = line;
    this.#column = column;
    this.#offset = offset;
    this.#length = length;
  }

  /** The token's range, quotes included (a new object at each read). */
  get range(): Range {
    const line = this.#line;
    return {
      start: { line, column: this.#column, offset: this.#offset },
      end: { line, column: this.#column + this.#length, offset: this.#offset + this.#length },
    };
  }

  /** The plain {@link StringValue} this node stands for. */
  toJSON(): StringValue {
    return { kind: 'string', value: this.value, token: this.token, range: this.range };
  }
}

/** A setting as the scanner read it: the key starts at `column`/`offset` of line `lineno`, where its value starts too. */
export class ScannedSetting implements Setting {
  name: string;
  op: '=' | '+=';
  value: Value;
  lineno: number;
  readonly #column: number;
  readonly #offset: number;

  constructor(name: string, op: '=' | '+=', value: Value, line: number, column: number, offset: number) {
    this.name = name;
    this.op = op;
    this.value = value;
    this.lineno = line;
    this.#column = column;
    this.#offset = offset;
  }

  private get nameStart(): Position {
    return { line: this.lineno, column: this.#column, offset: this.#offset };
  }

  /** From the key to the end of the value (a new object at each read). */
  get range(): Range {
    return { start: this.nameStart, end: this.value.range.end };
  }

  /** The key alone (a new object at each read). */
  get nameRange(): Range {
    const n = this.name.length;
    return { start: this.nameStart, end: { line: this.lineno, column: this.#column + n, offset: this.#offset + n } };
  }

  /** The same setting with another value (what libxlu's `+=` stores). */
  withValue(value: Value): ScannedSetting {
    return new ScannedSetting(this.name, this.op, value, this.lineno, this.#column, this.#offset);
  }

  /** The plain {@link Setting} this node stands for. */
  toJSON(): Setting {
    return { name: this.name, op: this.op, value: this.value, lineno: this.lineno, range: this.range, nameRange: this.nameRange };
  }
}

/** `s` with `value` in place of its own: a plain copy of a plain setting, a node's {@link ScannedSetting.withValue}. */
export function withValue(s: Setting, value: Value): Setting {
  return s instanceof ScannedSetting ? s.withValue(value) : { ...s, value };
}
