/**
 * The one keymap of `xlsim top`: every key the dashboard understands, in every pane.
 * The input hooks match keys against it, the help screen (`?`) lists it and the bottom
 * key bars are drawn from it, so the three never disagree (stack-notes.md §C4).
 *
 * xentop's own keys follow tools/xentop/xentop.c `handle_key` (xl-commands.md §4.4:
 * case-insensitive `D N B V R S Q`, Esc, Up/Down, Ctrl-L); the console pane leaves on
 * Ctrl-] as `xl console` does (xl-commands.md §6). Every xentop key works in both cases,
 * as in xentop, so a xentop user's habits do what they expect. xlsim adds lower-case
 * actions on the selected domain on letters xentop does not use (`p h o x c`, `:` and
 * `?`); the two that end a domain, `h` (halt: xl shutdown) and `x` (xl destroy), ask
 * y/N first.
 */
import type { Key } from 'ink';

/** Which pane a binding belongs to; only the focused pane listens. */
export type Scope = 'dashboard' | 'delay' | 'confirm' | 'console' | 'palette' | 'help';

/** What a key asks for; the reducer and the app's effects carry it out. */
export type KeyAction =
  | 'delay'
  | 'toggleNetworks'
  | 'toggleVbds'
  | 'toggleVcpus'
  | 'toggleRepeat'
  | 'nextSort'
  | 'quit'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'repaint'
  | 'pause'
  | 'shutdown'
  | 'reboot'
  | 'destroy'
  | 'console'
  | 'palette'
  | 'help'
  | 'close'
  | 'confirm'
  | 'submit'
  | 'backspace';

/** One key as Ink 6.8 reports it: a printable `input`, or a named key flag, optionally with Ctrl. */
export interface KeySpec {
  /** Exact `input` string (e.g. `'D'`, `'\x1d'` for Ctrl-]). */
  input?: string;
  /** A named key from Ink's `Key` (e.g. `'escape'`, `'upArrow'`, `'return'`). */
  named?: 'escape' | 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'backspace' | 'delete';
  /** Requires Ctrl (Ctrl-L arrives as input `'l'` with `key.ctrl`). */
  ctrl?: boolean;
}

/** A label drawn in a key bar, with the hot-key letter at `hot` in reverse video (xentop.c `do_bottom_line`). */
export interface BarLabel {
  text: string;
  /** Index of the hot-key letter in `text`; absent = draw the key's `label` before `text`. */
  hot?: number;
  /** What the bar writes for the key instead of the binding's `label` (e.g. `Up/Down` for a pair). */
  key?: string;
  /**
   * `xentop` = xentop's own status line (drawn at the last row, dashboard only); `xlsim` =
   * the line above it, listing the keys of the focused pane.
   */
  line: 'xentop' | 'xlsim';
}

/** One row of the keymap table. */
export interface KeyBinding {
  scope: Scope;
  action: KeyAction;
  keys: KeySpec[];
  /** How the help screen writes the key, e.g. `D`, `Esc`, `Up/Down`. */
  label: string;
  /** One line for the help screen. */
  description: string;
  bar?: BarLabel;
  /** The display option this key toggles; its bar label is highlighted while on. */
  toggles?: 'networks' | 'vbds' | 'vcpus' | 'repeatHeader';
}

const both = (c: string): KeySpec[] => [{ input: c.toLowerCase() }, { input: c.toUpperCase() }];

/** The keymap table. Order here is the order of the help screen and of the key bars. */
export const KEYMAP: readonly KeyBinding[] = [
  // xentop's keys, case-insensitive as in xentop.c `handle_key`.
  { scope: 'dashboard', action: 'delay', keys: both('d'), label: 'D', description: 'set the refresh delay in seconds', bar: { text: 'Delay', hot: 0, line: 'xentop' } },
  { scope: 'dashboard', action: 'toggleNetworks', keys: both('n'), label: 'N', description: 'show network details (one line per vif)', bar: { text: 'Networks', hot: 0, line: 'xentop' }, toggles: 'networks' },
  { scope: 'dashboard', action: 'toggleVbds', keys: both('b'), label: 'B', description: 'show virtual block device details (one line per vbd)', bar: { text: 'vBds', hot: 1, line: 'xentop' }, toggles: 'vbds' },
  { scope: 'dashboard', action: 'toggleVcpus', keys: both('v'), label: 'V', description: 'show per-vCPU CPU time', bar: { text: 'VCPUs', hot: 0, line: 'xentop' }, toggles: 'vcpus' },
  { scope: 'dashboard', action: 'toggleRepeat', keys: both('r'), label: 'R', description: 'repeat the column header before every domain', bar: { text: 'Repeat header', hot: 0, line: 'xentop' }, toggles: 'repeatHeader' },
  { scope: 'dashboard', action: 'nextSort', keys: both('s'), label: 'S', description: 'sort by the next column', bar: { text: 'Sort order', hot: 0, line: 'xentop' } },
  { scope: 'dashboard', action: 'quit', keys: [...both('q'), { named: 'escape' }], label: 'Q/Esc', description: 'quit', bar: { text: 'Quit', hot: 0, line: 'xentop' } },
  { scope: 'dashboard', action: 'up', keys: [{ named: 'upArrow' }], label: 'Up', description: 'select the previous domain' },
  { scope: 'dashboard', action: 'down', keys: [{ named: 'downArrow' }], label: 'Down', description: 'select the next domain' },
  { scope: 'dashboard', action: 'left', keys: [{ named: 'leftArrow' }], label: 'Left', description: 'scroll the columns left' },
  { scope: 'dashboard', action: 'right', keys: [{ named: 'rightArrow' }], label: 'Right', description: 'scroll the columns right (rows are wider than most terminals)' },
  { scope: 'dashboard', action: 'repaint', keys: [{ input: 'l', ctrl: true }, { input: 'L', ctrl: true }], label: 'Ctrl-L', description: 'refresh now' },
  // xlsim's actions on the selected domain.
  { scope: 'dashboard', action: 'pause', keys: [{ input: 'p' }], label: 'p', description: 'pause or unpause the selected domain (xl pause / xl unpause)', bar: { text: 'pause', line: 'xlsim' } },
  { scope: 'dashboard', action: 'shutdown', keys: [{ input: 'h' }], label: 'h', description: 'halt: shut down the selected domain, after a confirm (xl shutdown)', bar: { text: 'halt', line: 'xlsim' } },
  { scope: 'dashboard', action: 'reboot', keys: [{ input: 'o' }], label: 'o', description: 'reboot the selected domain (xl reboot)', bar: { text: 'reboot', line: 'xlsim' } },
  { scope: 'dashboard', action: 'destroy', keys: [{ input: 'x' }], label: 'x', description: 'destroy the selected domain, after a confirm (xl destroy)', bar: { text: 'destroy', line: 'xlsim' } },
  { scope: 'dashboard', action: 'console', keys: [{ input: 'c' }], label: 'c', description: "open the selected domain's console log", bar: { text: 'console', line: 'xlsim' } },
  { scope: 'dashboard', action: 'palette', keys: [{ input: ':' }], label: ':', description: 'run an xl command', bar: { text: 'command', line: 'xlsim' } },
  { scope: 'dashboard', action: 'help', keys: [{ input: '?' }], label: '?', description: 'this help', bar: { text: 'help', line: 'xlsim' } },
  // Delay prompt (xentop's `Delay(sec): `).
  { scope: 'delay', action: 'submit', keys: [{ named: 'return' }], label: 'Enter', description: 'apply the delay if it is greater than 0', bar: { text: 'apply', line: 'xlsim' } },
  { scope: 'delay', action: 'backspace', keys: [{ named: 'backspace' }, { named: 'delete' }], label: 'Backspace', description: 'delete the last character', bar: { text: 'delete', line: 'xlsim' } },
  { scope: 'delay', action: 'close', keys: [{ named: 'escape' }], label: 'Esc', description: 'cancel', bar: { text: 'cancel', line: 'xlsim' } },
  // Shutdown / destroy confirmation.
  { scope: 'confirm', action: 'confirm', keys: both('y'), label: 'y', description: 'shut down or destroy the domain as asked', bar: { text: 'yes', line: 'xlsim' } },
  { scope: 'confirm', action: 'close', keys: [...both('n'), { named: 'escape' }, { named: 'return' }], label: 'n/Esc/Enter', description: 'leave the domain as it is (the default answer)', bar: { text: 'no', line: 'xlsim' } },
  // Console pane.
  { scope: 'console', action: 'close', keys: [{ input: '\x1d' }, { named: 'escape' }], label: 'Ctrl-]/Esc', description: 'leave the console, as xl console does', bar: { text: 'leave', line: 'xlsim' } },
  { scope: 'console', action: 'up', keys: [{ named: 'upArrow' }], label: 'Up', description: 'scroll up one line', bar: { key: 'Up/Down', text: 'scroll', line: 'xlsim' } },
  { scope: 'console', action: 'down', keys: [{ named: 'downArrow' }], label: 'Down', description: 'scroll down one line' },
  { scope: 'console', action: 'pageUp', keys: [{ named: 'pageUp' }], label: 'PgUp', description: 'scroll up one page', bar: { key: 'PgUp/PgDn', text: 'page', line: 'xlsim' } },
  { scope: 'console', action: 'pageDown', keys: [{ named: 'pageDown' }], label: 'PgDn', description: 'scroll down one page' },
  { scope: 'console', action: 'top', keys: [{ named: 'home' }], label: 'Home', description: 'go to the first line', bar: { text: 'first line', line: 'xlsim' } },
  { scope: 'console', action: 'bottom', keys: [{ named: 'end' }], label: 'End', description: 'follow the newest output', bar: { text: 'follow', line: 'xlsim' } },
  // Command palette.
  { scope: 'palette', action: 'submit', keys: [{ named: 'return' }], label: 'Enter', description: 'run the xl command typed after the colon', bar: { text: 'run', line: 'xlsim' } },
  { scope: 'palette', action: 'backspace', keys: [{ named: 'backspace' }, { named: 'delete' }], label: 'Backspace', description: 'delete the last character' },
  { scope: 'palette', action: 'close', keys: [{ named: 'escape' }], label: 'Esc', description: 'close the palette and its output', bar: { text: 'close', line: 'xlsim' } },
  { scope: 'palette', action: 'up', keys: [{ named: 'upArrow' }], label: 'Up', description: 'recall the previous command', bar: { key: 'Up/Down', text: 'history', line: 'xlsim' } },
  { scope: 'palette', action: 'down', keys: [{ named: 'downArrow' }], label: 'Down', description: 'recall the next command' },
  { scope: 'palette', action: 'pageUp', keys: [{ named: 'pageUp' }], label: 'PgUp', description: 'scroll the output up one page', bar: { key: 'PgUp/PgDn', text: 'page', line: 'xlsim' } },
  { scope: 'palette', action: 'pageDown', keys: [{ named: 'pageDown' }], label: 'PgDn', description: 'scroll the output down one page' },
  { scope: 'palette', action: 'top', keys: [{ named: 'home' }], label: 'Home', description: 'go to the first line of the output' },
  { scope: 'palette', action: 'bottom', keys: [{ named: 'end' }], label: 'End', description: 'go to the last page of the output' },
  // Help screen.
  { scope: 'help', action: 'close', keys: [{ named: 'escape' }, { input: '?' }, ...both('q')], label: 'Esc/?/q', description: 'close the help', bar: { text: 'close', line: 'xlsim' } },
  { scope: 'help', action: 'up', keys: [{ named: 'upArrow' }], label: 'Up', description: 'scroll up', bar: { key: 'Up/Down', text: 'scroll', line: 'xlsim' } },
  { scope: 'help', action: 'down', keys: [{ named: 'downArrow' }], label: 'Down', description: 'scroll down' },
];

/** Headings of the help screen's sections, one per scope. */
export const SCOPE_TITLES: Record<Scope, string> = {
  dashboard: "Dashboard (xentop's keys D N B V R S Q work in either case, as in xentop)",
  delay: 'Delay prompt',
  confirm: 'Shutdown / destroy confirmation',
  console: 'Console pane',
  palette: 'Command palette',
  help: 'Help screen',
};

function specMatches(spec: KeySpec, input: string, key: Key): boolean {
  if (spec.named) {
    // Esc also sets key.meta in Ink 6.8: test the named flag alone (stack-notes.md §C3.1).
    return key[spec.named] === true;
  }
  if (spec.input === undefined) return false;
  if ((spec.ctrl ?? false) !== key.ctrl) return false;
  // Alt-<key> is not <key>: Alt-h must not shut a domain down.
  if (key.escape || key.meta) return false;
  return input === spec.input;
}

/**
 * The action bound to a key in `scope`, or undefined. `input`/`key` are what Ink's
 * `useInput` passes. Backspace as terminals send it (0x7f) arrives as `key.delete` in
 * Ink 6.8, so both are bound (stack-notes.md §C3.1).
 */
export function lookupKey(scope: Scope, input: string, key: Key): KeyAction | undefined {
  for (const b of KEYMAP) {
    if (b.scope !== scope) continue;
    if (b.keys.some((k) => specMatches(k, input, key))) return b.action;
  }
  return undefined;
}

/** The help screen's lines: a heading per scope, then `  <label padded>  <description>`. */
export function helpLines(): string[] {
  const out: string[] = ['xlsim top — keys', ''];
  const width = Math.max(...KEYMAP.map((b) => b.label.length));
  for (const scope of Object.keys(SCOPE_TITLES) as Scope[]) {
    const rows = KEYMAP.filter((b) => b.scope === scope);
    if (rows.length === 0) continue;
    out.push(SCOPE_TITLES[scope]);
    for (const b of rows) out.push(`  ${b.label.padEnd(width)}  ${b.description}`);
    out.push('');
  }
  return out;
}

/** The bindings of pane `scope` (default the dashboard) that appear on key bar `line`, in keymap order. */
export function barBindings(line: BarLabel['line'], scope: Scope = 'dashboard'): KeyBinding[] {
  return KEYMAP.filter((b) => b.scope === scope && b.bar?.line === line);
}
