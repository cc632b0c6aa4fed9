/**
 * Value getters with libxlu semantics (tools/libs/util/libxlu_cfg.c: xlu_cfg_get_string,
 * xlu_cfg_get_long, xlu_cfg_get_bounded_long, xlu_cfg_get_defbool, xlu_cfg_get_list,
 * xlu_cfg_get_list_as_string_list, xlu_cfg_get_listitem; xl-cfg-format.md §2.2 and the
 * getter-warning table in §1.7).
 *
 * Warnings are handed to `report` as the exact bytes libxlu writes to stderr (ending
 * "\n"). Passing no `report` is libxlu's `dont_warn` mode: the same failure, silently.
 */
import type { ListValue, Setting } from './types.js';
import type { ConfigFile } from './config-file.js';

/** Receives one libxlu warning (exact stderr bytes, ending "\n") and the setting it is about. */
export type Report = (text: string, setting: Setting) => void;

/** Why a lookup failed, like libxlu's return codes: absent = ESRCH (always silent), invalid = EINVAL/ERANGE. */
export type LookupStatus = 'absent' | 'ok' | 'invalid';

/**
 * A getter result that keeps "absent" (ESRCH) apart from "invalid" (EINVAL/ERANGE, warned
 * about unless silent), which xl treats differently for some keys.
 */
export type Lookup<T> =
  | { status: 'absent'; value: undefined; setting: undefined }
  | { status: 'invalid'; value: undefined; setting: Setting; reason: 'kind' | 'add' | 'invalid' | 'range' | 'bounds' }
  | { status: 'ok'; value: T; setting: Setting };

const ABSENT = { status: 'absent', value: undefined, setting: undefined } as const;

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function isCSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/**
 * C `strtol(text, &end, 0)` on an LP64 host as libxlu uses it: leading C-locale blanks and
 * one sign allowed, `0x`/`0X` hex, leading `0` octal, otherwise decimal; the whole text
 * must be consumed and contain a digit. Out of `long` range (±2^63) → `range` (checked
 * before trailing junk, as libxlu tests errno first). Result as a bigint (exact).
 */
export function parseCLongBig(input: string): { ok: true; value: bigint } | { ok: false; reason: 'invalid' | 'range' } {
  const text = String(input);
  let i = 0;
  const n = text.length;
  while (i < n && isCSpace(text[i]!)) i++;
  let neg = false;
  if (text[i] === '+' || text[i] === '-') {
    neg = text[i] === '-';
    i++;
  }
  let base = 10;
  if (text[i] === '0') {
    if ((text[i + 1] === 'x' || text[i + 1] === 'X') && /[0-9a-fA-F]/.test(text[i + 2] ?? '')) {
      base = 16;
      i += 2;
    } else base = 8;
  }
  const digitsStart = i;
  let v = 0n;
  const B = BigInt(base);
  for (; i < n; i++) {
    const d = parseInt(text[i]!, 16);
    if (Number.isNaN(d) || d >= base) break;
    v = v * B + BigInt(d);
  }
  if (i === digitsStart) return { ok: false, reason: 'invalid' };
  if (neg) v = -v;
  if (v < LONG_MIN || v > LONG_MAX) return { ok: false, reason: 'range' };
  if (i !== n) return { ok: false, reason: 'invalid' };
  return { ok: true, value: v };
}

/**
 * {@link parseCLongBig} as a JS number (exact for |value| ≤ 2^53; beyond that the nearest
 * double — Xen quantities read from configs never get there).
 */
export function parseCLong(text: string): { ok: true; value: number } | { ok: false; reason: 'invalid' | 'range' } {
  const fast = plainDecimal(text);
  if (fast >= 0) return { ok: true, value: fast };
  const r = parseCLongBig(text);
  return r.ok ? { ok: true, value: Number(r.value) } : r;
}

/**
 * The value of `text` when it is a plain decimal number that strtol reads the same way
 * in every case: 1–15 ASCII digits, no leading `0` unless the text is `0`, nothing
 * else (so no blanks, sign, octal or hex prefix, and far below ±2^63). Returns -1 for
 * anything else, which then takes the general {@link parseCLongBig} path.
 */
function plainDecimal(text: string): number {
  const n = text.length;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || (d === 0 && i === 0 && n > 1)) return -1;
    v = v * 10 + d;
  }
  return v;
}

function warn(report: Report | undefined, cfg: ConfigFile, s: Setting, msg: string): void {
  if (report) report(`${cfg.source}:${s.lineno}: warning: ${msg}\n`, s);
}

/** xlu_cfg_get_string with the absent/invalid distinction. A list → "is a list but should be a single value". */
export function lookupString(cfg: ConfigFile, name: string, report?: Report): Lookup<string> {
  const s = cfg.get(name);
  if (!s) return ABSENT;
  if (s.value.kind !== 'string') {
    warn(report, cfg, s, `parameter \`${name}' is a list but should be a single value`);
    return { status: 'invalid', value: undefined, setting: s, reason: 'kind' };
  }
  return { status: 'ok', value: s.value.value, setting: s };
}

/**
 * xlu_cfg_get_long with the absent/invalid distinction. Warnings (exact libxlu text):
 * list given; `can't use += with numbers for parameter `K'`; `could not be parsed as a
 * number: Numerical result out of range`; `is not a valid number`.
 */
export function lookupLong(cfg: ConfigFile, name: string, report?: Report): Lookup<number> {
  const a = lookupString(cfg, name, report);
  if (a.status !== 'ok') return a as Lookup<number>;
  const s = a.setting;
  if (s.op === '+=') {
    warn(report, cfg, s, `can't use += with numbers for parameter \`${name}'`);
    return { status: 'invalid', value: undefined, setting: s, reason: 'add' };
  }
  const r = parseCLong(a.value);
  if (!r.ok) {
    if (r.reason === 'range') warn(report, cfg, s, `parameter \`${name}' could not be parsed as a number: Numerical result out of range`);
    else warn(report, cfg, s, `parameter \`${name}' is not a valid number`);
    return { status: 'invalid', value: undefined, setting: s, reason: r.reason };
  }
  return { status: 'ok', value: r.value, setting: s };
}

function fmtBound(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : Number.isFinite(n) ? BigInt(Math.trunc(n)).toString() : String(n);
}

/** xlu_cfg_get_bounded_long with the absent/invalid distinction (bounds inclusive). */
export function lookupBoundedLong(cfg: ConfigFile, name: string, min: number, max: number, report?: Report): Lookup<number> {
  const a = lookupLong(cfg, name, report);
  if (a.status !== 'ok') return a;
  const s = a.setting;
  const exact = parseCLongBig((s.value as { value: string }).value);
  const big = exact.ok ? exact.value : BigInt(a.value);
  // bigint < number compares exactly in JS (and is false for NaN bounds).
  if (big < min) {
    warn(report, cfg, s, `value \`${big}' is smaller than minimum bound '${fmtBound(min)}'`);
    return { status: 'invalid', value: undefined, setting: s, reason: 'bounds' };
  }
  if (big > max) {
    warn(report, cfg, s, `value \`${big}' is greater than maximum bound '${fmtBound(max)}'`);
    return { status: 'invalid', value: undefined, setting: s, reason: 'bounds' };
  }
  return a;
}

/** xlu_cfg_get_defbool with the absent/invalid distinction: a number, non-zero = true. `"true"` is not a number. */
export function lookupDefbool(cfg: ConfigFile, name: string, report?: Report): Lookup<boolean> {
  const a = lookupLong(cfg, name, report);
  if (a.status !== 'ok') return a as Lookup<boolean>;
  return { status: 'ok', value: a.value !== 0, setting: a.setting };
}

/** xlu_cfg_get_list with the absent/invalid distinction. A string → "is a single value but should be a list". */
export function lookupList(cfg: ConfigFile, name: string, report?: Report): Lookup<ListValue> {
  const s = cfg.get(name);
  if (!s) return ABSENT;
  if (s.value.kind !== 'list') {
    warn(report, cfg, s, `parameter \`${name}' is a single value but should be a list`);
    return { status: 'invalid', value: undefined, setting: s, reason: 'kind' };
  }
  return { status: 'ok', value: s.value, setting: s };
}

/** String value of `name` (xlu_cfg_get_string): STRING or NUMBER, `=` or `+=`; undefined if absent or a list. */
export function getString(cfg: ConfigFile, name: string, report?: Report): string | undefined {
  const s = cfg.get(name);
  if (s === undefined) return undefined;
  if (s.value.kind === 'string') return s.value.value;
  return lookupString(cfg, name, report).value;
}

/** Number value of `name` (xlu_cfg_get_long, `strtol(…, 0)`); undefined if absent or invalid (warned via `report`). */
export function getLong(cfg: ConfigFile, name: string, report?: Report): number | undefined {
  const s = cfg.get(name);
  if (s === undefined) return undefined;
  if (s.value.kind === 'string' && s.op !== '+=') {
    const fast = plainDecimal(s.value.value);
    if (fast >= 0) return fast;
  }
  return lookupLong(cfg, name, report).value;
}

/** Number value within `[min, max]` (xlu_cfg_get_bounded_long); undefined if absent, invalid or out of bounds. */
export function getBoundedLong(cfg: ConfigFile, name: string, min: number, max: number, report?: Report): number | undefined {
  return lookupBoundedLong(cfg, name, min, max, report).value;
}

/** Boolean value of `name` (xlu_cfg_get_defbool): non-zero number → true; undefined if absent or invalid. */
export function getDefbool(cfg: ConfigFile, name: string, report?: Report): boolean | undefined {
  const v = getLong(cfg, name, report);
  return v === undefined ? undefined : v !== 0;
}

/** List value of `name` (xlu_cfg_get_list); undefined if absent or a single value. */
export function getList(cfg: ConfigFile, name: string, report?: Report): ListValue | undefined {
  const s = cfg.get(name);
  if (s === undefined) return undefined;
  if (s.value.kind === 'list') return s.value;
  if (report === undefined) return undefined; // a single value, read silently
  return lookupList(cfg, name, report).value;
}

/**
 * xlu_cfg_get_list_as_string_list: the list's string items up to (not including) the
 * first nested list, because libxlu stores NULL there and the result is NULL-terminated.
 * undefined if absent or a single value.
 */
export function getStringList(cfg: ConfigFile, name: string, report?: Report): string[] | undefined {
  const l = getList(cfg, name, report);
  if (!l) return undefined;
  const out: string[] = [];
  for (const it of l.items) {
    if (it.kind !== 'string') break;
    out.push(it.value);
  }
  return out;
}

/** xlu_cfg_get_listitem: item `i` as a string; undefined if out of range or the item is itself a list. */
export function listItem(list: ListValue, i: number): string | undefined {
  if (!Number.isInteger(i) || i < 0 || i >= list.items.length) return undefined;
  const it = list.items[i]!;
  return it.kind === 'string' ? it.value : undefined;
}
