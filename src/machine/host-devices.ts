/**
 * `Host.dev`: the device commands and queries beyond vbd and vif (`attachDisk`,
 * `attachNic` stay on `Host`). Every command is one `step()` input
 * (`{ kind: 'device', op }`, hotplug.ts) in a transaction of its own; a command that
 * throws `HostError` (a `DeviceError` where xl needs the reason) changes nothing.
 * Queries read the rows and xenstore nodes libxl reads.
 *
 * The Xen sources each call follows are named on the machine modules: pvdevices.ts,
 * usb.ts, pci.ts, cdrom.ts (Xen 4.20.0 tools/libs/light/libxl_*.c).
 */
import type { Ctx } from './ctx.js';
import type { DeviceOp } from './hotplug.js';
import {
  pciAssignable, pciAttached, pciRows,
  type PciAssignableAddResult, type PciAssignableInfo, type PciAssignableRemoveResult, type PciAttachedInfo, type PciRecord,
} from './pci.js';
import type { PvKind } from './pvdevices.js';
import { HOST_USB, usbctrls, type HostUsbDevice, type UsbctrlInfo } from './usb.js';

/** Re-exported so users of `Host.dev` need import only this module and host.ts. */
export type { PvKind } from './pvdevices.js';
export type { DeviceOp } from './hotplug.js';
export type { UsbctrlInfo, HostUsbDevice } from './usb.js';
export type { PciAssignableAddResult, PciAssignableInfo, PciAssignableRemoveResult, PciAttachedInfo, PciRecord } from './pci.js';
export { DeviceError, type DeviceErrorReason } from './device-errors.js';

/** The device API of a `Host` (see the module comment). Domids are Xen domids; devids libxl's. */
export interface DeviceApi {
  /**
   * Hot-plugs a device of `kind` from its libxl object (`libxl_device_vtpm`,
   * `libxl_device_vkb`, `libxl_device_vdispl`, `libxl_device_vsnd`, …, as the parser's
   * specs build them): backend and frontend directories and libxl's copy are written, the
   * backend probes at once (InitWait), the guest's frontend grants its rings and binds
   * its event channels a few ms of guest time later, then both ends connect. Returns the
   * devid (next free unless given). Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE (not
   * running), INVALID_ARGUMENT (bad device, unknown backend domain), DEVICE_BUSY (devid taken).
   */
  attach(domid: number, kind: PvKind, device: Record<string, unknown>): number;
  /** Hot-unplugs a device of `kind` by devid (Closing → Closed on both ends, grants and channels given back, nodes removed). Throws NO_SUCH_DOMAIN, DOMAIN_0, NO_SUCH_DEVICE. */
  detach(domid: number, kind: PvKind, devid: number): void;
  /**
   * Changes the medium of an HVM guest's CD drive `vdev` to the file `target`
   * (`format`: libxl disk format, default `raw`). Throws NO_SUCH_DOMAIN, DeviceError
   * `cd-not-hvm`, `cd-no-drive`.
   */
  cdInsert(domid: number, vdev: string, target: string, format?: string): void;
  /** Empties the CD drive `vdev` (`xl cd-eject`); errors as `cdInsert`. */
  cdEject(domid: number, vdev: string): void;
  /** Adds a virtual USB controller (`type`, `version`, `ports`); returns its devid. Errors: usb.ts `usbctrlAttach`. */
  usbctrlAttach(domid: number, ctrl: Record<string, unknown>): number;
  /** Removes a USB controller and the devices on it. Throws NO_SUCH_DOMAIN, DOMAIN_0, NO_SUCH_DEVICE. */
  usbctrlDetach(domid: number, devid: number): void;
  /** Attaches the host USB device `hostbus`:`hostaddr` (optionally at `ctrl`, `port`); returns where it went. Errors: usb.ts `usbdevAttach`. */
  usbdevAttach(domid: number, dev: Record<string, unknown>): { ctrl: number; port: number };
  /** Detaches the USB device at `ctrl`:`port`. Throws NO_SUCH_DOMAIN, DOMAIN_0, NO_SUCH_DEVICE. */
  usbdevDetach(domid: number, ctrl: number, port: number): void;
  /** The domain's USB controllers with the bus id on each port, ascending devid ([] when none or no such domain). */
  usbctrls(domid: number): UsbctrlInfo[];
  /** The host's USB devices (`lsusb`). */
  hostUsb(): HostUsbDevice[];
  /** Binds a host PCI device to pciback and quarantines it (`xl pci-assignable-add`). Errors: pci.ts `pciAssignableAdd`. */
  pciAssignableAdd(bdf: string, name?: string): PciAssignableAddResult;
  /** Gives an assignable device back to Domain-0 (`xl pci-assignable-remove`), by BDF or name. Errors: pci.ts `pciAssignableRemove`. */
  pciAssignableRemove(which: { bdf?: string; name?: string }, rebind: boolean): PciAssignableRemoveResult;
  /** Devices bound to pciback and given to no domain (`xl pci-assignable-list`), by BDF. */
  pciAssignable(): PciAssignableInfo[];
  /** Passes a device through to a guest (`xl pci-attach`); returns the BDFs and virtual devfns. Errors: pci.ts `pciAttach`. */
  pciAttach(domid: number, pci: Record<string, unknown>): { bdf: string; vdevfn: number }[];
  /** Takes a passed-through device back (`xl pci-detach`); returns its BDF. Errors: pci.ts `pciDetach`. */
  pciDetach(domid: number, pci: Record<string, unknown>): string;
  /** The domain's passed-through devices (`xl pci-list`), in backend order. */
  pciList(domid: number): PciAttachedInfo[];
  /** Every host PCI device with its driver and owner, by BDF. */
  pciDevices(): PciRecord[];
}

/**
 * Builds a `DeviceApi` over a host's one change path (`apply`: runs a `DeviceOp` as a
 * step in its own transaction and returns its result) and its read path (`read`).
 */
export function deviceApi(apply: (op: DeviceOp) => unknown, read: <T>(fn: (ctx: Ctx) => T) => T): DeviceApi {
  return {
    attach: (domid, kind, device) => apply({ op: 'attach', domid, kind, device }) as number,
    detach: (domid, kind, devid) => void apply({ op: 'detach', domid, kind, devid }),
    cdInsert: (domid, vdev, target, format) => void apply({ op: 'cd-insert', domid, vdev, target, ...(format !== undefined ? { format } : {}) }),
    cdEject: (domid, vdev) => void apply({ op: 'cd-insert', domid, vdev, target: '' }),
    usbctrlAttach: (domid, ctrl) => apply({ op: 'usbctrl-attach', domid, ctrl }) as number,
    usbctrlDetach: (domid, devid) => void apply({ op: 'usbctrl-detach', domid, devid }),
    usbdevAttach: (domid, dev) => apply({ op: 'usbdev-attach', domid, dev }) as { ctrl: number; port: number },
    usbdevDetach: (domid, ctrl, port) => void apply({ op: 'usbdev-detach', domid, ctrl, port }),
    usbctrls: (domid) => read((ctx) => (ctx.domain(domid) ? usbctrls(ctx, domid) : [])),
    hostUsb: () => HOST_USB.map((d) => ({ ...d })),
    pciAssignableAdd: (bdf, name) => apply({ op: 'pci-assignable-add', bdf, ...(name !== undefined ? { name } : {}) }) as PciAssignableAddResult,
    pciAssignableRemove: (which, rebind) => apply({ op: 'pci-assignable-remove', ...which, rebind }) as PciAssignableRemoveResult,
    pciAssignable: () => read((ctx) => pciAssignable(ctx)),
    pciAttach: (domid, pci) => apply({ op: 'pci-attach', domid, pci }) as { bdf: string; vdevfn: number }[],
    pciDetach: (domid, pci) => apply({ op: 'pci-detach', domid, pci }) as string,
    pciList: (domid) => read((ctx) => pciAttached(ctx, domid)),
    pciDevices: () => read((ctx) => pciRows(ctx).map((r) => ({ ...r }))),
  };
}
