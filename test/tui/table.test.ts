import { describe, expect, it } from 'vitest';
import { buildView, columnAt, matchesFilter, maxHcol, parseFilter, scrolledCells, shownColumns, sortTable, tableHeaderCells, tableRowCells } from '../../src/tui/table.js';
import { computeRows, formatHeader, formatRow, fieldWidths } from '../../src/tui/xentop.js';
import type { TopSample } from '../../src/tui/xentop.js';
import { BLOCKED, dom, dom0, HOST, RUNNING, ShutdownReason } from './fixtures.js';

const sample = (): TopSample => ({
  nowMs: 0,
  host: HOST,
  domains: [
    dom0(),
    dom({ domid: 3, name: 'web', type: 'pvh', cpuTimeNs: 57e9, state: { ...BLOCKED } }),
    dom({ domid: 4, name: 'db', type: 'hvm', memKiB: 2097152, state: { ...RUNNING, running: false, paused: true } }),
    dom({ domid: 5, name: 'Backup', type: 'pv', state: { ...BLOCKED, blocked: false, shutdown: true, shutdownReason: ShutdownReason.Poweroff } }),
  ],
});
const names = (rows: { name: string }[]) => rows.map((r) => r.name);

describe('sorting by any column', () => {
  const rows = computeRows(sample());
  it('NAME ascending case-insensitive, reversed by I', () => {
    expect(names(sortTable(rows, 'NAME'))).toEqual(['Backup', 'db', 'Domain-0', 'web']);
    expect(names(sortTable(rows, 'NAME', true))).toEqual(['web', 'Domain-0', 'db', 'Backup']);
  });
  it('numeric columns descending (xentop), ascending when reversed', () => {
    expect(names(sortTable(rows, 'MEM(k)')).slice(0, 2)).toEqual(['Domain-0', 'db']);
    expect(names(sortTable(rows, 'CPU(sec)'))[0]).toBe('Domain-0');
    expect(names(sortTable(rows, 'CPU(sec)', true))[0]).not.toBe('Domain-0');
  });
  it("STATE in xentop's letter order: shut down, blocked, paused, running", () => {
    expect(names(sortTable(rows, 'STATE'))).toEqual(['Backup', 'web', 'db', 'Domain-0']);
  });
  it('TYPE and UUID sort as text; Domain-0 has its own type', () => {
    expect(sortTable(rows, 'TYPE').map((r) => r.domid)).toEqual([0, 4, 5, 3]);
  });
  it('-z keeps Domain-0 first whatever the order', () => {
    expect(names(sortTable(rows, 'NAME', true, true))[0]).toBe('Domain-0');
  });
});

describe('the / filter', () => {
  const rows = computeRows(sample());
  const pick = (f: string) => names(rows.filter((r) => matchesFilter(r, parseFilter(f))));
  it('a bare word matches names, types and single state letters', () => {
    expect(pick('we')).toEqual(['web']);
    expect(pick('HVM')).toEqual(['db']);
    expect(pick('p')).toEqual(['db', 'Backup']); // db is paused, Backup has a p in its name
    expect(pick('r')).toEqual(['Domain-0']); // running (no name has an r)
    expect(pick('dom0')).toEqual(['Domain-0']);
  });
  it('prefixes say which field; every word must match', () => {
    expect(pick('state:b')).toEqual(['web']);
    expect(pick('s:s')).toEqual(['Backup']);
    expect(pick('type:pv')).toEqual(['Backup']);
    expect(pick('t:pvh name:w')).toEqual(['web']);
    expect(pick('name:zzz')).toEqual([]);
    expect(pick('')).toHaveLength(4);
  });
  it('buildView keeps the widths of every domain and counts all of them', () => {
    const v = buildView(sample(), undefined, { sort: 'NAME', reverse: false, filter: 'web', dom0First: false, fullName: false });
    expect(names(v.rows)).toEqual(['web']);
    expect(v.total).toBe(4);
    expect(v.byId.size).toBe(4);
    expect(v.index.get(3)).toBe(0);
  });
});

describe('cells, NAME fixed, extra columns', () => {
  const s = sample();
  const rows = computeRows(s);
  const widths = buildView(s, undefined, { sort: 'NAME', reverse: false, filter: '', dom0First: false, fullName: false }).widths;
  const cols = shownColumns({ type: true, uuid: true });
  it("xentop's bytes first, then TYPE and UUID", () => {
    const xw = fieldWidths(rows);
    expect(tableHeaderCells(widths, cols).slice(0, 19).join(' ')).toBe(formatHeader(xw));
    const web = rows.find((r) => r.name === 'web')!;
    const cells = tableRowCells(web, widths, cols);
    expect(cells.slice(0, 19).join(' ')).toBe(formatRow(web, xw));
    expect(cells[19]).toBe('PVH     ');
    expect(cells[20]).toBe(web.info.uuid.padEnd(36));
  });
  it('scrolling keeps the first cell and drops whole columns after it', () => {
    const cells = ['      NAME', ' STATE', '  CPU(sec)'];
    expect(scrolledCells(cells, 0)).toEqual({ fixed: '      NAME', rest: [' STATE', '  CPU(sec)'] });
    expect(scrolledCells(cells, 1)).toEqual({ fixed: '      NAME', rest: ['  CPU(sec)'] });
    expect(maxHcol(cols)).toBe(cols.length - 2);
  });
  it('finds the column under a screen x (header clicks), scrolled or not', () => {
    expect(columnAt(0, widths, cols, 0)).toBe('NAME');
    expect(columnAt(12, widths, cols, 0)).toBe('STATE');
    expect(columnAt(20, widths, cols, 0)).toBe('CPU(sec)');
    expect(columnAt(12, widths, cols, 1)).toBe('CPU(sec)');
    expect(columnAt(10_000, widths, cols, 0)).toBeUndefined();
  });
});
