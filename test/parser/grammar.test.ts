import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/parser/config-file.js';
import { lalrTables, bisonExpected, formatXlError, PYTHON_HINT } from '../../src/parser/grammar.js';

const xl = (text: string, src = 'g.cfg') => parseConfig(text, src).xlErrors;
const line = (n: number, near: string, msg: string, src = 'g.cfg') => `${src}:${n}: config parsing error near ${near}: ${msg}\n`;
const SYN = 'syntax error, unexpected ';

describe('LALR tables generated from the 23 rules of libxlu_cfg_y.y', () => {
  it('have the 32 states bison reports', () => {
    expect(lalrTables().rows.length).toBe(32);
  });
  it('detect errors in exactly these states, with these "expecting" lists', () => {
    // States without a default reduction are where bison detects errors; the one after
    // `error` (expecting NEWLINE) is only reached during recovery and never reports.
    const lists = new Set<string>();
    lalrTables().rows.forEach((r, s) => { if (r.def < 0 && s !== lalrTables().final) lists.add(bisonExpected(s).join(' or ')); });
    expect([...lists].sort()).toEqual([
      "$end", "$end or IDENT or NEWLINE or ';'", "']'", "+= or '='", 'NEWLINE', "STRING or NUMBER or '['",
    ].sort());
  });
  it('never list more than four expected tokens', () => {
    for (let s = 0; s < lalrTables().rows.length; s++) expect(bisonExpected(s).length).toBeLessThanOrEqual(4);
  });
});

describe('accepted files (xl-cfg-format.md §1.2–§1.3)', () => {
  const ok = [
    '', '\n\n', '# only a comment\n', ';;\n;', 'a = 1', 'a = 1;', 'a = 1; b = "x"\n', 'a=[]\n', 'a = ["a","b",]\n',
    'a = [\n  "x", # first\n\n  "y"\n  ,\n]\n', 'a = [["p", 1], []]\n', "a = 'it\"s'\n", 'a = "#literal"\n', 'k = 12abc\n',
    'a = [ [ [ ] ] ]\n', 'x += "a"\n', 'a = 1\t\t;\t b=2\n',
  ];
  for (const t of ok) {
    it(`accepts ${JSON.stringify(t)}`, () => {
      const r = parseConfig(t, 'g.cfg');
      expect(r.xlErrors).toBe('');
      expect(r.ok).toBe(true);
      expect(r.diagnostics).toEqual([]);
    });
  }
});

describe('bison verbose syntax errors, observed cases of §1.7', () => {
  const cases: Array<[string, string]> = [
    ['x = hvm\n', line(1, '`hvm\'', SYN + "IDENT, expecting STRING or NUMBER or '['")],
    ['a = 1,2\n', line(1, '`,\'', SYN + "',', expecting $end")],
    ['a = 1 b = 2\n', line(1, '`b\'', SYN + 'IDENT, expecting $end')],
    ['a = 1\n= 5\n', line(2, '`=\'', SYN + "'=', expecting $end or IDENT or NEWLINE or ';'")],
    ['a\n', line(0, '<newline>', SYN + "NEWLINE, expecting += or '='")],
    ['x = [ "a" "b" ]\n', line(1, '`"b"\'', SYN + "STRING, expecting ']'")],
    ['x = [,]\n', line(1, '`,\'', SYN + "',', expecting ']'")],
    ['x = [ "a",\n "b"\n', line(2, "`'", SYN + "$end, expecting ']'")],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => expect(xl(text)).toBe(want));
});

describe('bison messages derived from the LALR states', () => {
  const cases: Array<[string, string]> = [
    ['x += ;\n', line(1, '`;\'', SYN + "';', expecting STRING or NUMBER or '['")],
    ['x y\n', line(1, '`y\'', SYN + "IDENT, expecting += or '='")],
    ['[ 1 ]\n', line(1, '`[\'', SYN + "'[', expecting $end or IDENT or NEWLINE or ';'")],
    ['x = 1 = 2\n', line(1, '`=\'', SYN + "'=', expecting $end")],
    ['x = [ ["a"] "b" ]\n', line(1, '`"b"\'', SYN + "STRING, expecting ']'")],
    ['x = ["a",,]\n', line(1, '`,\'', SYN + "',', expecting ']'")],
    ['x = [ "a", ', line(1, "`'", SYN + "$end, expecting ']'")],
    ["x = 'it''s'\n", line(1, "`'s''", SYN + 'STRING, expecting $end')],
    ['x = [ "a" ] ]\n', line(1, '`]\'', SYN + "']', expecting $end")],
    ['x = ]\n', line(1, '`]\'', SYN + "']', expecting STRING or NUMBER or '['")],
    ['x = [ = ]\n', line(1, '`=\'', SYN + "'=', expecting ']'")],
    ['x =\n', line(0, '<newline>', SYN + "NEWLINE, expecting STRING or NUMBER or '['")],
    ['x = # c\n', line(0, '`# c\'', SYN + "NEWLINE, expecting STRING or NUMBER or '['")],
    ['x', line(1, "`'", SYN + "$end, expecting += or '='")],
    ['x =', line(1, "`'", SYN + "$end, expecting STRING or NUMBER or '['")],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => expect(xl(text)).toBe(want));
});

describe('other reject cases of §1.2–§1.3', () => {
  const cases: Array<[string, string]> = [
    ['x = 0x1F\n', line(1, '`F\'', 'lexical error')],
    ['memory = 512k\n', line(1, '`k\'', SYN + 'IDENT, expecting $end')],
    ['Name = 1\n', line(1, '`Name\'', 'lexical error')],
    ['_x = 1\n', line(1, '`_x\'', 'lexical error')],
    ['x = "a\\\nb"\n', line(1, '`"a\\\'', 'lexical error') + line(2, '`"\'', 'lexical error')],
    ['x = 1 \\\ny = 2\n', line(1, '`\\\'', 'lexical error')],
    ['x\n= 1\n', line(0, '<newline>', SYN + "NEWLINE, expecting += or '='")],
    ['x = [,"a"]\n', line(1, '`,\'', SYN + "',', expecting ']'")],
    ['type = hvm\nname = "a"\n', line(1, '`hvm\'', SYN + "IDENT, expecting STRING or NUMBER or '['")],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => expect(xl(text)).toBe(want));
  it('has no limit on string length or list length', () => {
    const big = 'x = "' + 'a'.repeat(100_000) + '"\ny = [' + Array.from({ length: 100_000 }, (_, i) => String(i)).join(',') + ']\n';
    const r = parseConfig(big, 'g.cfg');
    expect(r.ok).toBe(true);
    const y = r.file.get('y')!.value;
    expect(y.kind === 'list' && y.items.length).toBe(100_000);
  });
});

describe('line numbers and error suppression (§1.7 mechanics)', () => {
  it('reports a NEWLINE error one line early', () => {
    expect(xl('y = 1\ny =\n')).toBe(line(1, '<newline>', SYN + "NEWLINE, expecting STRING or NUMBER or '['"));
  });
  it('swallows an error right at the start of the next line (3-token rule)', () => {
    expect(xl('b = bad\n= 5\n')).toBe(line(1, '`bad\'', SYN + "IDENT, expecting STRING or NUMBER or '['"));
  });
  it('reports errors on consecutive lines once three tokens were shifted', () => {
    expect(xl('b = bad\nc = bad2\n')).toBe(
      line(1, '`bad\'', SYN + "IDENT, expecting STRING or NUMBER or '['") +
        line(2, '`bad2\'', SYN + "IDENT, expecting STRING or NUMBER or '['"),
    );
  });
  it('stops at an error after a complete assignment (bison aborts: no state below shifts error)', () => {
    expect(xl('a = 1 b = 2\nc = hvm\n')).toBe(line(1, '`b\'', SYN + 'IDENT, expecting $end'));
  });
  it('suppresses everything up to the line of a lexical error', () => {
    expect(xl('x = -1 + bad\n')).toBe(line(1, '`-1\'', 'lexical error') + PYTHON_HINT);
    expect(xl('x = -1\ny = 2\nz = bad\n')).toBe(line(1, '`-1\'', 'lexical error') + line(3, '`bad\'', SYN + "IDENT, expecting STRING or NUMBER or '['") + PYTHON_HINT);
  });
  it('reports a lexical error after a syntax error on the same line', () => {
    expect(xl('x = ["a" "b" @c]\n')).toBe(line(1, '`"b"\'', SYN + "STRING, expecting ']'") + line(1, '`@c]\'', 'lexical error'));
  });
  it('rejects CR-LF files with one error per line, showing the CR', () => {
    expect(xl('a = 1\r\nb = 2\r\n')).toBe(line(1, '`\r\'', 'lexical error') + line(2, '`\r\'', 'lexical error'));
  });
  it('rejects a final comment without newline', () => {
    expect(xl('a = 1\n# end')).toBe(line(2, '`#\'', 'lexical error'));
    expect(xl('#VBoxManage modifyvm')).toBe(line(1, '`#VBoxManage\'', 'lexical error'));
  });
  it('adds the Python hint only for + - . ( ) :', () => {
    expect(xl('x = 1.5\n')).toBe(line(1, '`.5\'', 'lexical error') + PYTHON_HINT);
    expect(xl('x = (1)\n')).toBe(line(1, '`(1)\'', 'lexical error') + PYTHON_HINT);
    expect(xl('memory = 512M\n')).toBe(line(1, '`M\'', 'lexical error'));
    expect(PYTHON_HINT).toBe(
      'warning: Config file looks like it contains Python code.\nwarning:  Arbitrary Python is no longer supported.\nwarning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n',
    );
  });
  it('uses the source label as typed', () => {
    expect(xl('x = hvm\n', '/etc/xen/a.cfg')).toMatch(/^\/etc\/xen\/a\.cfg:1: /);
  });
  it('formats tokens like xlu__cfg_yyerror (trailing blanks cut, NUL ends the text)', () => {
    expect(formatXlError('f', 3, '# c  \t\n', 'm')).toBe('f:2: config parsing error near `# c\': m\n');
    expect(formatXlError('f', 3, '\n', 'm')).toBe('f:2: config parsing error near <newline>: m\n');
    expect(formatXlError('f', 3, '\0', 'm')).toBe("f:3: config parsing error near `': m\n");
    expect(formatXlError('f', 3, 'a\0b', 'm')).toBe("f:3: config parsing error near `a': m\n");
  });
});

describe('escape errors (§1.4)', () => {
  it('prints the hex message for any \\x', () => {
    expect(xl('x = "a\\x41"\n')).toBe(line(1, '`"a\\x41"\'', 'invalid digit after backslash hexnumerical character escape in quoted string'));
  });
  it('prints the octal and backlash messages', () => {
    expect(xl('x = "\\1"\n')).toBe(line(1, '`"\\1"\'', 'invalid digit after backslash octalnumerical character escape in quoted string'));
    expect(xl("x = '\\q'\n")).toBe(line(1, "`'\\q''", 'invalid character after backlash in quoted string'));
  });
  it('reports only the first escape error once the parse has failed (dequote returns early)', () => {
    expect(xl('x = "\\q"\ny = "\\8"\n')).toBe(line(1, '`"\\q"\'', 'invalid character after backlash in quoted string'));
  });
  it('gives a located XL003 diagnostic for every bad escape', () => {
    const r = parseConfig('x = "\\q"\ny = "ab\\8"\n', 'g.cfg');
    expect(r.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.column])).toEqual([['XL003', 1, 6], ['XL003', 2, 8]]);
  });
});

describe('nesting limit (YYMAXDEPTH 10000 → 4996 levels)', () => {
  const nest = (n: number) => 'x = ' + '['.repeat(n) + ']'.repeat(n) + '\n';
  it('accepts 4996 levels', () => {
    const r = parseConfig(nest(4996), 'g.cfg');
    expect(r.ok).toBe(true);
    let v = r.file.get('x')!.value;
    let depth = 0;
    while (v.kind === 'list') { depth++; if (!v.items.length) break; v = v.items[0]!; }
    expect(depth).toBe(4996);
  });
  it('rejects 4997 levels with memory exhausted', () => {
    const r = parseConfig(nest(4997), 'g.cfg');
    expect(r.ok).toBe(false);
    expect(r.xlErrors).toBe(line(1, '`]\'', 'memory exhausted'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['XL005']);
  });
  it('gives a clean diagnostic for 100 000 levels, not a RangeError', () => {
    const r = parseConfig(nest(100_000), 'g.cfg');
    expect(r.ok).toBe(false);
    expect(r.xlErrors).toBe(line(1, '`[\'', 'memory exhausted'));
    expect(r.diagnostics[0]!.code).toBe('XL005');
  });
});

describe('xlsim diagnostics: every error, located', () => {
  it('reports errors xl swallows, each with its exact xl line', () => {
    const r = parseConfig('b = bad\n= 5\na = 1 c = 2\nd = hvm\n', 'g.cfg');
    expect(r.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.column])).toEqual([
      ['XL002', 1, 5], ['XL002', 2, 1], ['XL002', 3, 7], ['XL002', 4, 5],
    ]);
    expect(r.diagnostics[1]!.xl).toBe("g.cfg:2: config parsing error near `=': syntax error, unexpected '=', expecting $end or IDENT or NEWLINE or ';'");
    expect(r.diagnostics[0]!.message).toBe('syntax error: found bare word `bad`, expected a quoted string, a number or `[`; bare words are not values, quote it: "bad"');
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });
  it('reports every lexical error of a line and no syntax noise on it', () => {
    const r = parseConfig('x = -1 + bad\n', 'g.cfg');
    expect(r.diagnostics.map((d) => [d.code, d.range.start.column, d.range.end.column])).toEqual([['XL001', 5, 7], ['XL001', 8, 9]]);
  });
  it('keeps the assignments it could parse', () => {
    const r = parseConfig('a = 1\nb = bad\nc = "x"\n', 'g.cfg');
    expect(r.ok).toBe(false);
    expect(r.file.names()).toEqual(['a', 'c']);
  });
  it('gives one diagnostic for a mistake inside a multi-line list, and goes on after it', () => {
    const r = parseConfig("disk = [ 'a',\n  hvm,\n  'b' ]\nname = \"x\"\nt = bad\n", 'g.cfg');
    expect(r.xlErrors).toBe(
      "g.cfg:2: config parsing error near `hvm': syntax error, unexpected IDENT, expecting ']'\n" +
        "g.cfg:5: config parsing error near `bad': syntax error, unexpected IDENT, expecting STRING or NUMBER or '['\n",
    );
    expect(r.diagnostics.map((d) => [d.range.start.line, d.range.start.column])).toEqual([[2, 3], [5, 5]]);
    expect(r.diagnostics[0]!.message).toBe(
      'syntax error: found bare word `hvm`, expected a quoted string, a number, end of line, `[` or `]`; bare words are not values, quote it: "hvm"',
    );
    expect(r.file.names()).toEqual(['name']);
  });
  it('resynchronises at the next statement when a list is never closed', () => {
    const r = parseConfig('disk = [ "a",\nname = "x"\nt = bad\n', 'g.cfg');
    expect(r.diagnostics.map((d) => d.range.start.line)).toEqual([2, 3]);
  });
  it('explains a missing separator', () => {
    expect(parseConfig('a = 1 b = 2\n', 'g.cfg').diagnostics[0]!.message).toBe(
      'syntax error: found bare word `b`, expected end of file, end of line or `;`; a setting ends at the end of its line or at `;`',
    );
    expect(parseConfig('a = ["x" "y"]\n', 'g.cfg').diagnostics[0]!.message).toBe(
      'syntax error: found string "y", expected end of line, `]` or `,`; list items are separated by `,`',
    );
  });
  it('locates the end of file', () => {
    const r = parseConfig('x = [\n "a"', 'g.cfg');
    expect(r.diagnostics[0]!.range.start).toEqual({ line: 2, column: 5, offset: 10 });
    expect(r.diagnostics[0]!.message).toContain('the list is never closed');
  });
});
