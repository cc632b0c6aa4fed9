/**
 * Quoted-string decoding exactly as libxlu does it (`xlu__cfgl_dequote` in
 * tools/libs/util/libxlu_cfg.c; xl-cfg-format.md §1.4).
 *
 * Upstream quirks reproduced on purpose (bug-compatible, xl-cfg-format.md §7):
 * - `\x..` is always fatal: an off-by-one skips the first hex digit and the length
 *   check can never pass.
 * - `\0`–`\7` followed by at least two more characters that C `strtoul(…, 10)` accepts
 *   (leading blanks and a sign included) consumes them and produces **no** character.
 * - Any other escaped character is fatal, with the upstream "backlash" spelling.
 */

/** The three escape messages libxlu prints (exact text, §1.4). */
export const ESCAPE_MESSAGES = {
  hex: 'invalid digit after backslash hexnumerical character escape in quoted string',
  oct: 'invalid digit after backslash octalnumerical character escape in quoted string',
  char: 'invalid character after backlash in quoted string',
} as const;

/** A bad escape found by {@link dequote}. */
export interface EscapeError {
  /** Which libxlu message applies. */
  kind: keyof typeof ESCAPE_MESSAGES;
  /** The exact libxlu message text (no location prefix, no newline). */
  message: string;
  /** 0-based index of the offending backslash inside the raw token text (quotes included). */
  index: number;
}

/** Result of {@link dequote}: the decoded value (truncated at a bad escape, as libxlu does) and the first error. */
export interface DequoteResult {
  value: string;
  error?: EscapeError;
}

/** C `isspace` in the "C" locale: space, \t, \n, \v, \f, \r. */
function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * How many characters C `strtoul(buf, &ep, base)` consumes from `buf` (0 when no digits
 * are found, since then `ep == buf`). Used for the numeric escapes.
 */
function strtoulConsumed(buf: string, base: number): number {
  let i = 0;
  while (i < buf.length && isCSpace(buf.charCodeAt(i))) i++;
  if (i < buf.length && (buf[i] === '+' || buf[i] === '-')) i++;
  let digits = 0;
  if (base === 16 && buf[i] === '0' && (buf[i + 1] === 'x' || buf[i + 1] === 'X') && /[0-9a-fA-F]/.test(buf[i + 2] ?? '')) i += 2;
  for (; i < buf.length; i++, digits++) {
    const c = buf[i]!;
    const ok = base === 10 ? c >= '0' && c <= '9' : /[0-9a-fA-F]/.test(c);
    if (!ok) break;
  }
  return digits === 0 ? 0 : i;
}

/**
 * Decode one STRING token (`raw` includes its opening and closing quote, either `'` or `"`).
 * Never throws. On a bad escape, returns the text decoded so far plus the error
 * (libxlu stops decoding there and marks the parse as failed with EINVAL).
 */
export function dequote(raw: string): DequoteResult {
  const end = raw.length - 1;
  if (raw.indexOf('\\') < 0) return { value: raw.slice(1, end) };
  let out = '';
  let p = 1;
  while (p < end) {
    const c = raw[p++]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const at = p - 1;
    const nc = raw[p++]!;
    switch (nc) {
      case '"':
      case "'":
      case '\\':
        out += nc;
        break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x':
        // p++ then NUMERIC_CHAR(2,2,16): ep <= numbuf+2 always holds, so this always fails.
        return { value: out, error: { kind: 'hex', message: ESCAPE_MESSAGES.hex, index: at } };
      default:
        if (nc >= '0' && nc <= '7') {
          // NUMERIC_CHAR(1,3,10): strncpy 3 chars after the first digit (the raw text
          // continues to the closing quote, then C's NUL), strtoul base 10.
          const consumed = strtoulConsumed(raw.slice(p, p + 3), 10);
          if (consumed <= 1) {
            return { value: out, error: { kind: 'oct', message: ESCAPE_MESSAGES.oct, index: at } };
          }
          p += consumed;
        } else {
          return { value: out, error: { kind: 'char', message: ESCAPE_MESSAGES.char, index: at } };
        }
    }
  }
  return { value: out };
}
