/** ioports=, iomem=, irqs= as xl reads them (xl-cfg-format.md §4.13, xl_parse.c). */
import { describe, expect, it } from 'vitest';
import { parseIomem, parseIoports, parseIrqs } from '../../../src/parser/specs/ioresources.js';

describe('parseIoports', () => {
  it('reads hex ports and ranges', () => {
    expect(parseIoports(['2f8-2ff', '3f8', '0x60'])).toEqual({
      value: [{ first: 0x2f8, number: 8 }, { first: 0x3f8, number: 1 }, { first: 0x60, number: 1 }],
      messages: [],
    });
  });

  it('does not notice a reversed range (number wraps)', () => {
    expect(parseIoports(['3ff-2f8']).value).toEqual([{ first: 0x3ff, number: 4294967034 }]);
  });

  it('only prints for junk after a single port', () => {
    const r = parseIoports(['3f8x', '60']);
    expect(r.value).toEqual([{ first: 0x3f8, number: 1 }, { first: 0x60, number: 1 }]);
    expect(r.messages.map((m) => m.text)).toEqual(['xl: Invalid argument parsing ioport: 3f8x\n']);
    expect(r.messages[0]).toMatchObject({ severity: 'warning', code: 'XL251' });
    expect(r.exitCode).toBeUndefined();
  });

  it.each([
    ['zz', 'xl: Invalid argument parsing ioport: zz\n'],
    ['2f8-', 'xl: Invalid argument parsing ioport: 2f8-\n'],
    ['2f8-2ffz', 'xl: Invalid argument parsing ioport: 2f8-2ffz\n'],
    ['ffffffff', 'xl: ioport ffffffff too big\n'],
    ['10-100000000', 'xl: ioport 100000000 too big\n'],
  ])('%s fails', (item, text) => {
    const r = parseIoports(['60', item]);
    expect(r.messages.map((m) => m.text)).toEqual([text]);
    expect(r.exitCode).toBe(1);
    expect(r.value).toBeUndefined();
  });
});

describe('parseIomem', () => {
  it('reads START,NUM[@GFN] in hex, gfn defaulting to start', () => {
    expect(parseIomem(['fe000,10', 'fe100,1@80000', '0xa0,0x2'])).toEqual({
      value: [
        { start: 0xfe000, number: 16, gfn: 0xfe000 },
        { start: 0xfe100, number: 1, gfn: 0x80000 },
        { start: 0xa0, number: 2, gfn: 0xa0 },
      ],
      messages: [],
    });
  });

  it.each(['fe000', 'fe000,', 'fe000,10@', 'fe000,10 ', 'fe000 ,10', 'x,1'])('%j fails', (item) => {
    const r = parseIomem([item]);
    expect(r.messages.map((m) => m.text)).toEqual([`xl: Invalid argument parsing iomem: ${item}\n`]);
    expect(r.exitCode).toBe(1);
  });
});

describe('parseIrqs', () => {
  it('reads decimal IRQs', () => {
    expect(parseIrqs(['10', '11'])).toEqual({ value: [10, 11], messages: [] });
  });
  it.each([
    ['1a', 'xl: Invalid argument parsing irq: 1a\n'],
    ['', 'xl: Invalid argument parsing irq: \n'],
    ['0x10', 'xl: Invalid argument parsing irq: 0x10\n'],
    ['4294967295', 'xl: irq ffffffff too big\n'],
    ['-1', 'xl: irq ffffffffffffffff too big\n'],
  ])('%j fails', (item, text) => {
    const r = parseIrqs([item]);
    expect(r.messages.map((m) => m.text)).toEqual([text]);
    expect(r.exitCode).toBe(1);
  });
});
