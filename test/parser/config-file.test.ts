import { describe, expect, it } from 'vitest';
import { ConfigFile, parseConfig, parseConfigBytes } from '../../src/parser/config-file.js';
import type { Value } from '../../src/parser/types.js';

const plain = (v: Value): unknown => (v.kind === 'string' ? v.value : v.items.map(plain));
const get = (text: string, name: string) => {
  const s = parseConfig(text, 'c.cfg').file.get(name);
  return s ? plain(s.value) : undefined;
};

describe('ConfigFile: statements and resolved settings (xl-cfg-format.md §1.6)', () => {
  it('keeps statements in source order with ranges', () => {
    const r = parseConfig('name = "vm1"\nmemory = 512\ndisk = [ "a",\n  "b" ]\n', 'c.cfg');
    expect(r.ok).toBe(true);
    const st = r.file.statements;
    expect(st.map((s) => [s.name, s.op, s.lineno])).toEqual([['name', '=', 1], ['memory', '=', 2], ['disk', '=', 3]]);
    expect(st[0]!.nameRange).toEqual({ start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 5, offset: 4 } });
    expect(st[0]!.range.end).toEqual({ line: 1, column: 13, offset: 12 });
    // the scanner's nodes build their ranges when read: compare what JSON (and a reader) sees
    expect(JSON.parse(JSON.stringify(st[1]!.value))).toEqual({
      kind: 'string', value: '512', token: 'NUMBER',
      range: { start: { line: 2, column: 10, offset: 22 }, end: { line: 2, column: 13, offset: 25 } },
    });
    expect(st[2]!.value.range.start).toEqual({ line: 3, column: 8, offset: 33 });
    expect(st[2]!.value.range.end).toEqual({ line: 4, column: 8, offset: 47 });
    expect(plain(st[2]!.value)).toEqual(['a', 'b']);
    expect(r.file.source).toBe('c.cfg');
  });

  it('records the line where the value starts', () => {
    const r = parseConfig('x = [\n"a"]\ny = [ # c\n\n]\n', 'c.cfg');
    expect(r.file.get('x')!.lineno).toBe(1);
    expect(r.file.get('y')!.lineno).toBe(3);
  });

  it('lets the last assignment win, and keeps first-appearance order of names', () => {
    const f = parseConfig('a = 1\nb = 2\na = "x"\n', 'c.cfg').file;
    expect(plain(f.get('a')!.value)).toBe('x');
    expect(f.get('a')!.lineno).toBe(3);
    expect(f.names()).toEqual(['a', 'b']);
    expect(f.has('b')).toBe(true);
    expect(f.has('B')).toBe(false);
    expect(f.get('c')).toBeUndefined();
  });

  it('concatenates strings with += and no separator, keeping op +=', () => {
    const f = parseConfig('x = "a"\nx += "b"\nx += 3\n', 'c.cfg').file;
    expect(plain(f.get('x')!.value)).toBe('ab3');
    expect(f.get('x')!.op).toBe('+=');
    expect(f.get('x')!.lineno).toBe(3);
    expect(get('m = 5; m += 6', 'm')).toBe('56');
  });

  it('concatenates lists with +=', () => {
    expect(get('l = ["1"]\nl += ["2", "3"]\n', 'l')).toEqual(['1', '2', '3']);
    expect(get('l = ["1"]\nl += []\n', 'l')).toEqual(['1']);
  });

  it('stores += as-is when there is no earlier value', () => {
    const f = parseConfig('x += ["a"]\n', 'c.cfg').file;
    expect(plain(f.get('x')!.value)).toEqual(['a']);
    expect(f.get('x')!.op).toBe('+=');
  });

  it('refuses += of a list to a string with the exact xl message, at that line', () => {
    const r = parseConfig('x = "a"\nx += [\n "b" ]\ny = 1\n', 'c.cfg');
    expect(r.ok).toBe(false);
    expect(r.xlErrors).toBe(`c.cfg:3: config parsing error near \`]': can't add [list] to "string" or vice versa\n`);
    expect(r.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['XL004', 2]]);
    expect(r.diagnostics[0]!.message).toBe("can't add a list to `x`, which is a string (set on line 1); += needs the same kind on both sides");
    expect(plain(r.file.get('x')!.value)).toBe('a');
    expect(r.file.conflicts.length).toBe(1);
  });

  it('prints only the first += mismatch (libxlu stops storing after an error)', () => {
    const r = parseConfig('x = ["a"]\nx += "b"\ny = "c"\ny += [1]\n', 'c.cfg');
    expect(r.xlErrors).toBe(`c.cfg:2: config parsing error near \`"b"': can't add [list] to "string" or vice versa\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['XL004', 'XL004']);
  });

  it('interleaves a += mismatch with syntax errors in file order', () => {
    const r = parseConfig('x = 1\nx += [2]\ny = bad\n', 'c.cfg');
    expect(r.xlErrors).toBe(
      `c.cfg:2: config parsing error near \`]': can't add [list] to "string" or vice versa\n` +
        "c.cfg:3: config parsing error near `bad': syntax error, unexpected IDENT, expecting STRING or NUMBER or '['\n",
    );
  });

  it('can be built directly from statements', () => {
    const f = new ConfigFile('t', parseConfig('a = 1\na += 2\n', 't').file.statements);
    expect(plain(f.get('a')!.value)).toBe('12');
    expect(f.settings().map((s) => s.name)).toEqual(['a']);
  });

  it('treats command-line style extras appended after the file as later settings', () => {
    expect(get('memory = 512\n' + '\nmemory=1024\n', 'memory')).toBe('1024');
  });
});

describe('parseConfig never throws', () => {
  it('on odd inputs', () => {
    for (const t of ['\0', '"\0"', '\uffff', '[[[[', ']]]]', '=', '+=', '\\', '"\\', "'", 'x = "\\', '\ud800']) {
      const r = parseConfig(t, 'c.cfg');
      expect(r.ok).toBe(false);
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
  });
});

describe('parseConfigBytes', () => {
  it('decodes UTF-8 inside strings', () => {
    const r = parseConfigBytes(new TextEncoder().encode('name = "café"\n'), 'b.cfg');
    expect(r.ok).toBe(true);
    expect(plain(r.file.get('name')!.value)).toBe('café');
  });
  it('reads invalid UTF-8 as Latin-1 with an XL006 warning at the first bad byte', () => {
    const r = parseConfigBytes(Uint8Array.from([...Buffer.from('a = 1\nb = "'), 0xff, 0x22, 0x0a]), 'b.cfg');
    expect(r.ok).toBe(true);
    expect(plain(r.file.get('b')!.value)).toBe('\u00ff');
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.column])).toEqual([['XL006', 'warning', 2, 6]]);
  });
  it('reports a NUL byte outside a string as a lexical error', () => {
    const r = parseConfigBytes(Uint8Array.from([0x61, 0x3d, 0x00, 0x0a]), 'b.cfg');
    expect(r.ok).toBe(false);
    expect(r.xlErrors).toBe("b.cfg:1: config parsing error near `': lexical error\n");
    expect(r.diagnostics[0]!.code).toBe('XL001');
  });
  it('keeps a UTF-8 byte-order mark, which xl reads as bad bytes', () => {
    const r = parseConfigBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('name = "a"\n')]), 'b.cfg');
    expect(r.ok).toBe(false);
    expect(r.xlErrors).toBe('b.cfg:1: config parsing error near `\ufeffname\': lexical error\n');
  });
  it('accepts a NUL byte inside a comment', () => {
    expect(parseConfigBytes(Uint8Array.from([0x23, 0x00, 0x0a]), 'b.cfg').ok).toBe(true);
  });
});

describe('printConfig (printer.ts)', () => {
  it('prints resolved settings, one per line, NUMBER tokens bare and strings quoted', async () => {
    const { printConfig } = await import('../../src/parser/printer.js');
    const r = parseConfig('name = \'vm "1"\'\nmemory = 512\nmemory = 0x200\ndisk = [ "a\\\\b",\n [ 1 ], [] ]\nx = "a"\nx += "\\tb"\n', 'c.cfg');
    expect(r.ok).toBe(true);
    expect(printConfig(r.file)).toBe('name = "vm \\"1\\""\nmemory = 0x200\ndisk = [ "a\\\\b", [ 1 ], [] ]\nx += "a\\tb"\n'.replace('\\t', '\t'));
  });
  it('prints the deepest list xl accepts without exhausting the stack', async () => {
    const { printConfig } = await import('../../src/parser/printer.js');
    const text = 'x = ' + '['.repeat(4996) + '"a"' + ']'.repeat(4996) + '\n';
    const r = parseConfig(text, 'c.cfg');
    expect(r.ok).toBe(true);
    expect(printConfig(r.file)).toBe('x = ' + '[ '.repeat(4996) + '"a"' + ' ]'.repeat(4996) + '\n');
  });
  it('escapes what dequote restores and round-trips', async () => {
    const { printConfig, quoteString } = await import('../../src/parser/printer.js');
    expect(quoteString('a\nb\r\x07\b\f\v"\\')).toBe('"a\\nb\\r\\a\\b\\f\\v\\"\\\\"');
    const f = parseConfig('s = "a\\nb\\r\\a\\b\\f\\v"\n', 'c.cfg').file;
    expect(plain(parseConfig(printConfig(f), 'p').file.get('s')!.value)).toBe('a\nb\r\x07\b\f\v');
  });
});
