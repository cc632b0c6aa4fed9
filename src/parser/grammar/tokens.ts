/**
 * The tokens of the xl.cfg grammar as the scanner (`lexer.ts`) hands them to both parsers:
 * their kinds, numbered like bison's symbols, and the {@link Tok} objects. The lexical
 * specification (libxlu's flex rules as chevrotain token types) is in `chev-tokens.ts`,
 * loaded with the chevrotain parser only when a file needs a chevrotain run: this module
 * does not load chevrotain, so a file of flat assignments and flat lists (most files) is
 * read without it.
 */
import type { IToken, TokenType } from 'chevrotain';
import type { EscapeError } from '../dequote.js';

/**
 * Token kinds, numbered like bison's internal symbol numbers in libxlu_cfg_y.c
 * (0 `$end`, 3 IDENT … 12 `','`), so the LALR tables index them directly.
 * `ERR` and `PYERR` never reach the parser: they are flex's lexical errors
 * (`PYERR` when the bad character is one of `+ - . ( ) :`, which sets the
 * "looks like Python" flag).
 */
export enum K {
  EOF = 0,
  IDENT = 3,
  STRING = 4,
  NUMBER = 5,
  NEWLINE = 6,
  PLUSEQ = 7,
  EQ = 8,
  SEMI = 9,
  LBRACK = 10,
  RBRACK = 11,
  COMMA = 12,
  ERR = 13,
  PYERR = 14,
  /** Fast path only: `IDENT op atom` in one token, its setting built and queued by the scanner (`Scanner.settings`). */
  ASSIGN_ATOM = 15,
  /** Fast path only: `IDENT op` before a list, the IDENT in {@link Tok.ident}. */
  ASSIGN_START = 16,
}

/**
 * A token's chevrotain type until `chev-tokens.ts` `typeTokens` sets the real one, just
 * before a chevrotain run (the bison machine and the fused fast path read only `kind`).
 */
const UNTYPED: TokenType = Object.freeze({ name: 'UNTYPED' });

/**
 * A lexed token: what chevrotain's parser needs (`image`, `startOffset`, `endOffset`,
 * `tokenType`, `tokenTypeIdx`, the last two set by `typeTokens` before a chevrotain run)
 * plus the scanner's additions. `line`/`column` are 1-based
 * (column counts UTF-16 units of the decoded text); `kind` is the {@link K} number; for
 * STRING tokens `value` is the dequoted text and `esc` the first bad escape (if any);
 * for NUMBER tokens `value` is the token text; other tokens have no `value`.
 * One class, so every token has the same shape (V8 keeps the parser's accesses monomorphic).
 */
export class Tok implements IToken {
  image: string;
  startOffset: number;
  /** Offset of the last character (inclusive, as chevrotain counts). */
  endOffset: number;
  tokenType: TokenType;
  tokenTypeIdx: number;
  kind: K;
  line: number;
  column: number;
  value: string | undefined;
  esc: EscapeError | undefined;
  /** ASSIGN_START: the IDENT token (undefined in lean mode). */
  ident: Tok | undefined;
  /** ASSIGN_START: the operator is `+=`. */
  append: boolean;

  constructor(kind: K, image: string, startOffset: number, line: number, column: number) {
    this.image = image;
    this.startOffset = startOffset;
    this.endOffset = startOffset + image.length - 1;
    this.tokenType = UNTYPED;
    this.tokenTypeIdx = 0;
    this.kind = kind;
    this.line = line;
    this.column = column;
    this.value = undefined;
    this.esc = undefined;
    this.ident = undefined;
    this.append = false;
  }
}
