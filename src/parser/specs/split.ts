/**
 * Field-splitting and C number-conversion helpers shared by the hand-written xl
 * sub-grammar parsers (vfb, vkb, vtpm, vdispl, usbctrl, usbdev, virtio, pvcalls, vsnd,
 * channel, p9, vnuma, smbios).
 *
 * xl cuts device specs with C `strtok(buf, ",")` and then skips leading spaces of each
 * field (tools/xl/xl_parse.c, xl-cfg-format.md §4 "Common conventions"); channel, p9 and
 * vnuma instead use `split_string_into_string_list` + `split_string_into_pair` + `trim`
 * (same file). Numbers are read with `strtoul`, `atoi` and `sscanf("%u")`, whose lenient
 * rules (leading blanks, signs, trailing junk, base prefixes) are reproduced here.
 */

import type { SpecMessage } from './types.js';

/** One field of a spec: its text and the 0-based offset of that text inside the spec. */
export interface SpecField {
  text: string;
  start: number;
}

/**
 * C `strtok` over `spec` with the one-character delimiter set `delims`: returns the
 * maximal runs of non-delimiter characters (empty fields vanish), with offsets.
 * Never throws. Follows glibc strtok(3) as used throughout tools/xl/xl_parse.c.
 */
export function strtok(spec: string, delims: string): SpecField[] {
  const out: SpecField[] = [];
  let i = 0;
  while (i < spec.length) {
    while (i < spec.length && delims.includes(spec[i]!)) i++;
    if (i >= spec.length) break;
    const start = i;
    while (i < spec.length && !delims.includes(spec[i]!)) i++;
    out.push({ text: spec.slice(start, i), start });
  }
  return out;
}

/**
 * The common xl device-spec split (xl-cfg-format.md §4 conventions): `strtok` at every
 * `,` (empty fields are dropped), then leading U+0020 spaces of each field skipped
 * (`while (*p == ' ') p++` — not TABs); trailing spaces are kept. A field made only of
 * spaces survives as the empty string `""`. `start` is the offset of the field's first
 * kept character within `spec`. tools/xl/xl_parse.c (parse_vkb_list, parse_vdispl_list, …).
 */
export function splitFields(spec: string): { text: string; start: number }[] {
  return strtok(spec, ',').map((f) => {
    let k = 0;
    while (k < f.text.length && f.text[k] === ' ') k++;
    return { text: f.text.slice(k), start: f.start + k };
  });
}

/** The characters C `isspace` accepts in the "C" locale. */
const C_SPACE = ' \t\n\v\f\r';

/** `trim(isspace, s)` from tools/xl/xl_parse.c: strip C whitespace at both ends. */
export function trimC(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && C_SPACE.includes(s[a]!)) a++;
  while (b > a && C_SPACE.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/**
 * The channel / p9 / vnuma pair split (xl-cfg-format.md §4.4, §4.6, §4.12; xl's
 * `split_string_into_pair(field, "=")` + `trim(isspace)`): the key is the first
 * `strtok` token of `field` on `=` (so leading `=` characters are skipped), the value
 * everything after the `=` that ends the key (it may contain more `=`); both are trimmed
 * of C whitespace. Returns `undefined` — the split failure xl reports — when there is no
 * `=` after the key or nothing after that `=` (`"name"`, `"name="`, `"=x"`).
 */
export function splitKeyValue(field: string): { key: string; value: string } | undefined {
  let i = 0;
  while (i < field.length && field[i] === '=') i++;
  const eq = field.indexOf('=', i);
  if (i >= field.length || eq < 0 || eq === field.length - 1) return undefined;
  return { key: trimC(field.slice(i, eq)), value: trimC(field.slice(eq + 1)) };
}

/**
 * xl's `MATCH_OPTION(name, token, oparg)` (tools/xl/xl_parse.h): when `token` starts with
 * exactly `name=`, returns the text after it (may be empty or contain more `=`), else
 * `undefined`.
 */
export function matchOption(name: string, token: string): string | undefined {
  const prefix = `${name}=`;
  return token.startsWith(prefix) ? token.slice(prefix.length) : undefined;
}

/** Value of a hex digit's UTF-16 code unit (`[0-9a-fA-F]`, as C `isxdigit`), or -1 (also for NaN, past a string's end). */
export function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** 2^64 − 1, C `ULONG_MAX` on LP64. */
export const ULONG_MAX = (1n << 64n) - 1n;

/** Result of a C `strtoul`/`strtol` call: the value, the end index (0 when no digits) and ERANGE. */
export interface CNumber {
  value: bigint;
  end: number;
  overflow: boolean;
}

function digitValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  if (code >= 65 && code <= 90) return code - 55;
  return 99;
}

/** Scan sign, base prefix and digits the way glibc's strtoul/strtol do (shared core). */
function scanC(text: string, base: number): { neg: boolean; mag: bigint; end: number; overflow: boolean } {
  let i = 0;
  while (i < text.length && C_SPACE.includes(text[i]!)) i++;
  let neg = false;
  if (text[i] === '+' || text[i] === '-') {
    neg = text[i] === '-';
    i++;
  }
  let b = base;
  const hexAfter = (k: number): boolean =>
    (text[k] === 'x' || text[k] === 'X') && k + 1 < text.length && digitValue(text[k + 1]!) < 16;
  if ((b === 0 || b === 16) && text[i] === '0' && hexAfter(i + 1)) {
    b = 16;
    i += 2;
  } else if (b === 0) {
    b = text[i] === '0' ? 8 : 10;
  }
  const first = i;
  let mag = 0n;
  let overflow = false;
  while (i < text.length && digitValue(text[i]!) < b) {
    mag = mag * BigInt(b) + BigInt(digitValue(text[i]!));
    if (mag > ULONG_MAX) overflow = true;
    i++;
  }
  if (i === first) return { neg: false, mag: 0n, end: 0, overflow: false };
  return { neg, mag, end: i, overflow };
}

/**
 * C `strtoul(text, &end, base)` on LP64: leading C whitespace and one sign accepted,
 * base 0 auto-detects `0x` (hex) and a leading `0` (octal); a negative number wraps
 * modulo 2^64; overflow gives `ULONG_MAX` with `overflow` set. `end` is 0 when no digit
 * was read (C leaves `endptr == str`). Never throws.
 */
export function strtoul(text: string, base = 0): CNumber {
  const r = scanC(text, base);
  if (r.overflow) return { value: ULONG_MAX, end: r.end, overflow: true };
  const value = r.neg && r.mag !== 0n ? (1n << 64n) - r.mag : r.mag;
  return { value, end: r.end, overflow: false };
}

/**
 * C `atoi(text)` as glibc implements it (`(int) strtol(text, NULL, 10)`): leading blanks
 * and a sign accepted, trailing junk ignored, no digits → 0; the `long` is clamped on
 * overflow and then truncated to a 32-bit signed int.
 */
export function atoi(text: string): number {
  const r = scanC(text, 10);
  const max = (1n << 63n) - 1n;
  let v = r.neg ? -r.mag : r.mag;
  if (v > max) v = max;
  if (v < -max - 1n) v = -max - 1n;
  return Number(BigInt.asIntN(32, v));
}

/** Truncate a C unsigned long to `uint32_t` (what an assignment to a uint32 field does). */
export function toUint32(v: bigint): number {
  return Number(BigInt.asUintN(32, v));
}

/** Truncate a C unsigned long to `int` (what an assignment to an `integer` IDL field does). */
export function toInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/**
 * xl's `parse_ulong` (tools/xl/xl_parse.c): `strtoul(text, &end, 10)`; no digit or a
 * result of `ULONG_MAX` (so also `"-1"` and overflow) is a failure, trailing junk is
 * tolerated. Returns the value or `undefined` on failure (xl then prints
 * `xl: failed to convert "<text>" to number` and exits 1).
 */
export function parseUlong(text: string): bigint | undefined {
  const r = strtoul(text, 10);
  if (r.end === 0 || r.value === ULONG_MAX) return undefined;
  return r.value;
}

/**
 * glibc `sscanf(text, "%ux%u", &w, &h)`: each `%u` skips C whitespace, takes an optional
 * sign and decimal digits (wrapping to 32 bits); the literal `x` must follow the first
 * number immediately. Returns the conversion count (0, 1 or 2) and the values read.
 */
export function scanResolution(text: string): { count: number; width: number; height: number } {
  const a = scanC(text, 10);
  if (a.end === 0) return { count: 0, width: 0, height: 0 };
  const width = toUint32(a.overflow ? ULONG_MAX : a.neg ? -a.mag : a.mag);
  if (text[a.end] !== 'x') return { count: 1, width, height: 0 };
  const rest = text.slice(a.end + 1);
  const b = scanC(rest, 10);
  if (b.end === 0) return { count: 1, width, height: 0 };
  const height = toUint32(b.overflow ? ULONG_MAX : b.neg ? -b.mag : b.mag);
  return { count: 2, width, height };
}

/**
 * Build one {@link SpecMessage}. `text` is xl's exact stderr bytes ("" when xl is silent),
 * `message` xlsim's explanation. Internal convenience for the spec parsers.
 */
export function specMessage(
  code: string,
  severity: 'error' | 'warning',
  text: string,
  message?: string,
  span?: [number, number],
): SpecMessage {
  const m: SpecMessage = { text, severity, code };
  if (message !== undefined) m.message = message;
  if (span !== undefined) m.span = span;
  return m;
}

/** Quote a value for an xlsim explanation (JSON string syntax keeps control bytes visible). */
export function q(s: string): string {
  return JSON.stringify(s);
}
