/**
 * PCI passthrough (`xl pci-assignable-add/-remove/-list`, `pci-attach`, `pci-detach`,
 * `pci-list`, the `pci=` config key), as libxl_pci.c (Xen 4.20.0) drives Domain-0's
 * sysfs, Xen and xenstore:
 *
 * - The host's PCI devices are `HostSeed.pci` (the host description). Each starts bound
 *   to its Domain-0 driver and owned by the hardware domain (Domain-0).
 * - `pci-assignable-add` unbinds it from its driver (libxl keeps the driver's path in
 *   `/libxl/pci/<dddd-bb-ss-f>/driver_path`), binds it to pciback and quarantines it
 *   (`xc_assign_device(DOMID_IO)`): it is then *assignable*. `-n NAME` names it
 *   (`…/name`).
 * - `pci-attach` (and `pci=` at create) needs an assignable device not given to another
 *   domain; Xen assigns it to the guest, libxl records `…/domid` and the pciback backend
 *   (`/local/domain/0/backend/pci/<domid>/0`: `num_devs`, `key-N`, `dev-N`, `opts-N`,
 *   `state-N`, `vdevfn-N`) with a frontend `device/pci/0` that a PV guest's pcifront
 *   connects through the XenbusState handshake (an HVM guest gets the device from QEMU
 *   instead, at a virtual slot QEMU picks).
 * - `pci-detach` (and domain destroy) gives it back to quarantine; `pci-assignable-remove`
 *   takes it out of quarantine and pciback and, with `-r`, rebinds its old driver.
 *
 * The machine state of each device (its current driver, its owner in Xen) is a row of
 * the `pci` table (`PciRecord`), written the first time the device changes.
 */
import type { DomainConfig } from '../parser/libxl.js';
import type { Ctx } from './ctx.js';
import { DeviceError } from './device-errors.js';
import { plugDevice, setXenbusState, unplugDevice, type DeviceSpec } from './devices.js';
import { HostError } from './errors.js';
import { configRemove } from './pvdevices.js';
import { XenbusState, type DomainRecord } from './records.js';
import { numKey } from './tables.js';
import { xsList, xsRead, xsRm, xsWrite } from './xenstore.js';

/** Who a PCI device belongs to in Xen: the hardware domain, DOMID_IO (quarantine) or a guest. */
export type PciOwner = 'hw' | 'io' | number;

/** A host PCI device's machine state (`pci` table row, key = BDF). */
export interface PciRecord {
  /** `0000:03:00.0`. */
  bdf: string;
  description: string;
  /** The Domain-0 driver it had at boot (`igb`), or null for none. */
  driver: string | null;
  /** The driver it is bound to now: its own, `pciback`, or null. */
  boundTo: string | null;
  owner: PciOwner;
}

/** A device as `xl pci-assignable-list` shows it. */
export interface PciAssignableInfo {
  bdf: string;
  /** Its `-n` name, if any. */
  name?: string;
}

/** A device attached to a domain, as `xl pci-list` shows it (libxl_device_pci_list). */
export interface PciAttachedInfo {
  bdf: string;
  domain: number;
  bus: number;
  dev: number;
  func: number;
  /** Virtual devfn in the guest (slot << 3 | function); 0 for a PV guest without vslot. */
  vdevfn: number;
  name?: string;
}

/** What `pciAssignableAdd` did that libxl logs at info or warning level. */
export interface PciAssignableAddResult {
  /** It was bound to pciback already (libxl warns and only updates the name). */
  alreadyAssigned: boolean;
  /** It had no driver: the driver path libxl remembers from before, or null (no rebind later). */
  unboundRebindTo?: string | null;
}

/** What `pciAssignableRemove` did that libxl logs. */
export interface PciAssignableRemoveResult {
  bdf: string;
  /** It was not bound to pciback. */
  notBound: boolean;
  /** `rebind`: the driver path it was bound to again, or null when libxl knew none. */
  rebound?: string | null;
}

type Obj = Record<string, unknown>;

const BDF_RE = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-1][0-9a-f])\.([0-7])$/;

/** `dddd:bb:ss.f` (PCI_BDF) from the four numbers. */
export function formatBdf(domain: number, bus: number, dev: number, func: number): string {
  return `${domain.toString(16).padStart(4, '0')}:${bus.toString(16).padStart(2, '0')}:${dev.toString(16).padStart(2, '0')}.${func.toString(16)}`;
}

/** The four numbers of a BDF string, or undefined. */
export function parseBdfString(bdf: string): { domain: number; bus: number; dev: number; func: number } | undefined {
  const m = BDF_RE.exec(bdf.toLowerCase());
  if (!m) return undefined;
  return { domain: parseInt(m[1]!, 16), bus: parseInt(m[2]!, 16), dev: parseInt(m[3]!, 16), func: parseInt(m[4]!, 16) };
}

/** `/libxl/pci/dddd-bb-ss-f` (PCI_INFO_PATH / PCI_BDF_XSPATH). */
export function pciInfoPath(bdf: string): string {
  return `/libxl/pci/${bdf.replace(/[:.]/g, '-')}`;
}

/** The Domain-0 driver a device of this description binds to at boot (null: none). */
export function defaultPciDriver(description: string): string | null {
  const d = description.toLowerCase();
  const table: [RegExp, string][] = [
    [/i350|82576|82580|i210|i211/, 'igb'],
    [/82599|x520|x540|x550/, 'ixgbe'],
    [/x710|xl710|xxv710|e810/, 'i40e'],
    [/mellanox|connectx/, 'mlx5_core'],
    [/netxtreme-e|bcm57[45]/, 'bnxt_en'],
    [/ethernet controller/, 'e1000e'],
    [/network controller/, 'iwlwifi'],
    [/non-volatile memory|nvme/, 'nvme'],
    [/sata|ahci/, 'ahci'],
    [/usb controller|xhci/, 'xhci_hcd'],
    [/audio device|hd audio/, 'snd_hda_intel'],
    [/(vga|3d|display) controller.*nvidia/, 'nouveau'],
    [/(vga|3d|display) controller.*(amd|ati|radeon)/, 'amdgpu'],
    [/(vga|3d|display) controller/, 'i915'],
  ];
  for (const [re, drv] of table) if (re.test(d)) return drv;
  return null;
}

/** The row of a host PCI device (stored, or its boot state from the seed); undefined when the host has none at `bdf`. */
export function pciRow(ctx: Ctx, bdf: string): PciRecord | undefined {
  const key = bdf.toLowerCase();
  const stored = ctx.tx.get<PciRecord>('pci', key);
  if (stored) return stored;
  const seed = (ctx.meta.seed.pci ?? []).find((p) => p.bdf.toLowerCase() === key);
  if (!seed) return undefined;
  const driver = defaultPciDriver(seed.description);
  return { bdf: key, description: seed.description, driver, boundTo: driver, owner: 'hw' };
}

/** Every host PCI device, by BDF. */
export function pciRows(ctx: Ctx): PciRecord[] {
  return (ctx.meta.seed.pci ?? []).map((p) => pciRow(ctx, p.bdf)!).sort((a, b) => (a.bdf < b.bdf ? -1 : a.bdf > b.bdf ? 1 : 0));
}

function putRow(ctx: Ctx, row: PciRecord): void {
  ctx.tx.put('pci', row.bdf, row);
}

/** libxl's assignable list: bound to pciback and not given to a domain (libxl_device_pci_assignable_list). */
export function pciAssignable(ctx: Ctx): PciAssignableInfo[] {
  const out: PciAssignableInfo[] = [];
  for (const r of pciRows(ctx)) {
    if (r.boundTo !== 'pciback') continue;
    if (xsRead(ctx, `${pciInfoPath(r.bdf)}/domid`) !== undefined) continue;
    const name = xsRead(ctx, `${pciInfoPath(r.bdf)}/name`);
    out.push(name !== undefined ? { bdf: r.bdf, name } : { bdf: r.bdf });
  }
  return out;
}

/** The BDF named `name` with `-n` (libxl's name2bdf), or undefined. */
export function pciByName(ctx: Ctx, name: string): string | undefined {
  for (const k of xsList(ctx, '/libxl/pci')) {
    const m = /^([0-9a-f]{4})-([0-9a-f]{2})-([0-9a-f]{2})-([0-7])$/.exec(k);
    if (!m) continue;
    if (xsRead(ctx, `/libxl/pci/${k}/name`) === name) return `${m[1]}:${m[2]}:${m[3]}.${m[4]}`;
  }
  return undefined;
}

/**
 * Makes a host PCI device assignable (`xl pci-assignable-add [-n NAME] BDF`,
 * libxl__device_pci_assignable_add with rebind): unbinds its driver (remembering the
 * driver's path), binds pciback, quarantines it, and sets or clears its name. Throws
 * DeviceError INVALID_ARGUMENT (`pci-name-too-long`: over 64 characters,
 * `pci-name-unprintable`), NO_SUCH_DEVICE (`pci-no-device`: the host has no such
 * device), DEVICE_BUSY (`pci-assigned-elsewhere`: it is attached to a domain, so Xen
 * refuses to quarantine it).
 */
export function pciAssignableAdd(ctx: Ctx, bdf: string, name?: string): PciAssignableAddResult {
  if (name !== undefined) {
    if (name.length > 64) throw new DeviceError('INVALID_ARGUMENT', 'pci-name-too-long', 'PCI device names are at most 64 characters');
    if (!/^[\x21-\x7e]*$/.test(name)) throw new DeviceError('INVALID_ARGUMENT', 'pci-name-unprintable', 'PCI device names may only hold printable characters');
  }
  const row = pciRow(ctx, bdf);
  if (!row) throw new DeviceError('NO_SUCH_DEVICE', 'pci-no-device', `the host has no PCI device ${bdf}`, undefined, { bdf: bdf.toLowerCase() });
  const info = pciInfoPath(row.bdf);
  const result: PciAssignableAddResult = { alreadyAssigned: row.boundTo === 'pciback' };
  if (!result.alreadyAssigned) {
    if (row.boundTo !== null) {
      xsWrite(ctx, `${info}/driver_path`, `/sys/bus/pci/drivers/${row.boundTo}`);
    } else {
      result.unboundRebindTo = xsRead(ctx, `${info}/driver_path`) ?? null;
    }
    row.boundTo = 'pciback';
  }
  if (typeof row.owner === 'number') {
    throw new DeviceError('DEVICE_BUSY', 'pci-assigned-elsewhere', `${row.bdf} is assigned to domain ${row.owner}`, undefined, { bdf: row.bdf });
  }
  if (name !== undefined) xsWrite(ctx, `${info}/name`, name);
  else xsRm(ctx, `${info}/name`);
  row.owner = 'io';
  putRow(ctx, row);
  return result;
}

/**
 * Takes a device out of the assignable set (`xl pci-assignable-remove [-r] BDF|NAME`,
 * libxl__device_pci_assignable_remove): by `name` or `bdf`, de-quarantines it (back to
 * Domain-0), unbinds pciback and, with `rebind`, binds its old driver again; forgets its
 * name. Throws DeviceError NO_SUCH_DEVICE (`pci-name-unknown`), INVALID_STATE
 * (`pci-not-quarantined`: not assignable, or attached to a domain).
 */
export function pciAssignableRemove(ctx: Ctx, which: { name?: string; bdf?: string }, rebind: boolean): PciAssignableRemoveResult {
  let bdf = which.bdf?.toLowerCase();
  if (which.name !== undefined) {
    bdf = pciByName(ctx, which.name);
    if (bdf === undefined) throw new DeviceError('NO_SUCH_DEVICE', 'pci-name-unknown', `no assignable PCI device is named ${which.name}`, undefined, { name: which.name });
  }
  const row = bdf === undefined ? undefined : pciRow(ctx, bdf);
  if (!row || row.owner !== 'io') {
    throw new DeviceError('INVALID_STATE', 'pci-not-quarantined', `${bdf ?? '?'} is not quarantined`, undefined, { bdf: bdf ?? '' });
  }
  const info = pciInfoPath(row.bdf);
  const result: PciAssignableRemoveResult = { bdf: row.bdf, notBound: row.boundTo !== 'pciback' };
  row.owner = 'hw';
  if (row.boundTo === 'pciback') row.boundTo = null;
  const driverPath = xsRead(ctx, `${info}/driver_path`);
  if (rebind) {
    if (driverPath !== undefined) {
      row.boundTo = driverPath.slice(driverPath.lastIndexOf('/') + 1);
      xsRm(ctx, `${info}/driver_path`);
      result.rebound = driverPath;
    } else {
      result.rebound = null;
    }
  }
  xsRm(ctx, `${info}/name`);
  if (xsList(ctx, info).length === 0) xsRm(ctx, info);
  putRow(ctx, row);
  return result;
}

const PCI_BE = (domid: number): string => `/local/domain/0/backend/pci/${domid}/0`;

/** The devices in a domain's pciback backend (libxl_device_pci_list), in `dev-N` order. */
export function pciAttached(ctx: Ctx, domid: number): PciAttachedInfo[] {
  const be = PCI_BE(domid);
  const n = Number(xsRead(ctx, `${be}/num_devs`) ?? '0');
  const out: PciAttachedInfo[] = [];
  for (let i = 0; i < n; i++) {
    const bdf = xsRead(ctx, `${be}/dev-${i}`) ?? '';
    const p = parseBdfString(bdf);
    if (!p) continue;
    const vdevfn = parseInt(xsRead(ctx, `${be}/vdevfn-${i}`) ?? '0', 16) || 0;
    const name = xsRead(ctx, `${be}/name-${i}`);
    out.push({ bdf, ...p, vdevfn, ...(name !== undefined ? { name } : {}) });
  }
  return out;
}

/** `msitranslate=…,power_mgmt=…,permissive=…,rdm_policy=…` (libxl_create_pci_backend_device). */
function optsOf(p: Obj): string {
  const b = (v: unknown): number => (v === true || v === 1 ? 1 : 0);
  return `msitranslate=${b(p.msitranslate)},power_mgmt=${b(p.power_mgmt)},permissive=${b(p.permissive)},rdm_policy=${typeof p.rdm_policy === 'string' ? p.rdm_policy : 'strict'}`;
}

/** First free virtual slot QEMU gives a passthrough device in an HVM guest (after its own devices and emulated NICs). */
function freeHvmSlot(ctx: Ctx, rec: DomainRecord): number {
  const used = new Set<number>([0, 1, 2, 3]);
  let nics = 0;
  for (const d of ctx.devices(rec.domid)) if (d.kind === 'vif') nics++;
  for (let i = 0; i < nics; i++) used.add(4 + i);
  for (const a of pciAttached(ctx, rec.domid)) used.add(a.vdevfn >> 3);
  for (let s = 0; s < 32; s++) if (!used.has(s)) return s;
  throw new HostError('LIMIT', `domain ${rec.domid} has no free PCI slot`, rec.domid);
}

/** Writes one device into the domain's pciback backend, creating backend and frontend for the first (libxl__device_pci_add_xenstore). */
function addToBackend(ctx: Ctx, rec: DomainRecord, p: Obj, bdf: string, vdevfn: number, starting: boolean): void {
  const be = PCI_BE(rec.domid);
  let dev = ctx.device(rec.domid, 'pci', 0);
  const num = Number(xsRead(ctx, `${be}/num_devs`) ?? '0');
  if (!dev) {
    const spec: DeviceSpec = {
      kind: 'pci', backendKind: 'pci', devid: 0, backendDomid: 0, rings: 1,
      frontend: {}, backend: { domain: rec.name }, props: {},
      ringNodes: ['pci-op-ref'], feInit: { magic: '7' },
      noLibxlPath: true, frontendDriver: rec.type !== 'hvm',
    };
    dev = plugDevice(ctx, rec, spec);
  }
  xsWrite(ctx, `${be}/key-${num}`, bdf);
  xsWrite(ctx, `${be}/dev-${num}`, bdf);
  if (vdevfn) xsWrite(ctx, `${be}/vdevfn-${num}`, vdevfn.toString(16));
  if (typeof p.name === 'string') xsWrite(ctx, `${be}/name-${num}`, p.name);
  xsWrite(ctx, `${be}/opts-${num}`, optsOf(p));
  xsWrite(ctx, `${be}/state-${num}`, String(XenbusState.Initialising));
  xsWrite(ctx, `${be}/num_devs`, String(num + 1));
  if (num > 0 && !starting && dev.be === XenbusState.Connected) {
    // pciback reconfigures a connected backend for the new device (xen-pciback xenbus.c).
    setXenbusState(ctx, dev, 'backend', XenbusState.Reconfiguring);
    setXenbusState(ctx, dev, 'backend', XenbusState.Reconfigured);
    setXenbusState(ctx, dev, 'backend', XenbusState.Connected);
    xsWrite(ctx, `${be}/state-${num}`, String(XenbusState.Initialised));
    ctx.putDevice(dev);
  }
}

/** Removes entry `bdf` from the pciback backend, shifting later ones down; the last one takes backend and frontend with it. */
function removeFromBackend(ctx: Ctx, rec: DomainRecord, bdf: string): void {
  const be = PCI_BE(rec.domid);
  const n = Number(xsRead(ctx, `${be}/num_devs`) ?? '0');
  const i = pciAttached(ctx, rec.domid).findIndex((a) => a.bdf === bdf);
  if (i < 0) return;
  if (n <= 1) {
    const dev = ctx.device(rec.domid, 'pci', 0);
    if (dev) unplugDevice(ctx, rec, dev, true);
    return;
  }
  const fields = ['state', 'key', 'dev', 'vdev', 'opts', 'vdevfn', 'name'];
  for (const f of fields) xsRm(ctx, `${be}/${f}-${i}`);
  for (let j = i + 1; j < n; j++) {
    for (const f of fields) {
      const v = xsRead(ctx, `${be}/${f}-${j}`);
      if (v === undefined) continue;
      xsWrite(ctx, `${be}/${f}-${j - 1}`, v);
      xsRm(ctx, `${be}/${f}-${j}`);
    }
  }
  xsWrite(ctx, `${be}/num_devs`, String(n - 1));
  const dev = ctx.device(rec.domid, 'pci', 0);
  if (dev && dev.be === XenbusState.Connected) {
    setXenbusState(ctx, dev, 'backend', XenbusState.Reconfiguring);
    setXenbusState(ctx, dev, 'backend', XenbusState.Reconfigured);
    setXenbusState(ctx, dev, 'backend', XenbusState.Connected);
    ctx.putDevice(dev);
  }
}

/** The BDF a libxl_device_pci names (its numbers, or its `name`); throws DeviceError `pci-name-unknown`. */
function bdfOf(ctx: Ctx, p: Obj, domid: number): string {
  if (typeof p.name === 'string') {
    const bdf = pciByName(ctx, p.name);
    if (bdf === undefined) throw new DeviceError('NO_SUCH_DEVICE', 'pci-name-unknown', `no assignable PCI device is named ${p.name}`, domid, { name: p.name });
    return bdf;
  }
  const n = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  return formatBdf(n(p.domain), n(p.bus), n(p.dev), n(p.func));
}

/** Plugs one device (libxl__device_pci_add); returns the BDFs attached and their vdevfn. */
function addPci(ctx: Ctx, rec: DomainRecord, p: Obj, starting: boolean): { bdf: string; vdevfn: number }[] {
  const first = bdfOf(ctx, p, rec.domid);
  const fact = (bdf: string): Record<string, string> => ({ bdf, ...(typeof p.name === 'string' ? { name: p.name } : {}) });
  const all = p.vfunc_mask === 0xffffffff;
  const vslot = typeof p.vdevfn === 'number' ? p.vdevfn >> 3 : 0;
  if (all && !vslot) throw new DeviceError('INVALID_ARGUMENT', 'pci-vslot-needed', 'a multi-function device needs a virtual slot', rec.domid, fact(first));
  const bdfs = all ? pciRows(ctx).map((r) => r.bdf).filter((b) => b.slice(0, -1) === first.slice(0, -1)) : [first];
  if (bdfs.length === 0) throw new DeviceError('NOT_ASSIGNABLE', 'pci-not-assignable', `${first} is not assignable`, rec.domid, fact(first));
  for (const bdf of bdfs) {
    const row = pciRow(ctx, bdf);
    if (rec.type === 'hvm' && row && typeof row.owner === 'number') {
      throw new DeviceError('DEVICE_BUSY', 'pci-assigned-elsewhere', `${bdf} is assigned to domain ${row.owner}`, rec.domid, fact(bdf));
    }
    if (p.seize === true && row && row.boundTo !== 'pciback' && typeof row.owner !== 'number') pciAssignableAdd(ctx, bdf);
    if (!pciAssignable(ctx).some((a) => a.bdf === bdf)) {
      throw new DeviceError('NOT_ASSIGNABLE', 'pci-not-assignable', `${bdf} is not assignable`, rec.domid, fact(bdf));
    }
  }
  const out: { bdf: string; vdevfn: number }[] = [];
  const baseSlot = vslot || (rec.type === 'hvm' ? freeHvmSlot(ctx, rec) : 0);
  for (const bdf of bdfs) {
    const row = pciRow(ctx, bdf)!;
    const func = parseInt(bdf.slice(-1), 16);
    const vdevfn = baseSlot ? (baseSlot << 3) | (all ? func : 0) : 0;
    xsWrite(ctx, `${pciInfoPath(bdf)}/domid`, String(rec.domid));
    row.owner = rec.domid;
    putRow(ctx, row);
    addToBackend(ctx, rec, p, bdf, vdevfn, starting);
    out.push({ bdf, vdevfn });
  }
  return out;
}

/**
 * Passes an assignable PCI device through to a guest (`xl pci-attach`,
 * libxl_device_pci_add) from a libxl_device_pci (BDF numbers or `name`, `vdevfn`,
 * `vfunc_mask`, `seize`, …); returns the devices attached with their virtual devfn.
 * Throws NO_SUCH_DOMAIN, INVALID_STATE (not running), DOMAIN_0 (DeviceError
 * `pci-domain-0`), and DeviceError NOT_ASSIGNABLE (`pci-not-assignable`), DEVICE_BUSY
 * (`pci-assigned-elsewhere`, HVM), NO_SUCH_DEVICE (`pci-name-unknown`),
 * INVALID_ARGUMENT (`pci-vslot-needed`).
 */
export function pciAttach(ctx: Ctx, domid: number, pci: unknown): { bdf: string; vdevfn: number }[] {
  const rec = ctx.mustDomain(domid);
  if (rec.domid === 0) throw new DeviceError('DOMAIN_0', 'pci-domain-0', 'Domain-0 owns the devices that are not assignable', 0);
  if (rec.life.state !== 'running') throw new HostError('INVALID_STATE', `domain ${rec.domid} is not running`, rec.domid);
  if (typeof pci !== 'object' || pci === null || Array.isArray(pci)) throw new HostError('INVALID_ARGUMENT', 'pci is not an object', rec.domid);
  const p = structuredClone(pci) as Obj;
  const added = addPci(ctx, rec, p, false);
  const config = ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
  if (config) {
    const cur = Array.isArray(config.pcidevs) ? (config.pcidevs as Obj[]) : [];
    config.pcidevs = [...cur, ...added.map((a) => pciConfigEntry(p, a.bdf, a.vdevfn))];
    ctx.tx.put('configs', numKey(rec.domid), config);
  }
  ctx.putDomain(rec);
  return added;
}

/** The libxl_device_pci libxl stores for an attached device (IDL order, defaults left out). */
function pciConfigEntry(p: Obj, bdf: string, vdevfn: number): Obj {
  const n = parseBdfString(bdf)!;
  const out: Obj = {};
  if (n.func) out.func = n.func;
  if (n.dev) out.dev = n.dev;
  if (n.bus) out.bus = n.bus;
  if (n.domain) out.domain = n.domain;
  if (vdevfn) out.vdevfn = vdevfn;
  for (const k of ['vfunc_mask', 'msitranslate', 'power_mgmt', 'permissive', 'seize', 'rdm_policy', 'name']) {
    if (p[k] !== undefined && p[k] !== false) out[k] = p[k];
  }
  return out;
}

/**
 * Takes a passed-through device back (`xl pci-detach [-f]`, libxl_device_pci_remove):
 * Xen returns it to quarantine, libxl removes it from the backend (the last one takes
 * backend and frontend with it), forgets `…/domid` and drops it from the config; it is
 * assignable again. Throws NO_SUCH_DOMAIN, DOMAIN_0, and DeviceError NO_SUCH_DEVICE
 * (`pci-none-attached`: the domain has none; `pci-not-attached`: not this one;
 * `pci-name-unknown`).
 */
export function pciDetach(ctx: Ctx, domid: number, pci: unknown): string {
  const rec = ctx.mustDomain(domid);
  if (rec.domid === 0) throw new DeviceError('DOMAIN_0', 'pci-domain-0', 'Domain-0 has no passed-through devices', 0);
  if (typeof pci !== 'object' || pci === null || Array.isArray(pci)) throw new HostError('INVALID_ARGUMENT', 'pci is not an object', rec.domid);
  const p = pci as Obj;
  const bdf = bdfOf(ctx, p, rec.domid);
  const attached = pciAttached(ctx, rec.domid);
  if (attached.length === 0) throw new DeviceError('NO_SUCH_DEVICE', 'pci-none-attached', `domain ${rec.domid} has no PCI devices`, rec.domid, { bdf });
  if (!attached.some((a) => a.bdf === bdf)) throw new DeviceError('NO_SUCH_DEVICE', 'pci-not-attached', `${bdf} is not attached to domain ${rec.domid}`, rec.domid, { bdf });
  release(ctx, rec, bdf);
  removeFromBackend(ctx, rec, bdf);
  configRemove(ctx, rec.domid, 'pcidevs', (d) => bdfOf(ctx, d, rec.domid) === bdf || d.name === p.name);
  ctx.putDomain(rec);
  return bdf;
}

/** Xen takes the device back into quarantine; libxl forgets its domid. */
function release(ctx: Ctx, rec: DomainRecord, bdf: string): void {
  const row = pciRow(ctx, bdf);
  if (row && row.owner === rec.domid) {
    row.owner = 'io';
    putRow(ctx, row);
  }
  xsRm(ctx, `${pciInfoPath(bdf)}/domid`);
}

/** Gives back every device of a domain being destroyed (libxl__device_pci_destroy_all); its backend goes with its other devices. */
export function releaseDomainPci(ctx: Ctx, rec: DomainRecord): void {
  for (const a of pciAttached(ctx, rec.domid)) release(ctx, rec, a.bdf);
}

/** Plugs a new domain's `pcidevs` (libxl__add_pcis, `starting`). Throws like `pciAttach`. */
export function plugConfigPci(ctx: Ctx, rec: DomainRecord, config: DomainConfig): void {
  for (const p of Array.isArray(config.pcidevs) ? config.pcidevs : []) {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new HostError('INVALID_ARGUMENT', 'pci is not an object', rec.domid);
    addPci(ctx, rec, p as Obj, true);
  }
}
