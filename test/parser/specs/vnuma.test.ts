import { describe, expect, it } from 'vitest';
import type { Range, Value } from '../../../src/parser/types.js';
import { parseVnuma } from '../../../src/parser/specs/vnuma.js';

const at = (line: number): Range => ({ start: { line, column: 1, offset: 0 }, end: { line, column: 1, offset: 0 } });
const s = (value: string, line = 1): Value => ({ kind: 'string', value, token: 'STRING', range: at(line) });
const node = (...xs: (string | Value)[]): Value => ({
  kind: 'list',
  items: xs.map((x) => (typeof x === 'string' ? s(x) : x)),
  range: at(1),
});
const HOST = { nrCpus: 8, nrNodes: 2 };

describe('parseVnuma (xl-cfg-format.md §4.12)', () => {
  it('parses two nodes and derives maxvcpus and maxmem', () => {
    const r = parseVnuma(
      [
        node('pnode=0', 'size=512', 'vcpus=0-1', 'vdistances=10,20'),
        node(' pnode = 1 ', 'size=1024', 'vcpus=2,3', 'vdistances=20,10'),
      ],
      HOST,
    );
    expect(r.messages).toEqual([]);
    expect(r.value).toEqual({
      nodes: [
        { memkb: 524288, distances: [10, 20], vcpus: [0, 1] },
        { memkb: 1048576, distances: [20, 10], pnode: 1, vcpus: [2, 3] },
      ],
      maxvcpus: 4,
      maxmemMiB: 1536,
    });
  });

  it('defaults distances to zeros, one per vnode', () => {
    expect(parseVnuma([node('size=256'), node('size=256')], HOST).value!.nodes).toEqual([
      { memkb: 262144, distances: [0, 0] },
      { memkb: 262144, distances: [0, 0] },
    ]);
  });

  it('ignores the range helper errors: "x" counts as vCPU 0, "3-x" as nothing', () => {
    const r = parseVnuma([node('vcpus=x,3-x,5-4,2')], HOST);
    expect(r.value).toEqual({ nodes: [{ distances: [0], vcpus: [0, 2] }], maxvcpus: 2, maxmemMiB: 0 });
  });

  it('checks the vCPU total against maxvcpus', () => {
    expect(parseVnuma([node('vcpus=0-3')], { ...HOST, maxvcpus: 4 }).value!.maxvcpus).toBe(4);
    const r = parseVnuma([node('vcpus=0-3')], { ...HOST, maxvcpus: 2 });
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['xl: vnuma vcpus and maxvcpus= mismatch\n']);
  });

  it('without maxvcpus the total must fit the host pCPUs', () => {
    const r = parseVnuma([node('vcpus=0-8')], HOST);
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual([
      'xl: vnuma specifies more vcpus than pcpus, use maxvcpus= to override this check.\n',
    ]);
    expect(parseVnuma([node('vcpus=0-15')], { ...HOST, maxvcpus: 16 }).value!.nodes[0]!.vcpus).toHaveLength(16);
  });

  it('checks maxmem against the size sum', () => {
    expect(parseVnuma([node('size=512'), node('size=512')], { ...HOST, maxmemMiB: 1024 }).value!.maxmemMiB).toBe(1024);
    const r = parseVnuma([node('size=512')], { ...HOST, maxmemMiB: 1024 });
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['xl: maxmem and vnuma memory size mismatch\n']);
  });

  it('rejects a pnode beyond the host nodes', () => {
    const r = parseVnuma([node('pnode=2')], HOST);
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['xl: invalid pnode number: 2\n']);
    expect(r.messages[0]!.code).toBe('XL312');
  });

  it('rejects items that do not split into a pair', () => {
    for (const bad of ['size', 'size=']) {
      expect(parseVnuma([node(bad)], HOST).messages.map((m) => m.text)).toEqual([`xl: failed to split "${bad}" into pair\n`]);
    }
  });

  it('rejects numbers without leading digits, tolerating trailing junk', () => {
    expect(parseVnuma([node('size=big')], HOST).messages.map((m) => m.text)).toEqual([
      'xl: failed to convert "big" to number\n',
    ]);
    expect(parseVnuma([node('vdistances=10,far')], HOST).messages.map((m) => m.text)).toEqual([
      'xl: failed to convert "far" to number\n',
    ]);
    expect(parseVnuma([node('size=512M')], HOST).value!.maxmemMiB).toBe(512);
  });

  it('needs every element to be a list', () => {
    const r = parseVnuma([s('pnode=0', 4)], { ...HOST, source: 'vm.cfg' });
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual([
      'vm.cfg:4:0: warning: value is not a list\n',
      'xl: cannot get vnode config option list\n',
    ]);
    expect(parseVnuma([s('x')], HOST).messages.map((m) => m.text)).toEqual(['xl: cannot get vnode config option list\n']);
  });

  it('skips nested lists and unknown keys inside a vnode', () => {
    const r = parseVnuma([node(node('size=1'), 'size=128', 'color=red')], HOST);
    expect(r.exitCode).toBeUndefined();
    expect(r.value!.nodes).toEqual([{ memkb: 131072, distances: [0] }]);
    expect(r.messages.map((m) => [m.text, m.severity])).toEqual([['', 'warning']]);
  });

  it('an empty vnuma list leaves maxvcpus and maxmem alone', () => {
    expect(parseVnuma([], { ...HOST, maxvcpus: 3 }).value).toEqual({ nodes: [], maxvcpus: 3, maxmemMiB: 0 });
  });
});

describe('parseVnuma edge cases', () => {
  it('a vcpus range reaching ULONG_MAX (xl loops forever) is an error, not a hang', () => {
    const r = parseVnuma([node('vcpus=0-18446744073709551615')], { ...HOST, maxvcpus: 4 });
    expect(r.exitCode).toBe(1);
    expect(r.value).toBeUndefined();
    expect(r.messages[0]!.message).toContain('never ends');
  });
  it('counts every vCPU of a range but lists only bits inside the byte-rounded bitmap', () => {
    const r = parseVnuma([node('vcpus=0-99')], { ...HOST, maxvcpus: 100 });
    expect(r.value!.maxvcpus).toBe(100);
    expect(r.value!.nodes[0]!.vcpus).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // maxvcpus=4 → a 4-bit bitmap rounded up to one byte: bits 8 and 9 fall off, yet all 4 vCPUs count.
    const capped = parseVnuma([node('vcpus=6-9')], { nrCpus: 4, nrNodes: 1, maxvcpus: 4 });
    expect(capped.exitCode).toBeUndefined();
    expect(capped.value).toEqual({ nodes: [{ distances: [0], vcpus: [6, 7] }], maxvcpus: 4, maxmemMiB: 0 });
  });
  it('without maxvcpus the bitmap is as wide as the host', () => {
    const narrow = parseVnuma([node('vcpus=6-9')], { nrCpus: 12, nrNodes: 1 });
    expect(narrow.value!.nodes[0]!.vcpus).toEqual([6, 7, 8, 9]);
  });
});
