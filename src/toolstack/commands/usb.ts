/**
 * `xl usbctrl-attach <Domain> [type=pv] [version=<version>] [ports=<number>]`,
 * `xl usbctrl-detach <Domain> <DevId>`, `xl usbdev-attach <Domain> hostbus=<busnum>
 * hostaddr=<devnum> [controller=<DevId> [port=<port>]]`, `xl usbdev-detach <Domain>
 * <controller> <port>`, `xl usb-list <Domain>` (tools/xl/xl_usb.c, Xen 4.20.0;
 * libxl_usb.c).
 *
 * The attach commands parse their arguments with the parser's usbctrl / usbdev specs
 * (xl_parse.c `parse_usbctrl_config`, `parse_usbdev_config`); a bad field prints the
 * spec's message and exits 1. A failed add prints libxl's reason, `unable to add device`
 * and `libxl_device_usbctrl_add failed.` / `libxl_device_usbdev_add failed.` (exit 1).
 * usbctrl-detach of an unknown devid: `Unknown device <arg>.`; usbdev-detach with more
 * than three operands `Invalid arguments.`, of an empty port `Unknown device at
 * controller <c> port <p>.` (exit 1). usb-list: per controller a header and a row, then
 * `  Port <n>:` per port with ` Bus %03x Device %03x` of the device on it; more than one
 * operand `Invalid arguments.` (exit 255, xl's `exit(-1)`).
 */
import { DeviceError } from '../../machine/device-errors.js';
import { HostError } from '../../machine/errors.js';
import type { Host } from '../../machine/host.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { addrmLine, domainInfoLine, usbAddLines } from '../format/device-log.js';
import { padRight } from '../format/printf.js';
import { atoi } from './device-util.js';

/** libxl's lines for a failed usbctrl/usbdev add, then xl's. */
function addFailed(e: HostError, domid: number, what: 'usbctrl' | 'usbdev'): string {
  let out = e.code === 'NO_SUCH_DOMAIN' ? domainInfoLine(domid) : '';
  if (e instanceof DeviceError) out += usbAddLines(e, domid);
  return `${out}${addrmLine('add')}libxl_device_${what}_add failed.\n`;
}

/**
 * `xl usbctrl-attach` / `xl usbdev-attach`: the arguments are fields of one spec, parsed
 * by the parser's usbctrl / usbdev reader (a bad one: its message, exit 1); then the add.
 */
function usbAttachCommand(what: 'usbctrl' | 'usbdev', minArgs: number): XlCommandModule {
  return {
    name: `${what}-attach`,
    minArgs,
    async run(ctx) {
      const { parseUsbctrlSpec, parseUsbdevSpec } = await import('../../parser/specs/usb.js');
      return ctx.withHost(async (host) => {
        const domid = findDomain(host, ctx.args[0]!, ctx.err);
        const spec = ctx.args.slice(1).join(',');
        const parsed = what === 'usbctrl' ? parseUsbctrlSpec(spec) : parseUsbdevSpec(spec);
        if (!parsed.value) {
          ctx.err(parsed.messages.map((m) => m.text).join(''));
          return 1;
        }
        try {
          if (what === 'usbctrl') host.dev.usbctrlAttach(domid, parsed.value);
          else host.dev.usbdevAttach(domid, parsed.value);
        } catch (e) {
          if (!(e instanceof HostError)) throw e;
          ctx.err(addFailed(e, domid, what));
          return 1;
        }
        return 0;
      });
    },
  };
}

/** `xl usbctrl-attach`. */
export const usbctrlAttachCommand: XlCommandModule = usbAttachCommand('usbctrl', 1);

/** `xl usbctrl-detach`. */
export const usbctrlDetachCommand: XlCommandModule = {
  name: 'usbctrl-detach',
  minArgs: 2,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const devid = atoi(ctx.args[1]!);
      if (!host.dev.usbctrls(domid).some((c) => c.devid === devid)) {
        ctx.err(`Unknown device ${ctx.args[1]!}.\n`);
        return 1;
      }
      try {
        host.dev.usbctrlDetach(domid, devid);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        ctx.err('libxl_device_usbctrl_remove failed.\n');
        return 1;
      }
      return 0;
    }),
};

/** `xl usbdev-attach`. */
export const usbdevAttachCommand: XlCommandModule = usbAttachCommand('usbdev', 2);

/** `xl usbdev-detach`. */
export const usbdevDetachCommand: XlCommandModule = {
  name: 'usbdev-detach',
  minArgs: 3,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const ctrl = atoi(ctx.args[1]!);
      const port = atoi(ctx.args[2]!);
      if (ctx.args.length > 3) {
        ctx.err('Invalid arguments.\n');
        return 1;
      }
      const c = host.dev.usbctrls(domid).find((x) => x.devid === ctrl);
      if (!c || port < 1 || port > c.ports || c.portBusids[port - 1] === '') {
        ctx.err(`Unknown device at controller ${ctrl} port ${port}.\n`);
        return 1;
      }
      try {
        host.dev.usbdevDetach(domid, ctrl, port);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        ctx.err('libxl_device_usbdev_remove failed.\n');
        return 1;
      }
      return 0;
    }),
};

/** C `%03x` of a byte. */
function hex3(n: number): string {
  return n.toString(16).padStart(3, '0');
}

/** usb-list's lines for the domain's controllers. */
function usbLines(host: Host, domid: number): string {
  let out = '';
  const usb = host.dev.hostUsb();
  for (const c of host.dev.usbctrls(domid)) {
    out += `${padRight('Devid', 6)} ${padRight('Type', 12)} ${padRight('BE', 3)} ${padRight('state', 5)} ${padRight('usb-ver', 7)} ${padRight('ports', 5)}\n`;
    out += `${padRight(c.devid, 6)} ${padRight(c.type, 12)} ${padRight(c.backendDomid, 3)} ${padRight(c.state, 5)} ${padRight(c.version, 7)} ${padRight(c.ports, 5)}\n`;
    c.portBusids.forEach((busid, i) => {
      const d = busid === '' ? undefined : usb.find((u) => u.busid === busid);
      out += `  Port ${i + 1}:${d ? ` Bus ${hex3(d.bus)} Device ${hex3(d.addr)}` : ''}\n`;
    });
  }
  return out;
}

/** `xl usb-list`. */
export const usbListCommand: XlCommandModule = {
  name: 'usb-list',
  minArgs: 1,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      if (ctx.args.length > 1) {
        ctx.err('Invalid arguments.\n');
        return 255;
      }
      ctx.out(usbLines(host, domid));
      return 0;
    }),
};
