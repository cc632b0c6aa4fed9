/**
 * The vif `rate=` value: `RATE[@INTERVAL]`, a credit-based transmit limit for a
 * guest's network interface (netback's rate limiting).
 *
 * Follows `xlu_vif_parse_rate`, `vif_parse_rate_bytes_per_sec`,
 * `vif_parse_rate_interval_usecs` (tools/libs/util/libxlu_vif.c),
 * xl-network-configuration(5) "rate", xl-cfg-format.md §4.2 "rate grammar".
 */

import type { SpecMessage, SpecResult } from './types.js';
import { strtoulC } from './vdev.js';

const UINT32_MAX = 0xffffffffn;
const UINT64_MAX = (1n << 64n) - 1n;

/** A parsed vif rate: bytes the backend may send per replenishment interval. */
export interface VifRate {
  /** Bytes allowed per interval (libxl `rate_bytes_per_interval`). */
  bytesPerInterval: number;
  /** Replenishment interval in microseconds (libxl `rate_interval_usecs`); 50000 when not given. */
  intervalUsecs: number;
}

/**
 * Parse a vif `rate=` value exactly as libxlu does (libxlu_vif.c; xl-cfg-format.md §4.2).
 *
 * RATE must match `^[0-9]+[GMK]?[Bb]/s$` and INTERVAL `^[0-9]+[mu]?s?$`; numbers are
 * read with `strtoull(…, 0)`, so a leading `0` is octal. G/M/K are powers of 1000, a
 * lower-case `b` means bits (÷8). INTERVAL without unit or with `s` is seconds, `m`/`ms`
 * milliseconds, `u`/`us` microseconds.
 *
 * @param text the value after `rate=`
 * @param source the config file name, or `command line` for network-attach
 * @returns on success `{ bytesPerInterval, intervalUsecs }` (bytes per µs-interval,
 *   `bytes_per_sec × interval_usecs / 10^6`, integer division; values above 2^53 lose
 *   precision as JS numbers). On error one message
 *   `` <source>: config parsing error in vif: <msg> in `<text>'\n `` (code XL213) with
 *   msg one of `no rate specified`, `invalid rate`, `rate overflow`,
 *   `invalid replenishment interval`, `replenishment interval overflow`, and
 *   exitCode 1 (xl exits). Never throws.
 */
export function parseVifRate(text: string, source: string): SpecResult<VifRate> {
  const fail = (what: string, quoted: string, message: string, span: [number, number]): SpecResult<VifRate> => {
    const m: SpecMessage = {
      text: `${source}: config parsing error in vif: ${what} in \`${quoted}'\n`,
      severity: 'error',
      code: 'XL213',
      message,
      span,
    };
    return { messages: [m], exitCode: 1 };
  };
  const at = text.indexOf('@');
  const ratePart = at < 0 ? text : text.slice(0, at);
  const intervalPart = at < 0 ? undefined : text.slice(at + 1);
  const rateSpan: [number, number] = [0, ratePart.length];
  if (ratePart === '') {
    return fail('no rate specified', text, 'the rate is empty: write e.g. rate=10MB/s or rate=100Mb/s@20ms', rateSpan);
  }
  if (!/^[0-9]+[GMK]?[Bb]\/s$/.test(ratePart)) {
    return fail(
      'invalid rate',
      ratePart,
      `"${ratePart}" is not a rate: write digits, an optional G, M or K (upper case), then B/s (bytes) or b/s (bits), e.g. 10MB/s`,
      rateSpan,
    );
  }
  const r = strtoulC(ratePart, 0, 0);
  if (r.value === 0n || r.value > UINT32_MAX || r.overflow) {
    return fail(
      'rate overflow',
      ratePart,
      `the number in "${ratePart}" must be 1 to 4294967295 before the unit is applied` +
        (ratePart.startsWith('0') ? ' (a leading 0 makes it octal)' : '') +
        '; use a bigger unit (K, M, G) instead of more digits',
      rateSpan,
    );
  }
  let bytesPerSec = r.value;
  const unit = ratePart[r.end];
  if (unit === 'G') bytesPerSec *= 1000000000n;
  else if (unit === 'M') bytesPerSec *= 1000000n;
  else if (unit === 'K') bytesPerSec *= 1000n;
  if (unit === 'b' || ratePart[r.end + 1] === 'b') bytesPerSec /= 8n;

  let intervalUsecs = 50000n;
  if (intervalPart !== undefined) {
    const ispan: [number, number] = [at + 1, text.length];
    if (!/^[0-9]+[mu]?s?$/.test(intervalPart)) {
      return fail(
        'invalid replenishment interval',
        intervalPart,
        `"${intervalPart}" is not an interval: write digits then s, ms or us (seconds, milliseconds, microseconds), e.g. @50ms`,
        ispan,
      );
    }
    const iv = strtoulC(intervalPart, 0, 0);
    const overflowMsg = `the interval "${intervalPart}" must be 1 µs to 4294967295 µs (about 71 minutes)`;
    if (iv.value === 0n || iv.value > UINT32_MAX || iv.overflow) {
      return fail('replenishment interval overflow', intervalPart, overflowMsg, ispan);
    }
    let t = iv.value;
    const u = intervalPart[iv.end];
    if (u === 's' || u === undefined) t *= 1000000n;
    else if (u === 'm') t *= 1000n;
    if (t > UINT32_MAX) return fail('replenishment interval overflow', intervalPart, overflowMsg, ispan);
    intervalUsecs = t;
  }
  if (bytesPerSec > UINT64_MAX / intervalUsecs) {
    return fail(
      'rate overflow',
      text,
      'rate × interval does not fit in 64 bits: lower the rate or shorten the interval',
      [0, text.length],
    );
  }
  const bytesPerInterval = (bytesPerSec * intervalUsecs) / 1000000n;
  return {
    value: { bytesPerInterval: Number(bytesPerInterval), intervalUsecs: Number(intervalUsecs) },
    messages: [],
  };
}
