/**
 * xl_parse.c: devices — I/O resources, disks, p9, vtpm, vdispl, pvcalls, vsnd, channel, vif, vfb, usb, vkb, virtio — each through its sub-grammar in `specs/`.
 */
import { listItem } from '../getters.js';
import type { DeviceDisk, DeviceNic } from '../libxl.js';
import { parseChannelSpec } from '../specs/channel.js';
import { parseDiskSpecs } from '../specs/disk.js';
import { parseIomem, parseIoports, parseIrqs } from '../specs/ioresources.js';
import { parseP9Spec } from '../specs/p9.js';
import { parsePvcallsSpec } from '../specs/pvcalls.js';
import type { SpecResult } from '../specs/types.js';
import { parseUsbctrlSpec, parseUsbdevSpec } from '../specs/usb.js';
import { parseVdisplSpec } from '../specs/vdispl.js';
import { parseVfbSpec } from '../specs/vfb.js';
import { parseNicSpec, type NicDefaults } from '../specs/vif.js';
import { parseVirtioSpec } from '../specs/virtio.js';
import { parseVkbSpec } from '../specs/vkb.js';
import { parseVsndCard } from '../specs/vsnd.js';
import { parseVtpmSpec } from '../specs/vtpm.js';
import type { ListValue, Value } from '../types.js';
import { NO_XL_CONF, Builder } from './builder.js';

/** Inserts `devid` into a device object after the last of `after` that is present (IDL position). */
export function withDevid(dev: Record<string, unknown>, devid: number, after: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(dev).filter((k) => k !== 'devid');
  let pos = 0;
  keys.forEach((k, i) => {
    if (after.includes(k)) pos = i + 1;
  });
  keys.forEach((k, i) => {
    if (i === pos) out.devid = devid;
    out[k] = dev[k];
  });
  if (!('devid' in out)) out.devid = devid;
  return out;
}

/** Keys a device's devid follows in most libxl_device_* structs (libxl_types.idl). */
export const BACKEND_KEYS = ['backend_domid', 'backend_domname'] as const;

/** Keys a p9 device's devid follows (libxl_device_p9 in libxl_types.idl). */
export const P9_DEVID_AFTER = [...BACKEND_KEYS, 'tag', 'path', 'security_model'] as const;

/** Keys a virtio device's devid follows (libxl_device_virtio in libxl_types.idl). */
export const VIRTIO_DEVID_AFTER = [...BACKEND_KEYS, 'type', 'transport', 'grant_usage'] as const;

/** No xl.conf vif defaults. */
export const NO_NIC_DEFAULTS: NicDefaults = Object.freeze({});

/**
 * One simple device list: each item of list `key` through `parse`, kept when it parses,
 * `devid` = position among the kept ones inserted after the `after` keys (none when
 * null), stored as `d[out]` when any.
 */
export function each(
  b: Builder,
  key: string,
  parse: (spec: string) => SpecResult<Record<string, unknown>>,
  after: readonly string[] | null,
  out: string,
): void {
  const items = b.listItems(key);
  if (!items) return;
  const list: Record<string, unknown>[] = [];
  for (const spec of items) {
    const v = b.spec(parse(spec), key);
    if (v) list.push(after ? withDevid(v, list.length, after) : v);
  }
  if (list.length) b.d[out] = list;
}

/** Keys a usbctrl's devid follows (libxl_device_usbctrl in libxl_types.idl). */
export const USBCTRL_DEVID_AFTER = ['type'] as const;

/** Step 29: p9, vtpm, vdispl, pvcalls, vsnd, channel, vif, vif2, vfb, usbctrl, usbdev. */
export function devices(b: Builder): void {
  const d = b.d;

  if (b.has('p9')) {
    const name = b.c_info.name ?? '';
    each(b, 'p9', (s) => parseP9Spec(s, name), P9_DEVID_AFTER, 'p9s');
  }
  each(b, 'vtpm', parseVtpmSpec, BACKEND_KEYS, 'vtpms');
  each(b, 'vdispl', parseVdisplSpec, BACKEND_KEYS, 'vdispls');
  each(b, 'pvcalls', parsePvcallsSpec, BACKEND_KEYS, 'pvcallsifs');

  const vsnd = b.list('vsnd');
  if (vsnd) {
    const cards: Record<string, unknown>[] = [];
    for (const item of vsnd.items) {
      if (item.kind !== 'list') {
        // libxlu's xlu_cfg_value_get_list warns (line of the item, column always 0); xl exits
        b.say(`${b.opts.source}:${item.range.start.line}:0: warning: value is not a list\n`, 'warning', 'XL107', 'vsnd');
        b.fatal('', 'XL134', 1, 'vsnd', 'each vsnd element must be a list describing one sound card: xl exits with status 1');
      }
      const v = b.spec(parseVsndCard((item as ListValue).items as Value[]) as SpecResult<Record<string, unknown>>, 'vsnd');
      if (v) cards.push(withDevid(v, cards.length, BACKEND_KEYS));
    }
    if (cards.length) d.vsnds = cards;
  }

  each(b, 'channel', parseChannelSpec, BACKEND_KEYS, 'channels');

  // vif: devid = list index; xl.conf defaults applied first
  const vifs = b.list('vif');
  if (vifs) {
    const xc = b.opts.xlConf ?? NO_XL_CONF;
    const defaults: NicDefaults = xc === NO_XL_CONF ? NO_NIC_DEFAULTS : {};
    if (xc.vifDefaultBridge !== undefined) defaults.bridge = xc.vifDefaultBridge;
    if (xc.vifDefaultScript !== undefined) defaults.script = xc.vifDefaultScript;
    if (xc.vifDefaultBackend !== undefined) defaults.backend = xc.vifDefaultBackend;
    if (xc.vifDefaultGatewaydev !== undefined) defaults.gatewaydev = xc.vifDefaultGatewaydev;
    const nics: DeviceNic[] = [];
    // xlu_cfg_get_listitem until it returns NULL (see Builder.listItems)
    for (let i = 0; ; i++) {
      const spec = listItem(vifs, i);
      if (spec === undefined) break;
      const nic = b.spec(parseNicSpec(spec, { source: b.opts.source, mode: 'config', devid: i, defaults }), 'vif');
      if (nic) nics.push(nic);
    }
    if (nics.length) d.nics = nics;
  }
  if (b.list('vif2') !== undefined) {
    b.say('WARNING: vif2: netchannel2 is deprecated and not supported by xl\n', 'warning', 'XL160', 'vif2');
  }

  // vfb: each entry also adds a vkb
  const vfbs = b.listItems('vfb');
  if (vfbs) {
    const vfbList: Record<string, unknown>[] = [];
    const vkbList = (d.vkbs as Record<string, unknown>[] | undefined) ?? [];
    for (const spec of vfbs) {
      const v = b.spec(parseVfbSpec(spec), 'vfb');
      if (!v) continue;
      vfbList.push(withDevid(v, vfbList.length, BACKEND_KEYS));
      vkbList.push({ devid: vkbList.length });
    }
    if (vfbList.length) d.vfbs = vfbList;
    if (vkbList.length) d.vkbs = vkbList;
  }

  each(b, 'usbctrl', parseUsbctrlSpec, USBCTRL_DEVID_AFTER, 'usbctrls');
  each(b, 'usbdev', parseUsbdevSpec, null, 'usbdevs');
}

/** Step 27: `ioports`, `irqs`, `iomem`. */
export function ioResources(b: Builder): void {
  const { b_info } = b;
  // step 27: ioports, irqs, iomem
  const ioports = b.listItems('ioports');
  if (ioports) {
    const v = b.spec(parseIoports(ioports) as SpecResult<unknown>, 'ioports');
    if (Array.isArray(v) && v.length) b_info.ioports = v;
  }
  const irqs = b.listItems('irqs');
  if (irqs) {
    const v = b.spec(parseIrqs(irqs) as SpecResult<unknown>, 'irqs');
    if (Array.isArray(v) && v.length) b_info.irqs = v;
  }
  const iomem = b.listItems('iomem');
  if (iomem) {
    const v = b.spec(parseIomem(iomem) as SpecResult<unknown>, 'iomem');
    if (Array.isArray(v) && v.length) b_info.iomem = v;
  }
}

/** Steps 28–29: disks, then the other device lists (p9, vtpm, vdispl, pvcalls, vsnd, channel, vif, vfb, usb). */
export function disksAndDevices(b: Builder): void {
  // step 28: disks
  const disks = b.list('disk');
  if (disks) {
    const out: DeviceDisk[] = [];
    // xlu_cfg_get_listitem until it returns NULL (see Builder.listItems)
    for (let i = 0; ; i++) {
      const spec = listItem(disks, i);
      if (spec === undefined) break;
      const disk = b.spec(parseDiskSpecs([spec], b.opts.source), 'disk');
      if (disk) out.push(disk);
    }
    if (out.length) b.d.disks = out;
  }

  // step 29: the other device lists
  devices(b);
}

/** Step 35: `vkb` and `virtio` devices. */
export function inputAndVirtio(b: Builder): void {
  // step 35: vkb, virtio
  const vkbs = b.listItems('vkb');
  if (vkbs) {
    const list = (b.d.vkbs as Record<string, unknown>[] | undefined) ?? [];
    for (const spec of vkbs) {
      const v = b.spec(parseVkbSpec(spec), 'vkb');
      if (v) list.push(withDevid(v, list.length, BACKEND_KEYS));
    }
    if (list.length) b.d.vkbs = list;
  }
  const virtios = b.listItems('virtio');
  if (virtios) {
    const list: Record<string, unknown>[] = [];
    for (const spec of virtios) {
      const v = b.spec(parseVirtioSpec(spec), 'virtio');
      if (v) list.push(withDevid(v, list.length, VIRTIO_DEVID_AFTER));
    }
    if (list.length) b.d.virtios = list;
  }
}
