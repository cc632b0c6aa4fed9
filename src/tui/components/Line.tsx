/**
 * One screen line drawn from styled segments, clipped to the screen width. Colours are
 * dropped when the theme has none (NO_COLOR), whatever the caller asked. Pure view.
 */
import React from 'react';
import { Text } from 'ink';
import { clipSegments, type Segment } from './clip.js';
import { useTheme } from './ThemeContext.js';

/** Props: the pieces of the line, in order, and the screen width. */
export interface LineProps {
  segments: Segment[];
  columns: number;
  /** Characters scrolled off the left edge. @default 0 */
  offset?: number;
}

/** Draws `segments` on one line; an empty line still takes one row. */
export function Line({ segments, columns, offset = 0 }: LineProps): React.JSX.Element {
  const theme = useTheme();
  const parts = clipSegments(segments, columns, offset);
  if (parts.length === 0 || parts.every((p) => p.text === '')) return <Text> </Text>;
  return (
    <Text wrap="truncate">
      {parts.map((p, i) =>
        p.bold || p.inverse || (p.color && theme.color) ? (
          <Text key={i} bold={p.bold} inverse={p.inverse} color={theme.color ? p.color : undefined}>
            {p.text}
          </Text>
        ) : (
          p.text
        ),
      )}
    </Text>
  );
}

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
