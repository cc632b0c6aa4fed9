/** One screen line drawn from styled segments, clipped to the screen width. Pure view. */
import React from 'react';
import { Text } from 'ink';
import { clipSegments, type Segment } from './clip.js';

/** Props: the pieces of the line, in order, and the screen width. */
export interface LineProps {
  segments: Segment[];
  columns: number;
  /** Characters scrolled off the left edge. @default 0 */
  offset?: number;
}

/** Draws `segments` on one line; an empty line still takes one row. */
export function Line({ segments, columns, offset = 0 }: LineProps): React.JSX.Element {
  const parts = clipSegments(segments, columns, offset);
  if (parts.length === 0 || parts.every((p) => p.text === '')) return <Text> </Text>;
  return (
    <Text wrap="truncate">
      {parts.map((p, i) => (
        <Text key={i} bold={p.bold} inverse={p.inverse} color={p.color}>
          {p.text}
        </Text>
      ))}
    </Text>
  );
}
