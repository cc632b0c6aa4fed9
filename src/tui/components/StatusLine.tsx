/**
 * The line above the key bars: the open prompt (xentop's `Delay(sec): `, the shutdown or
 * destroy confirmation, the `/` filter, the `:` palette input, the console search) or
 * else the running actions with their elapsed time (Esc cancels), the last message, the
 * selected domain, and the sort and filter in force. Pure view.
 */
import React from 'react';
import type { TopState } from '../state.js';
import { Line } from './Line.js';
import { useTheme } from './ThemeContext.js';
import type { Segment } from './clip.js';

/** Props: the dashboard state, the selected domain's name, and the wall clock (ms) for elapsed times. */
export interface StatusLineProps {
  state: TopState;
  selectedName?: string;
  now: number;
}

/** One line of status. */
export function StatusLine({ state, selectedName, now }: StatusLineProps): React.JSX.Element {
  const theme = useTheme();
  const cols = state.columns;
  switch (state.mode) {
    case 'delay':
      return <Line segments={[{ text: `Delay(sec): ${state.delayInput}` }]} columns={cols} />;
    case 'confirm': {
      const c = state.confirm;
      const q = `${c?.action === 'shutdown' ? 'Shut down' : 'Destroy'} ${c?.name ?? ''} (domid ${c?.domid ?? ''})? `;
      return <Line segments={[{ text: `${q}[y/N] `, ...theme.bad }, ...(c?.note ? [{ text: `(${c.note})`, ...theme.warn }] : [])]} columns={cols} />;
    }
    case 'filter':
      return <Line segments={[{ text: `/${state.filter}` }, { text: '_' }, { text: `   ${state.view.rows.length} of ${state.view.total} domains`, ...theme.dim }]} columns={cols} />;
    case 'palette':
      return <Line segments={[{ text: `:${state.paletteInput}` }, { text: state.paletteRunning ? ' (running)' : '_' }]} columns={cols} />;
    case 'search':
      return <Line segments={[{ text: `search: ${state.search?.input ?? ''}` }, { text: '_' }, { text: state.message ? `   ${state.message}` : '', ...theme.warn }]} columns={cols} />;
    default: {
      const segs: Segment[] = [];
      const task = state.tasks[state.tasks.length - 1];
      if (task) {
        const secs = Math.max(0, Math.floor((now - task.startedAt) / 1000));
        const more = state.tasks.length > 1 ? ` (+${state.tasks.length - 1} more)` : '';
        segs.push({ text: `⟳ ${secs}s · Esc cancels · ${task.label}…${more} `, ...theme.warn });
      } else if (selectedName !== undefined && state.mode === 'dashboard') {
        segs.push({ text: `[${selectedName} (domid ${state.selected})] `, bold: true });
      }
      if (state.message) segs.push({ text: state.message });
      if (state.mode === 'dashboard') {
        const tail: string[] = [];
        if (state.sortField !== 'NAME' || state.reverse) tail.push(`sort ${state.sortField}${state.reverse ? ' (inverted)' : ''}`);
        if (state.filter) tail.push(`filter "${state.filter}": ${state.view.rows.length} of ${state.view.total}`);
        if (tail.length) segs.push({ text: `  ${tail.join(' · ')}`, ...theme.dim });
      }
      return <Line segments={segs} columns={cols} />;
    }
  }
}
