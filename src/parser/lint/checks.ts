/**
 * The XL4xx lint rules, kept at this path for existing importers: each rule is now one
 * record in `rules/<group>.ts` (see `rules/index.ts`), with the shared types and helpers
 * in `rules/rule.ts`.
 */
export {
  DEPRECATED_KEYS,
  guestType,
  LINT_RULES,
  OBSOLETE_KEYS,
  XM_KEYS,
  type Finding,
  type KeyFacts,
  type LintDiagnostic,
  type LintFix,
  type LintRule,
  type RuleContext,
  type TextEdit,
} from './rules/index.js';
