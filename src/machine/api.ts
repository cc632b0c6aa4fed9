/**
 * The contract between the emulated host (`src/machine`) and its users (toolstack, TUI).
 * The machine implements it in `host.ts`; nothing here prints or touches the file system.
 *
 * Units: time in the host is virtual milliseconds since the Unix epoch (`Clock.now()`);
 * CPU time is nanoseconds, as Xen counts it; memory is KiB inside, as libxl counts it.
 */
import type { DomainConfig, DomainType } from '../parser/libxl.js';

/** Where the host's time comes from. Wall clock in the CLI, a virtual clock in tests. */
export interface Clock {
  /** Milliseconds since the Unix epoch. Never goes backwards. */
  now(): number;
  /** Resolves once `now() >= ms`. A virtual clock advances itself at once. */
  sleepUntil(ms: number): Promise<void>;
}

/** Xen's shutdown reason codes (SHUTDOWN_* in xen/include/public/sched.h). */
export enum ShutdownReason {
  Poweroff = 0,
  Reboot = 1,
  Suspend = 2,
  Crash = 3,
  Watchdog = 4,
  SoftReset = 5,
}

/** The hypervisor's view of a domain's run state (xc_dominfo flags). */
export interface DomainRunState {
  running: boolean;
  blocked: boolean;
  paused: boolean;
  /** Shut down but not yet destroyed (xl list `s`). */
  shutdown: boolean;
  dying: boolean;
  /** Set while `shutdown` is true. */
  shutdownReason?: ShutdownReason;
}

/** One vCPU as `xl vcpu-list` shows it. */
export interface VcpuInfo {
  id: number;
  online: boolean;
  /** pCPU it last ran on; undefined when offline. */
  cpu?: number;
  running: boolean;
  blocked: boolean;
  /** CPU time consumed, ns. */
  timeNs: number;
  /** pCPU ids of the hard / soft affinity masks. */
  hardAffinity: number[];
  softAffinity: number[];
}

/** A snapshot of one domain for the toolstack and the TUI (read-only copy). */
export interface DomainInfo {
  domid: number;
  name: string;
  uuid: string;
  type: DomainType;
  state: DomainRunState;
  /** Current allocation, KiB (tot_pages * 4). */
  memKiB: number;
  /** Xen's max allocation, KiB; undefined = no limit (Domain-0). */
  maxMemKiB?: number;
  /** Balloon target, KiB. */
  targetKiB: number;
  onlineVcpus: number;
  maxVcpus: number;
  /** Each vCPU: present from `Host.domain()` and `listDomains({ vcpus: true })`. */
  vcpus?: VcpuInfo[];
  /** Total CPU time, ns (sum over vCPUs). */
  cpuTimeNs: number;
  /** Virtual ms when the domain was created (xl uptime). */
  startTime: number;
  /**
   * Config the domain was created from (Domain-0: its stub config). Present from
   * `Host.domain()` and `listDomains({ config: true })`; left out of a plain
   * `listDomains()`, which must stay cheap at 10,000 domains.
   */
  config?: DomainConfig;
  /** The cfg file it was created from (absolute path), with `config`, when created from one on this host. */
  configFile?: string;
  /** The cpupool the domain is in (`xl list -c`). */
  pool: string;
  /**
   * Per-vif and per-vbd statistics for xentop: present from `Host.domain()` and
   * `listDomains({ devices: true })`.
   */
  nets?: { devid: number; txBytes: number; rxBytes: number; txPackets: number; rxPackets: number }[];
  vbds?: { devid: number; oo: number; rdReq: number; wrReq: number; rdSect: number; wrSect: number }[];
  ssidref: number;
}

/** Facts about the physical machine (`xl info`). */
export interface HostInfo {
  hostname: string;
  nrCpus: number;
  nrNodes: number;
  coresPerSocket: number;
  threadsPerCore: number;
  cpuMhz: number;
  /** MiB */
  totalMemoryMiB: number;
  /** MiB */
  freeMemoryMiB: number;
  xenMajor: number;
  xenMinor: number;
  xenExtra: string;
  scheduler: 'credit' | 'credit2';
}

/** The kinds of `HostEvent`. */
export type HostEventKind = HostEvent['kind'];

/** Events the host emits as state changes (for the TUI and the monitor log). */
export type HostEvent =
  | { kind: 'created'; at: number; domid: number; name: string }
  | { kind: 'paused' | 'unpaused' | 'destroyed' | 'dying'; at: number; domid: number }
  | { kind: 'renamed'; at: number; domid: number; name: string }
  | { kind: 'shutdown'; at: number; domid: number; reason: ShutdownReason }
  | { kind: 'action'; at: number; domid: number; action: string }
  | { kind: 'device'; at: number; domid: number; device: string; side: 'backend' | 'frontend'; state: number }
  | { kind: 'console'; at: number; domid: number; text: string }
  | MigrationProgress;

/**
 * One step of a live migration, recorded by the sending host (`xl migrate`): `start`, one
 * `round` per pre-copy iteration, `stop-and-copy`, then `done` or `failed`. The dashboard's
 * architecture view draws the two hosts and the rounds from these.
 */
export interface MigrationProgress {
  kind: 'migration';
  /** Host time, ms. */
  at: number;
  /** The domain's domid on the sending host. */
  domid: number;
  /** The domain's name on the sending host. */
  name?: string;
  /** Sending and receiving host names (`localhost` for a migration within one host). */
  from: string;
  to: string;
  phase: 'start' | 'round' | 'stop-and-copy' | 'done' | 'failed';
  /** Pre-copy round number, from 1 (`round` only). */
  round?: number;
  /** Pages sent in this round, and pages the guest dirtied meanwhile (what the next round sends). */
  sentPages?: number;
  dirtyPages?: number;
}

/** Stable error codes of host commands (each maps to a libxl rc in the toolstack). */
export type HostErrorCode =
  | 'NO_SUCH_DOMAIN'
  | 'NAME_EXISTS'
  | 'OUT_OF_MEMORY'
  | 'INVALID_STATE'
  | 'INVALID_ARGUMENT'
  /** A lifecycle or XenbusState change the transition table does not allow. */
  | 'INVALID_TRANSITION'
  | 'NO_SUCH_DEVICE'
  /** A device (devid, PCI or USB device, port) already in use; a device not made assignable (`DeviceError` says which). */
  | 'DEVICE_BUSY' | 'NOT_ASSIGNABLE'
  /** A value beyond what Xen allows (vCPUs, domids …). */
  | 'LIMIT'
  /** A fault the user asked the host to inject (`xlsim host fault`). */
  | 'INJECTED_FAULT'
  | 'DOMAIN_0';
