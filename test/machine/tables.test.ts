/**
 * The transaction overlay (machine/tables.ts `Tx`): reads see the transaction's own
 * writes, in key order, with limits and in reverse, through nested transactions; checked
 * against a plain sorted map on random histories (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryBackend, Tx } from '../../src/machine/tables.js';

/** Keys from a small alphabet so ranges, limits and collisions all happen. */
const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '\u0000', '\uffff'), minLength: 0, maxLength: 3 });
const op = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key, value: fc.integer({ min: 0, max: 99 }) }),
  fc.record({ kind: fc.constant('del' as const), key }),
  fc.record({ kind: fc.constant('child' as const), commit: fc.boolean(), ops: fc.array(fc.record({ put: fc.boolean(), key, value: fc.integer({ min: 0, max: 99 }) }), { maxLength: 6 }) }),
);
const query = fc.record({
  lo: key,
  hi: fc.option(key, { nil: undefined }),
  limit: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  reverse: fc.boolean(),
});

/** What `range` must return, from a plain map of the rows. */
function expected(model: Map<string, number>, q: { lo: string; hi?: string; limit?: number; reverse: boolean }): [string, number][] {
  const rows = [...model].filter(([k]) => k >= q.lo && (q.hi === undefined || k < q.hi)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (q.reverse) rows.reverse();
  return q.limit === undefined ? rows : rows.slice(0, q.limit);
}

describe('Tx.scan (a walk that keeps no rows)', () => {
  it('visits what range returns after any history of puts, deletes, reads and nested transactions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.integer({ min: 0, max: 99 })), { maxLength: 12 }),
        fc.array(op, { maxLength: 12 }),
        fc.array(key, { maxLength: 4 }),
        fc.array(query, { minLength: 1, maxLength: 6 }),
        (seed, ops, reads, queries) => {
          const backend = new MemoryBackend();
          backend.write(new Map([['queue', new Map(seed.map(([k, v]) => [k, JSON.stringify(v)]))]]));
          const tx = Tx.over(backend);
          for (const k of reads) tx.get('queue', k);
          for (const o of ops) {
            if (o.kind === 'put') tx.put('queue', o.key, o.value);
            else if (o.kind === 'del') tx.del('queue', o.key);
          }
          for (const target of [tx, tx.child()]) {
            for (const q of queries) {
              const seen: [string, unknown][] = [];
              target.scan('queue', q.lo, q.hi, (k, v) => seen.push([k, v]));
              expect(seen).toEqual(target.range('queue', q.lo, q.hi));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('walks a table of several pages in key order, giving the rows the transaction holds as they are', () => {
    const backend = new MemoryBackend();
    const n = 1000;
    backend.write(new Map([['domains', new Map(Array.from({ length: n }, (_, i) => [String(i).padStart(5, '0'), JSON.stringify({ i })]))]]));
    const tx = Tx.over(backend);
    const held = tx.get<{ i: number }>('domains', '00300')!;
    held.i = -1; // changed in place, not written back: the walk gives this object
    const seen: number[] = [];
    tx.scan<{ i: number }>('domains', '', undefined, (_, r) => seen.push(r.i));
    expect(seen).toHaveLength(n);
    expect(seen[300]).toBe(-1);
    expect(seen.filter((i, at) => at !== 300 && i !== at)).toEqual([]);
  });
});

describe('Tx.range over its own writes', () => {
  it('matches a sorted map after any history of puts, deletes and nested transactions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer({ min: 0, max: 99 })), { maxLength: 12 }), fc.array(op, { maxLength: 25 }), fc.array(query, { minLength: 1, maxLength: 8 }), (seed, ops, queries) => {
        const backend = new MemoryBackend();
        const model = new Map<string, number>();
        backend.write(new Map([['queue', new Map(seed.map(([k, v]) => [k, JSON.stringify(v)]))]]));
        for (const [k, v] of seed) model.set(k, v);
        const tx = Tx.over(backend);
        for (const o of ops) {
          if (o.kind === 'put') {
            tx.put('queue', o.key, o.value);
            model.set(o.key, o.value);
          } else if (o.kind === 'del') {
            tx.del('queue', o.key);
            model.delete(o.key);
          } else {
            const child = tx.child();
            const mine = new Map(model);
            for (const c of o.ops) {
              if (c.put) {
                child.put('queue', c.key, c.value);
                mine.set(c.key, c.value);
              } else {
                child.del('queue', c.key);
                mine.delete(c.key);
              }
              // The child sees its own writes over its parent's.
              expect(child.range('queue', '', undefined)).toEqual(expected(mine, { lo: '', reverse: false }));
            }
            if (o.commit) {
              child.commit();
              model.clear();
              for (const [k, v] of mine) model.set(k, v);
            }
          }
        }
        for (const q of queries) {
          expect(tx.range('queue', q.lo, q.hi, { limit: q.limit, reverse: q.reverse })).toEqual(expected(model, q));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('drains a queue in order reading a handful of rows per step (advanceTo asks for the row after the one it ran)', () => {
    const n = 20_000;
    const pad = (i: number): string => String(i).padStart(8, '0');
    let reads = 0;
    const backend = new MemoryBackend();
    backend.write(new Map([['queue', new Map(Array.from({ length: n }, (_, i) => [pad(i), '0'] as [string, string]))]]));
    const counting = Object.assign(Object.create(backend) as MemoryBackend, {
      range: (...args: Parameters<MemoryBackend['range']>) => {
        const rows = backend.range(...args);
        reads += rows.length;
        return rows;
      },
    });
    const tx = Tx.over(counting);
    let served = 0;
    let after: string | undefined;
    for (;;) {
      const [first] = tx.range<number>('queue', after === undefined ? '' : `${after}\u0000`, undefined, { limit: 1 });
      if (!first) break;
      after = first[0];
      tx.del('queue', first[0]);
      // Each event schedules another one further on, as guest timers do.
      if (served % 2 === 0) tx.put('queue', `${first[0]}x`, 1);
      served++;
    }
    expect(served).toBeGreaterThan(n);
    expect(reads).toBeLessThan(served * 16);
  });
});
