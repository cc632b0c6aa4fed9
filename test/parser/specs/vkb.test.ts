import { describe, expect, it } from 'vitest';
import { parseVkbSpec } from '../../../src/parser/specs/vkb.js';

const MT = 'multi-touch-width, multi-touch-height, multi-touch-num-contacts should be set for multi touch in vkb spec\n';

describe('parseVkbSpec (xl-cfg-format.md §4.3)', () => {
  it('parses all fields in IDL order', () => {
    const r = parseVkbSpec(
      'height=600,width=800,backend=dom1,backend-type=Linux,unique-id=KBD0,feature-disable-keyboard=1,feature-disable-pointer=0x1,feature-abs-pointer=1,feature-raw-pointer=1',
    );
    expect(r.messages).toEqual([]);
    expect(r.exitCode).toBeUndefined();
    expect(r.value).toEqual({
      backend_domname: 'dom1',
      backend_type: 'linux',
      unique_id: 'KBD0',
      feature_disable_keyboard: true,
      feature_disable_pointer: true,
      feature_abs_pointer: true,
      feature_raw_pointer: true,
      width: 800,
      height: 600,
    });
    expect(Object.keys(r.value!)).toEqual([
      'backend_domname',
      'backend_type',
      'unique_id',
      'feature_disable_keyboard',
      'feature_disable_pointer',
      'feature_abs_pointer',
      'feature_raw_pointer',
      'width',
      'height',
    ]);
  });

  it('requires backend-type', () => {
    const r = parseVkbSpec('backend=0');
    expect(r.value).toBeUndefined();
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['backend-type should be set in vkb spec\n']);
    expect(parseVkbSpec('').messages[0]!.text).toBe('backend-type should be set in vkb spec\n');
  });

  it('treats backend-type=unknown (the enum sentinel) as unset', () => {
    expect(parseVkbSpec('backend-type=UNKNOWN').messages[0]!.text).toBe('backend-type should be set in vkb spec\n');
  });

  it('rejects a bad backend-type with the value quoted', () => {
    const r = parseVkbSpec('backend-type=xen');
    expect(r.exitCode).toBe(1);
    expect(r.messages[0]).toMatchObject({ text: 'Unknown backend_type "xen" in vkb spec\n', code: 'XL302', span: [0, 16] });
  });

  it('rejects an unknown field, printing the whole field', () => {
    const r = parseVkbSpec('backend-type=qemu, mouse=1');
    expect(r.exitCode).toBe(1);
    expect(r.messages[0]!.text).toBe('Unknown string "mouse=1" in vkb spec\n');
    expect(parseVkbSpec('backend-type=qemu,   ').messages[0]!.text).toBe('Unknown string "" in vkb spec\n');
  });

  it('reads numbers with strtoul base 0, trailing junk ignored, junk = 0', () => {
    expect(parseVkbSpec('backend-type=qemu,width=0x10px,height=abc').value).toEqual({ backend_type: 'qemu', width: 16 });
  });

  it('a non-zero multi-touch dimension turns feature_multi_touch on', () => {
    expect(parseVkbSpec('backend-type=qemu,multi-touch-num-contacts=5').value).toEqual({
      backend_type: 'qemu',
      feature_multi_touch: true,
      multi_touch_num_contacts: 5,
    });
    expect(parseVkbSpec('backend-type=qemu,multi-touch-width=10,multi-touch-height=20').value).toEqual({
      backend_type: 'qemu',
      feature_multi_touch: true,
      multi_touch_width: 10,
      multi_touch_height: 20,
    });
  });

  it('feature-multi-touch without any dimension is an error', () => {
    const r = parseVkbSpec('backend-type=qemu,feature-multi-touch=1');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual([MT]);
    expect(parseVkbSpec('backend-type=qemu,feature-multi-touch=1,multi-touch-width=0').messages[0]!.text).toBe(MT);
  });

  it('reports the first bad field before the backend-type check', () => {
    expect(parseVkbSpec('x=1').messages.map((m) => m.text)).toEqual(['Unknown string "x=1" in vkb spec\n']);
  });
});
