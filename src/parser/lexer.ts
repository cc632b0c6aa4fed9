/**
 * The xl.cfg lexer, kept at this path for existing importers: token kinds and {@link Tok}
 * live in `grammar/tokens.ts`, the chevrotain token types in `grammar/chev-tokens.ts`, the
 * scanner in `grammar/lexer.ts`.
 */
export { K, Tok } from './grammar/tokens.js';
export { allTokens, Newline, Blank, Ident, Number_, String_, PlusEq, Eq, Semi, LBrack, RBrack, Comma, PyErr, Err } from './grammar/chev-tokens.js';
export { lex, scanClean, type LexResult } from './grammar/lexer.js';
