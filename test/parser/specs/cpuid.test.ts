import { describe, expect, it } from 'vitest';
import { parseCpuidList, parseCpuidString } from '../../../src/parser/specs/cpuid.js';

const P32 = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1';
const Q32 = '0000000000000000000000000000000k';

describe('parseCpuidString — libxl form (xl-cfg-format.md §4.17)', () => {
  it('accepts legacy names, numeric fields and featureset names', () => {
    const r = parseCpuidString('host,tm=0,sse4.2=x,family=0x6,lahf-lm=k,avx512f=0,invtsc=1');
    expect(r.messages).toEqual([]);
    expect(r.exitCode).toBeUndefined();
    expect(r.value).toEqual({
      host: true,
      settings: [
        { key: 'tm', value: '0' },
        { key: 'sse4.2', value: 'x' },
        { key: 'family', value: '0x6' },
        { key: 'lahf-lm', value: 'k' },
        { key: 'avx512f', value: '0' },
        { key: 'invtsc', value: '1' },
      ],
    });
  });

  it('ignores the whole option when the first word is not "host"', () => {
    const r = parseCpuidString('hostx,tm=0');
    expect(r.value).toBeUndefined();
    expect(r.exitCode).toBeUndefined();
    expect(r.messages.map((m) => m.text)).toEqual(['while parsing CPUID string: "hostx,tm=0":\n  error: first word must be "host"\n']);
    expect(r.messages[0]).toMatchObject({ severity: 'warning', code: 'XL313' });
  });

  it('numbers each field error and skips only that field', () => {
    const r = parseCpuidString('host,tm,bogus=1,sse=q,sse2=s, sse3=1');
    expect(r.exitCode).toBeUndefined();
    expect(r.messages.map((m) => m.text)).toEqual([
      'while parsing CPUID flag: "tm":\n  error #1: missing "=" in key=value\n',
      'while parsing CPUID flag: "bogus=1":\n  error #2: unknown CPUID flag name\n',
      'while parsing CPUID flag: "sse=q":\n  error #3: illegal CPUID value (must be: [0|1|x|k|s])\n',
      'while parsing CPUID flag: " sse3=1":\n  error #2: unknown CPUID flag name\n',
    ]);
    expect(r.value).toEqual({ host: true, settings: [{ key: 'sse2', value: 's' }] });
  });

  it('takes a number for legacy names but only 0/1/x/k/s for featureset names', () => {
    expect(parseCpuidString('host,maxleaf=0xd').messages).toEqual([]);
    expect(parseCpuidString('host,avx=2').messages.map((m) => m.text)).toEqual([
      'while parsing CPUID flag: "avx=2":\n  error #3: illegal CPUID value (must be: [0|1|x|k|s])\n',
    ]);
    expect(parseCpuidString('host,tm=').messages.map((m) => m.text)).toEqual([
      'while parsing CPUID flag: "tm=":\n  error #3: illegal CPUID value (must be: [0|1|x|k|s])\n',
    ]);
  });
});

describe('parseCpuidList — xend form (xl-cfg-format.md §4.17)', () => {
  it('parses leaves, subleaves and registers, merging the same leaf', () => {
    const r = parseCpuidList([`1:ecx=${P32},edx=${Q32}`, `7,0:ebx=${Q32}`, `0x1:eax=${P32}`]);
    expect(r.messages).toEqual([]);
    expect(r.value).toEqual({
      cpuid: [
        { leaf: 1, eax: P32, ecx: P32, edx: Q32 },
        { leaf: 7, subleaf: 0, ebx: Q32 },
      ],
    });
  });

  it('allows spaces and newlines after the comma between registers', () => {
    expect(parseCpuidList([`1:eax=${P32}, \nebx=${P32}`]).value).toEqual({ cpuid: [{ leaf: 1, eax: P32, ebx: P32 }] });
  });

  it('numbers each line error and goes on', () => {
    const r = parseCpuidList([
      `x:eax=${P32}`,
      `1,y:eax=${P32}`,
      `1 eax=${P32}`,
      `1:efx=${P32}`,
      '1:eax=0101',
      `2:edx=${P32}`,
    ]);
    expect(r.exitCode).toBeUndefined();
    expect(r.messages.map((m) => m.text)).toEqual([
      `while parsing CPUID line: "x:eax=${P32}":\n  error #1: illegal leaf number\n`,
      `while parsing CPUID line: "1,y:eax=${P32}":\n  error #2: illegal subleaf number\n`,
      `while parsing CPUID line: "1 eax=${P32}":\n  error #3: missing colon\n`,
      `while parsing CPUID line: "1:efx=${P32}":\n  error #4: invalid register name (must be e[abcd]x)\n`,
      'while parsing CPUID line: "1:eax=0101":\n  error #5: policy string must be exactly 32 characters long\n',
    ]);
    expect(r.value).toEqual({ cpuid: [{ leaf: 1 }, { leaf: 2, edx: P32 }] });
  });

  it('keeps registers set before an error in the same line', () => {
    const r = parseCpuidList([`1:eax=${P32},ebx=short`]);
    expect(r.messages).toHaveLength(1);
    expect(r.value).toEqual({ cpuid: [{ leaf: 1, eax: P32 }] });
  });
});
