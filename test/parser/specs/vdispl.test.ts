import { describe, expect, it } from 'vitest';
import { parseVdisplSpec } from '../../../src/parser/specs/vdispl.js';

describe('parseVdisplSpec (xl-cfg-format.md §4.14)', () => {
  it('parses backend, be-alloc and connectors', () => {
    const r = parseVdisplSpec('backend=dom0,be-alloc=1,connectors=id0:1920x1080;;id1:800x600');
    expect(r.messages).toEqual([]);
    expect(r.value).toEqual({
      backend_domname: 'dom0',
      be_alloc: true,
      connectors: [
        { unique_id: 'id0', width: 1920, height: 1080 },
        { unique_id: 'id1', width: 800, height: 600 },
      ],
    });
  });
  it('requires at least one connector', () => {
    for (const spec of ['backend=0', '', 'connectors=', 'connectors=;;']) {
      const r = parseVdisplSpec(spec);
      expect(r.exitCode).toBe(1);
      expect(r.messages.map((m) => m.text)).toEqual(['At least one connector should be specified.\n']);
    }
  });
  it('rejects a connector without a resolution', () => {
    for (const c of ['id0', 'id0:1920', 'id0:wide', 'id0:1920 x1080']) {
      const r = parseVdisplSpec(`connectors=${c}`);
      expect(r.exitCode).toBe(1);
      expect(r.messages.map((m) => m.text)).toEqual(["Can't parse connector resolution\n"]);
    }
  });
  it('ignores junk after WxH like sscanf', () => {
    expect(parseVdisplSpec('connectors=a:640x480@60').value).toEqual({
      connectors: [{ unique_id: 'a', width: 640, height: 480 }],
    });
  });
  it('rejects unknown fields with double quotes', () => {
    const r = parseVdisplSpec('connectors=a:1x1,mode=x');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['Unknown string "mode=x" in vdispl spec\n']);
    expect(r.messages[0]!.code).toBe('XL309');
  });
  it('a later connectors= replaces the earlier list', () => {
    expect(parseVdisplSpec('connectors=a:1x1,connectors=b:2x2').value).toEqual({
      connectors: [{ unique_id: 'b', width: 2, height: 2 }],
    });
  });
});
