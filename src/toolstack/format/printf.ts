/**
 * C printf-style number and padding helpers with glibc's exact rounding.
 *
 * glibc formats `%.Nf` from the exact binary value of the double and rounds ties to
 * even (`printf("%.1f", 0.25)` prints `0.2`), whereas JavaScript's `toFixed` rounds
 * ties away from zero. xl prints every `Time(s)` column through `%.1f`
 * (tools/xl/xl_info.c `list_domains`, tools/xl/xl_vcpu.c `print_vcpuinfo`;
 * xl-commands.md §0.17, §3.1).
 */

/** Splits a finite double into `mantissa * 2^exponent` with an integer mantissa (exact). */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fracHi = BigInt(hi & 0xfffff);
  const frac = (fracHi << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa: frac, exponent: -1074 };
  return { mantissa: frac | (1n << 52n), exponent: biased - 1075 };
}

/**
 * Formats `x` like C `printf("%.<digits>f", x)` under glibc: exact binary value,
 * round half to even. `digits` is 0..20. Non-finite values print as glibc does
 * (`inf`, `-inf`, `nan`). Never throws.
 */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  // Fast path for xl's `%.1f`: JavaScript's toFixed also rounds the exact binary value
  // and differs from glibc only on exact ties, which for one digit are the odd multiples
  // of 0.25 (x = (2k+1)/20 is a binary fraction only when 5 divides 2k+1).
  if (digits === 1 && Math.abs(x) < 1e21 && !Object.is(x, -0)) {
    const q = x * 4;
    if (!(Number.isInteger(q) && q % 2 !== 0)) return x.toFixed(1);
  }
  return formatFixedExact(x, digits);
}

/** `formatFixed` without the fast path: the exact binary value rounded half to even (finite `x`). */
export function formatFixedExact(x: number, digits: number): string {
  const negative = x < 0 || Object.is(x, -0);
  const { mantissa, exponent } = decompose(Math.abs(x));
  const scale = 10n ** BigInt(digits);
  let scaled: bigint;
  if (exponent >= 0) {
    scaled = (mantissa << BigInt(exponent)) * scale;
  } else {
    const num = mantissa * scale;
    const den = 1n << BigInt(-exponent);
    const q = num / den;
    const r = num - q * den;
    const twice = r * 2n;
    if (twice > den || (twice === den && (q & 1n) === 1n)) scaled = q + 1n;
    else scaled = q;
  }
  let text = scaled.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, '0');
    text = `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
  }
  return negative ? `-${text}` : text;
}

/**
 * xl's CPU-time column: the nanosecond counter is converted to a C `float` first and
 * then divided by 1e9 in double precision (`((float)info.cpu_time / 1e9)`), printed
 * `%.1f`. Input: nanoseconds. Output: seconds text without padding.
 * (tools/xl/xl_info.c `list_domains`; xl-commands.md §3.1.)
 */
export function cpuSeconds(ns: number): string {
  return formatFixed(Math.fround(ns) / 1e9, 1);
}

/** `%-<width>s`: left-justify, never truncate. */
export function padRight(s: string | number, width: number): string {
  return String(s).padEnd(width, ' ');
}

/** `%<width>s` / `%<width>d`: right-justify, never truncate. */
export function padLeft(s: string | number, width: number): string {
  return String(s).padStart(width, ' ');
}
