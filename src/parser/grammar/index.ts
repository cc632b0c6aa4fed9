/**
 * The xl.cfg grammar (libxlu's flex scanner and bison grammar, tools/libs/util/
 * libxlu_cfg_l.l and libxlu_cfg_y.y; xl-cfg-format.md §1), one concern a module:
 *
 * - `tokens.ts`: token kinds and {@link Tok}; `chev-tokens.ts`: the chevrotain token types (the lexical specification);
 * - `lexer.ts`: the scanner (`lex`, and `scanClean` for the fast path);
 * - `rules.ts`: the 23 grammar rules in bison's numbering;
 * - `lalr.ts`: the LALR(1) tables generated from them, bison's expected-token lists;
 * - `xl-messages.ts`: xl's exact error lines (`formatXlError`), the Python hint, the XL00x codes;
 * - `messages.ts`: xlsim's own wording of lexical and syntax errors (`printable`);
 * - `bison.ts`: the table-driven machine with bison's error recovery (`runBison`);
 * - `fast-path.ts`: well-formed files (`parseClean`): fused batches taken as scanned, the others
 *   parsed by chevrotain; `keeper.ts`: what it keeps of a file's settings;
 * - `parser.ts`: the chevrotain parser (`parseWithChevrotain`), loaded through `chevrotain-side.ts`;
 * - `positions.ts`: token positions and the value-tree nodes both parsers build.
 */
export * from './tokens.js';
export * from './chev-tokens.js';
export * from './lexer.js';
export * from './rules.js';
export * from './lalr.js';
export * from './xl-messages.js';
export * from './messages.js';
export * from './bison.js';
export * from './parser.js';
export * from './fast-path.js';
export * from './keeper.js';
export * from './positions.js';
