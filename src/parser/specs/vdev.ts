/**
 * Guest disk names (vdev) → Xen virtual block device numbers, plus the small C
 * number-conversion routines (`strtoul`, `scanf %i`/`%x`, `atoi`) the xl
 * sub-grammars depend on.
 *
 * Follows libxl `libxl__device_disk_dev_number` and `device_virtdisk_matches`
 * (tools/libs/light/libxl_device.c), xen-vbd-interface(7), xl-cfg-format.md §4.1
 * "vdev names". The C helpers reproduce glibc semantics on an LP64 host
 * (`unsigned long` = 64 bits, `int`/`unsigned int` = 32 bits).
 */

/** `ULONG_MAX` on LP64, what glibc `strtoul` returns on overflow. */
export const ULONG_MAX = (1n << 64n) - 1n;

/** Result of {@link strtoulC}. */
export interface CNumber {
  /** The converted value, wrapped to 64 bits as C's `unsigned long` (negated input wraps). */
  value: bigint;
  /** Index just past the last character consumed; equals `start` when no digits were read (C `endptr == nptr`). */
  end: number;
  /** True when the magnitude exceeded ULONG_MAX (`errno == ERANGE`; `value` is then ULONG_MAX). */
  overflow: boolean;
}

const isCSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';

function digitValue(c: string | undefined): number {
  if (c === undefined) return 99;
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  if (code >= 65 && code <= 90) return code - 55;
  return 99;
}

/**
 * C `strtoul(s + start, &end, base)` as glibc implements it: leading C white space
 * skipped, optional `+`/`-`, base 0 picks hex for `0x`, octal for a leading `0`,
 * else decimal; base 16 accepts an optional `0x`. A `0x` not followed by a hex digit
 * consumes only the `0`. Never throws.
 * @param s text to read from
 * @param start index where C's `nptr` points
 * @param base 0, 8, 10 or 16
 */
export function strtoulC(s: string, start: number, base: 0 | 8 | 10 | 16): CNumber {
  let i = start;
  while (isCSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let b = base;
  const hasHexPrefix = s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digitValue(s[i + 2]) < 16;
  if ((b === 0 || b === 16) && hasHexPrefix) {
    b = 16;
    i += 2;
  } else if (b === 0) {
    b = s[i] === '0' ? 8 : 10;
  }
  const digitsStart = i;
  // Plain numbers while the value stays far below 2^53 (exact), bigint beyond.
  let small = 0;
  let d: number;
  while ((d = digitValue(s[i])) < b && small < 2 ** 44) {
    small = small * b + d;
    i++;
  }
  let v = BigInt(small);
  let overflow = false;
  if (d < b) {
    const bigBase = BigInt(b);
    while (digitValue(s[i]) < b) {
      v = v * bigBase + BigInt(digitValue(s[i]));
      if (v > ULONG_MAX) overflow = true;
      i++;
    }
  }
  if (i === digitsStart) return { value: 0n, end: start, overflow: false };
  if (overflow) return { value: ULONG_MAX, end: i, overflow: true };
  if (neg) v = BigInt.asUintN(64, -v);
  return { value: v, end: i, overflow: false };
}

/**
 * One glibc `scanf` integer conversion at `s[start]`: `%i` (base 0), `%x` (base 16)
 * or `%d`/`%u` (base 10). Leading white space is skipped; returns undefined when the
 * conversion fails (no digits). `value` is the 64-bit wrapped result; callers narrow it
 * to the C destination type.
 */
export function scanIntC(s: string, start: number, base: 0 | 10 | 16): { value: bigint; end: number } | undefined {
  const r = strtoulC(s, start, base);
  if (r.end === start) return undefined;
  return { value: r.value, end: r.end };
}

/** C `atoi`: leading white space, sign, decimal digits; the result wrapped to a 32-bit `int`. Non-numeric → 0. */
export function atoiC(s: string): number {
  const r = strtoulC(s, 0, 10);
  return Number(BigInt.asIntN(32, r.value));
}

/** Narrow a C 64-bit value to a 32-bit signed `int`. */
export function toInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/** Narrow a C 64-bit value to a 32-bit `unsigned int`. */
export function toUint32(v: bigint): number {
  return Number(BigInt.asUintN(32, v));
}

/**
 * `device_virtdisk_matches` (libxl_device.c): `<prefix><letters>[<partition>]`, letters
 * decoded as bijective base 26 (`a`=0, `z`=25, `aa`=26), the partition decimal via
 * `strtoul` with no leading `0`.
 */
function virtdiskMatches(
  vdev: string,
  prefix: string,
  maxIndex: number,
  maxPartition: number,
): { disk: number; partition: number } | undefined {
  if (!vdev.startsWith(prefix)) return undefined;
  let disk = -1;
  let p = prefix.length;
  for (;;) {
    const c = vdev[p];
    if (c === undefined || c < 'a' || c > 'z') break;
    p++;
    disk = (disk + 1) * 26 + (c.charCodeAt(0) - 97);
    if (disk > maxIndex) return undefined;
  }
  if (p === vdev.length) return { disk, partition: 0 };
  if (vdev[p] === '0') return undefined;
  const r = strtoulC(vdev, p, 10);
  if (r.overflow || r.value > BigInt(maxPartition) || r.end !== vdev.length) return undefined;
  return { disk, partition: Number(r.value) };
}

/** `sscanf(vdev, "d%ip%i%n", …)` consuming the whole string. */
function matchDForm(vdev: string): { disk: number; partition: number } | undefined {
  if (vdev[0] !== 'd') return undefined;
  const d = scanIntC(vdev, 1, 0);
  if (!d || vdev[d.end] !== 'p') return undefined;
  const p = scanIntC(vdev, d.end + 1, 0);
  if (!p || p.end !== vdev.length) return undefined;
  const disk = toInt32(d.value);
  const partition = toInt32(p.value);
  if (disk < 1 << 20 && partition < 256) return { disk, partition };
  return undefined;
}

/**
 * The Xen virtual block device number (the vbd devid written to xenstore) for a guest
 * disk name, exactly as libxl `libxl__device_disk_dev_number` computes it
 * (tools/libs/light/libxl_device.c; xen-vbd-interface(7); xl-cfg-format.md §4.1).
 *
 * Forms, tried in order: `d<disk>p<part>` (`%i` numbers, disk < 2^20, part < 256);
 * `xvd<letters>[<part>]` (disk ≤ 2^20−1, part 1–255); a bare number (`strtoul` base 0,
 * ≤ INT_MAX, written straight to xenstore); `hd<letters>[<part>]` (hda–hdd, part ≤ 63);
 * `sd<letters>[<part>]` (sda–sdp, part ≤ 15). Encodings: xvd/d with disk ≤ 15 and
 * part ≤ 15 → `202<<8 | disk<<4 | part`, else `1<<28 | disk<<8 | part`;
 * hd → `(disk<2 ? 3 : 22)<<8 | (disk&1)<<6 | part`; sd → `8<<8 | disk<<4 | part`.
 *
 * As in C, the empty string reads as the number 0 (strtoul consumes nothing and stops
 * at the terminator). A negative result (e.g. bare `xvd`) is invalid.
 * @returns the device number, or undefined when libxl would report
 *   "Invalid or unsupported virtual disk identifier". Never throws.
 */
export function vdevToDevid(vdev: string): number | undefined {
  const x = matchDForm(vdev) ?? virtdiskMatches(vdev, 'xvd', (1 << 20) - 1, 255);
  if (x) {
    const n = x.disk <= 15 && x.partition <= 15 ? (202 << 8) | (x.disk << 4) | x.partition : (1 << 28) | (x.disk << 8) | x.partition;
    return n < 0 ? undefined : n;
  }
  const ul = strtoulC(vdev, 0, 0);
  if (!ul.overflow && ul.end === vdev.length && ul.value <= 0x7fffffffn) return Number(ul.value);
  const hd = virtdiskMatches(vdev, 'hd', 3, 63);
  if (hd) {
    const n = ((hd.disk < 2 ? 3 : 22) << 8) | ((hd.disk & 1) << 6) | hd.partition;
    return n < 0 ? undefined : n;
  }
  const sd = virtdiskMatches(vdev, 'sd', 15, 15);
  if (sd) {
    const n = (8 << 8) | (sd.disk << 4) | sd.partition;
    return n < 0 ? undefined : n;
  }
  return undefined;
}
