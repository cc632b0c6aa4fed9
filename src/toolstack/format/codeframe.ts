/**
 * Code frames for `xlsim check --format text`: a few lines of the config file around a
 * diagnostic, with line numbers in a gutter and a caret underline below the range.
 *
 * Shape (no colour):
 * ```
 *   1 | name = "web"
 * > 2 | memroy = 1024
 *     | ^^^^^^
 *   3 | vcpus = 2
 * ```
 * Control characters are shown as their Unicode "control picture" (NUL → ␀, CR → ␍) so
 * binary input cannot garble a terminal; TABs are kept and mirrored in the underline so
 * the carets line up; very long lines are cut to a window around the range.
 */
import type { Range } from '../../parser/types.js';
import { LineIndex } from '../../parser/lint/text.js';

/** Options for {@link codeFrame}. */
export interface CodeFrameOptions {
  /** Emit ANSI colours (dim gutter, red carets). Default false. */
  color?: boolean;
  /** Lines of context above and below the range. Default 2. */
  context?: number;
  /** Maximum characters of one source line shown before it is cut to a window. Default 160. */
  maxWidth?: number;
}

/**
 * Colours for a frame on a terminal, as ECMA-48 SGR sequences at a fixed 16-colour level
 * whatever the environment says: dim (2, closed by 22) and bold red (1 and 31, closed by
 * 22 and 39), the bytes chalk writes at level 1 (nothing for an empty string). Written out rather than imported from
 * chalk, whose colour detection loads node:tty and would cost every `xlsim check` its
 * start-up time; a frame's text has no escape sequences of its own to nest (`visible`).
 */
const DIM = (s: string): string => (s === '' ? '' : `\x1b[2m${s}\x1b[22m`);
const RED = (s: string): string => (s === '' ? '' : `\x1b[31m\x1b[1m${s}\x1b[22m\x1b[39m`);
/** Lines of a multi-line range shown before the rest is elided. */
const MAX_RANGE_LINES = 6;

/** Replaces control characters (except TAB) with visible single-width symbols (C1 controls with ␦). */
function visible(s: string): string {
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) =>
    c === '\u007f' ? '\u2421' : c > '\u007f' ? '\u2426' : String.fromCharCode(0x2400 + c.charCodeAt(0)),
  );
}

/** The line index of the last text framed: printing many diagnostics of one big file indexes it once. */
let cached: LineIndex | undefined;

function lineIndexFor(text: string): LineIndex {
  if (cached === undefined || cached.text !== text) cached = new LineIndex(text);
  return cached;
}

/**
 * Renders a code frame for `range` in `text`.
 *
 * @param text  the decoded config text the range refers to
 * @param range a source range (1-based line/column); out-of-range positions are clamped,
 *              a zero-width range gets a single caret
 * @param opts  see {@link CodeFrameOptions}
 * @returns the frame, lines joined with `\n`, no trailing newline. Never throws.
 */
export function codeFrame(text: string, range: Range, opts: CodeFrameOptions = {}): string {
  const lines = lineIndexFor(text);
  const ctx = Math.max(0, opts.context ?? 2);
  const maxWidth = Math.max(20, opts.maxWidth ?? 160);
  const color = opts.color === true;
  const paint = (style: (s: string) => string, s: string): string => (color && s.length > 0 ? style(s) : s);

  const start = lines.position(range.start.offset);
  const end = lines.position(Math.max(range.end.offset, range.start.offset));
  const firstShown = Math.max(1, start.line - ctx);
  const lastRangeLine = Math.min(end.line, start.line + MAX_RANGE_LINES - 1);
  const lastShown = Math.min(lines.lineCount, lastRangeLine + ctx);
  const gutterWidth = String(lastShown).length;

  const out: string[] = [];
  for (let ln = firstShown; ln <= lastShown; ln++) {
    const full = lines.lineText(ln);
    const inRange = ln >= start.line && ln <= lastRangeLine;
    // Columns (0-based) of the underline on this line.
    let uStart = 0;
    let uEnd = 0;
    if (inRange) {
      uStart = ln === start.line ? start.column - 1 : 0;
      uEnd = ln === end.line ? end.column - 1 : full.length;
      if (uEnd <= uStart) uEnd = uStart + 1;
    }
    // Window for long lines.
    let winStart = 0;
    let shown = full;
    let prefix = '';
    if (full.length > maxWidth) {
      const anchor = inRange ? uStart : 0;
      winStart = Math.max(0, Math.min(anchor - Math.floor(maxWidth / 4), full.length - maxWidth));
      shown = full.slice(winStart, winStart + maxWidth);
      if (winStart > 0) prefix = '…';
      if (winStart + maxWidth < full.length) shown += '…';
    }
    const num = String(ln).padStart(gutterWidth);
    const marker = inRange ? '>' : ' ';
    const body = prefix + visible(shown);
    out.push(
      (inRange ? paint(RED, marker) : marker) + ' ' + paint(DIM, `${num} |`) + (body.length > 0 ? ' ' + body : ''),
    );
    if (inRange) {
      const a = Math.max(0, uStart - winStart);
      const b = Math.max(a + 1, Math.min(uEnd - winStart, maxWidth + 1));
      let pad = prefix.length > 0 ? ' ' : '';
      for (let i = 0; i < a; i++) pad += shown[i] === '\t' ? '\t' : ' ';
      out.push('  ' + paint(DIM, `${' '.repeat(gutterWidth)} |`) + ' ' + pad + paint(RED, '^'.repeat(b - a)));
    }
    if (ln === lastRangeLine && end.line > lastRangeLine) {
      out.push('  ' + paint(DIM, `${' '.repeat(gutterWidth)} |`) + ` … (${end.line - lastRangeLine} more lines)`);
    }
  }
  return out.join('\n');
}
