/**
 * Routes keys to the focused pane: one Ink `useInput` listener, active only on a terminal
 * that supports raw mode (`isRawModeSupported === true`; on a pipe it is `undefined`, and
 * mounting input there throws — stack-notes.md §C3.2). Each key is looked up in the
 * focused pane's bindings of the one keymap (`keymap.ts`) and nowhere else, so only the
 * focused pane reacts. The focus is read synchronously (`focus()`), not from the last
 * render: with one listener per pane switched by `isActive`, keys typed in one burst
 * after `:` would still reach the dashboard until React ran its effects. Printable keys
 * that are not bound go to `onText` (the prompts type into their lines); in the console
 * pane every unbound key goes to the guest as the bytes a terminal sends (`onGuest`).
 *
 * Ink 6.8 hands a chunk of plain characters read at once (fast typing on a busy machine,
 * `tmux send-keys n B`, a paste) to `useInput` as one string (build/input-parser.js), so
 * the listener splits it back into keys. A burst never answers a y/N prompt: once a key
 * of the burst opens a confirmation, the rest of the burst is dropped, so a paste cannot
 * shut down or destroy a domain.
 *
 * Mouse reports (SGR mode 1006, enabled by `xlsim top --mouse`) arrive as one CSI
 * sequence, `[<button;x;yM` once Ink has stripped the ESC; they go to `onMouse`.
 */
import { useInput, useStdin, type Key } from 'ink';
import { lookupKey, type KeyAction, type Scope } from '../keymap.js';
import { guestBytes } from '../consoles.js';
import type { MouseEvent } from '../state.js';

/** One key of a burst: what Ink would have passed for that character alone. */
export interface BurstKey {
  input: string;
  key: Key;
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/**
 * Split a burst of plain characters (no escape sequences: Ink's input parser already
 * cuts those out) into the keys Ink 6.8 reports for each character typed alone
 * (build/parse-keypress.js): `\r`/`\n` Enter, `\x7f` delete, `\b` backspace, `\t` Tab,
 * Ctrl-] as its own input `\x1d`, other C0 controls as Ctrl-<letter>.
 */
export function splitBurst(input: string): BurstKey[] {
  const out: BurstKey[] = [];
  for (const c of input) {
    const code = c.codePointAt(0)!;
    if (c === '\r' || c === '\n') out.push({ input: '', key: { ...NO_KEY, return: true } });
    else if (c === '\x7f') out.push({ input: '', key: { ...NO_KEY, delete: true } });
    else if (c === '\b') out.push({ input: '', key: { ...NO_KEY, backspace: true } });
    else if (c === '\t') out.push({ input: '', key: { ...NO_KEY, tab: true } });
    else if (c === '\x1d') out.push({ input: c, key: { ...NO_KEY } });
    else if (code < 0x20) out.push({ input: String.fromCharCode(code + 0x60), key: { ...NO_KEY, ctrl: true } });
    else out.push({ input: c, key: { ...NO_KEY, shift: /[A-Z]/.test(c) } });
  }
  return out;
}

/**
 * A mouse report as Ink passes it (`[<b;x;yM`, ESC stripped) turned into a `MouseEvent`
 * with 0-based cells; undefined for anything else, and for releases and drags.
 */
export function parseMouse(input: string): MouseEvent | undefined | 'ignored' {
  const m = /^\x1b?\[<(\d+);(\d+);(\d+)([Mm])$/.exec(input);
  if (!m) return undefined;
  const b = Number(m[1]);
  const x = Number(m[2]) - 1;
  const y = Number(m[3]) - 1;
  if (m[4] === 'm' || (b & 32) !== 0) return 'ignored';
  if (b === 64) return { x, y, kind: 'wheelUp' };
  if (b === 65) return { x, y, kind: 'wheelDown' };
  if ((b & 3) === 0) return { x, y, kind: 'press' };
  return 'ignored';
}

/** Where the keys go. */
export interface PaneKeyHandlers {
  /** Returns the pane that has the focus now. */
  focus: () => Scope;
  /** A bound action of a key in that pane (`input` is the key, for digit keys and `[`/`]`). */
  onAction: (action: KeyAction, input?: string) => void;
  /** Unbound printable input (no Ctrl/Meta/Esc) in a pane that takes text. */
  onText: (text: string) => void;
  /** Unbound keys in the console pane, as the bytes a terminal sends. */
  onGuest?: (bytes: string) => void;
  /** A mouse press or wheel. */
  onMouse?: (e: MouseEvent) => void;
}

/** Panes that take typed text. */
export const TEXT_PANES: readonly Scope[] = ['delay', 'palette', 'filter', 'search', 'sort'];

/** Installs the one key listener (see the module comment). */
export function usePaneKeys(h: PaneKeyHandlers): void {
  const { isRawModeSupported } = useStdin();
  const one = (input: string, key: Key): void => {
    const scope = h.focus();
    const action = lookupKey(scope, input, key);
    if (action) {
      h.onAction(action, input);
      return;
    }
    if (input === 'c' && key.ctrl && scope !== 'console' && scope !== 'search') {
      // Ctrl-C quits from every pane but a console, where it goes to the guest.
      h.onAction('quit');
      return;
    }
    if (scope === 'console') {
      const bytes = guestBytes(input, key);
      if (bytes !== undefined) h.onGuest?.(bytes);
      return;
    }
    if (TEXT_PANES.includes(scope) && input.length > 0 && !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab) {
      // Drop control characters (C0 and DEL) that a paste may carry.
      const text = input.replace(/[\x00-\x1f\x7f]/g, '');
      if (text.length > 0) h.onText(text);
    }
  };
  useInput(
    (input, key) => {
      const mouse = parseMouse(input);
      if (mouse !== undefined) {
        if (mouse !== 'ignored') h.onMouse?.(mouse);
        return;
      }
      const plain = !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab && !key.backspace && !key.delete;
      if (!plain || [...input].length <= 1) {
        one(input, key);
        return;
      }
      // Text pasted into the console goes to the guest as it is, up to a key the pane takes.
      if (h.focus() === 'console' && !/[\x1d\t]/.test(input)) {
        h.onGuest?.(input.replace(/\n/g, '\r'));
        return;
      }
      for (const k of splitBurst(input)) {
        if (h.focus() === 'confirm') return;
        one(k.input, k.key);
      }
    },
    { isActive: isRawModeSupported === true },
  );
}
