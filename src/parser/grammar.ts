/**
 * The libxlu grammar, kept at this path for existing importers: the code lives in
 * `grammar/` (tokens, scanner, rules, LALR tables, bison's messages, the bison machine and
 * the chevrotain parser, one module each; see `grammar/index.ts`).
 */
export * from './grammar/index.js';
