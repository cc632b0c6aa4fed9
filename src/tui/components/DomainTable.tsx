/**
 * The column header (reverse video, sort column bold — xentop.c `do_header`) and the
 * domain rows with their detail lines (`do_domain`, `do_vcpu`, `do_network`, `do_vbd`),
 * from the first scrolled-to domain down to the body height. The selected row is drawn
 * in cyan; the bytes of every row are xentop's. Pure view.
 */
import React from 'react';
import { Box } from 'ink';
import { detailLines, fieldWidths, FIELDS, headerCells, rowCells, type FieldId, type TopOptions, type TopRow } from '../xentop.js';
import { Line } from './Line.js';
import type { Segment } from './clip.js';

/** Props: rows in display order, options, sort column, selection, scroll, size. */
export interface DomainTableProps {
  rows: TopRow[];
  opts: TopOptions;
  sortField: FieldId;
  selected?: number;
  scroll: number;
  /** Lines available for rows (after the header). */
  height: number;
  columns: number;
  /** Columns scrolled off the left edge (Left/Right). @default 0 */
  hscroll?: number;
}

function headerSegments(widths: Record<FieldId, number>, sortField: FieldId): Segment[] {
  const cells = headerCells(widths);
  const segs: Segment[] = [];
  cells.forEach((c, i) => {
    if (i > 0) segs.push({ text: ' ', inverse: true });
    segs.push({ text: c, inverse: true, bold: FIELDS[i]!.id === sortField });
  });
  return segs;
}

/** The header line and up to `height` lines of domains. */
export function DomainTable({ rows, opts, sortField, selected, scroll, height, columns, hscroll = 0 }: DomainTableProps): React.JSX.Element {
  const widths = fieldWidths(rows, opts.fullName);
  const header = headerSegments(widths, sortField);
  const lines: React.JSX.Element[] = [];
  for (let i = scroll; i < rows.length && lines.length < height; i++) {
    const r = rows[i]!;
    if (i > scroll && opts.repeatHeader) lines.push(<Line key={`h${r.domid}`} segments={header} columns={columns} offset={hscroll} />);
    if (lines.length >= height) break;
    const text = rowCells(r, widths, opts.fullName).join(' ');
    lines.push(<Line key={`r${r.domid}`} segments={[{ text, color: r.domid === selected ? 'cyan' : undefined, bold: r.domid === selected }]} columns={columns} offset={hscroll} />);
    detailLines(r.info, opts).forEach((l, j) => {
      if (lines.length < height) lines.push(<Line key={`d${r.domid}.${j}`} segments={[{ text: l }]} columns={columns} offset={hscroll} />);
    });
  }
  return (
    <Box flexDirection="column" height={height + 1}>
      <Line segments={header} columns={columns} offset={hscroll} />
      {lines}
    </Box>
  );
}
