import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigBytes } from '../../src/parser/config-file.js';
import { sharedPath } from '../shared-dir.js';

// ../shared/corpus from the project root.
const root = sharedPath('corpus').path + '/';
const manifest = root + 'MANIFEST.tsv';
const present = existsSync(manifest);

interface Entry { file: string; verdict: string; notes: string }
const entries: Entry[] = present
  ? readFileSync(manifest, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => {
      const c = l.split('\t');
      return { file: c[0]!, verdict: c[4]!, notes: c[5] ?? '' };
    })
  : [];

describe.skipIf(!present)('real-world corpus (shared/corpus/MANIFEST.tsv)', () => {
  it('has entries', () => expect(entries.length).toBeGreaterThan(50));
  for (const e of entries) {
    if (e.verdict === 'accepted') {
      it(`accepts ${e.file}`, () => {
        const r = parseConfigBytes(readFileSync(root + e.file), e.file);
        expect(r.xlErrors).toBe('');
        expect(r.ok).toBe(true);
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(r.file.names().length).toBeGreaterThan(0);
      });
    } else {
      it(`rejects ${e.file} where upstream does`, () => {
        const m = /rejects at line (\d+): (.*) near (.*)$/.exec(e.notes);
        expect(m).not.toBeNull();
        const [, lineNo, msg, near] = m!;
        const r = parseConfigBytes(readFileSync(root + e.file), e.file);
        expect(r.ok).toBe(false);
        expect(r.xlErrors.split('\n')[0]).toBe(`${e.file}:${lineNo}: config parsing error near ${near}: ${msg}`);
        expect(r.diagnostics[0]!.severity).toBe('error');
        expect(r.diagnostics.some((d) => d.range.start.line === Number(lineNo))).toBe(true);
      });
    }
  }
});
