/** The architecture view: the diagram of `arch.ts` for the latest read, or a line saying it is being read. Pure view. */
import React from 'react';
import { Box } from 'ink';
import { archLines } from '../arch.js';
import type { ArchState } from '../state.js';
import { Line, Lines } from './Line.js';
import { useTheme } from './ThemeContext.js';

/** Props: the view's state and the pane's size. */
export interface ArchViewProps {
  arch: ArchState;
  height: number;
  columns: number;
}

/** The diagram, `height` lines. */
export function ArchView({ arch, height, columns }: ArchViewProps): React.JSX.Element {
  const theme = useTheme();
  if (!arch.data) {
    return (
      <Box flexDirection="column" height={height}>
        <Line segments={[{ text: 'Reading the host…', ...theme.dim }]} columns={columns} />
      </Box>
    );
  }
  const out = archLines({ data: arch.data, prev: arch.prev, width: columns, height, selected: arch.selected, first: arch.first, tick: arch.tick, migration: arch.migration, recent: arch.recent, theme });
  return (
    <Box flexDirection="column" height={height}>
      <Lines lines={out.lines} height={height} columns={columns} />
    </Box>
  );
}
