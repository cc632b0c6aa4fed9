/**
 * The dashboard's state machine: a pure reducer over `TopState` (style-anchors B2:
 * reducer → input hook → pure view). Nothing here does I/O; the controller hook
 * (`hooks/use-top.ts`) runs commands and feeds their results back as actions.
 *
 * Screen arithmetic follows xentop.c `top()`: summary (3 lines), column header, domain
 * rows with their detail lines, stopping before the status lines at the bottom
 * (xl-commands.md §4.2, §4.4).
 */
import {
  computeRows,
  detailLines,
  DEFAULT_TOP_OPTIONS,
  fieldWidths,
  formatHeader,
  nextSortField,
  sortRows,
  type FieldId,
  type TopOptions,
  type TopRow,
  type TopSample,
} from './xentop.js';
import { helpLines, type KeyAction } from './keymap.js';

/** Which pane has the keyboard. */
export type Mode = 'dashboard' | 'delay' | 'confirm' | 'console' | 'palette' | 'help';

/** The output of the last palette command. */
export interface PaletteOutput {
  /** The command as run, words joined by one space, e.g. `list -l`. */
  command: string;
  /** stdout then stderr as the command wrote them. */
  text: string;
  /** Exit status of the xl command. */
  code: number;
}

/** Everything the dashboard shows. */
export interface TopState {
  mode: Mode;
  opts: TopOptions;
  sortField: FieldId;
  /** Refresh delay, seconds (xentop `-d`, default 3). */
  delaySec: number;
  /** Text typed at the `Delay(sec): ` prompt. */
  delayInput: string;
  /** Latest and previous samples (CPU(%) needs both). */
  cur?: TopSample;
  prev?: TopSample;
  /** Selected domain, by domid. */
  selected?: number;
  /** Index (in sorted order) of the first domain drawn. */
  scroll: number;
  /** Columns scrolled off the left edge of the table (Left/Right). */
  hscroll: number;
  /** Terminal size, columns × rows. */
  columns: number;
  rows: number;
  /** Open console pane. `offset` = first line shown, or `follow` to track the newest line. */
  console?: { domid: number; name: string; text: string; offset: number | 'follow' };
  /** Palette input line and the output of its last command. */
  paletteInput: string;
  paletteOutput?: PaletteOutput;
  paletteRunning: boolean;
  /** First output line shown (PgUp/PgDn/Home/End). */
  paletteScroll: number;
  /** Commands run from the palette, oldest first (Up/Down recall them). */
  paletteHistory: string[];
  /** Position in `paletteHistory` while recalling; undefined = a fresh line. */
  historyIndex?: number;
  /** Domain awaiting a y/N confirmation of `xl shutdown` (key `h`) or `xl destroy` (key `x`). */
  confirm?: { domid: number; name: string; action: ConfirmAction };
  /** One-line status message (results of actions, errors). */
  message: string;
  helpScroll: number;
}

/** The actions that ask y/N before they run: `xl shutdown` and `xl destroy`. */
export type ConfirmAction = 'shutdown' | 'destroy';

/** Messages the reducer understands. */
export type TopEvent =
  | { type: 'sample'; sample: TopSample }
  | { type: 'key'; action: KeyAction }
  | { type: 'type'; text: string }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'message'; text: string }
  | { type: 'confirm'; domid: number; name: string; action: ConfirmAction }
  | { type: 'openConsole'; domid: number; name: string; text: string }
  | { type: 'consoleText'; domid: number; text: string }
  | { type: 'paletteRun' }
  | { type: 'paletteDone'; output: PaletteOutput };

/** Initial state for a terminal of `columns` × `rows` and a refresh delay in seconds. */
export function initialState(columns: number, rows: number, delaySec = 3, opts: TopOptions = DEFAULT_TOP_OPTIONS): TopState {
  return {
    mode: 'dashboard',
    opts,
    sortField: 'NAME',
    delaySec,
    delayInput: '',
    scroll: 0,
    hscroll: 0,
    columns,
    rows,
    paletteInput: '',
    paletteRunning: false,
    paletteScroll: 0,
    paletteHistory: [],
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

/** The rows of the latest sample in display order. */
export function sortedRows(s: TopState): TopRow[] {
  if (!s.cur) return [];
  return sortRows(computeRows(s.cur, s.prev), s.sortField, s.opts.dom0First);
}

/** Screen lines one domain takes: its row, detail lines, and a repeated header if asked. */
export function linesFor(r: TopRow, s: TopState, first: boolean): number {
  return 1 + detailLines(r.info, s.opts).length + (s.opts.repeatHeader && !first ? 1 : 0);
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

/** Columns one Left/Right press scrolls the table by (one 10-wide field and its separator). */
export const HSCROLL_STEP = 11;

/** The widest the table can scroll: its header's width minus the screen width. */
function maxHscroll(s: TopState): number {
  const rows = sortedRows(s);
  const width = formatHeader(fieldWidths(rows, s.opts.fullName)).length;
  return Math.max(0, width - s.columns);
}

/** Keep the selection on an existing domain and on screen. */
function normalise(s: TopState): TopState {
  const rows = sortedRows(s);
  if (rows.length === 0) return { ...s, selected: undefined, scroll: 0 };
  let idx = rows.findIndex((r) => r.domid === s.selected);
  if (idx < 0) idx = 0;
  let scroll = Math.min(s.scroll, rows.length - 1);
  if (idx < scroll) scroll = idx;
  while (idx >= scroll + visibleCount(rows, s, scroll)) scroll++;
  return { ...s, selected: rows[idx]!.domid, scroll };
}

function moveSelection(s: TopState, delta: number): TopState {
  const rows = sortedRows(s);
  if (rows.length === 0) return s;
  const idx = Math.max(0, rows.findIndex((r) => r.domid === s.selected));
  const next = Math.min(rows.length - 1, Math.max(0, idx + delta));
  return normalise({ ...s, selected: rows[next]!.domid });
}

/** Lines of palette output shown under its `$ xl …` title. */
export function paletteHeight(s: Pick<TopState, 'rows'>): number {
  return bodyHeight(s);
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

/** Lines of the console log as the pane draws them (a final newline ends the last line). */
export function logLines(text: string): string[] {
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

function consoleLines(s: TopState): number {
  return s.console ? logLines(s.console.text).length : 0;
}

/** Lines of the console pane body: the body height (its title sits where the column header was). */
export function consoleHeight(s: Pick<TopState, 'rows'>): number {
  return bodyHeight(s);
}

function scrollConsole(s: TopState, delta: number | 'top' | 'bottom'): TopState {
  if (!s.console) return s;
  const h = consoleHeight(s);
  const last = Math.max(0, consoleLines(s) - h);
  const cur = s.console.offset === 'follow' ? last : s.console.offset;
  let offset: number | 'follow';
  if (delta === 'top') offset = 0;
  else if (delta === 'bottom') offset = 'follow';
  else {
    const n = Math.min(last, Math.max(0, cur + delta));
    offset = n >= last ? 'follow' : n;
  }
  return { ...s, console: { ...s.console, offset } };
}

function onKey(s: TopState, action: KeyAction): TopState {
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
        case 'nextSort':
          return normalise({ ...s, sortField: nextSortField(s.sortField) });
        case 'up':
          return moveSelection(s, -1);
        case 'down':
          return moveSelection(s, 1);
        case 'left':
          return { ...s, hscroll: Math.max(0, s.hscroll - HSCROLL_STEP) };
        case 'right':
          return { ...s, hscroll: Math.min(maxHscroll(s), s.hscroll + HSCROLL_STEP) };
        case 'help':
          return { ...s, mode: 'help', helpScroll: 0 };
        case 'palette':
          return { ...s, mode: 'palette', paletteInput: '', historyIndex: undefined };
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
    case 'console':
      switch (action) {
        case 'close':
          return { ...s, mode: 'dashboard', console: undefined };
        case 'up':
          return scrollConsole(s, -1);
        case 'down':
          return scrollConsole(s, 1);
        case 'pageUp':
          return scrollConsole(s, -consoleHeight(s));
        case 'pageDown':
          return scrollConsole(s, consoleHeight(s));
        case 'top':
          return scrollConsole(s, 'top');
        case 'bottom':
          return scrollConsole(s, 'bottom');
        default:
          return s;
      }
    case 'palette':
      switch (action) {
        case 'backspace':
          return { ...s, paletteInput: s.paletteInput.slice(0, -1) };
        case 'close':
          return { ...s, mode: 'dashboard', paletteInput: '', paletteOutput: undefined, historyIndex: undefined };
        case 'up': {
          if (s.paletteHistory.length === 0) return s;
          const i = s.historyIndex === undefined ? s.paletteHistory.length - 1 : Math.max(0, s.historyIndex - 1);
          return { ...s, historyIndex: i, paletteInput: s.paletteHistory[i]! };
        }
        case 'down': {
          if (s.historyIndex === undefined) return s;
          const i = s.historyIndex + 1;
          return i >= s.paletteHistory.length
            ? { ...s, historyIndex: undefined, paletteInput: '' }
            : { ...s, historyIndex: i, paletteInput: s.paletteHistory[i]! };
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
    case 'help':
      switch (action) {
        case 'close':
          return { ...s, mode: 'dashboard' };
        case 'up':
          return { ...s, helpScroll: Math.max(0, s.helpScroll - 1) };
        case 'down':
          return { ...s, helpScroll: Math.min(Math.max(0, helpLines().length - (bodyHeight(s) + 1)), s.helpScroll + 1) };
        default:
          return s;
      }
  }
}

/** The reducer. Pure: same state and event give the same next state. */
export function reduce(s: TopState, e: TopEvent): TopState {
  switch (e.type) {
    case 'sample': {
      // A selected domain that went away hands the selection to the row that takes its place.
      const oldIdx = sortedRows(s).findIndex((r) => r.domid === s.selected);
      const t = { ...s, prev: s.cur, cur: e.sample };
      const rows = sortedRows(t);
      if (oldIdx >= 0 && rows.length > 0 && !rows.some((r) => r.domid === s.selected)) {
        t.selected = rows[Math.min(oldIdx, rows.length - 1)]!.domid;
      }
      return normalise(t);
    }
    case 'key':
      // A new key on the dashboard retires the last action's message.
      return onKey(s.mode === 'dashboard' ? { ...s, message: '' } : s, e.action);
    case 'type':
      if (s.mode === 'delay') return { ...s, delayInput: s.delayInput + e.text.replace(/[^0-9]/g, '') };
      if (s.mode === 'palette' && !s.paletteRunning) return { ...s, paletteInput: s.paletteInput + e.text.replace(/[\r\n]/g, '') };
      return s;
    case 'resize': {
      const t = normalise({ ...s, columns: e.columns, rows: e.rows });
      return { ...t, hscroll: Math.min(t.hscroll, maxHscroll(t)) };
    }
    case 'message':
      return { ...s, message: e.text };
    case 'confirm':
      return { ...s, mode: 'confirm', message: '', confirm: { domid: e.domid, name: e.name, action: e.action } };
    case 'openConsole':
      return { ...s, mode: 'console', message: '', console: { domid: e.domid, name: e.name, text: e.text, offset: 'follow' } };
    case 'consoleText':
      return s.console && s.console.domid === e.domid ? { ...s, console: { ...s.console, text: e.text } } : s;
    case 'paletteRun':
      return { ...s, paletteRunning: true };
    case 'paletteDone': {
      const h = s.paletteHistory;
      const paletteHistory = h[h.length - 1] === e.output.command ? h : [...h, e.output.command].slice(-100);
      return { ...s, paletteRunning: false, paletteInput: '', paletteOutput: e.output, paletteScroll: 0, paletteHistory, historyIndex: undefined };
    }
  }
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
