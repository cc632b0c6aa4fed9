/**
 * The dashboard's domain table as data: xentop's 19 columns (xentop.ts, byte for byte)
 * plus xlsim's TYPE and UUID columns after them, sorting by any column in either
 * direction, the `/` filter, and horizontal scrolling by whole columns with NAME fixed.
 *
 * Everything here is pure and computed once per sample or per change of sort / filter
 * (`buildView`), never per key press or per frame: at 1,000 domains a frame only slices
 * the rows it draws.
 */
import {
  computeRows,
  FIELDS,
  fieldKey,
  fieldWidths,
  rowCells,
  sortByKeys,
  headerCells,
  typeLabel,
  type FieldId,
  type TopRow,
  type TopSample,
} from './xentop.js';

/** xlsim's columns after xentop's: the domain type and its UUID. */
export type ExtraColumn = 'TYPE' | 'UUID';

/** Any column of the table: one of xentop's or one of xlsim's. */
export type ColumnId = FieldId | ExtraColumn;

/** xlsim's extra columns with their widths (TYPE fits `Domain-0`, UUID is 36 characters). */
export const EXTRA_COLUMNS: readonly { id: ExtraColumn; width: number }[] = [
  { id: 'TYPE', width: 8 },
  { id: 'UUID', width: 36 },
];

/** Which of xlsim's extra columns are shown. */
export interface ColumnSettings {
  /** TYPE (PV, PVH, HVM, Domain-0). @default true */
  type: boolean;
  /** UUID. @default false */
  uuid: boolean;
}

/** TYPE on, UUID off. */
export const DEFAULT_COLUMNS: ColumnSettings = { type: true, uuid: false };

/** The columns drawn, in order: xentop's 19, then TYPE and UUID when shown. */
export function shownColumns(c: ColumnSettings): ColumnId[] {
  const out: ColumnId[] = FIELDS.map((f) => f.id);
  if (c.type) out.push('TYPE');
  if (c.uuid) out.push('UUID');
  return out;
}

/** Every column the table knows, in order (the sort picker lists them). */
export const ALL_COLUMNS: readonly ColumnId[] = [...FIELDS.map((f) => f.id), ...EXTRA_COLUMNS.map((c) => c.id)];

/** Whether sorting by `c` needs every domain's device counters (not just the rows on screen). */
export function needsDevices(c: ColumnId): boolean {
  return c === 'NETS' || c.startsWith('NET') || c.startsWith('VBD');
}

/** The sort key of a row for any column (see `sortByKeys` for the direction of each kind). */
export function columnKey(r: TopRow, c: ColumnId): number | string {
  if (c === 'TYPE') return typeLabel(r.info);
  if (c === 'UUID') return r.info.uuid;
  return fieldKey(r, c);
}

/** Sort by any column; `reverse` flips xentop's direction (htop's `I`). */
export function sortTable(rows: readonly TopRow[], c: ColumnId, reverse = false, dom0First = false): TopRow[] {
  return sortByKeys(
    rows,
    rows.map((r) => columnKey(r, c)),
    reverse,
    dom0First,
  );
}

/* ---- the filter ---- */

/** One term of a parsed filter. */
export interface FilterTerm {
  /** `name:`, `state:`, `type:` or any (a bare word). */
  field: 'name' | 'state' | 'type' | 'any';
  text: string;
}

/**
 * Parse the `/` filter: words separated by blanks, every word must match. `name:web`,
 * `state:p` (letters of xentop's STATE column, all of them must be set), `type:hvm`
 * (`pv`, `pvh`, `hvm`, `dom0` or `domain-0`), or a bare word that matches a name
 * containing it, a type equal to it, or — a single state letter — a domain with that
 * letter set. Case-insensitive.
 */
export function parseFilter(text: string): FilterTerm[] {
  const out: FilterTerm[] = [];
  for (const w of text.trim().toLowerCase().split(/\s+/)) {
    if (w === '') continue;
    const m = /^(name|state|type|n|s|t):(.*)$/.exec(w);
    if (m) {
      const f = m[1]!;
      const field = f === 'n' || f === 'name' ? 'name' : f === 's' || f === 'state' ? 'state' : 'type';
      if (m[2] !== '') out.push({ field, text: m[2]! });
    } else out.push({ field: 'any', text: w });
  }
  return out;
}

function typeMatches(r: TopRow, t: string): boolean {
  const label = typeLabel(r.info).toLowerCase();
  return label === t || (t === 'dom0' && r.domid === 0);
}

function stateMatches(r: TopRow, letters: string): boolean {
  if (!/^[dsbcpr]+$/.test(letters)) return false;
  for (const c of letters) if (!r.state.includes(c)) return false;
  return true;
}

/** Whether `r` passes every term of `terms` (an empty filter passes everything). */
export function matchesFilter(r: TopRow, terms: readonly FilterTerm[]): boolean {
  for (const t of terms) {
    const name = r.name.toLowerCase();
    let ok: boolean;
    switch (t.field) {
      case 'name':
        ok = name.includes(t.text);
        break;
      case 'state':
        ok = stateMatches(r, t.text);
        break;
      case 'type':
        ok = typeMatches(r, t.text);
        break;
      default:
        ok = name.includes(t.text) || typeMatches(r, t.text) || (t.text.length === 1 && stateMatches(r, t.text));
    }
    if (!ok) return false;
  }
  return true;
}

/* ---- the view: rows, widths, index ---- */

/** Widths of every column: xentop's (grown as xentop grows them) and xlsim's. */
export type ColumnWidths = Record<ColumnId, number>;

/** What the table shows for one sample, sort and filter, computed once (`buildView`). */
export interface TableView {
  /** Rows that pass the filter, in display order. */
  rows: TopRow[];
  /** Domains in the sample (before the filter). */
  total: number;
  /** Column widths, computed over every domain so they do not jump as the filter changes. */
  widths: ColumnWidths;
  /** Position of each domid in `rows`. */
  index: Map<number, number>;
  /** Every row by domid (filtered out or not), for lookups such as the selected domain. */
  byId: Map<number, TopRow>;
}

/** An empty view (before the first sample). */
export const EMPTY_VIEW: TableView = {
  rows: [],
  total: 0,
  widths: widthsOf([], false),
  index: new Map(),
  byId: new Map(),
};

function widthsOf(rows: TopRow[], fullName: boolean): ColumnWidths {
  const w = fieldWidths(rows, fullName) as ColumnWidths;
  for (const c of EXTRA_COLUMNS) w[c.id] = c.width;
  return w;
}

/** How to build a view: sort column and direction, filter text, `-z` and `-f`. */
export interface ViewSpec {
  sort: ColumnId;
  reverse: boolean;
  filter: string;
  dom0First: boolean;
  fullName: boolean;
}

/**
 * Rows of `cur` (CPU(%) against `prev`) filtered and sorted per `spec`. `rows` may be
 * given when they are already computed for this sample (a sort or filter change).
 */
export function buildView(cur: TopSample | undefined, prev: TopSample | undefined, spec: ViewSpec, rows?: TopRow[]): TableView {
  if (!cur) return EMPTY_VIEW;
  const all = rows ?? computeRows(cur, prev);
  const terms = parseFilter(spec.filter);
  const kept = terms.length ? all.filter((r) => matchesFilter(r, terms)) : all;
  const sorted = sortTable(kept, spec.sort, spec.reverse, spec.dom0First);
  const index = new Map<number, number>();
  for (let i = 0; i < sorted.length; i++) index.set(sorted[i]!.domid, i);
  const byId = new Map<number, TopRow>();
  for (const r of all) byId.set(r.domid, r);
  return { rows: sorted, total: all.length, widths: widthsOf(all, spec.fullName), index, byId };
}

/* ---- cells and lines ---- */

function rj(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

/** The header cells of the shown columns (xentop's right-justified, xlsim's left-justified as text). */
export function tableHeaderCells(widths: ColumnWidths, cols: readonly ColumnId[]): string[] {
  const x = headerCells(widths);
  return cols.map((c, i) => (i < x.length && c === FIELDS[i]!.id ? x[i]! : c.padEnd(widths[c])));
}

/** The cells of one row for the shown columns (xentop's bytes first). */
export function tableRowCells(r: TopRow, widths: ColumnWidths, cols: readonly ColumnId[], fullName = false): string[] {
  const x = rowCells(r, widths, fullName);
  return cols.map((c, i) => {
    if (i < x.length && c === FIELDS[i]!.id) return x[i]!;
    if (c === 'TYPE') return typeLabel(r.info).padEnd(widths.TYPE);
    if (c === 'UUID') return r.info.uuid.padEnd(widths.UUID);
    return rj('', widths[c]);
  });
}

/**
 * A table line with NAME fixed and `hcol` columns after it scrolled away: the first cell,
 * a space, then cells `1 + hcol …` joined by one space. With `hcol` 0 it is xentop's line.
 * Returns the fixed part and the scrolled part separately so a view can style them.
 */
export function scrolledCells(cells: readonly string[], hcol: number): { fixed: string; rest: string[] } {
  return { fixed: cells[0] ?? '', rest: cells.slice(1 + Math.max(0, hcol)) };
}

/** The most columns Left/Right can scroll away: all but the last one after NAME. */
export function maxHcol(cols: readonly ColumnId[]): number {
  return Math.max(0, cols.length - 2);
}

/** The screen column just past column `id` of a line scrolled by `hcol` (NAME stays put), or 0 when `id` is scrolled away or not shown. */
export function columnRightEdge(widths: ColumnWidths, cols: readonly ColumnId[], hcol: number, id: ColumnId): number {
  if (cols[0] === id) return widths[id];
  let pos = widths[cols[0]!];
  for (let i = 1 + hcol; i < cols.length; i++) {
    pos += 1 + widths[cols[i]!];
    if (cols[i] === id) return pos;
  }
  return 0;
}

/** The column (by id) under screen column `x` of a line scrolled by `hcol`, or undefined (mouse clicks on the header). */
export function columnAt(x: number, widths: ColumnWidths, cols: readonly ColumnId[], hcol: number): ColumnId | undefined {
  if (cols.length === 0) return undefined;
  let pos = widths[cols[0]!];
  if (x < pos) return cols[0];
  pos += 1;
  for (let i = 1 + hcol; i < cols.length; i++) {
    const w = widths[cols[i]!];
    if (x >= pos - 1 && x < pos + w) return cols[i];
    pos += w + 1;
  }
  return undefined;
}
