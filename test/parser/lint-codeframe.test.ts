import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { codeFrame } from '../../src/toolstack/format/codeframe.js';
import { LineIndex } from '../../src/parser/lint/text.js';

const text = ['name = "web"', 'memory = 512', 'memroy = 1024', 'vcpus = 2', 'maxvcpus = 4', 'on_crash = "destroy"'].join('\n');

function rangeOf(t: string, needle: string) {
  const at = t.indexOf(needle);
  const lines = new LineIndex(t);
  return lines.range(at, at + needle.length);
}

describe('codeFrame', () => {
  it('shows two lines of context, a gutter and carets under the range', () => {
    expect(codeFrame(text, rangeOf(text, 'memroy'))).toBe(
      [
        '  1 | name = "web"',
        '  2 | memory = 512',
        '> 3 | memroy = 1024',
        '    | ^^^^^^',
        '  4 | vcpus = 2',
        '  5 | maxvcpus = 4',
      ].join('\n'),
    );
  });

  it('underlines a range in the middle of a line and clamps context at the file start', () => {
    expect(codeFrame(text, rangeOf(text, '"web"'), { context: 1 })).toBe(
      ['> 1 | name = "web"', '    |        ^^^^^', '  2 | memory = 512'].join('\n'),
    );
  });

  it('widens the gutter for two-digit line numbers', () => {
    const t = Array.from({ length: 12 }, (_, i) => `k${i + 1} = ${i + 1}`).join('\n');
    const frame = codeFrame(t, rangeOf(t, 'k10'), { context: 1 });
    expect(frame.split('\n')).toEqual(['   9 | k9 = 9', '> 10 | k10 = 10', '     | ^^^', '  11 | k11 = 11']);
  });

  it('gives a zero-width range one caret', () => {
    const lines = new LineIndex(text);
    const frame = codeFrame(text, lines.range(0, 0), { context: 0 });
    expect(frame).toBe('> 1 | name = "web"\n    | ^');
  });

  it('keeps TABs in the underline so the carets line up under the token', () => {
    const t = 'a = 1\n\tmemory = "x"\n';
    const frame = codeFrame(t, rangeOf(t, '"x"'), { context: 0 });
    expect(frame).toBe('> 2 | \tmemory = "x"\n    | \t         ^^^');
  });

  it('shows control characters as visible symbols', () => {
    const t = 'name = "a"\r\nmem\u0000 = 1\n';
    const frame = codeFrame(t, rangeOf(t, '\u0000'), { context: 1 });
    expect(frame).toBe(['  1 | name = "a"\u240d', '> 2 | mem\u2400 = 1', '    |    ^', '  3 |'].join('\n'));
  });

  it('marks every line of a multi-line range', () => {
    const t = 'disk = [\n  "a",\n  "b" ]\nx = 1';
    const frame = codeFrame(t, rangeOf(t, '[\n  "a",\n  "b" ]'), { context: 0 });
    expect(frame).toBe(
      ['> 1 | disk = [', '    |        ^', '> 2 |   "a",', '    | ^^^^^^', '> 3 |   "b" ]', '    | ^^^^^^^'].join('\n'),
    );
  });

  it('cuts a very long line to a window around the range', () => {
    const t = 'x = "' + 'a'.repeat(5000) + 'BAD' + 'a'.repeat(5000) + '"';
    const frame = codeFrame(t, rangeOf(t, 'BAD'), { context: 0, maxWidth: 40 });
    const [src, carets] = frame.split('\n');
    expect(src!.startsWith('> 1 | …')).toBe(true);
    expect(src!.endsWith('…')).toBe(true);
    expect(src!.length).toBeLessThan(60);
    // The carets sit exactly under BAD.
    expect(src!.indexOf('BAD')).toBe(carets!.indexOf('^^^'));
  });

  it('colours the marker and carets only when asked', () => {
    const r = rangeOf(text, 'memroy');
    expect(codeFrame(text, r)).not.toContain('\u001b[');
    const coloured = codeFrame(text, r, { color: true });
    expect(coloured).toContain(new Chalk({ level: 1 }).red.bold('^^^^^^'));
    expect(coloured).toContain('\u001b[31m');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(codeFrame(text, r));
  });

  it('clamps a range beyond the end of the text instead of throwing', () => {
    const bad = { start: { line: 99, column: 1, offset: 10_000 }, end: { line: 99, column: 5, offset: 10_004 } };
    const frame = codeFrame(text, bad, { context: 0 });
    expect(frame.startsWith('> 6 | on_crash = "destroy"')).toBe(true);
  });
});
