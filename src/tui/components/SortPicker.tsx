/**
 * The sort column list (`F`), as htop's "Sort by" panel: every column with the letter
 * that picks it, the current one marked, the highlighted one in the selection style. Pure view.
 */
import React from 'react';
import { Box } from 'ink';
import { ALL_COLUMNS, type ColumnId } from '../table.js';
import { sortLetter } from '../state.js';
import { Line } from './Line.js';
import { useTheme } from './ThemeContext.js';

/** Props: the highlighted index, the current sort column and direction, height and width. */
export interface SortPickerProps {
  cursor: number;
  sortField: ColumnId;
  reverse: boolean;
  height: number;
  columns: number;
}

/** A title line, then the columns (scrolled to keep the highlighted one in view). */
export function SortPicker({ cursor, sortField, reverse, height, columns }: SortPickerProps): React.JSX.Element {
  const theme = useTheme();
  const rows = Math.max(1, height - 1);
  const first = Math.max(0, Math.min(cursor - Math.floor(rows / 2), ALL_COLUMNS.length - rows));
  const shown = ALL_COLUMNS.slice(first, first + rows);
  return (
    <Box flexDirection="column" height={height}>
      <Line segments={[{ text: `Sort by (now ${sortField}${reverse ? ', inverted' : ''}): press a letter, or Up/Down and Enter; I inverts`, ...theme.title }]} columns={columns} />
      {shown.map((c, k) => {
        const i = first + k;
        const style = i === cursor ? theme.selected : {};
        return <Line key={c} segments={[{ text: `  ${sortLetter(i)}  ${c === sortField ? '●' : ' '} ${c.padEnd(10)}`, ...style }]} columns={columns} />;
      })}
    </Box>
  );
}
