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
 * y/N first. Navigation and views follow htop, btop and k9s: Enter drills down, `A`
 * draws the architecture, `/` filters, `<` `>` and `F` pick the sort column, `I`
 * inverts it, PgUp/PgDn/Home/End page.
 */
import type { Key } from 'ink';

/** Which pane a binding belongs to; only the focused pane listens. */
export type Scope =
  | 'dashboard'
  | 'delay'
  | 'confirm'
  | 'filter'
  | 'sort'
  | 'drill'
  | 'arch'
  | 'console'
  | 'search'
  | 'palette'
  | 'help';

/** What a key asks for; the reducer and the app's effects carry it out. */
export type KeyAction =
  | 'delay'
  | 'toggleNetworks'
  | 'toggleVbds'
  | 'toggleVcpus'
  | 'toggleRepeat'
  | 'nextSort'
  | 'quit'
  | 'escape'
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
  | 'consoles'
  | 'palette'
  | 'help'
  | 'drill'
  | 'arch'
  | 'filter'
  | 'sortPicker'
  | 'sortLeft'
  | 'sortRight'
  | 'invertSort'
  | 'toggleType'
  | 'toggleUuid'
  | 'close'
  | 'confirm'
  | 'submit'
  | 'backspace'
  | 'clearLine'
  | 'deleteWord'
  | 'complete'
  | 'nextTab'
  | 'prevTab'
  | 'pick'
  | 'nextConsole'
  | 'prevConsole'
  | 'split'
  | 'closeConsole'
  | 'search'
  | 'older'
  | 'newer'
  | 'compare';

/** One key as Ink 6.8 reports it: a printable `input`, or a named key flag, optionally with Ctrl or Alt. */
export interface KeySpec {
  /** Exact `input` string (e.g. `'D'`, `'\x1d'` for Ctrl-]); with `digit`, ignored. */
  input?: string;
  /** Any decimal digit 1–9 (the action gets the digit). */
  digit?: boolean;
  /** A named key from Ink's `Key` (e.g. `'escape'`, `'upArrow'`, `'return'`). */
  named?: 'escape' | 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'backspace' | 'delete' | 'tab';
  /** Requires Ctrl (Ctrl-L arrives as input `'l'` with `key.ctrl`). */
  ctrl?: boolean;
  /** Requires Alt (Ink reports it as `key.meta`; Alt-1 arrives as input `'1'` with `meta`). */
  alt?: boolean;
  /** Requires Shift (Shift-Tab). */
  shift?: boolean;
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
const named = (n: NonNullable<KeySpec['named']>): KeySpec => ({ named: n });
const ctrl = (c: string): KeySpec => ({ input: c, ctrl: true });
const alt = (c: string): KeySpec => ({ input: c, alt: true });

/** The keymap table. Order here is the order of the help screen and of the key bars. */
export const KEYMAP: readonly KeyBinding[] = [
  // xentop's keys, case-insensitive as in xentop.c `handle_key`.
  { scope: 'dashboard', action: 'delay', keys: both('d'), label: 'D', description: 'set the refresh delay in seconds', bar: { text: 'Delay', hot: 0, line: 'xentop' } },
  { scope: 'dashboard', action: 'toggleNetworks', keys: both('n'), label: 'N', description: 'show network details (one line per vif)', bar: { text: 'Networks', hot: 0, line: 'xentop' }, toggles: 'networks' },
  { scope: 'dashboard', action: 'toggleVbds', keys: both('b'), label: 'B', description: 'show virtual block device details (one line per vbd)', bar: { text: 'vBds', hot: 1, line: 'xentop' }, toggles: 'vbds' },
  { scope: 'dashboard', action: 'toggleVcpus', keys: both('v'), label: 'V', description: 'show per-vCPU CPU time', bar: { text: 'VCPUs', hot: 0, line: 'xentop' }, toggles: 'vcpus' },
  { scope: 'dashboard', action: 'toggleRepeat', keys: both('r'), label: 'R', description: 'repeat the column header before every domain', bar: { text: 'Repeat header', hot: 0, line: 'xentop' }, toggles: 'repeatHeader' },
  { scope: 'dashboard', action: 'nextSort', keys: both('s'), label: 'S', description: 'sort by the next column', bar: { text: 'Sort order', hot: 0, line: 'xentop' } },
  { scope: 'dashboard', action: 'quit', keys: [...both('q'), ctrl('c')], label: 'Q', description: 'quit (Ctrl-C too, in every pane but a console)', bar: { text: 'Quit', hot: 0, line: 'xentop' } },
  { scope: 'dashboard', action: 'escape', keys: [named('escape')], label: 'Esc', description: 'cancel the running action, else clear the filter, else quit (xentop)' },
  { scope: 'dashboard', action: 'up', keys: [named('upArrow')], label: 'Up', description: 'select the previous domain' },
  { scope: 'dashboard', action: 'down', keys: [named('downArrow')], label: 'Down', description: 'select the next domain' },
  { scope: 'dashboard', action: 'pageUp', keys: [named('pageUp')], label: 'PgUp', description: 'select one screen up' },
  { scope: 'dashboard', action: 'pageDown', keys: [named('pageDown')], label: 'PgDn', description: 'select one screen down' },
  { scope: 'dashboard', action: 'top', keys: [named('home')], label: 'Home', description: 'select the first domain' },
  { scope: 'dashboard', action: 'bottom', keys: [named('end')], label: 'End', description: 'select the last domain' },
  { scope: 'dashboard', action: 'left', keys: [named('leftArrow')], label: 'Left', description: 'scroll the columns left (NAME stays)' },
  { scope: 'dashboard', action: 'right', keys: [named('rightArrow')], label: 'Right', description: 'scroll the columns right, one column at a time (NAME stays)' },
  { scope: 'dashboard', action: 'repaint', keys: [ctrl('l'), ctrl('L')], label: 'Ctrl-L', description: 'refresh now' },
  // xlsim's views and actions on the selected domain.
  { scope: 'dashboard', action: 'drill', keys: [named('return')], label: 'Enter', description: 'drill down: config, vCPUs, devices (both ends), calls, charts, xenstore', bar: { text: 'detail', line: 'xlsim' } },
  { scope: 'dashboard', action: 'arch', keys: [{ input: 'A' }, { input: 'a' }], label: 'A', description: 'the architecture view: the live host drawn as the Xen documentation draws it', bar: { text: 'arch', line: 'xlsim' } },
  { scope: 'dashboard', action: 'filter', keys: [{ input: '/' }], label: '/', description: 'filter the domains by name, state letter (state:p) or type (type:hvm)', bar: { text: 'filter', line: 'xlsim' } },
  { scope: 'dashboard', action: 'console', keys: [{ input: 'c' }], label: 'c', description: "open the selected domain's console (type to the guest; Ctrl-] leaves)", bar: { text: 'console', line: 'xlsim' } },
  { scope: 'dashboard', action: 'palette', keys: [{ input: ':' }], label: ':', description: 'run an xl command (Tab completes)', bar: { text: 'command', line: 'xlsim' } },
  { scope: 'dashboard', action: 'pause', keys: [{ input: 'p' }], label: 'p', description: 'pause or unpause the selected domain (xl pause / xl unpause)', bar: { text: 'pause', line: 'xlsim' } },
  { scope: 'dashboard', action: 'shutdown', keys: [{ input: 'h' }], label: 'h', description: 'halt: shut down the selected domain, after a confirm (xl shutdown)', bar: { text: 'halt', line: 'xlsim' } },
  { scope: 'dashboard', action: 'reboot', keys: [{ input: 'o' }], label: 'o', description: 'reboot the selected domain (xl reboot)', bar: { text: 'reboot', line: 'xlsim' } },
  { scope: 'dashboard', action: 'destroy', keys: [{ input: 'x' }], label: 'x', description: 'destroy the selected domain, after a confirm (xl destroy)', bar: { text: 'destroy', line: 'xlsim' } },
  { scope: 'dashboard', action: 'sortLeft', keys: [{ input: '<' }, { input: ',' }], label: '<', description: 'sort by the column to the left' },
  { scope: 'dashboard', action: 'sortRight', keys: [{ input: '>' }, { input: '.' }], label: '>', description: 'sort by the column to the right' },
  { scope: 'dashboard', action: 'sortPicker', keys: [{ input: 'F' }, { input: 'f' }], label: 'F', description: 'pick the sort column from a list (press its letter)', bar: { text: 'sort', line: 'xlsim' } },
  { scope: 'dashboard', action: 'invertSort', keys: [{ input: 'I' }, { input: 'i' }], label: 'I', description: 'invert the sort order, as in htop', bar: { text: 'invert', line: 'xlsim' } },
  { scope: 'dashboard', action: 'toggleType', keys: [{ input: 'T' }, { input: 't' }], label: 'T', description: 'show or hide the TYPE column (PV, PVH, HVM, Domain-0)' },
  { scope: 'dashboard', action: 'toggleUuid', keys: [{ input: 'U' }, { input: 'u' }], label: 'U', description: 'show or hide the UUID column' },
  { scope: 'dashboard', action: 'consoles', keys: [named('tab')], label: 'Tab', description: 'back to the open consoles' },
  { scope: 'dashboard', action: 'help', keys: [{ input: '?' }], label: '?', description: 'this help', bar: { text: 'help', line: 'xlsim' } },
  // Delay prompt (xentop's `Delay(sec): `).
  { scope: 'delay', action: 'submit', keys: [named('return')], label: 'Enter', description: 'apply the delay if it is greater than 0', bar: { text: 'apply', line: 'xlsim' } },
  { scope: 'delay', action: 'backspace', keys: [named('backspace'), named('delete')], label: 'Backspace', description: 'delete the last character', bar: { text: 'delete', line: 'xlsim' } },
  { scope: 'delay', action: 'close', keys: [named('escape')], label: 'Esc', description: 'cancel', bar: { text: 'cancel', line: 'xlsim' } },
  // Shutdown / destroy confirmation.
  { scope: 'confirm', action: 'confirm', keys: both('y'), label: 'y', description: 'shut down or destroy the domain as asked', bar: { text: 'yes', line: 'xlsim' } },
  { scope: 'confirm', action: 'close', keys: [...both('n'), named('escape'), named('return')], label: 'n/Esc/Enter', description: 'leave the domain as it is (the default answer)', bar: { text: 'no', line: 'xlsim' } },
  // Filter prompt.
  { scope: 'filter', action: 'submit', keys: [named('return')], label: 'Enter', description: 'keep the filter and go back to the table', bar: { text: 'keep', line: 'xlsim' } },
  { scope: 'filter', action: 'close', keys: [named('escape')], label: 'Esc', description: 'clear the filter', bar: { text: 'clear', line: 'xlsim' } },
  { scope: 'filter', action: 'backspace', keys: [named('backspace'), named('delete')], label: 'Backspace', description: 'delete the last character' },
  { scope: 'filter', action: 'clearLine', keys: [ctrl('u')], label: 'Ctrl-U', description: 'clear the line', bar: { text: 'clear line', line: 'xlsim' } },
  { scope: 'filter', action: 'deleteWord', keys: [ctrl('w')], label: 'Ctrl-W', description: 'delete the last word' },
  // Sort picker.
  { scope: 'sort', action: 'up', keys: [named('upArrow')], label: 'Up', description: 'previous column', bar: { key: 'Up/Down', text: 'move', line: 'xlsim' } },
  { scope: 'sort', action: 'down', keys: [named('downArrow')], label: 'Down', description: 'next column' },
  { scope: 'sort', action: 'submit', keys: [named('return')], label: 'Enter', description: 'sort by the highlighted column (or press its letter)', bar: { text: 'sort', line: 'xlsim' } },
  { scope: 'sort', action: 'invertSort', keys: [{ input: 'I' }], label: 'I', description: 'invert the order', bar: { text: 'invert', line: 'xlsim' } },
  { scope: 'sort', action: 'close', keys: [named('escape')], label: 'Esc', description: 'close the list', bar: { text: 'close', line: 'xlsim' } },
  // Drill-down.
  { scope: 'drill', action: 'close', keys: [named('escape'), ...both('q')], label: 'Esc/q', description: 'back to the table', bar: { text: 'back', line: 'xlsim' } },
  { scope: 'drill', action: 'nextTab', keys: [named('tab'), named('rightArrow')], label: 'Tab/Right', description: 'next tab', bar: { key: 'Tab/1-5', text: 'tabs', line: 'xlsim' } },
  { scope: 'drill', action: 'prevTab', keys: [{ named: 'tab', shift: true }, named('leftArrow')], label: 'Shift-Tab/Left', description: 'previous tab' },
  { scope: 'drill', action: 'pick', keys: [{ digit: true }], label: '1-5', description: 'tab: 1 overview, 2 devices, 3 hypercalls or VM exits, 4 charts, 5 xenstore' },
  { scope: 'drill', action: 'up', keys: [named('upArrow')], label: 'Up', description: 'scroll up (xenstore: previous node)', bar: { key: 'Up/Down', text: 'scroll', line: 'xlsim' } },
  { scope: 'drill', action: 'down', keys: [named('downArrow')], label: 'Down', description: 'scroll down (xenstore: next node)' },
  { scope: 'drill', action: 'pageUp', keys: [named('pageUp')], label: 'PgUp', description: 'scroll up one page' },
  { scope: 'drill', action: 'pageDown', keys: [named('pageDown')], label: 'PgDn', description: 'scroll down one page' },
  { scope: 'drill', action: 'top', keys: [named('home')], label: 'Home', description: 'go to the top' },
  { scope: 'drill', action: 'bottom', keys: [named('end')], label: 'End', description: 'go to the bottom' },
  { scope: 'drill', action: 'submit', keys: [named('return'), { input: ' ' }], label: 'Enter', description: 'xenstore: open or close the node', bar: { text: 'open', line: 'xlsim' } },
  { scope: 'drill', action: 'compare', keys: [{ input: ']' }, { input: '[' }], label: '[ ]', description: 'hypercalls tab: compare with the next / previous domain', bar: { key: '[ ]', text: 'compare', line: 'xlsim' } },
  { scope: 'drill', action: 'console', keys: [{ input: 'c' }], label: 'c', description: "open this domain's console", bar: { text: 'console', line: 'xlsim' } },
  { scope: 'drill', action: 'arch', keys: [{ input: 'A' }], label: 'A', description: 'the architecture view with this domain highlighted' },
  { scope: 'drill', action: 'repaint', keys: [ctrl('l')], label: 'Ctrl-L', description: 'refresh now' },
  // Architecture view.
  { scope: 'arch', action: 'close', keys: [named('escape'), ...both('q'), { input: 'A' }], label: 'Esc/q/A', description: 'back to the table', bar: { text: 'back', line: 'xlsim' } },
  { scope: 'arch', action: 'up', keys: [named('upArrow')], label: 'Up', description: 'select the previous guest', bar: { key: 'Up/Down', text: 'guest', line: 'xlsim' } },
  { scope: 'arch', action: 'down', keys: [named('downArrow')], label: 'Down', description: 'select the next guest' },
  { scope: 'arch', action: 'pageUp', keys: [named('pageUp')], label: 'PgUp', description: 'one screen of guests up' },
  { scope: 'arch', action: 'pageDown', keys: [named('pageDown')], label: 'PgDn', description: 'one screen of guests down' },
  { scope: 'arch', action: 'drill', keys: [named('return')], label: 'Enter', description: 'drill down into the selected guest', bar: { text: 'detail', line: 'xlsim' } },
  { scope: 'arch', action: 'console', keys: [{ input: 'c' }], label: 'c', description: "open the selected guest's console", bar: { text: 'console', line: 'xlsim' } },
  { scope: 'arch', action: 'repaint', keys: [ctrl('l')], label: 'Ctrl-L', description: 'refresh now' },
  // Console panes.
  { scope: 'console', action: 'close', keys: [{ input: '\x1d' }], label: 'Ctrl-]', description: 'leave, as xl console does (consoles stay open: Tab on the table returns)', bar: { text: 'leave', line: 'xlsim' } },
  { scope: 'console', action: 'nextConsole', keys: [named('tab')], label: 'Tab', description: 'next open console', bar: { key: 'Tab/Alt-1-9', text: 'switch', line: 'xlsim' } },
  { scope: 'console', action: 'prevConsole', keys: [{ named: 'tab', shift: true }], label: 'Shift-Tab', description: 'previous open console' },
  { scope: 'console', action: 'pick', keys: [{ digit: true, alt: true }], label: 'Alt-1-9', description: 'console number 1-9' },
  { scope: 'console', action: 'split', keys: [alt('s')], label: 'Alt-s', description: 'split the open consoles side by side, or back to one', bar: { text: 'split', line: 'xlsim' } },
  { scope: 'console', action: 'closeConsole', keys: [alt('w')], label: 'Alt-w', description: 'close this console', bar: { text: 'close', line: 'xlsim' } },
  { scope: 'console', action: 'pageUp', keys: [named('pageUp')], label: 'PgUp', description: 'scroll back one page', bar: { key: 'PgUp/PgDn', text: 'scroll', line: 'xlsim' } },
  { scope: 'console', action: 'pageDown', keys: [named('pageDown')], label: 'PgDn', description: 'scroll forward one page' },
  { scope: 'console', action: 'bottom', keys: [named('end')], label: 'End', description: 'follow the newest output' },
  { scope: 'console', action: 'search', keys: [ctrl('f')], label: 'Ctrl-F', description: 'search the scrollback', bar: { text: 'search', line: 'xlsim' } },
  // Console search prompt.
  { scope: 'search', action: 'submit', keys: [named('return'), named('upArrow')], label: 'Enter/Up', description: 'the next older match', bar: { text: 'older', line: 'xlsim' } },
  { scope: 'search', action: 'newer', keys: [named('downArrow')], label: 'Down', description: 'the next newer match', bar: { text: 'newer', line: 'xlsim' } },
  { scope: 'search', action: 'backspace', keys: [named('backspace'), named('delete')], label: 'Backspace', description: 'delete the last character' },
  { scope: 'search', action: 'clearLine', keys: [ctrl('u')], label: 'Ctrl-U', description: 'clear the pattern' },
  { scope: 'search', action: 'close', keys: [named('escape')], label: 'Esc', description: 'stop searching (back to typing to the guest)', bar: { text: 'done', line: 'xlsim' } },
  // Command palette.
  { scope: 'palette', action: 'submit', keys: [named('return')], label: 'Enter', description: 'run the xl command typed after the colon', bar: { text: 'run', line: 'xlsim' } },
  { scope: 'palette', action: 'complete', keys: [named('tab')], label: 'Tab', description: 'complete the command, option, domain or file name', bar: { text: 'complete', line: 'xlsim' } },
  { scope: 'palette', action: 'backspace', keys: [named('backspace'), named('delete')], label: 'Backspace', description: 'delete the last character' },
  { scope: 'palette', action: 'clearLine', keys: [ctrl('u')], label: 'Ctrl-U', description: 'clear the line' },
  { scope: 'palette', action: 'deleteWord', keys: [ctrl('w')], label: 'Ctrl-W', description: 'delete the last word' },
  { scope: 'palette', action: 'close', keys: [named('escape')], label: 'Esc', description: 'close the palette and its output', bar: { text: 'close', line: 'xlsim' } },
  { scope: 'palette', action: 'up', keys: [named('upArrow')], label: 'Up', description: 'recall the previous command', bar: { key: 'Up/Down', text: 'history', line: 'xlsim' } },
  { scope: 'palette', action: 'down', keys: [named('downArrow')], label: 'Down', description: 'recall the next command' },
  { scope: 'palette', action: 'pageUp', keys: [named('pageUp')], label: 'PgUp', description: 'scroll the output up one page', bar: { key: 'PgUp/PgDn', text: 'page', line: 'xlsim' } },
  { scope: 'palette', action: 'pageDown', keys: [named('pageDown')], label: 'PgDn', description: 'scroll the output down one page' },
  { scope: 'palette', action: 'top', keys: [named('home')], label: 'Home', description: 'go to the first line of the output' },
  { scope: 'palette', action: 'bottom', keys: [named('end')], label: 'End', description: 'go to the last page of the output' },
  // Help screen.
  { scope: 'help', action: 'close', keys: [named('escape'), { input: '?' }, ...both('q')], label: 'Esc/?/q', description: 'close the help', bar: { text: 'close', line: 'xlsim' } },
  { scope: 'help', action: 'up', keys: [named('upArrow')], label: 'Up', description: 'scroll up', bar: { key: 'Up/Down', text: 'scroll', line: 'xlsim' } },
  { scope: 'help', action: 'down', keys: [named('downArrow')], label: 'Down', description: 'scroll down' },
  { scope: 'help', action: 'pageUp', keys: [named('pageUp')], label: 'PgUp', description: 'scroll up one page' },
  { scope: 'help', action: 'pageDown', keys: [named('pageDown')], label: 'PgDn', description: 'scroll down one page' },
];

/** Headings of the help screen's sections, one per scope. */
export const SCOPE_TITLES: Record<Scope, string> = {
  dashboard: "Dashboard (xentop's keys D N B V R S Q work in either case, as in xentop)",
  delay: 'Delay prompt',
  confirm: 'Shutdown / destroy confirmation',
  filter: 'Filter prompt (/)',
  sort: 'Sort column list (F)',
  drill: 'Drill-down (Enter on a domain)',
  arch: 'Architecture view (A)',
  console: 'Console panes (everything else typed goes to the guest)',
  search: 'Console search (Ctrl-F)',
  palette: 'Command palette (:)',
  help: 'Help screen',
};

function specMatches(spec: KeySpec, input: string, key: Key): boolean {
  if (spec.named) {
    // Esc also sets key.meta in Ink 6.8: test the named flag alone (stack-notes.md §C3.1).
    if (key[spec.named] !== true) return false;
    if (spec.named === 'tab') return (spec.shift ?? false) === key.shift;
    return true;
  }
  if ((spec.ctrl ?? false) !== key.ctrl) return false;
  if (key.escape) return false;
  // Alt-<key> is not <key>: Alt-h must not shut a domain down.
  if ((spec.alt ?? false) !== key.meta) return false;
  if (spec.digit) return /^[1-9]$/.test(input);
  if (spec.input === undefined) return false;
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
