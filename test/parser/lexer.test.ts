import { describe, expect, it } from 'vitest';
import { K, lex } from '../../src/parser/lexer.js';
import { dequote } from '../../src/parser/dequote.js';

const kinds = (text: string) => lex(text).tokens.map((t) => [K[t.kind], t.image]);

describe('lexer: flex rules of libxlu_cfg_l.l (xl-cfg-format.md §1.2)', () => {
  it('splits identifiers with dots, underscores and digits', () => {
    expect(kinds('vif.default.script = "x"\n')).toEqual([
      ['IDENT', 'vif.default.script'], ['EQ', '='], ['STRING', '"x"'], ['NEWLINE', '\n'],
    ]);
    expect(kinds('a.b_c.9=1')).toEqual([['IDENT', 'a.b_c.9'], ['EQ', '='], ['NUMBER', '1']]);
  });

  it('keeps NUMBER text and stops at characters outside [0-9a-fx]', () => {
    expect(kinds('0x1F')).toEqual([['NUMBER', '0x1'], ['ERR', 'F']]);
    expect(kinds('512k')).toEqual([['NUMBER', '512'], ['IDENT', 'k']]);
    expect(kinds('12abc')).toEqual([['NUMBER', '12abc']]);
  });

  it('makes a lexical-error token of the bad character and the rest of the non-blank run', () => {
    expect(kinds('install-method = "x"')).toEqual([
      ['IDENT', 'install'], ['PYERR', '-method'], ['EQ', '='], ['STRING', '"x"'],
    ]);
    expect(kinds('x = -"a b"\n')).toEqual([
      ['IDENT', 'x'], ['EQ', '='], ['PYERR', '-"a'], ['IDENT', 'b'], ['ERR', '"'], ['NEWLINE', '\n'],
    ]);
    expect(kinds('Type = 1')[0]).toEqual(['ERR', 'Type']);
    expect(kinds('_x = 1')[0]).toEqual(['ERR', '_x']);
  });

  it('treats + - . ( ) : as Python hints, but += as the append operator', () => {
    expect(kinds('a += 1')).toEqual([['IDENT', 'a'], ['PLUSEQ', '+='], ['NUMBER', '1']]);
    expect(kinds('a + = 1').map((k) => k[0])).toEqual(['IDENT', 'PYERR', 'EQ', 'NUMBER']);
    for (const c of ['+', '-', '.', '(', ')', ':']) expect(kinds(c)[0]![0]).toBe('PYERR');
    for (const c of ['@', '!', '{', '/', '\\', '\r', '\0']) expect(kinds(c)[0]![0]).toBe('ERR');
  });

  it('makes a comment include its newline, and fails on a final comment without one', () => {
    expect(kinds('# hello\nx=1')).toEqual([['NEWLINE', '# hello\n'], ['IDENT', 'x'], ['EQ', '='], ['NUMBER', '1']]);
    expect(kinds('x=1 # end')).toEqual([['IDENT', 'x'], ['EQ', '='], ['NUMBER', '1'], ['ERR', '#'], ['IDENT', 'end']]);
  });

  it('accepts both quote styles, the other quote inside, and a literal #', () => {
    expect(kinds(`a = 'say "hi"' "it's # not a comment"`).map((k) => k[0])).toEqual(['IDENT', 'EQ', 'STRING', 'STRING']);
    expect(lex(`'say "hi"'`).tokens[0]!.value).toBe('say "hi"');
  });

  it('requires a string to close on its line', () => {
    expect(kinds('"abc\n"')).toEqual([['ERR', '"abc'], ['NEWLINE', '\n'], ['ERR', '"']]);
  });

  it('tracks 1-based lines and columns', () => {
    const t = lex('a = 1\n  bb = [\n "x" ]\n').tokens;
    const bb = t.find((x) => x.image === 'bb')!;
    expect([bb.line, bb.column, bb.startOffset]).toEqual([2, 3, 8]);
    const x = t.find((x) => x.image === '"x"')!;
    expect([x.line, x.column]).toEqual([3, 2]);
    expect(lex('a = 1\n  bb = [\n "x" ]\n').lastLine).toBe(4);
  });

  it('reports the maximum bracket depth', () => {
    expect(lex('x = [[[1]], [2]]').maxDepth).toBe(3);
  });
});

describe('dequote: xlu__cfgl_dequote (xl-cfg-format.md §1.4)', () => {
  it('decodes the simple escapes', () => {
    expect(dequote(String.raw`"a\"b\'c\\d"`).value).toBe(`a"b'c\\d`);
    expect(dequote(String.raw`"\a\b\f\n\r\t\v"`).value).toBe('\x07\b\f\n\r\t\v');
    expect(dequote(`'tab\there'`).value).toBe('tab\there');
    expect(dequote('""').value).toBe('');
  });

  it('swallows octal escapes followed by two or more decimal digits', () => {
    expect(dequote(String.raw`"a\101b"`)).toEqual({ value: 'ab' });
    expect(dequote(String.raw`"a\0123b"`)).toEqual({ value: 'ab' });
    expect(dequote(String.raw`"a\1 2b"`)).toEqual({ value: 'ab' });
    expect(dequote(String.raw`"a\1-5b"`)).toEqual({ value: 'ab' });
  });

  it('rejects short octal escapes', () => {
    const r = dequote(String.raw`"a\1b"`);
    expect(r.value).toBe('a');
    expect(r.error?.message).toBe('invalid digit after backslash octalnumerical character escape in quoted string');
    expect(dequote(String.raw`"\12"`).error?.kind).toBe('oct');
  });

  it('always rejects \\x escapes', () => {
    for (const s of [String.raw`"\x41"`, String.raw`"\x4142"`, String.raw`"\x"`]) {
      expect(dequote(s).error?.message).toBe('invalid digit after backslash hexnumerical character escape in quoted string');
    }
  });

  it('rejects other escapes with the "backlash" message', () => {
    for (const s of [String.raw`"\8"`, String.raw`"\q"`, String.raw`"\/"`, String.raw`"\ "`]) {
      const r = dequote(s);
      expect(r.error?.message).toBe('invalid character after backlash in quoted string');
      expect(r.error?.index).toBe(1);
    }
  });
});
