/**
 * The diagnostic-code catalogue, kept at this path for existing importers: it lives in
 * `catalogue.ts` (the XL4xx lint rules themselves are in `rules/`).
 */
export { RULES, RULES_DOC, type RuleInfo } from './catalogue.js';
