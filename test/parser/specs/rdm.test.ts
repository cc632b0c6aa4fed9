/** rdm= as xl reads it, upstream policy inversion included (xl-cfg-format.md §4.10, libxlu_pci.c xlu_rdm_parse). */
import { describe, expect, it } from 'vitest';
import { parseRdmSpec } from '../../../src/parser/specs/rdm.js';

describe('parseRdmSpec', () => {
  it('accepts strategy=host', () => {
    expect(parseRdmSpec('strategy=host')).toEqual({ value: { strategy: 'host' }, messages: [] });
  });

  it('drops the whole string when the policy is valid, and explains the upstream bug', () => {
    for (const t of ['strategy=host,policy=relaxed', 'strategy=host,policy=STRICT', 'policy=strict,strategy=host']) {
      const r = parseRdmSpec(t);
      expect(r.value).toBeUndefined();
      expect(r.exitCode).toBeUndefined();
      expect(r.messages).toHaveLength(1);
      expect(r.messages[0]).toMatchObject({ text: '', severity: 'warning', code: 'XL241' });
      expect(r.messages[0]!.message).toContain('inverts');
    }
  });

  it('accepts an unknown policy with a message and no policy', () => {
    const r = parseRdmSpec('strategy=host,policy=lax');
    expect(r.value).toEqual({ strategy: 'host' });
    expect(r.messages.map((m) => m.text)).toEqual(['Unknown RDM policy: lax']);
    expect(r.messages[0]).toMatchObject({ severity: 'warning', code: 'XL241', span: [21, 24] });
  });

  it('prints libxlu messages without a newline for unknown keys and strategies', () => {
    const a = parseRdmSpec('strategy=guest');
    expect(a.value).toBeUndefined();
    expect(a.messages.map((m) => m.text)).toEqual(['Unknown RDM strategy option: guest', '']);
    const b = parseRdmSpec('mode=host');
    expect(b.messages.map((m) => m.text)).toEqual(['Unknown RDM state option: mode', '']);
    const c = parseRdmSpec('x,strategy=host');
    expect(c.messages.map((m) => m.text)).toEqual(['Unknown RDM state option: x,strategy', '']);
    const d = parseRdmSpec('strategy=Host');
    expect(d.messages.map((m) => m.text)).toEqual(['Unknown RDM strategy option: Host', '']);
  });

  it('fails silently on a trailing comma, an empty string or a missing value', () => {
    for (const t of ['strategy=host,', '', 'strategy']) {
      const r = parseRdmSpec(t);
      expect(r.value).toBeUndefined();
      expect(r.messages.map((m) => m.text)).toEqual(['']);
      expect(r.exitCode).toBeUndefined();
    }
  });
});
