/**
 * The guest OS model (DESIGN.md "The machine": a boot that fits the guest's type,
 * frontends that connect, a console that takes input, a small shell, workloads that
 * drive CPU). Everything here runs on the guest's clock (run time, paused time
 * excluded) through guest timers, so a paused guest stops booting, stops answering and
 * stops printing, as a real one does.
 *
 * Boot: PV and PVH guests start in their kernel; HVM guests in firmware (hvmloader and
 * SeaBIOS or OVMF) then the kernel. The boot plan (bootlog.ts) gives the console lines;
 * three milestones are timers: `kernel` (HVM), `xenbus` (the xenbus driver is up: the
 * frontends connect and the guest starts watching `control/shutdown`), `up` (boot done,
 * the guest idles at its login prompt).
 *
 * Shutdown (xl-commands.md §5.3): the toolstack writes `control/shutdown`; a guest with
 * xenbus up acknowledges it by removing the node, stops its services (`halting`) and
 * finally calls SCHEDOP_shutdown with the reason; the domain is then shut down and the
 * xl monitor (monitor.ts) runs the configured `on_*` action. A guest can also shut
 * itself down from its shell (`poweroff`, `reboot`, a panic).
 */
import type { DomainConfig } from '../../parser/libxl.js';
import { ShutdownReason } from '../api.js';
import { consoleFlushAll, consoleNow, consoleSchedule, consoleWrite } from '../console.js';
import { reschedule } from '../cpu.js';
import { Ctx } from '../ctx.js';
import { connectFrontends } from '../devices.js';
import { transition } from '../lifecycle.js';
import { hash32 } from '../prng.js';
import type { DomainRecord, GuestState } from '../records.js';
import { xsList, xsRead, xsWrite } from '../xenstore.js';
import {
  bootPlan, guestKernelRelease, guestOs, linuxFlavour, printkStamp, shutdownDelayMs, shutdownText, type BootLine,
} from './bootlog.js';
import { initialTty, stressFinished, ttyInput, type GuestFacts, type ShellAction } from './shell.js';
import { domainExecuting } from '../summary.js';

/** Shutdown reasons a guest can be asked for through `control/shutdown` (libxl_domain.c). */
export type ControlRequest = 'poweroff' | 'reboot' | 'suspend' | 'halt';

/** Milestones of a boot, ms of guest run time after it starts. */
export interface BootMilestones {
  lines: BootLine[];
  /** The kernel starts (0 for PV/PVH). */
  kernelAt: number;
  /** The xenbus driver is up. */
  xenbusAt: number;
  /** Boot is done (the last line is printed). */
  upAt: number;
}

/** The boot plan of `config` with its milestones (see the module comment). */
export function bootMilestones(config: DomainConfig, ctx: Parameters<typeof bootPlan>[1]): BootMilestones {
  const lines = bootPlan(config, ctx);
  const upAt = lines.length ? lines[lines.length - 1]!.atMs : 0;
  const os = guestOs(config);
  const find = (re: RegExp): number | undefined => lines.find((l) => re.test(l.text))?.atMs;
  let kernelAt = 0;
  if (config.c_info.type === 'hvm') kernelAt = (find(/Booting from/) ?? 0) + 800;
  let xenbusAt: number;
  if (os === 'linux') xenbusAt = find(/Grant table initialized/) ?? kernelAt + 500;
  else if (os === 'windows') xenbusAt = kernelAt + 9000;
  else xenbusAt = lines[1]?.atMs ?? 1;
  return { lines, kernelAt: Math.min(kernelAt, upAt), xenbusAt: Math.min(Math.max(xenbusAt, kernelAt), upAt), upAt };
}

/** The guest state of a domain about to boot `config`. */
export function newGuestState(config: DomainConfig): GuestState {
  return {
    os: guestOs(config),
    flavour: linuxFlavour(config),
    kernelRelease: guestKernelRelease(config),
    stage: config.c_info.type === 'hvm' ? 'firmware' : 'kernel',
    bootStartRun: 0,
    xenbus: false,
    workload: { kind: 'idle' },
    tty: initialTty(),
  };
}

/**
 * Starts (or restarts, for a soft reset) the guest's boot at its current run time:
 * schedules the boot lines on its console and the milestone timers.
 */
export function startBoot(ctx: Ctx, rec: DomainRecord, config: DomainConfig, xenVersion: string): void {
  const run = ctx.runMs(rec);
  const nics = ctx.devices(rec.domid).filter((d) => d.kind === 'vif').length;
  const m = bootMilestones(config, {
    name: rec.name, uuid: rec.uuid, memKiB: rec.mem.memKiB, vcpus: rec.vcpus.filter((v) => v.online).length, nics, xenVersion,
  });
  rec.guest = newGuestState(config);
  rec.guest.bootStartRun = run;
  consoleSchedule(ctx, rec, m.lines, run);
  if (rec.guest.stage === 'firmware') ctx.addTimer(rec, run + m.kernelAt, 'boot', { stage: 'kernel' });
  ctx.addTimer(rec, run + m.xenbusAt, 'boot', { stage: 'xenbus' });
  ctx.addTimer(rec, run + m.upAt, 'boot', { stage: 'up' });
}

/** The guest's answer delay to a `control/shutdown` write once xenbus is up, ms (its watch fires). */
function ackDelayMs(rec: DomainRecord): number {
  return 10 + (hash32('ack', rec.uuid) % 30);
}

/**
 * The toolstack asks the guest to shut down (libxl_domain_shutdown / _reboot / suspend):
 * writes `control/shutdown`. The guest acknowledges once its xenbus is up and it runs.
 */
export function requestShutdown(ctx: Ctx, rec: DomainRecord, reason: ControlRequest): void {
  xsWrite(ctx, `/local/domain/${rec.domid}/control/shutdown`, reason);
  armShutdownWatch(ctx, rec);
}

/** If a request is waiting and the guest can see it, schedule its acknowledgement. */
function armShutdownWatch(ctx: Ctx, rec: DomainRecord): void {
  if (!rec.guest.xenbus || rec.guest.ignoresShutdown) return;
  if (rec.guest.stage === 'halting' || rec.guest.stage === 'halted') return;
  if (!xsRead(ctx, `/local/domain/${rec.domid}/control/shutdown`)) return;
  if (Ctx.timer(rec, 'shutdown-ack')) return;
  ctx.addTimer(rec, ctx.runMs(rec) + ackDelayMs(rec), 'shutdown-ack');
}

/**
 * Host time at which the guest will acknowledge its pending shutdown request, or
 * undefined when it will not (yet): no request, paused, xenbus not up, or a fault.
 */
export function shutdownAckTime(ctx: Ctx, rec: DomainRecord): number | undefined {
  const t = Ctx.timer(rec, 'shutdown-ack');
  if (t) return ctx.timerDue(rec, t);
  // Still booting: it will see the request once its xenbus driver comes up.
  if (rec.guest.xenbus || rec.guest.ignoresShutdown || !xsRead(ctx, `/local/domain/${rec.domid}/control/shutdown`)) return undefined;
  const up = rec.timers.find((x) => x.kind === 'boot' && x.data?.stage === 'xenbus');
  const due = up ? ctx.timerDue(rec, up) : undefined;
  return due === undefined ? undefined : due + ackDelayMs(rec);
}

/** Console lines of a guest halting for `reason` over `delay` ms, relative times. */
function haltLines(rec: DomainRecord, reason: 'poweroff' | 'reboot', delay: number, run: number): BootLine[] {
  const text = shutdownText(rec.guest.os, reason, run + delay);
  const parts = text.split(/(?<=\r\n)/).filter((p) => p !== '');
  return parts.map((p, i) => ({ atMs: i === parts.length - 1 ? delay : Math.floor(((i + 1) * delay) / (parts.length + 1)), text: p }));
}

/** The guest begins to stop for `reason` (services stop, then SCHEDOP_shutdown after its delay). */
export function beginHalt(ctx: Ctx, rec: DomainRecord, reason: ShutdownReason): void {
  if (rec.guest.stage === 'halting' || rec.guest.stage === 'halted') return;
  const run = ctx.runMs(rec);
  consoleFlushAll(ctx, rec);
  ctx.cancelTimers(rec, ['boot', 'shutdown-ack', 'stress-end']);
  rec.guest.stage = 'halting';
  rec.guest.haltReason = reason;
  rec.guest.workload = { kind: 'idle' };
  if (reason === ShutdownReason.Suspend) {
    ctx.addTimer(rec, run + 20 + (hash32('suspend', rec.uuid) % 30), 'halted');
  } else {
    const delay = shutdownDelayMs(rec.guest.os, rec.uuid);
    consoleSchedule(ctx, rec, haltLines(rec, reason === ShutdownReason.Reboot ? 'reboot' : 'poweroff', delay, run), run);
    ctx.addTimer(rec, run + delay, 'halted');
  }
  reschedule(ctx, rec);
}

/**
 * SCHEDOP_shutdown: the domain is shut down with `reason`; its vCPUs stop, its timers
 * go, and `onShutdown` (the monitor, monitor.ts) runs afterwards. The caller writes nothing
 * more to `rec` after `onShutdown`, which may destroy it.
 */
export function guestShutdown(ctx: Ctx, rec: DomainRecord, reason: ShutdownReason, onShutdown: (ctx: Ctx, rec: DomainRecord, reason: ShutdownReason) => void): void {
  consoleFlushAll(ctx, rec);
  ctx.cancelTimers(rec);
  transition(rec, { state: 'shutdown', reason });
  rec.guest.stage = 'halted';
  rec.guest.xenbus = false;
  rec.guest.workload = { kind: 'idle' };
  delete rec.guest.haltReason;
  ctx.syncRunClock(rec);
  reschedule(ctx, rec);
  ctx.emit({ kind: 'shutdown', at: ctx.now, domid: rec.domid, reason });
  onShutdown(ctx, rec, reason);
}

/** A kernel panic (sysrq `c`, a shell command, an injected fault): panic lines, then SCHEDOP_shutdown(crash). */
export function guestCrash(ctx: Ctx, rec: DomainRecord, onShutdown: Parameters<typeof guestShutdown>[3], why = 'sysrq triggered crash'): void {
  consoleFlushAll(ctx, rec);
  if (rec.guest.os === 'linux') {
    const stamp = printkStamp(ctx.runMs(rec) * 1000);
    consoleWrite(ctx, rec, `${stamp} Kernel panic - not syncing: ${why}\r\n`);
  } else {
    consoleWrite(ctx, rec, shutdownText(rec.guest.os, 'crash', ctx.runMs(rec)));
  }
  guestShutdown(ctx, rec, ShutdownReason.Crash, onShutdown);
}

/** Runs a due guest timer of `rec` (the queue's `timer` event). */
export function runGuestTimer(
  ctx: Ctx,
  rec: DomainRecord,
  kind: string,
  data: Record<string, string | number | boolean> | undefined,
  onShutdown: Parameters<typeof guestShutdown>[3],
): void {
  switch (kind) {
    case 'boot': {
      const stage = String(data?.stage ?? '');
      if (stage === 'kernel') {
        rec.guest.stage = 'kernel';
        reschedule(ctx, rec);
      } else if (stage === 'xenbus') {
        rec.guest.xenbus = true;
        ctx.putDomain(rec);
        connectFrontends(ctx, rec);
        armShutdownWatch(ctx, rec);
        ctx.putDomain(rec);
      } else if (stage === 'up') {
        consoleNow(ctx, rec);
        rec.guest.stage = 'up';
        rec.guest.xenbus = true;
        rec.guest.tty = initialTty();
        reschedule(ctx, rec);
      }
      return;
    }
    case 'shutdown-ack': {
      const path = `/local/domain/${rec.domid}/control/shutdown`;
      const req = xsRead(ctx, path);
      if (req === undefined || req === '') return;
      // Linux's shutdown_handler acknowledges by writing an empty string (drivers/xen/manage.c).
      xsWrite(ctx, path, '');
      const reason = req === 'reboot' ? ShutdownReason.Reboot : req === 'suspend' ? ShutdownReason.Suspend : ShutdownReason.Poweroff;
      beginHalt(ctx, rec, reason);
      return;
    }
    case 'halted':
      guestShutdown(ctx, rec, rec.guest.haltReason ?? ShutdownReason.Poweroff, onShutdown);
      return;
    case 'stress-end': {
      if (rec.guest.workload.kind !== 'stress') return;
      const seconds = Number(data?.seconds ?? 0);
      const res = stressFinished(rec.guest.tty, guestFacts(ctx, rec), seconds);
      rec.guest.tty = res.state;
      rec.guest.workload = { kind: 'idle' };
      consoleWrite(ctx, rec, res.output);
      reschedule(ctx, rec);
      return;
    }
    case 'crash':
      guestCrash(ctx, rec, onShutdown, 'Fatal exception (injected fault)');
      return;
    default:
      return;
  }
}

/** What the shell may see of its guest (shell.ts `GuestFacts`), built for one call. */
export function guestFacts(ctx: Ctx, rec: DomainRecord): GuestFacts {
  const devs = ctx.devices(rec.domid);
  const c = consoleNow(ctx, rec);
  const kernelLog = c.text.split(/(?<=\r\n)/).filter((l) => /^\[\s*\d+\.\d{6}\] /.test(l)).join('');
  const facts: GuestFacts = {
    hostname: rec.name,
    domid: rec.domid,
    type: rec.type,
    flavour: rec.guest.flavour,
    kernelRelease: rec.guest.kernelRelease,
    xenVersion: `${ctx.meta.seed.xenMajor}.${ctx.meta.seed.xenMinor}${ctx.meta.seed.xenExtra}`,
    cpuMhz: ctx.meta.seed.cpuMhz,
    uptimeMs: ctx.runMs(rec),
    nowMs: ctx.now,
    memKiB: rec.mem.memKiB,
    vcpusOnline: rec.vcpus.filter((v) => v.online).length,
    nics: devs.filter((d) => d.kind === 'vif').map((d) => {
      const n: GuestFacts['nics'][number] = { devid: d.devid, mac: d.props.mac ?? '', connected: d.fe === 4 };
      if (d.props.ip) n.ip = d.props.ip;
      return n;
    }),
    disks: devs.filter((d) => d.kind === 'vbd').map((d) => ({ vdev: d.props.vdev ?? String(d.devid), sectors: Number(d.props.sectors ?? '0') })),
    xenstore: { read: (p) => xsRead(ctx, p), list: (p) => xsList(ctx, p) },
    dmesg: kernelLog,
  };
  if (rec.guest.workload.kind === 'stress') facts.stress = { workers: rec.guest.workload.workers, pid: rec.guest.workload.pid };
  return facts;
}

/**
 * Bytes typed on the guest's console (`xl console`, the dashboard's console pane): a
 * Linux guest at its login prompt or shell handles them (shell.ts); a guest still
 * booting, a Windows guest (nothing on its serial port) or a unikernel ignores them.
 * Shell actions happen as the guest would do them.
 */
export function consoleInput(ctx: Ctx, rec: DomainRecord, bytes: string, onShutdown: Parameters<typeof guestShutdown>[3]): void {
  if (rec.guest.os !== 'linux' || rec.guest.stage !== 'up' || !domainExecuting(rec)) return;
  consoleNow(ctx, rec);
  const res = ttyInput(rec.guest.tty, bytes, guestFacts(ctx, rec));
  rec.guest.tty = res.state;
  consoleWrite(ctx, rec, res.output);
  ctx.putDomain(rec);
  for (const a of res.actions) {
    if (rec.life.state !== 'running') break;
    shellAction(ctx, rec, a, onShutdown);
  }
}

function shellAction(ctx: Ctx, rec: DomainRecord, a: ShellAction, onShutdown: Parameters<typeof guestShutdown>[3]): void {
  switch (a.kind) {
    case 'poweroff':
    case 'halt':
      beginHalt(ctx, rec, ShutdownReason.Poweroff);
      return;
    case 'reboot':
      beginHalt(ctx, rec, ShutdownReason.Reboot);
      return;
    case 'panic':
      guestCrash(ctx, rec, onShutdown);
      return;
    case 'sync':
      return;
    case 'stress': {
      const pid = a.pid ?? 1000 + (hash32('pid', rec.uuid, ctx.runMs(rec)) % 30000);
      const workload: GuestState['workload'] = { kind: 'stress', workers: Math.max(1, a.workers), pid };
      ctx.cancelTimers(rec, ['stress-end']);
      if (a.seconds !== undefined && a.seconds > 0) {
        workload.untilRun = ctx.runMs(rec) + a.seconds * 1000;
        ctx.addTimer(rec, workload.untilRun, 'stress-end', { seconds: a.seconds });
      }
      rec.guest.workload = workload;
      reschedule(ctx, rec);
      return;
    }
    case 'stress-stop':
      ctx.cancelTimers(rec, ['stress-end']);
      rec.guest.workload = { kind: 'idle' };
      reschedule(ctx, rec);
      return;
  }
}
