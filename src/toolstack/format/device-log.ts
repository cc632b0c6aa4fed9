/**
 * libxl's log lines for the device commands (format: log.ts `libxlLine`), with the
 * source lines of Xen 4.20.0 (RELEASE-4.20.0, tools/libs/light). A message logged by a
 * macro call spread over several lines carries the line of the macro's name, as GCC
 * expands `__LINE__` there.
 */
import { DeviceError } from '../../machine/device-errors.js';
import { libxlLine, type LogSite } from './log.js';

/** Where libxl logs each device message (file, line in 4.20.0, function). */
export const DEVICE_SITES = {
  addrmComplete: { file: 'libxl_device.c', line: 1500, func: 'device_addrm_aocomplete' },
  domainType: { file: 'libxl_dom.c', line: 36, func: 'libxl__domain_type' },
  domainInfo: { file: 'libxl_domain.c', line: 354, func: 'libxl_domain_info' },
  cdNotHvm: { file: 'libxl_disk.c', line: 990, func: 'libxl_cdrom_insert' },
  cdNoDrive: { file: 'libxl_disk.c', line: 1027, func: 'libxl_cdrom_insert' },
  usbPvVersion: { file: 'libxl_usb.c', line: 67, func: 'libxl__device_usbctrl_setdefault' },
  usbPvPorts: { file: 'libxl_usb.c', line: 75, func: 'libxl__device_usbctrl_setdefault' },
  usbDmV1: { file: 'libxl_usb.c', line: 88, func: 'libxl__device_usbctrl_setdefault' },
  usbDmV2: { file: 'libxl_usb.c', line: 98, func: 'libxl__device_usbctrl_setdefault' },
  usbDmV3: { file: 'libxl_usb.c', line: 110, func: 'libxl__device_usbctrl_setdefault' },
  usbVersion: { file: 'libxl_usb.c', line: 117, func: 'libxl__device_usbctrl_setdefault' },
  usbPortNoCtrl: { file: 'libxl_usb.c', line: 1166, func: 'libxl__device_usbdev_setdefault' },
  usbPortBusy: { file: 'libxl_usb.c', line: 1214, func: 'libxl__device_usbdev_setdefault' },
  usbNoFreePort: { file: 'libxl_usb.c', line: 1241, func: 'libxl__device_usbdev_setdefault' },
  usbNonDom0: { file: 'libxl_usb.c', line: 1722, func: 'libxl__device_usbdev_add' },
  usbNotAssignable: { file: 'libxl_usb.c', line: 1732, func: 'libxl__device_usbdev_add' },
  usbAttached: { file: 'libxl_usb.c', line: 1746, func: 'libxl__device_usbdev_add' },
  pciNameTooLong: { file: 'libxl_pci.c', line: 778, func: 'libxl__device_pci_assignable_add' },
  pciNameUnprintable: { file: 'libxl_pci.c', line: 784, func: 'libxl__device_pci_assignable_add' },
  pciLstat: { file: 'libxl_pci.c', line: 793, func: 'libxl__device_pci_assignable_add' },
  pciAlreadyPciback: { file: 'libxl_pci.c', line: 803, func: 'libxl__device_pci_assignable_add' },
  pciUnboundRebind: { file: 'libxl_pci.c', line: 820, func: 'libxl__device_pci_assignable_add' },
  pciUnboundNoRebind: { file: 'libxl_pci.c', line: 823, func: 'libxl__device_pci_assignable_add' },
  pciQuarantine: { file: 'libxl_pci.c', line: 849, func: 'libxl__device_pci_assignable_add' },
  pciDequarantine: { file: 'libxl_pci.c', line: 907, func: 'libxl__device_pci_assignable_remove' },
  pciNotPciback: { file: 'libxl_pci.c', line: 918, func: 'libxl__device_pci_assignable_remove' },
  pciRebinding: { file: 'libxl_pci.c', line: 926, func: 'libxl__device_pci_assignable_remove' },
  pciNoDriverPath: { file: 'libxl_pci.c', line: 939, func: 'libxl__device_pci_assignable_remove' },
  pciAssignedElsewhere: { file: 'libxl_pci.c', line: 1669, func: 'libxl__device_pci_add' },
  pciNotAssignable: { file: 'libxl_pci.c', line: 1688, func: 'libxl__device_pci_add' },
  pciVslot: { file: 'libxl_pci.c', line: 1767, func: 'device_pci_add_stubdom_done' },
  pciAssign: { file: 'libxl_pci.c', line: 1540, func: 'pci_add_dm_done' },
  pciAddFailedName: { file: 'libxl_pci.c', line: 1814, func: 'device_pci_add_done' },
  pciAddFailed: { file: 'libxl_pci.c', line: 1820, func: 'device_pci_add_done' },
  pciNotOnXenstore: { file: 'libxl_pci.c', line: 263, func: 'libxl__device_pci_remove_xenstore' },
  pciNotAttached: { file: 'libxl_pci.c', line: 1978, func: 'do_pci_remove' },
  pciDeassign: { file: 'libxl_pci.c', line: 2292, func: 'pci_remove_detached' },
  createAttach: { file: 'libxl_create.c', line: 1980, func: 'domcreate_attach_devices' },
} as const satisfies Record<string, LogSite>;

/** libxl's ERROR_FAIL (tools/include/libxl.h): a generic failure. */
export const ERROR_FAIL = -3;
/** libxl's ERROR_INVAL: an invalid argument. */
export const ERROR_INVAL = -6;
/** libxl's ERROR_NOTFOUND: a name that names nothing (name2bdf). */
export const ERROR_NOTFOUND = -23;

/** `%x:%x:%x.%x` of a BDF string (libxl's short form in pci add messages). */
export function shortBdf(bdf: string): string {
  const m = /^([0-9a-f]+):([0-9a-f]+):([0-9a-f]+)\.([0-7])$/.exec(bdf);
  if (!m) return bdf;
  return [m[1], m[2], m[3]].map((x) => parseInt(x!, 16).toString(16)).join(':') + `.${m[4]}`;
}

/** `Domain <id>:unable to get dominfo: No such process` — libxl__domain_type on a domid with no domain. */
export function noDomainLines(domid: number): string {
  return libxlLine('error', DEVICE_SITES.domainType, domid, 'unable to get dominfo', 'No such process');
}

/**
 * libxl's lines for a failed `libxl_device_pci_add` (`e` from the machine), without
 * the generic `unable to add device` that ends a hot-plug (callers add it): the check
 * that failed, then `device_pci_add_done`'s summary with the libxl rc.
 */
export function pciAddLines(e: DeviceError, domid: number): string {
  const bdf = String(e.facts.bdf ?? '');
  const name = e.facts.name === undefined ? undefined : String(e.facts.name);
  const done = (rc: number): string =>
    name !== undefined
      ? libxlLine('error', DEVICE_SITES.pciAddFailedName, domid, `libxl__device_pci_add failed for PCI device '${name}' (rc ${rc})`)
      : libxlLine('error', DEVICE_SITES.pciAddFailed, domid, `libxl__device_pci_add failed for PCI device ${shortBdf(bdf)} (rc ${rc})`);
  switch (e.reason) {
    case 'pci-assigned-elsewhere':
      return libxlLine('error', DEVICE_SITES.pciAssignedElsewhere, domid, `PCI device ${bdf} already assigned to a different guest?`) + done(-1);
    case 'pci-not-assignable':
      return libxlLine('error', DEVICE_SITES.pciNotAssignable, domid, `PCI device ${shortBdf(bdf)} is not assignable`) + done(ERROR_FAIL);
    case 'pci-vslot-needed':
      return libxlLine('error', DEVICE_SITES.pciVslot, domid, 'Must specify a v-slot for multi-function devices') + done(ERROR_INVAL);
    case 'pci-name-unknown':
      return done(ERROR_NOTFOUND);
    default:
      return done(ERROR_FAIL);
  }
}

/** The libxl lines of a failed usbctrl or usbdev add (before `unable to add device`). */
export function usbAddLines(e: DeviceError, domid: number): string {
  const l = (site: LogSite, msg: string, dom?: number): string => libxlLine('error', site, dom, msg);
  switch (e.reason) {
    case 'usb-pv-version':
      return l(DEVICE_SITES.usbPvVersion, 'USB version for paravirtualized devices must be 1 or 2');
    case 'usb-pv-ports':
      return l(DEVICE_SITES.usbPvPorts, `Number of ports for USB controller is limited to ${String(e.facts.max ?? 31)}`);
    case 'usb-dm-v1-ports':
      return l(DEVICE_SITES.usbDmV1, 'Number of ports for USB controller of version 1 is always 2');
    case 'usb-dm-v2-ports':
      return l(DEVICE_SITES.usbDmV2, 'Number of ports for USB controller of version 2 is always 6');
    case 'usb-dm-v3-ports':
      return l(DEVICE_SITES.usbDmV3, 'Number of ports for USB controller of version 3 is limited to 15');
    case 'usb-version':
      return l(DEVICE_SITES.usbVersion, 'Illegal USB version');
    case 'usb-port-without-ctrl':
      return l(DEVICE_SITES.usbPortNoCtrl, 'USB controller must be specified if you specify port', domid);
    case 'usb-port-busy':
      return l(DEVICE_SITES.usbPortBusy, "The controller port isn't available", domid);
    case 'usb-no-free-port':
      return l(DEVICE_SITES.usbNoFreePort, 'No available port under specified controller', domid);
    case 'usb-non-dom0-backend':
      return l(DEVICE_SITES.usbNonDom0, "Don't support adding USB device from non-Dom0 backend", domid);
    case 'usb-not-assignable':
      return l(DEVICE_SITES.usbNotAssignable, 'USB device is not assignable.', domid);
    case 'usb-attached':
      return l(DEVICE_SITES.usbAttached, 'USB device already attached to a domain', domid);
    default:
      return '';
  }
}

/** `unable to add device` / `unable to remove device`: the generic end of a failed hot-plug (device_addrm_aocomplete). */
export function addrmLine(action: 'add' | 'remove'): string {
  return libxlLine('error', DEVICE_SITES.addrmComplete, undefined, `unable to ${action} device`);
}

/** libxl's `Getting domain info` error for a domid with no domain (libxl_domain_info, 4.18+). */
export function domainInfoLine(domid: number): string {
  return libxlLine('error', DEVICE_SITES.domainInfo, domid, 'Getting domain info', 'No such process');
}

/**
 * What `xl create` prints when a device of the config cannot be plugged (a `DeviceError`
 * from the build): the device's own libxl lines, then libxl_create.c
 * `domcreate_attach_devices`' `unable to add <kind> devices`; undefined for other errors.
 */
export function createDeviceLines(e: unknown, domid: number | undefined): string | undefined {
  if (!(e instanceof DeviceError) || domid === undefined) return undefined;
  if (e.reason.startsWith('pci-')) return pciAddLines(e, domid) + libxlLine('error', DEVICE_SITES.createAttach, domid, 'unable to add pci devices');
  if (e.reason.startsWith('usb-')) return usbAddLines(e, domid) + libxlLine('error', DEVICE_SITES.createAttach, domid, 'unable to add vusb devices');
  return undefined;
}
