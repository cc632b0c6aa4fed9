import { describe, expect, it } from 'vitest';
import { parsePvcallsSpec } from '../../../src/parser/specs/pvcalls.js';

describe('parsePvcallsSpec (xl-cfg-format.md §4.7)', () => {
  it('parses backend', () => {
    expect(parsePvcallsSpec('backend=netdom').value).toEqual({ backend_domname: 'netdom' });
  });
  it('accepts an empty spec (default backend: Domain-0)', () => {
    expect(parsePvcallsSpec('')).toEqual({ value: {}, messages: [] });
  });
  it('rejects another key, printing only the key', () => {
    const r = parsePvcallsSpec('backend=0,mode=x');
    expect(r.exitCode).toBe(1);
    expect(r.value).toBeUndefined();
    expect(r.messages.map((m) => m.text)).toEqual(["Unknown string `mode' in pvcalls spec\n"]);
    expect(r.messages[0]!.code).toBe('XL308');
  });
  it('a field without "=" ends parsing silently', () => {
    const r = parsePvcallsSpec('junk,mode=x');
    expect(r.exitCode).toBeUndefined();
    expect(r.value).toEqual({});
    expect(r.messages.map((m) => m.text)).toEqual(['']);
  });
});
