import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig, type ParseResult } from '../../src/parser/config-file.js';
import { lex } from '../../src/parser/lexer.js';
import { parseWithChevrotain, runBison } from '../../src/parser/grammar.js';
import { printConfig } from '../../src/parser/printer.js';
import type { Value } from '../../src/parser/types.js';

const plain = (v: Value): unknown => (v.kind === 'string' ? v.value : v.items.map(plain));
const resolved = (r: ParseResult) => r.file.names().map((n) => {
  const s = r.file.get(n)!;
  return [n, s.op, plain(s.value)];
});

/** Fragments that make up xl.cfg text, good and bad. */
const piece = fc.constantFrom(
  'a', 'bb', 'x.y_1', '=', '+=', ' = ', '[', ']', ',', ';', '\n', '# c\n', ' ', '\t', '"s"', "'t t'", '""', '1', '0x1f', '12abc',
  '"a\\nb"', '"\\q"', '"\\101"', '"\\x41"', '-', '.', '(', 'Q', '\r', '#', '"', '\\', '@',
);
const soup = fc.array(piece, { maxLength: 40 }).map((a) => a.join(''));
const cleanPiece = fc.constantFrom('a', 'bb', 'x.y', '=', '+=', ' ', '[', ']', ',', ';', '\n', '# c\n', '"s"', "'t'", '1', '0x1f', '"a\\tb"', '"\\101"');
const cleanSoup = fc.array(cleanPiece, { maxLength: 40 }).map((a) => a.join(''));

/** Well-formed configs: random names, strings (any characters but NUL and newline, escaped as needed), numbers, nested lists, = and +=. */
const name = fc.constantFrom('name', 'memory', 'disk', 'vif', 'x', 'cpus', 'extra');
const str = fc.string({ maxLength: 8 }).map((s) => s.replace(/[\0\n]/g, ''));
const quoted = str.map((s) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"');
const num = fc.nat().map(String);
const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    quoted,
    num,
    fc.array(tie('v'), { maxLength: 4 }).map((items) => '[' + items.join(',\n ') + ']'),
  ),
})).v;
const config = fc.array(fc.tuple(name, fc.constantFrom('=', '+='), value), { maxLength: 10 })
  .map((st) => st.map(([n, op, v]) => `${n} ${op} ${v}`).join('\n') + '\n');

describe('property: the parser never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (t) => {
      const r = parseConfig(t, 'p.cfg');
      expect(typeof r.ok).toBe('boolean');
      expect(r.ok).toBe(r.xlErrors === '');
      if (!r.ok) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    }), { numRuns: 300 });
  });
  it('on token soup, and every xl line has the libxlu shape', () => {
    fc.assert(fc.property(soup, (t) => {
      const r = parseConfig(t, 'p.cfg');
      for (const l of r.xlErrors.split('\n').filter(Boolean)) {
        expect(l).toMatch(/^(p\.cfg:-?\d+: config parsing error near (`[^]*'|<newline>|): .+|warning: .+)$/);
      }
      expect(r.ok).toBe(r.xlErrors === '');
      // xl fails exactly when xlsim has an error diagnostic to show.
      expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(!r.ok);
    }), { numRuns: 400 });
  });
});

describe('property: print then parse gives the same settings', () => {
  it('for generated configs', () => {
    fc.assert(fc.property(config, (t) => {
      const r1 = parseConfig(t, 'p.cfg');
      const r2 = parseConfig(printConfig(r1.file), 'p.cfg');
      expect(r2.ok).toBe(true);
      expect(resolved(r2)).toEqual(resolved(r1));
    }), { numRuns: 300 });
  });
  it('for whatever parsed out of token soup', () => {
    fc.assert(fc.property(soup, (t) => {
      const r1 = parseConfig(t, 'p.cfg');
      const r2 = parseConfig(printConfig(r1.file), 'p.cfg');
      expect(resolved(r2)).toEqual(resolved(r1));
    }), { numRuns: 300 });
  });
});

describe('property: the chevrotain parser and the bison tables agree', () => {
  it('on acceptance and on every statement', () => {
    fc.assert(fc.property(cleanSoup, (t) => {
      const lx = lex(t);
      if (lx.hasErrors) return;
      const chev = parseWithChevrotain(lx.tokens);
      const eofPos = { line: 1, column: 1, offset: 0 };
      const bison = runBison(lx.tokens, { mode: 'diag', source: 'p', eofPos });
      expect(chev !== undefined).toBe(bison.diagnostics.length === 0);
      if (chev) expect(chev).toEqual(bison.statements);
    }), { numRuns: 500 });
  });
  it('on generated well-formed configs', () => {
    fc.assert(fc.property(config, (t) => {
      const lx = lex(t);
      const chev = parseWithChevrotain(lx.tokens);
      const bison = runBison(lx.tokens, { mode: 'diag', source: 'p', eofPos: { line: 1, column: 1, offset: 0 } });
      expect(bison.diagnostics).toEqual([]);
      expect(chev).toEqual(bison.statements);
    }), { numRuns: 200 });
  });
});
