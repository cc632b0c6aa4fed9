/**
 * The column header (reverse video, sort column bold — xentop.c `do_header`) and the
 * domain rows with their detail lines (`do_domain`, `do_vcpu`, `do_network`, `do_vbd`),
 * from the first scrolled-to domain down to the body height. NAME stays put while the
 * other columns scroll sideways by whole columns (Left/Right); with nothing scrolled the
 * bytes of every line are xentop's. The selected row is drawn in the theme's selection
 * style (cyan, or reverse video without colour). Only the rows on screen are built. Pure view.
 *
 * Speed (1,000 domains): each domain is one memoised `TableRow` keyed on its line's
 * text, so a key press redraws only the two rows whose selection changed and a refresh
 * only the rows whose figures changed. An unselected row is drawn as its runs of
 * non-blank characters, each placed at its column: Ink tokenises every character it is
 * given each frame (most of a frame's time), and a row is two-thirds blanks, which the
 * screen already holds. The bytes on the terminal are the same as for one `<Text>`.
 */
import React, { useMemo } from 'react';
import { Box, Text } from 'ink';
import { detailLines, type TopOptions, type TopRow } from '../xentop.js';
import { scrolledCells, tableHeaderCells, tableRowCells, type ColumnId, type ColumnWidths } from '../table.js';
import { Line } from './Line.js';
import type { Segment } from './clip.js';
import { clip } from './clip.js';
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

/** The last line text computed for a row object, with what it was computed from. */
interface RowText {
  widths: ColumnWidths;
  cols: ColumnId[];
  hcol: number;
  fullName: boolean;
  text: string;
}

// Rows are new objects after each refresh, sort or filter change; a key press reuses them.
const rowTexts = new WeakMap<TopRow, RowText>();

/** A row's line (NAME, a blank, the columns after the `hcol` scrolled away), computed once per row and layout. */
function rowText(r: TopRow, widths: ColumnWidths, cols: ColumnId[], hcol: number, fullName: boolean): string {
  const c = rowTexts.get(r);
  if (c && c.widths === widths && c.cols === cols && c.hcol === hcol && c.fullName === fullName) return c.text;
  const { fixed, rest } = scrolledCells(tableRowCells(r, widths, cols, fullName), hcol);
  const text = rest.length ? `${fixed} ${rest.join(' ')}` : fixed;
  rowTexts.set(r, { widths, cols, hcol, fullName, text });
  return text;
}

/** Props of one domain's lines: its line, whether it is selected, its detail lines, the screen width. */
interface TableRowProps {
  text: string;
  selected: boolean;
  /** The detail lines drawn under it (`-v -n -x`), joined by newlines; '' for none. */
  details: string;
  columns: number;
}

/** One run of a line: `text` drawn `gap` columns after the end of the run before it. */
const Run = React.memo(function Run({ gap, text }: { gap: number; text: string }): React.JSX.Element {
  return (
    <Box marginLeft={gap} flexShrink={0}>
      <Text>{text}</Text>
    </Box>
  );
});

/**
 * One line as its runs of non-blank characters at their columns. Runs one or two blanks
 * apart stay one run: a run costs Ink about as much as two characters. Each run is
 * memoised, so a refresh that changes a figure redraws that figure's run only.
 */
const Runs = React.memo(function Runs({ text }: { text: string }): React.JSX.Element {
  const runs: React.JSX.Element[] = [];
  let end = 0;
  for (const m of text.matchAll(/\S+(?: {1,2}\S+)*/g)) {
    runs.push(<Run key={m.index} gap={m.index - end} text={m[0]} />);
    end = m.index + m[0].length;
  }
  return <>{runs}</>;
});

/**
 * One domain: its row, then its detail lines. The selected row's line is drawn whole in
 * the selection style over its runs (Ink writes later nodes over earlier ones, and the
 * styled line covers every cell of the runs), so moving the selection mounts and
 * unmounts one node instead of a row of runs.
 */
const TableRow = React.memo(function TableRow({ text, selected, details, columns }: TableRowProps): React.JSX.Element {
  const theme = useTheme();
  const line = clip(text, columns);
  return (
    <>
      <Box height={1} flexShrink={0}>
        <Runs text={line} />
        {selected ? (
          <Box position="absolute">
            <Line segments={[{ text: line, ...theme.selected }]} columns={columns} />
          </Box>
        ) : null}
      </Box>
      {details === '' ? null : details.split('\n').map((l, j) => <Line key={j} segments={[{ text: l }]} columns={columns} />)}
    </>
  );
});

/** The header line and up to `height` lines of domains. */
export function DomainTable({ rows, widths, cols, opts, sortField, selected, scroll, height, columns, hcol = 0 }: DomainTableProps): React.JSX.Element {
  const header = useMemo(() => headerSegments(widths, cols, sortField, hcol), [widths, cols, sortField, hcol]);
  const lines: React.JSX.Element[] = [];
  let used = 0;
  const detail = opts.vcpus || opts.networks || opts.vbds;
  for (let i = scroll; i < rows.length && used < height; i++) {
    const r = rows[i]!;
    if (i > scroll && opts.repeatHeader) {
      lines.push(<Line key={`h${r.domid}`} segments={header} columns={columns} />);
      if (++used >= height) break;
    }
    const shown = detail ? detailLines(r.info, opts).slice(0, height - used - 1) : [];
    const text = rowText(r, widths, cols, hcol, opts.fullName);
    lines.push(<TableRow key={`r${r.domid}`} text={text} selected={r.domid === selected} details={shown.join('\n')} columns={columns} />);
    used += 1 + shown.length;
  }
  return (
    <Box flexDirection="column" height={height + 1}>
      <Line segments={header} columns={columns} />
      {lines}
    </Box>
  );
}
