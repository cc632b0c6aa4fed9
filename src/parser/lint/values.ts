/**
 * Small value helpers for the lint rules, mirroring libxlu's getters
 * (tools/libs/util/libxlu_cfg.c, xl-cfg-format.md §1.5, §2.2) closely enough to
 * tell what xl will read, without printing anything.
 */
import type { Setting, StringValue, Value } from '../types.js';

/** Result of {@link cStrtol}: the number, or why C `strtol(s, &end, 0)` + "whole string" fails. */
export type CLongResult =
  | { ok: true; value: number; base: 8 | 10 | 16 }
  | { ok: false; reason: 'empty' | 'junk' | 'range' };

const C_SPACE = /^[ \t\n\v\f\r]*/;

/**
 * C `strtol(s, &end, 0)` with libxlu's "the whole string must be consumed" rule
 * (`xlu_cfg_get_long`, xl-cfg-format.md §1.5): leading C white space and one sign are
 * accepted, `0x`/`0X` means hex, a leading `0` means octal (`010` = 8, `08` fails).
 * Values beyond ±2^63 are `range` failures (ERANGE on LP64). Never throws.
 */
export function cStrtol(s: string): CLongResult {
  let i = C_SPACE.exec(s)![0].length;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let base: 8 | 10 | 16 = 10;
  let digits: RegExp = /[0-9]/;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    base = 16;
    digits = /[0-9a-fA-F]/;
    i += 2;
  } else if (s[i] === '0') {
    base = 8;
    digits = /[0-7]/;
  }
  const start = i;
  while (i < s.length && digits.test(s[i]!)) i++;
  if (i === start) return { ok: false, reason: s.trim() === '' ? 'empty' : 'junk' };
  if (i !== s.length) return { ok: false, reason: 'junk' };
  let v = 0n;
  const b = BigInt(base);
  for (let k = start; k < i; k++) v = v * b + BigInt(parseInt(s[k]!, 16));
  if (neg) v = -v;
  if (v > 9223372036854775807n || v < -9223372036854775808n) return { ok: false, reason: 'range' };
  return { ok: true, value: Number(v), base };
}

/** The string value of a setting, or undefined when it is a list. */
export function scalar(s: Setting | undefined): StringValue | undefined {
  return s !== undefined && s.value.kind === 'string' ? s.value : undefined;
}

/**
 * The items xl reads from a list-valued setting through `xlu_cfg_get_listitem`: string
 * items up to (not including) the first nested list, which ends the loop
 * (xl-cfg-format.md §1.3). Returns `[]` for a scalar.
 */
export function readItems(s: Setting | undefined): StringValue[] {
  if (s === undefined || s.value.kind !== 'list') return [];
  const out: StringValue[] = [];
  for (const it of s.value.items) {
    if (it.kind !== 'string') break;
    out.push(it);
  }
  return out;
}

/**
 * What xl would read from a value, as plain data: a string, or (nested) arrays of
 * strings. Iterative, so lists nested thousands deep cannot overflow the stack.
 */
export function plainValue(v: Value): unknown {
  if (v.kind === 'string') return v.value;
  const root: unknown[] = [];
  const stack: Array<{ src: Value[]; i: number; dst: unknown[] }> = [{ src: v.items, i: 0, dst: root }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.src.length) {
      stack.pop();
      continue;
    }
    const it = top.src[top.i++]!;
    if (it.kind === 'string') top.dst.push(it.value);
    else {
      const child: unknown[] = [];
      top.dst.push(child);
      stack.push({ src: it.items, i: 0, dst: child });
    }
  }
  return root;
}

/** Words people write for booleans that libxlu does not accept (§2.2 "Booleans"). */
export const BOOL_WORDS: Readonly<Record<string, '0' | '1'>> = {
  true: '1',
  yes: '1',
  on: '1',
  enabled: '1',
  enable: '1',
  false: '0',
  no: '0',
  off: '0',
  disabled: '0',
  disable: '0',
};

/**
 * Splits a spec string at `,` like xl's hand-written parsers (`strtok`): returns each
 * non-empty field with its 0-based start index in the string (§4 "Common conventions").
 */
export function specFields(spec: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  let start = 0;
  for (let i = 0; i <= spec.length; i++) {
    if (i === spec.length || spec[i] === ',') {
      if (i > start) out.push({ text: spec.slice(start, i), start });
      start = i + 1;
    }
  }
  return out;
}
