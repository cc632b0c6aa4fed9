/**
 * The lexical specification of the xl.cfg grammar: libxlu's flex rules
 * (tools/libs/util/libxlu_cfg_l.l) as chevrotain 11.2 token types, and the map between
 * them and the scanner's token kinds ({@link K}). Loaded with the chevrotain parser
 * (`parser.ts`), on a file's first chevrotain run, never at start-up.
 *
 * The regular expressions below are the specification, in chevrotain's matching order:
 * chevrotain takes the first pattern that matches where flex takes the longest match and
 * breaks ties by rule order, and for this rule set both give the same tokens. Every real
 * token is tried before the two error patterns, which reproduce flex's `lexerr` start
 * condition (the bad character and the rest of its non-blank run, `[^ \t\n]*`, become
 * one "lexical error" token). The hand-written scanner in `lexer.ts` implements exactly
 * these patterns in one pass; `test/parser/grammar-validations.test.ts` checks it against
 * a chevrotain `Lexer` built from them.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { K, type Tok } from './tokens.js';

/**
 * Token categories the chevrotain parser consumes in one step (a category matches any of
 * its member types): the assignment operator (`=`, `+=`) and an atom (STRING, NUMBER).
 * They have no pattern of their own and never come out of a lexer.
 */
export const AssignOp = createToken({ name: 'AssignOp', pattern: Lexer.NA });
/** See {@link AssignOp}: libxlu's `atom: STRING | NUMBER`. */
export const Atom = createToken({ name: 'Atom', pattern: Lexer.NA });
/**
 * Fused tokens of the fast path (no pattern: only the scanner's clean mode makes them,
 * never a lexer): `IDENT (=|+=) (STRING|NUMBER)` as one token whose setting the scanner
 * has built, and `IDENT (=|+=)` before a list. The parser takes them where it takes the
 * three or two tokens they stand for; anything the scanner cannot fuse comes as plain
 * tokens, and a statement that does not end where it should is a syntax error either way.
 * Fewer tokens, fewer objects: measured with `npm run bench`.
 */
export const AssignAtom = createToken({ name: 'ASSIGN_ATOM', pattern: Lexer.NA });
/** See {@link AssignAtom}. */
export const AssignStart = createToken({ name: 'ASSIGN_START', pattern: Lexer.NA });

/** NEWLINE: `\n`, or a `#` comment including its newline (flex `#.*\n|\n`). */
export const Newline = createToken({ name: 'NEWLINE', pattern: /#[^\n]*\n|\n/, line_breaks: true, start_chars_hint: ['#', '\n'] });
/** Blanks (space, TAB only), skipped. */
export const Blank = createToken({ name: 'BLANK', pattern: /[ \t]+/, group: Lexer.SKIPPED });
/** IDENT `[a-z][._0-9a-z]*` (lower case only). */
export const Ident = createToken({ name: 'IDENT', pattern: /[a-z][._0-9a-z]*/ });
/** NUMBER `[0-9][0-9a-fx]*`, kept as text. */
export const Number_ = createToken({ name: 'NUMBER', pattern: /[0-9][0-9a-fx]*/, categories: [Atom] });
// A NUL byte is excluded from string bodies: real xl aborts on an assertion in that case
// (strlen stops at the NUL), xlsim reports a lexical error instead (documented deviation).
/** STRING in single or double quotes, closed on the same line; escapes decoded by dequote.ts. */
export const String_ = createToken({
  name: 'STRING',
  categories: [Atom],
  pattern: /"(?:[^\\"\n\0]|\\[^\n\0])*"|'(?:[^\\'\n\0]|\\[^\n\0])*'/,
  start_chars_hint: ['"', "'"],
});
/** The append operator `+=` (Xen ≥ 4.13). */
export const PlusEq = createToken({ name: '+=', pattern: /\+=/, categories: [AssignOp] });
/** `=` */
export const Eq = createToken({ name: "'='", pattern: /=/, categories: [AssignOp] });
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
export const allTokens: TokenType[] = [
  Newline, Blank, Ident, Number_, String_, PlusEq, Eq, Semi, LBrack, RBrack, Comma, PyErr, Err, AssignOp, Atom, AssignAtom, AssignStart,
];

/** The chevrotain token type of each kind (`TYPE_OF[K.IDENT] === Ident`); EOF has none. */
export const TYPE_OF: readonly TokenType[] = (() => {
  const t: TokenType[] = [];
  const pairs: Array<[K, TokenType]> = [
    [K.NEWLINE, Newline], [K.IDENT, Ident], [K.NUMBER, Number_], [K.STRING, String_], [K.PLUSEQ, PlusEq], [K.EQ, Eq],
    [K.SEMI, Semi], [K.LBRACK, LBrack], [K.RBRACK, RBrack], [K.COMMA, Comma], [K.PYERR, PyErr], [K.ERR, Err],
    [K.ASSIGN_ATOM, AssignAtom], [K.ASSIGN_START, AssignStart],
  ];
  for (const [kind, type] of pairs) t[kind] = type;
  return t;
})();

/** `TYPE_OF[kind].tokenTypeIdx` as a plain array (chevrotain's token type objects are slow to read in a hot loop). */
const TYPE_IDX_OF: readonly number[] = TYPE_OF.map((t) => t.tokenTypeIdx!);

/** The kind of a chevrotain token type's tokens, by `tokenTypeIdx` (for tokens from a chevrotain `Lexer`). */
export const KIND_BY_TYPE_IDX: readonly K[] = (() => {
  const k: K[] = [];
  TYPE_OF.forEach((t, kind) => {
    if (t) k[t.tokenTypeIdx!] = kind;
  });
  return k;
})();

/**
 * Gives each token of a batch its chevrotain type (`tokenType`, `tokenTypeIdx`) from its
 * kind, as chevrotain's parser matches tokens by them. Shared tokens are typed again,
 * to the same values. Called just before a chevrotain run.
 */
export function typeTokens(tokens: readonly Tok[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    t.tokenType = TYPE_OF[t.kind]!;
    t.tokenTypeIdx = TYPE_IDX_OF[t.kind]!;
  }
}
