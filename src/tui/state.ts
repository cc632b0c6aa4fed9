/**
 * The dashboard's state machine: a pure reducer over `TopState` (style-anchors B2:
 * reducer → input hook → pure view). Nothing here does I/O; the controller hook
 * (`hooks/use-top.ts`) runs commands, reads the host and feeds the results back as events.
 *
 * Screen arithmetic follows xentop.c `top()`: summary (3 lines), column header, domain
 * rows with their detail lines, stopping before the status lines at the bottom
 * (xl-commands.md §4.2, §4.4). The table's rows are computed once per sample, sort or
 * filter change (`table.ts` `buildView`); a key press only moves indices.
 *
 * The selection is a domain, never a row index: it follows the domid through re-sorts
 * and refreshes, and the name across a reboot (which gives the domain a new domid).
 */
import { helpLines, type KeyAction, type Scope } from './keymap.js';
import {
  ALL_COLUMNS,
  buildView,
  columnAt,
  DEFAULT_COLUMNS,
  EMPTY_VIEW,
  maxHcol,
  columnRightEdge,
  shownColumns,
  type ColumnId,
  type ColumnSettings,
  type TableView,
} from './table.js';
import { DEFAULT_TOP_OPTIONS, detailLines, domainsById, nextSortField, type FieldId, type TopOptions, type TopRow } from './xentop.js';
import type { ArchData, ConsoleChunk, DrillData, FeedEvent, HostSample, MigrationProgress } from './source.js';
import { layoutGuests } from './arch.js';
import { xenbusStateName } from '../machine/host.js';
import { feedConsole, findMatch, firstRow, matchRank, newSession, scrollBy, wrapConsole, type ConsoleSession } from './consoles.js';

/** Which pane has the keyboard (the keymap's scopes). */
export type Mode = Scope;

/** The tabs of the drill-down, in order (keys 1–5). */
export const DRILL_TABS = ['overview', 'devices', 'calls', 'charts', 'xenstore'] as const;

/** One tab of the drill-down. */
export type DrillTab = (typeof DRILL_TABS)[number];

/** The output of the last palette command. */
export interface PaletteOutput {
  /** The command as run, words joined by one space, e.g. `list -l`. */
  command: string;
  /** stdout then stderr as the command wrote them. */
  text: string;
  /** Exit status of the xl command. */
  code: number;
}

/** An action running in the background; its progress is on the status line. */
export interface Task {
  id: number;
  /** What the status line says while it runs, e.g. `Shutting down web (domid 3)`. */
  label: string;
  /** The xl command it runs. */
  argv: string[];
  domid?: number;
  /** Wall-clock ms when it started (the status line shows the seconds since). */
  startedAt: number;
  /** A shutdown or reboot: cancelling it takes the request back. */
  withdrawOnCancel: boolean;
}

/** The drill-down of one domain. */
export interface DrillState {
  domid: number;
  name: string;
  /** The view Esc goes back to: the one the drill-down was opened from (a console trip in between does not change it). */
  from: 'arch' | 'dashboard';
  tab: DrillTab;
  /** First line shown of the tab's text. */
  scroll: number;
  /** The latest and the previous read (rates need both). */
  data?: DrillData;
  prev?: DrillData;
  /** The domain compared with on the calls tab (`[` `]`), and its last two reads. */
  compare?: number;
  compareData?: DrillData;
  comparePrev?: DrillData;
  /** xenstore tab: paths of the open nodes, and the highlighted node's index among the visible ones. */
  xsOpen: string[];
  xsCursor: number;
  /** The domain went away (its last read stays shown). */
  gone: boolean;
}

/** One migration the architecture view follows (from `migration` events). */
export interface MigrationView {
  domid: number;
  name: string;
  from: string;
  to: string;
  phase: MigrationProgress['phase'];
  rounds: { round: number; sentPages: number; dirtyPages: number }[];
  at: number;
}

/** The architecture view. */
export interface ArchState {
  /** The highlighted guest (domid). */
  selected?: number;
  /** Index (among the guests) of the first guest drawn. */
  first: number;
  data?: ArchData;
  prev?: ArchData;
  /** Animation frame counter (traffic moving along the rings). */
  tick: number;
  /** Recent device handshake changes, newest last: `domid/devid` → when. */
  recent: { key: string; at: number; text: string }[];
  migration?: MigrationView;
}

/** Everything the dashboard shows. */
export interface TopState {
  mode: Mode;
  opts: TopOptions;
  /** Sort column (any of xentop's or xlsim's) and direction (`I` inverts, as in htop). */
  sortField: ColumnId;
  reverse: boolean;
  /** The `/` filter (live while typing). */
  filter: string;
  /** xlsim's extra columns shown. */
  cols: ColumnSettings;
  /** Columns scrolled away to the left of NAME's right (Left/Right). */
  hcol: number;
  /** Refresh delay, seconds (xentop `-d`, default 3). */
  delaySec: number;
  /** Text typed at the `Delay(sec): ` prompt. */
  delayInput: string;
  /** Latest and previous samples (CPU(%) needs both). */
  cur?: HostSample;
  prev?: HostSample;
  /** The table as drawn: filtered, sorted rows and widths. */
  view: TableView;
  /** Selected domain, by domid. */
  selected?: number;
  /** Name of a selected domain that went away (a reboot): selected again when it comes back. */
  follow?: { name: string; samples: number };
  /** Index (in the view) of the first domain drawn. */
  scroll: number;
  /** Terminal size, columns × rows. */
  columns: number;
  rows: number;
  /** Sort picker: highlighted column index in `ALL_COLUMNS`. */
  sortCursor: number;
  /** Open consoles, the active one, side by side or one at a time, and a search in progress. */
  consoles: ConsoleSession[];
  activeConsole: number;
  split: boolean;
  search?: { input: string; row?: number };
  /** Where Ctrl-] / Esc from a console, drill-down or architecture view goes back to. */
  returnTo: Mode;
  /** Palette input line and the output of its last command. */
  paletteInput: string;
  paletteOutput?: PaletteOutput;
  paletteRunning: boolean;
  /** Candidates of the last Tab completion (shown under the input until the line changes). */
  completions: string[];
  /** First output line shown (PgUp/PgDn/Home/End). */
  paletteScroll: number;
  /** Commands run from the palette, oldest first (Up/Down recall them). */
  paletteHistory: string[];
  /** Position in `paletteHistory` while recalling; undefined = a fresh line. */
  historyIndex?: number;
  /** Domain awaiting a y/N confirmation of `xl shutdown` (key `h`) or `xl destroy` (key `x`). */
  confirm?: { domid: number; name: string; action: ConfirmAction; note?: string };
  /** Actions running in the background, oldest first. */
  tasks: Task[];
  nextTaskId: number;
  drill?: DrillState;
  arch: ArchState;
  /** One-line status message (results of actions, errors). */
  message: string;
  helpScroll: number;
}

/** The actions that ask y/N before they run: `xl shutdown` and `xl destroy`. */
export type ConfirmAction = 'shutdown' | 'destroy';

/** A mouse event in screen cells (0-based), already parsed from the terminal's report. */
export interface MouseEvent {
  x: number;
  y: number;
  kind: 'press' | 'wheelUp' | 'wheelDown';
}

/** Messages the reducer understands. */
export type TopEvent =
  | { type: 'sample'; sample: HostSample }
  | { type: 'key'; action: KeyAction; input?: string }
  | { type: 'type'; text: string }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'message'; text: string }
  | { type: 'confirm'; domid: number; name: string; action: ConfirmAction; note?: string }
  | { type: 'openConsole'; domid: number; name: string }
  | { type: 'consoleChunk'; domid: number; chunk: ConsoleChunk }
  | { type: 'paletteRun' }
  | { type: 'paletteDone'; output: PaletteOutput }
  | { type: 'complete'; line: string; candidates: string[] }
  | { type: 'taskStart'; task: Omit<Task, 'id'> }
  | { type: 'taskEnd'; id: number; message: string }
  | { type: 'openDrill'; domid: number; name: string }
  | { type: 'drillData'; domid: number; data?: DrillData; compare?: DrillData }
  | { type: 'archData'; data: ArchData }
  | { type: 'tick' }
  | { type: 'feed'; events: FeedEvent[] }
  | { type: 'mouse'; event: MouseEvent };

/** Settings a dashboard starts with (from the command line and the saved UI settings). */
export interface InitialSettings {
  delaySec?: number;
  opts?: TopOptions;
  sortField?: ColumnId;
  reverse?: boolean;
  cols?: ColumnSettings;
}

/** Initial state for a terminal of `columns` × `rows` and a refresh delay in seconds. */
export function initialState(columns: number, rows: number, delaySec = 3, opts: TopOptions = DEFAULT_TOP_OPTIONS, settings: InitialSettings = {}): TopState {
  return {
    mode: 'dashboard',
    opts: settings.opts ?? opts,
    sortField: settings.sortField ?? 'NAME',
    reverse: settings.reverse ?? false,
    filter: '',
    cols: settings.cols ?? DEFAULT_COLUMNS,
    hcol: 0,
    delaySec: settings.delaySec ?? delaySec,
    delayInput: '',
    view: EMPTY_VIEW,
    scroll: 0,
    columns,
    rows,
    sortCursor: 0,
    consoles: [],
    activeConsole: 0,
    split: false,
    returnTo: 'dashboard',
    paletteInput: '',
    paletteRunning: false,
    completions: [],
    paletteScroll: 0,
    paletteHistory: [],
    tasks: [],
    nextTaskId: 1,
    arch: { first: 0, tick: 0, recent: [] },
    message: '',
    helpScroll: 0,
  };
}

/** Lines above the domain rows: 3 summary lines and the column header. */
export const TOP_LINES = 4;
/** Lines below the domain rows: the status line and the two key bars. */
export const BOTTOM_LINES = 3;

/**
 * Height of the area between the column header and the status line. The whole app is
 * `rows - 1` high so Ink 6.8 never clears the screen on each frame (stack-notes.md §C3.5).
 */
export function bodyHeight(s: Pick<TopState, 'rows'>): number {
  return Math.max(1, s.rows - 1 - TOP_LINES - BOTTOM_LINES);
}

/**
 * Height of a full pane below the summary (drill-down, architecture, console, help,
 * palette): the body plus the column header's line and xentop's key line, which only the
 * table shows.
 */
export function paneHeight(s: Pick<TopState, 'rows'>): number {
  return bodyHeight(s) + 2;
}

/** The selected domain's row, if any. */
export function selectedRow(s: TopState): TopRow | undefined {
  // Not a domain the filter hides: with no row shown, the selection is kept for when the
  // filter changes, but no action is aimed at it.
  return s.selected === undefined || !s.view.index.has(s.selected) ? undefined : s.view.byId.get(s.selected);
}

/** The columns the table draws. */
export function tableColumns(s: TopState): ColumnId[] {
  return shownColumns(s.cols);
}

function rebuild(s: TopState): TopState {
  const view = buildView(s.cur, s.prev, { sort: s.sortField, reverse: s.reverse, filter: s.filter, dom0First: s.opts.dom0First, fullName: s.opts.fullName });
  return normalise({ ...s, view });
}

/** Screen lines one domain takes: its row, detail lines, and a repeated header if asked. */
export function linesFor(r: TopRow, s: TopState, first: boolean): number {
  const o = s.opts;
  const detail = o.vcpus || o.networks || o.vbds ? detailLines(r.info, o).length : 0;
  return 1 + detail + (o.repeatHeader && !first ? 1 : 0);
}

/** How many domains from index `scroll` fit in the body. At least one. */
export function visibleCount(rows: TopRow[], s: TopState, scroll: number): number {
  const h = bodyHeight(s);
  let used = 0;
  let n = 0;
  for (let i = scroll; i < rows.length; i++) {
    used += linesFor(rows[i]!, s, i === scroll);
    if (used > h && n > 0) break;
    n++;
  }
  return n;
}

/** Domids of the rows on screen (what a refresh must read devices and vCPUs for). */
export function visibleDomids(s: TopState): number[] {
  const rows = s.view.rows;
  const n = visibleCount(rows, s, s.scroll);
  return rows.slice(s.scroll, s.scroll + n).map((r) => r.domid);
}

/**
 * The largest useful scroll: the first row of the last screenful, so that paging or
 * scrolling down never leaves the body part-empty while rows above are hidden.
 */
export function lastPageStart(rows: TopRow[], s: TopState): number {
  const h = bodyHeight(s);
  // Lines of the rows after i, none of them first on screen.
  let after = 0;
  for (let i = rows.length - 1; i >= 0; i--) {
    if (after + linesFor(rows[i]!, s, true) > h) return Math.min(i + 1, rows.length - 1);
    after += linesFor(rows[i]!, s, false);
  }
  return 0;
}

/** Keep the selection on an existing domain and on screen. */
function normalise(s: TopState): TopState {
  const rows = s.view.rows;
  if (rows.length === 0) return { ...s, scroll: 0 };
  let idx = s.selected === undefined ? -1 : (s.view.index.get(s.selected) ?? -1);
  if (idx < 0) idx = 0;
  let scroll = Math.min(s.scroll, lastPageStart(rows, s));
  if (idx < scroll) scroll = idx;
  while (idx >= scroll + visibleCount(rows, s, scroll)) scroll++;
  return { ...s, selected: rows[idx]!.domid, scroll };
}

function selectIndex(s: TopState, idx: number): TopState {
  const rows = s.view.rows;
  if (rows.length === 0) return s;
  const i = Math.min(rows.length - 1, Math.max(0, idx));
  return normalise({ ...s, selected: rows[i]!.domid, follow: undefined });
}

function moveSelection(s: TopState, delta: number): TopState {
  const idx = s.selected === undefined ? 0 : (s.view.index.get(s.selected) ?? 0);
  return selectIndex(s, idx + delta);
}

function page(s: TopState, dir: 1 | -1): TopState {
  const n = Math.max(1, visibleCount(s.view.rows, s, s.scroll));
  const idx = s.selected === undefined ? 0 : (s.view.index.get(s.selected) ?? 0);
  const t = selectIndex(s, idx + dir * n);
  // Keep the selected row at the same height on screen, as a pager does.
  const scroll = Math.max(0, Math.min(lastPageStart(t.view.rows, t), s.scroll + dir * n));
  return normalise({ ...t, scroll: Math.min(scroll, t.view.index.get(t.selected!) ?? 0) });
}

/** Lines of palette output shown under its `$ xl …` title. */
export function paletteHeight(s: Pick<TopState, 'rows'>): number {
  return paneHeight(s) - 1;
}

/** The palette output's lines: the command's output, then `(exit status N)` when it failed. */
export function paletteLines(o: PaletteOutput): string[] {
  const lines = logLines(o.text);
  if (o.code !== 0) lines.push(`(exit status ${o.code})`);
  return lines;
}

function maxPaletteScroll(s: TopState): number {
  return s.paletteOutput ? Math.max(0, paletteLines(s.paletteOutput).length - paletteHeight(s)) : 0;
}

/** Lines of a text as a pane draws them (a final newline ends the last line). */
export function logLines(text: string): string[] {
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/* ---- consoles ---- */

/** Rows of console text in a console pane (its title and tab bar take two). */
export function consoleHeight(s: Pick<TopState, 'rows'>): number {
  return Math.max(1, paneHeight(s) - 2);
}

/** Width of one console pane: the screen, or half of it (minus a separator) when split. */
export function consoleWidth(s: Pick<TopState, 'columns' | 'split' | 'consoles'>): number {
  return s.split && s.consoles.length > 1 ? Math.max(10, Math.floor((s.columns - 1) / 2)) : s.columns;
}

function updateActive(s: TopState, f: (c: ConsoleSession) => ConsoleSession): TopState {
  const c = s.consoles[s.activeConsole];
  if (!c) return s;
  const consoles = s.consoles.slice();
  consoles[s.activeConsole] = f(c);
  return { ...s, consoles };
}

function searchStep(s: TopState, dir: 'older' | 'newer'): TopState {
  const c = s.consoles[s.activeConsole];
  if (!c || !s.search) return s;
  const w = consoleWidth(s);
  const h = consoleHeight(s);
  const rows = wrapConsole(c.text, w);
  const from = s.search.row ?? (dir === 'older' ? rows.length : firstRow(c.scroll, rows.length, h) - 1);
  const row = findMatch(rows, s.search.input, from, dir);
  if (row === undefined) return { ...s, message: `not found: ${s.search.input}` };
  // Show the match on the middle row of the pane, and which match of how many it is.
  const top = Math.max(0, row - Math.floor(h / 2));
  const last = Math.max(0, rows.length - h);
  const { k, n } = matchRank(rows, s.search.input, row);
  return { ...updateActive(s, (x) => ({ ...x, scroll: top >= last ? 'follow' : top })), search: { ...s.search, row }, message: `match ${k} of ${n}` };
}

/* ---- drill-down ---- */

function drillMove(s: TopState, f: (d: DrillState) => DrillState): TopState {
  return s.drill ? { ...s, drill: f(s.drill) } : s;
}

/** The xenstore paths the xenstore tab lists, with their depth: children of open nodes only. */
export function visibleXenstore(d: Pick<DrillState, 'data' | 'xsOpen'>): { path: string; depth: number; value: string; perms: string[]; hasChildren: boolean }[] {
  const nodes = d.data?.xenstore ?? [];
  if (nodes.length === 0) return [];
  const open = new Set(d.xsOpen);
  const roots = rootsOf(nodes.map(([p]) => p));
  const paths = new Set(nodes.map(([p]) => p));
  const out: ReturnType<typeof visibleXenstore> = [];
  for (const [path, node] of nodes) {
    const root = roots.find((r) => path === r || path.startsWith(`${r}/`));
    if (root === undefined) continue;
    const rel = path === root ? [] : path.slice(root.length + 1).split('/');
    // shown when every ancestor up to its root is open
    let shown = true;
    let anc = root;
    for (let i = 0; i < rel.length; i++) {
      if (!open.has(anc)) {
        shown = false;
        break;
      }
      anc = `${anc}/${rel[i]}`;
    }
    if (!shown) continue;
    const hasChildren = hasChild(paths, path, nodes);
    out.push({ path, depth: rel.length, value: node.v, perms: node.p, hasChildren });
  }
  return out;
}

function rootsOf(paths: string[]): string[] {
  const roots: string[] = [];
  for (const p of paths) if (!roots.some((r) => p === r || p.startsWith(`${r}/`))) roots.push(p);
  return roots;
}

const childCache = new WeakMap<object, Set<string>>();
function hasChild(paths: Set<string>, path: string, nodes: object): boolean {
  let parents = childCache.get(nodes);
  if (!parents) {
    parents = new Set<string>();
    for (const p of paths) {
      const i = p.lastIndexOf('/');
      if (i > 0) parents.add(p.slice(0, i));
    }
    childCache.set(nodes, parents);
  }
  return parents.has(path);
}

/* ---- architecture view ---- */

/** The guests the architecture view lists, in domid order (Domain-0 is drawn apart). */
export function archGuests(s: TopState): number[] {
  const src = s.arch.data?.domains ?? s.cur?.domains ?? [];
  return src.filter((d) => d.domid !== 0 && d.name !== '').map((d) => d.domid);
}

function archSelect(s: TopState, delta: number | 'pageUp' | 'pageDown'): TopState {
  const guests = archGuests(s);
  if (guests.length === 0) return s;
  const at = Math.max(0, guests.indexOf(s.arch.selected ?? guests[0]!));
  const layout = (first: number, selected: number): number[] =>
    s.arch.data ? layoutGuests({ data: s.arch.data, height: paneHeight(s), first, selected, migration: s.arch.migration, recent: s.arch.recent }).guests.map((g) => g.domid) : guests.slice(first, first + 3);
  const pageSize = Math.max(1, layout(s.arch.first, guests[at]!).length);
  const step = delta === 'pageUp' ? -pageSize : delta === 'pageDown' ? pageSize : delta;
  const idx = Math.min(guests.length - 1, Math.max(0, at + step));
  const selected = guests[idx]!;
  let first = Math.min(s.arch.first, idx);
  while (first < idx && !layout(first, selected).includes(selected)) first++;
  return { ...s, arch: { ...s.arch, selected, first } };
}

/* ---- keys ---- */

function setSort(s: TopState, field: ColumnId): TopState {
  return rebuild({ ...s, sortField: field });
}

function onKey(s: TopState, action: KeyAction, input?: string): TopState {
  switch (s.mode) {
    case 'dashboard':
      switch (action) {
        case 'delay':
          return { ...s, mode: 'delay', delayInput: '' };
        case 'toggleNetworks':
          return normalise({ ...s, opts: { ...s.opts, networks: !s.opts.networks } });
        case 'toggleVbds':
          return normalise({ ...s, opts: { ...s.opts, vbds: !s.opts.vbds } });
        case 'toggleVcpus':
          return normalise({ ...s, opts: { ...s.opts, vcpus: !s.opts.vcpus } });
        case 'toggleRepeat':
          return normalise({ ...s, opts: { ...s.opts, repeatHeader: !s.opts.repeatHeader } });
        case 'nextSort': {
          // xentop's S cycles its 19 columns; from an xlsim column it starts again at NAME.
          const f = (ALL_COLUMNS.indexOf(s.sortField) >= 19 ? 'SSID' : s.sortField) as FieldId;
          return setSort(s, nextSortField(f));
        }
        case 'sortLeft':
        case 'sortRight': {
          const cols = tableColumns(s);
          const i = Math.max(0, cols.indexOf(s.sortField));
          const j = (i + (action === 'sortLeft' ? cols.length - 1 : 1)) % cols.length;
          return setSort(s, cols[j]!);
        }
        case 'invertSort':
          return rebuild({ ...s, reverse: !s.reverse });
        case 'sortPicker':
          return { ...s, mode: 'sort', sortCursor: Math.max(0, ALL_COLUMNS.indexOf(s.sortField)) };
        case 'toggleType':
        case 'toggleUuid': {
          const cols = action === 'toggleType' ? { ...s.cols, type: !s.cols.type } : { ...s.cols, uuid: !s.cols.uuid };
          const t = { ...s, cols };
          const shown = shownColumns(cols);
          const id: ColumnId = action === 'toggleType' ? 'TYPE' : 'UUID';
          const on = shown.includes(id);
          // A column turned on comes after xentop's 19 (their bytes stay xentop's): scroll
          // sideways until it is on screen, and say so either way.
          let hcol = Math.min(t.hcol, maxHcol(shown));
          if (on) while (hcol < maxHcol(shown) && columnRightEdge(t.view.widths, shown, hcol, id) > s.columns) hcol++;
          const message = on ? `${id} column shown${hcol !== t.hcol ? ' (scrolled to it: Left scrolls back)' : ''}` : `${id} column hidden`;
          return { ...t, hcol, message, sortField: shown.includes(t.sortField) ? t.sortField : 'NAME' };
        }
        case 'filter':
          return { ...s, mode: 'filter' };
        case 'escape':
          // With a filter applied, Esc clears it; without one the controller quits, as xentop.
          return s.filter === '' ? s : rebuild({ ...s, filter: '' });
        case 'up':
          return moveSelection(s, -1);
        case 'down':
          return moveSelection(s, 1);
        case 'pageUp':
          return page(s, -1);
        case 'pageDown':
          return page(s, 1);
        case 'top':
          return selectIndex(s, 0);
        case 'bottom':
          return selectIndex(s, s.view.rows.length - 1);
        case 'left':
          return { ...s, hcol: Math.max(0, s.hcol - 1) };
        case 'right':
          return { ...s, hcol: Math.min(maxHcol(tableColumns(s)), s.hcol + 1) };
        case 'help':
          return { ...s, mode: 'help', helpScroll: 0 };
        case 'palette':
          return { ...s, mode: 'palette', paletteInput: '', historyIndex: undefined, completions: [] };
        case 'arch':
          return { ...s, mode: 'arch', returnTo: 'dashboard', arch: { ...s.arch, selected: s.selected !== 0 ? s.selected : s.arch.selected } };
        case 'consoles':
          return s.consoles.length ? { ...s, mode: 'console', returnTo: 'dashboard' } : { ...s, message: 'no console is open: select a guest and press c' };
        default:
          return s;
      }
    case 'delay':
      switch (action) {
        case 'submit': {
          // xentop: the new delay applies only if it parses to a value > 0.
          const v = Number.parseInt(s.delayInput, 10);
          return { ...s, mode: 'dashboard', delaySec: v > 0 ? v : s.delaySec, delayInput: '' };
        }
        case 'backspace':
          return { ...s, delayInput: s.delayInput.slice(0, -1) };
        case 'close':
          return { ...s, mode: 'dashboard', delayInput: '' };
        default:
          return s;
      }
    case 'confirm':
      return action === 'close' || action === 'confirm' ? { ...s, mode: 'dashboard', confirm: undefined } : s;
    case 'filter':
      switch (action) {
        case 'submit':
          return { ...s, mode: 'dashboard' };
        case 'close':
          return rebuild({ ...s, mode: 'dashboard', filter: '' });
        case 'backspace':
          return rebuild({ ...s, filter: s.filter.slice(0, -1) });
        case 'clearLine':
          return rebuild({ ...s, filter: '' });
        case 'deleteWord':
          return rebuild({ ...s, filter: deleteWord(s.filter) });
        default:
          return s;
      }
    case 'sort':
      switch (action) {
        case 'up':
          return { ...s, sortCursor: Math.max(0, s.sortCursor - 1) };
        case 'down':
          return { ...s, sortCursor: Math.min(ALL_COLUMNS.length - 1, s.sortCursor + 1) };
        case 'submit':
          return pickSort(s, ALL_COLUMNS[s.sortCursor]!);
        case 'invertSort':
          return rebuild({ ...s, reverse: !s.reverse });
        case 'close':
          return { ...s, mode: 'dashboard' };
        default:
          return s;
      }
    case 'drill':
      switch (action) {
        case 'close':
          return { ...s, mode: s.drill?.from ?? 'dashboard', drill: undefined };
        case 'nextTab':
        case 'prevTab': {
          if (!s.drill) return s;
          const i = DRILL_TABS.indexOf(s.drill.tab);
          const j = (i + (action === 'nextTab' ? 1 : DRILL_TABS.length - 1)) % DRILL_TABS.length;
          return drillMove(s, (d) => ({ ...d, tab: DRILL_TABS[j]!, scroll: 0 }));
        }
        case 'pick': {
          const n = Number(input);
          return n >= 1 && n <= DRILL_TABS.length ? drillMove(s, (d) => ({ ...d, tab: DRILL_TABS[n - 1]!, scroll: 0 })) : s;
        }
        case 'up':
        case 'down':
        case 'pageUp':
        case 'pageDown':
        case 'top':
        case 'bottom': {
          const h = paneHeight(s) - 2;
          const delta = action === 'up' ? -1 : action === 'down' ? 1 : action === 'pageUp' ? -h : action === 'pageDown' ? h : action === 'top' ? -1e9 : 1e9;
          if (s.drill?.tab === 'xenstore') {
            const n = visibleXenstore(s.drill).length;
            return drillMove(s, (d) => {
              const xsCursor = Math.max(0, Math.min(n - 1, d.xsCursor + delta));
              let scroll = d.scroll;
              if (xsCursor < scroll) scroll = xsCursor;
              if (xsCursor >= scroll + h) scroll = xsCursor - h + 1;
              return { ...d, xsCursor, scroll };
            });
          }
          return drillMove(s, (d) => ({ ...d, scroll: Math.max(0, d.scroll + delta) }));
        }
        case 'arch':
          return s.drill ? { ...s, mode: 'arch', returnTo: 'dashboard', drill: undefined, arch: { ...s.arch, selected: s.drill.domid !== 0 ? s.drill.domid : s.arch.selected } } : s;
        case 'compare': {
          const next = nextCompare(s, input === '[' ? -1 : 1);
          return next === undefined ? s : drillMove(s, (d) => ({ ...d, compare: next, compareData: undefined, comparePrev: undefined }));
        }
        case 'submit': {
          if (s.drill?.tab !== 'xenstore') return s;
          const node = visibleXenstore(s.drill)[s.drill.xsCursor];
          if (!node || !node.hasChildren) return s;
          return drillMove(s, (d) => ({ ...d, xsOpen: d.xsOpen.includes(node.path) ? d.xsOpen.filter((p) => p !== node.path && !p.startsWith(`${node.path}/`)) : [...d.xsOpen, node.path] }));
        }
        default:
          return s;
      }
    case 'arch':
      switch (action) {
        case 'close':
          return { ...s, mode: 'dashboard' };
        case 'up':
          return archSelect(s, -1);
        case 'down':
          return archSelect(s, 1);
        case 'pageUp':
          return archSelect(s, 'pageUp');
        case 'pageDown':
          return archSelect(s, 'pageDown');
        default:
          return s;
      }
    case 'console':
      switch (action) {
        case 'close':
          return { ...s, mode: s.returnTo === 'console' ? 'dashboard' : s.returnTo, search: undefined };
        case 'nextConsole':
        case 'prevConsole': {
          const n = s.consoles.length;
          if (n === 0) return s;
          return { ...s, activeConsole: (s.activeConsole + (action === 'nextConsole' ? 1 : n - 1)) % n };
        }
        case 'pick': {
          const i = Number(input) - 1;
          return i >= 0 && i < s.consoles.length ? { ...s, activeConsole: i } : s;
        }
        case 'split':
          return { ...s, split: !s.split };
        case 'closeConsole': {
          const consoles = s.consoles.filter((_, i) => i !== s.activeConsole);
          const activeConsole = Math.min(s.activeConsole, Math.max(0, consoles.length - 1));
          return consoles.length === 0 ? { ...s, consoles, activeConsole, mode: s.returnTo === 'console' ? 'dashboard' : s.returnTo } : { ...s, consoles, activeConsole };
        }
        case 'pageUp':
        case 'pageDown': {
          const h = consoleHeight(s);
          return updateActive(s, (c) => scrollBy(c, action === 'pageUp' ? -h : h, consoleWidth(s), h));
        }
        case 'bottom':
          return updateActive(s, (c) => ({ ...c, scroll: 'follow' }));
        case 'search':
          return { ...s, mode: 'search', search: { input: '' } };
        default:
          return s;
      }
    case 'search':
      switch (action) {
        case 'submit':
          return searchStep(s, 'older');
        case 'newer':
          return searchStep(s, 'newer');
        case 'backspace':
          return { ...s, search: { input: (s.search?.input ?? '').slice(0, -1) } };
        case 'clearLine':
          return { ...s, search: { input: '' } };
        case 'close':
          return updateActive({ ...s, mode: 'console', search: undefined }, (c) => ({ ...c, scroll: 'follow' }));
        default:
          return s;
      }
    case 'palette':
      switch (action) {
        case 'backspace':
          return { ...s, paletteInput: s.paletteInput.slice(0, -1), completions: [] };
        case 'clearLine':
          return { ...s, paletteInput: '', completions: [], historyIndex: undefined };
        case 'deleteWord':
          return { ...s, paletteInput: deleteWord(s.paletteInput), completions: [] };
        case 'close':
          return { ...s, mode: 'dashboard', paletteInput: '', paletteOutput: undefined, historyIndex: undefined, completions: [] };
        case 'up': {
          if (s.paletteHistory.length === 0) return s;
          const i = s.historyIndex === undefined ? s.paletteHistory.length - 1 : Math.max(0, s.historyIndex - 1);
          return { ...s, historyIndex: i, paletteInput: s.paletteHistory[i]!, completions: [] };
        }
        case 'down': {
          if (s.historyIndex === undefined) return s;
          const i = s.historyIndex + 1;
          return i >= s.paletteHistory.length
            ? { ...s, historyIndex: undefined, paletteInput: '', completions: [] }
            : { ...s, historyIndex: i, paletteInput: s.paletteHistory[i]!, completions: [] };
        }
        case 'pageUp':
          return { ...s, paletteScroll: Math.max(0, s.paletteScroll - paletteHeight(s)) };
        case 'pageDown':
          return { ...s, paletteScroll: Math.min(maxPaletteScroll(s), s.paletteScroll + paletteHeight(s)) };
        case 'top':
          return { ...s, paletteScroll: 0 };
        case 'bottom':
          return { ...s, paletteScroll: maxPaletteScroll(s) };
        default:
          return s;
      }
    case 'help': {
      const max = Math.max(0, helpLines().length - paneHeight(s) + 1);
      switch (action) {
        case 'close':
          return { ...s, mode: 'dashboard' };
        case 'up':
          return { ...s, helpScroll: Math.max(0, s.helpScroll - 1) };
        case 'down':
          return { ...s, helpScroll: Math.min(max, s.helpScroll + 1) };
        case 'pageUp':
          return { ...s, helpScroll: Math.max(0, s.helpScroll - bodyHeight(s)) };
        case 'pageDown':
          return { ...s, helpScroll: Math.min(max, s.helpScroll + bodyHeight(s)) };
        default:
          return s;
      }
    }
  }
}

function pickSort(s: TopState, c: ColumnId): TopState {
  // Sorting by a hidden extra column shows it.
  const cols = c === 'TYPE' ? { ...s.cols, type: true } : c === 'UUID' ? { ...s.cols, uuid: true } : s.cols;
  return rebuild({ ...s, mode: 'dashboard', sortField: c, cols });
}

/** `line` without its last word (and the blanks after it), as Ctrl-W in a shell. */
export function deleteWord(line: string): string {
  return line.replace(/\S*\s*$/, '');
}

/** The letter the sort picker shows for column `i` of `ALL_COLUMNS` (`a`, `b`, …). */
export function sortLetter(i: number): string {
  return String.fromCharCode(0x61 + i);
}

/** The shortest time between the two reads a drill-down rate is taken over, host ms. */
export const RATE_MIN_MS = 1000;

/* ---- samples, feed, mouse ---- */

function onSample(s: TopState, sample: HostSample): TopState {
  // Domains read without their devices keep the counters of their last read: the same
  // `nets` array, by which the chart history (history.ts) knows they are not fresh.
  const prev = s.cur;
  let cur = sample;
  if (prev) {
    const old = domainsById(prev);
    let patched: HostSample['domains'] | undefined;
    sample.domains.forEach((d, i) => {
      if (d.nets !== undefined) return;
      const o = old.get(d.domid);
      if (!o || o.nets === undefined) return;
      patched ??= sample.domains.slice();
      patched[i] = { ...d, nets: o.nets, vbds: o.vbds, vcpus: d.vcpus ?? o.vcpus };
    });
    if (patched) cur = { ...sample, domains: patched };
  }
  const oldIdx = s.selected === undefined ? -1 : (s.view.index.get(s.selected) ?? -1);
  const oldName = s.selected === undefined ? undefined : s.view.byId.get(s.selected)?.name;
  let t = rebuild({ ...s, prev, cur, view: s.view });
  if (s.selected !== undefined && !t.view.byId.has(s.selected)) {
    // The selected domain went away: a reboot brings it back under a new domid.
    const name = s.follow?.name ?? oldName;
    const same = name === undefined ? undefined : t.view.rows.find((r) => r.name === name);
    if (same) t = normalise({ ...t, selected: same.domid, follow: undefined });
    else {
      const rows = t.view.rows;
      const next = rows.length ? rows[Math.min(Math.max(0, oldIdx), rows.length - 1)]!.domid : undefined;
      t = normalise({ ...t, selected: next, follow: name ? { name, samples: 0 } : undefined });
      t.selected = next;
    }
  } else if (s.follow) {
    const same = t.view.rows.find((r) => r.name === s.follow!.name);
    if (same) t = normalise({ ...t, selected: same.domid, follow: undefined });
    else t = { ...t, follow: s.follow.samples >= 10 ? undefined : { ...s.follow, samples: s.follow.samples + 1 } };
  }
  // Console sessions of domains that went away are marked; a drill-down too.
  if (t.drill && !t.view.byId.has(t.drill.domid) && !t.drill.gone) t = { ...t, drill: { ...t.drill, gone: true } };
  if (!t.arch.selected || !t.view.byId.has(t.arch.selected)) {
    const g = archGuests(t);
    if (g.length) t = { ...t, arch: { ...t.arch, selected: g[0] } };
  }
  return t;
}

function onFeed(s: TopState, events: FeedEvent[]): TopState {
  let arch = s.arch;
  for (const e of events) {
    if (e.kind === 'device') {
      const text = `${e.device.replace('/', ' ')} ${e.side} → ${e.state} ${xenbusStateName(e.state)}`;
      arch = { ...arch, recent: [...arch.recent.slice(-19), { key: `${e.domid}/${e.device}`, at: e.at, text }] };
    } else if (e.kind === 'migration') {
      const m = arch.migration && arch.migration.domid === e.domid && arch.migration.phase !== 'done' && arch.migration.phase !== 'failed' ? arch.migration : undefined;
      const base: MigrationView = m ?? { domid: e.domid, name: e.name ?? `domid ${e.domid}`, from: e.from, to: e.to, phase: e.phase, rounds: [], at: e.at };
      const rounds = e.phase === 'round' && e.round !== undefined ? [...base.rounds, { round: e.round, sentPages: e.sentPages ?? 0, dirtyPages: e.dirtyPages ?? 0 }] : base.rounds;
      arch = { ...arch, migration: { ...base, phase: e.phase, rounds, at: e.at } };
    }
  }
  return arch === s.arch ? s : { ...s, arch };
}

/**
 * The table row under screen line `y` (0-based), or undefined. Lines: 3 summary lines,
 * the column header at `TOP_LINES - 1`, then the rows (with their detail lines).
 */
export function rowAtLine(s: TopState, y: number): TopRow | undefined {
  let line = TOP_LINES;
  const rows = s.view.rows;
  for (let i = s.scroll; i < rows.length && line < TOP_LINES + bodyHeight(s); i++) {
    const n = linesFor(rows[i]!, s, i === s.scroll);
    const rowLine = line + (s.opts.repeatHeader && i > s.scroll ? 1 : 0);
    if (y === rowLine) return rows[i];
    if (y >= line && y < line + n) return undefined;
    line += n;
  }
  return undefined;
}

function onMouse(s: TopState, e: MouseEvent): TopState {
  if (s.mode === 'dashboard') {
    if (e.kind === 'wheelUp' || e.kind === 'wheelDown') return moveSelection(s, e.kind === 'wheelUp' ? -3 : 3);
    if (e.y === TOP_LINES - 1) {
      const c = columnAt(e.x, s.view.widths, tableColumns(s), s.hcol);
      if (!c) return s;
      return c === s.sortField ? rebuild({ ...s, reverse: !s.reverse }) : setSort(s, c);
    }
    const r = rowAtLine(s, e.y);
    return r ? normalise({ ...s, selected: r.domid, follow: undefined, message: '' }) : s;
  }
  if (s.mode === 'console' && (e.kind === 'wheelUp' || e.kind === 'wheelDown')) {
    return updateActive(s, (c) => scrollBy(c, e.kind === 'wheelUp' ? -3 : 3, consoleWidth(s), consoleHeight(s)));
  }
  if ((s.mode === 'drill' || s.mode === 'help') && (e.kind === 'wheelUp' || e.kind === 'wheelDown')) {
    return onKey(s, e.kind === 'wheelUp' ? 'up' : 'down');
  }
  if (s.mode === 'arch' && (e.kind === 'wheelUp' || e.kind === 'wheelDown')) return archSelect(s, e.kind === 'wheelUp' ? -1 : 1);
  return s;
}

/** The reducer. Pure: same state and event give the same next state. */
export function reduce(s: TopState, e: TopEvent): TopState {
  switch (e.type) {
    case 'sample':
      return onSample(s, e.sample);
    case 'key':
      // A new key on the dashboard retires the last action's message.
      return onKey(s.mode === 'dashboard' ? { ...s, message: '' } : s, e.action, e.input);
    case 'type':
      if (s.mode === 'delay') return { ...s, delayInput: s.delayInput + e.text.replace(/[^0-9]/g, '') };
      if (s.mode === 'palette' && !s.paletteRunning) return { ...s, paletteInput: s.paletteInput + e.text.replace(/[\r\n]/g, ''), completions: [] };
      if (s.mode === 'filter') return rebuild({ ...s, filter: s.filter + e.text.replace(/[\r\n]/g, '') });
      if (s.mode === 'search') return { ...s, search: { input: (s.search?.input ?? '') + e.text.replace(/[\r\n]/g, '') } };
      if (s.mode === 'sort') {
        const i = e.text.charCodeAt(0) - 0x61;
        return e.text.length === 1 && i >= 0 && i < ALL_COLUMNS.length ? pickSort(s, ALL_COLUMNS[i]!) : s;
      }
      return s;
    case 'resize': {
      // The architecture view's guest list keeps the selected guest on screen at the new size.
      const t = normalise({ ...s, columns: e.columns, rows: e.rows });
      return t.arch.selected !== undefined ? archSelect(t, 0) : t;
    }
    case 'message':
      return { ...s, message: e.text };
    case 'confirm':
      return { ...s, mode: 'confirm', message: '', confirm: { domid: e.domid, name: e.name, action: e.action, note: e.note } };
    case 'openConsole': {
      const at = s.consoles.findIndex((c) => c.domid === e.domid);
      const returnTo = s.mode === 'console' ? s.returnTo : s.mode === 'drill' || s.mode === 'arch' ? s.mode : 'dashboard';
      if (at >= 0) return { ...s, mode: 'console', activeConsole: at, returnTo, message: '' };
      return { ...s, mode: 'console', consoles: [...s.consoles, newSession(e.domid, e.name)], activeConsole: s.consoles.length, returnTo, message: '' };
    }
    case 'consoleChunk': {
      const at = s.consoles.findIndex((c) => c.domid === e.domid);
      if (at < 0) return s;
      const c = s.consoles[at]!;
      if (e.chunk.text === '' && e.chunk.total === c.total && e.chunk.gone === c.gone) return s;
      const consoles = s.consoles.slice();
      consoles[at] = { ...c, text: feedConsole(c.text, e.chunk.text), total: e.chunk.total, gone: e.chunk.gone };
      return { ...s, consoles };
    }
    case 'paletteRun':
      return { ...s, paletteRunning: true, completions: [] };
    case 'paletteDone': {
      const h = s.paletteHistory;
      const paletteHistory = h[h.length - 1] === e.output.command ? h : [...h, e.output.command].slice(-100);
      return { ...s, paletteRunning: false, paletteInput: '', paletteOutput: e.output, paletteScroll: 0, paletteHistory, historyIndex: undefined };
    }
    case 'complete':
      return s.mode === 'palette' ? { ...s, paletteInput: e.line, completions: e.candidates } : s;
    case 'taskStart':
      return { ...s, tasks: [...s.tasks, { ...e.task, id: s.nextTaskId }], nextTaskId: s.nextTaskId + 1, message: '' };
    case 'taskEnd':
      return { ...s, tasks: s.tasks.filter((t) => t.id !== e.id), message: e.message };
    case 'openDrill':
      return {
        ...s,
        mode: 'drill',
        drill: { domid: e.domid, name: e.name, from: s.mode === 'arch' ? 'arch' : s.mode === 'drill' ? (s.drill?.from ?? 'dashboard') : 'dashboard', tab: s.drill?.domid === e.domid ? s.drill.tab : 'overview', scroll: 0, xsOpen: [`/local/domain/${e.domid}`], xsCursor: 0, gone: false },
      };
    case 'drillData': {
      if (!s.drill || s.drill.domid !== e.domid) return s;
      const d = s.drill;
      if (!e.data) return { ...s, drill: { ...d, gone: true } };
      const sameCompare = e.compare && d.compareData && e.compare.info.domid === d.compareData.info.domid;
      // Rates come from reads at least RATE_MIN_MS apart: a read just after the last one
      // (opening the view, then a refresh) would turn a count of one or two into hundreds a second.
      const far = (a: DrillData | undefined, b: DrillData): boolean => a !== undefined && b.nowMs - a.nowMs >= RATE_MIN_MS;
      return {
        ...s,
        drill: {
          ...d,
          prev: far(d.data, e.data) ? d.data : d.prev,
          data: e.data,
          name: e.data.info.name,
          compareData: e.compare,
          comparePrev: !sameCompare ? undefined : far(d.compareData, e.compare!) ? d.compareData : d.comparePrev,
          compare: e.compare?.info.domid ?? d.compare,
          gone: false,
        },
      };
    }
    case 'archData':
      return { ...s, arch: { ...s.arch, prev: s.arch.data, data: e.data } };
    case 'tick':
      return { ...s, arch: { ...s.arch, tick: s.arch.tick + 1 } };
    case 'feed':
      return onFeed(s, e.events);
    case 'mouse':
      return onMouse(s, e.event);
  }
}

/**
 * The domain the calls tab compares with by default: one of the other family (an HVM
 * guest for a PV or PVH domain, a PV or PVH guest for an HVM one), running ones first,
 * so VM exits and hypercalls sit side by side; else the next domain.
 */
export function defaultCompare(s: TopState): number | undefined {
  const d = s.drill;
  if (!d) return undefined;
  const me = s.cur?.domains.find((x) => x.domid === d.domid);
  const others = (s.cur?.domains ?? []).filter((x) => x.domid !== d.domid && x.domid !== 0);
  const hvm = me?.type === 'hvm' && me.domid !== 0;
  const family = others.filter((x) => (x.type === 'hvm') !== hvm);
  const pick = family.find((x) => x.state.running || x.state.blocked) ?? family[0];
  return pick?.domid ?? nextCompare(s, 1);
}

/** Set the drill-down's comparison domain (`[` / `]`): the previous or next domain in the table. */
export function nextCompare(s: TopState, dir: 1 | -1): number | undefined {
  const d = s.drill;
  if (!d) return undefined;
  const ids = (s.cur?.domains ?? []).map((x) => x.domid).filter((id) => id !== d.domid);
  if (ids.length === 0) return undefined;
  const at = d.compare === undefined ? -1 : ids.indexOf(d.compare);
  return ids[(at + dir + ids.length) % ids.length];
}

/**
 * Split a palette line into xl's argv, shell-like: whitespace separates words, single
 * and double quotes group, backslash escapes the next character outside single quotes.
 * A leading `xl` or `xlsim` is dropped. Nothing is expanded or executed.
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  if (out[0] === 'xl' || out[0] === 'xlsim') out.shift();
  return out;
}
