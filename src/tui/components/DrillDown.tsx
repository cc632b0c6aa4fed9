/**
 * The drill-down of one domain: a tab bar (1 overview, 2 devices, 3 hypercalls or VM
 * exits, 4 charts, 5 xenstore) and the active tab's lines (`drill.ts`), scrolled. Pure view.
 */
import React from 'react';
import { Box } from 'ink';
import { DRILL_TABS, type DrillState } from '../state.js';
import { drillLines, TAB_TITLES, wrapLine } from '../drill.js';
import type { HistoryStore } from '../history.js';
import { Line, Lines } from './Line.js';
import type { Segment } from './clip.js';
import { useTheme } from './ThemeContext.js';

/** Props: the drill-down state, names of the domains (for the other end of a device), history, and the pane's size. */
export interface DrillDownProps {
  drill: DrillState;
  names: ReadonlyMap<number, string>;
  history: HistoryStore;
  nrCpus: number;
  delaySec: number;
  height: number;
  columns: number;
}

/** Tab bar, then `height - 1` lines of the active tab. */
export function DrillDown({ drill, names, history, nrCpus, delaySec, height, columns }: DrillDownProps): React.JSX.Element {
  const theme = useTheme();
  const tabs: Segment[] = [{ text: `${drill.name} (domid ${drill.domid})${drill.gone ? ' — gone' : ''}  `, ...theme.title }];
  DRILL_TABS.forEach((t, i) => {
    tabs.push({ text: ` ${i + 1} ${TAB_TITLES[t]} `, ...(t === drill.tab ? { inverse: true, bold: true } : {}) });
    tabs.push({ text: ' ' });
  });
  const raw = drillLines(drill, drill.tab, { width: columns, nrCpus, names, history, delaySec, theme });
  // Long lines wrap (the xenstore tree keeps one node per line: its cursor counts lines).
  const lines = drill.tab === 'xenstore' ? raw : raw.flatMap((l) => wrapLine(l, columns));
  const h = Math.max(1, height - 1);
  const scroll = Math.min(drill.scroll, Math.max(0, lines.length - h));
  return (
    <Box flexDirection="column" height={height}>
      <Line segments={tabs} columns={columns} />
      <Lines lines={lines} scroll={scroll} height={h} columns={columns} />
    </Box>
  );
}
