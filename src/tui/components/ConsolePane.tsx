/**
 * A guest's console log, as `xl console` would have shown it, in a scrollable pane with
 * a title line. Ctrl-] or Esc leaves (xl-commands.md §6). Pure view.
 */
import React from 'react';
import { Box } from 'ink';
import { Line } from './Line.js';
import { logLines } from '../state.js';
import { expandTabs } from './PaletteOutput.js';

/** Props: the domain, its log text, the first line shown (`follow` = the last page), size. */
export interface ConsolePaneProps {
  domid: number;
  name: string;
  text: string;
  offset: number | 'follow';
  /** Lines for the log (the title takes one more). */
  height: number;
  columns: number;
}

/** Title line then the visible part of the log. */
export function ConsolePane({ domid, name, text, offset, height, columns }: ConsolePaneProps): React.JSX.Element {
  const lines = logLines(text);
  const last = Math.max(0, lines.length - height);
  const first = offset === 'follow' ? last : Math.min(offset, last);
  const shown = lines.slice(first, first + height);
  const title = `Console of ${name} (domid ${domid}) — lines ${shown.length ? first + 1 : 0}-${first + shown.length} of ${lines.length}${offset === 'follow' ? ', following' : ''} — Ctrl-] or Esc to leave`;
  return (
    <Box flexDirection="column" height={height + 1}>
      <Line segments={[{ text: title, inverse: true }]} columns={columns} />
      {shown.map((l, i) => (
        <Line key={i} segments={[{ text: expandTabs(l.replace(/\r$/, '')) }]} columns={columns} />
      ))}
    </Box>
  );
}
