/**
 * Save, restore and migration on the machine side: what a domain is when it leaves a
 * host (`DomainImage`) and how it comes back, plus the guest's part of a suspend and
 * the memory-dirtying model that live migration's pre-copy rounds follow.
 *
 * Sources:
 * - the suspend handshake: tools/libs/light/libxl_dom_suspend.c (`control/shutdown` =
 *   `suspend`, the guest acknowledges, then SCHEDOP_shutdown(SHUTDOWN_suspend)); Linux
 *   drivers/xen/manage.c `do_suspend` (freeze tasks, suspend, thaw) and
 *   kernel/power/process.c (the console lines it prints, 6.1 wording);
 * - resume: libxl_dom_suspend.c `libxl__domain_resume` → `xc_domain_resume(…, 1)`, the
 *   "cooperative" resume that cancels the suspend: the guest returns from its
 *   SCHEDOP_shutdown with its state intact;
 * - restore: libxl_create.c `libxl_domain_create_restore` (the domain is made from the
 *   saved config, then the stream fills it in: memory, vCPU contexts, then the devices
 *   are re-plugged and the frontends reconnect through the XenbusState handshake);
 * - pre-copy: tools/libs/guest/xg_sr_save.c `send_memory_live`,
 *   `simple_precopy_policy` (stop after 5 iterations or fewer than 50 dirty pages).
 *
 * A `DomainImage` is plain JSON: the core and guest rows that matter (run time, vCPU
 * CPU times, memory, scheduling, the guest OS state with its shell/tty, pending guest
 * timers, counters), the libxl config, the devices as specs, and the console ring.
 * Memory *contents* are not modelled, so an image carries the page count only.
 *
 * Units: times in ms (host clock) or ms of guest run time (`runMs`, timers' `atRun`);
 * CPU time ns; memory KiB; pages are 4 KiB.
 */
import type { DomainConfig, DomainType } from '../parser/libxl.js';
import { ShutdownReason, type MigrationProgress } from './api.js';
import { createDomain, destroyDomain, type CreateOptions } from './build.js';
import { consoleNow, consoleWrite } from './console.js';
import { descheduleDomain, reschedule, vcpuTimeAt } from './cpu.js';
import { Ctx } from './ctx.js';
import { connectFrontends } from './devices.js';
import { HostError } from './errors.js';
import { printkStamp } from './guest/bootlog.js';
import { requestShutdown } from './guest/os.js';
import { transition } from './lifecycle.js';
import { freeKiB, requiredKiB } from './memory.js';
import { hash32 } from './prng.js';
import type { DeviceKind, DomainRecord, GuestState, GuestTimer } from './records.js';
import { numKey } from './tables.js';
import { xsList, xsRead, xsWrite, xsWriteAll } from './xenstore.js';
import { domainExecuting } from './summary.js';

/** Bytes in a guest page (x86 PAGE_SIZE). */
export const PAGE_BYTES = 4096;
/** libxc's precopy policy: at most this many live iterations (xg_sr_save.c SPP_MAX_ITERATIONS). */
export const PRECOPY_MAX_ITERATIONS = 5;
/** libxc's precopy policy: stop once fewer pages than this are dirty (SPP_TARGET_DIRTY_COUNT). */
export const PRECOPY_TARGET_DIRTY = 50;
/** Version of the `DomainImage` layout written by this xlsim. */
export const DOMAIN_IMAGE_VERSION = 1;

/**
 * The guest's state when the toolstack asked it to suspend, kept on the domain until it
 * is resumed or leaves: the guest model stops its workload and timers when it suspends
 * (guest/os.ts `beginHalt`), but a suspended guest keeps everything in memory, so a
 * resume or a restore brings this back.
 */
export interface SuspendStash {
  /** The guest OS state before the request (stage, workload, tty …). */
  guest: GuestState;
  /** Its guest-clock timers then, without queue keys. */
  timers: GuestTimer[];
  /** Whether the guest's "Freezing …" console lines have been printed. */
  noted?: boolean;
}

/** A domain record that may carry a `SuspendStash` (kept in its `guests` row). */
export type Stashed = DomainRecord & { srStash?: SuspendStash };

/** A split-driver device as a spec (what libxl would write to plug it again). */
export interface DeviceImage {
  kind: DeviceKind;
  backendKind: string;
  devid: number;
  /** Name of the backend domain (`Domain-0` or a driver domain). */
  backend: string;
  /** Frontend nodes besides the handshake's (`state`, ring refs, event channel, backend links). */
  frontend: Record<string, string>;
  /** Backend nodes besides the handshake's (`state`, `frontend*`, `online`, hotplug results). */
  backendNodes: Record<string, string>;
  /** Facts for the list commands (`mac`, `vdev`, …); `rings` = ring pages. */
  props: Record<string, string>;
}

/**
 * Everything a domain is when it leaves a host (xl save, migration), as JSON. See the
 * module comment. Produced by `exportDomain`, consumed by `importDomain`.
 */
export interface DomainImage {
  format: 'xlsim-domain-image';
  version: number;
  /** Where and when it was taken: source domid, host name, Xen version, host time (ms). */
  source: { domid: number; hostname: string; xenMajor: number; xenMinor: number; takenAt: number };
  name: string;
  uuid: string;
  type: DomainType;
  /** Creation time, ms since the epoch (kept: xl uptime continues). */
  createdAt: number;
  /** Guest run time at the moment it stopped, ms. */
  runMs: number;
  /** Pages the domain held (tot_pages). */
  pages: number;
  vcpus: { online: boolean; timeNs: number }[];
  mem: { memKiB: number; targetKiB: number; videoKiB: number };
  sched: { weight: number; cap: number; pool: string };
  guest: GuestState;
  timers: GuestTimer[];
  counters: Record<string, number>;
  monitor: boolean;
  /** The config libxl keeps for the domain (`libxl_retrieve_domain_configuration`). */
  config: DomainConfig;
  devices: DeviceImage[];
  /** The console ring: its text and the bytes ever written. */
  console: { text: string; total: number };
}

/** How `importDomain` makes the domain (xl restore / migrate-receive options). */
export interface ImportOptions {
  /** The config to build from (default: the image's); its name is used unless `name`. */
  config?: DomainConfig;
  /** Build under this name instead (migration's `<name>--incoming`). */
  name?: string;
  /** Leave it paused (`-p`, and migrate-receive until the sender says go). */
  paused: boolean;
  /** Whether an xl monitor applies the on_* actions (false = `-e`). */
  monitor: boolean;
}

/** How fast a guest dirties its memory: pages per second, bounded by its writable working set. */
export interface DirtyProfile {
  /** Pages the domain holds. */
  pages: number;
  /** Pages written per second of run time while it executes. */
  pagesPerSec: number;
  /** Writable working set: the most distinct pages it dirties in any interval. */
  wwsPages: number;
  /** Whether it executes now (a paused or shut-down guest dirties nothing). */
  executing: boolean;
}

/** The save/restore/migration inputs of `step` (one `Input` variant, `kind: 'sr'`). */
export type SrOp =
  | { op: 'suspend'; domid: number }
  | { op: 'cancel-suspend'; domid: number }
  | { op: 'note-suspended'; domid: number }
  | { op: 'resume'; domid: number }
  | { op: 'import'; image: DomainImage; opts: ImportOptions; xenVersion: string }
  | { op: 'destroy-migrated'; domid: number }
  | { op: 'progress'; progress: Omit<MigrationProgress, 'kind' | 'at'> };

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The guest domain `domid` (not Domain-0). Throws NO_SUCH_DOMAIN, DOMAIN_0. */
function guestDomain(ctx: Ctx, domid: number, what: string): Stashed {
  const rec = ctx.mustDomain(domid) as Stashed;
  if (rec.domid === 0) throw new HostError('DOMAIN_0', `cannot ${what} Domain-0`, 0);
  return rec;
}

/** Whether the domain is shut down with reason suspend (`---ss-`). */
export function isSuspended(rec: DomainRecord): boolean {
  return rec.life.state === 'shutdown' && rec.life.reason === ShutdownReason.Suspend;
}

/** Runs one save/restore/migration input (see `SrOp`); returns a domid for `import`. */
export function srStep(ctx: Ctx, op: SrOp): number | undefined {
  switch (op.op) {
    case 'suspend':
      requestSuspend(ctx, op.domid);
      return undefined;
    case 'cancel-suspend':
      cancelSuspend(ctx, op.domid);
      return undefined;
    case 'note-suspended':
      noteSuspended(ctx, op.domid);
      return undefined;
    case 'resume':
      resumeDomain(ctx, op.domid);
      return undefined;
    case 'import':
      return importDomain(ctx, op.image, op.opts, op.xenVersion);
    case 'destroy-migrated':
      destroyMigrated(ctx, op.domid);
      return undefined;
    case 'progress':
      ctx.emit({ kind: 'migration', at: ctx.now, ...op.progress });
      return undefined;
  }
}

/**
 * libxl__domain_suspend's request: keeps the guest's state (`SuspendStash`) and writes
 * `suspend` to `control/shutdown`; the guest acknowledges when it can and then suspends
 * (guest/os.ts). Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE (not running).
 */
export function requestSuspend(ctx: Ctx, domid: number): void {
  const rec = guestDomain(ctx, domid, 'suspend');
  if (rec.life.state !== 'running') throw new HostError('INVALID_STATE', `domain ${domid} is not running`, domid);
  rec.srStash = {
    guest: structuredClone(rec.guest),
    timers: rec.timers.filter((t) => t.kind !== 'shutdown-ack' && t.kind !== 'halted').map(({ queued: _q, ...t }) => structuredClone(t)),
  };
  requestShutdown(ctx, rec, 'suspend');
  ctx.putDomain(rec);
}

/**
 * Takes back a suspend request the guest has not acknowledged (libxl clears
 * `control/shutdown` when the guest does not answer in time) and forgets the stash.
 * No-op for a domain that has none. Throws NO_SUCH_DOMAIN.
 */
export function cancelSuspend(ctx: Ctx, domid: number): void {
  const rec = ctx.mustDomain(domid) as Stashed;
  const path = `/local/domain/${rec.domid}/control/shutdown`;
  if (xsRead(ctx, path) === 'suspend') xsWrite(ctx, path, '');
  ctx.cancelTimers(rec, ['shutdown-ack']);
  if (!isSuspended(rec)) delete rec.srStash;
  ctx.putDomain(rec);
}

/** Run time of the guest's console lines for a suspend, in µs, from its run time in ms. */
function stampAt(ms: number, offsetUs: number): string {
  return printkStamp(ms * 1000 + offsetUs);
}

/**
 * The guest has suspended: prints, once, the lines Linux's freezer printed on its way
 * down (kernel/power/process.c, 6.1 wording), stamped at its run time. No-op for other
 * guests, for a domain that is not suspended, or when already printed.
 */
export function noteSuspended(ctx: Ctx, domid: number): void {
  const rec = ctx.mustDomain(domid) as Stashed;
  if (!isSuspended(rec) || !rec.srStash || rec.srStash.noted) return;
  rec.srStash.noted = true;
  if (rec.srStash.guest.os === 'linux') {
    const run = Math.max(0, ctx.runMs(rec) - 20);
    const e1 = 1 + (hash32('freeze', rec.uuid, run) % 3);
    consoleWrite(ctx, rec,
      `${stampAt(run, 0)} Freezing user space processes ... (elapsed 0.00${e1} seconds) done.\r\n` +
      `${stampAt(run, e1 * 1000 + 12)} OOM killer disabled.\r\n` +
      `${stampAt(run, e1 * 1000 + 15)} Freezing remaining freezable tasks ... (elapsed 0.000 seconds) done.\r\n`);
  }
  ctx.putDomain(rec);
}

/** Lines a Linux guest prints when it comes back from a suspend (gnttab_resume, thaw_processes). */
export function resumeLines(rec: DomainRecord, run: number): string {
  if (rec.guest.os !== 'linux') return '';
  return `${stampAt(run, 310)} xen:grant_table: Grant tables using version 1 layout\r\n` +
    `${stampAt(run, 1480)} OOM killer enabled.\r\n` +
    `${stampAt(run, 1496)} Restarting tasks ... done.\r\n`;
}

/** Puts the stashed guest state and timers back on `rec` (a suspend that ended). */
export function unstash(ctx: Ctx, rec: Stashed, guest: GuestState, timers: GuestTimer[]): void {
  rec.guest = structuredClone(guest);
  rec.guest.xenbus = true;
  if (rec.guest.stage === 'halting' || rec.guest.stage === 'halted') rec.guest.stage = 'up';
  delete rec.guest.haltReason;
  for (const t of timers) {
    if (t.kind === 'shutdown-ack' || t.kind === 'halted' || t.kind === 'xenbus') continue;
    ctx.addTimer(rec, t.atRun, t.kind, t.data);
  }
}

/**
 * `xc_domain_resume(…, suspend_cancel=1)`: a domain shut down for a suspend runs again
 * with the state it had (its workload, shell, timers), still paused if it was paused.
 * A running domain is left as it is (Xen's domain_resume on a running domain changes
 * nothing visible); so is one shut down for another reason (xlsim does not revive a
 * powered-off guest, see docs/compat.md). Throws NO_SUCH_DOMAIN, DOMAIN_0.
 */
export function resumeDomain(ctx: Ctx, domid: number): void {
  const rec = guestDomain(ctx, domid, 'resume');
  if (!isSuspended(rec)) return;
  const stash = rec.srStash;
  transition(rec, { state: 'running' });
  if (stash) unstash(ctx, rec, stash.guest, stash.timers);
  else {
    rec.guest.stage = 'up';
    rec.guest.xenbus = true;
  }
  delete rec.srStash;
  ctx.syncRunClock(rec);
  consoleWrite(ctx, rec, resumeLines(rec, ctx.runMs(rec)));
  reschedule(ctx, rec);
}

/** Nodes the handshake writes, which a device spec leaves out. */
const FRONTEND_DYNAMIC = new Set(['backend', 'backend-id', 'state', 'ring-ref', 'tx-ring-ref', 'rx-ring-ref', 'event-channel']);
const BACKEND_DYNAMIC = new Set(['frontend', 'frontend-id', 'state', 'online', 'physical-device', 'hotplug-status']);

/** The values of the direct children of a xenstore directory, minus `skip`. */
function nodesOf(ctx: Ctx, dir: string, skip: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of xsList(ctx, dir)) {
    if (skip.has(k)) continue;
    const v = xsRead(ctx, `${dir}/${k}`);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * The domain as a `DomainImage` at this step's time. The domain must be suspended
 * (`---ss-`) for a save or the last stage of a migration; the guest state is the one it
 * had before the suspend request. Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_STATE (not
 * suspended), INVALID_STATE (no config).
 */
export function exportDomain(ctx: Ctx, domid: number): DomainImage {
  const rec = guestDomain(ctx, domid, 'save');
  if (!isSuspended(rec)) throw new HostError('INVALID_STATE', `domain ${domid} is not suspended`, domid);
  const config = ctx.tx.get<DomainConfig>('configs', numKey(domid));
  if (!config) throw new HostError('INVALID_STATE', `domain ${domid} has no stored config`, domid);
  const stash = rec.srStash;
  const ring = consoleNow(ctx, rec);
  const devices: DeviceImage[] = ctx.devices(domid).map((d) => {
    const { rings: _r, ...props } = d.props;
    return {
      kind: d.kind,
      backendKind: d.backendKind,
      devid: d.devid,
      backend: ctx.domainCore(d.backendDomid)?.name ?? 'Domain-0',
      frontend: nodesOf(ctx, d.frontendPath, FRONTEND_DYNAMIC),
      backendNodes: nodesOf(ctx, d.backendPath, BACKEND_DYNAMIC),
      props: { ...props, rings: d.props.rings ?? '1' },
    };
  });
  const seed = ctx.meta.seed;
  return {
    format: 'xlsim-domain-image',
    version: DOMAIN_IMAGE_VERSION,
    source: { domid, hostname: seed.hostname, xenMajor: seed.xenMajor, xenMinor: seed.xenMinor, takenAt: ctx.now },
    name: rec.name,
    uuid: rec.uuid,
    type: rec.type,
    createdAt: rec.createdAt,
    runMs: ctx.runMs(rec),
    pages: Math.floor(rec.mem.memKiB / 4),
    vcpus: rec.vcpus.map((v, i) => ({ online: v.online, timeNs: vcpuTimeAt(rec, i, ctx.now, ctx.pool(rec.sched.pool)) })),
    mem: { memKiB: rec.mem.memKiB, targetKiB: rec.mem.targetKiB, videoKiB: rec.mem.videoKiB },
    sched: { weight: rec.sched.weight, cap: rec.sched.cap, pool: ctx.pool(rec.sched.pool)?.name ?? 'Pool-0' },
    guest: structuredClone(stash?.guest ?? rec.guest),
    timers: structuredClone(stash?.timers ?? []),
    counters: { ...rec.counters },
    monitor: rec.monitor,
    config: structuredClone(config),
    devices,
    console: { text: ring.text, total: ring.total },
  };
}

/**
 * Checks that `v` has the shape of a `DomainImage` this xlsim reads; returns it typed.
 * Throws `HostError('INVALID_ARGUMENT')` naming the first problem.
 */
export function checkImage(v: unknown): DomainImage {
  const bad = (what: string): never => {
    throw new HostError('INVALID_ARGUMENT', `invalid domain image: ${what}`);
  };
  if (!isObj(v) || v.format !== 'xlsim-domain-image') bad('not an xlsim domain image');
  const img = v as unknown as DomainImage;
  if (img.version !== DOMAIN_IMAGE_VERSION) bad(`version ${String(img.version)} (this xlsim reads ${DOMAIN_IMAGE_VERSION})`);
  if (typeof img.name !== 'string' || typeof img.uuid !== 'string') bad('name or uuid');
  if (img.type !== 'pv' && img.type !== 'pvh' && img.type !== 'hvm') bad('type');
  for (const k of ['createdAt', 'runMs', 'pages'] as const) if (typeof img[k] !== 'number' || !(img[k] >= 0)) bad(k);
  if (!Array.isArray(img.vcpus) || !img.vcpus.every((c) => isObj(c) && typeof c.timeNs === 'number' && typeof c.online === 'boolean')) bad('vcpus');
  if (!isObj(img.mem) || !isObj(img.sched) || !isObj(img.guest) || !isObj(img.guest.tty) || !isObj(img.guest.workload)) bad('mem, sched or guest');
  if (!Array.isArray(img.timers) || !img.timers.every((t) => isObj(t) && typeof t.kind === 'string' && typeof t.atRun === 'number')) bad('timers');
  if (!isObj(img.counters) || !isObj(img.config) || !isObj(img.config.c_info) || !isObj(img.config.b_info)) bad('counters or config');
  if (!Array.isArray(img.devices) || !isObj(img.console) || typeof img.console.text !== 'string' || typeof img.console.total !== 'number') bad('devices or console');
  if (!isObj(img.source)) bad('source');
  return img;
}

/**
 * Whether `config` can be built here now, as libxl_domain_create_restore checks before
 * it reads the stream: the name is free and the memory is there (xl's `freemem`).
 * Returns 'name' or 'memory' for the first failed check, undefined when it fits.
 */
export function importFits(ctx: Ctx, config: DomainConfig, name: string): 'name' | 'memory' | undefined {
  if (ctx.domidByName(name) !== undefined) return 'name';
  const b = config.b_info ?? {};
  const target = Number(b.target_memkb ?? b.max_memkb ?? 32768);
  const shadow = Number(b.shadow_memkb ?? 0);
  const type = config.c_info?.type ?? 'pv';
  if (requiredKiB(type, target, shadow) > freeKiB(ctx)) return 'memory';
  return undefined;
}

/**
 * libxl_domain_create_restore: builds the domain from the config (new domid unless the
 * config carries one, the saved UUID and creation time), then puts the image's state
 * into it: guest run time, vCPU CPU times, the guest OS with its shell and workload,
 * its timers, counters, scheduling and console ring. Its devices are plugged afresh and
 * the frontends reconnect through the XenbusState handshake once the guest runs.
 * Unpaused unless `opts.paused`. Returns the new domid. Throws what `createDomain`
 * throws (NAME_EXISTS, OUT_OF_MEMORY, INVALID_STATE for a domid in use, …) and
 * INVALID_ARGUMENT for a malformed image.
 */
export function importDomain(ctx: Ctx, image: DomainImage, opts: ImportOptions, xenVersion: string): number {
  const img = checkImage(image);
  const config = structuredClone(opts.config ?? img.config);
  if (!isObj(config) || !isObj(config.c_info) || !isObj(config.b_info)) {
    throw new HostError('INVALID_ARGUMENT', 'config must have c_info and b_info objects');
  }
  config.c_info = { ...config.c_info };
  if (opts.name !== undefined) config.c_info.name = opts.name;
  else if (typeof config.c_info.name !== 'string') config.c_info.name = img.name;
  if (config.c_info.uuid === undefined) config.c_info.uuid = img.uuid;
  if (config.c_info.domid === 0) delete config.c_info.domid;
  const create: CreateOptions = { paused: true, monitor: opts.monitor, createdAt: img.createdAt };
  const rec = createDomain(ctx, config, create, xenVersion) as Stashed;
  // The boot the build started is not this guest's: it carries on from the image.
  takeImageState(ctx, rec, img);
  ctx.putDomain(rec);
  connectFrontends(ctx, rec);
  if (!opts.paused) rec.pauseCount = 0;
  ctx.syncRunClock(rec);
  consoleWrite(ctx, rec, resumeLines(rec, img.runMs));
  reschedule(ctx, rec);
  return rec.domid;
}

/**
 * Puts the running state of `img` into the domain `rec` (not written back: the caller
 * puts it): its timers are replaced by the image's, its guest run time, guest OS state,
 * vCPU CPU times, weight and cap, counters and console ring become the image's. Used by
 * `importDomain` (the domain was just built from the image's config) and by Remus
 * checkpoints on the backup (ha.ts `applyCheckpoint`: libxc applies each checkpoint's
 * records to the domain it restores into, xg_sr_restore.c `handle_checkpoint`).
 */
export function takeImageState(ctx: Ctx, rec: DomainRecord, img: DomainImage): void {
  // Out of the scheduler's books (and any share class) before its CPU times are replaced;
  // the caller's reschedule books it again.
  descheduleDomain(ctx, rec);
  ctx.cancelTimers(rec);
  rec.run = { ms: img.runMs, since: null };
  unstash(ctx, rec, img.guest, img.timers);
  img.vcpus.forEach((v, i) => {
    const mine = rec.vcpus[i];
    if (!mine) return;
    mine.timeNs = Math.max(0, Math.floor(v.timeNs));
    mine.since = ctx.now;
    mine.rate = 0;
    mine.wobble = false;
  });
  rec.sched.weight = Number.isInteger(img.sched.weight) && img.sched.weight > 0 ? img.sched.weight : rec.sched.weight;
  rec.sched.cap = Number.isInteger(img.sched.cap) && img.sched.cap >= 0 ? img.sched.cap : rec.sched.cap;
  rec.counters = { ...img.counters };
  ctx.putConsole(rec.domid, { text: img.console.text, total: img.console.total });
}

/**
 * Writes `/vm/<uuid>` of `domid` again (name, uuid, start_time). A localhost migration
 * has two domains with one UUID for a moment, and destroying the old one removes the
 * shared `/vm/<uuid>` directory; this puts the new domain's back. Throws NO_SUCH_DOMAIN.
 */
export function fixVmNodes(ctx: Ctx, domid: number): void {
  const rec = ctx.mustDomain(domid);
  const t = rec.createdAt;
  xsWrite(ctx, `/local/domain/${domid}/vm`, `/vm/${rec.uuid}`);
  xsWrite(ctx, `/vm/${rec.uuid}`, '', ['n0']);
  xsWriteAll(ctx, `/vm/${rec.uuid}`, {
    name: rec.name, uuid: rec.uuid, start_time: `${Math.floor(t / 1000)}.${String(Math.floor((t % 1000) / 10)).padStart(2, '0')}`,
  });
}

/** Destroys the domain a finished migration left behind (`xl migrate`'s "bang!"), keeping a same-UUID twin's /vm nodes. */
export function destroyMigrated(ctx: Ctx, domid: number): void {
  const rec = guestDomain(ctx, domid, 'destroy');
  const uuid = rec.uuid;
  destroyDomain(ctx, rec);
  for (const d of ctx.allDomainCores()) if (d.uuid === uuid) fixVmNodes(ctx, d.domid);
}

/**
 * How the guest dirties memory now (the pre-copy model). Idle guests touch a few
 * hundred pages a second within a small working set; every `stress` hog adds to it by
 * kind (the shell's foreground job says which): cpu hogs a little (their stacks and
 * the kernel's accounting), io hogs some page cache, vm hogs (`stress -m`, 256 MiB
 * each, rewritten continuously) a lot, hdd hogs their write buffers. A paused or
 * shut-down guest dirties nothing.
 */
export function dirtyProfile(rec: DomainRecord): DirtyProfile {
  const pages = Math.floor(rec.mem.memKiB / 4);
  const executing = domainExecuting(rec);
  const g = rec.guest;
  let rate = g.os === 'windows' ? 1500 : g.os === 'unikernel' ? 20 : 250;
  let wws = g.os === 'windows' ? 16384 : g.os === 'unikernel' ? 256 : 2048;
  if (g.stage !== 'up') {
    rate *= 8;
    wws *= 4;
  }
  if (g.workload.kind === 'stress') {
    const job = g.tty.fg;
    const hogs = job && job.workers === g.workload.workers ? job.hogs : { cpu: g.workload.workers, io: 0, vm: 0, hdd: 0 };
    rate += hogs.cpu * 2500 + hogs.io * 4000 + hogs.vm * 262144 + hogs.hdd * 25600;
    wws += hogs.cpu * 1024 + hogs.io * 8192 + hogs.vm * 65536 + hogs.hdd * 65536;
  }
  return { pages, pagesPerSec: executing ? rate : 0, wwsPages: Math.min(pages, wws), executing };
}

/** Distinct pages the guest dirties in `ms` of execution: its rate × time, at most its working set. */
export function pagesDirtied(p: DirtyProfile, ms: number): number {
  if (!p.executing || ms <= 0) return 0;
  return Math.min(p.wwsPages, Math.round((p.pagesPerSec * ms) / 1000));
}

/**
 * libxc's `simple_precopy_policy`: stop and copy once fewer than 50 pages are dirty or
 * after 5 iterations; `dirty` < 0 means "not counted yet" (xg_sr_save.c).
 */
export function precopyStops(iteration: number, dirty: number): boolean {
  return (dirty >= 0 && dirty < PRECOPY_TARGET_DIRTY) || iteration >= PRECOPY_MAX_ITERATIONS;
}

/** Time to move `pages` over a link of `bytesPerSec`, ms (fractional). */
export function transferMs(pages: number, bytesPerSec: number): number {
  if (!(bytesPerSec > 0) || !Number.isFinite(bytesPerSec)) return 0;
  return (pages * PAGE_BYTES * 1000) / bytesPerSec;
}
