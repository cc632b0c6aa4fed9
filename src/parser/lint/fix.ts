/**
 * Applying the fixes lint rules attach to diagnostics (`xlsim check --fix`).
 *
 * A fix is a set of text edits on the decoded config text (`LintDiagnostic.fix`, see
 * `checks.ts`). Edits are applied back to front so earlier offsets stay valid; an edit
 * that overlaps one already taken is skipped (and its whole fix with it), so the result
 * is always well defined. Running the linter again shows what is left.
 */
import type { LintDiagnostic, LintFix } from './rules/rule.js';

/** What {@link applyFixes} returns. */
export interface FixResult {
  /** The text with every applied fix. */
  text: string;
  /** The fixes applied, in file order. */
  applied: LintFix[];
  /** Fixes skipped because they overlapped an applied one. */
  skipped: LintFix[];
}

/**
 * Applies the fixes of `diagnostics` (those that have one) to `text`.
 *
 * @param text        the decoded config text the diagnostics' ranges refer to
 * @param diagnostics lint diagnostics, in any order
 * @returns the new text and which fixes were applied or skipped. Never throws; edits
 *          whose offsets fall outside `text` are skipped.
 */
export function applyFixes(text: string, diagnostics: readonly LintDiagnostic[]): FixResult {
  const fixes = diagnostics.flatMap((d) => (d.fix !== undefined && d.fix.edits.length > 0 ? [d.fix] : []));
  const first = (f: LintFix) => Math.min(...f.edits.map((e) => e.range.start.offset));
  fixes.sort((a, b) => first(a) - first(b));
  const taken: Array<[number, number]> = [];
  const applied: LintFix[] = [];
  const skipped: LintFix[] = [];
  for (const f of fixes) {
    const spans = f.edits.map((e) => [e.range.start.offset, e.range.end.offset] as [number, number]);
    const bad = spans.some(
      ([s, e]) => s < 0 || e > text.length || e < s || taken.some(([ts, te]) => s < te && ts < e) ||
        // Two zero-width inserts at the same place are ambiguous too.
        taken.some(([ts, te]) => s === e && ts === te && s === ts),
    );
    if (bad) {
      skipped.push(f);
      continue;
    }
    taken.push(...spans);
    applied.push(f);
  }
  const edits = applied.flatMap((f) => f.edits).sort((a, b) => b.range.start.offset - a.range.start.offset);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range.start.offset) + e.text + out.slice(e.range.end.offset);
  return { text: out, applied, skipped };
}
