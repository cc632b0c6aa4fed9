/**
 * The 23 rules of libxlu's grammar (tools/libs/util/libxlu_cfg_y.y) in bison's numbering,
 * with bison's symbol numbers (libxlu_cfg_y.c `yytname`): terminals 0–12 are the token
 * kinds of `tokens.ts` ({@link K}), non-terminals 13–23.
 */
import { K } from './tokens.js';

/** Terminal names exactly as bison 3.3.2 prints them in verbose syntax errors (yytname after yytnamerr). */
export const TOKEN_NAMES = ['$end', 'error', '$undefined', 'IDENT', 'STRING', 'NUMBER', 'NEWLINE', '+=', "'='", "';'", "'['", "']'", "','"];
/** Number of terminal symbols (bison YYNTOKENS). */
export const NTERMS = 13;
/** The `error` token of bison's recovery rule (`stmt: error NEWLINE`). */
export const ERROR = 1;
/** Non-terminal symbol numbers. */
export const N = { accept: 13, file: 14, stmts: 15, stmt: 16, assignment: 17, endstmt: 18, value: 19, atom: 20, valuelist: 21, values: 22, nlok: 23 };

/** The 23 rules of libxlu_cfg_y.y in bison's numbering: [lhs, rhs symbols]. */
export const RULES: ReadonlyArray<readonly [number, readonly number[]]> = [
  [N.accept, [N.file, K.EOF]], // 0
  [N.file, [N.stmts]], // 1
  [N.file, [N.stmts, N.assignment]], // 2
  [N.stmts, []], // 3
  [N.stmts, [N.stmts, N.stmt]], // 4
  [N.stmt, [N.assignment, N.endstmt]], // 5
  [N.stmt, [N.endstmt]], // 6
  [N.stmt, [ERROR, K.NEWLINE]], // 7
  [N.assignment, [K.IDENT, K.EQ, N.value]], // 8
  [N.assignment, [K.IDENT, K.PLUSEQ, N.value]], // 9
  [N.endstmt, [K.NEWLINE]], // 10
  [N.endstmt, [K.SEMI]], // 11
  [N.value, [N.atom]], // 12
  [N.value, [K.LBRACK, N.nlok, N.valuelist, K.RBRACK]], // 13
  [N.atom, [K.STRING]], // 14
  [N.atom, [K.NUMBER]], // 15
  [N.valuelist, []], // 16
  [N.valuelist, [N.values]], // 17
  [N.valuelist, [N.values, K.COMMA, N.nlok]], // 18
  [N.values, [N.value, N.nlok]], // 19
  [N.values, [N.values, K.COMMA, N.nlok, N.value, N.nlok]], // 20
  [N.nlok, []], // 21
  [N.nlok, [N.nlok, K.NEWLINE]], // 22
];
