/**
 * Inline suppression of lint diagnostics.
 *
 * A comment `# xlsim: ignore=XL401` (several codes separated by commas, spaces allowed:
 * `# xlsim: ignore=XL401, XL416`) suppresses those codes
 *   - on its own line: for the next statement (the next line that is not blank and not a
 *     comment, and every line that statement spans, e.g. a multi-line list);
 *   - after a statement on the same line: for that statement (all the lines it spans).
 * To libxl the directive is an ordinary comment (xl-cfg-format.md §1.2: `#` to end of
 * line), so it never changes what xl reads.
 */
import type { Diagnostic, Range } from '../types.js';

/** One `# xlsim: ignore=…` directive found in a file. */
export interface SuppressDirective {
  /** 1-based line of the comment. */
  line: number;
  /** The codes it names, upper-cased (`XL401`). */
  codes: string[];
  /** True when the comment is alone on its line (applies to the next statement). */
  ownLine: boolean;
  /** The 1-based lines whose diagnostics it suppresses. */
  covers: [number, number];
  /** 0-based offset of the comment's `#` in the text, and the comment's length (to its end of line). */
  offset: number;
  length: number;
}

const DIRECTIVE = /^#\s*xlsim:\s*ignore\s*=\s*([A-Za-z0-9_,\s]+?)\s*$/;

/** Returns the 0-based index of the first `#` outside a quoted string on `line`, or -1. */
function commentStart(line: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return i;
  }
  return -1;
}

/**
 * Finds every suppression directive in `text`.
 *
 * @param text the config text
 * @param statementLines the `[firstLine, lastLine]` span of each statement, in file order
 *        (from the parsed `ConfigFile`); used to extend a directive over a multi-line
 *        statement. May be empty (e.g. when the parse failed): then a directive covers
 *        just its target line.
 */
export function findSuppressions(text: string, statementLines: ReadonlyArray<readonly [number, number]>): SuppressDirective[] {
  const lines = text.split('\n');
  const out: SuppressDirective[] = [];
  const spanAt = (line: number): [number, number] => {
    for (const [a, b] of statementLines) if (line >= a && line <= b) return [a, b];
    return [line, line];
  };
  let lineStart = 0;
  for (let i = 0; i < lines.length; lineStart += lines[i]!.length + 1, i++) {
    const line = lines[i]!;
    if (!line.includes('xlsim')) continue;
    const at = commentStart(line);
    if (at < 0) continue;
    const m = DIRECTIVE.exec(line.slice(at));
    if (!m) continue;
    const codes = m[1]!
      .split(/[\s,]+/)
      .map((c) => c.trim().toUpperCase())
      .filter((c) => c.length > 0);
    const ownLine = line.slice(0, at).trim() === '';
    const lineNo = i + 1;
    let covers: [number, number];
    if (ownLine) {
      // Next line that is neither blank nor only a comment.
      let j = i + 1;
      while (j < lines.length && (lines[j]!.trim() === '' || lines[j]!.trimStart().startsWith('#'))) j++;
      covers = j < lines.length ? spanAt(j + 1) : [lineNo, lineNo];
    } else {
      covers = spanAt(lineNo);
    }
    out.push({ line: lineNo, codes, ownLine, covers, offset: lineStart + at, length: line.length - at });
  }
  return out;
}

/** True when `d` (starting on some line) is silenced by one of `directives`. */
export function isSuppressed(d: { code: string; range: Range }, directives: readonly SuppressDirective[]): boolean {
  const line = d.range.start.line;
  for (const s of directives) {
    if (line >= s.covers[0] && line <= s.covers[1] && s.codes.includes(d.code)) return true;
  }
  return false;
}

/**
 * Splits `diagnostics` into those kept and those silenced by inline directives, and
 * lists the directive codes that silenced nothing (`unused`, in directive order).
 * Order is preserved. Never throws.
 */
export function applySuppressions<D extends Diagnostic>(
  diagnostics: readonly D[],
  directives: readonly SuppressDirective[],
): { kept: D[]; suppressed: D[]; unused: Array<{ directive: SuppressDirective; code: string }> } {
  const kept: D[] = [];
  const suppressed: D[] = [];
  const used = new Set<string>();
  for (const d of diagnostics) {
    const line = d.range.start.line;
    const by = directives.find((s) => line >= s.covers[0] && line <= s.covers[1] && s.codes.includes(d.code));
    if (by === undefined) kept.push(d);
    else {
      suppressed.push(d);
      used.add(`${by.line}\u0000${d.code}`);
      // Every directive naming this code over this line counts as used.
      for (const s of directives) if (line >= s.covers[0] && line <= s.covers[1] && s.codes.includes(d.code)) used.add(`${s.line}\u0000${d.code}`);
    }
  }
  const unused = directives.flatMap((directive) =>
    directive.codes.filter((code) => !used.has(`${directive.line}\u0000${code}`)).map((code) => ({ directive, code })),
  );
  return { kept, suppressed, unused };
}
