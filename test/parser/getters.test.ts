import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/parser/config-file.js';
import {
  getBoundedLong, getDefbool, getList, getLong, getString, getStringList, listItem, lookupLong, lookupString,
  parseCLong, parseCLongBig, type Report,
} from '../../src/parser/getters.js';

const cfg = (text: string) => {
  const r = parseConfig(text, 'g.cfg');
  expect(r.ok).toBe(true);
  return r.file;
};
const collect = () => {
  const lines: string[] = [];
  const report: Report = (text) => lines.push(text);
  return { lines, report };
};

describe('parseCLong: strtol(…, 0) on LP64 (xl-cfg-format.md §1.5)', () => {
  const ok: Array<[string, number]> = [
    ['0', 0], ['42', 42], ['010', 8], ['0x1f', 31], ['0X1F', 31], [' 42', 42], ['\t+7', 7], ['-5', -5], ['-0x10', -16],
    ['9223372036854775807', 9223372036854775807], ['-9223372036854775808', -9223372036854775808],
  ];
  for (const [t, v] of ok) it(`reads ${JSON.stringify(t)} as ${v}`, () => expect(parseCLong(t)).toEqual({ ok: true, value: v }));
  const bad = ['', ' ', '0800', '09', '42 ', '12abc', '0x', '- 5', '+', '1.5', 'true', '0x1g'];
  for (const t of bad) it(`rejects ${JSON.stringify(t)}`, () => expect(parseCLong(t)).toEqual({ ok: false, reason: 'invalid' }));
  it('reports ERANGE beyond 64 bits, before looking at trailing junk', () => {
    expect(parseCLong('9223372036854775808')).toEqual({ ok: false, reason: 'range' });
    expect(parseCLong('-9223372036854775809')).toEqual({ ok: false, reason: 'range' });
    expect(parseCLong('99999999999999999999abc')).toEqual({ ok: false, reason: 'range' });
  });
  it('keeps 64-bit values exact as bigint', () => {
    expect(parseCLongBig('0x7fffffffffffffff')).toEqual({ ok: true, value: 9223372036854775807n });
  });
});

describe('getString / getLong and their warnings (§1.7 table)', () => {
  it('reads NUMBER and STRING tokens as strings', () => {
    const f = cfg('a = 123\nb = "x"\nc += "y"\n');
    expect(getString(f, 'a')).toBe('123');
    expect(getString(f, 'b')).toBe('x');
    expect(getString(f, 'c')).toBe('y');
    expect(getString(f, 'zz')).toBeUndefined();
  });
  it('warns when a list is read as a single value', () => {
    const { lines, report } = collect();
    const f = cfg('\nd = [ "a" ]\n');
    expect(getString(f, 'd', report)).toBeUndefined();
    expect(getLong(f, 'd', report)).toBeUndefined();
    expect(lines).toEqual([
      "g.cfg:2: warning: parameter `d' is a list but should be a single value\n",
      "g.cfg:2: warning: parameter `d' is a list but should be a single value\n",
    ]);
  });
  it('reads numbers with strtol rules, quoted or not', () => {
    const f = cfg('a = 010\nb = "0x10"\nc = " -3"\n');
    expect([getLong(f, 'a'), getLong(f, 'b'), getLong(f, 'c')]).toEqual([8, 16, -3]);
  });
  it('warns about junk, range and += exactly as libxlu', () => {
    const { lines, report } = collect();
    const f = cfg('a = 12abc\nb = "99999999999999999999"\nm = 5\nm += 6\nt = "true"\n');
    expect(getLong(f, 'a', report)).toBeUndefined();
    expect(getLong(f, 'b', report)).toBeUndefined();
    expect(getLong(f, 'm', report)).toBeUndefined();
    expect(getDefbool(f, 't', report)).toBeUndefined();
    expect(lines).toEqual([
      "g.cfg:1: warning: parameter `a' is not a valid number\n",
      "g.cfg:2: warning: parameter `b' could not be parsed as a number: Numerical result out of range\n",
      "g.cfg:4: warning: can't use += with numbers for parameter `m'\n",
      "g.cfg:5: warning: parameter `t' is not a valid number\n",
    ]);
  });
  it('is silent without a report function (dont_warn)', () => {
    const f = cfg('a = 12abc\n');
    expect(getLong(f, 'a')).toBeUndefined();
  });
  it('passes the setting to the report function', () => {
    const f = cfg('a = 12abc\n');
    let got = '';
    getLong(f, 'a', (_t, s) => (got = s.name));
    expect(got).toBe('a');
  });
  it('tells absent from invalid', () => {
    const f = cfg('a = "x"\n');
    expect(lookupLong(f, 'a').status).toBe('invalid');
    expect(lookupLong(f, 'b').status).toBe('absent');
    expect(lookupString(f, 'a')).toMatchObject({ status: 'ok', value: 'x' });
  });
});

describe('getBoundedLong', () => {
  it('accepts values within bounds, inclusive', () => {
    const f = cfg('v = 1\nw = 128\n');
    expect(getBoundedLong(f, 'v', 1, 128)).toBe(1);
    expect(getBoundedLong(f, 'w', 1, 128)).toBe(128);
  });
  it('warns with the bound message', () => {
    const { lines, report } = collect();
    const f = cfg('v = 0\nw = 0x100\n');
    expect(getBoundedLong(f, 'v', 1, 128, report)).toBeUndefined();
    expect(getBoundedLong(f, 'w', 1, 128, report)).toBeUndefined();
    expect(lines).toEqual([
      "g.cfg:1: warning: value `0' is smaller than minimum bound '1'\n",
      "g.cfg:2: warning: value `256' is greater than maximum bound '128'\n",
    ]);
  });
});

describe('getDefbool', () => {
  it('maps non-zero numbers to true', () => {
    const f = cfg('a = 1\nb = 0\nc = "-1"\nd = 0x0\n');
    expect([getDefbool(f, 'a'), getDefbool(f, 'b'), getDefbool(f, 'c'), getDefbool(f, 'd')]).toEqual([true, false, true, false]);
  });
  it('does not accept words', () => {
    const f = cfg('a = "yes"\nb = "on"\n');
    expect([getDefbool(f, 'a'), getDefbool(f, 'b')]).toEqual([undefined, undefined]);
  });
});

describe('lists', () => {
  it('getList returns the list and warns for a scalar', () => {
    const { lines, report } = collect();
    const f = cfg('disk = [ "a", "b" ]\nvif = "x"\n');
    expect(getList(f, 'disk')!.items.length).toBe(2);
    expect(getList(f, 'vif', report)).toBeUndefined();
    expect(lines).toEqual(["g.cfg:2: warning: parameter `vif' is a single value but should be a list\n"]);
  });
  it('getStringList stops at a nested list', () => {
    const f = cfg('disk = [ "a,,xvda", ["x"], "b,,xvdb" ]\nl = [1, "2"]\ne = []\n');
    expect(getStringList(f, 'disk')).toEqual(['a,,xvda']);
    expect(getStringList(f, 'l')).toEqual(['1', '2']);
    expect(getStringList(f, 'e')).toEqual([]);
    expect(getStringList(f, 'none')).toBeUndefined();
  });
  it('listItem returns strings only, in range', () => {
    const l = getList(cfg('x = [ "a", ["b"], 3 ]\n'), 'x')!;
    expect([listItem(l, 0), listItem(l, 1), listItem(l, 2), listItem(l, 3), listItem(l, -1)]).toEqual(['a', undefined, '3', undefined, undefined]);
  });
});
