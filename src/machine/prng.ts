/**
 * Small deterministic pseudo-random helpers for the emulated host. Everything the
 * host "makes up" (UUIDs, MACs, idle noise, boot jitter) comes from here, so the same
 * seed and the same inputs always give the same host.
 */

/** FNV-1a 32-bit offset basis and prime (the hash `hash32` starts from). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Decimal digits of one integer part, least significant first (reused: hash32 allocates nothing for integers). */
const DIGITS = new Uint8Array(32);

/** FNV-1a step over the decimal text of a non-negative safe integer, as `String(n)` spells it. */
function fnvInteger(h: number, n: number): number {
  let len = 0;
  do {
    DIGITS[len++] = n % 10;
    n = Math.floor(n / 10);
  } while (n > 0);
  while (len > 0) h = Math.imul(h ^ (48 + DIGITS[--len]!), FNV_PRIME);
  return h;
}

/** FNV-1a step over the characters of `s`. */
function fnvString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * A 32-bit hash of the given parts (FNV-1a over their text joined with U+0001, then a
 * murmur3 finaliser). Returns an unsigned integer in [0, 2^32). Integer parts are hashed
 * from their digits without making the joined string: the CPU times of `xl list` call
 * this for every vCPU of every domain. `hashParts`, `hashMore` and `hashFinal` compute the
 * same hash a part at a time, for callers that share a prefix.
 */
export function hash32(...parts: (string | number)[]): number {
  let h = FNV_OFFSET;
  for (let p = 0; p < parts.length; p++) h = p === 0 ? fnvPart(h, parts[0]!) : hashMore(h, parts[p]!);
  return hashFinal(h);
}

/** The FNV state of `hash32(...parts)` before its finaliser (at least one part), for `hashMore`. */
export function hashParts(first: string | number, ...rest: (string | number)[]): number {
  let h = fnvPart(FNV_OFFSET, first);
  for (const part of rest) h = hashMore(h, part);
  return h;
}

/** The state `state` (of `hashParts`) with one more part after it: `hashFinal(hashMore(hashParts(a), b)) === hash32(a, b)`. */
export function hashMore(state: number, part: string | number): number {
  return fnvPart(Math.imul(state ^ 1, FNV_PRIME), part);
}

/** The hash of the parts whose FNV state is `state` (murmur3's finaliser), in [0, 2^32). */
export function hashFinal(state: number): number {
  let h = state;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a step over one part's text. */
function fnvPart(h: number, part: string | number): number {
  return typeof part === 'number' && Number.isSafeInteger(part) && part >= 0 ? fnvInteger(h, part) : fnvString(h, String(part));
}

/**
 * One step of the mulberry32 generator. `state` is an unsigned 32-bit integer; returns
 * the next state and a value in [0, 2^32). Pure: the caller keeps the state (it is
 * part of the host snapshot).
 */
export function mulberry32(state: number): { state: number; value: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const value = (t ^ (t >>> 14)) >>> 0;
  return { state: next, value };
}
