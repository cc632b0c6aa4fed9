/**
 * The one path for change (DESIGN.md "The machine"): every command and every due event
 * is an `Input`, and `step(ctx, input)` is the only function that changes the host. It
 * checks preconditions, changes the rows through `ctx` (tables.ts transaction), records
 * effects in `ctx.effects`, and returns the command's result. It throws a `HostError`
 * with a stable code on failure; the caller then abandons the transaction, so a failed
 * step leaves no trace. Nothing here reads a clock: time is `ctx.now`.
 *
 * In the terms, `step(state, input) → {state, effects}`: the transaction is the
 * next state (committed or dropped by the caller) and `ctx.effects` the effects.
 */
import type { DeviceDisk, DeviceNic, DomainConfig } from '../parser/libxl.js';
import { ShutdownReason } from './api.js';
import { createDomain, destroyDomain, freshUuid, planDisk, planNic, renameDomain, vbdSpec, vifSpec, type CreateOptions } from './build.js';
import { controlStep, type ControlOp } from './controls.js';
import { descheduleDomain, reschedule, reschedulePool } from './cpu.js';
import { Ctx } from './ctx.js';
import { backendConnect, frontendConnect, frontendInit, plugDevice, unplugDevice } from './devices.js';
import { HostError } from './errors.js';
import { deviceStep, type DeviceOp } from './hotplug.js';
import { consoleInput, guestCrash, guestShutdown, requestShutdown, runGuestTimer, startBoot, type ControlRequest } from './guest/os.js';
import { transition } from './lifecycle.js';
import { allocFor, freeKiB, setHeld } from './memory.js';
import { onShutdown, type MonitorOps } from './monitor.js';
import { poolStep, type PoolOp } from './pools.js';
import { srStep, type SrOp } from './migration.js';
import { haStep, type HaOp } from './ha.js';
import type { DeviceKind, DomainRecord, QueuedEvent } from './records.js';
import { numKey } from './tables.js';
import { xsRead, xsRm, xsWrite } from './xenstore.js';

/** Everything that can change a host. */
export type Input =
  | { kind: 'create'; config: DomainConfig; opts: CreateOptions }
  | { kind: 'pause' | 'unpause' | 'destroy' | 'crash'; domid: number }
  | { kind: 'shutdown'; domid: number; reason: ControlRequest }
  | { kind: 'withdraw-shutdown'; domid: number }
  | { kind: 'set-vcpus'; domid: number; count: number }
  | { kind: 'mem-target' | 'mem-max'; domid: number; kib: number }
  | { kind: 'rename'; domid: number; name: string }
  | { kind: 'sched'; domid: number; weight?: number; cap?: number }
  | { kind: 'attach-disk'; domid: number; disk: DeviceDisk }
  | { kind: 'attach-nic'; domid: number; nic: DeviceNic }
  | { kind: 'detach'; domid: number; device: DeviceKind; devid: number }
  | { kind: 'console-input'; domid: number; bytes: string }
  | { kind: 'pin'; domid: number; vcpu: number | 'all'; hard?: number[] | null; soft?: number[] | null }
  | { kind: 'fault'; fault: FaultInput }
  | { kind: 'due'; key: string; event: QueuedEvent }
  // Inputs added by feature modules go below, one line each (keeps merges apart):
  // [save/restore/migrate]
  | { kind: 'sr'; op: SrOp }
  | { kind: 'ha'; op: HaOp; result?: { value?: unknown } }
  // [pools/pinning/schedulers]
  | { kind: 'pool'; op: PoolOp }
  // [devices]
  | { kind: 'device'; op: DeviceOp; result?: { value?: unknown } }
  // [guest controls and misc]
  | { kind: 'control'; op: ControlOp }
  ;

/** Faults `xlsim host fault` can inject. */
export type FaultInput =
  | { kind: 'fail-creates'; count: number }
  | { kind: 'ignore-shutdown'; domid: number; on: boolean }
  | { kind: 'crash-after'; domid: number; seconds: number };

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** The running Xen's version string (`4.20.0`). */
export function xenVersion(ctx: Ctx): string {
  const s = ctx.meta.seed;
  return `${s.xenMajor}.${s.xenMinor}${s.xenExtra}`;
}

/** The domain, which must not be Domain-0 (Xen refuses to pause or shut down the control domain). */
function guest(ctx: Ctx, domid: number, what: string): DomainRecord {
  const rec = ctx.mustDomain(domid);
  if (rec.domid === 0) throw new HostError('DOMAIN_0', `cannot ${what} Domain-0`, 0);
  return rec;
}

/** The xl monitor's ways of acting on a domain (monitor.ts). */
const MONITOR: MonitorOps = {
  destroy: (ctx, rec) => destroyDomain(ctx, rec),
  rename: (ctx, rec, name) => {
    // rename-restart: the preserved domain keeps running under a new name and UUID.
    const fresh = freshUuid(ctx);
    xsRm(ctx, `/vm/${rec.uuid}`);
    rec.uuid = fresh;
    const config = ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
    if (config) {
      config.c_info.uuid = fresh;
      ctx.tx.put('configs', numKey(rec.domid), config);
    }
    xsWrite(ctx, `/local/domain/${rec.domid}/vm`, `/vm/${fresh}`);
    xsWrite(ctx, `/vm/${fresh}/uuid`, fresh);
    xsWrite(ctx, `/vm/${fresh}/start_time`, `${Math.floor(rec.createdAt / 1000)}.00`);
    renameDomain(ctx, rec, name);
  },
  softReset: (ctx, rec, config) => {
    transition(rec, { state: 'running' });
    ctx.syncRunClock(rec);
    startBoot(ctx, rec, config, xenVersion(ctx));
    reschedule(ctx, rec);
  },
  freshUuid,
};

/** The monitor's reaction to a shutdown, bound to `MONITOR`. */
function monitor(ctx: Ctx, rec: DomainRecord, reason: ShutdownReason): void {
  onShutdown(ctx, rec, reason, MONITOR);
}

/** Runs one input against `ctx`; returns the command's result (domid, devid) or undefined. */
export function step(ctx: Ctx, input: Input): number | undefined {
  switch (input.kind) {
    case 'create':
      return createDomain(ctx, input.config, input.opts, xenVersion(ctx)).domid;
    case 'pause': {
      const rec = guest(ctx, input.domid, 'pause');
      if (rec.pauseCount >= 255) throw new HostError('INVALID_STATE', `domain ${rec.domid} pause count overflow`, rec.domid);
      rec.pauseCount++;
      ctx.syncRunClock(rec);
      reschedule(ctx, rec);
      ctx.emit({ kind: 'paused', at: ctx.now, domid: rec.domid });
      return undefined;
    }
    case 'unpause': {
      const rec = guest(ctx, input.domid, 'unpause');
      if (rec.pauseCount === 0) throw new HostError('INVALID_STATE', `domain ${rec.domid} is not paused`, rec.domid);
      rec.pauseCount--;
      ctx.syncRunClock(rec);
      reschedule(ctx, rec);
      ctx.emit({ kind: 'unpaused', at: ctx.now, domid: rec.domid });
      return undefined;
    }
    case 'shutdown': {
      const rec = guest(ctx, input.domid, 'shut down');
      if (!['poweroff', 'reboot', 'suspend', 'halt'].includes(input.reason)) {
        throw new HostError('INVALID_ARGUMENT', `unknown shutdown reason ${String(input.reason)}`, rec.domid);
      }
      if (rec.life.state !== 'running') throw new HostError('INVALID_STATE', `domain ${rec.domid} is not running`, rec.domid);
      requestShutdown(ctx, rec, input.reason);
      ctx.putDomain(rec);
      return undefined;
    }
    case 'withdraw-shutdown': {
      const rec = ctx.mustDomain(input.domid);
      const path = `/local/domain/${rec.domid}/control/shutdown`;
      if (xsRead(ctx, path)) xsWrite(ctx, path, '');
      ctx.cancelTimers(rec, ['shutdown-ack']);
      ctx.putDomain(rec);
      return undefined;
    }
    case 'destroy': {
      const rec = guest(ctx, input.domid, 'destroy');
      destroyDomain(ctx, rec);
      return undefined;
    }
    case 'crash': {
      const rec = guest(ctx, input.domid, 'crash');
      if (rec.life.state !== 'running') throw new HostError('INVALID_STATE', `domain ${rec.domid} is not running`, rec.domid);
      guestCrash(ctx, rec, monitor);
      return undefined;
    }
    case 'set-vcpus': {
      const rec = ctx.mustDomain(input.domid);
      const n = rec.vcpus.length;
      if (!isInt(input.count) || input.count < 1 || input.count > n) {
        throw new HostError('INVALID_ARGUMENT', `vCPU count must be between 1 and ${n}`, rec.domid);
      }
      if (rec.life.state === 'shutdown' || rec.life.state === 'dying') throw new HostError('INVALID_STATE', `domain ${rec.domid} is shut down`, rec.domid);
      rec.vcpus.forEach((v, i) => {
        v.online = i < input.count;
        xsWrite(ctx, `/local/domain/${rec.domid}/cpu/${i}/availability`, v.online ? 'online' : 'offline');
      });
      if (rec.domid !== 0) {
        const config = ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
        if (config) {
          config.b_info.avail_vcpus = rec.vcpus.map((_, i) => i).filter((i) => rec.vcpus[i]!.online);
          ctx.tx.put('configs', numKey(rec.domid), config);
        }
      }
      reschedule(ctx, rec);
      return undefined;
    }
    case 'mem-target': {
      const rec = ctx.mustDomain(input.domid);
      const kib = input.kib;
      if (!isInt(kib) || kib <= 0) throw new HostError('INVALID_ARGUMENT', `invalid memory target ${String(kib)} KiB`, rec.domid);
      if (rec.life.state === 'shutdown' || rec.life.state === 'dying') throw new HostError('INVALID_STATE', `domain ${rec.domid} is shut down`, rec.domid);
      if (rec.mem.staticMaxKiB !== undefined && kib > rec.mem.staticMaxKiB) {
        throw new HostError('INVALID_ARGUMENT', `memory target ${kib} KiB exceeds memory/static-max ${rec.mem.staticMaxKiB} KiB`, rec.domid);
      }
      const newMem = allocFor(rec.type, kib, rec.domid === 0);
      if (newMem - rec.mem.memKiB > freeKiB(ctx)) {
        throw new HostError('OUT_OF_MEMORY', `not enough free memory to grow domain ${rec.domid} to ${kib} KiB`, rec.domid);
      }
      rec.mem.targetKiB = kib;
      setHeld(ctx, rec, newMem, rec.mem.overheadKiB);
      if (rec.domid !== 0) {
        rec.mem.maxMemKiB = kib + rec.mem.videoKiB + 1024;
        const config = ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
        if (config) {
          config.b_info.target_memkb = kib;
          ctx.tx.put('configs', numKey(rec.domid), config);
        }
      }
      xsWrite(ctx, `/local/domain/${rec.domid}/memory/target`, String(kib - rec.mem.videoKiB));
      rec.counters.memory_op = (rec.counters.memory_op ?? 0) + 1 + Math.floor(Math.abs(newMem - rec.mem.memKiB) / 2048);
      ctx.putDomain(rec);
      return undefined;
    }
    case 'mem-max': {
      const rec = ctx.mustDomain(input.domid);
      const kib = input.kib;
      if (!isInt(kib) || kib <= 0) throw new HostError('INVALID_ARGUMENT', `invalid maximum memory ${String(kib)} KiB`, rec.domid);
      if (kib < rec.mem.targetKiB) {
        throw new HostError('INVALID_ARGUMENT', `maximum memory ${kib} KiB is below the current target ${rec.mem.targetKiB} KiB`, rec.domid);
      }
      rec.mem.staticMaxKiB = kib;
      rec.mem.maxMemKiB = kib + 1024;
      if (rec.domid !== 0) {
        const config = ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
        if (config) {
          config.b_info.max_memkb = kib;
          ctx.tx.put('configs', numKey(rec.domid), config);
        }
      }
      xsWrite(ctx, `/local/domain/${rec.domid}/memory/static-max`, String(kib));
      ctx.putDomain(rec);
      return undefined;
    }
    case 'rename': {
      const rec = ctx.mustDomain(input.domid);
      if (typeof input.name !== 'string' || input.name === '') throw new HostError('INVALID_ARGUMENT', 'domain name must not be empty', rec.domid);
      if (input.name === rec.name) return undefined;
      if (ctx.domidByName(input.name) !== undefined) throw new HostError('NAME_EXISTS', `domain name ${input.name} is already in use`, rec.domid);
      renameDomain(ctx, rec, input.name);
      return undefined;
    }
    case 'sched': {
      const rec = ctx.mustDomain(input.domid);
      const { weight, cap } = input;
      if (weight !== undefined && (!isInt(weight) || weight < 1 || weight > 65535)) {
        throw new HostError('INVALID_ARGUMENT', `weight must be between 1 and 65535, got ${String(weight)}`, rec.domid);
      }
      if (cap !== undefined && (!isInt(cap) || cap < 0 || cap > 100 * rec.vcpus.length)) {
        throw new HostError('INVALID_ARGUMENT', `cap must be between 0 and ${100 * rec.vcpus.length}, got ${String(cap)}`, rec.domid);
      }
      if (weight !== undefined) rec.sched.weight = weight;
      if (cap !== undefined) rec.sched.cap = cap;
      // A weight change moves shares only where the pool is contended, and reschedule()
      // redistributes a contended pool in full.
      reschedule(ctx, rec);
      return undefined;
    }
    case 'attach-disk': {
      const rec = guest(ctx, input.domid, 'attach a disk to');
      if (rec.life.state !== 'running') throw new HostError('INVALID_STATE', `domain ${rec.domid} is not running`, rec.domid);
      const pd = planDisk(ctx, input.disk, 'disk');
      if (ctx.device(rec.domid, 'vbd', pd.devid)) {
        throw new HostError('INVALID_ARGUMENT', `virtual device ${pd.vdev} already exists in domain ${rec.domid}`, rec.domid);
      }
      let stored: DeviceDisk;
      try {
        stored = structuredClone(input.disk);
      } catch {
        throw new HostError('INVALID_ARGUMENT', 'disk is not plain data', rec.domid);
      }
      plugDevice(ctx, rec, vbdSpec(rec.type, pd, rec.uuid.charCodeAt(pd.devid % 36) + pd.devid));
      const config = ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
      if (config) {
        config.disks = [...(config.disks ?? []), stored];
        ctx.tx.put('configs', numKey(rec.domid), config);
      }
      ctx.putDomain(rec);
      return pd.devid;
    }
    case 'attach-nic': {
      const rec = guest(ctx, input.domid, 'attach a nic to');
      if (rec.life.state !== 'running') throw new HostError('INVALID_STATE', `domain ${rec.domid} is not running`, rec.domid);
      const used = new Set(ctx.devices(rec.domid).filter((d) => d.kind === 'vif').map((d) => d.devid));
      const next = used.size ? Math.max(...used) + 1 : 0;
      const nic = input.nic;
      if (typeof nic === 'object' && nic !== null && isInt(nic.devid) && used.has(nic.devid)) {
        throw new HostError('INVALID_ARGUMENT', `domain ${rec.domid} already has vif ${nic.devid}`, rec.domid);
      }
      const pn = planNic(ctx, nic, used, next, 'nic');
      plugDevice(ctx, rec, vifSpec(rec.domid, rec.type, pn));
      const config = ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
      if (config) {
        config.nics = [...(config.nics ?? []), pn.stored];
        ctx.tx.put('configs', numKey(rec.domid), config);
      }
      ctx.putDomain(rec);
      return pn.devid;
    }
    case 'detach': {
      const rec = guest(ctx, input.domid, `detach a ${input.device} from`);
      const dev = ctx.device(rec.domid, input.device, input.devid);
      if (!dev) throw new HostError('NO_SUCH_DEVICE', `domain ${rec.domid} has no ${input.device} ${String(input.devid)}`, rec.domid);
      unplugDevice(ctx, rec, dev);
      const config = ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
      if (config) {
        if (input.device === 'vbd') {
          const rest = (config.disks ?? []).filter((d) => d.vdev !== dev.props.vdev);
          if (rest.length) config.disks = rest;
          else delete config.disks;
        } else if (input.device === 'vif') {
          const rest = (config.nics ?? []).filter((n) => n.devid !== dev.devid);
          if (rest.length) config.nics = rest;
          else delete config.nics;
        }
        ctx.tx.put('configs', numKey(rec.domid), config);
      }
      ctx.putDomain(rec);
      return undefined;
    }
    case 'console-input': {
      const rec = ctx.mustDomain(input.domid);
      consoleInput(ctx, rec, input.bytes, monitor);
      return undefined;
    }
    case 'pin':
      return pin(ctx, input);
    case 'fault':
      return fault(ctx, input.fault);
    case 'due':
      runDue(ctx, input.key, input.event);
      return undefined;
    // Feature modules' cases go below, one `case` each that calls into the module:
    // [save/restore/migrate]
    case 'sr': return srStep(ctx, input.op);
    case 'ha': { const value = haStep(ctx, input.op); if (input.result) input.result.value = value; return undefined; }
    // [pools/pinning/schedulers]
    case 'pool': return poolStep(ctx, input.op);
    // [devices]
    case 'device': { const value = deviceStep(ctx, input.op); if (input.result) input.result.value = value; return undefined; }
    // [guest controls and misc]
    case 'control': return controlStep(ctx, input.op, monitor);
  }
}

/**
 * vCPU affinity (`xl vcpu-pin`, XEN_DOMCTL_setvcpuaffinity → `vcpu_affinity_domctl`,
 * xen/common/sched/core.c): hard and/or soft masks for one vCPU or all; null = every
 * pCPU. pCPU ids past the host are dropped. A hard mask must share a pCPU with the
 * domain's cpupool (`vcpu_set_hard_affinity`: EINVAL otherwise); a soft mask may be
 * anything, even empty. Throws NO_SUCH_DOMAIN, INVALID_ARGUMENT.
 */
function pin(ctx: Ctx, input: Extract<Input, { kind: 'pin' }>): undefined {
  const rec = ctx.mustDomain(input.domid);
  const n = ctx.meta.seed.nrCpus;
  const ids = input.vcpu === 'all' ? rec.vcpus.map((_, i) => i) : [input.vcpu];
  for (const i of ids) {
    if (!isInt(i) || i < 0 || i >= rec.vcpus.length) throw new HostError('INVALID_ARGUMENT', `domain ${rec.domid} has no vCPU ${String(i)}`, rec.domid);
  }
  const norm = (m: number[] | null | undefined): number[] | null | undefined => {
    if (m === undefined || m === null) return m;
    if (!Array.isArray(m) || !m.every((c) => isInt(c) && c >= 0)) throw new HostError('INVALID_ARGUMENT', 'an affinity mask lists pCPU ids');
    const cpus = [...new Set(m.filter((c) => c < n))].sort((a, b) => a - b);
    return cpus.length === n ? null : cpus;
  };
  const hard = norm(input.hard);
  const soft = norm(input.soft);
  const poolCpus = ctx.pool(rec.sched.pool)?.cpus ?? [];
  if (hard && !hard.some((c) => poolCpus.includes(c))) {
    throw new HostError('INVALID_ARGUMENT', `hard affinity ${hard.join(',') || '(none)'} has no pCPU of domain ${rec.domid}'s cpupool`, rec.domid);
  }
  // The domain leaves the pool's books with its old masks and comes back with the new ones.
  descheduleDomain(ctx, rec);
  for (const i of ids) {
    const v = rec.vcpus[i]!;
    if (hard !== undefined) v.hard = hard;
    if (soft !== undefined) v.soft = soft;
  }
  const config = rec.domid === 0 ? undefined : ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
  if (config) {
    if (hard !== undefined) config.b_info.vcpu_hard_affinity = rec.vcpus.map((v) => v.hard ?? Array.from({ length: n }, (_, c) => c));
    if (soft !== undefined) config.b_info.vcpu_soft_affinity = rec.vcpus.map((v) => v.soft ?? Array.from({ length: n }, (_, c) => c));
    ctx.tx.put('configs', numKey(rec.domid), config);
  }
  reschedule(ctx, rec);
  // A mask change can move shares anywhere in the pool: share it again in full.
  const pool = ctx.pool(rec.sched.pool);
  if (pool) reschedulePool(ctx, pool);
  return undefined;
}

function fault(ctx: Ctx, f: FaultInput): undefined {
  switch (f.kind) {
    case 'fail-creates':
      if (!isInt(f.count) || f.count < 0) throw new HostError('INVALID_ARGUMENT', 'fault count must be a non-negative integer');
      if (f.count === 0) delete ctx.meta.faults.failCreates;
      else ctx.meta.faults.failCreates = f.count;
      return undefined;
    case 'ignore-shutdown': {
      const rec = guest(ctx, f.domid, 'inject a fault into');
      if (f.on) rec.guest.ignoresShutdown = true;
      else delete rec.guest.ignoresShutdown;
      ctx.putDomain(rec);
      return undefined;
    }
    case 'crash-after': {
      const rec = guest(ctx, f.domid, 'inject a fault into');
      if (!(typeof f.seconds === 'number' && Number.isFinite(f.seconds) && f.seconds >= 0)) {
        throw new HostError('INVALID_ARGUMENT', 'crash delay must be a non-negative number of seconds');
      }
      ctx.cancelTimers(rec, ['crash']);
      ctx.addTimer(rec, ctx.runMs(rec) + Math.round(f.seconds * 1000), 'crash');
      ctx.putDomain(rec);
      return undefined;
    }
  }
}

/** Consumes one injected create failure (called after a create failed because of it). */
export function consumeCreateFault(ctx: Ctx): void {
  const n = ctx.meta.faults.failCreates ?? 0;
  if (n <= 1) delete ctx.meta.faults.failCreates;
  else ctx.meta.faults.failCreates = n - 1;
}

/** Runs a due queue event (removed from the queue first). */
function runDue(ctx: Ctx, key: string, ev: QueuedEvent): void {
  ctx.unschedule(key);
  switch (ev.kind) {
    case 'timer': {
      const rec = ev.domid === undefined ? undefined : ctx.domain(ev.domid);
      if (!rec) return;
      const i = rec.timers.findIndex((t) => t.queued === key);
      if (i < 0) return;
      const [t] = rec.timers.splice(i, 1);
      ctx.putDomain(rec);
      if (t!.kind === 'xenbus') {
        const dev = ctx.device(rec.domid, String(t!.data?.kind), Number(t!.data?.devid));
        if (!dev) return;
        if (t!.data?.step === 'fe-init') frontendInit(ctx, rec, dev);
        else if (t!.data?.step === 'fe-connect') frontendConnect(ctx, rec, dev);
        ctx.putDomain(rec);
        return;
      }
      runGuestTimer(ctx, rec, t!.kind, t!.data, monitor);
      if (ctx.domain(rec.domid)) ctx.putDomain(rec);
      return;
    }
    case 'xenbus-be': {
      const rec = ev.domid === undefined ? undefined : ctx.domain(ev.domid);
      const dev = rec ? ctx.device(rec.domid, String(ev.data?.kind), Number(ev.data?.devid)) : undefined;
      if (rec && dev) {
        backendConnect(ctx, rec, dev);
        ctx.putDomain(rec);
      }
      return;
    }
    case 'restart': {
      const name = String(ev.data?.name ?? '');
      const config = structuredClone(ev.data?.config) as DomainConfig;
      config.c_info.name = name;
      if (isInt(config.c_info.domid)) delete config.c_info.domid;
      const child = ctx.tx.child();
      try {
        const sub = Ctx.open(child);
        // The cfg file it was created from stays its own across the restart (`xl list -l`, the dashboard).
        const file = ev.data?.configFile;
        createDomain(sub, config, typeof file === 'string' ? { configFile: file } : {}, xenVersion(sub));
        sub.saveMeta();
        child.commit();
        // Re-read the host row the child changed and take over its effects.
        Object.assign(ctx.meta, Ctx.open(ctx.tx).meta);
        ctx.effects.push(...sub.effects);
      } catch {
        ctx.emit({ kind: 'action', at: ctx.now, domid: ev.domid ?? 0, action: 'restart-failed' });
      }
      return;
    }
    case 'reap-console': {
      const ring = ev.domid === undefined ? undefined : ctx.console(ev.domid);
      if (ring?.gone) ctx.tx.del('consoles', numKey(ev.domid!));
      return;
    }
    default:
      return;
  }
}

/** Re-exported for host.ts: the monitor-bound guest shutdown (used by tests of the guest model). */
export function shutdownNow(ctx: Ctx, rec: DomainRecord, reason: ShutdownReason): void {
  guestShutdown(ctx, rec, reason, monitor);
}
