import { describe, expect, it } from 'vitest';
import { lintConfig } from '../../src/parser/lint/lint.js';
import { findSuppressions } from '../../src/parser/lint/suppress.js';

const facts = { nrCpus: 4, nrNodes: 1, arch: 'x86' as const };
const lint = (t: string) => lintConfig(t, 'g.cfg', { facts });
const codesAt = (t: string) => lint(t).diagnostics.map((d) => `${d.range.start.line}:${d.code}`);

const BASE = 'name = "g"\nkernel = "/k"\n';

describe('inline suppression', () => {
  it('a directive on the line before a statement silences that statement only', () => {
    const text = BASE + '# xlsim: ignore=XL401\nmemroy = 1\nmemroyy = 2\n';
    const r = lint(text);
    expect(codesAt(text)).toEqual(['5:XL401']);
    expect(r.suppressed.map((d) => `${d.range.start.line}:${d.code}`)).toEqual(['4:XL401']);
  });

  it('a directive at the end of the statement line silences it', () => {
    const text = BASE + 'memroy = 1 # xlsim: ignore=XL401\nmemroyy = 2\n';
    expect(codesAt(text)).toEqual(['4:XL401']);
  });

  it('only the named codes are silenced', () => {
    const text = BASE + 'memroy = 1 # xlsim: ignore=XL405\n';
    // XL401 stays; the unused XL405 directive is itself reported (XL498).
    expect(codesAt(text)).toEqual(['3:XL401', '3:XL498']);
  });

  it('accepts a comma-separated list of codes, in any case', () => {
    const text = BASE + '# xlsim: ignore=xl401, XL411\nmemroy = 1\nmemroy = 2\n';
    expect(codesAt(text)).toEqual([]);
    expect(lint(text).suppressed.map((d) => d.code).sort()).toEqual(['XL401', 'XL411']);
  });

  it('covers every line of a multi-line list statement', () => {
    const text = BASE + '# xlsim: ignore=XL410\ndisk = [\n  "/a,,xvda",\n  ["x"],\n]\n';
    expect(codesAt(text)).toEqual([]);
    const unsuppressed = BASE + 'disk = [\n  "/a,,xvda",\n  ["x"],\n]\n';
    expect(codesAt(unsuppressed)).toEqual(['5:XL410']);
  });

  it('skips blank lines and other comments between the directive and the statement', () => {
    const text = BASE + '# xlsim: ignore=XL401\n\n# a comment\nmemroy = 1\n';
    expect(codesAt(text)).toEqual([]);
  });

  it('a # inside a string is not a directive', () => {
    const text = BASE + 'memroy = "# xlsim: ignore=XL401"\n';
    expect(codesAt(text)).toEqual(['3:XL401']);
  });

  it('does not change what xl reads', () => {
    const text = BASE + 'memory = 512 # xlsim: ignore=XL405\n';
    expect(lint(text).settings['memory']).toBe('512');
  });

  it('reports directive positions and coverage', () => {
    const text = 'a = 1\n# xlsim: ignore=XL401,XL402\nb = [\n"x"]\nc = 2 # xlsim: ignore=XL499\n';
    expect(findSuppressions(text, [[1, 1], [3, 4], [5, 5]])).toEqual([
      { line: 2, codes: ['XL401', 'XL402'], ownLine: true, covers: [3, 4], offset: 6, length: 27 },
      { line: 5, codes: ['XL499'], ownLine: false, covers: [5, 5], offset: 51, length: 21 },
    ]);
  });

  it('reports a directive code that silences nothing, and an unknown code, as XL498 at the comment', () => {
    const text = BASE + 'memory = 512 # xlsim: ignore=XL405, XL777\n';
    const r = lint(text);
    expect(r.diagnostics.map((d) => [d.code, d.severity, text.slice(d.range.start.offset, d.range.end.offset)])).toEqual([
      ['XL498', 'info', '# xlsim: ignore=XL405, XL777'],
      ['XL498', 'info', '# xlsim: ignore=XL405, XL777'],
    ]);
    expect(r.diagnostics[0]!.message).toBe('this xlsim: ignore comment silences XL405, but XL405 is not reported here; remove it');
    expect(r.diagnostics[1]!.message).toBe("`XL777' in this xlsim: ignore comment is not an xlsim rule code (see docs/rules.md)");
  });
});
