import { describe, expect, it } from 'vitest';
import { parseDomainUuid, parseUuid } from '../../../src/parser/specs/uuid.js';

describe('parseUuid (libuuid uuid_parse, xl-cfg-format.md §3.3)', () => {
  it('accepts the canonical form in either case and lower-cases it', () => {
    expect(parseUuid('4B3D2A10-6C1F-4E3A-9B1E-0A2B3C4D5E6F')).toBe('4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f');
    expect(parseUuid('00000000-0000-0000-0000-000000000000')).toBe('00000000-0000-0000-0000-000000000000');
  });
  it('rejects other shapes', () => {
    for (const bad of [
      '',
      '4b3d2a106c1f4e3a9b1e0a2b3c4d5e6f',
      '{4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f}',
      ' 4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f',
      '4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6g',
      '4b3d2a1-06c1f-4e3a-9b1e-0a2b3c4d5e6f',
      '4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f0',
    ]) {
      expect(parseUuid(bad)).toBeUndefined();
    }
  });
  it('parseDomainUuid gives xl\'s message and exit 1', () => {
    const r = parseDomainUuid('not-a-uuid');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['Failed to parse UUID: not-a-uuid\n']);
    expect(r.messages[0]!.code).toBe('XL316');
    expect(parseDomainUuid('4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f')).toEqual({
      value: '4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f',
      messages: [],
    });
  });
});
