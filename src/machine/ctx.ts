/**
 * The context of one step of the host (DESIGN.md "The machine": one path for change).
 * A step runs a command or a due event against a transaction: it reads the rows it
 * needs, writes the rows it changes, and collects effects (events for listeners,
 * console bytes, XenbusState changes). `Ctx` gives the modules typed access to the
 * tables and the host-wide record; nothing else touches the transaction.
 *
 * Time inside a step is `ctx.now` (virtual ms since the epoch): the due time of the
 * event being run, or the host time a command runs at.
 */
import type { HostEvent } from './api.js';
import { HostError } from './errors.js';
import { mulberry32 } from './prng.js';
import type {
  ConsoleRecord, DeviceRecord, DomainCore, DomainGuest, DomainRecord, GuestTimer, HostMeta, PoolRecord, QueuedEvent,
} from './records.js';
import { CORE_FIELDS, META_KEY, SCHEMA_VERSION } from './records.js';
import { domainExecuting, listingDomid, listingOf, type ListingRow } from './summary.js';
import { devKey, numKey, prefixEnd, queueKey, seqKey, type Tx } from './tables.js';

/** Events kept in the host's event log (older ones are dropped; indices stay absolute). */
export const EVENT_LOG_MAX = 4000;

/** Something a step did that the outside world may want to see. */
export type Effect =
  | { kind: 'event'; event: HostEvent; index: number }
  | { kind: 'console'; domid: number; text: string };

/**
 * Typed access to the host's tables for one step. Rows returned are the
 * transaction's: change them and put them back with the matching `put…`.
 */
export class Ctx {
  readonly effects: Effect[] = [];
  /** Whole domains (both rows) handed out by this context, so every caller shares one object. */
  private readonly whole = new Map<number, DomainRecord>();

  private constructor(readonly tx: Tx, readonly meta: HostMeta) {}

  /**
   * Opens a context over `tx`. Throws `HostError('INVALID_STATE')` when the tables hold
   * no host, or one of another layout version (`SCHEMA_VERSION`).
   */
  static open(tx: Tx): Ctx {
    const meta = tx.get<HostMeta>('meta', META_KEY);
    if (!meta) throw new HostError('INVALID_STATE', 'the tables hold no host');
    if (meta.schema === 3) upgradeFrom3(tx, meta);
    if (meta.schema === 4) upgradeFrom4(tx, meta);
    if (meta.schema !== SCHEMA_VERSION) {
      throw new HostError('INVALID_STATE', `the host tables have layout version ${String(meta.schema)}, this xlsim reads version ${SCHEMA_VERSION}`);
    }
    return new Ctx(tx, meta);
  }

  /** A context for a brand-new host whose meta row is `meta` (host.ts `initHost`). */
  static fresh(tx: Tx, meta: HostMeta): Ctx {
    tx.put('meta', META_KEY, meta);
    return new Ctx(tx, meta);
  }

  /** The current virtual time of this step, ms since the epoch. */
  get now(): number {
    return this.meta.now;
  }

  /** Writes the host-wide row back (call after changing `meta`). */
  saveMeta(): void {
    this.tx.put('meta', META_KEY, this.meta);
  }

  // ------------------------------------------------------------------ domains

  /** The whole domain (its `domains` and `guests` rows), or undefined. */
  domain(domid: number): DomainRecord | undefined {
    if (!Number.isInteger(domid) || domid < 0 || domid > 0xffff) return undefined;
    const known = this.whole.get(domid);
    if (known) return known;
    const core = this.tx.get<DomainCore>('domains', numKey(domid));
    if (!core) return undefined;
    const guest = this.tx.get<DomainGuest>('guests', numKey(domid));
    const rec = { ...core, ...guest } as DomainRecord;
    this.whole.set(domid, rec);
    return rec;
  }

  /** A domain's `domains` row only (what listings need), or undefined. */
  domainCore(domid: number): DomainCore | undefined {
    return this.whole.get(domid) ?? this.tx.get<DomainCore>('domains', numKey(domid));
  }

  /** The domain row; throws `HostError('NO_SUCH_DOMAIN')` when there is none. */
  mustDomain(domid: number): DomainRecord {
    const rec = this.domain(domid);
    if (!rec) {
      throw new HostError('NO_SUCH_DOMAIN', `no domain with domid ${String(domid)}`, Number.isInteger(domid) ? domid : undefined);
    }
    return rec;
  }

  /** Writes a domain back: its core fields to `domains` (and their `listing` row), the rest to `guests`. */
  putDomain(rec: DomainRecord): void {
    const core: Record<string, unknown> = {};
    const guest: Record<string, unknown> = {};
    const coreKeys = new Set<string>(CORE_FIELDS);
    for (const [k, v] of Object.entries(rec)) (coreKeys.has(k) ? core : guest)[k] = v;
    this.tx.put('domains', numKey(rec.domid), core);
    this.tx.put('listing', numKey(rec.domid), listingOf(rec));
    this.tx.put('guests', numKey(rec.domid), guest);
    this.whole.set(rec.domid, rec);
  }

  /**
   * Writes back only a domain's core row (vCPU checkpoints, memory, life): for the
   * scheduler, which touches many domains' vCPUs and none of their guest state. If the
   * whole domain was loaded in this step, its record is kept in step.
   */
  putDomainCore(core: DomainCore): void {
    const whole = this.whole.get(core.domid);
    if (whole && whole !== core) {
      for (const k of CORE_FIELDS) (whole as unknown as Record<string, unknown>)[k] = (core as unknown as Record<string, unknown>)[k];
      this.putDomain(whole);
      return;
    }
    if (whole) {
      this.putDomain(whole);
      return;
    }
    const row: Record<string, unknown> = {};
    for (const k of CORE_FIELDS) row[k] = (core as unknown as Record<string, unknown>)[k];
    this.tx.put('domains', numKey(core.domid), row);
    this.tx.put('listing', numKey(core.domid), listingOf(core));
  }

  /** Forgets a domain (its rows). */
  delDomain(domid: number): void {
    this.tx.del('domains', numKey(domid));
    this.tx.del('listing', numKey(domid));
    this.tx.del('guests', numKey(domid));
    this.whole.delete(domid);
  }

  /** Every whole domain, ascending domid. O(number of domains): only for commands that act on all. */
  allDomains(): DomainRecord[] {
    return this.allDomainCores().map((c) => this.domain(c.domid)!);
  }

  /** Every domain's `domains` row, ascending domid: what a listing needs, without the guest rows. */
  allDomainCores(): DomainCore[] {
    return this.tx.range<DomainCore>('domains', '', undefined).map(([, r]) => this.whole.get(r.domid) ?? r);
  }

  /**
   * Calls `fn` with every domain's `domains` row, ascending domid, as `allDomainCores` gives
   * them, without keeping them all at once (`Tx.scan`): for a read over every domain of a
   * large host, such as `xl list`. `fn` must not write through this context.
   */
  forEachDomainCore(fn: (d: DomainCore) => void): void {
    this.tx.scan<DomainCore>('domains', '', undefined, (_, r) => fn(this.whole.get(r.domid) ?? r));
  }

  /**
   * Calls `fn` with every domain's `listing` row (summary.ts), ascending domid, without
   * keeping them all at once (`Tx.scan`); for a domain loaded whole in this step, the row
   * of that record. The plain listings read these instead of the `domains` rows (a
   * quarter of the parse). `fn` must not write through this context.
   */
  forEachListing(fn: (row: ListingRow) => void): void {
    this.tx.scan<ListingRow>('listing', '', undefined, (_, r) => {
      const whole = this.whole.get(listingDomid(r));
      fn(whole ? listingOf(whole) : r);
    });
  }

  /** domid of the domain named `name`, or undefined (xl-commands.md §5.5: names are unique). */
  domidByName(name: string): number | undefined {
    return this.tx.get<number>('names', name);
  }

  /** The cpupool row, or undefined. */
  pool(id: number): PoolRecord | undefined {
    return this.tx.get<PoolRecord>('pools', numKey(id));
  }

  /** Writes a cpupool row back. */
  putPool(p: PoolRecord): void {
    this.tx.put('pools', numKey(p.id), p);
  }

  /** Every cpupool, ascending id. */
  allPools(): PoolRecord[] {
    return this.tx.range<PoolRecord>('pools', '', undefined).map(([, r]) => r);
  }

  // ------------------------------------------------------------------ devices

  /** The domain's devices (frontend domid = `domid`), ordered by kind then devid. */
  devices(domid: number): DeviceRecord[] {
    const p = `${numKey(domid)}/`;
    return this.tx.range<DeviceRecord>('devices', p, prefixEnd(p)).map(([, r]) => r);
  }

  /** One device, or undefined. */
  device(domid: number, kind: string, devid: number): DeviceRecord | undefined {
    return this.tx.get<DeviceRecord>('devices', devKey(domid, kind, devid));
  }

  /** Writes a device row back. */
  putDevice(d: DeviceRecord): void {
    this.tx.put('devices', devKey(d.domid, d.kind, d.devid), d);
  }

  /** Deletes a device row. */
  delDevice(d: DeviceRecord): void {
    this.tx.del('devices', devKey(d.domid, d.kind, d.devid));
  }

  // ------------------------------------------------------------------ consoles

  /** The console ring of `domid` (or `'hv'` for the hypervisor's). */
  console(id: number | 'hv'): ConsoleRecord | undefined {
    return this.tx.get<ConsoleRecord>('consoles', id === 'hv' ? 'hv' : numKey(id));
  }

  /** Writes a console ring back. */
  putConsole(id: number | 'hv', c: ConsoleRecord): void {
    this.tx.put('consoles', id === 'hv' ? 'hv' : numKey(id), c);
  }

  // ------------------------------------------------------------------ randomness

  /** The next 32-bit value of the host's PRNG (mulberry32; part of the host state). */
  rand(): number {
    const r = mulberry32(this.meta.rng);
    this.meta.rng = r.state;
    return r.value;
  }

  // ------------------------------------------------------------------ events

  /** Appends `event` to the host event log and to this step's effects. */
  emit(event: HostEvent): void {
    const index = this.meta.eventCount++;
    if (event.kind !== 'console') {
      this.tx.put('events', seqKey(index), event);
      if (index >= EVENT_LOG_MAX) this.tx.del('events', seqKey(index - EVENT_LOG_MAX));
    }
    this.effects.push({ kind: 'event', event, index });
  }

  // ------------------------------------------------------------------ the queue

  /** Queues a host-clock event at `due` (virtual ms); returns its queue key. */
  schedule(due: number, kind: string, domid?: number, data?: Record<string, unknown>): string {
    const seq = this.meta.queueSeq++;
    const ev: QueuedEvent = { due, seq, kind };
    if (domid !== undefined) ev.domid = domid;
    if (data !== undefined) ev.data = data;
    const key = queueKey(Math.max(0, Math.floor(due)), seq);
    this.tx.put('queue', key, ev);
    return key;
  }

  /** Removes a queued event by key (no-op when absent). */
  unschedule(key: string): void {
    this.tx.del('queue', key);
  }

  /**
   * The earliest queued event due at or before `until`, with its key; undefined when none.
   * `after` (a key already run) skips what is known to be gone: an event queued while
   * running one is always due at or after it, so its key sorts after it.
   */
  nextDue(until: number, after?: string): [string, QueuedEvent] | undefined {
    const hi = queueKey(Math.floor(until) + 1, 0);
    const [first] = this.tx.range<QueuedEvent>('queue', after === undefined ? '' : `${after}\u0000`, hi, { limit: 1 });
    return first;
  }

  /** Due time of the earliest queued event, or undefined when the queue is empty. */
  firstDueTime(): number | undefined {
    const [first] = this.tx.range<QueuedEvent>('queue', '', undefined, { limit: 1 });
    return first?.[1].due;
  }

  // ------------------------------------------------------------------ guest time

  /** The domain's guest run time at this step's time, ms. */
  runMs(rec: DomainCore): number {
    return rec.run.ms + (rec.run.since === null ? 0 : this.now - rec.run.since);
  }

  /**
   * Brings the run-time clock and the guest's timers in line with whether the guest
   * executes (call after any change of life state or pause count): starts or stops
   * counting run time and queues or parks its timers.
   */
  syncRunClock(rec: DomainRecord): void {
    const exec = domainExecuting(rec);
    if (exec && rec.run.since === null) {
      rec.run.since = this.now;
      for (const t of rec.timers) this.queueTimer(rec, t);
    } else if (!exec && rec.run.since !== null) {
      rec.run.ms += this.now - rec.run.since;
      rec.run.since = null;
      for (const t of rec.timers) {
        if (t.queued) this.unschedule(t.queued);
        delete t.queued;
      }
    }
  }

  /**
   * Adds a guest-clock timer firing when the guest's run time reaches `atRun` (ms); it
   * waits while the guest is paused. Timers of one kind are independent; `cancelTimers`
   * removes them.
   */
  addTimer(rec: DomainRecord, atRun: number, kind: string, data?: GuestTimer['data']): void {
    const t: GuestTimer = { atRun: Math.max(0, Math.floor(atRun)), kind };
    if (data) t.data = data;
    rec.timers.push(t);
    if (rec.run.since !== null) this.queueTimer(rec, t);
  }

  /** Removes the domain's timers of the given kinds (all when omitted). */
  cancelTimers(rec: DomainRecord, kinds?: string[]): void {
    const keep: GuestTimer[] = [];
    for (const t of rec.timers) {
      if (kinds && !kinds.includes(t.kind)) {
        keep.push(t);
        continue;
      }
      if (t.queued) this.unschedule(t.queued);
    }
    rec.timers = keep;
  }

  /** The pending timer of `kind`, if any. */
  static timer(rec: DomainRecord, kind: string): GuestTimer | undefined {
    return rec.timers.find((t) => t.kind === kind);
  }

  /** Host time at which `t` fires if the guest keeps executing, or undefined while parked. */
  timerDue(rec: DomainRecord, t: GuestTimer): number | undefined {
    if (rec.run.since === null) return undefined;
    return this.now + Math.max(0, t.atRun - this.runMs(rec));
  }

  private queueTimer(rec: DomainRecord, t: GuestTimer): void {
    const due = this.now + Math.max(0, t.atRun - this.runMs(rec));
    t.queued = this.schedule(due, 'timer', rec.domid);
  }
}

/**
 * Layout 3 → 4: pools kept a list of their heavy vCPUs; now they keep share classes
 * (cpu.ts). An old pool starts in `full` mode with no classes, which the next
 * reschedule of the pool turns into classes. Written into `tx` like any change.
 */
function upgradeFrom3(tx: Tx, meta: HostMeta): void {
  for (const [key, pool] of tx.range<PoolRecord & { heavy?: unknown; lightMaxRatio?: unknown }>('pools', '', undefined)) {
    const { heavy: _heavy, lightMaxRatio: _ratio, ...rest } = pool;
    tx.put('pools', key, { ...rest, mode: 'full', classes: {} });
  }
  meta.schema = 4;
  tx.put('meta', META_KEY, meta);
}

/**
 * Layout 4 → 5: the `listing` table (a `ListingRow` per domain, summary.ts) is new; it is
 * made from the `domains` rows. In the transaction only: it is kept when the command
 * commits, and a read-only command does it again in memory until then.
 */
function upgradeFrom4(tx: Tx, meta: HostMeta): void {
  tx.scan<DomainCore>('domains', '', undefined, (key, core) => tx.put('listing', key, listingOf(core)));
  meta.schema = 5;
  tx.put('meta', META_KEY, meta);
}
