import { describe, expect, it } from 'vitest';
import { parseUsbctrlSpec, parseUsbdevSpec } from '../../../src/parser/specs/usb.js';

describe('parseUsbctrlSpec (xl-cfg-format.md §4.9)', () => {
  it('parses type (case-insensitive), version and ports', () => {
    expect(parseUsbctrlSpec('type=QUSB,version=2,ports=4').value).toEqual({ type: 'qusb', version: 2, ports: 4 });
    expect(parseUsbctrlSpec(' type=devicemodel, version=3').value).toEqual({ type: 'devicemodel', version: 3 });
    // a trailing space is kept, so the type no longer matches
    expect(parseUsbctrlSpec('type=pv ,version=2').messages.map((m) => m.text)).toEqual(["Invalid usb controller type 'pv '\n"]);
  });
  it('omits init values (type auto, 0)', () => {
    expect(parseUsbctrlSpec('type=auto,version=0').value).toEqual({});
    expect(parseUsbctrlSpec('').value).toEqual({});
  });
  it('reads version/ports with atoi', () => {
    expect(parseUsbctrlSpec('version=two,ports=8x').value).toEqual({ ports: 8 });
  });
  it('rejects a bad type', () => {
    const r = parseUsbctrlSpec('type=xhci');
    expect(r.value).toBeUndefined();
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(["Invalid usb controller type 'xhci'\n"]);
    expect(r.messages[0]!.code).toBe('XL304');
  });
  it('rejects an unknown field with back-tick quoting', () => {
    const r = parseUsbctrlSpec('version=2,port=3');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(["Unknown string `port=3' in usbctrl spec\n"]);
  });
});

describe('parseUsbdevSpec (xl-cfg-format.md §4.9)', () => {
  it('parses a hostdev', () => {
    expect(parseUsbdevSpec('type=HostDev,hostbus=2,hostaddr=0x1f,controller=0,port=1').value).toEqual({
      ctrl: 0,
      port: 1,
      type: 'hostdev',
      hostbus: 2,
      hostaddr: 31,
    });
  });
  it('stores hostbus/hostaddr in 8 bits', () => {
    expect(parseUsbdevSpec('hostbus=257,hostaddr=0400').value).toEqual({ hostbus: 1 });
  });
  it('omits ctrl when no controller is given', () => {
    expect(parseUsbdevSpec('hostbus=1,hostaddr=2').value).toEqual({ hostbus: 1, hostaddr: 2 });
  });
  it('prints (null) instead of a bad type', () => {
    const r = parseUsbdevSpec('type=usb,hostbus=1');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['Invalid usb device type: (null)\n']);
    expect(r.messages[0]!.message).toContain('"usb"');
  });
  it('rejects unknown fields', () => {
    const r = parseUsbdevSpec('hostbus=1,ports=2');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(["Unknown string `ports=2' in usbdev spec\n"]);
    expect(r.messages[0]!.code).toBe('XL305');
  });
});
