/**
 * The xl.cfg lexer: libxlu's flex scanner (tools/libs/util/libxlu_cfg_l.l) rebuilt as a
 * chevrotain 11.2 lexer, plus a post-pass that adds line/column positions and decodes
 * quoted strings (xl-cfg-format.md §1.1–§1.4).
 *
 * Flex takes the longest match and breaks ties by rule order; chevrotain takes the first
 * pattern that matches. The token order below gives the same result for this rule set:
 * every real token is tried before the two error patterns, and the error patterns
 * reproduce flex's `lexerr` start condition, which swallows the bad character and the
 * rest of the non-blank run (`[^ \t\n]*`) as one "lexical error" token.
 */
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import { dequote, type EscapeError } from './dequote.js';

/**
 * Token kinds, numbered like bison's internal symbol numbers in libxlu_cfg_y.c
 * (0 `$end`, 3 IDENT … 12 `','`), so the LALR tables in grammar.ts index them directly.
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
}

// chevrotain token types of the xl.cfg grammar, in matching order.

/** NEWLINE: `\n`, or a `#` comment including its newline (flex `#.*\n|\n`). */
export const Newline = createToken({ name: 'NEWLINE', pattern: /#[^\n]*\n|\n/, line_breaks: true, start_chars_hint: ['#', '\n'] });
/** Blanks (space, TAB only), skipped. */
export const Blank = createToken({ name: 'BLANK', pattern: /[ \t]+/, group: Lexer.SKIPPED });
/** IDENT `[a-z][._0-9a-z]*` (lower case only). */
export const Ident = createToken({ name: 'IDENT', pattern: /[a-z][._0-9a-z]*/ });
/** NUMBER `[0-9][0-9a-fx]*`, kept as text. */
export const Number_ = createToken({ name: 'NUMBER', pattern: /[0-9][0-9a-fx]*/ });
// A NUL byte is excluded from string bodies: real xl aborts on an assertion in that case
// (strlen stops at the NUL), xlsim reports a lexical error instead (documented deviation).
/** STRING in single or double quotes, closed on the same line; escapes decoded by dequote.ts. */
export const String_ = createToken({
  name: 'STRING',
  pattern: /"(?:[^\\"\n\0]|\\[^\n\0])*"|'(?:[^\\'\n\0]|\\[^\n\0])*'/,
  start_chars_hint: ['"', "'"],
});
/** The append operator `+=` (Xen ≥ 4.13). */
export const PlusEq = createToken({ name: '+=', pattern: /\+=/ });
/** `=` */
export const Eq = createToken({ name: "'='", pattern: /=/ });
/** `;` statement terminator. */
export const Semi = createToken({ name: "';'", pattern: /;/ });
/** `[` */
export const LBrack = createToken({ name: "'['", pattern: /\[/ });
/** `]` */
export const RBrack = createToken({ name: "']'", pattern: /\]/ });
/** `,` */
export const Comma = createToken({ name: "','", pattern: /,/ });
/** Lexical error starting with one of `+ - . ( ) :` (sets the Python-hint flag), through the non-blank run. */
export const PyErr = createToken({ name: 'PYERR', pattern: /[+\-.():][^ \t\n]*/, start_chars_hint: ['+', '-', '.', '(', ')', ':'] });
const errHint: string[] = [];
for (let c = 0; c < 256; c++) if (c !== 32 && c !== 9 && c !== 10) errHint.push(String.fromCharCode(c));
/** Any other lexical error: a character no rule accepts, through the non-blank run (flex `<lexerr>[^ \t\n]*`). */
export const Err = createToken({ name: 'ERR', pattern: /[^ \t\n][^ \t\n]*/, start_chars_hint: errHint });

/** All token types in chevrotain matching order. */
export const allTokens: TokenType[] = [Newline, Blank, Ident, Number_, String_, PlusEq, Eq, Semi, LBrack, RBrack, Comma, PyErr, Err];

const kindOf = new Map<TokenType, K>([
  [Newline, K.NEWLINE], [Ident, K.IDENT], [Number_, K.NUMBER], [String_, K.STRING], [PlusEq, K.PLUSEQ],
  [Eq, K.EQ], [Semi, K.SEMI], [LBrack, K.LBRACK], [RBrack, K.RBRACK], [Comma, K.COMMA], [PyErr, K.PYERR], [Err, K.ERR],
]);
const kindByIdx: K[] = [];
for (const [t, k] of kindOf) kindByIdx[t.tokenTypeIdx!] = k;

/** The one chevrotain lexer instance (built once; chevrotain lexers are reusable). */
export const xlLexer = new Lexer(allTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: false,
  skipValidations: true,
});

/**
 * The same lexer without chevrotain's first-character optimisation. The optimised one only
 * knows start characters below U+0100; when it meets a character it cannot start (possible
 * only for a code unit ≥ U+0100 outside strings and comments) the text is lexed again here.
 */
export const xlSafeLexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', safeMode: true, skipValidations: true });

/**
 * A lexed token: the chevrotain token plus what the post-pass adds.
 * `line`/`column` are 1-based (column counts UTF-16 units of the decoded text);
 * `kind` is the {@link K} number; for STRING tokens `value` is the dequoted text and
 * `esc` the first bad escape (if any); for NUMBER tokens `value` is the token text; other
 * tokens have no `value`.
 */
export interface Tok extends IToken {
  kind: K;
  line: number;
  column: number;
  value?: string;
  esc?: EscapeError;
}

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

/**
 * Tokenize xl.cfg text the way libxlu's flex scanner does (xl-cfg-format.md §1.2).
 * Never throws: every byte belongs to some token (bad ones to `ERR`/`PYERR`).
 */
export function lex(text: string): LexResult {
  const first = xlLexer.tokenize(text);
  const raw = (first.errors.length ? xlSafeLexer.tokenize(text).tokens : first.tokens) as Tok[];
  let line = 1;
  let lineStart = 0;
  let hasErrors = false;
  let depth = 0;
  let maxDepth = 0;
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!;
    const kind = kindByIdx[t.tokenTypeIdx]!;
    t.kind = kind;
    t.line = line;
    t.column = t.startOffset - lineStart + 1;
    switch (kind) {
      case K.NEWLINE:
        line++;
        lineStart = t.startOffset + t.image.length;
        break;
      case K.STRING: {
        const img = t.image;
        if (img.indexOf('\\') < 0) t.value = img.slice(1, img.length - 1);
        else {
          const d = dequote(img);
          t.value = d.value;
          if (d.error) {
            t.esc = d.error;
            hasErrors = true;
          }
        }
        break;
      }
      case K.NUMBER:
        t.value = t.image;
        break;
      case K.LBRACK:
        if (++depth > maxDepth) maxDepth = depth;
        break;
      case K.RBRACK:
        if (depth > 0) depth--;
        break;
      case K.ERR:
      case K.PYERR:
        hasErrors = true;
        break;
    }
  }
  return { tokens: raw, hasErrors, maxDepth, lastLine: line };
}
