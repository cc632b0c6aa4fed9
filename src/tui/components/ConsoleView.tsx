/**
 * The open consoles: a tab bar (`1:alpine-pv  2:debian-pv …`, the active one
 * highlighted), then the active console, or every console side by side when split.
 * Output is drawn as a terminal shows it, long lines wrapped, following the newest
 * output unless scrolled back; matches of a search are highlighted. Pure view.
 */
import React from 'react';
import { Box } from 'ink';
import { firstRow, wrapConsole, type ConsoleSession } from '../consoles.js';
import { Line } from './Line.js';
import type { Segment } from './clip.js';
import { useTheme } from './ThemeContext.js';
import type { Theme } from '../theme.js';

/** Props: the sessions, the active one, split or not, the search pattern, and the pane's size. */
export interface ConsoleViewProps {
  sessions: ConsoleSession[];
  active: number;
  split: boolean;
  search?: string;
  /** The row (of the active console's wrapped text) of the match the search stands on. */
  searchRow?: number;
  /** Rows of console text (the tab bar and the title take two more). */
  height: number;
  columns: number;
}

function highlight(row: string, pattern: string | undefined, theme: Theme, current = false): Segment[] {
  if (!pattern) return [{ text: row }];
  const out: Segment[] = [];
  const low = row.toLowerCase();
  const p = pattern.toLowerCase();
  let at = 0;
  for (let i = low.indexOf(p); i >= 0; i = low.indexOf(p, i + p.length)) {
    if (i > at) out.push({ text: row.slice(at, i) });
    // The match the search stands on is bold (and green where there is colour).
    out.push({ text: row.slice(i, i + p.length), inverse: true, ...(current ? { bold: true } : {}), ...(theme.color ? { color: current ? 'green' : 'yellow' } : {}) });
    at = i + p.length;
  }
  if (at < row.length) out.push({ text: row.slice(at) });
  return out;
}

/** The rows of one console pane: title, then text. */
function paneRows(s: ConsoleSession, width: number, height: number, isActive: boolean, search: string | undefined, theme: Theme, searchRow?: number): Segment[][] {
  const rows = wrapConsole(s.text, width);
  const first = firstRow(s.scroll, rows.length, height);
  const shown = rows.slice(first, first + height);
  const where = s.scroll === 'follow' ? 'following' : `rows ${first + 1}-${first + shown.length} of ${rows.length}`;
  const title = `${s.name} (domid ${s.domid})${s.gone ? ' — gone' : ''} — ${where}`;
  const out: Segment[][] = [[{ text: title.padEnd(width), ...(isActive ? { inverse: true } : theme.dim) }]];
  shown.forEach((r, i) => out.push(highlight(r, search, theme, isActive && first + i === searchRow)));
  while (out.length < height + 1) out.push([]);
  return out;
}

function width(segs: Segment[]): number {
  return segs.reduce((a, s) => a + s.text.length, 0);
}

/** Tab bar, then one console or all of them side by side. */
export function ConsoleView({ sessions, active, split, search, searchRow, height, columns }: ConsoleViewProps): React.JSX.Element {
  const theme = useTheme();
  const tabs: Segment[] = [{ text: 'Consoles: ' }];
  sessions.forEach((s, i) => {
    tabs.push({ text: ` ${i + 1}:${s.name} `, ...(i === active ? theme.selected : {}), ...(i === active && !theme.color ? { inverse: true } : {}) });
    tabs.push({ text: ' ' });
  });
  tabs.push({ text: '  Ctrl-] leaves · Tab switches · Alt-s splits · PgUp scrolls back · Ctrl-F searches', ...theme.dim });
  const shown = split && sessions.length > 1 ? sessions : sessions.slice(active, active + 1);
  const n = Math.max(1, shown.length);
  const w = n === 1 ? columns : Math.max(10, Math.floor((columns - (n - 1)) / n));
  const panes = shown.map((s) => paneRows(s, w, height, sessions.indexOf(s) === active, search, theme, searchRow));
  const lines: Segment[][] = [];
  for (let y = 0; y < height + 1; y++) {
    const line: Segment[] = [];
    panes.forEach((p, k) => {
      const segs = p[y] ?? [];
      line.push(...segs, { text: ' '.repeat(Math.max(0, w - width(segs))) });
      if (k < panes.length - 1) line.push({ text: '│', ...theme.dim });
    });
    lines.push(line);
  }
  return (
    <Box flexDirection="column" height={height + 2}>
      <Line segments={tabs} columns={columns} />
      {lines.map((l, i) => (
        <Line key={i} segments={l} columns={columns} />
      ))}
    </Box>
  );
}
