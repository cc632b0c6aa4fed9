import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/parser/config-file.js';
import { buildDomainConfig } from '../../src/parser/domain-config.js';
import { lintConfig } from '../../src/parser/lint/lint.js';
import { RULES } from '../../src/parser/lint/rules.js';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'rules.md'), 'utf8');

interface Section {
  code: string;
  illustrative: boolean;
  title: string;
  severity: string;
  bad?: string;
  good?: string;
}

function sections(): Map<string, Section> {
  const out = new Map<string, Section>();
  const re = /<a id="(xl\d{3})"><\/a>\n### (XL\d{3}) (\S+)\n([\s\S]*?)(?=\n<a id="|\n## |$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(doc)) !== null) {
    const body = m[4]!;
    const sev = /- \*\*Severity:\*\* (\w+)/.exec(body)?.[1] ?? '';
    const bad = /Bad:\n```cfg\n([\s\S]*?)```/.exec(body)?.[1];
    const good = /Good:\n```cfg\n([\s\S]*?)```/.exec(body)?.[1];
    expect(m[1]).toBe(m[2]!.toLowerCase());
    const illustrative = body.includes('<!-- examples: illustrative');
    out.set(m[2]!, { code: m[2]!, illustrative, title: m[3]!, severity: sev, bad, good });
  }
  return out;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const docs = sections();

describe('docs/rules.md and RULES stay in sync', () => {
  it('every code used in src/parser has a section in docs/rules.md and an entry in RULES', () => {
    const used = new Set<string>();
    for (const f of tsFiles(join(root, 'src', 'parser'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/['"`](XL\d{3})['"`]/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(40);
    const missingDoc = [...used].filter((c) => !docs.has(c)).sort();
    const missingRule = [...used].filter((c) => RULES[c] === undefined).sort();
    expect(missingDoc).toEqual([]);
    expect(missingRule).toEqual([]);
  });

  it('every RULES entry has a section with the same title and severity', () => {
    for (const [code, info] of Object.entries(RULES)) {
      const s = docs.get(code);
      expect(s, code).toBeDefined();
      expect(s!.title, code).toBe(info.title);
      expect(s!.severity, code).toBe(info.severity);
      expect(info.anchor).toBe(code.toLowerCase());
    }
  });

  it('every section has a bad and a good example', () => {
    for (const s of docs.values()) {
      expect(s.bad, s.code).toBeDefined();
      expect(s.good, s.code).toBeDefined();
    }
  });
});

describe('docs/rules.md examples do what they say', () => {
  const facts = { nrCpus: 8, nrNodes: 2, arch: 'x86' as const };
  /**
   * Every code a text produces at any stage: parse diagnostics, xl's processing
   * (buildDomainConfig, as `xlsim create` reports it) and `xlsim check`.
   */
  const allCodes = (t: string): string[] => {
    const parsed = parseConfig(t, 'example.cfg');
    const codes = parsed.diagnostics.map((d) => d.code);
    if (parsed.ok) codes.push(...buildDomainConfig(parsed.file, { facts, source: 'example.cfg' }).messages.map((m) => m.code));
    codes.push(...lintConfig(t, 'example.cfg', { facts }).diagnostics.map((d) => d.code));
    return codes;
  };
  const checked = [...docs.values()].filter((s) => !s.illustrative);
  it('only a handful of sections are marked illustrative', () => {
    expect(docs.size - checked.length).toBeLessThanOrEqual(14);
  });
  for (const s of checked) {
    it(`${s.code}: the bad example triggers it, the good one does not`, () => {
      expect(allCodes(s.bad!)).toContain(s.code);
      expect(allCodes(s.good!)).not.toContain(s.code);
    });
  }
});
