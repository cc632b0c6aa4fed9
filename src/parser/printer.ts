/**
 * Printing a {@link ConfigFile} back as xl.cfg text (the inverse of parseConfig for
 * resolved settings; grammar of xl-cfg-format.md §1.2–§1.4).
 *
 * Guarantee: for a file produced by parseConfig, `parseConfig(printConfig(f))` resolves
 * to the same names (in the same order), ops and values.
 */
import type { Value } from './types.js';
import type { ConfigFile } from './config-file.js';

const ESCAPES: Record<string, string> = {
  '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v',
};

/**
 * Quote a string value with double quotes, escaping what libxlu's dequote can restore
 * (`\\ \" \n \r \a \b \f \v`). A NUL cannot be written in a quoted string (libxlu has no
 * escape that yields it); it is left out. Tabs and other bytes are written raw.
 */
export function quoteString(s: string): string {
  let out = '"';
  for (const c of s) {
    if (c === '\0') continue;
    out += ESCAPES[c] ?? c;
  }
  return out + '"';
}

const NUMBER_RE = /^[0-9][0-9a-fx]*$/;

function printAtom(v: Value & { kind: 'string' }): string {
  return v.token === 'NUMBER' && NUMBER_RE.test(v.value) ? v.value : quoteString(v.value);
}

/**
 * One value as cfg text: NUMBER-token values that still lex as NUMBER are written bare,
 * others quoted; lists as `[ a, b ]` (empty: `[]`). Iterative, so the deepest lists libxlu
 * accepts (4996 levels) print without exhausting the JS stack.
 */
export function printValue(v: Value): string {
  let out = '';
  const work: Array<Value | string> = [v];
  while (work.length) {
    const w = work.pop()!;
    if (typeof w === 'string') out += w;
    else if (w.kind === 'string') out += printAtom(w);
    else if (!w.items.length) out += '[]';
    else {
      out += '[ ';
      work.push(' ]');
      for (let i = w.items.length - 1; i >= 0; i--) {
        work.push(w.items[i]!);
        if (i > 0) work.push(', ');
      }
    }
  }
  return out;
}

/**
 * The resolved settings of `file` as cfg text, one `name = value` (or `name += value` when
 * libxlu recorded the setting with `+=`, which keeps it unreadable as a number) per line,
 * in order of first appearance, ending with a newline. Never throws.
 */
export function printConfig(file: ConfigFile): string {
  let out = '';
  for (const name of file.names()) {
    const s = file.get(name)!;
    out += `${name} ${s.op} ${printValue(s.value)}\n`;
  }
  return out;
}
