/**
 * The three summary lines at the top of interactive xentop (xentop.c `do_summary`,
 * xl-commands.md §4.2). Pure view.
 */
import React from 'react';
import { Text } from 'ink';
import { summaryLines, type TopSample } from '../xentop.js';
import { clip } from './clip.js';

/** Props: the latest sample (nothing drawn before the first), screen width, and whether to print the time in UTC. */
export interface SummaryProps {
  sample?: TopSample;
  columns: number;
  utc?: boolean;
}

/** Three lines: `xentop - HH:MM:SS   Xen …`, the domain-state counts, the Mem/CPUs line. Redrawn only for a new sample or size. */
export const Summary = React.memo(function Summary({ sample, columns, utc }: SummaryProps): React.JSX.Element {
  const lines = sample ? summaryLines(sample, utc) : ['xentop', '', ''];
  return (
    <>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {clip(l, columns) || ' '}
        </Text>
      ))}
    </>
  );
});
