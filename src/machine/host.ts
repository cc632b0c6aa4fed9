/**
 * The emulated Xen host's public face (DESIGN.md "The machine"): a `Host` reads and
 * changes the host's tables (tables.ts) through `step` (step.ts), the one path for
 * change. It does not keep the host in memory: each query reads the rows it needs,
 * each command writes the rows it changes.
 *
 * Two ways to hold one:
 * - `Host.create(clock, seed)` / `Host.over(backend, clock)`: every command runs in its
 *   own transaction and commits at once (tests, the demo host). A command that throws
 *   leaves the host exactly as it was.
 * - `Host.bind(tx, clock)`: every command writes into `tx`, which its owner (the
 *   toolstack's store) commits or drops as a whole: one xl command, one transaction.
 *
 * Time: commands act at the host's virtual time `now()`; `advanceTo(ms)` runs the
 * queued events due up to `ms` in order ("pop what is due", never a scan of every
 * domain). CPU time and console lines between events cost nothing.
 *
 * Sources: domid allocation as xen/common/domid.c and libxl_create.c (xl-commands.md
 * §5.2), shutdown and the monitor as tools/xl/xl_vmcontrol.c (§5.3), memory as
 * libxl_mem.c (§5.4), xenstore layout as libxl_create.c and libxl_device.c.
 */
import type { DeviceDisk, DeviceNic, DomainConfig, HostFacts } from '../parser/libxl.js';
import type { Clock, DomainInfo, DomainRunState, HostEvent, HostInfo, MigrationProgress, VcpuInfo } from './api.js';
import { allChannels, channelsOf, grantsOf } from './channels.js';
import { consoleNow, hvClear, hvRing } from './console.js';
import { deviceIo, domainCounters, totalOf } from './counters.js';
import { domainCpuNs, reschedule, vcpuRunningAt, vcpuTimeAt } from './cpu.js';
import { Ctx, EVENT_LOG_MAX, type Effect } from './ctx.js';
import { domainExecuting, domainSummary, listingDomid, listingPool, listingRunning, listingSummary } from './summary.js';
import { conringAppend, xenBootLog } from './dmesg.js';
import { HostError } from './errors.js';
import { shutdownAckTime, type ControlRequest } from './guest/os.js';
import { initialTty } from './guest/shell.js';
import { freeKiB, requiredKiB } from './memory.js';
import { hash32 } from './prng.js';
import type {
  DeviceRecord, DomainCore, DomainGuest, DomainRecord, EventChannelRecord, GrantRecord, HostMeta, HostSeed, PoolRecord, RtdsParams, StoredEvent, XsNode, XsWatch,
} from './records.js';
import { DEFAULT_SEED, hostFacts, SCHEMA_VERSION, XenbusState } from './records.js';
import { placeVcpu } from './scheduler.js';
import { consumeCreateFault, step, xenVersion, type FaultInput, type Input } from './step.js';
import { dirtyProfile, exportDomain, importFits, type DirtyProfile, type DomainImage, type ImportOptions } from './migration.js';
import { MemoryBackend, numKey, seqKey, TABLES, Tx, type TableBackend, type TableName } from './tables.js';
import { xsDump, xsList, xsRead, xsWatchersOf, xsWrite } from './xenstore.js';
import type { CreateOptions } from './build.js';
import { deviceApi, type DeviceApi } from './host-devices.js';
import { haApi, type HaApi } from './ha.js';
import type { TriggerName } from './controls.js';
import { qemuMonitorCommand, vncServer, type VncServer } from './qemu.js';
import { freeCpus, poolInfos, rtdsOf, type PoolInfo, type PoolSchedParams, type SchedulerName } from './pools.js';

export { HostError } from './errors.js';
export type { HostSeed } from './records.js';
export type { CreateOptions } from './build.js';
export { MAX_DOMID, DOMID_REUSE_TIMEOUT_MS } from './build.js';
export { RESTART_DELAY_MS } from './monitor.js';
export { CONSOLE_MAX } from './console.js';
export { EVENT_LOG_MAX } from './ctx.js';

export { DEFAULT_SEED } from './records.js';

/** A split-driver device as `xl block-list` / `xl network-list` and the dashboard show it (xl-commands.md §3.7). */
export interface DeviceInfo {
  kind: DeviceRecord['kind'];
  devid: number;
  backendDomid: number;
  /** Frontend domid (block-list "handle" column shows it). */
  frontendDomid: number;
  frontendPath: string;
  backendPath: string;
  /** Frontend XenbusState (what `xl block-list` shows as state). */
  state: number;
  /** Backend XenbusState. */
  backendState: number;
  /** Guest-side event channel port; -1 before the frontend bound one (as xl prints it). */
  evtch: number;
  /** Backend-side event channel port; -1 before the backend bound one. */
  backendEvtch: number;
  /** vbd ring-ref, or vif tx-ring-ref; -1 before the frontend granted it. */
  ringRef: number;
  /** vif rx-ring-ref. */
  rxRingRef?: number;
  /** Every grant reference of its rings. */
  grants: number[];
  /** Backend directory name (`vbd`, `qdisk`, `vif`, …) and driver (`blkback`, `qdisk`, `netback`). */
  backendKind: string;
  driver?: string;
  mac?: string;
  bridge?: string;
  /** Backend-domain network interface for a vif: `vif<domid>.<devid>`, or the vifname= it was given. */
  ifname?: string;
  vdev?: string;
  params?: string;
  /** Live I/O counters. */
  io: { rxPackets: number; txPackets: number; rdReq: number; wrReq: number };
}

/** One end of an event channel (see `EventChannelRecord`). */
export type EventChannelInfo = EventChannelRecord;

/** Options of `listDomains`. */
export interface ListOptions {
  /** Include each domain's config (costs a read per domain). */
  config?: boolean;
  /** Include per-vif and per-vbd statistics (xentop). */
  devices?: boolean;
  /** Place each running vCPU on a pCPU of its own (`xl vcpu-list`); without it `VcpuInfo.cpu` is left out. */
  vcpus?: boolean;
  /**
   * Domains described as `domain()` describes them, less the config and its file: device
   * statistics, every vCPU with the pCPU placed for it, the config's ssidref (the
   * dashboard's rows on screen, read in the same pass as the others).
   */
  detail?: ReadonlySet<number>;
  /**
   * Only these domains (domids), seated with `vcpus` exactly as the whole listing seats
   * them: of the others, only those with a vCPU running at this instant are read in full
   * (the seating goes in domid order and only running vCPUs take a pCPU), so `xl
   * vcpu-list DOMAIN` reads one `listing` row per domain and a few `domains` rows.
   */
  only?: ReadonlySet<number>;
}

/** What `describe` is asked for: a listing's options, and the config's ssidref without the config. */
interface DescribeOptions extends ListOptions {
  ssidref?: boolean;
}

/** How `listDomains` describes the domains of `ListOptions.detail`. */
const DETAIL: DescribeOptions = { vcpus: true, ssidref: true };

type Listener = (event: HostEvent, index: number) => void;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * Checks and completes a host seed (defaults from `DEFAULT_SEED`). Throws
 * `HostError('INVALID_ARGUMENT')` naming the problem (non-positive counts, Domain-0
 * larger than the host, unknown scheduler …).
 */
export function completeSeed(seed?: Partial<HostSeed>): HostSeed {
  const given = Object.fromEntries(Object.entries(isObj(seed) ? seed : {}).filter(([, v]) => v !== undefined));
  const sd: HostSeed = { ...DEFAULT_SEED, ...given } as HostSeed;
  const bad = (msg: string): never => {
    throw new HostError('INVALID_ARGUMENT', `invalid host seed: ${msg}`);
  };
  for (const k of ['nrCpus', 'nrNodes', 'coresPerSocket', 'threadsPerCore', 'totalMemoryMiB', 'dom0Vcpus', 'dom0MemoryMiB', 'xenMajor'] as const) {
    if (!isInt(sd[k]) || sd[k] < 1) bad(`${k} must be a positive integer`);
  }
  if (sd.nrCpus > 4096) bad('nrCpus must be at most 4096');
  if (sd.dom0Vcpus > 512) bad('dom0Vcpus must be at most 512');
  if (!isInt(sd.xenMinor) || sd.xenMinor < 0) bad('xenMinor must be a non-negative integer');
  if (!isInt(sd.xenReservedMiB) || sd.xenReservedMiB < 0) bad('xenReservedMiB must be a non-negative integer');
  if (typeof sd.cpuMhz !== 'number' || !(sd.cpuMhz > 0) || !Number.isFinite(sd.cpuMhz)) bad('cpuMhz must be positive');
  if (sd.nrNodes > sd.nrCpus) bad('more NUMA nodes than pCPUs');
  if (sd.totalMemoryMiB > 2 ** 32) bad('totalMemoryMiB must be at most 4 PiB');
  if (sd.dom0MemoryMiB + sd.xenReservedMiB > sd.totalMemoryMiB) bad('Domain-0 does not fit in host memory');
  if (sd.scheduler !== 'credit' && sd.scheduler !== 'credit2') bad('scheduler must be credit or credit2');
  if (typeof sd.hostname !== 'string' || sd.hostname === '') bad('hostname must be a non-empty string');
  if (typeof sd.xenExtra !== 'string') bad('xenExtra must be a string');
  if (!isInt(sd.rngSeed)) bad('rngSeed must be an integer');
  if (sd.pci !== undefined && (!Array.isArray(sd.pci) || !sd.pci.every((p) => isObj(p) && typeof p.bdf === 'string' && typeof p.description === 'string'))) {
    bad('pci must be a list of { bdf, description }');
  }
  sd.rngSeed = sd.rngSeed >>> 0;
  return sd;
}

/**
 * Writes a freshly booted host into the empty transaction `tx`: the host row, Pool-0
 * with every pCPU, Domain-0 (domid 0, uuid all zeros, `seed.dom0Vcpus` vCPUs,
 * `seed.dom0MemoryMiB` MiB, the stub config of tools/helpers/init-dom-json.c as
 * xl-commands.md §3.4 shows), its xenstore nodes and the hypervisor's boot log. Throws
 * `HostError('INVALID_ARGUMENT')` for an inconsistent seed or a non-finite clock.
 */
export function initHost(tx: Tx, clock: Clock, seed?: Partial<HostSeed>): void {
  const sd = completeSeed(seed);
  const now = Math.floor(clock.now());
  if (!Number.isFinite(now)) throw new HostError('INVALID_ARGUMENT', 'invalid host seed: clock time is not a finite number');
  const dom0Kib = sd.dom0MemoryMiB * 1024;
  const meta: HostMeta = {
    schema: SCHEMA_VERSION, seed: sd, bootTime: now, now, rng: sd.rngSeed, lastDomid: 0, recentlyDestroyed: [],
    nextPty: 1, queueSeq: 0, eventCount: 0, usedKiB: dom0Kib, claimsKiB: 0, domainCount: 1, faults: {},
  };
  const ctx = Ctx.fresh(tx, meta);
  const cpus = Array.from({ length: sd.nrCpus }, (_, i) => i);
  const pool: PoolRecord = {
    id: 0, name: 'Pool-0', scheduler: sd.scheduler, cpus, demand: 0, lightDemand: 0, mode: 'classes', classes: {}, pinned: 0, contended: false,
  };
  ctx.putPool(pool);
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
    domid: 0, name: 'Domain-0', uuid: '00000000-0000-0000-0000-000000000000', type: 'pv', createdAt: now,
    life: { state: 'running' }, pauseCount: 0, run: { ms: 0, since: now },
    guest: {
      os: 'linux', flavour: 'debian', kernelRelease: '6.1.0-28-amd64', stage: 'up', bootStartRun: 0, xenbus: true,
      workload: { kind: 'idle' }, tty: initialTty(),
    },
    vcpus: Array.from({ length: sd.dom0Vcpus }, () => ({
      online: true, timeNs: 0, rate: 0, since: now, wobble: false, demand: 0, hard: null, soft: null,
    })),
    mem: { memKiB: dom0Kib, targetKiB: dom0Kib, videoKiB: 0, overheadKiB: 0 },
    sched: { weight: 256, cap: 0, pool: 0 },
    monitor: false, counters: {}, nextPort: 16, nextGrant: 8, pty: 0, timers: [],
  };
  ctx.tx.put('names', 'Domain-0', 0);
  ctx.tx.put('configs', numKey(0), dom0Config);
  ctx.putConsole('hv', { text: conringAppend('', xenBootLog(sd)), total: 0 });
  xsWrite(ctx, '/local', '', ['n0']);
  xsWrite(ctx, '/local/domain', '', ['n0']);
  xsWrite(ctx, '/local/domain/0', '', ['n0']);
  xsWrite(ctx, '/local/domain/0/name', 'Domain-0');
  xsWrite(ctx, '/local/domain/0/domid', '0');
  xsWrite(ctx, '/local/domain/0/memory/target', String(dom0Kib));
  for (let i = 0; i < sd.dom0Vcpus; i++) xsWrite(ctx, `/local/domain/0/cpu/${i}/availability`, 'online');
  xsWrite(ctx, '/local/domain/0/backend', '');
  xsWrite(ctx, '/tool/xenstored', '');
  xsWrite(ctx, '/vm', '', ['n0']);
  xsWrite(ctx, '/libxl', '', ['n0']);
  reschedule(ctx, dom0);
  ctx.saveMeta();
}

/**
 * An emulated Xen host over its tables (see the module comment). Every command checks
 * its preconditions and throws `HostError` (stable `code`) on failure, changing nothing.
 */
export class Host {
  private listeners: Listener[] = [];

  private constructor(
    /** The injected clock (`sync()` advances the host to it). */
    readonly clock: Clock,
    private readonly backend: TableBackend | undefined,
    private readonly bound: Tx | undefined,
  ) {}

  /** A new host in memory, booted at `clock.now()` (see `initHost`), committing each command at once. */
  static create(clock: Clock, seed?: Partial<HostSeed>): Host {
    const backend = new MemoryBackend();
    const tx = Tx.over(backend);
    initHost(tx, clock, seed);
    tx.commit(backend);
    return new Host(clock, backend, undefined);
  }

  /** A host over tables that already hold one (`initHost`), committing each command at once. */
  static over(backend: TableBackend, clock: Clock): Host {
    const h = new Host(clock, backend, undefined);
    h.read(() => undefined); // fails early on empty or foreign tables
    return h;
  }

  /**
   * A host whose commands write into `tx` (one xl command, one transaction). Throws
   * `HostError('INVALID_STATE')` when `tx` holds no host or one of another layout.
   */
  static bind(tx: Tx, clock: Clock): Host {
    Ctx.open(tx);
    return new Host(clock, undefined, tx);
  }

  /** The in-memory tables of a host made by `create` or `over(MemoryBackend)`; undefined otherwise. */
  memoryBackend(): MemoryBackend | undefined {
    return this.backend instanceof MemoryBackend ? this.backend : undefined;
  }

  // ---------------------------------------------------------------- plumbing

  /** Runs a query at the host's time; nothing it writes (pending console lines) is kept. */
  private read<T>(fn: (ctx: Ctx) => T): T {
    const tx = this.bound ?? Tx.over(this.backend!);
    return fn(Ctx.open(tx));
  }

  /** Runs one or more steps in a transaction of their own; commits on success, drops on throw. */
  private change<T>(fn: (ctx: Ctx) => T): T {
    const tx = this.bound ? this.bound.child() : Tx.over(this.backend!);
    const ctx = Ctx.open(tx);
    const result = fn(ctx);
    ctx.saveMeta();
    tx.commit(this.bound ? undefined : this.backend);
    this.deliver(ctx.effects);
    return result;
  }

  private apply(input: Input): number | undefined {
    return this.change((ctx) => step(ctx, input));
  }

  private deliver(effects: Effect[]): void {
    if (!this.listeners.length) return;
    for (const e of effects) {
      const [event, index]: [HostEvent, number] = e.kind === 'event' ? [e.event, e.index] : [{ kind: 'console', at: 0, domid: e.domid, text: e.text }, -1];
      for (const l of [...this.listeners]) {
        try {
          l(structuredClone(event), index);
        } catch {
          // a listener's failure is its own business
        }
      }
    }
  }

  // ---------------------------------------------------------------- queries

  /** The host's current virtual time, ms since the Unix epoch. */
  now(): number {
    return this.read((ctx) => ctx.now);
  }

  /** The machine's description (a copy). */
  seed(): HostSeed {
    return this.read((ctx) => structuredClone(ctx.meta.seed));
  }

  /** Physical facts and free memory (`xl info`, xl-commands.md §3.5). Memory in MiB. */
  info(): HostInfo {
    return this.read((ctx) => {
      const sd = ctx.meta.seed;
      const pool0 = ctx.pool(0);
      return {
        hostname: sd.hostname,
        nrCpus: sd.nrCpus,
        nrNodes: sd.nrNodes,
        coresPerSocket: sd.coresPerSocket,
        threadsPerCore: sd.threadsPerCore,
        cpuMhz: sd.cpuMhz,
        totalMemoryMiB: sd.totalMemoryMiB,
        freeMemoryMiB: Math.floor(freeKiB(ctx) / 1024),
        xenMajor: sd.xenMajor,
        xenMinor: sd.xenMinor,
        xenExtra: sd.xenExtra,
        scheduler: pool0?.scheduler === 'credit' ? 'credit' : 'credit2',
      };
    });
  }

  /** What xl asks before parsing (`libxl_get_physinfo`): pCPUs, NUMA nodes, arch x86. */
  facts(): HostFacts {
    return this.read((ctx) => hostFacts(ctx.meta.seed));
  }

  /** Free host memory, KiB. */
  freeKiB(): number {
    return this.read((ctx) => freeKiB(ctx));
  }

  /**
   * What building `config` needs free, KiB (libxl_domain_need_memory; memory.ts
   * `requiredKiB`), or undefined for a config without a type and target.
   */
  requiredKiB(config: DomainConfig): number | undefined {
    const type = config?.c_info?.type;
    const target = config?.b_info?.target_memkb ?? config?.b_info?.max_memkb ?? 32768;
    if (type !== 'pv' && type !== 'pvh' && type !== 'hvm') return undefined;
    if (!isInt(target)) return undefined;
    return requiredKiB(type, target, isInt(config.b_info.shadow_memkb) ? config.b_info.shadow_memkb : 0);
  }

  /** Number of domains, Domain-0 included (O(1)). */
  domainCount(): number {
    return this.read((ctx) => ctx.meta.domainCount);
  }

  /** Every domain, ascending domid (Domain-0 first), as read-only copies. */
  listDomains(opts: ListOptions = {}): DomainInfo[] {
    return this.read((ctx) => {
      const pools = new Map(ctx.allPools().map((p) => [p.id, p]));
      const devs = opts.devices ? this.devicesByDomain(ctx) : undefined;
      const all = Array.from({ length: ctx.meta.seed.nrCpus }, (_, i) => i);
      const out: DomainInfo[] = [];
      const detail = opts.detail;
      const only = opts.only;
      if (only) {
        const seats: DomainCore[] = [];
        ctx.forEachListing((row) => {
          const domid = listingDomid(row);
          const runs = opts.vcpus === true && listingRunning(row, ctx.now, pools.get(listingPool(row)));
          if (only.has(domid) || runs) seats.push(ctx.domainCore(domid)!);
        });
        for (const d of seats) out.push(this.describe(ctx, d, pools, opts, opts.devices ? ctx.devices(d.domid) : undefined, all));
        if (opts.vcpus) seatRunningVcpus(out, pools);
        return out.filter((d) => only.has(d.domid));
      }
      if (!opts.devices && !opts.vcpus && !opts.config) {
        // The plain listing (xl list, the dashboard's rows) from the `listing` rows; only
        // the detail domains need their `domains` row.
        ctx.forEachListing((row) => {
          const domid = listingDomid(row);
          out.push(
            detail?.has(domid)
              ? this.describe(ctx, ctx.domainCore(domid)!, pools, DETAIL, ctx.devices(domid), all)
              : listingSummary(row, ctx.now, pools.get(listingPool(row))),
          );
        });
        return out;
      }
      ctx.forEachDomainCore((d) =>
        out.push(
          detail?.has(d.domid)
            ? this.describe(ctx, d, pools, DETAIL, ctx.devices(d.domid), all)
            : this.describe(ctx, d, pools, opts, devs?.get(d.domid) ?? (devs ? [] : undefined), all),
        ),
      );
      if (opts.vcpus) seatRunningVcpus(out, pools);
      return out;
    });
  }

  /** One domain with its config and device statistics, or undefined when no domain has that domid. */
  domain(domid: number): DomainInfo | undefined {
    return this.read((ctx) => {
      const rec = ctx.domain(domid);
      if (!rec) return undefined;
      const pools = new Map(ctx.allPools().map((p) => [p.id, p]));
      return this.describe(ctx, rec, pools, { config: true, vcpus: true }, ctx.devices(domid), Array.from({ length: ctx.meta.seed.nrCpus }, (_, i) => i));
    });
  }

  /** The config the domain runs with (libxl's stored copy), or undefined. */
  domainConfig(domid: number): DomainConfig | undefined {
    return this.read((ctx) => ctx.tx.get<DomainConfig>('configs', numKey(domid)));
  }

  /** domid of the domain with exactly this name, or undefined (xl-commands.md §5.5). */
  domidByName(name: string): number | undefined {
    return this.read((ctx) => ctx.domidByName(name));
  }

  /**
   * The event log from absolute index `sinceIndex` (default 0) on. Events older than the
   * last `EVENT_LOG_MAX` are dropped; `eventCount()` is the index the next event gets.
   */
  events(sinceIndex = 0): HostEvent[] {
    return this.read((ctx) => {
      const from = Math.max(0, Math.floor(Number.isFinite(sinceIndex) ? sinceIndex : 0), ctx.meta.eventCount - EVENT_LOG_MAX);
      return ctx.tx.range<StoredEvent>('events', seqKey(from), undefined).map(([, e]) => structuredClone(e) as unknown as HostEvent);
    });
  }

  /** Absolute index the next event will get (= number of events ever emitted). */
  eventCount(): number {
    return this.read((ctx) => ctx.meta.eventCount);
  }

  /**
   * Calls `listener(event, index)` for every event this `Host` object applies from now
   * on (console output comes as `console` events with index -1); returns a function that
   * unsubscribes. Exceptions thrown by a listener are swallowed.
   */
  onEvent(listener: (event: HostEvent, index: number) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** The hypervisor console ring as `xl dmesg` prints it (at most 16 KiB, xen/drivers/char/console.c). */
  dmesg(): string {
    return this.read((ctx) => hvRing(ctx));
  }

  /** Guest console output so far (at most the last CONSOLE_MAX bytes); '' for unknown domains. */
  consoleLog(domid: number): string {
    return this.read((ctx) => {
      const rec = ctx.domain(domid);
      return rec ? consoleNow(ctx, rec).text : '';
    });
  }

  /**
   * Console output after byte `offset` of everything the guest ever printed, and the new
   * offset (`total`). When `offset` is older than the ring holds, what is left is given.
   * A domain destroyed less than a minute ago still gives its last words, with
   * `gone: true`. Undefined for unknown domains.
   */
  consoleSince(domid: number, offset: number): { text: string; total: number; gone: boolean } | undefined {
    return this.read((ctx) => {
      const rec = ctx.domain(domid);
      const c = rec ? consoleNow(ctx, rec) : ctx.console(domid);
      if (!c || (!rec && !c.gone)) return undefined;
      const missing = c.total - Math.max(0, Math.floor(offset));
      const text = missing <= 0 ? '' : c.text.slice(Math.max(0, c.text.length - missing));
      return { text, total: c.total, gone: rec === undefined };
    });
  }

  /** The domain's split-driver devices (by kind, then devid); [] for unknown domains. */
  devices(domid: number): DeviceInfo[] {
    return this.read((ctx) => {
      const rec = ctx.domain(domid);
      if (!rec) return [];
      const run = ctx.runMs(rec);
      const cpu = domainCpuNs(rec, ctx.now, ctx.pool(rec.sched.pool));
      return ctx.devices(domid).map((d) => deviceInfo(d, run, cpu));
    });
  }

  /** Event channel ends owned by `domid` (all of them when omitted), by domid then port. */
  eventChannels(domid?: number): EventChannelInfo[] {
    return this.read((ctx) => (domid === undefined ? allChannels(ctx) : channelsOf(ctx, domid)));
  }

  /** Grant references `domid` has granted, ascending. */
  grants(domid: number): GrantRecord[] {
    return this.read((ctx) => grantsOf(ctx, domid));
  }

  /** Hypercalls (PV, PVH) or VM exits (HVM) the domain has made so far, in total. */
  hypercalls(domid: number): number | undefined {
    const c = this.counters(domid);
    if (!c) return undefined;
    return totalOf(c, Object.keys(c).some((k) => k.startsWith('exit:')));
  }

  /** The domain's counts by kind (counters.ts `domainCounters`), or undefined. */
  counters(domid: number): Record<string, number> | undefined {
    return this.read((ctx) => {
      const rec = ctx.domain(domid);
      return rec ? domainCounters(rec, ctx.runMs(rec), domainCpuNs(rec, ctx.now, ctx.pool(rec.sched.pool))) : undefined;
    });
  }

  /** Read a xenstore node (e.g. `/local/domain/3/name`); undefined when absent. */
  xenstoreRead(path: string): string | undefined {
    return this.read((ctx) => xsRead(ctx, path));
  }

  /** Children of a xenstore directory, xenstored order; [] when absent. */
  xenstoreList(path: string): string[] {
    return this.read((ctx) => xsList(ctx, path));
  }

  /** Every node at and under `path` with its value and permissions, in path order. */
  xenstoreDump(path: string): [string, XsNode][] {
    return this.read((ctx) => xsDump(ctx, path));
  }

  /** The watches a write at `path` would fire (registered there or above). */
  xenstoreWatchers(path: string): XsWatch[] {
    return this.read((ctx) => xsWatchersOf(ctx, path));
  }

  /**
   * Virtual ms at which the guest will acknowledge its pending shutdown request, or
   * undefined when there is none or it cannot yet (paused, still booting its firmware).
   */
  shutdownAckTime(domid: number): number | undefined {
    return this.read((ctx) => {
      const rec = ctx.domain(domid);
      return rec ? shutdownAckTime(ctx, rec) : undefined;
    });
  }

  /** Virtual ms of the next queued event (a boot milestone, a shutdown, a restart …), or undefined. */
  nextEventTime(): number | undefined {
    return this.read((ctx) => ctx.firstDueTime());
  }

  /** The domain's scheduler parameters (`xl sched-credit2 -d`): weight 1…65535 and cap (% of one pCPU, 0 = none). */
  schedParams(domid: number): { weight: number; cap: number } | undefined {
    return this.read((ctx) => {
      const rec = ctx.domain(domid);
      return rec ? { weight: rec.sched.weight, cap: rec.sched.cap } : undefined;
    });
  }

  /** The cpupools, ascending id. */
  pools(): { id: number; name: string; scheduler: string; cpus: number[]; domains: number }[] {
    return this.read((ctx) => {
      const counts = new Map<number, number>();
      for (const d of ctx.allDomainCores()) counts.set(d.sched.pool, (counts.get(d.sched.pool) ?? 0) + 1);
      return ctx.allPools().map((p) => ({ id: p.id, name: p.name, scheduler: p.scheduler, cpus: [...p.cpus], domains: counts.get(p.id) ?? 0 }));
    });
  }

  /** Every row of every table, keys ascending (determinism checks, exports). */
  exportTables(): Record<TableName, [string, unknown][]> {
    return this.read((ctx) => {
      const out = {} as Record<TableName, [string, unknown][]>;
      for (const t of TABLES) out[t] = ctx.tx.range<unknown>(t, '', undefined).map(([k, v]) => [k, structuredClone(v)]);
      return out;
    });
  }

  // ---------------------------------------------------------------- time

  /** Advances the host to the clock's current time (`advanceTo(clock.now())`). */
  sync(): void {
    this.advanceTo(this.clock.now());
  }

  /**
   * Runs every queued event due up to virtual time `ms` (fractions dropped), in time
   * order, then sets the host's time to `ms`. A time at or before `now()` does nothing.
   * Returns how many queued events ran (0: only the time moved). Never throws: an event
   * that fails (a bug) is dropped and the rest still run.
   */
  advanceTo(ms: number): number {
    if (!Number.isFinite(ms)) return 0;
    const target = Math.floor(ms);
    let ran = 0;
    this.change((ctx) => {
      if (target <= ctx.now) return;
      let after: string | undefined;
      for (let guard = 0; guard < 10_000_000; guard++) {
        const next = ctx.nextDue(target, after);
        if (!next) break;
        const [key, ev] = next;
        after = key;
        ran++;
        ctx.meta.now = Math.max(ctx.now, ev.due);
        const child = ctx.tx.child();
        try {
          const sub = Ctx.open(child);
          sub.meta.now = ctx.meta.now;
          step(sub, { kind: 'due', key, event: ev });
          sub.saveMeta();
          child.commit();
          Object.assign(ctx.meta, sub.meta);
          ctx.effects.push(...sub.effects);
        } catch {
          ctx.unschedule(key);
        }
      }
      ctx.meta.now = Math.max(ctx.now, target);
    });
    return ran;
  }

  // ---------------------------------------------------------------- commands

  /**
   * Builds and (unless `opts.paused`) starts a domain from a libxl-shaped config
   * (xl-commands.md §5.1); returns the new domid. See build.ts `createDomain` for the
   * checks and the errors (NAME_EXISTS, OUT_OF_MEMORY, LIMIT, INVALID_ARGUMENT,
   * INVALID_STATE, INJECTED_FAULT). Unlike real xl a failed create consumes no domid.
   */
  createDomain(config: DomainConfig, opts?: CreateOptions): number {
    try {
      return this.apply({ kind: 'create', config, opts: opts ?? {} })!;
    } catch (e) {
      if (e instanceof HostError) throw e;
      throw new HostError('INVALID_ARGUMENT', `invalid domain config: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Uses up one injected create failure (after a create failed with INJECTED_FAULT). */
  consumeCreateFault(): void {
    this.change((ctx) => consumeCreateFault(ctx));
  }

  /** Pauses a domain (`xl pause`; nests up to 255). Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE. */
  pause(domid: number): void {
    this.apply({ kind: 'pause', domid });
  }

  /** Undoes one pause (`xl unpause`). Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE (not paused). */
  unpause(domid: number): void {
    this.apply({ kind: 'unpause', domid });
  }

  /**
   * Asks the guest to shut down (`xl shutdown`, `xl reboot`, the suspend of `xl save`):
   * writes the reason to `control/shutdown`. The guest acknowledges once its xenbus is up
   * and it runs (`shutdownAckTime`), stops its services, then shuts down; its monitor
   * runs the on_* action. Throws NO_SUCH_DOMAIN, DOMAIN_0 (at once: Domain-0 is not
   * shut down from xl), INVALID_STATE (not running), INVALID_ARGUMENT (bad reason).
   */
  requestShutdown(domid: number, reason: ControlRequest): void {
    this.apply({ kind: 'shutdown', domid, reason });
  }

  /**
   * Takes back a shutdown request the guest has not acknowledged (clears
   * `control/shutdown`). No-op when there is none. Throws NO_SUCH_DOMAIN.
   */
  withdrawShutdown(domid: number): void {
    this.apply({ kind: 'withdraw-shutdown', domid });
  }

  /** Destroys a domain at once (`xl destroy`). Throws NO_SUCH_DOMAIN, DOMAIN_0. */
  destroy(domid: number): void {
    this.apply({ kind: 'destroy', domid });
  }

  /** Makes the guest's kernel panic now (on_crash follows). Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE. */
  crash(domid: number): void {
    this.apply({ kind: 'crash', domid });
  }

  /** vCPUs 0…count−1 online, the rest offline (`xl vcpu-set`). Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT, INVALID_STATE. */
  setVcpus(domid: number, count: number): void {
    this.apply({ kind: 'set-vcpus', domid, count });
  }

  /**
   * Sets the balloon target, KiB (`xl mem-set`); Xen's max becomes target + video RAM +
   * 1024 KiB. Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT, INVALID_STATE, OUT_OF_MEMORY.
   */
  setMemoryTarget(domid: number, kib: number): void {
    this.apply({ kind: 'mem-target', domid, kib });
  }

  /** Sets memory/static-max, KiB (`xl mem-max`). Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT. */
  setMaxMemory(domid: number, kib: number): void {
    this.apply({ kind: 'mem-max', domid, kib });
  }

  /** Renames a domain (`xl rename`). Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT, NAME_EXISTS. */
  rename(domid: number, name: string): void {
    this.apply({ kind: 'rename', domid, name });
  }

  /** Changes weight and/or cap (`xl sched-credit2 -d dom -w W -c C`). Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT. */
  setSchedParams(domid: number, params: { weight?: number; cap?: number }): void {
    const p = isObj(params) ? params : {};
    this.apply({ kind: 'sched', domid, weight: p.weight as number | undefined, cap: p.cap as number | undefined });
  }

  /**
   * Sets vCPU affinity (`xl vcpu-pin`): `hard` / `soft` pCPU id lists for one vCPU or
   * all (`null` = every pCPU, undefined = leave as is). The scheduler honours hard
   * affinity at once. Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT.
   */
  pinVcpu(domid: number, vcpu: number | 'all', hard?: number[] | null, soft?: number[] | null): void {
    this.apply({ kind: 'pin', domid, vcpu, hard, soft });
  }

  /**
   * Hot-plugs a virtual disk (`xl block-attach`): backend and frontend directories, the
   * backend probes at once, the frontend connects a few ms later (once the guest runs).
   * Returns the vbd devid (xvdb = 51728). Throws NO_SUCH_DOMAIN, DOMAIN_0,
   * INVALID_STATE (not running), INVALID_ARGUMENT (bad vdev, device exists).
   */
  attachDisk(domid: number, disk: DeviceDisk): number {
    return this.apply({ kind: 'attach-disk', domid, disk })!;
  }

  /** Hot-unplugs a vbd by devid (`xl block-detach`). Throws NO_SUCH_DOMAIN, DOMAIN_0, NO_SUCH_DEVICE. */
  detachDisk(domid: number, devid: number): void {
    this.apply({ kind: 'detach', domid, device: 'vbd', devid });
  }

  /**
   * Hot-plugs a network interface (`xl network-attach`): devid given or next free, MAC
   * given or generated, Domain-0 interface `vif<domid>.<devid>`. Returns the devid.
   * Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE, INVALID_ARGUMENT.
   */
  attachNic(domid: number, nic: DeviceNic): number {
    return this.apply({ kind: 'attach-nic', domid, nic })!;
  }

  /** Hot-unplugs a vif by devid (`xl network-detach`). Throws NO_SUCH_DOMAIN, DOMAIN_0, NO_SUCH_DEVICE. */
  detachNic(domid: number, devid: number): void {
    this.apply({ kind: 'detach', domid, device: 'vif', devid });
  }

  /** Bytes typed on the guest's console (its login and shell answer). Throws NO_SUCH_DOMAIN. */
  consoleInput(domid: number, bytes: string): void {
    this.apply({ kind: 'console-input', domid, bytes });
  }

  /** Empties the hypervisor console ring (`xl dmesg -c`). */
  clearDmesg(): void {
    this.change((ctx) => hvClear(ctx));
  }

  /** Injects a fault (`xlsim host fault …`). Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_ARGUMENT. */
  injectFault(fault: FaultInput): void {
    this.apply({ kind: 'fault', fault });
  }

  /** Faults armed host-wide. */
  faults(): { failCreates: number } {
    return this.read((ctx) => ({ failCreates: ctx.meta.faults.failCreates ?? 0 }));
  }

  // ---------------------------------------------------------------- save, restore, migration

  /**
   * Asks the guest to suspend (libxl_dom_suspend.c: `control/shutdown` = `suspend`),
   * keeping its state for a later resume or save. The guest acknowledges when it can
   * (`shutdownAckTime`) and then shuts down with reason suspend (`---ss-`). Throws
   * NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE (not running). See migration.ts.
   */
  requestSuspend(domid: number): void {
    this.apply({ kind: 'sr', op: { op: 'suspend', domid } });
  }

  /** Takes back an unacknowledged suspend request (libxl's timeout path). Throws NO_SUCH_DOMAIN. */
  cancelSuspend(domid: number): void {
    this.apply({ kind: 'sr', op: { op: 'cancel-suspend', domid } });
  }

  /** Prints, once, a suspended Linux guest's freezer lines on its console. Throws NO_SUCH_DOMAIN. */
  noteSuspended(domid: number): void {
    this.apply({ kind: 'sr', op: { op: 'note-suspended', domid } });
  }

  /**
   * `xl resume` / libxl_domain_resume(…, suspend_cancel=1): a suspended guest carries on
   * with the state it had; any other domain is left as it is. Throws NO_SUCH_DOMAIN, DOMAIN_0.
   */
  resumeDomain(domid: number): void {
    this.apply({ kind: 'sr', op: { op: 'resume', domid } });
  }

  /**
   * The suspended domain as a `DomainImage` (what xl save writes, migration sends).
   * Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE (not suspended).
   */
  exportImage(domid: number): DomainImage {
    return this.read((ctx) => exportDomain(ctx, domid));
  }

  /**
   * Builds a domain from an image (libxl_domain_create_restore); returns its new domid.
   * Throws NAME_EXISTS, OUT_OF_MEMORY, INVALID_STATE (requested domid in use),
   * INVALID_ARGUMENT (malformed image or config). See migration.ts `importDomain`.
   */
  importImage(image: DomainImage, opts: ImportOptions): number {
    return this.change((ctx) => step(ctx, { kind: 'sr', op: { op: 'import', image, opts, xenVersion: xenVersion(ctx) } }))!;
  }

  /** Whether a domain from `config` named `name` fits here now: 'name' taken, 'memory' short, or undefined. */
  importFits(config: DomainConfig, name: string): 'name' | 'memory' | undefined {
    return this.read((ctx) => importFits(ctx, config, name));
  }

  /** Records a step of an outgoing live migration in the host's event log (`MigrationProgress`, for the dashboard). Never throws. */
  noteMigration(progress: Omit<MigrationProgress, 'kind' | 'at'>): void {
    this.apply({ kind: 'sr', op: { op: 'progress', progress } });
  }

  /** Destroys a migrated-away domain (keeps a same-UUID twin's /vm nodes). Throws NO_SUCH_DOMAIN, DOMAIN_0. */
  destroyMigrated(domid: number): void {
    this.apply({ kind: 'sr', op: { op: 'destroy-migrated', domid } });
  }

  /** How the guest dirties memory now (pre-copy model), or undefined for an unknown domain. */
  dirtyProfile(domid: number): DirtyProfile | undefined {
    return this.read((ctx) => {
      const rec = ctx.domain(domid);
      return rec ? dirtyProfile(rec) : undefined;
    });
  }

  // ---------------------------------------------------------------- cpupools, pinning, schedulers

  /** Every cpupool with its pCPUs, domain count and scheduler parameters, ascending id (pools.ts `poolInfos`). */
  cpupools(): PoolInfo[] {
    return this.read((ctx) => poolInfos(ctx));
  }

  /** pCPUs in no cpupool, ascending (`xl info` free_cpus, `libxl_get_freecpus`). */
  freeCpus(): number[] {
    return this.read((ctx) => freeCpus(ctx));
  }

  /** The id of the cpupool the domain is in, or undefined for an unknown domain. */
  cpupoolOf(domid: number): number | undefined {
    return this.read((ctx) => ctx.domainCore(domid)?.sched.pool);
  }

  /**
   * Creates a cpupool with `scheduler` and the free pCPUs `cpus` (`xl cpupool-create`);
   * returns its id. Throws XenError (xen-error.ts): ENOENT (scheduler not built in),
   * ENOSPC (too many pools), EINVAL (no such pCPU), ENODEV (pCPU not free).
   */
  createCpupool(name: string, scheduler: SchedulerName, cpus: number[] = []): number {
    return this.apply({ kind: 'pool', op: { kind: 'create', name, scheduler, cpus } })!;
  }

  /** Destroys an empty cpupool, freeing its pCPUs (`xl cpupool-destroy`). Throws XenError ENOENT, EBUSY (has domains; Pool-0). */
  destroyCpupool(poolid: number): void {
    this.apply({ kind: 'pool', op: { kind: 'destroy', pool: poolid } });
  }

  /** Renames a cpupool (`xl cpupool-rename`; names need not be unique, as in libxl). Throws XenError ENOENT. */
  renameCpupool(poolid: number, name: string): void {
    this.apply({ kind: 'pool', op: { kind: 'rename', pool: poolid, name } });
  }

  /** Moves a free pCPU into a cpupool (`xl cpupool-cpu-add`). Throws XenError ENOENT, EINVAL, ENODEV. */
  cpupoolAddCpu(poolid: number, cpu: number): void {
    this.apply({ kind: 'pool', op: { kind: 'cpu-add', pool: poolid, cpu } });
  }

  /**
   * Frees a pCPU of a cpupool (`xl cpupool-cpu-remove`). Throws XenError ENOENT, EINVAL
   * (pCPU 0 of Pool-0), EADDRNOTAVAIL (not in the pool), EBUSY (last pCPU of a pool with domains).
   */
  cpupoolRemoveCpu(poolid: number, cpu: number): void {
    this.apply({ kind: 'pool', op: { kind: 'cpu-remove', pool: poolid, cpu } });
  }

  /**
   * Moves a domain into a cpupool (`xl cpupool-migrate`): default scheduler parameters,
   * affinities reset to all pCPUs, CPU time from the new pool's pCPUs. Throws XenError
   * ESRCH, EPERM (Domain-0), ENOENT (no such pool or a pool without pCPUs).
   */
  moveToCpupool(domid: number, poolid: number): void {
    this.apply({ kind: 'pool', op: { kind: 'move-domain', pool: poolid, domid } });
  }

  /**
   * Sets a credit / credit2 cpupool's parameters (`xl sched-credit -s -t -r -m`,
   * `xl sched-credit2 -s -r`): tslice ms, ratelimit µs, migration delay µs. Throws
   * XenError ESRCH (no pool), EINVAL (wrong scheduler, out of range).
   */
  setCpupoolSchedParams(poolid: number, params: PoolSchedParams): void {
    this.apply({ kind: 'pool', op: { kind: 'params', pool: poolid, params } });
  }

  /** Each vCPU's RTDS period / budget (µs) and extratime, or undefined for an unknown domain. */
  rtdsParams(domid: number): RtdsParams[] | undefined {
    return this.read((ctx) => {
      const rec = ctx.domainCore(domid);
      return rec ? rtdsOf(rec) : undefined;
    });
  }

  /**
   * Sets RTDS parameters of some vCPUs (`xl sched-rtds -d D -v N -p P -b B -e E`). A vCPU
   * without extratime gets at most budget/period of a pCPU. Throws XenError: ESRCH,
   * EINVAL (not in an RTDS pool, bad vCPU, period/budget out of range).
   */
  setRtdsParams(domid: number, vcpus: { vcpu: number; period: number; budget: number; extratime: boolean }[]): void {
    this.apply({ kind: 'pool', op: { kind: 'rtds', domid, vcpus } });
  }

  // ---------------------------------------------------------------- devices

  /** Device hot-plug beyond vbd/vif, CD media, USB and PCI passthrough: see host-devices.ts `DeviceApi`. */
  readonly dev: DeviceApi = deviceApi((op) => { const result: { value?: unknown } = {}; this.apply({ kind: 'device', op, result }); return result.value; }, (fn) => this.read(fn));
  /** Remus checkpoints and network buffers, and the devds running: see ha.ts `HaApi`. */
  readonly ha: HaApi = haApi((op) => { const result: { value?: unknown } = {}; this.apply({ kind: 'ha', op, result }); return result.value; }, (fn) => this.read(fn));

  // ---------------------------------------------------------------- guest controls and misc

  /**
   * XEN_DOMCTL_sendtrigger (`xl trigger`, `xl button-press`) and the guest's reaction
   * (controls.ts): `nmi` to vCPU `vcpu`, ACPI `power` / `sleep` buttons (HVM),
   * `s3resume` (HVM device model). Throws XenError: ESRCH (no domain, bad vCPU), EINVAL,
   * ENOSYS (`init`, `reset` on x86).
   */
  sendTrigger(domid: number, trigger: TriggerName, vcpu = 0): void {
    this.apply({ kind: 'control', op: { kind: 'trigger', domid, trigger, vcpu } });
  }

  /**
   * Writes a sysrq letter to the guest's `control/sysrq` (`xl sysrq`); a Linux guest with
   * xenbus up reacts at once (its console shows the kernel's sysrq lines; `b` reboots, `c`
   * crashes, `o` powers off). Throws XenError NO_SUCH_DOMAIN, INVALID_ARGUMENT, DOMAIN_0
   * (`b`/`c`/`o` to Domain-0).
   */
  sendSysrq(domid: number, key: string): void {
    this.apply({ kind: 'control', op: { kind: 'sysrq', domid, key } });
  }

  /** Keeps `config` for the domain's next restart (`xl config-update`). Throws XenError NO_SUCH_DOMAIN, INVALID_ARGUMENT. */
  updateConfig(domid: number, config: DomainConfig): void {
    this.apply({ kind: 'control', op: { kind: 'config-update', domid, config } });
  }

  /** The config `updateConfig` stored for the domain's next restart, or undefined. */
  pendingConfig(domid: number): DomainConfig | undefined {
    return this.read((ctx) => ctx.domain(domid)?.pendingConfig);
  }

  /**
   * Presses Xen debug keys (`xl debug-keys`): each key's output is appended to the
   * hypervisor console ring (`dmesg()`), see keyhandler.ts. Throws XenError DOMAIN_0 for
   * 'R' (it would reboot the host).
   */
  debugKeys(keys: string): void {
    this.apply({ kind: 'control', op: { kind: 'debug-keys', keys } });
  }

  /**
   * Runs a human-monitor command in the domain's QEMU (`xl qemu-monitor-command`) and
   * returns its output, lines ending `\r\n` (qemu.ts: `info status|version|cpus|block|network`).
   * Throws XenError ENOENT when the domain has no device model (PV/PVH, Domain-0, none).
   */
  qemuMonitorCommand(domid: number, command: string): string {
    return this.read((ctx) => qemuMonitorCommand(ctx, domid, command));
  }

  /** Where the domain's device model serves VNC (`xl vncviewer`), or undefined when it does not (qemu.ts). */
  vncServer(domid: number): VncServer | undefined {
    return this.read((ctx) => vncServer(ctx, domid));
  }

  /**
   * Writes one runtime hypervisor parameter (`xl set-parameters name=value`, hypfs
   * `/params/<name>`). Throws XenError ENOENT (not a runtime parameter), EINVAL, EDOM, ENOSPC.
   */
  setParameter(name: string, value: string): void {
    this.apply({ kind: 'control', op: { kind: 'set-parameter', name, value } });
  }

  // ---------------------------------------------------------------- views

  private devicesByDomain(ctx: Ctx): Map<number, DeviceRecord[]> {
    const out = new Map<number, DeviceRecord[]>();
    for (const [, d] of ctx.tx.range<DeviceRecord>('devices', '', undefined)) {
      const l = out.get(d.domid);
      if (l) l.push(d);
      else out.set(d.domid, [d]);
    }
    return out;
  }

  private describe(ctx: Ctx, rec: DomainCore, pools: Map<number, PoolRecord>, opts: DescribeOptions, devs: DeviceRecord[] | undefined, all: number[]): DomainInfo {
    const t = ctx.now;
    const withConfig = opts.config === true;
    const pool = pools.get(rec.sched.pool);
    let vcpus: VcpuInfo[] | undefined;
    if (opts.vcpus) {
      const poolCpus = pool?.cpus ?? all;
      const executing = domainExecuting(rec);
      const epoch = Math.floor(t / 5000);
      vcpus = rec.vcpus.map((v, i) => {
        const on = v.online && executing && vcpuRunningAt(rec, i, t, pool);
        const vi: VcpuInfo = {
          id: i,
          online: v.online,
          running: on,
          blocked: v.online && executing && !on,
          timeNs: vcpuTimeAt(rec, i, t, pool),
          hardAffinity: v.hard ?? all,
          softAffinity: v.soft ?? all,
        };
        if (v.online) {
          vi.cpu = rec.domid === 0 && v.hard === null ? poolCpus[i % poolCpus.length]! : placeVcpu(poolCpus, v.hard, v.soft, hash32('pcpu', rec.domid, rec.uuid, i, epoch));
        }
        return vi;
      });
    }
    const info = domainSummary(rec, t, pool, vcpus);
    if (vcpus) info.vcpus = vcpus;
    const cpu = info.cpuTimeNs;
    const config = withConfig || opts.ssidref ? ctx.tx.get<DomainConfig>('configs', numKey(rec.domid)) : undefined;
    if (config && isInt(config.c_info.ssidref)) info.ssidref = config.c_info.ssidref;
    if (withConfig) {
      if (config) info.config = structuredClone(config);
      const file = ctx.tx.get<DomainGuest>('guests', numKey(rec.domid))?.configFile;
      if (file !== undefined) info.configFile = file;
    }
    if (devs) {
      const run = ctx.runMs(rec);
      info.nets = devs.filter((d) => d.kind === 'vif').map((d) => {
        const io = deviceIo(d.rate, run, cpu);
        return { devid: d.devid, txBytes: io.txPackets * 420, rxBytes: io.rxPackets * 610, txPackets: io.txPackets, rxPackets: io.rxPackets };
      });
      info.vbds = devs.filter((d) => d.kind === 'vbd').map((d) => {
        const io = deviceIo(d.rate, run, cpu);
        return { devid: d.devid, oo: 0, rdReq: io.rdReq, wrReq: io.wrReq, rdSect: io.rdReq * 24, wrSect: io.wrReq * 16 };
      });
    }
    return info;
  }
}

/**
 * Gives each running vCPU a pCPU of its own (a pCPU runs one vCPU at a time): in domid
 * order, a vCPU keeps its placed pCPU if free, else takes the first free one of its hard
 * affinity; one that finds none is shown waiting (not running).
 */
function seatRunningVcpus(domains: DomainInfo[], pools: Map<number, PoolRecord>): void {
  const taken = new Set<number>();
  const byName = new Map([...pools.values()].map((p) => [p.name, p]));
  for (const d of domains) {
    const poolCpus = byName.get(d.pool)?.cpus ?? [];
    let any = false;
    for (const v of d.vcpus ?? []) {
      if (!v.running) continue;
      let cpu = v.cpu !== undefined && !taken.has(v.cpu) ? v.cpu : v.hardAffinity.find((c) => poolCpus.includes(c) && !taken.has(c));
      if (cpu === undefined) {
        v.running = false;
        v.blocked = true;
        continue;
      }
      v.cpu = cpu;
      taken.add(cpu);
      any = true;
    }
    if (d.state.running && !any) {
      d.state.running = false;
      d.state.blocked = true;
    }
  }
}

/** The public view of a device row at the domain's run time and CPU time. */
function deviceInfo(d: DeviceRecord, runMs: number, cpuNs: number): DeviceInfo {
  const info: DeviceInfo = {
    kind: d.kind,
    devid: d.devid,
    backendDomid: d.backendDomid,
    frontendDomid: d.domid,
    frontendPath: d.frontendPath,
    backendPath: d.backendPath,
    state: d.fe,
    backendState: d.be,
    evtch: d.evtch ?? -1,
    backendEvtch: d.backendEvtch ?? -1,
    ringRef: d.grants[0] ?? -1,
    grants: [...d.grants],
    backendKind: d.backendKind,
    io: deviceIo(d.rate, runMs, cpuNs),
  };
  if (d.kind === 'vif') info.rxRingRef = d.grants[1] ?? -1;
  for (const k of ['mac', 'bridge', 'ifname', 'vdev', 'params', 'driver'] as const) {
    if (d.props[k] !== undefined) info[k] = d.props[k];
  }
  return info;
}

/** XenbusState names for display (`Connected`, …). */
export function xenbusStateName(s: number): string {
  return XenbusState[s] ?? String(s);
}
