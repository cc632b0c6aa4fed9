/**
 * The column header (reverse video, sort column bold — xentop.c `do_header`) and the
 * domain rows with their detail lines (`do_domain`, `do_vcpu`, `do_network`, `do_vbd`),
 * from the first scrolled-to domain down to the body height. NAME stays put while the
 * other columns scroll sideways by whole columns (Left/Right); with nothing scrolled the
 * bytes of every line are xentop's. The selected row is drawn in the theme's selection
 * style (cyan, or reverse video without colour). Only the rows on screen are built. Pure view.
 *
 * Each domain is one memoised `TableRow`: a key press that moves the selection redraws the
 * two rows whose selection changed and reuses the others (rows are new objects only after
 * a refresh, a sort or a filter change).
 */
import React, { useMemo } from 'react';
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

/** Whether any detail line (`-v`, `-n`, `-x`) is shown under the rows. */
function hasDetail(opts: TopOptions): boolean {
  return opts.vcpus || opts.networks || opts.vbds;
}

/** Props of one domain's lines: the row, how it is laid out, whether it is selected, and the lines it may take. */
interface TableRowProps {
  row: TopRow;
  widths: ColumnWidths;
  cols: ColumnId[];
  opts: TopOptions;
  hcol: number;
  selected: boolean;
  columns: number;
  /** How many of its detail lines fit above the status line (the rest are not drawn). */
  details: number;
}

/** One domain: its row, then its first `details` detail lines. */
const TableRow = React.memo(function TableRow({ row, widths, cols, opts, hcol, selected, columns, details }: TableRowProps): React.JSX.Element {
  const theme = useTheme();
  const { fixed, rest } = scrolledCells(tableRowCells(row, widths, cols, opts.fullName), hcol);
  const text = rest.length ? `${fixed} ${rest.join(' ')}` : fixed;
  const shown = details > 0 ? detailLines(row.info, opts).slice(0, details) : [];
  return (
    <>
      <Line segments={[{ text, ...(selected ? theme.selected : {}) }]} columns={columns} />
      {shown.map((l, j) => (
        <Line key={j} segments={[{ text: l }]} columns={columns} />
      ))}
    </>
  );
});

/** The header line and up to `height` lines of domains. */
export function DomainTable({ rows, widths, cols, opts, sortField, selected, scroll, height, columns, hcol = 0 }: DomainTableProps): React.JSX.Element {
  const header = useMemo(() => headerSegments(widths, cols, sortField, hcol), [widths, cols, sortField, hcol]);
  const lines: React.JSX.Element[] = [];
  let used = 0;
  const detail = hasDetail(opts);
  for (let i = scroll; i < rows.length && used < height; i++) {
    const r = rows[i]!;
    if (i > scroll && opts.repeatHeader) {
      lines.push(<Line key={`h${r.domid}`} segments={header} columns={columns} />);
      if (++used >= height) break;
    }
    const details = detail ? Math.min(height - used - 1, detailLines(r.info, opts).length) : 0;
    lines.push(<TableRow key={`r${r.domid}`} row={r} widths={widths} cols={cols} opts={opts} hcol={hcol} selected={r.domid === selected} columns={columns} details={details} />);
    used += 1 + details;
  }
  return (
    <Box flexDirection="column" height={height + 1}>
      <Line segments={header} columns={columns} />
      {lines}
    </Box>
  );
}
