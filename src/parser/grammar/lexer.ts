/**
 * The xl.cfg scanner: libxlu's flex rules (tools/libs/util/libxlu_cfg_l.l; the patterns
 * and their order are in `chev-tokens.ts`) in one hand-written pass over the decoded text
 * that also assigns line/column positions and decodes quoted strings
 * (xl-cfg-format.md §1.1–§1.4).
 *
 * Why not chevrotain's `Lexer`: on the corpus it spent about 40 % of the parse in
 * `tokenizeInternal`/`matchLength` and the token regexes, custom token matchers
 * (`pattern: {exec}` with start-char hints) measured no faster, and V8's regex for a
 * quoted string recurses per character, so a 10 MB string overflowed the stack. This
 * scanner is iterative, allocates one {@link Tok} per token and nothing else, and is
 * checked token for token against a chevrotain `Lexer` built from `chev-tokens.ts`
 * (test/parser/grammar-validations.test.ts). Parsing stays chevrotain's (`parser.ts`).
 */
import { dequote } from '../dequote.js';
import type { ListValue, Position, Setting, Value } from '../types.js';
import { K, Tok } from './tokens.js';
import { ScannedSetting, ScannedString } from './nodes.js';

/** Output of {@link lex}. */
export interface LexResult {
  /** Every token in source order, lexical-error tokens (`ERR`, `PYERR`) included, blanks excluded. */
  tokens: Tok[];
  /** True when some token is `ERR`/`PYERR` or a STRING has a bad escape. */
  hasErrors: boolean;
  /** Deepest `[` nesting seen (counting brackets only), used to keep deep lists off the recursive parser. */
  maxDepth: number;
  /** Line number of the last line (1-based): number of NEWLINE tokens + 1. */
  lastLine: number;
}

// Character classes of the flex rules, for code units below 128.
const IDENT_START = 1; // [a-z]
const IDENT_CONT = 2; // [._0-9a-z]
const NUMBER_CONT = 4; // [0-9a-fx]
const PY_START = 8; // [+\-.():]  (flex `[+-.():]` less `,`, which has its own rule)
const CLASS = new Uint8Array(128);
for (let c = 97; c <= 122; c++) CLASS[c]! |= IDENT_START | IDENT_CONT;
for (let c = 48; c <= 57; c++) CLASS[c]! |= IDENT_CONT | NUMBER_CONT;
for (let c = 97; c <= 102; c++) CLASS[c]! |= NUMBER_CONT;
CLASS[120]! |= NUMBER_CONT; // x
CLASS[46]! |= IDENT_CONT | PY_START; // .
CLASS[95]! |= IDENT_CONT; // _
for (const ch of '+-():') CLASS[ch.charCodeAt(0)]! |= PY_START;

/** The character is in class `cls` (code units ≥ 128 are in none). */
function is(c: number, cls: number): boolean {
  return c < 128 && (CLASS[c]! & cls) !== 0;
}

/** A blank or a newline: what ends flex's `[^ \t\n]*` run. */
const RUN_END = /[ \t\n]/g;

/** End (exclusive) of the non-blank run starting at `i`: flex's `[^ \t\n]*` after a bad character. */
function errorRunEnd(text: string, i: number): number {
  RUN_END.lastIndex = i + 1;
  const m = RUN_END.exec(text);
  return m === null ? text.length : m.index;
}

/**
 * Next occurrence at or after a position of a character the string rule cares about
 * (`\n`, `\\`, NUL), cached per scan so each is searched for once per occurrence, not
 * once per string: `next(cache, ch, from)`; −1 when there is none.
 */
interface NextCache {
  text: string;
  nl: number;
  bs: number;
  nul: number;
}

function nextOf(text: string, ch: string, cached: number, from: number): number {
  return cached >= from || cached === -1 ? cached : text.indexOf(ch, from);
}

/**
 * End (exclusive) of the quoted string starting at `i` (its quote character included),
 * or −1 when it does not close on its line: `"([^"\\\n\0]|\\[^\n\0])*"` (likewise with
 * `'`). Sets {@link sawBackslash} when the body has an escape. The common string (no
 * backslash, no NUL) is found with `indexOf` and the cached positions rather than a loop
 * per character; every search is bounded, so scanning stays linear.
 */
function stringEnd(nc: NextCache, i: number, q: string): number {
  const text = nc.text;
  sawBackslash = false;
  nc.nl = nextOf(text, '\n', nc.nl, i + 1);
  const limit = nc.nl < 0 ? text.length : nc.nl;
  nc.bs = nextOf(text, '\\', nc.bs, i + 1);
  nc.nul = nextOf(text, '\0', nc.nul, i + 1);
  const plainTo = Math.min(limit, nc.bs < 0 ? limit : nc.bs, nc.nul < 0 ? limit : nc.nul);
  const close = text.indexOf(q, i + 1);
  if (close >= 0 && close < plainTo) return close + 1;
  // no escape and no NUL before the end of the line, and no closing quote before it either
  if (plainTo === limit) return -1;
  // An escape or a NUL before the closing quote, or no closing quote on the line: walk it.
  const qc = q.charCodeAt(0);
  for (let j = i + 1; j < limit; ) {
    const c = text.charCodeAt(j);
    if (c === qc) return j + 1;
    if (c === 0) return -1;
    if (c === 92) {
      if (j + 1 >= limit) return -1;
      if (text.charCodeAt(j + 1) === 0) return -1;
      sawBackslash = true;
      j += 2;
    } else j++;
  }
  return -1;
}
let sawBackslash = false;

// The fast path's tokens whose position nobody reads (a setting's range runs from its
// IDENT to its value; a list's from `[` to `]`): one shared object each. chevrotain's
// parser only looks at their type.
const SHARED_NEWLINE = new Tok(K.NEWLINE, '\n', 0, 0, 0);
const SHARED_EQ = new Tok(K.EQ, '=', 0, 0, 0);
const SHARED_PLUSEQ = new Tok(K.PLUSEQ, '+=', 0, 0, 0);
const SHARED_COMMA = new Tok(K.COMMA, ',', 0, 0, 0);
const SHARED_SEMI = new Tok(K.SEMI, ';', 0, 0, 0);
// …and, in lean mode, every other kind
const SHARED_IDENT = new Tok(K.IDENT, 'x', 0, 0, 0);
const SHARED_NUMBER = new Tok(K.NUMBER, '0', 0, 0, 0);
const SHARED_STRING = new Tok(K.STRING, '""', 0, 0, 0);
const SHARED_LBRACK = new Tok(K.LBRACK, '[', 0, 0, 0);
const SHARED_RBRACK = new Tok(K.RBRACK, ']', 0, 0, 0);
const SHARED_ASSIGN_ATOM = new Tok(K.ASSIGN_ATOM, '', 0, 0, 0);
const SHARED_ASSIGN_START = new Tok(K.ASSIGN_START, '', 0, 0, 0);
const SHARED_APPEND_START = new Tok(K.ASSIGN_START, '', 0, 0, 0);
SHARED_APPEND_START.append = true;
/** What {@link Scanner.flatList} gives in lean mode for a flat list it checked (never kept). */
const LEAN_LIST: ListValue = Object.freeze({ kind: 'list', items: [], range: { start: { line: 0, column: 0, offset: 0 }, end: { line: 0, column: 0, offset: 0 } } }) as ListValue;
/** Internal marker: lean mode consumed a whole statement (never given out). */
const SKIPPED_STATEMENT = new Tok(K.ASSIGN_ATOM, '', 0, 0, 0);

/** Returned by {@link Scanner.next} in clean mode when the text is not clean. */
export const DIRTY: unique symbol = Symbol('dirty');

/**
 * The scanner as a pull source: `next()` gives one token at a time (undefined at the
 * end), so a file of millions of tokens never needs them all in memory. In `clean` mode
 * (the fast path) it gives {@link DIRTY} instead at the first lexical error, bad escape or
 * list nesting deeper than `maxCleanDepth`, folds each run of NEWLINE tokens into one (a
 * run of empty statements means the same to the grammar as one), and gives shared,
 * position-less objects for NEWLINE, `=`, `+=`, `,` and `;`. Linear time, no recursion.
 */
export class Scanner {
  /** Line of the next character (1-based); after the end, the last line. */
  line = 1;
  /** True once an `ERR`/`PYERR` token or a bad escape has been given. */
  hasErrors = false;
  /** Deepest `[` nesting seen so far (brackets only). */
  maxDepth = 0;
  /** Current `[` nesting (brackets only). */
  depth = 0;
  /**
   * Clean mode only: give shared, text-less tokens of every kind from now on (what the
   * parser is past keeping needs checking, not building; escapes are still checked).
   */
  lean = false;
  /**
   * Clean mode only: lists keep at most this many items (the parser's `maxItems`), so
   * the tokens of later items can be lean too, even inside one huge statement.
   */
  maxItems = Infinity;
  /**
   * Clean mode: the settings of the ASSIGN_ATOM tokens given so far and not yet taken, in
   * order (the tokens themselves are one shared object; the parser, which never backtracks,
   * takes the settings in the same order).
   */
  readonly settings: Setting[] = [];
  /** Statements that lean mode checked and consumed whole (see {@link Scanner.leanAssign}). */
  skipped = 0;
  /** Items of fused flat lists past `maxItems`: checked, not built (see {@link Scanner.flatList}). */
  droppedItems = 0;
  /** True at the start of a statement: at the start, after NEWLINE or `;`. */
  private stmtStart = true;
  /** Per open list, the commas seen at its level (= index of the current item). */
  private commas: number[] = [];
  /** Open lists whose current item is past `maxItems`. */
  private overLevels = 0;
  private i = 0;
  private lineStart = 0;
  private lastNl = false;
  private readonly nc: NextCache;

  constructor(
    private readonly text: string,
    private readonly clean = false,
    private readonly maxCleanDepth = Infinity,
  ) {
    this.nc = { text, nl: -2, bs: -2, nul: -2 };
  }

  /** The next token; undefined at the end of the text; {@link DIRTY} in clean mode (see the class). */
  next(): Tok | undefined | typeof DIRTY {
    const text = this.text;
    const n = text.length;
    const clean = this.clean;
    let i = this.i;
    for (;;) {
      if (i >= n) {
        this.i = i;
        return undefined;
      }
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9) {
        i++;
        continue;
      }
      const line = this.line;
      const col = i - this.lineStart + 1;
      let t: Tok;
      if (c === 10 || c === 35) {
        // NEWLINE: `\n` or `#[^\n]*\n`; a comment with no newline after it is a lexical error
        const e = c === 10 ? i : (this.nc.nl = nextOf(text, '\n', this.nc.nl, i + 1));
        if (e >= 0) {
          const start = i;
          this.line++;
          i = this.lineStart = e + 1;
          this.i = i;
          this.stmtStart = true;
          if (clean) {
            if (this.lastNl) continue;
            this.lastNl = true;
            return SHARED_NEWLINE;
          }
          this.lastNl = true;
          return new Tok(K.NEWLINE, c === 10 ? '\n' : text.slice(start, e + 1), start, line, col);
        }
        if (clean) return DIRTY;
        const j = errorRunEnd(text, i);
        t = new Tok(K.ERR, text.slice(i, j), i, line, col);
        this.hasErrors = true;
        i = j;
      } else if (is(c, IDENT_START)) {
        let j = i + 1;
        for (let d = text.charCodeAt(j); d < 128 && (CLASS[d]! & IDENT_CONT) !== 0; d = text.charCodeAt(++j));
        if (clean && this.overLevels === 0) {
          const f = this.fuse(i, j, line, col);
          if (f === SKIPPED_STATEMENT) {
            i = this.i;
            continue;
          }
          if (f !== undefined) {
            this.lastNl = false;
            this.stmtStart = false;
            return f;
          }
        }
        t = this.lean || this.overLevels > 0 ? SHARED_IDENT : new Tok(K.IDENT, text.slice(i, j), i, line, col);
        i = j;
      } else if (c >= 48 && c <= 57) {
        let j = i + 1;
        for (let d = text.charCodeAt(j); d < 128 && (CLASS[d]! & NUMBER_CONT) !== 0; d = text.charCodeAt(++j));
        if (this.lean || this.overLevels > 0) t = SHARED_NUMBER;
        else {
          t = new Tok(K.NUMBER, text.slice(i, j), i, line, col);
          t.value = t.image;
        }
        i = j;
      } else if (c === 34 || c === 39) {
        const j = stringEnd(this.nc, i, c === 34 ? '"' : "'");
        if (j >= 0) {
          t = (this.lean || this.overLevels > 0) && !sawBackslash ? SHARED_STRING : new Tok(K.STRING, text.slice(i, j), i, line, col);
          if (t === SHARED_STRING) {
            // lean: no text needed
          } else if (!sawBackslash) t.value = text.slice(i + 1, j - 1);
          else {
            const d = dequote(t.image);
            t.value = d.value;
            if (d.error) {
              if (clean) return DIRTY;
              t.esc = d.error;
              this.hasErrors = true;
            }
          }
          i = j;
        } else {
          if (clean) return DIRTY;
          const e = errorRunEnd(text, i);
          t = new Tok(K.ERR, text.slice(i, e), i, line, col);
          this.hasErrors = true;
          i = e;
        }
      } else if (c === 61) {
        t = clean ? SHARED_EQ : new Tok(K.EQ, '=', i, line, col);
        i++;
      } else if (c === 44) {
        t = clean ? SHARED_COMMA : new Tok(K.COMMA, ',', i, line, col);
        i++;
        if (clean && this.depth > 0 && ++this.commas[this.depth - 1]! === this.maxItems) this.overLevels++;
      } else if (c === 91) {
        t = this.lean || this.overLevels > 0 ? SHARED_LBRACK : new Tok(K.LBRACK, '[', i, line, col);
        i++;
        if (clean) this.commas[this.depth] = 0;
        if (++this.depth > this.maxDepth) {
          this.maxDepth = this.depth;
          if (clean && this.depth > this.maxCleanDepth) return DIRTY;
        }
      } else if (c === 93) {
        if (this.depth > 0) {
          this.depth--;
          if (clean && this.commas[this.depth]! >= this.maxItems) this.overLevels--;
        }
        t = this.lean || this.overLevels > 0 ? SHARED_RBRACK : new Tok(K.RBRACK, ']', i, line, col);
        i++;
      } else if (c === 59) {
        t = clean ? SHARED_SEMI : new Tok(K.SEMI, ';', i, line, col);
        i++;
      } else if (c === 43 && text.charCodeAt(i + 1) === 61) {
        t = clean ? SHARED_PLUSEQ : new Tok(K.PLUSEQ, '+=', i, line, col);
        i += 2;
      } else {
        if (clean) return DIRTY;
        const j = errorRunEnd(text, i);
        t = new Tok(is(c, PY_START) ? K.PYERR : K.ERR, text.slice(i, j), i, line, col);
        this.hasErrors = true;
        i = j;
      }
      this.i = i;
      this.lastNl = false;
      this.stmtStart = t.kind === K.SEMI;
      return t;
    }
  }

  /**
   * Lean mode, after `IDENT op atom` or `IDENT op flat-list` ending at `e`: when that assignment starts a statement
   * outside any list and its end follows (blanks, then NEWLINE, a comment and its newline,
   * `;` or the end of the text), the whole statement is valid and dropped anyway, so it
   * is consumed here and counted in `skipped` ({@link SKIPPED_STATEMENT}); otherwise the
   * shared ASSIGN_ATOM token, for the parser to judge what follows.
   */
  private leanAssign(e: number): Tok {
    this.i = e;
    if (!this.stmtStart || this.depth !== 0) return SHARED_ASSIGN_ATOM;
    const text = this.text;
    let m = e;
    let ch = text.charCodeAt(m);
    while (ch === 32 || ch === 9) ch = text.charCodeAt(++m);
    if (m >= text.length) this.i = m;
    else if (ch === 59) this.i = m + 1;
    else if (ch === 10 || ch === 35) {
      const nl = ch === 10 ? m : (this.nc.nl = nextOf(text, '\n', this.nc.nl, m + 1));
      if (nl < 0) return SHARED_ASSIGN_ATOM; // a comment without its newline: a lexical error
      this.line++;
      this.i = this.lineStart = nl + 1;
      this.lastNl = true;
    } else return SHARED_ASSIGN_ATOM;
    this.skipped++;
    this.stmtStart = true;
    return SKIPPED_STATEMENT;
  }

  /** What {@link Scanner.atom} found: where the atom ends, its value, its token kind. */
  private atomEnd = 0;
  private atomValue = '';
  private atomToken: 'STRING' | 'NUMBER' = 'NUMBER';

  /**
   * Clean mode: the NUMBER or STRING starting at `p` (its first character is a digit or a
   * quote): true with `atomEnd`, `atomValue` (dequoted; left '' for an unescaped string
   * when `build` is false) and `atomToken` set; false when it is no clean atom (an
   * unclosed string, a bad escape).
   */
  private atom(p: number, build: boolean): boolean {
    const text = this.text;
    const c = text.charCodeAt(p);
    if (c >= 48 && c <= 57) {
      let e = p + 1;
      for (let d = text.charCodeAt(e); d < 128 && (CLASS[d]! & NUMBER_CONT) !== 0; d = text.charCodeAt(++e));
      this.atomEnd = e;
      this.atomValue = build ? text.slice(p, e) : '';
      this.atomToken = 'NUMBER';
      return true;
    }
    const e = stringEnd(this.nc, p, c === 34 ? '"' : "'");
    if (e < 0) return false;
    if (sawBackslash) {
      const d = dequote(text.slice(p, e));
      if (d.error) return false;
      this.atomValue = d.value;
    } else this.atomValue = build ? text.slice(p + 1, e - 1) : '';
    this.atomEnd = e;
    this.atomToken = 'STRING';
    return true;
  }

  /**
   * Clean mode: the list starting with the `[` at `k` when it is flat — atoms, commas (at
   * most one trailing), newlines and comments only — as the ListValue the parser would
   * build, the scanner moved past its `]` (lines counted); items past `maxItems` are
   * checked as the parser checks them but not built, and counted in `droppedItems` (as the
   * parser counts its own), so a list of millions of items costs one pass of this loop.
   * Undefined, with nothing moved, for anything else (a nested list, a bad escape, a
   * misplaced comma…), which the parser then reads token by token. With `build` false
   * (lean mode) the list is checked the same way but nothing is built or counted: the
   * result is a shared empty list.
   */
  private flatList(k: number, build: boolean): ListValue | undefined {
    const text = this.text;
    const n = text.length;
    let line = this.line;
    let ls = this.lineStart;
    let nl = this.nc.nl;
    const start: Position | undefined = build ? { line, column: k - ls + 1, offset: k } : undefined;
    const items: Value[] = [];
    let dropped = 0;
    let last = 0; // 0 after `[`, 1 after an item, 2 after a comma
    let p = k + 1;
    for (;;) {
      if (p >= n) return undefined;
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9) {
        p++;
      } else if (c === 10 || c === 35) {
        const e = c === 10 ? p : (nl = nextOf(text, '\n', nl, p + 1));
        if (e < 0) return undefined;
        line++;
        p = ls = e + 1;
      } else if (c === 93) {
        this.line = line;
        this.lineStart = ls;
        this.nc.nl = nl;
        this.i = p + 1;
        if (!build) return LEAN_LIST;
        this.droppedItems += dropped;
        return { kind: 'list', items, range: { start: start!, end: { line, column: p + 1 - ls + 1, offset: p + 1 } } };
      } else if (c === 44) {
        if (last !== 1) return undefined;
        last = 2;
        p++;
      } else if (last !== 1 && ((c >= 48 && c <= 57) || c === 34 || c === 39)) {
        const keep = build && items.length < this.maxItems;
        if (!this.atom(p, keep)) return undefined;
        const e = this.atomEnd;
        if (!keep) {
          dropped++;
          last = 1;
          p = e;
          continue;
        }
        const value = this.atomValue;
        const token = this.atomToken;
        items.push(new ScannedString(value, token, line, p - ls + 1, p, e - p));
        last = 1;
        p = e;
      } else return undefined;
    }
  }

  /**
   * Clean mode: the fused token for `IDENT (=|+=) atom` or `IDENT (=|+=)` before `[`
   * (blanks allowed between), the IDENT being text[i, j) at line/col; undefined when the
   * text there is anything else (then plain tokens follow). An ASSIGN_ATOM's setting, the
   * {@link ScannedSetting} that reads as `makeSetting(ident, op, stringValue(atom))` would build it, goes to `settings`
   * (none in lean mode); ASSIGN_START carries its IDENT token.
   */
  private fuse(i: number, j: number, line: number, col: number): Tok | undefined {
    const text = this.text;
    let k = j;
    let c = text.charCodeAt(k);
    while (c === 32 || c === 9) c = text.charCodeAt(++k);
    let append = false;
    if (c === 61) k++;
    else if (c === 43 && text.charCodeAt(k + 1) === 61) {
      append = true;
      k += 2;
    } else return undefined;
    c = text.charCodeAt(k);
    while (c === 32 || c === 9) c = text.charCodeAt(++k);
    const lean = this.lean;
    if (c === 91) {
      // a flat list of atoms is fused whole (in lean mode checked, not built, and the
      // statement dropped as an atom's is); any other list is the parser's
      if (this.depth === 0) {
        const nc = this.nc;
        const nl = nc.nl;
        const bs = nc.bs;
        const nul = nc.nul;
        const list = this.flatList(k, !lean);
        if (list !== undefined) return lean ? this.leanAssign(this.i) : this.queue(i, j, line, col, append, list);
        // the look-ahead moved the search caches: put them back when it gave up
        nc.nl = nl;
        nc.bs = bs;
        nc.nul = nul;
      }
      this.i = k;
      if (lean) return append ? SHARED_APPEND_START : SHARED_ASSIGN_START;
      const t = new Tok(K.ASSIGN_START, '', i, line, col);
      t.ident = new Tok(K.IDENT, text.slice(i, j), i, line, col);
      t.append = append;
      return t;
    }
    if (!((c >= 48 && c <= 57) || c === 34 || c === 39) || !this.atom(k, !lean)) return undefined;
    const e = this.atomEnd;
    if (lean) return this.leanAssign(e);
    const value = this.atomValue;
    const token = this.atomToken;
    const v = new ScannedString(value, token, line, k - this.lineStart + 1, k, e - k);
    this.i = e;
    return this.queue(i, j, line, col, append, v);
  }

  /**
   * Queues the setting of IDENT text[i, j) (at line/col), its operator and `value`, a
   * {@link ScannedSetting} that reads as `makeSetting` would build it, and gives the shared
   * ASSIGN_ATOM token that stands for it (the parser, which never backtracks, takes the
   * settings in order).
   */
  private queue(i: number, j: number, line: number, col: number, append: boolean, value: Value): Tok {
    this.settings.push(new ScannedSetting(this.text.slice(i, j), append ? '+=' : '=', value, line, col, i));
    return SHARED_ASSIGN_ATOM;
  }
}

/**
 * Tokenize xl.cfg text the way libxlu's flex scanner does (xl-cfg-format.md §1.2): every
 * token, lexical-error tokens included, each NEWLINE with its comment text. Linear time,
 * no recursion. Never throws: every character belongs to some token (bad ones to
 * `ERR`/`PYERR`) or is a blank. (The parser streams from a {@link Scanner} instead.)
 */
export function lex(text: string): LexResult {
  const sc = new Scanner(text);
  const tokens: Tok[] = [];
  for (let t = sc.next(); t !== undefined; t = sc.next()) tokens.push(t as Tok);
  return { tokens, hasErrors: sc.hasErrors, maxDepth: sc.maxDepth, lastLine: sc.line };
}

/**
 * The fast path's scan in one array (see {@link Scanner}'s clean mode): the tokens of a
 * file with no lexical error, no bad escape and lists nested at most `maxDepth` deep;
 * undefined when the file is not such a file. IDENT, STRING, NUMBER, `[` and `]` tokens
 * have the positions {@link lex} gives.
 */
export function scanClean(text: string, maxDepth: number): Tok[] | undefined {
  const sc = new Scanner(text, true, maxDepth);
  const tokens: Tok[] = [];
  for (let t = sc.next(); t !== undefined; t = sc.next()) {
    if (t === DIRTY) return undefined;
    tokens.push(t);
  }
  return tokens;
}
