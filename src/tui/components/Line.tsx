/**
 * One screen line drawn from styled segments, clipped to the screen width. Colours are
 * dropped when the theme has none (NO_COLOR), whatever the caller asked. Pure view.
 *
 * Each line is one Ink `<Text>` holding a string already styled with chalk (the colours
 * and attributes Ink would apply for nested `<Text>`s, in the same escape codes): Ink's
 * layout and output cost grows with the number of nodes, and a frame of nested `<Text>`
 * per segment took several milliseconds to lay out at 120×36.
 */
import React from 'react';
import { Text } from 'ink';
import chalk from 'chalk';
import { clipSegments, type Segment } from './clip.js';
import { useTheme } from './ThemeContext.js';
import type { Theme } from '../theme.js';

/** `segments` as one string with chalk's escape codes (none when chalk has no colour level). */
export function styleSegments(segments: Segment[], theme: Theme): string {
  let out = '';
  for (const p of segments) {
    if (p.text === '') continue;
    let c = chalk;
    let styled = false;
    if (p.color && theme.color && p.color in chalk) {
      c = (c as unknown as Record<string, typeof chalk>)[p.color]!;
      styled = true;
    }
    if (p.bold) {
      c = c.bold;
      styled = true;
    }
    if (p.inverse) {
      c = c.inverse;
      styled = true;
    }
    out += styled ? c(p.text) : p.text;
  }
  return out;
}

/** Props: the pieces of the line, in order, and the screen width. */
export interface LineProps {
  segments: Segment[];
  columns: number;
  /** Characters scrolled off the left edge. @default 0 */
  offset?: number;
}

/** Draws `segments` on one line; an empty line still takes one row. */
export const Line = React.memo(function Line({ segments, columns, offset = 0 }: LineProps): React.JSX.Element {
  const theme = useTheme();
  const parts = clipSegments(segments, columns, offset);
  const text = styleSegments(parts, theme);
  return <Text wrap="truncate">{text === '' ? ' ' : text}</Text>;
});

/** Props of `Lines`: styled lines, the first shown, how many, and the width. */
export interface LinesProps {
  lines: Segment[][];
  /** First line shown. @default 0 */
  scroll?: number;
  height: number;
  columns: number;
}

/** A block of `height` lines from `lines` starting at `scroll` (padded with blank lines). */
export function Lines({ lines, scroll = 0, height, columns }: LinesProps): React.JSX.Element {
  const shown = lines.slice(scroll, scroll + height);
  return (
    <>
      {shown.map((l, i) => (
        <Line key={i} segments={l} columns={columns} />
      ))}
      {Array.from({ length: Math.max(0, height - shown.length) }, (_, i) => (
        <Line key={`pad${i}`} segments={[]} columns={columns} />
      ))}
    </>
  );
}
