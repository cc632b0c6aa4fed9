/**
 * Source-text helpers for the linter: offset ↔ line/column conversion and the mapping
 * from a character span inside a *decoded* string value back to the characters of the
 * quoted literal in the file.
 *
 * Positions follow `src/parser/types.ts`: `line` and `column` are 1-based, `offset` is a
 * 0-based index into the decoded file text (UTF-16 code units).
 * Escape rules mirror libxlu's `xlu__cfgl_dequote` (tools/libs/util/libxlu_cfg.c,
 * xl-cfg-format.md §1.4).
 */
import type { Position, Range } from '../types.js';

/**
 * Line-start table over one text, for turning 0-based offsets into {@link Position}s.
 * Lines are split at `\n` only (libxlu's NEWLINE; a `\r` is an ordinary byte to it).
 * Never throws: offsets are clamped to `[0, text.length]`.
 */
export class LineIndex {
  /**
   * 0-based offset of the first character of each line (line k+1 starts at `starts[k]`),
   * found lazily: only as far into the text as positions have been asked for, so a huge
   * file with diagnostics near its start costs little.
   */
  private readonly found: number[] = [0];
  /** Offset up to which newlines have been looked for (all of them before it are in `found`). */
  private scanned = 0;

  constructor(readonly text: string) {}

  /** Every line start (scans the whole text once). */
  get starts(): readonly number[] {
    this.scanTo(this.text.length);
    return this.found;
  }

  /** Number of lines (a final line without `\n` counts; an empty text has one empty line). */
  get lineCount(): number {
    return this.starts.length;
  }

  private scanTo(offset: number): void {
    const text = this.text;
    while (this.scanned < text.length && this.scanned <= offset) {
      const i = text.indexOf('\n', this.scanned);
      if (i < 0) {
        this.scanned = text.length;
        break;
      }
      this.found.push(i + 1);
      this.scanned = i + 1;
    }
  }

  /** The {@link Position} of a 0-based offset (clamped into the text). */
  position(offset: number): Position {
    const off = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    this.scanTo(off);
    const starts = this.found;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: off - starts[lo]! + 1, offset: off };
  }

  /** A {@link Range} from two 0-based offsets (`end` is exclusive; swapped if reversed). */
  range(start: number, end: number): Range {
    return start <= end
      ? { start: this.position(start), end: this.position(end) }
      : { start: this.position(end), end: this.position(start) };
  }

  /** The text of 1-based line `line` without its `\n` (empty string when out of range). */
  lineText(line: number): string {
    while (this.found.length <= line && this.scanned < this.text.length) this.scanTo(this.scanned);
    const starts = this.found;
    if (line < 1 || line > starts.length) return '';
    const s = starts[line - 1]!;
    const e = line < starts.length ? starts[line]! - 1 : this.text.length;
    return this.text.slice(s, e);
  }
}

/** The range covering the very start of a file (offset 0, zero width). */
export function fileStartRange(): Range {
  const p = { line: 1, column: 1, offset: 0 };
  return { start: p, end: { ...p } };
}

/** C `isspace` in the "C" locale. */
function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/**
 * How many characters C `strtoul(buf, &end, 10)` consumes from `buf` (0 without digits):
 * leading blanks, one sign, then decimal digits.
 */
function strtoulConsumed(buf: string): number {
  let i = 0;
  while (i < buf.length && isCSpace(buf[i])) i++;
  if (buf[i] === '+' || buf[i] === '-') i++;
  const d = i;
  while (i < buf.length && buf[i]! >= '0' && buf[i]! <= '9') i++;
  return i === d ? 0 : i;
}

/**
 * Walks a quoted literal as libxlu's `xlu__cfgl_dequote` does (§1.4) and returns, for
 * each decoded character, the raw offset it comes from, plus the raw spans of the octal
 * escapes that produce nothing (`\101` is swallowed whole). `raw` includes its quotes.
 * Stops at the first fatal escape, like libxlu.
 */
export function walkLiteral(raw: string): { map: number[]; swallowed: Array<[number, number]> } {
  const map: number[] = [];
  const swallowed: Array<[number, number]> = [];
  const q = raw[0];
  if (q !== '"' && q !== "'") {
    for (let i = 0; i <= raw.length; i++) map.push(i);
    return { map, swallowed };
  }
  const end = raw.length >= 2 && raw[raw.length - 1] === q ? raw.length - 1 : raw.length;
  let i = 1;
  while (i < end) {
    const c = raw[i]!;
    if (c !== '\\') {
      map.push(i);
      i += 1;
      continue;
    }
    const n = raw[i + 1];
    if (n !== undefined && n >= '0' && n <= '7') {
      // NUMERIC_CHAR(1,3,10): the three characters after the digit (the closing quote
      // included, as in the raw buffer) go through strtoul base 10; ≤ 1 consumed is fatal.
      const consumed = strtoulConsumed(raw.slice(i + 2, i + 5));
      if (consumed <= 1) break;
      swallowed.push([i, i + 2 + consumed]);
      i += 2 + consumed;
      continue;
    }
    if (n === undefined || !'"\'\\abfnrtv'.includes(n)) break;
    map.push(i);
    i += 2;
  }
  map.push(Math.min(i, end));
  return { map, swallowed };
}

/**
 * Maps each index of a decoded string value to the offset of the raw character in
 * `raw`, the literal as written *including* its quotes (`"a\tb"`); see {@link walkLiteral}.
 * Returns an array of length `decoded.length + 1` (the last entry is the offset of the
 * closing quote). For a literal that is not quoted (a NUMBER token) the map is the identity.
 */
export function literalOffsetMap(raw: string): number[] {
  return walkLiteral(raw).map;
}

/**
 * Converts a span `[s, e)` inside a decoded string value to a source range, given the
 * value's literal range in `text` (quotes included). Falls back to the whole literal
 * when the span does not fit the literal (e.g. the value came from `+=` concatenation).
 */
export function spanToRange(
  lines: LineIndex,
  literal: Range,
  decodedLength: number,
  span: readonly [number, number],
): Range {
  const raw = lines.text.slice(literal.start.offset, literal.end.offset);
  const [s0, e0] = span;
  const q = raw[0];
  if ((q === '"' || q === "'") && raw.length >= 2 && raw[raw.length - 1] === q && raw.indexOf('\\') < 0) {
    // No escape: decoded index k is raw offset k + 1 (no map needed, whatever the length).
    if (raw.length - 2 !== decodedLength || !(s0 >= 0) || !(e0 >= s0) || e0 > decodedLength) return literal;
    return lines.range(literal.start.offset + s0 + 1, literal.start.offset + e0 + 1);
  }
  const map = literalOffsetMap(raw);
  if (map.length !== decodedLength + 1 || !(s0 >= 0) || !(e0 >= s0) || e0 > decodedLength) {
    return literal;
  }
  const s = literal.start.offset + map[s0]!;
  // The end is just after the raw text of the last character in the span.
  const e = e0 === s0 ? s : literal.start.offset + (e0 < map.length - 1 ? map[e0]! : map[map.length - 1]!);
  return lines.range(s, e);
}
