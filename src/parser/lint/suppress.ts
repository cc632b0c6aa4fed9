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
 * Every `# xlsim: ignore=…` directive in `text`, in order. `statementLines` are the
 * [first, last] lines of each statement, in file order (they do not overlap). Linear in the
 * text: lines are only looked at around an occurrence of "xlsim", the statement containing
 * a line is found by binary search, and the search for the statement after an own-line
 * directive resumes where the previous one stopped.
 */
export function findSuppressions(text: string, statementLines: ReadonlyArray<readonly [number, number]>): SuppressDirective[] {
  const out: SuppressDirective[] = [];
  const spanAt = (line: number): [number, number] => {
    let lo = 0;
    let hi = statementLines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = statementLines[mid]!;
      if (line < a) hi = mid - 1;
      else if (line > b) lo = mid + 1;
      else return [a, b];
    }
    return [line, line];
  };
  // line counting, moving forward only
  let countedTo = 0;
  let countedLine = 1;
  const lineOf = (offset: number): number => {
    for (let i = text.indexOf('\n', countedTo); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
      countedLine++;
      countedTo = i + 1;
    }
    if (countedTo < offset) countedTo = offset;
    return countedLine;
  };
  // the first line after an own-line directive that is neither blank nor only a comment
  let codeLine = -1; // its number, once found (-2: none up to the end)
  let codeSearchLine = 0; // lines up to this one are known to be blank or comments
  let codeSearchAt = 0; // offset where the next unsearched line starts
  const nextCodeLine = (afterLine: number, afterOffset: number): number => {
    if (codeLine === -2 || codeLine > afterLine) return codeLine;
    let line = Math.max(afterLine, codeSearchLine);
    let at = Math.max(afterOffset, codeSearchAt);
    while (at < text.length || at === afterOffset) {
      if (at >= text.length) break;
      line++;
      let e = text.indexOf('\n', at);
      if (e < 0) e = text.length;
      const content = text.slice(at, e).trim();
      at = e + 1;
      if (content !== '' && !content.startsWith('#')) {
        codeSearchLine = line;
        codeSearchAt = at;
        return (codeLine = line);
      }
    }
    codeSearchLine = line;
    codeSearchAt = at;
    return (codeLine = -2);
  };
  for (let k = text.indexOf('xlsim'); k >= 0; ) {
    const lineStart = text.lastIndexOf('\n', k - 1) + 1;
    let lineEnd = text.indexOf('\n', k);
    if (lineEnd < 0) lineEnd = text.length;
    const next = lineEnd + 1;
    const line = text.slice(lineStart, lineEnd);
    const at = commentStart(line);
    const m = at < 0 ? null : DIRECTIVE.exec(line.slice(at));
    if (m) {
      const codes = m[1]!
        .split(/[\s,]+/)
        .map((c) => c.trim().toUpperCase())
        .filter((c) => c.length > 0);
      const ownLine = line.slice(0, at).trim() === '';
      const lineNo = lineOf(lineStart);
      let covers: [number, number];
      if (ownLine) {
        const j = nextCodeLine(lineNo, next);
        covers = j > 0 ? spanAt(j) : [lineNo, lineNo];
      } else {
        covers = spanAt(lineNo);
      }
      out.push({ line: lineNo, codes, ownLine, covers, offset: lineStart + at, length: line.length - at });
    }
    k = next >= text.length ? -1 : text.indexOf('xlsim', next);
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
  // Directives by the first line they cover. What a directive covers is a statement's
  // lines or one line outside any statement, and statements do not overlap, so two
  // directives cover the same lines or disjoint ones: the only candidates for a line are
  // those whose span starts last at or before it.
  const byStart = new Map<number, SuppressDirective[]>();
  for (const s of directives) {
    const list = byStart.get(s.covers[0]);
    if (list) list.push(s);
    else byStart.set(s.covers[0], [s]);
  }
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  const covering = (line: number): SuppressDirective[] => {
    // binary search for the last start <= line
    let lo = 0;
    let hi = starts.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= line) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (idx < 0) return [];
    return byStart.get(starts[idx]!)!.filter((s) => line <= s.covers[1]);
  };
  for (const d of diagnostics) {
    const line = d.range.start.line;
    const by = directives.length ? covering(line).filter((s) => s.codes.includes(d.code)) : [];
    if (by.length === 0) kept.push(d);
    else {
      suppressed.push(d);
      // Every directive naming this code over this line counts as used.
      for (const s of by) used.add(`${s.line}\u0000${d.code}`);
    }
  }
  const unused = directives.flatMap((directive) =>
    directive.codes.filter((code) => !used.has(`${directive.line}\u0000${code}`)).map((code) => ({ directive, code })),
  );
  return { kept, suppressed, unused };
}
