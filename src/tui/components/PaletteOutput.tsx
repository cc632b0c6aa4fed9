/** The output of the last `:` palette command, under a `$ xl <command>` title line. Pure view. */
import React from 'react';
import { Box } from 'ink';
import { paletteLines, type PaletteOutput as Output } from '../state.js';
import { Line } from './Line.js';

/** Props: the output (absent before the first command), first line shown, lines of output, screen width. */
export interface PaletteOutputProps {
  output?: Output;
  scroll: number;
  /** Lines for the output (the title takes one more). */
  height: number;
  columns: number;
}

/** Expand TABs to 8-column stops, as a terminal shows them (xl list's header has TABs). */
export function expandTabs(l: string): string {
  let out = '';
  for (const c of l) {
    if (c === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += c;
  }
  return out;
}

/** `$ xl <command>` (with the line range when the output is longer than the pane), then the output from `scroll`. */
export function PaletteOutput({ output, scroll, height, columns }: PaletteOutputProps): React.JSX.Element {
  if (!output) {
    return (
      <Box flexDirection="column" height={height + 1}>
        <Line segments={[{ text: 'Type an xl command (e.g. list, info, vcpu-list, pause <domain>) and press Enter; Esc closes.' }]} columns={columns} />
      </Box>
    );
  }
  const all = paletteLines(output);
  const first = Math.min(scroll, Math.max(0, all.length - height));
  const shown = all.slice(first, first + height);
  const range = all.length > height ? `   (lines ${first + 1}-${first + shown.length} of ${all.length}, PgUp/PgDn)` : '';
  return (
    <Box flexDirection="column" height={height + 1}>
      <Line segments={[{ text: `$ xl ${output.command}`, bold: true }, { text: range }]} columns={columns} />
      {shown.map((l, i) => (
        <Line key={i} segments={[{ text: expandTabs(l) }]} columns={columns} />
      ))}
    </Box>
  );
}
