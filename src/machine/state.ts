/**
 * The plain-data state of an emulated host. `Host` (host.ts) owns one `HostState` and
 * changes it only through its commands and `advanceTo`; `snapshot.ts` serialises it.
 * Every field is JSON data (numbers, strings, booleans, arrays, objects), so a snapshot
 * round-trip is exact.
 *
 * Units: times are virtual ms since the Unix epoch; CPU time is ns; memory is KiB
 * (as libxl counts it, tools/libs/light/libxl_types.idl).
 */
import type { DomainConfig, DomainType } from '../parser/libxl.js';
import type { HostEvent } from './api.js';
import type { BootLine, GuestOs } from './guest/bootlog.js';

/**
 * What the physical machine looks like (`xl info`, xl-commands.md §3.5). Defaults are
 * listed in `DEFAULT_SEED` (host.ts).
 */
export interface HostSeed {
  /** dom0 nodename (`xl info` host). */
  hostname: string;
  /** Physical CPUs (pCPUs), ≥ 1. */
  nrCpus: number;
  /** NUMA nodes, ≥ 1; node k owns pCPUs k*nrCpus/nrNodes … */
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
  scheduler: 'credit' | 'credit2';
  /** Domain-0 vCPUs. */
  dom0Vcpus: number;
  /** Domain-0 memory, MiB. */
  dom0MemoryMiB: number;
  /** Seed of the host's PRNG (UUIDs, MACs, idle noise). Unsigned 32-bit. */
  rngSeed: number;
}

/** A split-driver device pair: guest frontend + Domain-0 backend (libxl_device.c). */
export interface DeviceRecord {
  kind: 'vbd' | 'vif';
  /** Device id: vbd = xenstore id from the vdev (xvda = 51712), vif = index (`devid`). */
  devid: number;
  backendDomid: number;
  /** `/local/domain/<domid>/device/<kind>/<devid>` */
  frontendPath: string;
  /** `/local/domain/0/backend/<vbd|qdisk|vif>/<domid>/<devid>` */
  backendPath: string;
  /** XenbusState (4 = Connected). */
  state: number;
  /** Guest-side event channel port. */
  evtch: number;
  /** Backend-side (Domain-0) event channel port. */
  backendEvtch: number;
  /** Grant reference of the ring (vbd) or the tx ring (vif). */
  ringRef: number;
  /** vif only: grant reference of the rx ring. */
  rxRingRef?: number;
  /** vif only. */
  mac?: string;
  bridge?: string;
  /** vif only: Domain-0 network interface, `vif<domid>.<devid>`. */
  ifname?: string;
  /** vbd only: guest device name as configured (`xvda`). */
  vdev?: string;
  /** vbd only: backend target (`pdev_path`). */
  params?: string;
  /** Per-device traffic factor (derived statistics scale with it), 500…1499. */
  rate: number;
}

/** One end of an event channel as `xl debug-keys e` would list it. */
export interface EventChannelRecord {
  domid: number;
  port: number;
  /** Remote end; undefined for a VIRQ binding. */
  remoteDomid?: number;
  remotePort?: number;
  /** What it is for: `xenstore`, `console`, `vbd 51712`, `vif 0`, `ioreq vcpu0`, … */
  purpose: string;
}

/** A domain the hypervisor knows about (Domain-0 included). */
export interface DomainRecord {
  domid: number;
  name: string;
  uuid: string;
  type: DomainType;
  /** Config the domain was created from, with host-generated values filled in. */
  config: DomainConfig;
  os: GuestOs;
  /** Virtual ms when created (`/vm/<uuid>/start_time`). */
  createdAt: number;
  /** Nested pause count (Xen's controller_pause_count); paused when > 0. */
  pauseCount: number;
  phase: 'booting' | 'running' | 'shutdown';
  /** Set when phase is `shutdown`: SHUTDOWN_* code. */
  shutdownReason?: number;
  /** Run time, ms: time spent unpaused and not shut down (guest uptime). */
  runMs: number;
  /** Remaining boot lines; `bootIndex` is the next one to print. */
  bootPlan: BootLine[];
  bootIndex: number;
  /** A pending shutdown request: answered when `runMs` reaches `ackRunMs`. */
  shutdownRequest?: { reason: 'poweroff' | 'reboot'; ackRunMs: number };
  /** Whether an xl monitor applies the on_* actions (false = `xl create -e`). */
  monitor: boolean;
  /** Online flag per vCPU id (length = max vCPUs). */
  online: boolean[];
  /** CPU time per vCPU, ns. */
  vcpuTimeNs: number[];
  /** Current allocation (tot_pages), KiB. */
  memKiB: number;
  /** Balloon target, KiB (b_info.target_memkb). */
  targetKiB: number;
  /** Xen max allocation, KiB; undefined = no limit. */
  maxMemKiB?: number;
  /** memory/static-max, KiB; undefined = none (Domain-0). */
  staticMaxKiB?: number;
  /** Video RAM, KiB (HVM). */
  videoKiB: number;
  /** Host memory used beyond memKiB (page tables, shadow, p2m), KiB. */
  overheadKiB: number;
  /** Scheduler parameters (credit/credit2): weight 1…65535, cap in % of one pCPU (0 = none). */
  weight: number;
  cap: number;
  devices: DeviceRecord[];
  /** Next free event channel port / grant reference in this domain. */
  nextPort: number;
  nextGrant: number;
  /** Hypercalls made before CPU-time-derived counting (domain build). */
  hypercallBase: number;
  /** Guest console output so far (tail, at most CONSOLE_MAX bytes). */
  console: string;
  /** HVM: the device model serving it (`qemu-xen` in Domain-0). */
  deviceModel?: string;
}

/** A restart the monitor will perform (`on_reboot=restart`: destroy, sleep 2 s, create). */
export interface PendingRestart {
  /** Virtual ms when the domain is re-created. */
  at: number;
  oldDomid: number;
  name: string;
  config: DomainConfig;
}

/** Everything an emulated host is. Plain JSON data. */
export interface HostState {
  seed: HostSeed;
  /** Virtual ms when the host booted (Domain-0 start time). */
  bootTime: number;
  /** The host's current virtual time, ms. */
  now: number;
  /** PRNG state (mulberry32). */
  rng: number;
  /** Last domid handed out (Xen's rover, xen/common/domid.c). */
  lastDomid: number;
  /** Recently destroyed domids and when (libxl refuses reuse within 60 s). */
  recentlyDestroyed: [number, number][];
  /** Next pty number for guest consoles (`/dev/pts/<n>`). */
  nextPty: number;
  /** Domains in ascending domid order; Domain-0 first. */
  domains: DomainRecord[];
  pendingRestarts: PendingRestart[];
  /** Retained event log; `eventBase` is the absolute index of `events[0]`. */
  events: HostEvent[];
  eventBase: number;
  evtchns: EventChannelRecord[];
  /** The xenstore tree (path → value, sorted). */
  xenstore: Record<string, string>;
  /**
   * The hypervisor console ring (`xl dmesg`), at most CONRING_SIZE bytes (dmesg.ts).
   * Absent in snapshots written before the ring existed: restoring one rebuilds the
   * boot log from `seed`.
   */
  conring?: string;
}
