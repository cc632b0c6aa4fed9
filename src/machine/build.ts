/**
 * Making and unmaking domains: domain build (libxl_create.c `initiate_domain_create`,
 * `libxl__domain_make`, `libxl__build_pre/post`; xl-commands.md §5.1, §5.2) and domain
 * destruction (libxl_domain.c `libxl__destroy_domid`, xen/common/domain.c
 * `domain_kill`). Both run inside one step; a build that fails a check throws before
 * anything is written, so the host is left as it was.
 */
import type { DeviceDisk, DeviceNic, DomainConfig, DomainType } from '../parser/libxl.js';
import { vdevToDevid } from '../parser/specs/vdev.js';
import { closeAllChannels, endAllGrants, bindInterdomain } from './channels.js';
import { descheduleDomain, reschedule } from './cpu.js';
import type { Ctx } from './ctx.js';
import { diskParams, netbackIfname, plugDevice, unplugDevice, type DeviceSpec } from './devices.js';
import { HostError } from './errors.js';
import { plugDomainDevices, releaseDomainDevices } from './hotplug.js';
import { newGuestState, startBoot } from './guest/os.js';
import { transition } from './lifecycle.js';
import { allocFor, freeKiB, release, requiredKiB, setHeld } from './memory.js';
import type { DomainRecord, VcpuRecord } from './records.js';
import { numKey } from './tables.js';
import { xsRm, xsUnwatchTree, xsWrite, xsWriteAll } from './xenstore.js';

/** Highest domid Xen hands out (DOMID_FIRST_RESERVED − 1 = 0x7FEF, xen/include/public/xen.h). */
export const MAX_DOMID = 32751;
/** libxl refuses to reuse a domid destroyed less than this long ago, ms (LIBXL_DOMID_REUSE_TIMEOUT). */
export const DOMID_REUSE_TIMEOUT_MS = 60_000;
/** Most vCPUs an HVM or PVH domain may have (HVM_MAX_VCPUS, xen/include/public/hvm/hvm_info_table.h). */
export const HVM_MAX_VCPUS = 128;
/** Most vCPUs a PV domain may have on x86 (MAX_VIRT_CPUS, xen/arch/x86/include/asm/config.h: 8192). */
export const PV_MAX_VCPUS = 8192;
/** libxl's INVALID_DOMID (xl's domid policy when none is asked for). */
export const INVALID_DOMID = 4294967295;
/** Per-domain event channel ports below this are Xen's; guests' bindings start here. */
const FIRST_PORT = 1;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAC_RE = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Options of `createDomain`. */
export interface CreateOptions {
  /** Leave the domain paused after building it (`xl create -p`). */
  paused?: boolean;
  /** Whether an xl monitor applies on_* actions (default true; false = `xl create -e`). */
  monitor?: boolean;
  /** Keep this creation time (restore, migration) instead of now. */
  createdAt?: number;
  /** The cfg file the domain was created from (`xl create <file>`, as an absolute path); shown by the dashboard. */
  configFile?: string;
}

/** A random locally administered Xen MAC, `00:16:3e:xx:xx:xx` (libxl_nic.c). */
export function xenMac(v: number): string {
  return `00:16:3e:${[(v >>> 16) & 0x7f, (v >>> 8) & 255, v & 255].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

/** A fresh random UUID (version 4) from the host's PRNG. */
export function freshUuid(ctx: Ctx): string {
  const bytes: number[] = [];
  for (let i = 0; i < 4; i++) {
    const v = ctx.rand();
    bytes.push(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The most vCPUs Xen gives a domain of `type` (arch_sanitise_domain_config, xen/arch/x86/domain.c). */
export function maxVcpusFor(type: DomainType): number {
  return type === 'pv' ? PV_MAX_VCPUS : HVM_MAX_VCPUS;
}

/** A disk the build will plug. */
interface PlannedDisk { devid: number; vdev: string; params: string; backend: string; readwrite: boolean; cdrom: boolean; backendDomid: number; format: string }
/** A nic the build will plug. */
interface PlannedNic { devid: number; mac: string; bridge?: string; script: string; backendDomid: number; ip?: string; model?: string; ifname?: string }

/** Resolves a device's backend domain (`backend=` as domid or name); Domain-0 by default. */
function backendOf(ctx: Ctx, d: { backend_domid?: number; backend_domname?: string }, what: string): number {
  if (typeof d.backend_domname === 'string' && d.backend_domname !== '') {
    const id = ctx.domidByName(d.backend_domname);
    if (id === undefined) throw new HostError('INVALID_ARGUMENT', `${what}: backend domain ${d.backend_domname} does not exist`);
    return id;
  }
  if (isInt(d.backend_domid) && d.backend_domid !== 0) {
    if (!ctx.domain(d.backend_domid)) throw new HostError('INVALID_ARGUMENT', `${what}: backend domain ${d.backend_domid} does not exist`);
    return d.backend_domid;
  }
  return 0;
}

/**
 * The backend libxl picks for a disk (libxl_device.c `libxl__device_disk_set_backend`,
 * `disk_try_backend`): the one the config names (`backendtype=`), else phy when it can
 * serve the disk (a raw image, or an empty CD-ROM drive), else qdisk (QEMU in Domain-0:
 * qcow, qcow2, vhd and qed images). libxl refuses a named backend that cannot serve the
 * format ("no suitable backend for disk"), as it refuses script= on a non-raw image; the
 * emulated host takes both as given (docs/compat.md).
 */
export function diskBackend(disk: DeviceDisk): string {
  if (typeof disk.backend === 'string') return disk.backend;
  const format = typeof disk.format === 'string' ? disk.format : 'raw';
  if (format === 'raw' || format === 'empty' || typeof disk.script === 'string') return 'phy';
  return 'qdisk';
}

/** Checks one libxl_device_disk; throws HostError('INVALID_ARGUMENT') naming `what`. */
export function planDisk(ctx: Ctx, d: unknown, what: string): PlannedDisk {
  if (!isObj(d)) throw new HostError('INVALID_ARGUMENT', `${what} is not an object`);
  const disk = d as DeviceDisk;
  const vdev = typeof disk.vdev === 'string' ? disk.vdev : '';
  const devid = vdevToDevid(vdev);
  if (devid === undefined) throw new HostError('INVALID_ARGUMENT', `${what}: invalid virtual device "${vdev}"`);
  return {
    devid,
    vdev,
    params: typeof disk.pdev_path === 'string' ? disk.pdev_path : '',
    backend: diskBackend(disk),
    readwrite: disk.readwrite === 1,
    cdrom: disk.is_cdrom === 1,
    backendDomid: backendOf(ctx, disk, what),
    format: typeof disk.format === 'string' ? disk.format : 'raw',
  };
}

/** The DeviceSpec of a vbd (libxl_disk.c `device_disk_add`). */
export function vbdSpec(domType: DomainType, p: PlannedDisk, sectorsSeed: number): DeviceSpec {
  const qdisk = p.backend === 'qdisk';
  const sectors = p.cdrom ? 0 : (8 + (sectorsSeed % 57)) * 2097152; // 8–64 GiB in 512-byte sectors
  return {
    kind: 'vbd',
    backendKind: qdisk ? 'qdisk' : 'vbd',
    devid: p.devid,
    backendDomid: p.backendDomid,
    frontend: { 'virtual-device': String(p.devid), 'device-type': p.cdrom ? 'cdrom' : 'disk' },
    backend: {
      params: diskParams(p.backend, p.format, p.params), type: p.backend, mode: p.readwrite ? 'w' : 'r', dev: p.vdev,
      'device-type': p.cdrom ? 'cdrom' : 'disk', removable: p.cdrom ? '1' : '0', 'discard-enable': '1',
      ...(qdisk ? {} : { 'script': '/etc/xen/scripts/block' }),
    },
    props: {
      vdev: p.vdev, params: p.params, mode: p.readwrite ? 'w' : 'r', backend: p.backend, format: p.format,
      'device-type': p.cdrom ? 'cdrom' : 'disk', sectors: String(sectors), driver: qdisk ? 'qdisk' : 'blkback',
      'emulated': domType === 'hvm' ? '1' : '0',
    },
    rings: 1,
  };
}

/** The DeviceSpec of a vif (libxl_nic.c `libxl__device_nic_add`). */
export function vifSpec(domid: number, domType: DomainType, n: PlannedNic): DeviceSpec {
  // vifname= names the interface in the backend domain: libxl writes it to the backend
  // (`vifname`) and the hotplug script renames vif<domid>.<devid> to it (vif-common.sh).
  const ifname = n.ifname ?? netbackIfname(domid, n.devid);
  const backend: Record<string, string> = {
    handle: String(n.devid), mac: n.mac, type: domType === 'hvm' ? 'vif_ioemu' : 'vif', script: n.script,
    'feature-sg': '1', 'feature-gso-tcpv4': '1', 'feature-rx-copy': '1',
  };
  if (n.ifname !== undefined) backend.vifname = n.ifname;
  if (n.bridge !== undefined) backend.bridge = n.bridge;
  const props: Record<string, string> = { mac: n.mac, ifname, script: n.script, driver: 'netback' };
  if (n.bridge !== undefined) props.bridge = n.bridge;
  if (n.ip !== undefined) props.ip = n.ip;
  if (n.model !== undefined) props.model = n.model;
  return {
    kind: 'vif', backendKind: 'vif', devid: n.devid, backendDomid: n.backendDomid,
    frontend: { handle: String(n.devid), mac: n.mac }, backend, props, rings: 2,
  };
}

/** Plans a nic: devid (given or next free), MAC (given or generated); throws INVALID_ARGUMENT. */
export function planNic(ctx: Ctx, n: unknown, used: Set<number>, fallbackDevid: number, what: string): PlannedNic & { stored: DeviceNic } {
  if (!isObj(n)) throw new HostError('INVALID_ARGUMENT', `${what} is not an object`);
  const nic = n as DeviceNic;
  let devid = isInt(nic.devid) && nic.devid >= 0 ? nic.devid : fallbackDevid;
  while (!isInt(nic.devid) && used.has(devid)) devid++;
  if (used.has(devid)) throw new HostError('INVALID_ARGUMENT', `${what}: devid ${devid} is used twice`);
  let mac = typeof nic.mac === 'string' ? nic.mac.toLowerCase() : '';
  if (mac !== '' && !MAC_RE.test(mac)) throw new HostError('INVALID_ARGUMENT', `${what}: invalid MAC address ${String(nic.mac)}`);
  const backendDomid = backendOf(ctx, nic, what);
  if (mac === '') mac = xenMac(ctx.rand());
  const stored: DeviceNic = { ...nic, devid, mac };
  const plan: PlannedNic & { stored: DeviceNic } = {
    devid, mac, backendDomid, script: typeof nic.script === 'string' ? nic.script : '/etc/xen/scripts/vif-bridge', stored,
  };
  if (typeof nic.bridge === 'string') plan.bridge = nic.bridge;
  if (typeof nic.ip === 'string') plan.ip = nic.ip;
  if (typeof nic.model === 'string') plan.model = nic.model;
  if (typeof nic.ifname === 'string' && nic.ifname !== '') plan.ifname = nic.ifname;
  return plan;
}

/** The next free domid after the last one handed out (xen/common/domid.c rover, libxl's 60 s reuse rule). */
function allocateDomid(ctx: Ctx, requested: unknown): number {
  if (isInt(requested) && requested >= 1 && requested <= MAX_DOMID) {
    if (ctx.domain(requested)) throw new HostError('INVALID_STATE', `domid ${requested} is already in use`, requested);
    return requested;
  }
  const recent = new Map(ctx.meta.recentlyDestroyed);
  let cand = ctx.meta.lastDomid;
  for (let n = 0; n < MAX_DOMID; n++) {
    cand = cand >= MAX_DOMID ? 1 : cand + 1;
    const gone = recent.get(cand);
    if (gone !== undefined && ctx.now - gone < DOMID_REUSE_TIMEOUT_MS) continue;
    if (ctx.domain(cand)) continue;
    return cand;
  }
  throw new HostError('INVALID_STATE', 'no free domid');
}

/** Per-vCPU affinity from a libxl mask list: mask i for vCPU i, null = no restriction. */
function maskFor(lists: unknown, i: number, nrCpus: number): number[] | null {
  if (!Array.isArray(lists)) return null;
  const l = lists[i];
  if (!Array.isArray(l)) return null;
  const cpus = [...new Set(l.filter((x): x is number => isInt(x) && x >= 0 && x < nrCpus))].sort((a, b) => a - b);
  if (cpus.length === 0 || cpus.length === nrCpus) return null;
  return cpus;
}

/**
 * Builds and (unless `opts.paused`) starts a domain from a libxl-shaped config; returns
 * its domid. Checks everything first (type, name, uuid, vCPUs against Xen's limits,
 * memory against free memory, devices, backend domains, cpupool, domid) and throws
 * `HostError` before writing anything: NAME_EXISTS, OUT_OF_MEMORY, LIMIT (vCPUs beyond
 * HVM_MAX_VCPUS / PV_MAX_VCPUS), INVALID_ARGUMENT (bad config), INVALID_STATE (domid in
 * use, none free), INJECTED_FAULT (a `host fault` asked for it).
 */
export function createDomain(ctx: Ctx, config: DomainConfig, opts: CreateOptions, xenVersion: string): DomainRecord {
  const bad = (msg: string): never => {
    throw new HostError('INVALID_ARGUMENT', msg);
  };
  if ((ctx.meta.faults.failCreates ?? 0) > 0) throw new HostError('INJECTED_FAULT', 'domain creation failed (injected fault)');
  if (!isObj(config) || !isObj(config.c_info) || !isObj(config.b_info)) bad('config must have c_info and b_info objects');
  const c = config.c_info;
  const b = config.b_info;
  if (c.type !== 'pv' && c.type !== 'hvm' && c.type !== 'pvh') bad('domain type must be pv, pvh or hvm');
  const type = c.type;
  if (typeof c.name !== 'string' || c.name === '') bad('domain name must be a non-empty string');
  const name = c.name as string;
  const taken = ctx.domidByName(name);
  if (taken !== undefined) throw new HostError('NAME_EXISTS', `domain name ${name} is already in use`, taken);
  if (c.uuid !== undefined && (typeof c.uuid !== 'string' || !UUID_RE.test(c.uuid))) bad('c_info.uuid is not a UUID');
  const maxVcpus = b.max_vcpus === undefined ? 1 : b.max_vcpus;
  if (!isInt(maxVcpus) || maxVcpus < 1) bad('max_vcpus must be a positive integer');
  if (maxVcpus > maxVcpusFor(type)) {
    throw new HostError('LIMIT', `requested vCPUs (${maxVcpus}) exceeds max (${maxVcpusFor(type)})`);
  }
  let online: boolean[];
  if (b.avail_vcpus === undefined) {
    online = Array.from({ length: maxVcpus }, () => true);
  } else {
    if (!Array.isArray(b.avail_vcpus) || !b.avail_vcpus.every((v) => isInt(v) && v >= 0 && v < maxVcpus)) {
      bad('avail_vcpus must list vCPU ids below max_vcpus');
    }
    const set = new Set(b.avail_vcpus);
    online = Array.from({ length: maxVcpus }, (_, i) => set.has(i));
    if (!online.some((o) => o)) bad('at least one vCPU must be online');
  }
  const target = b.target_memkb ?? b.max_memkb ?? 32768;
  if (!isInt(target) || target <= 0) bad('target_memkb must be a positive integer');
  const staticMax = b.max_memkb ?? target;
  if (!isInt(staticMax) || staticMax < target) bad('max_memkb must be an integer not below target_memkb');
  const shadow = b.shadow_memkb ?? 0;
  if (!isInt(shadow) || shadow < 0) bad('shadow_memkb must be a non-negative integer');
  const video = b.video_memkb ?? 0;
  if (!isInt(video) || video < 0) bad('video_memkb must be a non-negative integer');
  const sp = isObj(b.sched_params) ? b.sched_params : {};
  const weight = isInt(sp.weight) && sp.weight > 0 ? Math.min(sp.weight, 65535) : 256;
  const cap = isInt(sp.cap) && sp.cap > 0 ? sp.cap : 0;
  if (config.disks !== undefined && !Array.isArray(config.disks)) bad('disks must be a list');
  if (config.nics !== undefined && !Array.isArray(config.nics)) bad('nics must be a list');
  if (b.kernel !== undefined && typeof b.kernel !== 'string') bad('kernel must be a string');
  let poolId = 0;
  if (typeof c.pool_name === 'string' && c.pool_name !== '') {
    const p = ctx.allPools().find((x) => x.name === c.pool_name);
    if (!p) bad(`cpupool ${c.pool_name} does not exist`);
    poolId = p!.id;
  }
  const required = requiredKiB(type, target, shadow);
  const memKiB = allocFor(type, target, false);
  if (required > freeKiB(ctx)) {
    throw new HostError('OUT_OF_MEMORY', `not enough free memory: domain needs ${required} KiB, host has ${freeKiB(ctx)} KiB free`);
  }
  const disks: PlannedDisk[] = [];
  const seen = new Set<number>();
  for (const [i, d] of (config.disks ?? []).entries()) {
    const pd = planDisk(ctx, d, `disk ${i}`);
    if (seen.has(pd.devid)) bad(`disk ${i}: virtual device ${pd.vdev} is used twice`);
    seen.add(pd.devid);
    disks.push(pd);
  }
  // From here on the PRNG is drawn from: everything that can fail has been checked,
  // except the domid (which draws nothing) — check it before drawing too.
  const domid = allocateDomid(ctx, c.domid);
  const uuid = typeof c.uuid === 'string' ? c.uuid.toLowerCase() : freshUuid(ctx);
  const nics: PlannedNic[] = [];
  const nicIds = new Set<number>();
  const storedNics: DeviceNic[] = [];
  for (const [i, n] of (config.nics ?? []).entries()) {
    const pn = planNic(ctx, n, nicIds, i, `nic ${i}`);
    nicIds.add(pn.devid);
    nics.push(pn);
    storedNics.push(pn.stored);
  }

  const stored = structuredClone(config) as DomainConfig;
  stored.c_info = { ...stored.c_info, uuid };
  if (storedNics.length) stored.nics = storedNics;
  const createdAt = opts.createdAt ?? ctx.now;
  const nrCpus = ctx.meta.seed.nrCpus;
  const vcpus: VcpuRecord[] = online.map((on, i) => ({
    online: on, timeNs: 0, rate: 0, since: ctx.now, wobble: false, demand: 0,
    hard: maskFor(b.vcpu_hard_affinity, i, nrCpus), soft: maskFor(b.vcpu_soft_affinity, i, nrCpus),
  }));
  const rec: DomainRecord = {
    domid, name, uuid, type, createdAt,
    life: { state: 'building' },
    pauseCount: 0,
    run: { ms: 0, since: null },
    guest: newGuestState(stored),
    vcpus,
    mem: { memKiB: 0, targetKiB: target, maxMemKiB: target + 1024, staticMaxKiB: staticMax, videoKiB: video, overheadKiB: 0 },
    sched: { weight, cap, pool: poolId },
    monitor: opts.monitor !== false,
    ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
    counters: {},
    nextPort: FIRST_PORT,
    nextGrant: 8,
    pty: ctx.meta.nextPty++,
    timers: [],
  };
  if (type === 'hvm') rec.deviceModel = 'qemu-xen';
  setHeld(ctx, rec, memKiB, required - memKiB);
  ctx.meta.lastDomid = domid;
  ctx.meta.recentlyDestroyed = ctx.meta.recentlyDestroyed.filter(([id, at]) => id !== domid && ctx.now - at < DOMID_REUSE_TIMEOUT_MS);
  ctx.meta.domainCount++;
  ctx.tx.put('names', name, domid);
  ctx.tx.put('configs', numKey(domid), stored);
  ctx.putConsole(domid, { text: '', total: 0 });
  writeDomainNodes(ctx, rec, staticMax, target, video, createdAt);
  const dom0 = ctx.mustDomain(0);
  const [storePort] = bindInterdomain(ctx, rec, dom0, 'xenstore');
  xsWrite(ctx, `/local/domain/${domid}/store/port`, String(storePort));
  const [consPort] = bindInterdomain(ctx, rec, dom0, 'console');
  xsWrite(ctx, `/local/domain/${domid}/console/port`, String(consPort));
  if (type === 'hvm') {
    for (let i = 0; i < maxVcpus; i++) bindInterdomain(ctx, rec, dom0, `ioreq vcpu${i}`);
  }
  ctx.putDomain(dom0);
  ctx.putDomain(rec);
  for (const d of disks) plugDevice(ctx, rec, vbdSpec(type, d, rec.uuid.charCodeAt(d.devid % 36) + d.devid));
  for (const n of nics) plugDevice(ctx, rec, vifSpec(domid, type, n));
  plugDomainDevices(ctx, rec, stored);
  transition(rec, { state: 'running' });
  if (opts.paused) rec.pauseCount = 1;
  ctx.syncRunClock(rec);
  startBoot(ctx, rec, stored, xenVersion);
  reschedule(ctx, rec);
  ctx.emit({ kind: 'created', at: ctx.now, domid, name });
  return rec;
}

/** The xenstore nodes libxl writes for a new domain (libxl_create.c, libxl_dom.c). */
function writeDomainNodes(ctx: Ctx, rec: DomainRecord, staticMax: number, target: number, video: number, createdAt: number): void {
  const id = rec.domid;
  const base = `/local/domain/${id}`;
  xsWrite(ctx, base, '', ['n0', `r${id}`]);
  xsWriteAll(ctx, base, { name: rec.name, domid: String(id), vm: `/vm/${rec.uuid}` });
  xsWriteAll(ctx, `${base}/memory`, { 'static-max': String(staticMax), target: String(target - video) });
  if (rec.type === 'hvm') xsWrite(ctx, `${base}/memory/videoram`, String(video));
  rec.vcpus.forEach((v, i) => xsWrite(ctx, `${base}/cpu/${i}/availability`, v.online ? 'online' : 'offline'));
  xsWrite(ctx, `${base}/control`, '', [`n${id}`]);
  xsWriteAll(ctx, `${base}/control`, {
    'platform-feature-multiprocessor-suspend': '1', 'platform-feature-xs_reset_watches': '1',
    shutdown: '', 'feature-poweroff': '1', 'feature-reboot': '1', 'feature-suspend': '1',
  });
  xsWrite(ctx, `${base}/data`, '', [`n${id}`]);
  xsWrite(ctx, `${base}/device`, '', ['n0', `r${id}`]);
  xsWrite(ctx, `${base}/store/ring-ref`, String(0xfeffc));
  xsWriteAll(ctx, `${base}/console`, { 'ring-ref': String(0xfeffd), type: 'xenconsoled', tty: `/dev/pts/${rec.pty}`, limit: '1048576' });
  xsWrite(ctx, `/vm/${rec.uuid}`, '', ['n0']);
  xsWriteAll(ctx, `/vm/${rec.uuid}`, {
    name: rec.name, uuid: rec.uuid,
    start_time: `${Math.floor(createdAt / 1000)}.${String(Math.floor((createdAt % 1000) / 10)).padStart(2, '0')}`,
  });
  xsWrite(ctx, `/libxl/${id}/type`, rec.type);
  if (rec.type === 'hvm') {
    xsWrite(ctx, `/libxl/${id}/dm-version`, 'qemu_xen');
    xsWrite(ctx, `/local/domain/0/device-model/${id}/state`, 'running');
  }
}

/**
 * Destroys a domain (`xl destroy`, the monitor's `destroy`): it goes dying, its devices
 * are torn down (backends closed, frontends' grants and channels reclaimed), its memory
 * returns to the pool, its xenstore subtree and rows go. Callers check Domain-0.
 */
export function destroyDomain(ctx: Ctx, rec: DomainRecord): void {
  const id = rec.domid;
  transition(rec, { state: 'dying' });
  ctx.emit({ kind: 'dying', at: ctx.now, domid: id });
  ctx.syncRunClock(rec);
  ctx.cancelTimers(rec);
  releaseDomainDevices(ctx, rec);
  for (const dev of ctx.devices(id)) unplugDevice(ctx, rec, dev, true);
  closeAllChannels(ctx, id);
  endAllGrants(ctx, id);
  descheduleDomain(ctx, rec);
  release(ctx, rec);
  xsUnwatchTree(ctx, `/local/domain/${id}`);
  xsRm(ctx, `/local/domain/${id}`);
  xsRm(ctx, `/vm/${rec.uuid}`);
  xsRm(ctx, `/libxl/${id}`);
  xsRm(ctx, `/local/domain/0/device-model/${id}`);
  ctx.delDomain(id);
  ctx.tx.del('configs', numKey(id));
  const ring = ctx.console(id);
  if (ring) {
    ring.gone = true;
    delete ring.pending;
    delete ring.pendingBase;
    ctx.putConsole(id, ring);
    ctx.schedule(ctx.now + DOMID_REUSE_TIMEOUT_MS, 'reap-console', id);
  }
  if (ctx.domidByName(rec.name) === id) ctx.tx.del('names', rec.name);
  ctx.meta.domainCount--;
  ctx.meta.recentlyDestroyed = ctx.meta.recentlyDestroyed.filter(([d, at]) => d !== id && ctx.now - at < DOMID_REUSE_TIMEOUT_MS);
  ctx.meta.recentlyDestroyed.push([id, ctx.now]);
  ctx.emit({ kind: 'destroyed', at: ctx.now, domid: id });
}

/** Renames a domain (`xl rename`, rename-restart): names table, xenstore, stored config. */
export function renameDomain(ctx: Ctx, rec: DomainRecord, name: string): void {
  if (ctx.domidByName(rec.name) === rec.domid) ctx.tx.del('names', rec.name);
  rec.name = name;
  ctx.tx.put('names', name, rec.domid);
  const config = ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
  if (config) {
    config.c_info.name = name;
    ctx.tx.put('configs', numKey(rec.domid), config);
  }
  xsWrite(ctx, `/local/domain/${rec.domid}/name`, name);
  xsWrite(ctx, `/vm/${rec.uuid}/name`, name);
  ctx.putDomain(rec);
  ctx.emit({ kind: 'renamed', at: ctx.now, domid: rec.domid, name });
}
