/**
 * Guards for the grammar layer (src/parser/grammar/): chevrotain's own validations of the
 * parser and of the token definitions, and the hand-written scanner checked token for
 * token against a chevrotain Lexer built from those definitions (the specification).
 */
import { Lexer } from 'chevrotain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lex } from '../../src/parser/grammar/lexer.js';
import { XlChevrotainParser } from '../../src/parser/grammar/parser.js';
import { allTokens, KIND_BY_TYPE_IDX } from '../../src/parser/grammar/chev-tokens.js';
import { parseConfig } from '../../src/parser/config-file.js';
import { runBison } from '../../src/parser/grammar/bison.js';

/** A value tree as its readers see it (the scanner's nodes build their ranges when read; JSON reads them). */
const asRead = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe('chevrotain validations', () => {
  it('the parser passes every grammar validation of performSelfAnalysis', () => {
    // performSelfAnalysis throws "Parser Definition Errors detected" on any of them
    expect(() => new XlChevrotainParser({ validate: true })).not.toThrow();
  });
  it('the token definitions pass the lexer validations', () => {
    const l = new Lexer(allTokens, { positionTracking: 'onlyOffset', safeMode: true });
    expect(l.lexerDefinitionErrors).toEqual([]);
  });
});

describe('the scanner follows the token definitions', () => {
  const spec = new Lexer(allTokens, { positionTracking: 'onlyOffset', safeMode: true, skipValidations: true });
  const viaSpec = (text: string) =>
    spec.tokenize(text).tokens.map((t) => [KIND_BY_TYPE_IDX[t.tokenTypeIdx], t.image, t.startOffset]);
  const viaScanner = (text: string) => lex(text).tokens.map((t) => [t.kind, t.image, t.startOffset]);
  const piece = fc.constantFrom(
    'a', 'bb', 'x.y_1', 'Z', '_', '9', '0x1f', '12abc', '=', '+=', '+', '-', '.', '(', ')', ':', ';', ',', '[', ']',
    ' ', '\t', '\n', '\r', '#', '# c\n', '"', "'", '"s"', "'t t'", '"a\\"b"', '"\\', '\\', '\0', 'é', '€', '\u{1F600}', '@',
  );
  it('gives the same tokens as a chevrotain Lexer on random text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }).map((a) => a.join('')), (text) => {
        expect(viaScanner(text)).toEqual(viaSpec(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('no recursion on long input', () => {
  it('a 10 MB quoted string is one token and one setting', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const r = parseConfig(`name = "h"\nextra = "${big}"\n`, 'big.cfg');
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    expect((r.file.get('extra')!.value as { value: string }).value.length).toBe(big.length);
  });
  it('a 10 MB unterminated string is one lexical error', () => {
    const r = parseConfig(`extra = "${'y'.repeat(10 * 1024 * 1024)}\n`, 'big.cfg');
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['XL001']);
  });
});

describe('xl\'s verdict without xl\'s lines', () => {
  // parseConfig(…, {maxXlLines: 0}) (what xlsim check uses) skips the xl-mode bison run and
  // takes "no error diagnostic" as the verdict; it must be the same verdict.
  const piece = fc.constantFrom(
    'a', 'bb', '=', '+=', ' = ', '[', ']', ',', ';', '\n', '# c\n', ' ', '"s"', "'t t'", '1', '0x1f', '"a\\nb"', '"\\q"',
    '"\\101"', '-', '.', 'Q', '\r', '#', '"', '@', 'a = [', 'b += "x"\n', 'b += [1]\n',
  );
  it('agrees with the xl-mode run on random text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((a) => a.join('')), (text) => {
        expect(parseConfig(text, 'p.cfg', { maxXlLines: 0 }).ok).toBe(parseConfig(text, 'p.cfg').ok);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the fast path (fused tokens, batches) builds what the bison machine builds', () => {
  const name = fc.constantFrom('name', 'memory', 'disk', 'vif', 'x', 'cpus', 'extra', 'a.b_c');
  const blank = fc.constantFrom('', ' ', '\t', '  ');
  const str = fc.string({ maxLength: 8 }).map((s) => s.replace(/[\0\n]/g, ''));
  const quoted = fc.oneof(
    str.map((s) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"'),
    str.map((s) => "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'"),
  );
  const num = fc.oneof(fc.nat().map(String), fc.constantFrom('0x1f', '12abc', '0'));
  const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      quoted,
      num,
      fc.tuple(fc.array(tie('v'), { maxLength: 4 }), fc.boolean()).map(([items, trailing]) => '[' + items.join(',\n ') + (trailing && items.length ? ',' : '') + ']'),
    ),
  })).v;
  const end = fc.constantFrom('\n', ';', ' # c\n', ';\n', '\n\n');
  const config = fc
    .array(fc.tuple(name, blank, fc.constantFrom('=', '+='), blank, value, blank, end), { maxLength: 12 })
    .map((st) => st.map(([n, b1, op, b2, v, b3, e]) => `${n}${b1}${op}${b2}${v}${b3}${e}`).join(''));
  it('on random well-formed configs', () => {
    fc.assert(
      fc.property(config, (t) => {
        const fast = parseConfig(t, 'p.cfg');
        const exact = runBison(lex(t).tokens, { mode: 'diag', source: 'p.cfg', eofPos: { line: 1, column: 1, offset: 0 } });
        expect(exact.diagnostics).toEqual([]);
        expect(asRead(fast.file.statements)).toEqual(asRead(exact.statements));
      }),
      { numRuns: 3000 },
    );
  });
  it('across batch boundaries (more than 16,384 tokens)', () => {
    const t = Array.from({ length: 6000 }, (_, i) => `k${i} = [ "a", ${i} ]\nv${i} += "x\\ty"\n`).join('');
    const fast = parseConfig(t, 'p.cfg');
    const exact = runBison(lex(t).tokens, { mode: 'diag', source: 'p.cfg', eofPos: { line: 1, column: 1, offset: 0 } });
    expect(asRead(fast.file.statements)).toEqual(asRead(exact.statements));
  });
});
