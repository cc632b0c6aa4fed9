/**
 * The line above the key bars: the open prompt (xentop's `Delay(sec): `, the shutdown or
 * destroy confirmation, the `:` palette input) or else the last message and the selected domain.
 * Pure view.
 */
import React from 'react';
import type { TopState } from '../state.js';
import { Line } from './Line.js';

/** Props: the dashboard state and the selected domain's name. */
export interface StatusLineProps {
  state: TopState;
  selectedName?: string;
}

/** One line of status. */
export function StatusLine({ state, selectedName }: StatusLineProps): React.JSX.Element {
  const cols = state.columns;
  switch (state.mode) {
    case 'delay':
      return <Line segments={[{ text: `Delay(sec): ${state.delayInput}` }]} columns={cols} />;
    case 'confirm':
      return (
        <Line
          segments={[
            {
              text: `${state.confirm?.action === 'shutdown' ? 'Shut down' : 'Destroy'} ${state.confirm?.name ?? ''} (domid ${state.confirm?.domid ?? ''})? [y/N] `,
              color: 'red',
              bold: true,
            },
          ]}
          columns={cols}
        />
      );
    case 'palette':
      return <Line segments={[{ text: `:${state.paletteInput}` }, { text: state.paletteRunning ? ' (running)' : '_' }]} columns={cols} />;
    default: {
      const sel = selectedName !== undefined ? `[${selectedName} (domid ${state.selected})] ` : '';
      return <Line segments={[{ text: sel, bold: true }, { text: state.message }]} columns={cols} />;
    }
  }
}
