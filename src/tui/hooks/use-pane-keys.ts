/**
 * Routes keys to the focused pane: one Ink `useInput` listener, active only on a terminal
 * that supports raw mode (`isRawModeSupported === true`; on a pipe it is `undefined`, and
 * mounting input there throws — stack-notes.md §C3.2). Each key is looked up in the
 * focused pane's bindings of the one keymap (`keymap.ts`) and nowhere else, so only the
 * focused pane reacts. The focus is read synchronously (`focus()`), not from the last
 * render: with one listener per pane switched by `isActive`, keys typed in one burst
 * after `:` would still reach the dashboard until React ran its effects. Printable keys
 * that are not bound go to `onText` (the delay prompt and the palette type into their
 * lines).
 *
 * Ink 6.8 hands a chunk of plain characters read at once (fast typing on a busy machine,
 * `tmux send-keys n B`, a paste) to `useInput` as one string (build/input-parser.js), so
 * the listener splits it back into keys. A burst never answers a y/N prompt: once a key
 * of the burst opens a confirmation, the rest of the burst is dropped, so a paste cannot
 * shut down or destroy a domain.
 */
import { useInput, useStdin, type Key } from 'ink';
import { lookupKey, type KeyAction, type Scope } from '../keymap.js';

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
 * @param focus returns the pane that has the focus now
 * @param onAction called with the bound action of a key in that pane
 * @param onText called with unbound printable input (no Ctrl/Meta/Esc) when the focused pane takes text
 * @param takesText which panes take typed text
 */
export function usePaneKeys(
  focus: () => Scope,
  onAction: (action: KeyAction) => void,
  onText: (text: string) => void,
  takesText: readonly Scope[] = ['delay', 'palette'],
): void {
  const { isRawModeSupported } = useStdin();
  const one = (input: string, key: Key): void => {
    const scope = focus();
    const action = lookupKey(scope, input, key);
    if (action) {
      onAction(action);
      return;
    }
    if (takesText.includes(scope) && input.length > 0 && !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab) {
      // Drop control characters (C0 and DEL) that a paste may carry.
      const text = input.replace(/[\x00-\x1f\x7f]/g, '');
      if (text.length > 0) onText(text);
    }
  };
  useInput(
    (input, key) => {
      const plain = !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab && !key.backspace && !key.delete;
      if (!plain || [...input].length <= 1) {
        one(input, key);
        return;
      }
      for (const k of splitBurst(input)) {
        if (focus() === 'confirm') return;
        one(k.input, k.key);
      }
    },
    { isActive: isRawModeSupported === true },
  );
}
