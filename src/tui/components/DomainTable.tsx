/**
 * The column header (reverse video, sort column bold — xentop.c `do_header`) and the
 * domain rows with their detail lines (`do_domain`, `do_vcpu`, `do_network`, `do_vbd`),
 * from the first scrolled-to domain down to the body height. NAME stays put while the
 * other columns scroll sideways by whole columns (Left/Right); with nothing scrolled the
 * bytes of every line are xentop's. The selected row is drawn in the theme's selection
 * style (cyan, or reverse video without colour). Only the rows on screen are built. Pure view.
 */
import React from 'react';
import { Box } from 'ink';
import { detailLines, type TopOptions, type TopRow } from '../xentop.js';
import { scrolledCells, tableHeaderCells, tableRowCells, type ColumnId, type ColumnWidths } from '../table.js';
import { Line } from './Line.js';
import type { Segment } from './clip.js';
import { useTheme } from './ThemeContext.js';

/** Props: rows in display order, widths and shown columns, options, sort column, selection, scroll, size. */
export interface DomainTableProps {
  rows: TopRow[];
  widths: ColumnWidths;
  cols: ColumnId[];
  opts: TopOptions;
  sortField: ColumnId;
  selected?: number;
  scroll: number;
  /** Lines available for rows (after the header). */
  height: number;
  columns: number;
  /** Columns scrolled away after NAME (Left/Right). @default 0 */
  hcol?: number;
}

function headerSegments(widths: ColumnWidths, cols: ColumnId[], sortField: ColumnId, hcol: number): Segment[] {
  const cells = tableHeaderCells(widths, cols);
  const ids = [cols[0]!, ...cols.slice(1 + hcol)];
  const { fixed, rest } = scrolledCells(cells, hcol);
  const segs: Segment[] = [{ text: fixed, inverse: true, bold: ids[0] === sortField }];
  rest.forEach((c, i) => {
    segs.push({ text: ' ', inverse: true });
    segs.push({ text: c, inverse: true, bold: ids[i + 1] === sortField });
  });
  return segs;
}

/** The header line and up to `height` lines of domains. */
export function DomainTable({ rows, widths, cols, opts, sortField, selected, scroll, height, columns, hcol = 0 }: DomainTableProps): React.JSX.Element {
  const theme = useTheme();
  const header = headerSegments(widths, cols, sortField, hcol);
  const lines: React.JSX.Element[] = [];
  for (let i = scroll; i < rows.length && lines.length < height; i++) {
    const r = rows[i]!;
    if (i > scroll && opts.repeatHeader) lines.push(<Line key={`h${r.domid}`} segments={header} columns={columns} />);
    if (lines.length >= height) break;
    const { fixed, rest } = scrolledCells(tableRowCells(r, widths, cols, opts.fullName), hcol);
    const text = rest.length ? `${fixed} ${rest.join(' ')}` : fixed;
    const style = r.domid === selected ? theme.selected : {};
    lines.push(<Line key={`r${r.domid}`} segments={[{ text, ...style }]} columns={columns} />);
    if (opts.vcpus || opts.networks || opts.vbds) {
      detailLines(r.info, opts).forEach((l, j) => {
        if (lines.length < height) lines.push(<Line key={`d${r.domid}.${j}`} segments={[{ text: l }]} columns={columns} />);
      });
    }
  }
  return (
    <Box flexDirection="column" height={height + 1}>
      <Line segments={header} columns={columns} />
      {lines}
    </Box>
  );
}
