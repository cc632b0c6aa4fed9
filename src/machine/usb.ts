/**
 * USB passthrough: virtual USB controllers (`usbctrl=`, `xl usbctrl-attach`) and host
 * USB devices on their ports (`usbdev=`, `xl usbdev-attach`), as libxl_usb.c (Xen 4.20.0)
 * does it:
 *
 * - A `pv` controller is a split device (`device/vusb/<n>`, backend `vusb/<domid>/<n>`,
 *   usbif rings `urb-ring-ref`/`conn-ring-ref` and one event channel) going through the
 *   XenbusState handshake; `qusb` is the same served by QEMU (backend `qusb`); a
 *   `devicemodel` controller (HVM) is QEMU's own and lives only under libxl's path
 *   `/libxl/<domid>/device/vusb/<n>`.
 * - The backend (or libxl path) holds `type`, `usb-ver`, `num-ports` and `port/1…N`; a
 *   device on a port is its host bus id (`1-2`) written to `port/<p>`.
 * - Defaults (`libxl__device_usbctrl_setdefault`): type `auto` is `pv` for PV/PVH (usbback
 *   is loaded in the emulated Domain-0) and `devicemodel` for HVM; PV ports 8 (1…31,
 *   USBIF_MAX_PORTNR), version 2 (1 or 2); devicemodel version 1 has 2 ports, 2 has 6,
 *   3 up to 15 (default 8).
 * - A usbdev without a controller takes the first free port of any controller, or a new
 *   default controller's port 1 (`libxl__device_usbdev_setdefault`).
 *
 * The emulated host's USB devices are `HOST_USB` (libxl reads them from
 * /sys/bus/usb/devices; a hub is never assignable).
 */
import type { DomainConfig } from '../parser/libxl.js';
import type { Ctx } from './ctx.js';
import { DeviceError } from './device-errors.js';
import { libxlDevicePath, plugDevice, unplugDevice, type DeviceSpec } from './devices.js';
import { HostError } from './errors.js';
import { configRemove, hotplugTarget, resolveBackend } from './pvdevices.js';
import type { DomainRecord } from './records.js';
import { numKey } from './tables.js';
import { xsList, xsRead, xsRm, xsRmClean, xsWrite } from './xenstore.js';

/** A USB device of the physical machine (what /sys/bus/usb/devices/<busid> shows). */
export interface HostUsbDevice {
  /** Bus id: `usb1` for a root hub, `1-2` for port 2 of bus 1. */
  busid: string;
  /** busnum, devnum (what `lsusb` calls Bus and Device, and usbdev `hostbus`/`hostaddr`). */
  bus: number;
  addr: number;
  /** bDeviceClass (9 = hub, never assignable). */
  deviceClass: number;
  /** `lsusb`'s description. */
  description: string;
}

/** The USB devices every emulated host has (docs/compat.md): two root hubs and three devices. */
export const HOST_USB: readonly HostUsbDevice[] = Object.freeze([
  { busid: 'usb1', bus: 1, addr: 1, deviceClass: 9, description: 'Linux Foundation 2.0 root hub' },
  { busid: '1-1', bus: 1, addr: 2, deviceClass: 0, description: 'SanDisk Corp. Cruzer Blade' },
  { busid: '1-2', bus: 1, addr: 3, deviceClass: 0, description: 'Logitech, Inc. Keyboard K120' },
  { busid: 'usb2', bus: 2, addr: 1, deviceClass: 9, description: 'Linux Foundation 3.0 root hub' },
  { busid: '2-1', bus: 2, addr: 2, deviceClass: 0, description: 'Western Digital Technologies, Inc. My Passport' },
]);

/** USBIF_MAX_PORTNR (xen/include/public/io/usbif.h). */
export const USBIF_MAX_PORTNR = 31;

/** libxl_usbctrl_type names. */
export type UsbctrlType = 'pv' | 'qusb' | 'devicemodel';

/** One controller as `xl usb-list` reads it (libxl_device_usbctrl_getinfo). */
export interface UsbctrlInfo {
  devid: number;
  type: UsbctrlType;
  backendDomid: number;
  /** Frontend XenbusState (-1 when the node is missing); 0 for a devicemodel controller. */
  state: number;
  version: number;
  ports: number;
  /** Host bus id on each port 1…ports ('' = free). */
  portBusids: string[];
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** The host USB device at bus `bus`, address `addr` (usbdev_busaddr_to_busid), or undefined. */
export function hostUsbAt(bus: number, addr: number): HostUsbDevice | undefined {
  if (bus < 1 || addr < 1) return undefined;
  return HOST_USB.find((d) => d.bus === bus && d.addr === addr);
}

/** The host USB device with bus id `busid`, or undefined. */
export function hostUsbByBusid(busid: string): HostUsbDevice | undefined {
  return HOST_USB.find((d) => d.busid === busid);
}

/** `/libxl/<domid>/device/vusb/<devid>`. */
function ctrlLibxlPath(domid: number, devid: number): string {
  return libxlDevicePath(domid, 'vusb', devid);
}

/** Where a controller keeps its `port/<n>` nodes: the backend, or libxl's path for a devicemodel one (vusb_get_port_path). */
function portBase(ctx: Ctx, domid: number, devid: number): string | undefined {
  const lp = ctrlLibxlPath(domid, devid);
  const type = xsRead(ctx, `${lp}/type`);
  if (type === undefined) return undefined;
  if (type === 'devicemodel') return lp;
  return xsRead(ctx, `${lp}/backend`);
}

/** The domain's controllers, ascending devid (libxl_device_usbctrl_list + getinfo). */
export function usbctrls(ctx: Ctx, domid: number): UsbctrlInfo[] {
  const out: UsbctrlInfo[] = [];
  for (const n of xsList(ctx, `/libxl/${domid}/device/vusb`)) {
    const devid = Number(n);
    const lp = ctrlLibxlPath(domid, devid);
    const type = xsRead(ctx, `${lp}/type`) as UsbctrlType | undefined;
    const base = portBase(ctx, domid, devid);
    if (!type || !base) continue;
    const dev = type === 'devicemodel' ? undefined : ctx.device(domid, 'vusb', devid);
    const ports = Number(xsRead(ctx, `${base}/num-ports`) ?? '0');
    const portBusids: string[] = [];
    for (let p = 1; p <= ports; p++) portBusids.push(xsRead(ctx, `${base}/port/${p}`) ?? '');
    out.push({
      devid,
      type,
      backendDomid: dev?.backendDomid ?? 0,
      state: type === 'devicemodel' ? 0 : Number(xsRead(ctx, `/local/domain/${domid}/device/vusb/${devid}/state`) ?? '-1'),
      version: Number(xsRead(ctx, `${base}/usb-ver`) ?? '-1'),
      ports,
      portBusids,
    });
  }
  return out;
}

/** Bus ids attached to any domain's controller (libxl's `get_assigned_devices`). */
function assignedBusids(ctx: Ctx): Set<string> {
  const out = new Set<string>();
  for (const d of xsList(ctx, '/libxl')) {
    if (!/^\d+$/.test(d)) continue;
    for (const c of usbctrls(ctx, Number(d))) for (const b of c.portBusids) if (b) out.add(b);
  }
  return out;
}

/** A controller with libxl's defaults filled in (libxl__device_usbctrl_setdefault); throws DeviceError. */
function ctrlDefaults(rec: DomainRecord, ctrl: Obj): { type: UsbctrlType; version: number; ports: number } {
  const bad = (reason: 'usb-pv-version' | 'usb-pv-ports' | 'usb-dm-v1-ports' | 'usb-dm-v2-ports' | 'usb-dm-v3-ports' | 'usb-version'): never => {
    throw new DeviceError('INVALID_ARGUMENT', reason, `usb controller: ${reason}`, rec.domid, { max: USBIF_MAX_PORTNR });
  };
  let type = typeof ctrl.type === 'string' ? ctrl.type.toLowerCase() : 'auto';
  if (type === 'auto') type = rec.type === 'hvm' ? 'devicemodel' : 'pv';
  if (type !== 'pv' && type !== 'qusb' && type !== 'devicemodel') {
    throw new HostError('INVALID_ARGUMENT', `unknown usb controller type ${String(ctrl.type)}`, rec.domid);
  }
  let version = int(ctrl.version) ?? 0;
  let ports = int(ctrl.ports) ?? 0;
  if (type === 'devicemodel') {
    if (!version) version = 2;
    if (version === 1) {
      if (ports && ports !== 2) bad('usb-dm-v1-ports');
      ports = 2;
    } else if (version === 2) {
      if (ports && ports !== 6) bad('usb-dm-v2-ports');
      ports = 6;
    } else if (version === 3) {
      if (!ports) ports = 8;
      if (ports > 15) bad('usb-dm-v3-ports');
    } else {
      bad('usb-version');
    }
  } else {
    if (!version) version = 2;
    if (version < 1 || version > 2) bad('usb-pv-version');
    if (!ports) ports = 8;
    if (ports < 1 || ports > USBIF_MAX_PORTNR) bad('usb-pv-ports');
  }
  return { type, version, ports };
}

/** Adds a controller; returns its devid and the completed libxl_device_usbctrl. */
function addCtrl(ctx: Ctx, rec: DomainRecord, ctrl: Obj): { devid: number; saved: Obj } {
  const { type, version, ports } = ctrlDefaults(rec, ctrl);
  const backendDomid = resolveBackend(ctx, ctrl, 'usbctrl');
  let devid = int(ctrl.devid);
  if (devid === undefined || devid < 0) {
    const ids = xsList(ctx, `/libxl/${rec.domid}/device/vusb`).map(Number);
    devid = ids.length ? Math.max(...ids) + 1 : 0;
  } else if (xsRead(ctx, `${ctrlLibxlPath(rec.domid, devid)}/type`) !== undefined) {
    throw new HostError('DEVICE_BUSY', `domain ${rec.domid} already has usb controller ${devid}`, rec.domid);
  }
  const back: Record<string, string> = { type, 'usb-ver': String(version), 'num-ports': String(ports), port: '' };
  for (let p = 1; p <= ports; p++) back[`port/${p}`] = '';
  if (type === 'devicemodel') {
    const lp = ctrlLibxlPath(rec.domid, devid);
    xsRm(ctx, lp);
    for (const [k, v] of Object.entries(back)) xsWrite(ctx, `${lp}/${k}`, v);
  } else {
    const spec: DeviceSpec = {
      kind: 'vusb', backendKind: type === 'pv' ? 'vusb' : 'qusb', devid, backendDomid, rings: 2,
      frontend: {}, backend: back, props: { type },
      ringNodes: ['urb-ring-ref', 'conn-ring-ref'],
    };
    plugDevice(ctx, rec, spec);
  }
  const saved: Obj = { ...ctrl, type, devid, version, ports };
  delete saved.backend_domname;
  if (backendDomid) saved.backend_domid = backendDomid;
  return { devid, saved };
}

/**
 * Adds a virtual USB controller (`xl usbctrl-attach`, libxl_device_usbctrl_add) from a
 * libxl_device_usbctrl (`type`, `version`, `ports`, `backend_domname`); returns its devid.
 * Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE, INVALID_ARGUMENT (DeviceError with
 * the libxl limit it breaks), DEVICE_BUSY.
 */
export function usbctrlAttach(ctx: Ctx, domid: number, ctrl: unknown): number {
  const rec = hotplugTarget(ctx, domid, 'attach a usb controller to');
  if (!isObj(ctrl)) throw new HostError('INVALID_ARGUMENT', 'usbctrl is not an object', rec.domid);
  const { devid, saved } = addCtrl(ctx, rec, ctrl);
  listAdd(ctx, rec.domid, 'usbctrls', saved, (d) => d.devid === devid);
  ctx.putDomain(rec);
  return devid;
}

/** Removes the usbdev on `ctrl`:`port` from the port node and the config. */
function removeUsbdev(ctx: Ctx, domid: number, ctrl: number, port: number): void {
  const base = portBase(ctx, domid, ctrl);
  if (base) xsWrite(ctx, `${base}/port/${port}`, '');
  configRemove(ctx, domid, 'usbdevs', (d) => d.ctrl === ctrl && d.port === port);
}

/**
 * Removes a controller and every device on it (`xl usbctrl-detach`,
 * libxl__initiate_device_usbctrl_remove): the devices leave their ports, then a PV/qusb
 * controller goes through the XenbusState teardown, a devicemodel one leaves QEMU.
 * Throws NO_SUCH_DOMAIN, DOMAIN_0, NO_SUCH_DEVICE.
 */
export function usbctrlDetach(ctx: Ctx, domid: number, devid: number): void {
  const rec = ctx.mustDomain(domid);
  if (rec.domid === 0) throw new HostError('DOMAIN_0', 'cannot detach a usb controller from Domain-0', 0);
  const info = usbctrls(ctx, rec.domid).find((c) => c.devid === devid);
  if (!info) throw new HostError('NO_SUCH_DEVICE', `domain ${rec.domid} has no usb controller ${String(devid)}`, rec.domid);
  info.portBusids.forEach((b, i) => {
    if (b) removeUsbdev(ctx, rec.domid, devid, i + 1);
  });
  if (info.type === 'devicemodel') {
    xsRmClean(ctx, ctrlLibxlPath(rec.domid, devid), `/libxl/${rec.domid}`);
  } else {
    const dev = ctx.device(rec.domid, 'vusb', devid);
    if (dev) unplugDevice(ctx, rec, dev);
  }
  configRemove(ctx, rec.domid, 'usbctrls', (d) => d.devid === devid);
  ctx.putDomain(rec);
}

/** Adds or replaces an entry of a config list. */
function listAdd(ctx: Ctx, domid: number, list: string, item: Obj, same: (d: Obj) => boolean): void {
  const config = ctx.tx.get<DomainConfig>('configs', numKey(domid));
  if (!config) return;
  const cur = Array.isArray(config[list]) ? (config[list] as Obj[]) : [];
  config[list] = [...cur.filter((d) => !(isObj(d) && same(d))), item];
  ctx.tx.put('configs', numKey(domid), config);
}

/** Plugs one usbdev (libxl__device_usbdev_add); `updateConfig` false at create. Returns its controller and port. */
function addUsbdev(ctx: Ctx, rec: DomainRecord, dev: Obj, updateConfig: boolean): { ctrl: number; port: number } {
  const fail = (code: 'INVALID_ARGUMENT' | 'DEVICE_BUSY' | 'NO_SUCH_DEVICE' | 'NOT_ASSIGNABLE', reason: ConstructorParameters<typeof DeviceError>[1]): never => {
    throw new DeviceError(code, reason, `usbdev: ${reason}`, rec.domid);
  };
  if (dev.type !== undefined && String(dev.type).toLowerCase() !== 'hostdev') {
    throw new HostError('INVALID_ARGUMENT', `unknown usb device type ${String(dev.type)}`, rec.domid);
  }
  let ctrl = int(dev.ctrl) ?? -1;
  let port = int(dev.port) ?? 0;
  const bus = int(dev.hostbus) ?? 0;
  const addr = int(dev.hostaddr) ?? 0;
  if (ctrl !== -1) {
    const c = usbctrls(ctx, rec.domid).find((x) => x.devid === ctrl);
    if (!c) fail('NO_SUCH_DEVICE', 'usb-no-ctrl');
    if (c!.backendDomid !== 0) fail('INVALID_ARGUMENT', 'usb-non-dom0-backend');
  }
  const host = hostUsbAt(bus, addr);
  if (!host || host.deviceClass === 9) fail('NOT_ASSIGNABLE', 'usb-not-assignable');
  if (assignedBusids(ctx).has(host!.busid)) fail('DEVICE_BUSY', 'usb-attached');
  if (ctrl === -1) {
    if (port) fail('INVALID_ARGUMENT', 'usb-port-without-ctrl');
    const free = usbctrls(ctx, rec.domid).flatMap((c) => c.portBusids.map((b, i) => ({ c: c.devid, p: i + 1, b }))).find((x) => x.b === '');
    if (free) {
      ctrl = free.c;
      port = free.p;
    } else {
      const added = addCtrl(ctx, rec, {});
      if (updateConfig) listAdd(ctx, rec.domid, 'usbctrls', added.saved, (d) => d.devid === added.devid);
      ctrl = added.devid;
      port = 1;
    }
  } else {
    const c = usbctrls(ctx, rec.domid).find((x) => x.devid === ctrl)!;
    if (port) {
      if (port < 1 || port > c.ports || c.portBusids[port - 1] !== '') fail('DEVICE_BUSY', 'usb-port-busy');
    } else {
      const i = c.portBusids.indexOf('');
      if (i < 0) fail('DEVICE_BUSY', 'usb-no-free-port');
      port = i + 1;
    }
  }
  xsWrite(ctx, `${portBase(ctx, rec.domid, ctrl)!}/port/${port}`, host!.busid);
  if (updateConfig) {
    listAdd(ctx, rec.domid, 'usbdevs', { ctrl, port, type: 'hostdev', hostbus: bus, hostaddr: addr }, (d) => d.ctrl === ctrl && d.port === port);
  }
  return { ctrl, port };
}

/**
 * Attaches a host USB device (`xl usbdev-attach`, libxl_device_usbdev_add) from a
 * libxl_device_usbdev (`hostbus`, `hostaddr`, optional `ctrl`, `port`); returns where it
 * went. Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE, and DeviceError:
 * NOT_ASSIGNABLE (`usb-not-assignable`: no such host device, or a hub), DEVICE_BUSY
 * (`usb-attached`, `usb-port-busy`, `usb-no-free-port`), NO_SUCH_DEVICE (`usb-no-ctrl`),
 * INVALID_ARGUMENT (`usb-port-without-ctrl`, `usb-non-dom0-backend`).
 */
export function usbdevAttach(ctx: Ctx, domid: number, dev: unknown): { ctrl: number; port: number } {
  const rec = hotplugTarget(ctx, domid, 'attach a usb device to');
  if (!isObj(dev)) throw new HostError('INVALID_ARGUMENT', 'usbdev is not an object', rec.domid);
  const at = addUsbdev(ctx, rec, dev, true);
  ctx.putDomain(rec);
  return at;
}

/**
 * Detaches the device on controller `ctrl`, port `port` (`xl usbdev-detach`,
 * libxl_device_usbdev_remove). Throws NO_SUCH_DOMAIN, DOMAIN_0, NO_SUCH_DEVICE.
 */
export function usbdevDetach(ctx: Ctx, domid: number, ctrl: number, port: number): void {
  const rec = ctx.mustDomain(domid);
  if (rec.domid === 0) throw new HostError('DOMAIN_0', 'cannot detach a usb device from Domain-0', 0);
  const c = usbctrls(ctx, rec.domid).find((x) => x.devid === ctrl);
  if (!c || !Number.isInteger(port) || port < 1 || port > c.ports || c.portBusids[port - 1] === '') {
    throw new HostError('NO_SUCH_DEVICE', `domain ${rec.domid} has no usb device at controller ${String(ctrl)} port ${String(port)}`, rec.domid);
  }
  removeUsbdev(ctx, rec.domid, ctrl, port);
  ctx.putDomain(rec);
}

/** Plugs a new domain's `usbctrls` then `usbdevs` (libxl_create.c `device_type_tbl` order). */
export function plugConfigUsb(ctx: Ctx, rec: DomainRecord, config: DomainConfig): void {
  for (const c of Array.isArray(config.usbctrls) ? config.usbctrls : []) {
    if (!isObj(c)) throw new HostError('INVALID_ARGUMENT', 'usbctrl is not an object', rec.domid);
    addCtrl(ctx, rec, c);
  }
  for (const d of Array.isArray(config.usbdevs) ? config.usbdevs : []) {
    if (!isObj(d)) throw new HostError('INVALID_ARGUMENT', 'usbdev is not an object', rec.domid);
    addUsbdev(ctx, rec, d, false);
  }
}
