/**
 * Why a device operation failed, as a stable key the toolstack turns into libxl's and
 * xl's own lines (the machine never prints). A `DeviceError` is a `HostError`: it has
 * the usual stable `code`, changes nothing, and adds `reason` plus the `facts` the
 * message needs (a BDF, a limit …).
 */
import type { HostErrorCode } from './api.js';
import { HostError } from './errors.js';

/**
 * Reasons, each named after the libxl check it mirrors (Xen 4.20.0 tools/libs/light):
 * - `cd-not-hvm`, `cd-no-drive`: libxl_disk.c `libxl_cdrom_insert`.
 * - `usb-port-without-ctrl`, `usb-port-busy`, `usb-no-free-port`, `usb-not-assignable`,
 *   `usb-attached`, `usb-non-dom0-backend`, `usb-no-ctrl`, `usb-pv-version`,
 *   `usb-pv-ports`, `usb-dm-v1-ports`, `usb-dm-v2-ports`, `usb-dm-v3-ports`,
 *   `usb-version`: libxl_usb.c setdefault and add.
 * - `pci-no-device` (no such device on the host: sysfs lstat fails), `pci-name-too-long`,
 *   `pci-name-unprintable`, `pci-name-unknown` (name2bdf), `pci-not-quarantined`
 *   (xc_deassign_device from DOMID_IO fails), `pci-not-assignable`,
 *   `pci-assigned-elsewhere` (xc_test_assign_device, HVM), `pci-not-attached`,
 *   `pci-none-attached`, `pci-vslot-needed`, `pci-domain-0`: libxl_pci.c.
 */
export type DeviceErrorReason =
  | 'cd-not-hvm'
  | 'cd-no-drive'
  | 'usb-port-without-ctrl'
  | 'usb-port-busy'
  | 'usb-no-free-port'
  | 'usb-not-assignable'
  | 'usb-attached'
  | 'usb-non-dom0-backend'
  | 'usb-no-ctrl'
  | 'usb-pv-version'
  | 'usb-pv-ports'
  | 'usb-dm-v1-ports'
  | 'usb-dm-v2-ports'
  | 'usb-dm-v3-ports'
  | 'usb-version'
  | 'pci-no-device'
  | 'pci-name-too-long'
  | 'pci-name-unprintable'
  | 'pci-name-unknown'
  | 'pci-not-quarantined'
  | 'pci-not-assignable'
  | 'pci-assigned-elsewhere'
  | 'pci-not-attached'
  | 'pci-none-attached'
  | 'pci-vslot-needed'
  | 'pci-domain-0';

/** A failed device operation: `HostError` plus a `reason` and the `facts` xl's message needs. */
export class DeviceError extends HostError {
  readonly reason: DeviceErrorReason;
  readonly facts: Readonly<Record<string, string | number>>;

  constructor(
    code: HostErrorCode,
    reason: DeviceErrorReason,
    message: string,
    domid?: number,
    facts: Record<string, string | number> = {},
  ) {
    super(code, message, domid);
    this.name = 'DeviceError';
    this.reason = reason;
    this.facts = facts;
  }
}
