/**
 * Small deterministic pseudo-random helpers for the emulated host. Everything the
 * host "makes up" (UUIDs, MACs, idle noise, boot jitter) comes from here, so the same
 * seed and the same inputs always give the same host.
 */

/**
 * A 32-bit hash of the given parts (FNV-1a over their text, then a murmur3 finaliser).
 * Returns an unsigned integer in [0, 2^32).
 */
export function hash32(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const s = parts.join('\u0001');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
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
