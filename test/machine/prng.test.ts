/**
 * The host's deterministic hash (machine/prng.ts `hash32`): the same parts always give the
 * same value as FNV-1a over the parts joined with U+0001 and murmur3's finaliser, so a
 * host's made-up values (CPU-time noise, pCPU placement, UUIDs) do not change when the
 * hash is computed without building that string.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash32, hashFinal, hashMore, hashParts } from '../../src/machine/prng.js';

/** The definition: FNV-1a over the joined text, then murmur3 fmix32. */
function reference(...parts: (string | number)[]): number {
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

describe('hash32', () => {
  it('equals FNV-1a over the joined parts for strings, integers of every size, negatives and fractions', () => {
    const part = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.nat(),
      fc.maxSafeNat(),
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.double({ noNaN: false }),
      fc.constantFrom(0, 9, 10, 99, 100, 1e21, 2 ** 53, -0),
    );
    fc.assert(fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        expect(hash32(...parts)).toBe(reference(...parts));
      }), { numRuns: 2000 });
  });

  it('a part at a time (hashParts, hashMore, hashFinal) gives the same hash for any split of the parts', () => {
    const part = fc.oneof(fc.string(), fc.nat(), fc.maxSafeNat(), fc.integer({ min: -1e6, max: 1e6 }), fc.double());
    fc.assert(fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), fc.nat(), (parts, at) => {
        const k = 1 + (at % parts.length);
        let state = hashParts(parts[0]!, ...parts.slice(1, k));
        for (const p of parts.slice(k)) state = hashMore(state, p);
        expect(hashFinal(state)).toBe(reference(...parts));
      }), { numRuns: 2000 });
  });

  it('gives the values the host has always used for its noise', () => {
    expect(hash32('phase', 5, '5f310dc7-5ed6-4d0c-87ae-158acbc62857', 1)).toBe(reference('phase', 5, '5f310dc7-5ed6-4d0c-87ae-158acbc62857', 1));
    expect(hash32()).toBe(reference());
    expect(hash32('run', 0, 0, 17_963_129_941)).toBe(reference('run', 0, 0, 17_963_129_941));
  });
});
