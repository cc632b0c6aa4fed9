/** CPU lists (xl-cfg-format.md §4.8, xl_parse.c cpurange_parse) and xl's cpumap printing (xl_utils.c print_bitmap). */
import { describe, expect, it } from 'vitest';
import { formatCpumap, parseCpuList } from '../../../src/parser/specs/cpumap.js';

const topo = { nrCpus: 16, nrNodes: 2 };
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('parseCpuList', () => {
  it.each([
    ['0-3,5,^1', [0, 2, 3, 5]],
    ['all,^7', [...range(0, 6), ...range(8, 15)]],
    ['1,node:1,^6', [1, ...range(8, 15)]],
    ['nodes:0,^5', [0, 1, 2, 3, 4, 6, 7]],
    ['^0', []],
    ['', []],
    [',,3,,', [3]],
    [' 5', [5]],
    ['+5', [5]],
    ['14-40', [14, 15]],
    ['nodes:1-9', range(8, 15)],
    ['nodes:all,^nodes:1', range(0, 7)],
  ] as const)('%j → %j', (text, cpus) => {
    expect(parseCpuList(text, topo)).toEqual({ value: cpus, messages: [] });
  });

  it('reads nodes on a four-node host', () => {
    expect(parseCpuList('nodes:0-3,^node:2', { nrCpus: 16, nrNodes: 4 }).value).toEqual([...range(0, 7), ...range(12, 15)]);
  });

  it('refuses ^all', () => {
    for (const t of ['^all', '1,^nodes:all']) {
      const r = parseCpuList(t, topo);
      expect(r.messages.map((m) => m.text)).toEqual(['Can\'t combine "^" and "all".\n']);
      expect(r.exitCode).toBe(1);
      expect(r.value).toBeUndefined();
      expect(r.messages[0]!.code).toBe('XL221');
    }
  });

  it('names the bad term without its ^ and node: prefixes', () => {
    const t = (s: string) => parseCpuList(s, topo).messages.map((m) => m.text);
    expect(t('foo')).toEqual(['Invalid pcpu range: foo.\n']);
    expect(t('0,3-1')).toEqual(['Invalid pcpu range: 3-1.\n']);
    expect(t('^node:x')).toEqual(['Invalid pcpu range: x.\n']);
    expect(t('2-')).toEqual(['Invalid pcpu range: 2-.\n']);
    expect(t('5x')).toEqual(['Invalid pcpu range: 5x.\n']);
    expect(t('-1')).toEqual(['Invalid pcpu range: -1.\n']);
    expect(t('node:^1')).toEqual(['Invalid pcpu range: ^1.\n']);
    const r = parseCpuList('0,3-1', topo);
    expect(r.messages[0]!.span).toEqual([2, 5]);
  });
});

describe('formatCpumap', () => {
  it.each([
    [range(0, 15), 16, 'all'],
    [[], 16, 'none'],
    [[0, 1, 2, 3, 6, 8, 9], 16, '0-3,6,8-9'],
    [[15], 16, '15'],
    [range(0, 14), 16, '0-14'],
    [[1, ...range(3, 15)], 16, '1,3-15'],
    [[0], 1, 'all'],
    [[3, 2, 2, 20], 4, '2-3'],
    [[0, 2], 4, '0,2'],
  ] as const)('%j of %i → %s', (cpus, n, out) => {
    expect(formatCpumap([...cpus], n)).toBe(out);
  });
});

describe('cpumap properties', () => {
  it('parses what formatCpumap prints back to the same pCPU set', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { minLength: 1 }), (cpus) => {
        const text = formatCpumap(cpus, 16);
        expect(parseCpuList(text, topo).value).toEqual([...cpus].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });
});
