/**
 * What the dashboard reads and drives: a small port between the Ink app and the host,
 * so the same views run over an in-process demo host, the persistent state store, or a
 * test fixture. Implementations live in `main.ts` (host and store, via `queries.ts`) and
 * in the tests.
 *
 * Every read names what it needs, so a refresh reads only that: the domain table asks
 * for the core of every domain (what xentop's `getdomaininfolist` returns) plus the
 * device counters and vCPUs of the rows on screen; the event log from the last index
 * seen; the drill-down and the architecture view ask for their own domains only.
 */
import type { DomainInfo, HostEvent, HostInfo } from '../machine/api.js';
import type { DeviceInfo, EventChannelInfo } from '../machine/host.js';
import type { GrantRecord, XsNode } from '../machine/records.js';
import type { TopSample } from './xentop.js';

/** The captured result of one xl command run through `runXl`. */
export interface CommandResult {
  /** xl's exit status. */
  code: number;
  /** Exact bytes written to stdout / stderr. */
  stdout: string;
  stderr: string;
  /** The run was cancelled (its `signal` fired) before the command finished. */
  cancelled?: boolean;
}

/** What one refresh of the table needs. */
export interface SampleRequest {
  /**
   * Domains whose device counters (`nets`, `vbds`) and vCPUs the sample must carry:
   * the rows on screen, or `all` when the table is sorted by a device column. The other
   * domains come without them (the view keeps their last known counters).
   */
  detail?: readonly number[] | 'all';
  /** Index of the first host event the caller has not seen (`HostSample.eventIndex` of the last sample). */
  eventsFrom?: number;
}

/** A step of a live migration, as the sending host records it (machine/api.ts). */
export type { MigrationProgress } from '../machine/api.js';

/** A host event, migration steps included (see `MigrationProgress`). */
export type FeedEvent = HostEvent;

/** A table sample plus what changed since the caller's last look. */
export interface HostSample extends TopSample {
  /** Host events after `SampleRequest.eventsFrom` (at most the newest 200). */
  events?: FeedEvent[];
  /** Index the next event will get: pass it as the next `eventsFrom`. */
  eventIndex?: number;
  /** Names of the host's cpupools' schedulers, pCPUs and the number of domains in each. */
  pools?: { id: number; name: string; scheduler: string; cpus: number[]; domains: number }[];
}

/** Everything the drill-down of one domain shows. */
export interface DrillData {
  nowMs: number;
  /** The domain with its config, vCPUs (with pCPU) and device statistics. */
  info: DomainInfo;
  /** Split-driver devices, both ends. */
  devices: DeviceInfo[];
  /** Event channel ends of the domain. */
  channels: EventChannelInfo[];
  /** Grant references the domain has granted. */
  grants: GrantRecord[];
  /** Hypercalls by kind (PV, PVH) or `exit:<REASON>` and `ioreq:<kind>` (HVM), since boot. */
  counters: Record<string, number>;
  /** Scheduler weight and cap. */
  sched?: { weight: number; cap: number };
  /** The domain's xenstore subtree (`/local/domain/<id>`) and its backends' directories in Domain-0 ([] unless asked for). */
  xenstore: [string, XsNode][];
  /** State of its QEMU device model in Domain-0 (HVM), from `/local/domain/0/device-model/<id>/state`. */
  deviceModel?: string;
  /** The cfg file it was created from, when the dashboard knows it (demo, palette `create`). */
  cfgPath?: string;
}

/** Everything the architecture view draws for one refresh. */
export interface ArchData {
  nowMs: number;
  host: HostInfo;
  pools: { id: number; name: string; scheduler: string; cpus: number[] }[];
  /** Every domain's core (Domain-0 first), for the guest list and the pCPU line. */
  domains: DomainInfo[];
  /** What runs on each pCPU now: `[domid, vcpu]`, or undefined when idle. */
  pcpus: ([number, number] | undefined)[];
  /** Devices of the guests asked for (the ones on screen), by domid. */
  devices: Map<number, DeviceInfo[]>;
  /** Device model state per HVM guest asked for. */
  deviceModels: Map<number, string>;
  /** Total hypercalls (PV, PVH) or VM exits (HVM) so far of the guests asked for, and of Domain-0. */
  calls: Map<number, number>;
  /** Xen's own daemons in Domain-0 that the view names (present in xenstore). */
  daemons: string[];
}

/** A piece of a guest's console output. */
export interface ConsoleChunk {
  /** Output after the offset asked for. */
  text: string;
  /** The new offset. */
  total: number;
  /** The domain is gone; this is its last output. */
  gone: boolean;
}

/**
 * The dashboard's view of a host. No method throws for bad input or a missing domain:
 * failures come back as data (a non-zero `code`, undefined, or an empty result).
 */
export interface TopSource {
  /** A fresh snapshot: host facts, every domain in domid order, and the sample time (ms since the epoch). */
  sample(req?: SampleRequest): Promise<HostSample>;
  /** Console output of `domid` after byte `offset`; undefined for an unknown domain. */
  consoleSince(domid: number, offset: number): Promise<ConsoleChunk | undefined>;
  /** Bytes typed on the guest's console (its login and shell answer). Resolves to an error message, or undefined. */
  consoleInput(domid: number, bytes: string): Promise<string | undefined>;
  /**
   * The drill-down data of `domid`, or undefined when it does not exist. The xenstore
   * subtree is read only when `xenstore` is true (the xenstore tab is showing); else it is [].
   */
  drill(domid: number, opts?: { xenstore?: boolean }): Promise<DrillData | undefined>;
  /** The architecture view's data; device details for the guests in `domids` only. */
  arch(domids: readonly number[]): Promise<ArchData>;
  /**
   * Run one xl command (argv without the leading `xl`, e.g. `['pause', '3']`) through the
   * toolstack, capturing its output (DESIGN.md "The toolstack": the palette runs commands
   * through the same program as the CLI). `signal` cancels a command that waits (shutdown
   * waiting for the guest's acknowledgement): it resolves with `cancelled: true`.
   */
  run(argv: string[], opts?: { signal?: AbortSignal }): Promise<CommandResult>;
  /** Take back a shutdown or reboot request nobody acknowledged (after a cancelled `xl shutdown`). */
  withdrawShutdown(domid: number): Promise<void>;
}
