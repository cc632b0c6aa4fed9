import { describe, expect, it } from 'vitest';
import { parseSmbios } from '../../../src/parser/specs/smbios.js';

describe('parseSmbios (xl-cfg-format.md §4.18)', () => {
  it('parses key=value pairs with case-insensitive keys', () => {
    const r = parseSmbios(['System_Manufacturer=ACME Corp', 'oem=a=b', 'oem=second']);
    expect(r.messages).toEqual([]);
    expect(r.value).toEqual([
      { key: 'system_manufacturer', value: 'ACME Corp' },
      { key: 'oem', value: 'a=b' },
      { key: 'oem', value: 'second' },
    ]);
  });
  it('rejects an item without "="', () => {
    const r = parseSmbios(['bios_vendor']);
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['xl: failed to split "bios_vendor" at \'=\'\n']);
  });
  it('rejects an empty value', () => {
    expect(parseSmbios(['bios_version=']).messages.map((m) => m.text)).toEqual([
      'xl: empty value not allowed for smbios "bios_version="\n',
    ]);
  });
  it('rejects unknown keys', () => {
    const r = parseSmbios(['chassis_type=3']);
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(["xl: unknown smbios type 'chassis_type'\n"]);
    expect(r.messages[0]!.code).toBe('XL315');
  });
  it('allows 99 oem strings but not 100', () => {
    const oems = Array.from({ length: 99 }, (_, i) => `oem=s${i}`);
    expect(parseSmbios(oems).value).toHaveLength(99);
    const r = parseSmbios([...oems, 'oem=s99']);
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['xl: smbios limited to 99 oem strings\n']);
  });
});
