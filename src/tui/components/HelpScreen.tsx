/**
 * The `?` help screen: every keymap entry, generated from the keymap table (`keymap.ts`).
 * The title line stays put and says which lines are shown when the list is longer than
 * the screen; the rest scrolls with Up/Down/PgUp/PgDn. Pure view.
 */
import React from 'react';
import { Box } from 'ink';
import { helpLines } from '../keymap.js';
import { Line } from './Line.js';

/** Props: first line shown, height in lines, screen width. */
export interface HelpScreenProps {
  scroll: number;
  height: number;
  columns: number;
}

/** The title, then the help text below it scrolled to `scroll`. */
export function HelpScreen({ scroll, height, columns }: HelpScreenProps): React.JSX.Element {
  const [title, ...body] = helpLines();
  const rows = Math.max(0, height - 1);
  const first = Math.min(scroll, Math.max(0, body.length - rows));
  const shown = body.slice(first, first + rows);
  const range = body.length > rows ? `   (lines ${first + 1}-${first + shown.length} of ${body.length}, Up/Down/PgUp/PgDn to scroll, Esc to close)` : '   (Esc to close)';
  return (
    <Box flexDirection="column" height={height}>
      <Line segments={[{ text: title!, bold: true }, { text: range }]} columns={columns} />
      {shown.map((l, i) => (
        <Line key={i} segments={[{ text: l }]} columns={columns} />
      ))}
    </Box>
  );
}
