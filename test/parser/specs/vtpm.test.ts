import { describe, expect, it } from 'vitest';
import { parseVtpmSpec } from '../../../src/parser/specs/vtpm.js';

describe('parseVtpmSpec (xl-cfg-format.md §4.5)', () => {
  it('parses backend and uuid (lower-cased)', () => {
    const r = parseVtpmSpec('backend=vtpmmgr,uuid=B8DD7B5A-5DC0-4A4F-9E4D-0A1B2C3D4E5F');
    expect(r.messages).toEqual([]);
    expect(r.value).toEqual({ backend_domname: 'vtpmmgr', uuid: 'b8dd7b5a-5dc0-4a4f-9e4d-0a1b2c3d4e5f' });
  });
  it('requires backend', () => {
    const r = parseVtpmSpec('uuid=b8dd7b5a-5dc0-4a4f-9e4d-0a1b2c3d4e5f');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['vtpm spec missing required backend field!\n']);
  });
  it('a field without "=" ends parsing, so a later backend is missed', () => {
    const r = parseVtpmSpec('uuid=b8dd7b5a-5dc0-4a4f-9e4d-0a1b2c3d4e5f,oops,backend=vtpmmgr');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['', 'vtpm spec missing required backend field!\n']);
    expect(r.messages[0]!.severity).toBe('warning');
  });
  it('rejects a bad uuid', () => {
    const r = parseVtpmSpec('backend=0,uuid=1234');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['Failed to parse vtpm UUID: 1234\n']);
  });
  it('rejects an unknown key printing only the key', () => {
    const r = parseVtpmSpec('backend=0,model=tis');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(["Unknown string `model' in vtpm spec\n"]);
    expect(r.messages[0]!.code).toBe('XL306');
  });
  it('keeps trailing spaces in backend', () => {
    expect(parseVtpmSpec(' backend=mgr ').value).toEqual({ backend_domname: 'mgr ' });
  });
});
