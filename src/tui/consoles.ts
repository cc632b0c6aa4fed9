/**
 * Console panes as data: the guest's console bytes turned into screen lines the way a
 * terminal shows them (CR LF line ends, `\b \b` erase echoes, carriage returns that
 * overwrite, escape sequences dropped), long lines wrapped to the pane, scrollback with
 * search, and the bytes a key sends to the guest (what xenconsole copies from the
 * user's terminal, xl-commands.md §6). Pure functions; the reducer keeps the sessions.
 */
import type { Key } from 'ink';

/** Logical lines a session keeps (the guest's ring is 64 KiB; this is its scrollback). */
export const SCROLLBACK_LINES = 5000;

/** What was parsed so far of a console's output: finished lines, the line being written and its cursor. */
export interface ConsoleText {
  /** Lines ended by a newline, oldest first (at most `SCROLLBACK_LINES`). */
  lines: readonly string[];
  /** The unfinished last line (a prompt such as `alpine-pv login: `). */
  current: string;
  /** Cursor column in `current` (a carriage return moves it to 0, `\b` one left). */
  col: number;
  /** An escape sequence cut by the end of the previous chunk. */
  pendingEsc: string;
}

/** Nothing printed yet. */
export const EMPTY_TEXT: ConsoleText = { lines: [], current: '', col: 0, pendingEsc: '' };

/** Expand TABs to 8-column stops, as a terminal shows them. */
export function expandTabs(l: string): string {
  if (!l.includes('\t')) return l;
  let out = '';
  for (const c of l) {
    if (c === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += c;
  }
  return out;
}

/**
 * Feed `chunk` of console output into `t`, as a terminal would draw it. Returns a new
 * value (`t` is not changed). CSI/OSC escape sequences are dropped, a lone CR returns the
 * cursor to column 0 (the next characters overwrite), BS moves left, LF ends the line.
 */
export function feedConsole(t: ConsoleText, chunk: string): ConsoleText {
  if (chunk === '') return t;
  const lines = t.lines.slice();
  let cur = t.current;
  let col = t.col;
  const s = t.pendingEsc + chunk;
  let pendingEsc = '';
  const put = (c: string): void => {
    if (col >= cur.length) cur = cur + ' '.repeat(col - cur.length) + c;
    else cur = cur.slice(0, col) + c + cur.slice(col + 1);
    col++;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\x1b') {
      // CSI: ESC [ params final; OSC: ESC ] … BEL or ST; other: ESC + one char.
      const rest = s.slice(i);
      const m = /^\x1b\[[0-?]*[ -/]*[@-~]/.exec(rest) ?? /^\x1b\][^\x07\x1b]*(\x07|\x1b\\)/.exec(rest) ?? /^\x1b[^[\]]/.exec(rest);
      if (m) {
        i += m[0].length - 1;
        continue;
      }
      pendingEsc = rest.length < 64 ? rest : '';
      break;
    }
    if (c === '\n') {
      lines.push(cur);
      cur = '';
      col = 0;
    } else if (c === '\r') col = 0;
    else if (c === '\b') col = Math.max(0, col - 1);
    else if (c === '\t') {
      const to = (Math.floor(col / 8) + 1) * 8;
      while (col < to) put(' ');
    } else if (c === '\x07' || c < ' ' || c === '\x7f') continue;
    else put(c);
  }
  const keep = lines.length > SCROLLBACK_LINES ? lines.slice(lines.length - SCROLLBACK_LINES) : lines;
  return { lines: keep, current: cur, col, pendingEsc };
}

/** Every line of the console, the unfinished one last (left out when empty). */
export function allLines(t: ConsoleText): readonly string[] {
  return t.current === '' ? t.lines : [...t.lines, t.current];
}

const wrapCache = new WeakMap<object, { width: number; rows: string[] }>();

/**
 * The console's lines wrapped to `width` columns (long lines continue on the next row,
 * nothing is cut). Cached per `ConsoleText` and width, so drawing a frame does not wrap
 * the whole scrollback again.
 */
export function wrapConsole(t: ConsoleText, width: number): string[] {
  const w = Math.max(1, width);
  const hit = wrapCache.get(t.lines);
  let rows: string[];
  if (hit && hit.width === w) rows = hit.rows;
  else {
    rows = [];
    for (const l of t.lines) wrapInto(rows, l, w);
    wrapCache.set(t.lines, { width: w, rows });
  }
  if (t.current === '') return rows;
  const out = rows.slice();
  wrapInto(out, t.current, w);
  return out;
}

function wrapInto(out: string[], line: string, w: number): void {
  const l = expandTabs(line);
  if (l.length <= w) {
    out.push(l);
    return;
  }
  for (let i = 0; i < l.length; i += w) out.push(l.slice(i, i + w));
}

/** One open console: the guest, what it printed, where the pane is scrolled to. */
export interface ConsoleSession {
  domid: number;
  name: string;
  text: ConsoleText;
  /** Bytes of console output read so far (the offset for `consoleSince`). */
  total: number;
  /** First wrapped row shown, or `follow` (the newest page). */
  scroll: number | 'follow';
  /** The domain is gone (destroyed); its last words stay readable. */
  gone: boolean;
}

/** A new session for `domid`, before its first read. */
export function newSession(domid: number, name: string): ConsoleSession {
  return { domid, name, text: EMPTY_TEXT, total: 0, scroll: 'follow', gone: false };
}

/** The first row shown of `rows` wrapped rows in a pane `height` high. */
export function firstRow(scroll: number | 'follow', rows: number, height: number): number {
  const last = Math.max(0, rows - height);
  return scroll === 'follow' ? last : Math.min(Math.max(0, scroll), last);
}

/** Scroll by `delta` rows (negative = back); reaching the end follows again. */
export function scrollBy(s: ConsoleSession, delta: number, width: number, height: number): ConsoleSession {
  const rows = wrapConsole(s.text, width).length;
  const last = Math.max(0, rows - height);
  const next = Math.min(last, Math.max(0, firstRow(s.scroll, rows, height) + delta));
  return { ...s, scroll: next >= last ? 'follow' : next };
}

/** Whether a console row matches a search pattern already lower-cased: case-insensitive substring. */
function rowMatches(row: string, lowerPattern: string): boolean {
  return row.toLowerCase().includes(lowerPattern);
}

/**
 * The wrapped row of the next match of `pattern` (case-insensitive) strictly above
 * (`older`) or below (`newer`) row `from`, or undefined.
 */
export function findMatch(rows: readonly string[], pattern: string, from: number, dir: 'older' | 'newer'): number | undefined {
  if (pattern === '') return undefined;
  const p = pattern.toLowerCase();
  if (dir === 'older') {
    for (let i = Math.min(from, rows.length) - 1; i >= 0; i--) if (rowMatches(rows[i]!, p)) return i;
  } else {
    for (let i = Math.max(-1, from) + 1; i < rows.length; i++) if (rowMatches(rows[i]!, p)) return i;
  }
  return undefined;
}

/**
 * Which match row `row` is, counted from the oldest (`k`, from 1), of the `n` rows that
 * match `pattern` as `findMatch` matches them (case-insensitive substring).
 */
export function matchRank(rows: readonly string[], pattern: string, row: number): { k: number; n: number } {
  const p = pattern.toLowerCase();
  let n = 0;
  let k = 0;
  rows.forEach((r, i) => {
    if (!rowMatches(r, p)) return;
    n++;
    if (i <= row) k++;
  });
  return { k, n };
}

/**
 * The bytes a key sends to the guest, as a terminal in raw mode sends them (what
 * xenconsole copies): Enter CR, Backspace DEL, Ctrl-<letter> its control code, arrows
 * and Home/End their ANSI sequences, printable text as typed. Undefined for keys that
 * send nothing.
 */
export function guestBytes(input: string, key: Key): string | undefined {
  if (key.return) return '\r';
  if (key.backspace || key.delete) return '\x7f';
  if (key.upArrow) return '\x1b[A';
  if (key.downArrow) return '\x1b[B';
  if (key.rightArrow) return '\x1b[C';
  if (key.leftArrow) return '\x1b[D';
  if (key.home) return '\x1b[H';
  if (key.escape) return '\x1b';
  if (key.tab) return '\t';
  if (key.ctrl && /^[a-z]$/i.test(input)) return String.fromCharCode(input.toLowerCase().charCodeAt(0) - 0x60);
  if (key.ctrl) return undefined;
  if (key.meta && input.length > 0) return `\x1b${input}`;
  return input.length > 0 ? input : undefined;
}
