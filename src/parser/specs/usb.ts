/**
 * USB controller and USB device specs (`usbctrl=[…]`, `usbdev=[…]`, Xen 4.7), parsed as
 * tools/xl/xl_parse.c parse_usbctrl_config / parse_usbdev_config do
 * (xl-cfg-format.md §4.9). Outputs follow libxl_device_usbctrl and libxl_device_usbdev
 * (tools/libs/light/libxl_types.idl); usbdev's keyed union is flattened to
 * `type`, `hostbus`, `hostaddr`.
 */

import type { SpecResult } from './types.js';
import { atoi, matchOption, q, specMessage, splitFields, strtoul } from './split.js';

/** libxl_usbctrl_type names (case-insensitive on input, lower-case in JSON). */
const USBCTRL_TYPES = ['auto', 'pv', 'devicemodel', 'qusb'] as const;

/**
 * Parse one usbctrl spec.
 *
 * Fields (common `,` split, leading spaces skipped): `type=` *(ci)*
 * `auto`|`pv`|`devicemodel`|`qusb`, `version=` and `ports=` (atoi). Returns
 * `{ type?, version?, ports? }` in IDL order, only non-default values (type `auto` and
 * 0 are the init values). Version/port limits are libxl's, checked at create, not here.
 *
 * Errors (code XL304, exit 1): `Invalid usb controller type '<v>'\n`,
 * `` Unknown string `<field>' in usbctrl spec\n ``.
 */
export function parseUsbctrlSpec(spec: string): SpecResult<Record<string, unknown>> {
  let type = 'auto';
  let version = 0;
  let ports = 0;
  for (const f of splitFields(spec)) {
    const span: [number, number] = [f.start, f.start + f.text.length];
    let o: string | undefined;
    if ((o = matchOption('type', f.text)) !== undefined) {
      const lc = o.toLowerCase();
      if (!(USBCTRL_TYPES as readonly string[]).includes(lc)) {
        return {
          messages: [
            specMessage(
              'XL304',
              'error',
              `Invalid usb controller type '${o}'\n`,
              `usbctrl type ${q(o)} is not one of auto, pv, qusb, devicemodel`,
              span,
            ),
          ],
          exitCode: 1,
        };
      }
      type = lc;
    } else if ((o = matchOption('version', f.text)) !== undefined) {
      version = atoi(o);
    } else if ((o = matchOption('ports', f.text)) !== undefined) {
      ports = atoi(o);
    } else {
      return {
        messages: [
          specMessage(
            'XL304',
            'error',
            `Unknown string \`${f.text}' in usbctrl spec\n`,
            `unknown usbctrl field ${q(f.text)}: xl knows type=, version=, ports=`,
            span,
          ),
        ],
        exitCode: 1,
      };
    }
  }
  const value: Record<string, unknown> = {};
  if (type !== 'auto') value.type = type;
  if (version !== 0) value.version = version;
  if (ports !== 0) value.ports = ports;
  return { value, messages: [] };
}

/**
 * Parse one usbdev spec.
 *
 * Fields: `type=hostdev` *(ci)*, `hostbus=` and `hostaddr=` (`strtoul` base 0, stored in
 * 8 bits), `controller=` (atoi → ctrl) and `port=` (atoi). Returns
 * `{ ctrl?, port?, type?, hostbus?, hostaddr? }` — ctrl only when given (its init value
 * is −1), the others only when non-zero/set.
 *
 * Errors (code XL305, exit 1): a bad type prints `Invalid usb device type: (null)\n` —
 * xl prints getopt's `optarg` instead of the value, which is NULL while parsing a config;
 * `` Unknown string `<field>' in usbdev spec\n ``.
 */
export function parseUsbdevSpec(spec: string): SpecResult<Record<string, unknown>> {
  let ctrl: number | undefined;
  let port = 0;
  let type: string | undefined;
  let hostbus = 0;
  let hostaddr = 0;
  for (const f of splitFields(spec)) {
    const span: [number, number] = [f.start, f.start + f.text.length];
    let o: string | undefined;
    if ((o = matchOption('type', f.text)) !== undefined) {
      if (o.toLowerCase() !== 'hostdev') {
        return {
          messages: [
            specMessage(
              'XL305',
              'error',
              'Invalid usb device type: (null)\n',
              `usbdev type ${q(o)} is not \`hostdev\` (the only type); xl's message shows "(null)" instead of the value because it prints the wrong variable`,
              span,
            ),
          ],
          exitCode: 1,
        };
      }
      type = 'hostdev';
    } else if ((o = matchOption('hostbus', f.text)) !== undefined) {
      hostbus = Number(strtoul(o, 0).value & 0xffn);
    } else if ((o = matchOption('hostaddr', f.text)) !== undefined) {
      hostaddr = Number(strtoul(o, 0).value & 0xffn);
    } else if ((o = matchOption('controller', f.text)) !== undefined) {
      ctrl = atoi(o);
    } else if ((o = matchOption('port', f.text)) !== undefined) {
      port = atoi(o);
    } else {
      return {
        messages: [
          specMessage(
            'XL305',
            'error',
            `Unknown string \`${f.text}' in usbdev spec\n`,
            `unknown usbdev field ${q(f.text)}: xl knows type=, hostbus=, hostaddr=, controller=, port=`,
            span,
          ),
        ],
        exitCode: 1,
      };
    }
  }
  const value: Record<string, unknown> = {};
  if (ctrl !== undefined && ctrl !== -1) value.ctrl = ctrl;
  if (port !== 0) value.port = port;
  if (type !== undefined) value.type = type;
  if (hostbus !== 0) value.hostbus = hostbus;
  if (hostaddr !== 0) value.hostaddr = hostaddr;
  return { value, messages: [] };
}
