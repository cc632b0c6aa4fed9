/**
 * The upstream Xen parser test vectors (tools/xl/check-xl-disk-parse,
 * check-xl-vif-parse, check-xl-vcpupin-parse; see shared/reference/peer-tests/README.md)
 * run through the same entry points block-attach, network-attach and vcpu-pin use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDiskSpecs } from '../../../src/parser/specs/disk.js';
import { parseNicTokens } from '../../../src/parser/specs/vif.js';
import { formatCpumap, parseCpuList } from '../../../src/parser/specs/cpumap.js';
import { sharedPath } from '../../shared-dir.js';

// shared/ sits beside the checkout (as in CI); without it these vectors cannot be read.
const { path: dir, present } = sharedPath('reference/peer-tests');

interface JsonCase {
  argv: string[];
  rc: number;
  stdout: Record<string, unknown> | null;
}
const load = (f: string): JsonCase[] => !present ? [] : (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { cases: JsonCase[] }).cases;

describe.skipIf(!present)('check-xl-disk-parse', () => {
  const cases = load('check-xl-disk-parse.json');
  it('has the 28 upstream cases', () => expect(cases.length).toBe(28));
  cases.forEach((c, i) => {
    it(`#${i} ${JSON.stringify(c.argv)} → rc ${c.rc}`, () => {
      const r = parseDiskSpecs(c.argv, 'command line');
      expect(r.exitCode ?? 0).toBe(c.rc);
      if (c.stdout === null) {
        expect(r.value).toBeUndefined();
        expect(r.messages.some((m) => m.severity === 'error' && m.text.startsWith('command line: config parsing error in disk specification: '))).toBe(true);
      } else {
        expect(r.value).toEqual(c.stdout);
        expect(Object.keys(r.value!)).toEqual(Object.keys(c.stdout));
      }
    });
  });
});

describe.skipIf(!present)('check-xl-vif-parse', () => {
  const cases = load('check-xl-vif-parse.json');
  it('has the 44 upstream cases', () => expect(cases.length).toBe(44));
  cases.forEach((c, i) => {
    it(`#${i} ${JSON.stringify(c.argv)} → rc ${c.rc}`, () => {
      const r = parseNicTokens(c.argv, { source: 'command line', mode: 'attach', devid: -1 });
      expect(r.exitCode ?? 0).toBe(c.rc);
      if (c.stdout === null) {
        expect(r.value).toBeUndefined();
        expect(r.messages.length).toBeGreaterThan(0);
      } else {
        expect(r.value).toEqual(c.stdout);
        expect(Object.keys(r.value!)).toEqual(Object.keys(c.stdout));
      }
    });
  });
});

describe.skipIf(!present)('check-xl-vcpupin-parse', () => {
  const lines = (present ? readFileSync(join(dir, 'check-xl-vcpupin-parse.tsv'), 'utf8') : '').split('\n').slice(1).filter((l) => l !== '');
  it('has vectors', () => expect(lines.length).toBe(40));
  lines.forEach((line, i) => {
    const [input, rcText, stdout] = line.split('\t') as [string, string, string];
    const rc = rcText === '255' ? 1 : Number(rcText);
    it(`#${i} ${input} → ${rc} ${stdout}`, () => {
      const r = parseCpuList(input, { nrCpus: 16, nrNodes: 2 });
      expect(r.exitCode ?? 0).toBe(rc);
      if (rc === 0) expect(`cpumap: ${formatCpumap(r.value!, 16)}`).toBe(stdout);
      else expect(r.value).toBeUndefined();
    });
  });
});
