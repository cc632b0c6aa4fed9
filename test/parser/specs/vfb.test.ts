import { describe, expect, it } from 'vitest';
import { parseVfbSpec } from '../../../src/parser/specs/vfb.js';

describe('parseVfbSpec (xl-cfg-format.md §4.3)', () => {
  it('parses every key into libxl_device_vfb fields', () => {
    const r = parseVfbSpec(
      'vnc=1,vnclisten=0.0.0.0,vncpasswd=secret,vncdisplay=3,vncunused=0,keymap=de,sdl=1,opengl=0,display=:0,xauthority=/root/.Xauthority',
    );
    expect(r.exitCode).toBeUndefined();
    expect(r.messages).toEqual([]);
    expect(r.value).toEqual({
      vnc: { enable: 'True', listen: '0.0.0.0', passwd: 'secret', display: 3, findunused: 'False' },
      sdl: { enable: 'True', opengl: 'False', display: ':0', xauthority: '/root/.Xauthority' },
      keymap: 'de',
    });
    expect(Object.keys(r.value!)).toEqual(['vnc', 'sdl', 'keymap']);
  });

  it('always has vnc and sdl structs, empty when unset', () => {
    expect(parseVfbSpec('').value).toEqual({ vnc: {}, sdl: {} });
  });

  it('reads booleans with atoi: vnc=yes disables, vnc=2 enables', () => {
    expect(parseVfbSpec('vnc=yes').value).toEqual({ vnc: { enable: 'False' }, sdl: {} });
    expect(parseVfbSpec('vnc=2').value).toEqual({ vnc: { enable: 'True' }, sdl: {} });
  });

  it('keeps trailing spaces, skips leading spaces and empty fields', () => {
    expect(parseVfbSpec(' vnclisten=1.2.3.4 ,,  keymap=fr ').value).toEqual({
      vnc: { listen: '1.2.3.4 ' },
      sdl: {},
      keymap: 'fr ',
    });
  });

  it('stops silently at a field without "=" (later fields are lost)', () => {
    const r = parseVfbSpec('vnc=1,sdl,vnclisten=0.0.0.0');
    expect(r.exitCode).toBeUndefined();
    expect(r.value).toEqual({ vnc: { enable: 'True' }, sdl: {} });
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ text: '', code: 'XL301', severity: 'warning', span: [6, 9] });
    expect(r.messages[0]!.message).toContain('ignores the 1 field(s) after it');
  });

  it('ignores unknown keys silently (xl prints nothing)', () => {
    const r = parseVfbSpec('type=vnc,vncdisplay=1');
    expect(r.value).toEqual({ vnc: { display: 1 }, sdl: {} });
    expect(r.messages.map((m) => m.text)).toEqual(['']);
    expect(r.messages[0]!.message).toContain('unknown vfb key "type"');
  });

  it('treats keys case-sensitively and lets the last repeat win', () => {
    const r = parseVfbSpec('VNC=1,keymap=a,keymap=b');
    expect(r.value).toEqual({ vnc: {}, sdl: {}, keymap: 'b' });
  });

  it('omits vncdisplay=0 (the init value)', () => {
    expect(parseVfbSpec('vncdisplay=0').value).toEqual({ vnc: {}, sdl: {} });
  });

  it('reads the libvirt xmconfigdata vfb the way xl does (type= ignored, vnc not enabled by it)', () => {
    // shared/corpus/libvirt__libvirt/xmconfigdata/test-paravirt-new-pvfb.cfg (accepted by upstream xl)
    const r = parseVfbSpec('type=vnc,vncunused=1,vnclisten=127.0.0.1,vncpasswd=123poi');
    expect(r.exitCode).toBeUndefined();
    expect(r.value).toEqual({ vnc: { listen: '127.0.0.1', passwd: '123poi', findunused: 'True' }, sdl: {} });
    expect(r.messages.map((m) => [m.text, m.severity])).toEqual([['', 'warning']]);
  });
});
