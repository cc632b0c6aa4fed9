import { describe, expect, it } from 'vitest';
import { parseVirtioSpec } from '../../../src/parser/specs/virtio.js';

describe('parseVirtioSpec (xl-cfg-format.md §4.16)', () => {
  it('glues the field after type=virtio back on', () => {
    const r = parseVirtioSpec('backend=dom0,type=virtio,device22,transport=MMIO,grant_usage=1');
    expect(r.messages).toEqual([]);
    expect(r.value).toEqual({
      backend_domname: 'dom0',
      type: 'virtio,device22',
      transport: 'mmio',
      grant_usage: 'True',
    });
  });
  it('glues the raw next field, leading spaces included', () => {
    expect(parseVirtioSpec('type=virtio, device1a').value).toEqual({ type: 'virtio, device1a' });
  });
  it('does not glue when type does not start with virtio', () => {
    const r = parseVirtioSpec('type=i2c,device22');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['Unknown string "device22" in virtio spec\n']);
  });
  it('warns (silently for xl) about a type not of the form virtio,device<hex>', () => {
    const r = parseVirtioSpec('type=virtio,dev');
    expect(r.value).toEqual({ type: 'virtio,dev' });
    expect(r.messages.map((m) => [m.text, m.severity])).toEqual([['', 'warning']]);
  });
  it('treats type=virtio as the last field as an error', () => {
    const r = parseVirtioSpec('backend=0,type=virtio');
    expect(r.exitCode).toBe(1);
    expect(r.value).toBeUndefined();
    expect(r.messages.map((m) => m.text)).toEqual(['']);
  });
  it('exits 1 silently on a bad transport', () => {
    const r = parseVirtioSpec('type=virtio,device1,transport=pci');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['']);
    expect(r.messages[0]!.message).toContain('"pci"');
  });
  it('grant_usage=0 is an explicit False', () => {
    expect(parseVirtioSpec('grant_usage=0').value).toEqual({ grant_usage: 'False' });
  });
  it('rejects unknown fields', () => {
    const r = parseVirtioSpec('irq=5');
    expect(r.messages.map((m) => m.text)).toEqual(['Unknown string "irq=5" in virtio spec\n']);
    expect(r.messages[0]!.code).toBe('XL311');
  });
});
