/**
 * The device commands as host inputs: one `DeviceOp` union that `step()` runs through
 * `deviceStep` (step.ts `case 'device'`), and the two calls domain build and destroy
 * make (build.ts): `plugDomainDevices` and `releaseDomainDevices`.
 *
 * Modules: pvdevices.ts (vtpm, vkb, vfb, vdispl, vsnd, channels, 9pfs, pvcalls),
 * usb.ts (controllers and devices), pci.ts (passthrough), cdrom.ts (media change);
 * all go through the XenbusState handshake of devices.ts.
 */
import type { DomainConfig } from '../parser/libxl.js';
import { cdInsert } from './cdrom.js';
import type { Ctx } from './ctx.js';
import { HostError } from './errors.js';
import { pciAssignableAdd, pciAssignableRemove, pciAttach, pciDetach, plugConfigPci, releaseDomainPci } from './pci.js';
import { attachPv, detachPv, plugConfigDevices, PV_KINDS, type PvKind } from './pvdevices.js';
import type { DomainRecord } from './records.js';
import { plugConfigUsb, usbctrlAttach, usbctrlDetach, usbdevAttach, usbdevDetach } from './usb.js';

/** A device command (see each module for its checks and errors). */
export type DeviceOp =
  | { op: 'attach'; domid: number; kind: PvKind; device: Record<string, unknown> }
  | { op: 'detach'; domid: number; kind: PvKind; devid: number }
  | { op: 'cd-insert'; domid: number; vdev: string; target: string; format?: string }
  | { op: 'usbctrl-attach'; domid: number; ctrl: Record<string, unknown> }
  | { op: 'usbctrl-detach'; domid: number; devid: number }
  | { op: 'usbdev-attach'; domid: number; dev: Record<string, unknown> }
  | { op: 'usbdev-detach'; domid: number; ctrl: number; port: number }
  | { op: 'pci-assignable-add'; bdf: string; name?: string }
  | { op: 'pci-assignable-remove'; bdf?: string; name?: string; rebind: boolean }
  | { op: 'pci-attach'; domid: number; pci: Record<string, unknown> }
  | { op: 'pci-detach'; domid: number; pci: Record<string, unknown> };

/** What a `DeviceOp` returns: a devid, a place, a result record, or nothing. */
export type DeviceOpResult = unknown;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Runs one device command inside a step; returns its result. Throws `HostError` (changes nothing). */
export function deviceStep(ctx: Ctx, op: DeviceOp): DeviceOpResult {
  if (!isObj(op)) throw new HostError('INVALID_ARGUMENT', 'device operation is not an object');
  switch (op.op) {
    case 'attach':
      if (!(op.kind in PV_KINDS)) throw new HostError('INVALID_ARGUMENT', `unknown device kind ${String(op.kind)}`);
      return attachPv(ctx, op.domid, op.kind, op.device);
    case 'detach':
      if (!(op.kind in PV_KINDS)) throw new HostError('INVALID_ARGUMENT', `unknown device kind ${String(op.kind)}`);
      return detachPv(ctx, op.domid, op.kind, op.devid);
    case 'cd-insert':
      if (typeof op.vdev !== 'string' || typeof op.target !== 'string') throw new HostError('INVALID_ARGUMENT', 'cd-insert needs a vdev and a target');
      return cdInsert(ctx, op.domid, op.vdev, op.target, op.format);
    case 'usbctrl-attach':
      return usbctrlAttach(ctx, op.domid, op.ctrl);
    case 'usbctrl-detach':
      return usbctrlDetach(ctx, op.domid, op.devid);
    case 'usbdev-attach':
      return usbdevAttach(ctx, op.domid, op.dev);
    case 'usbdev-detach':
      return usbdevDetach(ctx, op.domid, op.ctrl, op.port);
    case 'pci-assignable-add':
      if (typeof op.bdf !== 'string') throw new HostError('INVALID_ARGUMENT', 'pci-assignable-add needs a BDF');
      return pciAssignableAdd(ctx, op.bdf, op.name);
    case 'pci-assignable-remove':
      return pciAssignableRemove(ctx, { ...(op.bdf !== undefined ? { bdf: op.bdf } : {}), ...(op.name !== undefined ? { name: op.name } : {}) }, op.rebind === true);
    case 'pci-attach':
      return pciAttach(ctx, op.domid, op.pci);
    case 'pci-detach':
      return pciDetach(ctx, op.domid, op.pci);
    default:
      throw new HostError('INVALID_ARGUMENT', `unknown device operation ${String((op as { op: unknown }).op)}`);
  }
}

/**
 * Plugs every device of a new domain's config beyond disks and nics, in libxl's order
 * (pvdevices.ts `plugConfigDevices`, with USB and PCI in their place). Called once by
 * build.ts `createDomain`; throws `HostError` (the build then leaves nothing behind).
 */
export function plugDomainDevices(ctx: Ctx, rec: DomainRecord, config: DomainConfig): void {
  plugConfigDevices(ctx, rec, config, (c, r, cfg) => {
    plugConfigUsb(c, r, cfg);
    plugConfigPci(c, r, cfg);
  });
}

/** What a dying domain gives back before its devices are torn down (build.ts `destroyDomain`): its PCI devices, to quarantine. */
export function releaseDomainDevices(ctx: Ctx, rec: DomainRecord): void {
  releaseDomainPci(ctx, rec);
}
