/**
 * Cut a line to the screen width, as curses does when xentop writes past the last
 * column (no wrapping, no ellipsis). `columns` ≤ 0 gives ''.
 */
export function clip(line: string, columns: number): string {
  return line.length > columns ? line.slice(0, Math.max(0, columns)) : line;
}

/** A run of text with one style, for lines drawn from several styled pieces. */
export interface Segment {
  text: string;
  bold?: boolean;
  inverse?: boolean;
  color?: string;
}

/**
 * Cut styled segments to the window of `columns` characters starting `offset` characters
 * in (horizontal scrolling), dropping what falls outside.
 */
export function clipSegments(segments: Segment[], columns: number, offset = 0): Segment[] {
  const out: Segment[] = [];
  let left = columns;
  let skip = Math.max(0, offset);
  for (const s of segments) {
    if (left <= 0) break;
    if (skip >= s.text.length) {
      skip -= s.text.length;
      continue;
    }
    const text = s.text.slice(skip, skip + left);
    skip = 0;
    left -= text.length;
    out.push({ ...s, text });
  }
  return out;
}
