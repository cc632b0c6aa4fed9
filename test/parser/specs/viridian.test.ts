import { describe, expect, it } from 'vitest';
import { effectiveViridian, parseViridian, VIRIDIAN_DEFAULTS } from '../../../src/parser/specs/viridian.js';

describe('parseViridian (xl-cfg-format.md §4.19)', () => {
  it('enables named groups case-insensitively, in enum order', () => {
    expect(parseViridian(['stimer', 'BASE', 'synic']).value).toEqual({
      enable: ['base', 'synic', 'stimer'],
      disable: [],
      defaults: false,
      all: false,
    });
  });
  it('"!" disables and the later entry wins', () => {
    expect(parseViridian(['freq', '!freq', '!hcall_ipi', 'hcall_ipi']).value).toEqual({
      enable: ['hcall_ipi'],
      disable: ['freq'],
      defaults: false,
      all: false,
    });
  });
  it('defaults sets the viridian defbool; libxl adds the default groups at build', () => {
    const v = parseViridian(['defaults', '!freq']).value!;
    expect(v).toEqual({ enable: [], disable: ['freq'], defaults: true, all: false });
    expect(effectiveViridian(v)).toEqual({ groups: VIRIDIAN_DEFAULTS.filter((g) => g !== 'freq') });
  });
  it('all enables everything without clearing earlier "!" entries', () => {
    const r = parseViridian(['!stimer', 'all']);
    expect(r.value!.enable).toHaveLength(13);
    expect(r.value!.disable).toEqual(['stimer']);
    expect(r.value!.all).toBe(true);
    // libxl then refuses the domain
    expect(effectiveViridian(r.value!)).toEqual({ error: 'stimer group both enabled and disabled' });
  });

  it('libxl needs base under any other group', () => {
    expect(effectiveViridian(parseViridian(['freq']).value!)).toEqual({ error: 'base group not enabled' });
    expect(effectiveViridian(parseViridian([]).value!)).toEqual({ groups: [] });
  });
  it('rejects unknown groups with exit 3', () => {
    const r = parseViridian(['base', 'turbo']);
    expect(r.exitCode).toBe(3);
    expect(r.value).toBeUndefined();
    expect(r.messages.map((m) => m.text)).toEqual(["xl: unknown viridian enlightenment 'turbo'\n"]);
    expect(r.messages[0]!.code).toBe('XL314');
  });
  it('the specials are exact and cannot be negated', () => {
    expect(parseViridian(['ALL']).messages[0]!.text).toBe("xl: unknown viridian enlightenment 'ALL'\n");
    const neg = parseViridian(['!defaults']);
    expect(neg.exitCode).toBe(3);
    expect(neg.messages[0]!.text).toBe("xl: unknown viridian enlightenment 'defaults'\n");
  });
});
