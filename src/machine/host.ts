/**
 * The emulated Xen host (DESIGN.md "The machine"): the hypervisor's domain table,
 * Domain-0 with its backends, guests with their vCPUs and frontends, a credit2-like
 * scheduler, memory accounting, xenstore, event channels and guest consoles, all driven
 * by virtual time.
 *
 * Sources it follows (xl-commands.md §5): domid allocation as xen/common/domid.c and
 * libxl_create.c (§5.2), shutdown/destroy and the xl monitor's on_* actions as
 * tools/xl/xl_vmcontrol.c (§5.3), memory accounting as libxl_mem.c / libxl_dom.c (§5.4),
 * xenstore layout as libxl_create.c and libxl_device.c, run-state flags as xc_dominfo.
 *
 * Determinism: the same seed and the same commands at the same virtual times give the
 * same host, byte for byte (see `toState`). Nothing here prints, touches the file
 * system, or reads the real clock except through the injected `Clock`.
 */
import type { DeviceDisk, DeviceNic, DomainConfig, DomainType, HostFacts } from '../parser/libxl.js';
import type { Clock, DomainInfo, DomainRunState, HostEvent, HostInfo, VcpuInfo } from './api.js';
import { ShutdownReason } from './api.js';
import { conringAppend, xenBootLog } from './dmesg.js';
import { bootPlan, guestOs, printkStamp, shutdownDelayMs, shutdownText } from './guest/bootlog.js';
import { HostError } from './errors.js';
import { hash32, mulberry32 } from './prng.js';
import type { DeviceRecord, DomainRecord, EventChannelRecord, HostSeed, HostState } from './state.js';
import { XenStore } from './xenstore.js';

export { HostError } from './errors.js';
export type { HostSeed } from './state.js';

/** Default physical machine: 8 pCPUs, 1 node, 32 GiB, Xen 4.20.0, credit2, Domain-0 4 vCPUs / 4096 MiB. */
export const DEFAULT_SEED: Readonly<HostSeed> = Object.freeze({
  hostname: 'xlsim',
  nrCpus: 8,
  nrNodes: 1,
  coresPerSocket: 4,
  threadsPerCore: 2,
  cpuMhz: 3192,
  totalMemoryMiB: 32768,
  xenReservedMiB: 188,
  xenMajor: 4,
  xenMinor: 20,
  xenExtra: '.0',
  scheduler: 'credit2',
  dom0Vcpus: 4,
  dom0MemoryMiB: 4096,
  rngSeed: 0x5eed1e55,
});

/** Highest domid Xen hands out (DOMID_FIRST_RESERVED − 1 = 0x7FEF, xen/include/public/xen.h). */
export const MAX_DOMID = 32751;
/** libxl refuses to reuse a domid destroyed less than this long ago, ms (LIBXL_DOMID_REUSE_TIMEOUT). */
export const DOMID_REUSE_TIMEOUT_MS = 60_000;
/** The xl monitor sleeps this long between destroy and re-create on restart, ms (xl_vmcontrol.c). */
export const RESTART_DELAY_MS = 2000;
/** Guest console history kept per domain, bytes (like xenconsoled's buffer). */
export const CONSOLE_MAX = 65536;
/** Events kept in the log (older ones are dropped; indices stay absolute). */
export const EVENT_LOG_MAX = 4000;

/** Idle-noise epoch, ms: a running guest's per-vCPU demand is constant within an epoch. */
const EPOCH_MS = 5000;
/** Idle-noise table length (the pattern repeats every EPOCH_MS × TABLE_LEN ms). */
const TABLE_LEN = 64;
/** A fully busy vCPU: ns of CPU per ms of wall time. */
const FULL = 1_000_000;
/** The libxl INVALID_DOMID that xl stores as its domid policy. */
const INVALID_DOMID = 4294967295;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Options of `createDomain`. */
export interface CreateOptions {
  /** Leave the domain paused after building it (`xl create -p`). */
  paused?: boolean;
  /** Whether an xl monitor applies on_* actions (default true; false = `xl create -e`). */
  monitor?: boolean;
}

/** A split-driver device as `xl block-list` / `xl network-list` show it (xl-commands.md §3.7). */
export interface DeviceInfo {
  kind: 'vbd' | 'vif';
  devid: number;
  backendDomid: number;
  /** Frontend domid (block-list "handle" column shows it). */
  frontendDomid: number;
  frontendPath: string;
  backendPath: string;
  /** XenbusState (4 = Connected). */
  state: number;
  /** Guest-side event channel port. */
  evtch: number;
  /** vbd ring-ref, or vif tx-ring-ref. */
  ringRef: number;
  /** vif rx-ring-ref. */
  rxRingRef?: number;
  mac?: string;
  bridge?: string;
  /** Domain-0 network interface for a vif: `vif<domid>.<devid>`. */
  ifname?: string;
  vdev?: string;
  params?: string;
}

/** One end of an event channel (see `EventChannelRecord`). */
export type EventChannelInfo = EventChannelRecord;

type Listener = (event: HostEvent, index: number) => void;

interface ActiveVcpu {
  rec: DomainRecord;
  vcpu: number;
  /** Constant demand (ns/ms) or undefined when it follows the idle table. */
  rate?: number;
  table?: IdleTable;
}

interface IdleTable {
  values: number[];
  /** prefix[k] = Σ_{j<k} values[j] × EPOCH_MS (ns). */
  prefix: number[];
  cycle: number;
  max: number;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * Xenstore device id of a virtual disk name (xl-commands.md §3.7,
 * tools/libs/light/libxl_device.c `libxl__device_disk_dev_number`). Returns undefined
 * for names libxl does not know.
 */
export function vdevToDevid(vdev: string): number | undefined {
  let m = /^xvd([a-z]+)(\d*)$/.exec(vdev);
  if (m) {
    let n = 0;
    for (const ch of m[1]) n = n * 26 + (ch.charCodeAt(0) - 96);
    n -= 1;
    const part = m[2] === '' ? 0 : Number(m[2]);
    if (n < 16 && part < 16) return 202 * 256 + 16 * n + part;
    if (part > 255) return undefined;
    return 2 ** 28 + 256 * n + part;
  }
  m = /^hd([a-z])(\d*)$/.exec(vdev);
  if (m) {
    const n = m[1].charCodeAt(0) - 97;
    const part = m[2] === '' ? 0 : Number(m[2]);
    if (n > 3 || part > 63) return undefined;
    return (n < 2 ? 768 : 5632) + 64 * (n % 2) + part;
  }
  m = /^sd([a-z])(\d*)$/.exec(vdev);
  if (m) {
    const n = m[1].charCodeAt(0) - 97;
    const part = m[2] === '' ? 0 : Number(m[2]);
    if (n > 15 || part > 15) return undefined;
    return 2048 + 16 * n + part;
  }
  if (/^\d+$/.test(vdev)) return Number(vdev);
  return undefined;
}

/** Rebuilds `obj` with `key` inserted right after the last of `before` that is present. */
function insertKey<T extends Record<string, unknown>>(obj: T, key: string, value: unknown, order: string[]): T {
  if (key in obj) return obj;
  const idx = order.indexOf(key);
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const [k, v] of Object.entries(obj)) {
    const ki = order.indexOf(k);
    if (!placed && ki > idx) {
      out[key] = value;
      placed = true;
    }
    out[k] = v;
  }
  if (!placed) out[key] = value;
  return out as T;
}

const C_INFO_ORDER = ['type', 'hap', 'oos', 'ssidref', 'ssid_label', 'name', 'domid', 'uuid', 'xsdata', 'platformdata',
  'poolid', 'pool_name', 'run_hotplug_scripts', 'driver_domain', 'passthrough', 'xend_suspend_evtchn_compat'];
const B_INFO_ORDER = ['max_vcpus', 'avail_vcpus', 'cpumap', 'nodemap', 'vcpu_hard_affinity', 'vcpu_soft_affinity',
  'numa_placement', 'tsc_mode', 'max_memkb', 'target_memkb', 'video_memkb', 'shadow_memkb', 'iommu_memkb',
  'rtc_timeoffset', 'exec_ssidref', 'exec_ssid_label', 'localtime', 'disable_migrate', 'cpuid', 'blkdev_start',
  'vnuma_nodes', 'max_grant_frames', 'max_maptrack_frames', 'max_grant_version', 'device_model_version',
  'device_model_stubdomain', 'stubdomain_memkb', 'stubdomain_kernel', 'stubdomain_ramdisk', 'device_model',
  'device_model_ssidref', 'device_model_ssid_label', 'device_model_user', 'extra', 'extra_pv', 'extra_hvm',
  'sched_params', 'ioports', 'irqs', 'iomem', 'claim_mode', 'event_channels', 'kernel', 'cmdline', 'ramdisk',
  'device_tree', 'acpi', 'bootloader', 'bootloader_args', 'timer_mode', 'nested_hvm', 'apic', 'dm_restrict',
  'tee', 'type.hvm', 'type.pv', 'type.pvh', 'arch_arm', 'arch_x86'];
const NIC_ORDER = ['backend_domid', 'backend_domname', 'devid', 'mtu', 'model', 'mac', 'ip', 'bridge', 'ifname',
  'script', 'nictype', 'rate_bytes_per_interval', 'rate_interval_usecs', 'gatewaydev', 'coloft_forwarddev'];

/** Sets `key` in `obj` (in place when present, else inserted in IDL order); returns the object to keep. */
function setKey<T extends Record<string, unknown>>(obj: T, key: string, value: unknown, order: string[]): T {
  if (key in obj) {
    (obj as Record<string, unknown>)[key] = value;
    return obj;
  }
  return insertKey(obj, key, value, order);
}

/** `YYYYMMDDTHHMMZ` of a virtual time (UTC), as xl's rename-restart suffix. */
function renameSuffix(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}Z`;
}

/** Checks one libxl_device_disk; throws HostError('INVALID_ARGUMENT') naming `what`. */
function parseDisk(d: unknown, what: string): PreparedDisk {
  if (!isObj(d)) throw new HostError('INVALID_ARGUMENT', `${what} is not an object`);
  const vdev = typeof d.vdev === 'string' ? d.vdev : '';
  const devid = vdevToDevid(vdev);
  if (devid === undefined) throw new HostError('INVALID_ARGUMENT', `${what}: invalid virtual device "${vdev}"`);
  return {
    devid,
    vdev,
    params: typeof d.pdev_path === 'string' ? d.pdev_path : '',
    backend: typeof d.backend === 'string' ? d.backend : 'phy',
    readwrite: d.readwrite === 1,
    cdrom: d.is_cdrom === 1,
  };
}

/** A random locally administered Xen MAC, `00:16:3e:xx:xx:xx` (libxl_nic.c). */
function xenMac(v: number): string {
  return `00:16:3e:${[(v >>> 16) & 0x7f, (v >>> 8) & 255, v & 255].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

const CONFIG_ORDER = ['c_info', 'b_info', 'disks', 'nics', 'pcidevs', 'rdms', 'dtdevs', 'vfbs', 'vkbs', 'virtios',
  'vtpms', 'p9s', 'pvcallsifs', 'vdispls', 'vsnds', 'channels', 'usbctrls', 'usbdevs', 'on_poweroff', 'on_reboot',
  'on_watchdog', 'on_crash', 'on_soft_reset'];

/** Everything `createDomain` decided before committing. */
interface Prepared {
  domid: number;
  name: string;
  uuid: string;
  type: DomainType;
  config: DomainConfig;
  rng: number;
  maxVcpus: number;
  online: boolean[];
  memKiB: number;
  targetKiB: number;
  staticMaxKiB: number;
  videoKiB: number;
  overheadKiB: number;
  weight: number;
  cap: number;
  disks: PreparedDisk[];
  nics: PreparedNic[];
}

interface PreparedDisk { devid: number; vdev: string; params: string; backend: string; readwrite: boolean; cdrom: boolean }
interface PreparedNic { devid: number; mac: string; bridge?: string }

/**
 * An emulated Xen host. Create one with `Host.create(clock, seed)` or restore one with
 * `fromSnapshot` (snapshot.ts).
 *
 * Commands (`createDomain`, `pause`, `requestShutdown`, …) act at the host's current
 * virtual time `now()`; call `advanceTo(clock.now())` (or `sync()`) first to let time
 * pass. Each command checks all its preconditions before changing anything and throws
 * `HostError` on failure, leaving the host exactly as it was.
 */
export class Host {
  /** The injected clock (`sync()` advances the host to it). */
  readonly clock: Clock;
  private s: HostState;
  private xs: XenStore;
  private listeners: Listener[] = [];
  private tables = new Map<string, IdleTable>();

  private constructor(clock: Clock, state: HostState, xs: XenStore) {
    this.clock = clock;
    this.s = state;
    this.xs = xs;
  }

  /**
   * Boots a host at `clock.now()` with Domain-0 running (domid 0, uuid all zeros,
   * `seed.dom0Vcpus` vCPUs, `seed.dom0MemoryMiB` MiB, no max-memory limit, the stub
   * config of tools/helpers/init-dom-json.c as xl-commands.md §3.4 shows).
   *
   * Throws `HostError('INVALID_ARGUMENT')` when the seed is inconsistent (non-positive
   * counts, Domain-0 larger than the host).
   */
  static create(clock: Clock, seed?: Partial<HostSeed>): Host {
    const given = Object.fromEntries(Object.entries(isObj(seed) ? seed : {}).filter(([, v]) => v !== undefined));
    const sd: HostSeed = { ...DEFAULT_SEED, ...given };
    const bad = (msg: string): never => {
      throw new HostError('INVALID_ARGUMENT', `invalid host seed: ${msg}`);
    };
    for (const k of ['nrCpus', 'nrNodes', 'coresPerSocket', 'threadsPerCore', 'totalMemoryMiB', 'dom0Vcpus', 'dom0MemoryMiB', 'xenMajor'] as const) {
      if (!isInt(sd[k]) || sd[k] < 1) bad(`${k} must be a positive integer`);
    }
    if (!isInt(sd.xenMinor) || sd.xenMinor < 0) bad('xenMinor must be a non-negative integer');
    if (!isInt(sd.xenReservedMiB) || sd.xenReservedMiB < 0) bad('xenReservedMiB must be a non-negative integer');
    if (typeof sd.cpuMhz !== 'number' || !(sd.cpuMhz > 0)) bad('cpuMhz must be positive');
    if (sd.nrNodes > sd.nrCpus) bad('more NUMA nodes than pCPUs');
    if (sd.dom0MemoryMiB + sd.xenReservedMiB > sd.totalMemoryMiB) bad('Domain-0 does not fit in host memory');
    if (sd.scheduler !== 'credit' && sd.scheduler !== 'credit2') bad('scheduler must be credit or credit2');
    if (typeof sd.hostname !== 'string' || sd.hostname === '') bad('hostname must be a non-empty string');
    if (typeof sd.xenExtra !== 'string') bad('xenExtra must be a string');
    if (!isInt(sd.rngSeed)) bad('rngSeed must be an integer');
    sd.rngSeed = sd.rngSeed >>> 0;
    const now = Math.floor(clock.now());
    if (!Number.isFinite(now)) bad('clock time is not a finite number');
    const dom0Kib = sd.dom0MemoryMiB * 1024;
    const dom0Config: DomainConfig = {
      c_info: { type: 'pv', name: 'Domain-0' },
      b_info: {
        max_memkb: 17179869180,
        target_memkb: dom0Kib,
        sched_params: { sched: sd.scheduler, weight: 256, cap: 0 },
        'type.pv': {},
        arch_arm: {},
        arch_x86: {},
      },
    };
    const dom0: DomainRecord = {
      domid: 0,
      name: 'Domain-0',
      uuid: '00000000-0000-0000-0000-000000000000',
      type: 'pv',
      config: dom0Config,
      os: 'linux',
      createdAt: now,
      pauseCount: 0,
      phase: 'running',
      runMs: 0,
      bootPlan: [],
      bootIndex: 0,
      monitor: false,
      online: Array.from({ length: sd.dom0Vcpus }, () => true),
      vcpuTimeNs: Array.from({ length: sd.dom0Vcpus }, () => 0),
      memKiB: dom0Kib,
      targetKiB: dom0Kib,
      videoKiB: 0,
      overheadKiB: 0,
      weight: 256,
      cap: 0,
      devices: [],
      nextPort: 16,
      nextGrant: 8,
      hypercallBase: 0,
      console: '',
    };
    const state: HostState = {
      seed: sd,
      bootTime: now,
      now,
      rng: sd.rngSeed,
      lastDomid: 0,
      recentlyDestroyed: [],
      nextPty: 1,
      domains: [dom0],
      pendingRestarts: [],
      events: [],
      eventBase: 0,
      evtchns: [],
      xenstore: {},
      conring: conringAppend('', xenBootLog(sd)),
    };
    const xs = new XenStore();
    xs.write('/local/domain/0/name', 'Domain-0');
    xs.write('/local/domain/0/domid', '0');
    xs.write('/local/domain/0/memory/target', String(dom0Kib));
    for (let i = 0; i < sd.dom0Vcpus; i++) xs.write(`/local/domain/0/cpu/${i}/availability`, 'online');
    xs.write('/local/domain/0/backend', '');
    xs.write('/tool/xenstored', '');
    return new Host(clock, state, xs);
  }

  /**
   * Restores a host from a state produced by `toState()`. The caller (snapshot.ts)
   * has validated the shape. Throws `HostError('INVALID_ARGUMENT')` on a bad xenstore.
   */
  static fromState(state: HostState, clock: Clock): Host {
    const copy = structuredClone(state);
    const xs = XenStore.fromJSON(copy.xenstore);
    if (!xs) throw new HostError('INVALID_ARGUMENT', 'invalid snapshot: bad xenstore tree');
    copy.xenstore = {};
    if (typeof copy.conring !== 'string') copy.conring = conringAppend('', xenBootLog(copy.seed));
    return new Host(clock, copy, xs);
  }

  /** A deep copy of the host's state as plain JSON data (snapshot.ts wraps it with a version). */
  toState(): HostState {
    const copy = structuredClone(this.s);
    copy.xenstore = this.xs.toJSON();
    return copy;
  }

  // ---------------------------------------------------------------- queries

  /** The host's current virtual time, ms since the Unix epoch. */
  now(): number {
    return this.s.now;
  }

  /** Physical facts and free memory (`xl info`, xl-commands.md §3.5). Memory in MiB. */
  info(): HostInfo {
    const sd = this.s.seed;
    return {
      hostname: sd.hostname,
      nrCpus: sd.nrCpus,
      nrNodes: sd.nrNodes,
      coresPerSocket: sd.coresPerSocket,
      threadsPerCore: sd.threadsPerCore,
      cpuMhz: sd.cpuMhz,
      totalMemoryMiB: sd.totalMemoryMiB,
      freeMemoryMiB: Math.floor(this.freeKiB() / 1024),
      xenMajor: sd.xenMajor,
      xenMinor: sd.xenMinor,
      xenExtra: sd.xenExtra,
      scheduler: sd.scheduler,
    };
  }

  /** What xl asks before parsing (`libxl_get_physinfo`): pCPUs, NUMA nodes, arch x86. */
  facts(): HostFacts {
    return { nrCpus: this.s.seed.nrCpus, nrNodes: this.s.seed.nrNodes, arch: 'x86' };
  }

  /** Free host memory, KiB (total − Xen's reserve − every domain's allocation and overhead). */
  freeKiB(): number {
    let used = this.s.seed.xenReservedMiB * 1024;
    for (const d of this.s.domains) used += d.memKiB + d.overheadKiB;
    return this.s.seed.totalMemoryMiB * 1024 - used;
  }

  /** Every domain, ascending domid (Domain-0 first), as read-only copies. */
  listDomains(): DomainInfo[] {
    const assign = this.assignPcpus();
    return this.s.domains.map((d) => this.describe(d, assign));
  }

  /** One domain, or undefined when no domain has that domid. */
  domain(domid: number): DomainInfo | undefined {
    const rec = this.find(domid);
    return rec ? this.describe(rec, this.assignPcpus()) : undefined;
  }

  /** domid of the domain with exactly this name, or undefined (xl-commands.md §5.5). */
  domidByName(name: string): number | undefined {
    return this.s.domains.find((d) => d.name === name)?.domid;
  }

  /**
   * The event log from absolute index `sinceIndex` (default 0) on. Events older than the
   * last `EVENT_LOG_MAX` are dropped; `eventCount()` is the index the next event gets.
   */
  events(sinceIndex = 0): HostEvent[] {
    const from = Math.max(0, Math.floor(Number.isFinite(sinceIndex) ? sinceIndex : 0) - this.s.eventBase);
    return structuredClone(this.s.events.slice(from));
  }

  /** Absolute index the next event will get (= number of events ever emitted). */
  eventCount(): number {
    return this.s.eventBase + this.s.events.length;
  }

  /**
   * Calls `listener(event, index)` for every event emitted from now on; returns a
   * function that unsubscribes. Exceptions thrown by a listener are swallowed.
   */
  onEvent(listener: (event: HostEvent, index: number) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /**
   * The hypervisor console ring as `xl dmesg` prints it (XEN_SYSCTL_readconsole,
   * xen/drivers/char/console.c): the Xen boot log and anything the hypervisor printed
   * since, at most CONRING_SIZE (16 KiB) bytes — older text has fallen off the front.
   */
  dmesg(): string {
    return this.s.conring ?? '';
  }

  /** Empties the hypervisor console ring (`xl dmesg -c`, XEN_SYSCTL_readconsole with clear). */
  clearDmesg(): void {
    this.s.conring = '';
  }

  /** Guest console output produced so far (at most the last CONSOLE_MAX bytes); '' for unknown domains. */
  consoleLog(domid: number): string {
    return this.find(domid)?.console ?? '';
  }

  /** The domain's split-driver devices (vbds then vifs, in config order); [] for unknown domains. */
  devices(domid: number): DeviceInfo[] {
    const rec = this.find(domid);
    if (!rec) return [];
    return rec.devices.map((d) => {
      const info: DeviceInfo = {
        kind: d.kind,
        devid: d.devid,
        backendDomid: d.backendDomid,
        frontendDomid: rec.domid,
        frontendPath: d.frontendPath,
        backendPath: d.backendPath,
        state: d.state,
        evtch: d.evtch,
        ringRef: d.ringRef,
      };
      for (const k of ['rxRingRef', 'mac', 'bridge', 'ifname', 'vdev', 'params'] as const) {
        if (d[k] !== undefined) (info as unknown as Record<string, unknown>)[k] = d[k];
      }
      return info;
    });
  }

  /** Event channel ends owned by `domid` (all of them when omitted), by domid then port. */
  eventChannels(domid?: number): EventChannelInfo[] {
    return structuredClone(this.s.evtchns.filter((e) => domid === undefined || e.domid === domid));
  }

  /** Hypercalls the domain has made so far (build + a count that grows with its CPU time). */
  hypercalls(domid: number): number | undefined {
    const rec = this.find(domid);
    if (!rec) return undefined;
    return rec.hypercallBase + Math.floor(this.cpuNs(rec) / 20_000);
  }

  /** Read a xenstore node (e.g. `/local/domain/3/name`); undefined when absent. */
  xenstoreRead(path: string): string | undefined {
    return this.xs.read(path);
  }

  /** Children of a xenstore directory, sorted; [] when absent. */
  xenstoreList(path: string): string[] {
    return this.xs.list(path);
  }

  /**
   * Virtual ms at which the guest will acknowledge its pending shutdown request, or
   * undefined when there is none or the domain is paused (it answers only once unpaused).
   */
  shutdownAckTime(domid: number): number | undefined {
    const rec = this.find(domid);
    if (!rec || !rec.shutdownRequest || rec.pauseCount > 0 || rec.phase === 'shutdown') return undefined;
    return this.s.now + Math.max(0, rec.shutdownRequest.ackRunMs - rec.runMs);
  }

  /**
   * Virtual ms of the next thing that will happen on its own (a boot log line, a
   * shutdown acknowledgement, a monitor restart), or undefined when nothing is pending.
   * CPU time accrual alone is not an event.
   */
  nextEventTime(): number | undefined {
    let best: number | undefined;
    const consider = (t: number): void => {
      if (best === undefined || t < best) best = t;
    };
    for (const d of this.s.domains) {
      const r = this.nextRunEvent(d);
      if (r !== undefined) consider(this.s.now + Math.max(0, r - d.runMs));
    }
    for (const p of this.s.pendingRestarts) consider(Math.max(p.at, this.s.now));
    return best;
  }

  // ---------------------------------------------------------------- time

  /** Advances the host to the clock's current time (`advanceTo(clock.now())`). */
  sync(): void {
    this.advanceTo(this.clock.now());
  }

  /**
   * Runs everything that falls due up to virtual time `ms` (fractions dropped), in time
   * order: boot log lines, CPU time accrual (analytic per interval, so days cost no
   * more than seconds), shutdown acknowledgements, on_* actions and restarts. A time at
   * or before `now()` does nothing. Never throws.
   */
  advanceTo(ms: number): void {
    if (!Number.isFinite(ms)) return;
    const target = Math.floor(ms);
    for (let guard = 0; guard < 1_000_000; guard++) {
      const next = this.nextEventTime();
      if (next !== undefined && next <= target) {
        this.accrue(this.s.now, next);
        this.s.now = Math.max(this.s.now, next);
        this.processDue();
      } else {
        break;
      }
    }
    if (target > this.s.now) {
      this.accrue(this.s.now, target);
      this.s.now = target;
    }
  }

  // ---------------------------------------------------------------- commands

  /**
   * Builds and (unless `opts.paused`) starts a domain from a libxl-shaped config
   * (xl-commands.md §5.1). Returns the new domid.
   *
   * - domid: the next free id after the last one handed out, wrapping from 32751 to 1,
   *   skipping ids in use or destroyed less than 60 s ago (§5.2); `c_info.domid` in
   *   1…32751 requests that exact id.
   * - memory: needs free ≥ target + shadow + 1 MiB (PV) / 2 MiB (HVM, PVH), rounded up to
   *   2 MiB (§5.1); the domain then holds `memory=` (PV) or about 1 MiB less (HVM), and
   *   Xen's max is target + 1024 KiB (§5.4).
   * - uuid: `c_info.uuid`, else generated from the host's PRNG; missing nic MACs
   *   (00:16:3e:xx:xx:xx) and devids are generated and written into the stored config.
   *
   * Throws `HostError`: NAME_EXISTS (name taken), OUT_OF_MEMORY, INVALID_ARGUMENT (bad
   * config: type, name, vCPUs, memory, vdev), INVALID_STATE (requested domid in use, no
   * free domid). Unlike real xl a failed create does not consume a domid.
   */
  createDomain(config: DomainConfig, opts?: CreateOptions): number {
    let p: Prepared;
    try {
      p = this.prepare(config);
    } catch (e) {
      if (e instanceof HostError) throw e;
      throw new HostError('INVALID_ARGUMENT', `invalid domain config: ${e instanceof Error ? e.message : String(e)}`);
    }
    const rec = this.commit(p, opts?.paused === true, opts?.monitor !== false);
    this.processDue();
    return rec.domid;
  }

  /**
   * Pauses a domain (`xl pause`; Xen's pause count nests, up to 255).
   * Throws NO_SUCH_DOMAIN, DOMAIN_0 (Xen refuses to pause the control domain),
   * INVALID_STATE (pause count at 255).
   */
  pause(domid: number): void {
    const rec = this.guest(domid, 'pause');
    if (rec.pauseCount >= 255) throw new HostError('INVALID_STATE', `domain ${domid} pause count overflow`, domid);
    rec.pauseCount++;
    this.emit({ kind: 'paused', at: this.s.now, domid });
  }

  /**
   * Undoes one `pause` (`xl unpause`); the domain runs again when the count reaches 0.
   * Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE (not paused).
   */
  unpause(domid: number): void {
    const rec = this.guest(domid, 'unpause');
    if (rec.pauseCount === 0) throw new HostError('INVALID_STATE', `domain ${domid} is not paused`, domid);
    rec.pauseCount--;
    this.emit({ kind: 'unpaused', at: this.s.now, domid });
    this.processDue();
  }

  /**
   * Asks the guest to shut down (`xl shutdown` / `xl reboot`): writes `poweroff` or
   * `reboot` to `/local/domain/<domid>/control/shutdown`. The guest answers after a delay
   * (`shutdownAckTime`): once booted, plus its own shutdown time; a paused guest answers
   * only once unpaused. It then shuts down with that reason and, if it has a monitor, the
   * config's on_poweroff / on_reboot action runs (xl-commands.md §5.3). A second request
   * replaces the reason but keeps the original answer time.
   *
   * Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE (already shut down),
   * INVALID_ARGUMENT (reason not poweroff/reboot).
   */
  requestShutdown(domid: number, reason: 'poweroff' | 'reboot'): void {
    const rec = this.guest(domid, 'shut down');
    if (reason !== 'poweroff' && reason !== 'reboot') {
      throw new HostError('INVALID_ARGUMENT', `unknown shutdown reason ${String(reason)}`, domid);
    }
    if (rec.phase === 'shutdown') throw new HostError('INVALID_STATE', `domain ${domid} is already shut down`, domid);
    if (rec.shutdownRequest) {
      rec.shutdownRequest.reason = reason;
    } else {
      const bootEnd = rec.phase === 'booting' && rec.bootPlan.length ? rec.bootPlan[rec.bootPlan.length - 1].atMs : rec.runMs;
      const ackRunMs = Math.max(rec.runMs, bootEnd) + shutdownDelayMs(rec.os, rec.uuid);
      rec.shutdownRequest = { reason, ackRunMs };
    }
    this.xs.write(`/local/domain/${domid}/control/shutdown`, reason);
  }

  /**
   * Destroys a domain at once (`xl destroy`): no guest involvement, no on_* action. Its
   * memory returns to the free pool, its backends, event channels and xenstore nodes go.
   * Throws NO_SUCH_DOMAIN, DOMAIN_0.
   */
  destroy(domid: number): void {
    const rec = this.guest(domid, 'destroy');
    this.teardown(rec);
  }

  /**
   * Sets how many vCPUs are online (`xl vcpu-set`): ids 0…count−1 online, the rest offline.
   * Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT (count not in 1…max vCPUs),
   * INVALID_STATE (domain shut down).
   */
  setVcpus(domid: number, count: number): void {
    const rec = this.must(domid);
    if (!isInt(count) || count < 1 || count > rec.online.length) {
      throw new HostError('INVALID_ARGUMENT', `vCPU count must be between 1 and ${rec.online.length}`, domid);
    }
    if (rec.phase === 'shutdown') throw new HostError('INVALID_STATE', `domain ${domid} is shut down`, domid);
    rec.online = rec.online.map((_, i) => i < count);
    if (rec.domid !== 0) {
      rec.config.b_info = setKey(rec.config.b_info, 'avail_vcpus', rec.online.map((_, i) => i).filter((i) => rec.online[i]), B_INFO_ORDER);
    }
    rec.online.forEach((on, i) => this.xs.write(`/local/domain/${domid}/cpu/${i}/availability`, on ? 'online' : 'offline'));
  }

  /**
   * Sets the balloon target (`xl mem-set`), KiB. The guest's balloon driver reaches it at
   * once; Xen's max becomes target + video RAM + 1024 KiB (xl-commands.md §5.4).
   * Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT (not a positive integer, above
   * memory/static-max), INVALID_STATE (shut down), OUT_OF_MEMORY (growth exceeds free).
   */
  setMemoryTarget(domid: number, kib: number): void {
    const rec = this.must(domid);
    if (!isInt(kib) || kib <= 0) throw new HostError('INVALID_ARGUMENT', `invalid memory target ${String(kib)} KiB`, domid);
    if (rec.phase === 'shutdown') throw new HostError('INVALID_STATE', `domain ${domid} is shut down`, domid);
    if (rec.staticMaxKiB !== undefined && kib > rec.staticMaxKiB) {
      throw new HostError('INVALID_ARGUMENT', `memory target ${kib} KiB exceeds memory/static-max ${rec.staticMaxKiB} KiB`, domid);
    }
    const newMem = this.allocFor(rec.type, kib, rec.domid === 0);
    if (newMem - rec.memKiB > this.freeKiB()) {
      throw new HostError('OUT_OF_MEMORY', `not enough free memory to grow domain ${domid} to ${kib} KiB`, domid);
    }
    rec.targetKiB = kib;
    rec.memKiB = newMem;
    if (rec.domid !== 0) rec.maxMemKiB = kib + rec.videoKiB + 1024;
    rec.config.b_info = setKey(rec.config.b_info, 'target_memkb', kib, B_INFO_ORDER);
    this.xs.write(`/local/domain/${domid}/memory/target`, String(kib - rec.videoKiB));
  }

  /**
   * Sets the maximum memory (`xl mem-max`), KiB: memory/static-max = kib and Xen's max =
   * kib + 1024 KiB (xl-commands.md §5.4). Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT (not a
   * positive integer, or below the current target).
   */
  setMaxMemory(domid: number, kib: number): void {
    const rec = this.must(domid);
    if (!isInt(kib) || kib <= 0) throw new HostError('INVALID_ARGUMENT', `invalid maximum memory ${String(kib)} KiB`, domid);
    if (kib < rec.targetKiB) {
      throw new HostError('INVALID_ARGUMENT', `maximum memory ${kib} KiB is below the current target ${rec.targetKiB} KiB`, domid);
    }
    rec.staticMaxKiB = kib;
    rec.maxMemKiB = kib + 1024;
    if (rec.domid !== 0) rec.config.b_info = setKey(rec.config.b_info, 'max_memkb', kib, B_INFO_ORDER);
    this.xs.write(`/local/domain/${domid}/memory/static-max`, String(kib));
  }

  /**
   * Renames a domain (`xl rename`; names are unique, xl-commands.md §5.5). Renaming to the
   * current name is a no-op. Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT (empty name),
   * NAME_EXISTS.
   */
  rename(domid: number, name: string): void {
    const rec = this.must(domid);
    if (typeof name !== 'string' || name === '') throw new HostError('INVALID_ARGUMENT', 'domain name must not be empty', domid);
    if (name === rec.name) return;
    if (this.domidByName(name) !== undefined) throw new HostError('NAME_EXISTS', `domain name ${name} is already in use`, domid);
    this.applyRename(rec, name);
  }

  /**
   * The domain's scheduler parameters (`xl sched-credit2 -d`, xl-commands.md §3.9):
   * weight 1…65535 (default 256) and cap in % of one pCPU (0 = uncapped); undefined for
   * unknown domains.
   */
  schedParams(domid: number): { weight: number; cap: number } | undefined {
    const rec = this.find(domid);
    return rec ? { weight: rec.weight, cap: rec.cap } : undefined;
  }

  /**
   * Changes weight and/or cap (`xl sched-credit2 -d dom -w W -c C`); takes effect for CPU
   * time accrued from now on. Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT (weight not in
   * 1…65535, cap not in 0…100 × max vCPUs).
   */
  setSchedParams(domid: number, params: { weight?: number; cap?: number }): void {
    const rec = this.must(domid);
    const { weight, cap } = isObj(params) ? params : ({} as { weight?: number; cap?: number });
    if (weight !== undefined && (!isInt(weight) || weight < 1 || weight > 65535)) {
      throw new HostError('INVALID_ARGUMENT', `weight must be between 1 and 65535, got ${String(weight)}`, domid);
    }
    if (cap !== undefined && (!isInt(cap) || cap < 0 || cap > 100 * rec.online.length)) {
      throw new HostError('INVALID_ARGUMENT', `cap must be between 0 and ${100 * rec.online.length}, got ${String(cap)}`, domid);
    }
    if (weight !== undefined) rec.weight = weight;
    if (cap !== undefined) rec.cap = cap;
  }

  /**
   * Makes the guest crash now (as a kernel panic would: SCHEDOP_shutdown with reason
   * crash, xl list `---sc-`); the monitor then runs `on_crash` (default destroy,
   * xl-commands.md §5.3). Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE (already shut down).
   */
  crash(domid: number): void {
    const rec = this.guest(domid, 'crash');
    if (rec.phase === 'shutdown') throw new HostError('INVALID_STATE', `domain ${domid} is already shut down`, domid);
    this.guestShutdown(rec, 'crash');
    this.processDue();
  }

  /**
   * Hot-plugs a virtual disk (`xl block-attach`): a vbd backend in Domain-0, a frontend in
   * the guest, an event channel; the disk is appended to the stored config. Returns the
   * vbd devid (xvdb = 51728). Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE (shut down),
   * INVALID_ARGUMENT (bad vdev, or that device already exists).
   */
  attachDisk(domid: number, disk: DeviceDisk): number {
    const rec = this.guest(domid, 'attach a disk to');
    if (rec.phase === 'shutdown') throw new HostError('INVALID_STATE', `domain ${domid} is shut down`, domid);
    const pd = parseDisk(disk, 'disk');
    if (rec.devices.some((d) => d.kind === 'vbd' && d.devid === pd.devid)) {
      throw new HostError('INVALID_ARGUMENT', `virtual device ${pd.vdev} already exists in domain ${domid}`, domid);
    }
    let stored: DeviceDisk;
    try {
      stored = structuredClone(disk);
    } catch {
      throw new HostError('INVALID_ARGUMENT', 'disk is not plain data', domid);
    }
    this.plugVbd(rec, pd);
    rec.config = setKey(rec.config, 'disks', [...(rec.config.disks ?? []), stored], CONFIG_ORDER);
    if (rec.os === 'linux' && rec.phase === 'running') {
      this.appendConsole(rec, `${printkStamp(rec.runMs * 1000)} blkfront: ${pd.vdev}: flush diskcache: enabled; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled\r\n`);
    }
    return pd.devid;
  }

  /**
   * Hot-unplugs a vbd by devid (`xl block-detach`): removes frontend, backend, event
   * channel and the config entry. Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_ARGUMENT (no such device).
   */
  detachDisk(domid: number, devid: number): void {
    const rec = this.guest(domid, 'detach a disk from');
    const dev = rec.devices.find((d) => d.kind === 'vbd' && d.devid === devid);
    if (!dev) throw new HostError('INVALID_ARGUMENT', `domain ${domid} has no vbd ${String(devid)}`, domid);
    this.unplug(rec, dev);
    const rest = (rec.config.disks ?? []).filter((d) => d.vdev !== dev.vdev);
    if (rest.length) rec.config.disks = rest;
    else delete rec.config.disks;
  }

  /**
   * Hot-plugs a network interface (`xl network-attach`): devid = `nic.devid` or the next
   * free one, MAC = `nic.mac` or a generated 00:16:3e:xx:xx:xx; the backend interface is
   * `vif<domid>.<devid>` in Domain-0. Returns the devid. Throws NO_SUCH_DOMAIN, DOMAIN_0,
   * INVALID_STATE (shut down), INVALID_ARGUMENT (bad MAC, devid in use).
   */
  attachNic(domid: number, nic: DeviceNic): number {
    const rec = this.guest(domid, 'attach a nic to');
    if (rec.phase === 'shutdown') throw new HostError('INVALID_STATE', `domain ${domid} is shut down`, domid);
    if (!isObj(nic)) throw new HostError('INVALID_ARGUMENT', 'nic is not an object', domid);
    const used = rec.devices.filter((d) => d.kind === 'vif').map((d) => d.devid);
    const devid = isInt(nic.devid) && nic.devid >= 0 ? nic.devid : used.length ? Math.max(...used) + 1 : 0;
    if (used.includes(devid)) throw new HostError('INVALID_ARGUMENT', `domain ${domid} already has vif ${devid}`, domid);
    let mac = typeof nic.mac === 'string' ? nic.mac.toLowerCase() : '';
    if (mac !== '' && !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) {
      throw new HostError('INVALID_ARGUMENT', `invalid MAC address ${String(nic.mac)}`, domid);
    }
    let stored: DeviceNic;
    try {
      stored = structuredClone(nic);
    } catch {
      throw new HostError('INVALID_ARGUMENT', 'nic is not plain data', domid);
    }
    if (mac === '') {
      const r = mulberry32(this.s.rng);
      this.s.rng = r.state;
      mac = xenMac(r.value);
    }
    stored = insertKey(insertKey(stored, 'devid', devid, NIC_ORDER), 'mac', mac, NIC_ORDER);
    this.plugVif(rec, { devid, mac, bridge: typeof nic.bridge === 'string' ? nic.bridge : undefined });
    rec.config = setKey(rec.config, 'nics', [...(rec.config.nics ?? []), stored], CONFIG_ORDER);
    return devid;
  }

  /**
   * Hot-unplugs a vif by devid (`xl network-detach`). Throws NO_SUCH_DOMAIN, DOMAIN_0,
   * INVALID_ARGUMENT (no such device).
   */
  detachNic(domid: number, devid: number): void {
    const rec = this.guest(domid, 'detach a nic from');
    const dev = rec.devices.find((d) => d.kind === 'vif' && d.devid === devid);
    if (!dev) throw new HostError('INVALID_ARGUMENT', `domain ${domid} has no vif ${String(devid)}`, domid);
    this.unplug(rec, dev);
    const rest = (rec.config.nics ?? []).filter((n) => n.devid !== devid);
    if (rest.length) rec.config.nics = rest;
    else delete rec.config.nics;
  }

  // ---------------------------------------------------------------- internals: lookup

  private find(domid: number): DomainRecord | undefined {
    return this.s.domains.find((d) => d.domid === domid);
  }

  private must(domid: number): DomainRecord {
    const rec = isInt(domid) ? this.find(domid) : undefined;
    if (!rec) throw new HostError('NO_SUCH_DOMAIN', `no domain with domid ${String(domid)}`, isInt(domid) ? domid : undefined);
    return rec;
  }

  private guest(domid: number, what: string): DomainRecord {
    const rec = this.must(domid);
    if (rec.domid === 0) throw new HostError('DOMAIN_0', `cannot ${what} Domain-0`, 0);
    return rec;
  }

  private emit(e: HostEvent): void {
    this.s.events.push(e);
    if (this.s.events.length > EVENT_LOG_MAX) {
      const drop = this.s.events.length - EVENT_LOG_MAX;
      this.s.events.splice(0, drop);
      this.s.eventBase += drop;
    }
    const index = this.eventCount() - 1;
    for (const l of [...this.listeners]) {
      try {
        l(structuredClone(e), index);
      } catch {
        // a listener's failure is its own business
      }
    }
  }

  private appendConsole(rec: DomainRecord, text: string): void {
    if (text === '') return;
    rec.console += text;
    if (rec.console.length > CONSOLE_MAX) rec.console = rec.console.slice(rec.console.length - CONSOLE_MAX);
    this.emit({ kind: 'console', at: this.s.now, domid: rec.domid, text });
  }

  private nextRunEvent(d: DomainRecord): number | undefined {
    if (d.domid === 0 || d.pauseCount > 0 || d.phase === 'shutdown') return undefined;
    let r: number | undefined;
    if (d.phase === 'booting' && d.bootIndex < d.bootPlan.length) r = d.bootPlan[d.bootIndex].atMs;
    if (d.shutdownRequest && (r === undefined || d.shutdownRequest.ackRunMs < r)) r = d.shutdownRequest.ackRunMs;
    return r;
  }

  // ---------------------------------------------------------------- internals: memory

  /** tot_pages (KiB) a domain holds for a balloon target: PV/PVH exactly, HVM 1 MiB less (§3.1). */
  private allocFor(type: DomainType, targetKiB: number, dom0: boolean): number {
    if (dom0 || type !== 'hvm') return targetKiB;
    return Math.max(0, targetKiB - 1024);
  }

  // ---------------------------------------------------------------- internals: create

  private prepare(config: DomainConfig): Prepared {
    const bad = (msg: string): never => {
      throw new HostError('INVALID_ARGUMENT', msg);
    };
    if (!isObj(config) || !isObj(config.c_info) || !isObj(config.b_info)) bad('config must have c_info and b_info objects');
    const c = config.c_info;
    const b = config.b_info;
    if (c.type !== 'pv' && c.type !== 'hvm' && c.type !== 'pvh') bad('domain type must be pv, pvh or hvm');
    const type = c.type;
    if (typeof c.name !== 'string' || c.name === '') bad('domain name must be a non-empty string');
    const name = c.name as string;
    if (this.domidByName(name) !== undefined) {
      throw new HostError('NAME_EXISTS', `domain name ${name} is already in use`, this.domidByName(name));
    }
    if (c.uuid !== undefined && (typeof c.uuid !== 'string' || !UUID_RE.test(c.uuid))) bad('c_info.uuid is not a UUID');
    const maxVcpus = b.max_vcpus === undefined ? 1 : b.max_vcpus;
    if (!isInt(maxVcpus) || maxVcpus < 1 || maxVcpus > 512) bad('max_vcpus must be an integer between 1 and 512');
    let online: boolean[];
    if (b.avail_vcpus === undefined) {
      online = Array.from({ length: maxVcpus }, () => true);
    } else {
      if (!Array.isArray(b.avail_vcpus) || !b.avail_vcpus.every((v) => isInt(v) && v >= 0 && v < maxVcpus)) {
        bad('avail_vcpus must list vCPU ids below max_vcpus');
      }
      online = Array.from({ length: maxVcpus }, (_, i) => (b.avail_vcpus as number[]).includes(i));
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
    if (b.cmdline !== undefined && typeof b.cmdline !== 'string') bad('cmdline must be a string');
    // memory fit (§5.1 "required memory")
    const extra = type === 'pv' ? 1024 : 2048;
    const required = Math.ceil((target + shadow + extra) / 2048) * 2048;
    const memKiB = this.allocFor(type, target, false);
    if (required > this.freeKiB()) {
      throw new HostError('OUT_OF_MEMORY',
        `not enough free memory: domain needs ${required} KiB, host has ${this.freeKiB()} KiB free`);
    }

    // devices
    const disks: Prepared['disks'] = [];
    const seen = new Set<number>();
    for (const [i, d] of (config.disks ?? []).entries()) {
      const pd = parseDisk(d, `disk ${i}`);
      if (seen.has(pd.devid)) bad(`disk ${i}: virtual device ${pd.vdev} is used twice`);
      seen.add(pd.devid);
      disks.push(pd);
    }
    let rng = this.s.rng;
    const rand = (): number => {
      const r = mulberry32(rng);
      rng = r.state;
      return r.value;
    };
    let uuid = typeof c.uuid === 'string' ? c.uuid.toLowerCase() : '';
    if (uuid === '') {
      const bytes: number[] = [];
      for (let i = 0; i < 4; i++) {
        const v = rand();
        bytes.push(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
      }
      bytes[6] = (bytes[6] & 0x0f) | 0x40;
      bytes[8] = (bytes[8] & 0x3f) | 0x80;
      const hex = bytes.map((x) => x.toString(16).padStart(2, '0')).join('');
      uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    const nics: Prepared['nics'] = [];
    const nicIds = new Set<number>();
    const storedNics = [];
    for (const [i, n] of (config.nics ?? []).entries()) {
      if (!isObj(n)) bad(`nic ${i} is not an object`);
      let devid = isInt(n.devid) && n.devid >= 0 ? n.devid : i;
      while (!isInt(n.devid) && nicIds.has(devid)) devid++;
      if (nicIds.has(devid)) bad(`nic ${i}: devid ${devid} is used twice`);
      nicIds.add(devid);
      let mac = typeof n.mac === 'string' ? n.mac.toLowerCase() : '';
      if (mac !== '' && !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) bad(`nic ${i}: invalid MAC address ${String(n.mac)}`);
      if (mac === '') mac = xenMac(rand());
      nics.push({ devid, mac, bridge: typeof n.bridge === 'string' ? n.bridge : undefined });
      let stored = insertKey({ ...n }, 'devid', devid, NIC_ORDER);
      stored = insertKey(stored, 'mac', mac, NIC_ORDER);
      storedNics.push(stored);
    }

    // domid (§5.2)
    let domid: number;
    const inUse = (id: number): boolean => this.s.domains.some((d) => d.domid === id);
    if (isInt(c.domid) && c.domid >= 1 && c.domid <= MAX_DOMID) {
      if (inUse(c.domid)) throw new HostError('INVALID_STATE', `domid ${c.domid} is already in use`, c.domid);
      domid = c.domid;
    } else {
      const recent = new Map(this.s.recentlyDestroyed);
      let cand = this.s.lastDomid;
      let found = -1;
      for (let n = 0; n < MAX_DOMID; n++) {
        cand = cand >= MAX_DOMID ? 1 : cand + 1;
        const gone = recent.get(cand);
        if (inUse(cand) || (gone !== undefined && this.s.now - gone < DOMID_REUSE_TIMEOUT_MS)) continue;
        found = cand;
        break;
      }
      if (found < 0) throw new HostError('INVALID_STATE', 'no free domid');
      domid = found;
    }

    const stored = structuredClone(config) as DomainConfig;
    stored.c_info = insertKey(stored.c_info, 'uuid', uuid, C_INFO_ORDER);
    if (storedNics.length) stored.nics = storedNics as DomainConfig['nics'];
    return {
      domid, name, uuid, type, config: stored, rng, maxVcpus, online, memKiB, targetKiB: target,
      staticMaxKiB: staticMax, videoKiB: video, overheadKiB: required - memKiB, weight, cap, disks, nics,
    };
  }

  private newPort(rec: DomainRecord): number {
    return rec.nextPort++;
  }

  private bind(a: DomainRecord, b: DomainRecord, purpose: string): [number, number] {
    const pa = this.newPort(a);
    const pb = this.newPort(b);
    this.s.evtchns.push({ domid: a.domid, port: pa, remoteDomid: b.domid, remotePort: pb, purpose });
    this.s.evtchns.push({ domid: b.domid, port: pb, remoteDomid: a.domid, remotePort: pa, purpose });
    this.s.evtchns.sort((x, y) => x.domid - y.domid || x.port - y.port);
    return [pa, pb];
  }

  private commit(p: Prepared, paused: boolean, monitor: boolean, createdAt = this.s.now): DomainRecord {
    this.s.rng = p.rng;
    this.s.lastDomid = p.domid;
    this.s.recentlyDestroyed = this.s.recentlyDestroyed.filter(([id, at]) => id !== p.domid && this.s.now - at < DOMID_REUSE_TIMEOUT_MS);
    const dom0 = this.s.domains[0];
    const os = guestOs(p.config);
    const rec: DomainRecord = {
      domid: p.domid,
      name: p.name,
      uuid: p.uuid,
      type: p.type,
      config: p.config,
      os,
      createdAt,
      pauseCount: paused ? 1 : 0,
      phase: 'booting',
      runMs: 0,
      bootPlan: bootPlan(p.config, {
        name: p.name, uuid: p.uuid, memKiB: p.memKiB, vcpus: p.online.filter((o) => o).length, nics: p.nics.length,
        xenVersion: this.xenVersion(),
      }),
      bootIndex: 0,
      monitor,
      online: p.online,
      vcpuTimeNs: p.online.map(() => 0),
      memKiB: p.memKiB,
      targetKiB: p.targetKiB,
      maxMemKiB: p.targetKiB + 1024,
      staticMaxKiB: p.staticMaxKiB,
      videoKiB: p.videoKiB,
      overheadKiB: p.overheadKiB,
      weight: p.weight,
      cap: p.cap,
      devices: [],
      nextPort: 1,
      nextGrant: 8,
      hypercallBase: 0,
      console: '',
    };
    if (p.type === 'hvm') rec.deviceModel = 'qemu-xen';
    const id = p.domid;
    const base = `/local/domain/${id}`;
    const xs = this.xs;
    xs.write(`${base}/name`, p.name);
    xs.write(`${base}/domid`, String(id));
    xs.write(`${base}/vm`, `/vm/${p.uuid}`);
    xs.write(`${base}/memory/static-max`, String(p.staticMaxKiB));
    xs.write(`${base}/memory/target`, String(p.targetKiB - p.videoKiB));
    if (p.type === 'hvm') xs.write(`${base}/memory/videoram`, String(p.videoKiB));
    p.online.forEach((on, i) => xs.write(`${base}/cpu/${i}/availability`, on ? 'online' : 'offline'));
    xs.write(`${base}/control/platform-feature-multiprocessor-suspend`, '1');
    xs.write(`${base}/control/feature-poweroff`, '1');
    xs.write(`${base}/control/feature-reboot`, '1');
    // xenstore and console rings: event channels to Domain-0 (xenstored, xenconsoled)
    const [storePort] = this.bind(rec, dom0, 'xenstore');
    xs.write(`${base}/store/port`, String(storePort));
    xs.write(`${base}/store/ring-ref`, String(0xfeffc));
    const [consPort] = this.bind(rec, dom0, 'console');
    xs.write(`${base}/console/port`, String(consPort));
    xs.write(`${base}/console/ring-ref`, String(0xfeffd));
    xs.write(`${base}/console/type`, 'xenconsoled');
    xs.write(`${base}/console/tty`, `/dev/pts/${this.s.nextPty++}`);
    xs.write(`/vm/${p.uuid}/name`, p.name);
    xs.write(`/vm/${p.uuid}/uuid`, p.uuid);
    xs.write(`/vm/${p.uuid}/start_time`, `${Math.floor(createdAt / 1000)}.${String(Math.floor((createdAt % 1000) / 10)).padStart(2, '0')}`);
    xs.write(`/libxl/${id}/type`, p.type);
    if (p.type === 'hvm') {
      xs.write(`/libxl/${id}/dm-version`, 'qemu_xen');
      xs.write(`/local/domain/0/device-model/${id}/state`, 'running');
      p.online.forEach((_, i) => this.bind(rec, dom0, `ioreq vcpu${i}`));
    }
    for (const d of p.disks) this.plugVbd(rec, d);
    for (const n of p.nics) this.plugVif(rec, n);
    // building the domain: memory population, device setup (domctl/memory_op/grant_table_op …)
    rec.hypercallBase = 200 + Math.ceil(p.memKiB / 4 / 512) + 40 * rec.devices.length + 20 * p.maxVcpus;
    const at = this.s.domains.findIndex((d) => d.domid > p.domid);
    if (at < 0) this.s.domains.push(rec);
    else this.s.domains.splice(at, 0, rec);
    this.emit({ kind: 'created', at: this.s.now, domid: id, name: p.name });
    return rec;
  }

  /** Connects a vbd: backend in Domain-0, frontend in the guest, an event channel and a ring grant. */
  private plugVbd(rec: DomainRecord, d: PreparedDisk): DeviceRecord {
    const xs = this.xs;
    const id = rec.domid;
    const kind = d.backend === 'qdisk' ? 'qdisk' : 'vbd';
    const fe = `/local/domain/${id}/device/vbd/${d.devid}`;
    const be = `/local/domain/0/backend/${kind}/${id}/${d.devid}`;
    const [fePort, bePort] = this.bind(rec, this.s.domains[0], `vbd ${d.devid}`);
    const ring = rec.nextGrant++;
    xs.write(`${fe}/backend`, be);
    xs.write(`${fe}/backend-id`, '0');
    xs.write(`${fe}/virtual-device`, String(d.devid));
    xs.write(`${fe}/device-type`, d.cdrom ? 'cdrom' : 'disk');
    xs.write(`${fe}/ring-ref`, String(ring));
    xs.write(`${fe}/event-channel`, String(fePort));
    xs.write(`${fe}/state`, '4');
    xs.write(`${be}/frontend`, fe);
    xs.write(`${be}/frontend-id`, String(id));
    xs.write(`${be}/params`, d.params);
    xs.write(`${be}/type`, d.backend);
    xs.write(`${be}/mode`, d.readwrite ? 'w' : 'r');
    xs.write(`${be}/dev`, d.vdev);
    xs.write(`${be}/device-type`, d.cdrom ? 'cdrom' : 'disk');
    xs.write(`${be}/online`, '1');
    xs.write(`${be}/state`, '4');
    const dev: DeviceRecord = {
      kind: 'vbd', devid: d.devid, backendDomid: 0, frontendPath: fe, backendPath: be, state: 4,
      evtch: fePort, backendEvtch: bePort, ringRef: ring, vdev: d.vdev, params: d.params,
      rate: 500 + (hash32('vbd', rec.uuid, d.devid) % 1000),
    };
    rec.devices.push(dev);
    return dev;
  }

  /** Connects a vif: netback interface `vif<domid>.<devid>` in Domain-0, netfront in the guest. */
  private plugVif(rec: DomainRecord, n: PreparedNic): DeviceRecord {
    const xs = this.xs;
    const id = rec.domid;
    const fe = `/local/domain/${id}/device/vif/${n.devid}`;
    const be = `/local/domain/0/backend/vif/${id}/${n.devid}`;
    const [fePort, bePort] = this.bind(rec, this.s.domains[0], `vif ${n.devid}`);
    const tx = rec.nextGrant++;
    const rx = rec.nextGrant++;
    xs.write(`${fe}/backend`, be);
    xs.write(`${fe}/backend-id`, '0');
    xs.write(`${fe}/handle`, String(n.devid));
    xs.write(`${fe}/mac`, n.mac);
    xs.write(`${fe}/tx-ring-ref`, String(tx));
    xs.write(`${fe}/rx-ring-ref`, String(rx));
    xs.write(`${fe}/event-channel`, String(fePort));
    xs.write(`${fe}/state`, '4');
    xs.write(`${be}/frontend`, fe);
    xs.write(`${be}/frontend-id`, String(id));
    xs.write(`${be}/handle`, String(n.devid));
    xs.write(`${be}/mac`, n.mac);
    if (n.bridge !== undefined) xs.write(`${be}/bridge`, n.bridge);
    xs.write(`${be}/type`, rec.type === 'hvm' ? 'vif_ioemu' : 'vif');
    xs.write(`${be}/script`, '/etc/xen/scripts/vif-bridge');
    xs.write(`${be}/online`, '1');
    xs.write(`${be}/state`, '4');
    const dev: DeviceRecord = {
      kind: 'vif', devid: n.devid, backendDomid: 0, frontendPath: fe, backendPath: be, state: 4,
      evtch: fePort, backendEvtch: bePort, ringRef: tx, rxRingRef: rx, mac: n.mac,
      ifname: `vif${id}.${n.devid}`, rate: 500 + (hash32('vif', rec.uuid, n.devid) % 1000),
    };
    if (n.bridge !== undefined) dev.bridge = n.bridge;
    rec.devices.push(dev);
    return dev;
  }

  /** Disconnects a device: its xenstore nodes and both ends of its event channel go. */
  private unplug(rec: DomainRecord, dev: DeviceRecord): void {
    rec.devices = rec.devices.filter((d) => d !== dev);
    this.s.evtchns = this.s.evtchns.filter((e) => !(e.domid === rec.domid && e.port === dev.evtch)
      && !(e.domid === dev.backendDomid && e.port === dev.backendEvtch));
    this.xs.rm(dev.frontendPath);
    this.xs.rm(dev.backendPath);
  }

  // ---------------------------------------------------------------- internals: teardown

  private teardown(rec: DomainRecord): void {
    const id = rec.domid;
    this.s.domains = this.s.domains.filter((d) => d !== rec);
    for (const key of [...this.tables.keys()]) if (key.startsWith(`${id}/`)) this.tables.delete(key);
    this.s.evtchns = this.s.evtchns.filter((e) => e.domid !== id && e.remoteDomid !== id);
    this.xs.rm(`/local/domain/${id}`);
    if (!this.s.domains.some((d) => d.uuid === rec.uuid)) this.xs.rm(`/vm/${rec.uuid}`);
    this.xs.rm(`/libxl/${id}`);
    for (const kind of this.xs.list('/local/domain/0/backend')) this.xs.rm(`/local/domain/0/backend/${kind}/${id}`);
    this.xs.rm(`/local/domain/0/device-model/${id}`);
    this.s.recentlyDestroyed = this.s.recentlyDestroyed.filter(([d, at]) => d !== id && this.s.now - at < DOMID_REUSE_TIMEOUT_MS);
    this.s.recentlyDestroyed.push([id, this.s.now]);
    this.emit({ kind: 'destroyed', at: this.s.now, domid: id });
  }

  private applyRename(rec: DomainRecord, name: string): void {
    rec.name = name;
    rec.config.c_info.name = name;
    this.xs.write(`/local/domain/${rec.domid}/name`, name);
    if (this.xs.exists(`/vm/${rec.uuid}`)) this.xs.write(`/vm/${rec.uuid}/name`, name);
  }

  // ---------------------------------------------------------------- internals: due work

  private processDue(): void {
    for (let guard = 0; guard < 100_000; guard++) {
      let progress = false;
      for (const rec of [...this.s.domains]) {
        if (rec.domid === 0 || rec.pauseCount > 0 || rec.phase === 'shutdown') continue;
        while (rec.phase === 'booting' && rec.bootIndex < rec.bootPlan.length && rec.bootPlan[rec.bootIndex].atMs <= rec.runMs) {
          this.appendConsole(rec, rec.bootPlan[rec.bootIndex].text);
          rec.bootIndex++;
          progress = true;
          if (rec.bootIndex >= rec.bootPlan.length) {
            rec.phase = 'running';
            rec.bootPlan = [];
            rec.bootIndex = 0;
          }
        }
        if (rec.shutdownRequest && rec.shutdownRequest.ackRunMs <= rec.runMs) {
          this.guestShutdown(rec, rec.shutdownRequest.reason);
          progress = true;
        }
      }
      const due = this.s.pendingRestarts.filter((p) => p.at <= this.s.now).sort((a, b) => a.at - b.at || a.oldDomid - b.oldDomid);
      if (due.length) {
        this.s.pendingRestarts = this.s.pendingRestarts.filter((p) => !due.includes(p));
        for (const p of due) this.restart(p.oldDomid, p.name, p.config);
        progress = true;
      }
      if (!progress) return;
    }
  }

  /** The guest answers: prints its last words, calls SCHEDOP_shutdown, the monitor acts. */
  private guestShutdown(rec: DomainRecord, reason: 'poweroff' | 'reboot' | 'crash'): void {
    this.appendConsole(rec, shutdownText(rec.os, reason, rec.runMs));
    delete rec.shutdownRequest;
    this.xs.rm(`/local/domain/${rec.domid}/control/shutdown`);
    const code = reason === 'poweroff' ? ShutdownReason.Poweroff : reason === 'reboot' ? ShutdownReason.Reboot : ShutdownReason.Crash;
    rec.phase = 'shutdown';
    rec.shutdownReason = code;
    rec.bootPlan = [];
    rec.bootIndex = 0;
    this.emit({ kind: 'shutdown', at: this.s.now, domid: rec.domid, reason: code });
    if (!rec.monitor) return;
    const configured = reason === 'poweroff' ? rec.config.on_poweroff ?? 'destroy'
      : reason === 'reboot' ? rec.config.on_reboot ?? 'restart' : rec.config.on_crash ?? 'destroy';
    const xlName: Record<string, string> = {
      destroy: 'destroy', restart: 'restart', restart_rename: 'rename-restart', preserve: 'preserve',
      coredump_destroy: 'coredump-destroy', coredump_restart: 'coredump-restart', soft_reset: 'soft-reset',
    };
    const action = xlName[configured] ?? 'destroy';
    this.emit({ kind: 'action', at: this.s.now, domid: rec.domid, action });
    switch (configured) {
      case 'preserve':
        return;
      case 'restart':
      case 'coredump_restart': {
        const config = structuredClone(rec.config);
        this.teardown(rec);
        this.s.pendingRestarts.push({ at: this.s.now + RESTART_DELAY_MS, oldDomid: rec.domid, name: rec.name, config });
        return;
      }
      case 'restart_rename': {
        const newName = `${rec.name}-${renameSuffix(this.s.now)}`;
        const config = structuredClone(rec.config);
        const oldName = rec.name;
        if (this.domidByName(newName) !== undefined) {
          this.teardown(rec);
        } else {
          const fresh = this.freshUuid();
          this.xs.rm(`/vm/${rec.uuid}`);
          rec.uuid = fresh;
          rec.config.c_info.uuid = fresh;
          this.xs.write(`/local/domain/${rec.domid}/vm`, `/vm/${fresh}`);
          this.xs.write(`/vm/${fresh}/uuid`, fresh);
          this.xs.write(`/vm/${fresh}/start_time`, `${Math.floor(rec.createdAt / 1000)}.00`);
          this.applyRename(rec, newName);
        }
        this.s.pendingRestarts.push({ at: this.s.now + RESTART_DELAY_MS, oldDomid: rec.domid, name: oldName, config });
        return;
      }
      case 'soft_reset':
        rec.phase = 'booting';
        delete rec.shutdownReason;
        rec.runMs = 0;
        rec.bootPlan = bootPlan(rec.config, {
          name: rec.name, uuid: rec.uuid, memKiB: rec.memKiB, vcpus: rec.online.filter((o) => o).length,
          nics: rec.devices.filter((d) => d.kind === 'vif').length, xenVersion: this.xenVersion(),
        });
        rec.bootIndex = 0;
        return;
      default:
        this.teardown(rec);
    }
  }

  private xenVersion(): string {
    return `${this.s.seed.xenMajor}.${this.s.seed.xenMinor}${this.s.seed.xenExtra}`;
  }

  private freshUuid(): string {
    const bytes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = mulberry32(this.s.rng);
      this.s.rng = r.state;
      const v = r.value;
      bytes.push(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  private restart(oldDomid: number, name: string, config: DomainConfig): void {
    const cfg = structuredClone(config);
    cfg.c_info.name = name;
    if (isInt(cfg.c_info.domid) && cfg.c_info.domid !== INVALID_DOMID) cfg.c_info.domid = INVALID_DOMID;
    try {
      const p = this.prepare(cfg);
      this.commit(p, false, true);
    } catch {
      this.emit({ kind: 'action', at: this.s.now, domid: oldDomid, action: 'restart-failed' });
    }
  }

  // ---------------------------------------------------------------- internals: CPU

  private idleTable(rec: DomainRecord, vcpu: number): IdleTable {
    const key = `${rec.domid}/${rec.uuid}/${vcpu}`;
    let t = this.tables.get(key);
    if (t) return t;
    const seed = this.s.seed.rngSeed;
    const h = hash32(seed, 'idle', rec.domid, rec.uuid, vcpu);
    const base = rec.domid === 0
      ? vcpu === 0 ? 25_000 + (h % 10_000) : 4_000 + (h % 4_000)
      : vcpu === 0 ? 2_000 + (h % 8_000) : 500 + (h % 3_000);
    const values: number[] = [];
    const prefix: number[] = [];
    let sum = 0;
    let max = 0;
    for (let k = 0; k < TABLE_LEN; k++) {
      const v = Math.floor((base * (500 + (hash32(seed, 'noise', rec.domid, rec.uuid, vcpu, k) % 1000))) / 1000);
      prefix.push(sum);
      values.push(v);
      sum += v * EPOCH_MS;
      if (v > max) max = v;
    }
    t = { values, prefix, cycle: sum, max };
    this.tables.set(key, t);
    return t;
  }

  /** ∫ table demand from host boot to t (ms since boot), ns. */
  private integral(t: IdleTable, ms: number): number {
    const epoch = Math.floor(ms / EPOCH_MS);
    const cycles = Math.floor(epoch / TABLE_LEN);
    const k = epoch % TABLE_LEN;
    return cycles * t.cycle + t.prefix[k] + t.values[k] * (ms - epoch * EPOCH_MS);
  }

  private bootRate(rec: DomainRecord, vcpu: number): number {
    if (rec.os === 'unikernel') return vcpu === 0 ? 600_000 : 0;
    if (rec.os === 'windows') return 800_000;
    return vcpu === 0 ? 920_000 : 300_000;
  }

  private activeVcpus(): ActiveVcpu[] {
    const out: ActiveVcpu[] = [];
    for (const rec of this.s.domains) {
      if (rec.pauseCount > 0 || rec.phase === 'shutdown') continue;
      rec.online.forEach((on, i) => {
        if (!on) return;
        if (rec.phase === 'booting') out.push({ rec, vcpu: i, rate: this.bootRate(rec, i) });
        else out.push({ rec, vcpu: i, table: this.idleTable(rec, i) });
      });
    }
    return out;
  }

  /** Demand of one vCPU at ms-since-boot `t`, ns/ms. */
  private demandAt(v: ActiveVcpu, t: number): number {
    if (v.rate !== undefined) return v.rate;
    const tb = v.table as IdleTable;
    return tb.values[Math.floor(t / EPOCH_MS) % TABLE_LEN];
  }

  /**
   * Shares the pCPUs among demands (ns/ms): per-domain cap first (cap % of one pCPU),
   * then weighted water-filling when the total exceeds nrCpus × FULL (credit2 gives each
   * vCPU its domain's weight). Integer results.
   */
  private share(vs: ActiveVcpu[], demand: number[]): number[] {
    const d = demand.slice();
    const byDom = new Map<DomainRecord, number[]>();
    vs.forEach((v, i) => {
      const l = byDom.get(v.rec) ?? [];
      l.push(i);
      byDom.set(v.rec, l);
    });
    for (const [rec, idx] of byDom) {
      if (rec.cap <= 0) continue;
      const capRate = rec.cap * 10_000;
      const total = idx.reduce((a, i) => a + d[i], 0);
      if (total > capRate) for (const i of idx) d[i] = Math.floor((d[i] * capRate) / total);
    }
    let remaining = this.s.seed.nrCpus * FULL;
    const alloc = d.map(() => 0);
    if (d.reduce((a, x) => a + x, 0) <= remaining) return d;
    let active = d.map((_, i) => i).filter((i) => d[i] > 0);
    while (active.length) {
      const W = active.reduce((a, i) => a + vs[i].rec.weight, 0);
      const sat = active.filter((i) => d[i] * W <= remaining * vs[i].rec.weight);
      if (sat.length === 0) {
        for (const i of active) alloc[i] = Math.floor((remaining * vs[i].rec.weight) / W);
        break;
      }
      for (const i of sat) {
        alloc[i] = d[i];
        remaining -= d[i];
      }
      active = active.filter((i) => !sat.includes(i));
    }
    return alloc;
  }

  /** Accrues CPU time and run time over [a, b) (virtual ms), during which no event falls. */
  private accrue(a: number, b: number): void {
    if (!(b > a)) return;
    const dt = b - a;
    for (const rec of this.s.domains) {
      if (rec.domid !== 0 && rec.pauseCount === 0 && rec.phase !== 'shutdown') rec.runMs += dt;
    }
    const vs = this.activeVcpus();
    if (vs.length === 0) return;
    const ta = a - this.s.bootTime;
    const tb = b - this.s.bootTime;
    // fast path: nothing can be contended anywhere in [a, b)
    let total = 0;
    let capsOk = true;
    const perDom = new Map<DomainRecord, number>();
    for (const v of vs) {
      const m = v.rate ?? (v.table as IdleTable).max;
      total += m;
      perDom.set(v.rec, (perDom.get(v.rec) ?? 0) + m);
    }
    for (const [rec, m] of perDom) if (rec.cap > 0 && m > rec.cap * 10_000) capsOk = false;
    if (capsOk && total <= this.s.seed.nrCpus * FULL) {
      for (const v of vs) {
        const add = v.rate !== undefined ? v.rate * dt : this.integral(v.table as IdleTable, tb) - this.integral(v.table as IdleTable, ta);
        v.rec.vcpuTimeNs[v.vcpu] += add;
      }
      return;
    }
    // contended: the demand pattern repeats every TABLE_LEN epochs and the set of active
    // vCPUs is fixed until the next event, so share once per epoch index and integrate
    // the resulting allocation tables like the idle tables (same integers as stepping).
    const allocs: number[][] = [];
    for (let k = 0; k < TABLE_LEN; k++) allocs.push(this.share(vs, vs.map((v) => this.demandAt(v, k * EPOCH_MS))));
    vs.forEach((v, i) => {
      const values = allocs.map((a) => a[i]);
      const prefix: number[] = [];
      let sum = 0;
      for (const x of values) {
        prefix.push(sum);
        sum += x * EPOCH_MS;
      }
      const t: IdleTable = { values, prefix, cycle: sum, max: Math.max(...values) };
      v.rec.vcpuTimeNs[v.vcpu] += this.integral(t, tb) - this.integral(t, ta);
    });
  }

  private cpuNs(rec: DomainRecord): number {
    return rec.vcpuTimeNs.reduce((a, x) => a + x, 0);
  }

  // ---------------------------------------------------------------- internals: views

  private affinity(rec: DomainRecord, vcpu: number, key: 'vcpu_hard_affinity' | 'vcpu_soft_affinity'): number[] {
    const n = this.s.seed.nrCpus;
    const all = Array.from({ length: n }, (_, i) => i);
    const lists = rec.config.b_info[key];
    if (Array.isArray(lists)) {
      const l = lists.length === 1 ? lists[0] : lists[vcpu];
      if (Array.isArray(l)) {
        const cpus = [...new Set(l.filter((x): x is number => isInt(x) && x >= 0 && x < n))].sort((x, y) => x - y);
        if (cpus.length) return cpus;
      }
    }
    return all;
  }

  /** Which vCPUs run right now and on which pCPU: key `domid/vcpu` → { cpu, running }. */
  private assignPcpus(): Map<string, { cpu: number; running: boolean }> {
    const out = new Map<string, { cpu: number; running: boolean }>();
    const t = this.s.now - this.s.bootTime;
    const seed = this.s.seed.rngSeed;
    const n = this.s.seed.nrCpus;
    const busy = new Set<number>();
    const demand = new Map(this.activeVcpus().map((v) => [`${v.rec.domid}/${v.vcpu}`, this.demandAt(v, t)]));
    for (const rec of this.s.domains) {
      rec.online.forEach((on, i) => {
        if (!on) return;
        const key = `${rec.domid}/${i}`;
        const aff = this.affinity(rec, i, 'vcpu_hard_affinity');
        const pref = rec.domid === 0 ? aff[i % aff.length] : aff[hash32(seed, 'pcpu', rec.domid, rec.uuid, i, Math.floor(t / EPOCH_MS)) % aff.length];
        let running = false;
        if (demand.has(key)) {
          const want = rec.domid === 0 && i === 0 ? true : hash32(seed, 'run', rec.domid, i, Math.floor(t / 100)) % FULL < (demand.get(key) ?? 0);
          running = want && busy.size < n;
        }
        let cpu = pref;
        if (running) {
          if (busy.has(cpu)) {
            const free = aff.find((c) => !busy.has(c));
            if (free === undefined) running = false;
            else cpu = free;
          }
          if (running) busy.add(cpu);
        }
        out.set(key, { cpu, running });
      });
    }
    return out;
  }

  private describe(rec: DomainRecord, assign: Map<string, { cpu: number; running: boolean }>): DomainInfo {
    const active = rec.pauseCount === 0 && rec.phase !== 'shutdown';
    const vcpus: VcpuInfo[] = rec.online.map((on, i) => {
      const a = assign.get(`${rec.domid}/${i}`);
      const v: VcpuInfo = {
        id: i,
        online: on,
        running: on && active && (a?.running ?? false),
        blocked: on && active && !(a?.running ?? false),
        timeNs: rec.vcpuTimeNs[i],
        hardAffinity: this.affinity(rec, i, 'vcpu_hard_affinity'),
        softAffinity: this.affinity(rec, i, 'vcpu_soft_affinity'),
      };
      if (on && a) v.cpu = a.cpu;
      return v;
    });
    const running = vcpus.some((v) => v.running);
    const state: DomainRunState = {
      running,
      blocked: active && !running,
      paused: rec.pauseCount > 0,
      shutdown: rec.phase === 'shutdown',
      dying: false,
    };
    if (rec.phase === 'shutdown' && rec.shutdownReason !== undefined) state.shutdownReason = rec.shutdownReason;
    const cpu = this.cpuNs(rec);
    const info: DomainInfo = {
      domid: rec.domid,
      name: rec.name,
      uuid: rec.uuid,
      type: rec.type,
      state,
      memKiB: rec.memKiB,
      targetKiB: rec.targetKiB,
      onlineVcpus: rec.online.filter((o) => o).length,
      maxVcpus: rec.online.length,
      vcpus,
      cpuTimeNs: cpu,
      startTime: rec.createdAt,
      config: structuredClone(rec.config),
      nets: rec.devices.filter((d) => d.kind === 'vif').map((d) => {
        const rxPackets = Math.floor((cpu / 1e6) * (d.rate / 1000) * 0.8);
        const txPackets = Math.floor((cpu / 1e6) * (d.rate / 1000) * 0.5);
        return { devid: d.devid, txBytes: txPackets * 420, rxBytes: rxPackets * 610, txPackets, rxPackets };
      }),
      vbds: rec.devices.filter((d) => d.kind === 'vbd').map((d) => {
        const rdReq = Math.floor((cpu / 1e6) * (d.rate / 1000) * 0.3);
        const wrReq = Math.floor((cpu / 1e6) * (d.rate / 1000) * 0.1);
        return { devid: d.devid, oo: 0, rdReq, wrReq, rdSect: rdReq * 24, wrSect: wrReq * 16 };
      }),
      ssidref: isInt(rec.config.c_info.ssidref) ? rec.config.c_info.ssidref : 0,
    };
    if (rec.maxMemKiB !== undefined) info.maxMemKiB = rec.maxMemKiB;
    return info;
  }
}
