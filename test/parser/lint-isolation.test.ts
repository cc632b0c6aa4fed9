/**
 * Lint rules are records run one by one (src/parser/lint/rules/): a rule that throws is
 * one XL499 diagnostic naming it, and every other rule still reports; a finding gets the
 * severity its rule declares for its code, and the catalogue shows that same severity.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lintConfig } from '../../src/parser/lint/lint.js';
import { RULES } from '../../src/parser/lint/rules.js';
import { LINT_RULES, type LintRule } from '../../src/parser/lint/rules/index.js';

const facts = { nrCpus: 8, nrNodes: 1, arch: 'x86' as const };
const TEXT = 'name = "a"\nkernel = "/boot/vmlinuz"\nmemroy = 512\nmemory = "lots"\n';

describe('lint rules in isolation', () => {
  const saved = new Map<LintRule, LintRule['check']>();
  const breakRule = (name: string, check: LintRule['check']) => {
    const rule = LINT_RULES.find((r) => r.name === name)!;
    saved.set(rule, rule.check);
    rule.check = check;
  };
  afterEach(() => {
    for (const [rule, check] of saved) rule.check = check;
    saved.clear();
  });

  it('a clean run reports the unknown key and the bad number', () => {
    const codes = lintConfig(TEXT, 'a.cfg', { facts }).diagnostics.map((d) => d.code);
    expect(codes).toContain('XL401');
    expect(codes).toContain('XL406');
    expect(codes).not.toContain('XL499');
  });

  it('a rule that throws is one XL499 naming it; the others still run', () => {
    breakRule('unknown-keys', () => {
      throw new Error('boom \u001b[31m');
    });
    const d = lintConfig(TEXT, 'a.cfg', { facts }).diagnostics;
    const internal = d.filter((x) => x.code === 'XL499');
    expect(internal).toHaveLength(1);
    expect(internal[0]!.message).toContain('unknown-keys');
    expect(internal[0]!.message).toContain('boom \\x1b[31m');
    expect(d.map((x) => x.code)).toContain('XL406');
    expect(d.map((x) => x.code)).not.toContain('XL401');
  });

  it('a rule reporting a code it does not declare is caught the same way', () => {
    breakRule('unknown-keys', (ctx) => {
      ctx.report({ code: 'XL406', message: 'x', range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } });
    });
    const d = lintConfig(TEXT, 'a.cfg', { facts }).diagnostics;
    expect(d.filter((x) => x.code === 'XL499').map((x) => x.message.includes('does not declare'))).toEqual([true]);
  });

  it('each finding has the severity its rule declares, as the catalogue lists it', () => {
    for (const rule of LINT_RULES) {
      for (const [code, severity] of Object.entries(rule.codes)) expect(RULES[code]?.severity, code).toBe(severity);
    }
    for (const d of lintConfig(TEXT, 'a.cfg', { facts }).diagnostics) {
      const rule = LINT_RULES.find((r) => Object.hasOwn(r.codes, d.code));
      if (rule) expect(d.severity).toBe(rule.codes[d.code]);
    }
  });
});
