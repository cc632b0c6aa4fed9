/**
 * The fast path reaches chevrotain only for batches it cannot take as scanned
 * (src/parser/grammar/fast-path.ts, chevrotain-side.ts): a file of flat assignments and
 * flat lists (comments and line breaks inside them included) is read without loading or
 * building the chevrotain parser; a file with a nested list is parsed by chevrotain.
 */
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../src/parser/grammar/chevrotain-side.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/parser/grammar/chevrotain-side.js')>();
  return {
    chevrotainSide: () => {
      calls.n++;
      return real.chevrotainSide();
    },
  };
});

const { parseConfig } = await import('../../src/parser/config-file.js');

const values = (text: string) => parseConfig(text, 'g.cfg').file.statements.map((s) => [s.name, s.op, JSON.stringify(s.value, (k, v) => (k === 'range' ? undefined : v))]);

describe('the chevrotain parser loads only when a file needs it', () => {
  it('is not reached for flat assignments and flat lists', () => {
    calls.n = 0;
    const text = 'name = "web"\nmemory = 1024; vcpus = 2\ndisk = [ "a",\n  # why\n  "b" ]\nvif = []\nextra += "x"\n';
    expect(values(text)).toEqual([
      ['name', '=', '{"kind":"string","value":"web","token":"STRING"}'],
      ['memory', '=', '{"kind":"string","value":"1024","token":"NUMBER"}'],
      ['vcpus', '=', '{"kind":"string","value":"2","token":"NUMBER"}'],
      ['disk', '=', '{"kind":"list","items":[{"kind":"string","value":"a","token":"STRING"},{"kind":"string","value":"b","token":"STRING"}]}'],
      ['vif', '=', '{"kind":"list","items":[]}'],
      ['extra', '+=', '{"kind":"string","value":"x","token":"STRING"}'],
    ]);
    expect(calls.n).toBe(0);
  });

  it('is reached for a nested list, which it parses', () => {
    calls.n = 0;
    expect(values('name = "web"\nvnuma = [ [ "pnode=0" ], [ "pnode=1", 2 ] ]\n')).toEqual([
      ['name', '=', '{"kind":"string","value":"web","token":"STRING"}'],
      [
        'vnuma',
        '=',
        '{"kind":"list","items":[{"kind":"list","items":[{"kind":"string","value":"pnode=0","token":"STRING"}]},{"kind":"list","items":[{"kind":"string","value":"pnode=1","token":"STRING"},{"kind":"string","value":"2","token":"NUMBER"}]}]}',
      ],
    ]);
    expect(calls.n).toBeGreaterThan(0);
  });
});
