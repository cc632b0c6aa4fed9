/**
 * The xl.cfg lexer, kept at this path for existing importers: token kinds and types live
 * in `grammar/tokens.ts`, the scanner in `grammar/lexer.ts`.
 */
export { K, Tok, allTokens, Newline, Blank, Ident, Number_, String_, PlusEq, Eq, Semi, LBrack, RBrack, Comma, PyErr, Err } from './grammar/tokens.js';
export { lex, scanClean, type LexResult } from './grammar/lexer.js';
