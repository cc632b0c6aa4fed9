/**
 * The rows of the host's tables (tables.ts): plain JSON data, one interface per table.
 * Every field is a number, string, boolean, null, array or object, so a row round-trips
 * through JSON exactly and the same commands at the same virtual times give the same
 * rows, byte for byte.
 *
 * Units: times are virtual ms since the Unix epoch (host clock) or ms of guest run time
 * (`…Run` fields: the guest's uptime, paused time excluded); CPU time is ns; memory is
 * KiB, as libxl counts it (tools/libs/light/libxl_types.idl).
 */
import type { DomainConfig, DomainType, HostFacts } from '../parser/libxl.js';
import type { HostEventKind, ShutdownReason } from './api.js';
import type { BootLine, GuestOs, LinuxFlavour } from './guest/bootlog.js';
import type { TtyState } from './guest/shell.js';

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

/** What xl's config processing needs of a host (`HostFacts`): its pCPU and NUMA node counts; x86. */
export function hostFacts(seed: Pick<HostSeed, 'nrCpus' | 'nrNodes'>): HostFacts {
  return { nrCpus: seed.nrCpus, nrNodes: seed.nrNodes, arch: 'x86' };
}

/** Key of the host-wide row (`HostMeta`) in the `meta` table. */
export const META_KEY = 'host';

/** Version of the table layout; a store holding another version is refused (or migrated). */
export const SCHEMA_VERSION = 5;

/** A PCI device of the physical machine that can be assigned to guests (`xl pci-assignable-list`). */
export interface HostPciDevice {
  /** `0000:03:00.0` (domain:bus:device.function, lower-case hex). */
  bdf: string;
  /** What `lspci` would call it, e.g. `Ethernet controller: Intel Corporation I350 Gigabit`. */
  description: string;
}

/**
 * What the physical machine looks like (`xl info`, xl-commands.md §3.5); the host
 * description of `xlsim host init` (hostdesc.ts) becomes one of these.
 */
export interface HostSeed {
  /** dom0 nodename (`xl info` host). */
  hostname: string;
  /** Physical CPUs (pCPUs) = nodes × sockets per node × cores × threads, ≥ 1. */
  nrCpus: number;
  /** NUMA nodes, ≥ 1; node k owns the k-th nrCpus/nrNodes pCPUs. */
  nrNodes: number;
  coresPerSocket: number;
  threadsPerCore: number;
  /** CPU clock, MHz. */
  cpuMhz: number;
  /** Physical RAM, MiB. */
  totalMemoryMiB: number;
  /** RAM Xen keeps for itself (heap, frame table), MiB; never free for guests. */
  xenReservedMiB: number;
  xenMajor: number;
  xenMinor: number;
  /** e.g. `.0`, `-unstable`. */
  xenExtra: string;
  /** Scheduler of Pool-0. */
  scheduler: 'credit' | 'credit2';
  /** Domain-0 vCPUs. */
  dom0Vcpus: number;
  /** Domain-0 memory, MiB. */
  dom0MemoryMiB: number;
  /** Seed of the host's PRNG (UUIDs, MACs, idle noise). Unsigned 32-bit. */
  rngSeed: number;
  /** PCI devices that can be made assignable (default none). */
  pci?: HostPciDevice[];
}

/** Faults a user asked the host to inject (`xlsim host fault …`), for rehearsing scripts. */
export interface FaultState {
  /** The next N `createDomain` calls fail (libxl "cannot make domain"). */
  failCreates?: number;
}

/** The single `meta/host` row: host-wide facts and counters. */
export interface HostMeta {
  schema: number;
  seed: HostSeed;
  /** Virtual ms when the host booted (Domain-0 start time). */
  bootTime: number;
  /** The host's virtual time: every event due at or before it has happened. */
  now: number;
  /** PRNG state (mulberry32). */
  rng: number;
  /** Last domid handed out (Xen's rover, xen/common/domid.c). */
  lastDomid: number;
  /** Recently destroyed domids and when (libxl refuses reuse within 60 s). */
  recentlyDestroyed: [number, number][];
  /** Next pty number for guest consoles (`/dev/pts/<n>`). */
  nextPty: number;
  /** Sequence number of the next queued event (ties at one due time run in this order). */
  queueSeq: number;
  /** Absolute index of the next host event (the event log keeps the last EVENT_LOG_MAX). */
  eventCount: number;
  /** Host memory held by domains: Σ (memKiB + overheadKiB), KiB (kept so free memory costs O(1)). */
  usedKiB: number;
  /** Outstanding claims, KiB (`xl claims`). */
  claimsKiB: number;
  /** Number of domains, Domain-0 included. */
  domainCount: number;
  faults: FaultState;
}

/**
 * A domain's lifecycle (xc_dominfo flags, xen/common/domain.c): building while the
 * toolstack populates it, running (the guest's own stage is `GuestState.stage`), shut
 * down with a reason (SCHEDOP_shutdown), dying while its resources go. Gone = no row.
 * Pausing is orthogonal (`DomainRecord.pauseCount`). Transitions: lifecycle.ts.
 */
export type Lifecycle =
  | { state: 'building' }
  | { state: 'running' }
  | { state: 'shutdown'; reason: ShutdownReason }
  | { state: 'dying' };

/** What a guest is doing, which sets its vCPUs' CPU demand (scheduler.ts). */
export type Workload =
  | { kind: 'idle' }
  /** `stress -c N`: N CPU hogs; `untilRun` = guest run time when it stops by itself. */
  | { kind: 'stress'; workers: number; untilRun?: number; pid: number };

/** Stages of the guest OS (guest/os.ts): firmware (HVM), kernel boot, up, halting, halted. */
export type GuestStage = 'firmware' | 'kernel' | 'up' | 'halting' | 'halted';

/** The guest OS model's state inside a domain (guest/os.ts). */
export interface GuestState {
  os: GuestOs;
  /** Linux distribution (prompt, MOTD, init system). */
  flavour: LinuxFlavour;
  /** Kernel release (`uname -r`). */
  kernelRelease: string;
  stage: GuestStage;
  /** Guest run time when the current boot began. */
  bootStartRun: number;
  workload: Workload;
  /** Whether the guest's xenbus driver is up: its frontends answer and it sees `control/shutdown`. */
  xenbus: boolean;
  /** The console's line discipline and login/shell state. */
  tty: TtyState;
  /** Why it is halting: the SCHEDOP_shutdown reason it will give. */
  haltReason?: ShutdownReason;
  /** Injected fault: the guest never acknowledges `control/shutdown`. */
  ignoresShutdown?: boolean;
  /** Suspended to RAM (ACPI S3, `xl trigger … sleep`) until `s3resume` (controls.ts): its vCPUs do not run. */
  s3?: boolean;
}

/** One vCPU: online flag, affinity and CPU-time accounting (cpu.ts). */
export interface VcpuRecord {
  online: boolean;
  /** CPU time accrued up to `since`, ns. */
  timeNs: number;
  /** Allocation from `since` on, ns of CPU per ms (1_000_000 = one whole pCPU). */
  rate: number;
  /** Host time the current rate began, virtual ms. */
  since: number;
  /** Whether the allocation wobbles around `rate` (idle noise, cpu.ts). */
  wobble: boolean;
  /**
   * The share class it belongs to (a key of its pool's `classes`), when it is a heavy vCPU
   * of a pool shared by classes: then its CPU time is `timeNs + acc(t) − clsBase`, where
   * acc is the class's accrued time per member, and `rate` is not kept up to date.
   */
  cls?: string;
  /** The class's accrued time per member when the vCPU joined it, ns. */
  clsBase?: number;
  /** CPU demand the scheduler was given, ns per ms. */
  demand: number;
  /** Hard affinity (pCPU ids), null = every pCPU of the domain's cpupool. */
  hard: number[] | null;
  /** Soft affinity (pCPU ids), null = every pCPU. */
  soft: number[] | null;
}

/** Memory of a domain, KiB (libxl_mem.c, xl-commands.md §5.4). */
export interface DomainMemory {
  /** Current allocation (tot_pages × 4). */
  memKiB: number;
  /** Balloon target (b_info.target_memkb, `xl mem-set`). */
  targetKiB: number;
  /** Xen's max allocation; undefined = no limit (Domain-0). */
  maxMemKiB?: number;
  /** memory/static-max; undefined = none (Domain-0). */
  staticMaxKiB?: number;
  /** Video RAM (HVM). */
  videoKiB: number;
  /** Host memory used beyond memKiB (page tables, shadow, p2m). */
  overheadKiB: number;
}

/** A guest-clock timer: fires when the guest's run time reaches `atRun` (guest/os.ts). */
export interface GuestTimer {
  atRun: number;
  kind: string;
  data?: Record<string, string | number | boolean>;
  /** Its queue key while the domain runs; absent while parked (domain paused or shut down). */
  queued?: string;
}

/**
 * What every listing needs of a domain (the `domains` row): identity, lifecycle, vCPUs,
 * memory and scheduling. Kept small, because `xl list` reads one per domain.
 */
export interface DomainCore {
  domid: number;
  name: string;
  uuid: string;
  type: DomainType;
  /** Virtual ms when created (`/vm/<uuid>/start_time`, `xl uptime`). */
  createdAt: number;
  life: Lifecycle;
  /** Nested pause count (Xen's controller_pause_count); paused when > 0. */
  pauseCount: number;
  /** Guest run time (uptime without paused time): `ms` at host time `since`; `since` null when not counting. */
  run: { ms: number; since: number | null };
  vcpus: VcpuRecord[];
  mem: DomainMemory;
  /**
   * Scheduler parameters: weight 1…65535, cap in % of one pCPU (0 = none), cpupool id;
   * `rtds`: per-vCPU RTDS period/budget (µs) and extratime, absent = RTDS defaults (pools.ts).
   */
  sched: { weight: number; cap: number; pool: number; rtds?: RtdsParams[] };
}

/** The rest of a domain (the `guests` row): its guest OS, timers and per-domain counters. */
export interface DomainGuest {
  guest: GuestState;
  /** Whether an xl monitor applies the on_* actions (false = `xl create -e`). */
  monitor: boolean;
  /** The cfg file it was created from (absolute path), when created from one on this host. */
  configFile?: string;
  /** Counts of hypercalls (PV, PVH) or VM exits and ioreqs (HVM) made by discrete events, by kind. */
  counters: Record<string, number>;
  /** Next free event channel port / grant reference in this domain. */
  nextPort: number;
  nextGrant: number;
  /** pty number of its console (`/dev/pts/<n>`). */
  pty: number;
  /** HVM: the device model serving it (`qemu-xen` in Domain-0). */
  deviceModel?: string;
  /** Pending guest-clock timers. */
  timers: GuestTimer[];
  /** The config `xl config-update` stored for the next restart (libxl userdata "xl"), controls.ts. */
  pendingConfig?: DomainConfig;
}

/** A whole domain as the machine works on it: its `domains` and `guests` rows together (ctx.ts). */
export type DomainRecord = DomainCore & DomainGuest;

/** The fields of `DomainCore`, in row order (ctx.ts splits a `DomainRecord` with it). */
export const CORE_FIELDS = ['domid', 'name', 'uuid', 'type', 'createdAt', 'life', 'pauseCount', 'run', 'vcpus', 'mem', 'sched'] as const;

/** XenbusState (xen/include/public/io/xenbus.h). */
export enum XenbusState {
  Unknown = 0,
  Initialising = 1,
  InitWait = 2,
  Initialised = 3,
  Connected = 4,
  Closing = 5,
  Closed = 6,
  Reconfiguring = 7,
  Reconfigured = 8,
}

/** Kinds of split-driver device (the frontend's `device/<kind>` directory name). */
export type DeviceKind = 'vbd' | 'vif' | 'vkbd' | 'vfb' | 'vtpm' | 'vdispl' | 'vsnd' | '9pfs' | 'pvcalls' | 'console' | 'vusb' | 'pci';

/** A split-driver device: frontend in the guest, backend in Domain-0 or a driver domain (`devices` row). */
export interface DeviceRecord {
  kind: DeviceKind;
  /** Backend directory name under `backend/` (`vbd`, `qdisk`, `vif`, `vkbd`, …). */
  backendKind: string;
  devid: number;
  /** Frontend domain. */
  domid: number;
  backendDomid: number;
  /** `/local/domain/<domid>/device/<kind>/<devid>` */
  frontendPath: string;
  /** `/local/domain/<backend>/backend/<backendKind>/<domid>/<devid>` */
  backendPath: string;
  /** XenbusState of each end. */
  be: XenbusState;
  fe: XenbusState;
  /** Guest-side / backend-side event channel ports, once the frontend bound one. */
  evtch?: number;
  backendEvtch?: number;
  /** Frontend/backend ports of its further event channels (vdispl, vsnd: one per ring), in layout order. */
  extraEvtchs?: [number, number][];
  /** Grant references of its rings (vbd: ring; vif: tx, rx), once granted. */
  grants: number[];
  /** Kind-specific facts shown by the list commands: mac, bridge, vdev, params, mode, ifname, … */
  props: Record<string, string>;
  /** Traffic factor (I/O counters scale with it), 500…1499. */
  rate: number;
  /** Host time it was plugged, virtual ms. */
  pluggedAt: number;
}

/** A xenstore node: value and permissions (`n0`, `r5`, … as `xenstore-ls -p` prints them). */
export interface XsNode {
  v: string;
  p: string[];
}

/** A registered xenstore watch. */
export interface XsWatch {
  domid: number;
  path: string;
  token: string;
}

/** One end of an event channel (`evtchns` row), as `xl debug-keys e` lists them. */
export interface EventChannelRecord {
  domid: number;
  port: number;
  /** Interdomain ends name their remote; a VIRQ end has none. */
  remoteDomid?: number;
  remotePort?: number;
  /** What it is for: `xenstore`, `console`, `vbd 51712`, `vif 0`, `ioreq vcpu0`, … */
  purpose: string;
}

/** A grant table entry (`grants` row): `domid` grants `toDomid` access to one frame. */
export interface GrantRecord {
  domid: number;
  ref: number;
  toDomid: number;
  readonly: boolean;
  purpose: string;
}

/** A pending host event (`queue` row). */
export interface QueuedEvent {
  due: number;
  seq: number;
  kind: string;
  domid?: number;
  data?: Record<string, unknown>;
}

/** A guest console ring (`consoles` row), or the hypervisor's (`hv`). */
export interface ConsoleRecord {
  /** The last CONSOLE_MAX bytes. */
  text: string;
  /** Bytes ever written (followers keep an offset into this count). */
  total: number;
  /** Boot lines not yet printed; each is printed once the guest run time passes `atMs` (guest/os.ts). */
  pending?: BootLine[];
  /** Guest run time the pending lines' `atMs` counts from. */
  pendingBase?: number;
  /**
   * The domain is gone: the ring is kept a while so a console client can print the
   * guest's last words (xenconsoled drains the pty before closing it), then reaped.
   */
  gone?: boolean;
}

/** A vCPU's RTDS parameters (xen/common/sched/rt.c): period and budget in µs, extratime flag. */
export interface RtdsParams {
  period: number;
  budget: number;
  extratime: boolean;
}

/** A cpupool (`pools` row): a set of pCPUs with its own scheduler (`xl cpupool-list`). */
export interface PoolRecord {
  id: number;
  name: string;
  scheduler: 'credit' | 'credit2' | 'rtds' | 'arinc653' | 'null';
  cpus: number[];
  /** Scheduler parameters of the pool (`xl sched-credit -s`, pools.ts); absent = Xen's defaults. */
  params?: { tsliceMs?: number; ratelimitUs?: number; migrDelayUs?: number };
  /** The pool's UUID (`/local/pool/<id>/uuid`); Pool-0 has none. */
  uuid?: string;
  /** Σ demand of its runnable vCPUs, ns per ms. */
  demand: number;
  /** Σ demand of its light vCPUs (idle-level use, ≤ cpu.ts LIGHT_MAX each), ns per ms. */
  lightDemand: number;
  /**
   * How its heavy vCPUs are shared: `classes` when nothing is pinned and light vCPUs keep
   * their demand (every heavy vCPU is then a member of the share class of its demand and
   * weight, and a change of the pool's water level rewrites the classes, not the vCPUs);
   * `full` when the pool is shared vCPU by vCPU (scheduler.ts, honouring affinity).
   */
  mode: 'classes' | 'full';
  /** Its share classes by key `<demand>:<weight>` (cpu.ts), empty in `full` mode. */
  classes: Record<string, ShareClass>;
  /** Runnable vCPUs with a hard affinity narrower than the pool (then the pool is shared in full). */
  pinned: number;
  /** Whether the last reschedule gave some vCPU less than it asked for. */
  contended: boolean;
}

/**
 * Heavy vCPUs of one pool with the same demand and weight: the water level gives each the
 * same rate, so their CPU time is kept once for all (`acc`), not per vCPU.
 */
export interface ShareClass {
  /** Demand per member after its domain's cap, ns per ms. */
  demand: number;
  weight: number;
  /** Members (vCPUs whose `cls` names this class). */
  count: number;
  /** Allocation per member from `since` on, ns per ms. */
  rate: number;
  /** CPU time per member accrued from the class's start up to `since`, ns. */
  acc: number;
  /** Host time the current rate began, virtual ms. */
  since: number;
}

/** A host event as stored in the event log (`events` row). */
export interface StoredEvent {
  kind: HostEventKind;
  at: number;
  domid: number;
  [k: string]: unknown;
}
