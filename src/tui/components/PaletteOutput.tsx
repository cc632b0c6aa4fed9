/**
 * The `:` palette's pane: the candidates of the last Tab completion, or the output of
 * the last command under a `$ xl <command>` title line. Pure view.
 */
import React from 'react';
import { Box } from 'ink';
import { paletteLines, type PaletteOutput as Output } from '../state.js';
import { expandTabs } from '../consoles.js';
import { Line, Lines } from './Line.js';
import { useTheme } from './ThemeContext.js';

/** Props: the output (absent before the first command), completions, first line shown, lines of output, screen width. */
export interface PaletteOutputProps {
  output?: Output;
  /** Candidates of the last Tab completion; shown instead of the output while not empty. */
  completions?: string[];
  scroll: number;
  /** Lines for the output (the title takes one more). */
  height: number;
  columns: number;
}

/** Candidates laid out in columns, as a shell lists them. */
export function completionLines(cands: readonly string[], columns: number): string[] {
  const w = Math.min(columns, Math.max(...cands.map((c) => c.length)) + 2);
  const per = Math.max(1, Math.floor(columns / w));
  const out: string[] = [];
  for (let i = 0; i < cands.length; i += per) out.push(cands.slice(i, i + per).map((c) => c.padEnd(w)).join('').trimEnd());
  return out;
}

/** `$ xl <command>` (with the line range when the output is longer than the pane), then the output from `scroll`. */
export function PaletteOutput({ output, completions = [], scroll, height, columns }: PaletteOutputProps): React.JSX.Element {
  const theme = useTheme();
  if (completions.length > 0) {
    const l = completionLines(completions, columns);
    return (
      <Box flexDirection="column" height={height + 1}>
        <Line segments={[{ text: `${completions.length} completions (Tab again after typing more):`, ...theme.title }]} columns={columns} />
        <Lines lines={l.map((x) => [{ text: x }])} height={height} columns={columns} />
      </Box>
    );
  }
  if (!output) {
    return (
      <Box flexDirection="column" height={height + 1}>
        <Line segments={[{ text: 'Type an xl command (e.g. list, info, vcpu-list, pause <domain>) and press Enter; Tab completes, Ctrl-U clears, Up recalls; Esc closes.' }]} columns={columns} />
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
