/**
 * The machine's part of `xl remus` (Remus high availability) and `xl devd` (the device
 * daemon of a driver domain): one `step()` input, `{ kind: 'ha', op }`, and `Host.ha`
 * (`HaApi`) over it.
 *
 * Remus (Xen 4.20.0 tools/libs/light/libxl_remus.c, libxl_netbuffer.c,
 * libxl_remus_disk_drbd.c, tools/libs/guest/xg_sr_restore.c, tools/hotplug/Linux/
 * remus-netbuf-setup):
 * - `apply-checkpoint`: the backup's copy (`<name>--incoming`, built paused from the
 *   first checkpoint) takes the state of each later checkpoint, as libxc applies the
 *   records it buffered when the checkpoint's CHECKPOINT record arrives
 *   (`handle_checkpoint`: "All records buffered" … "All records processed");
 * - `abort-checkpoint`: xlsim's clean end of an interrupted `xl remus` — a primary that
 *   is being suspended, or is suspended, for a checkpoint runs again as it was (real xl
 *   dies on SIGINT and can leave it suspended; docs/compat.md);
 * - `netbuf-setup` / `netbuf-teardown`: what `remus-netbuf-setup setup|teardown` leaves in
 *   xenstore for each vif of the guest (`/libxl/<domid>/remus/netbuf/<devid>/ifb`, the
 *   first free IFB device), recorded and never run (no tc, no IFB device exists).
 *
 * devd (tools/xl/xl_misc.c `main_devd`, libxl_device.c `libxl_device_events_handler`): the
 * daemon registers a xenstore watch on its domain's `backend` directory and runs the
 * backends' hotplug scripts as devices appear. xlsim's machine serves every backend
 * itself, so `devd-start` records exactly that watch, Domain-0's on
 * `/local/domain/0/backend` with the token `xldevd/<pid>` (libxl's own tokens are
 * `<slot>/<counter>`), and `devd-stop` removes it, as xenstored drops the watches of a
 * connection that closes.
 *
 * Every op checks before it writes and throws `HostError` (NO_SUCH_DOMAIN, DOMAIN_0,
 * INVALID_STATE, INVALID_ARGUMENT), so a failed op changes nothing.
 */
import { ShutdownReason } from './api.js';
import { reschedule } from './cpu.js';
import type { Ctx } from './ctx.js';
import { consoleWrite } from './console.js';
import { HostError } from './errors.js';
import {
  cancelSuspend, checkImage, isSuspended, resumeDomain, resumeLines, takeImageState, unstash, type DomainImage, type Stashed,
} from './migration.js';
import { netbackIfname } from './devices.js';
import type { XsWatch } from './records.js';
import { xsList, xsRead, xsRm, xsUnwatch, xsWatch, xsWatchersOf, xsWrite } from './xenstore.js';

/** The directory `xl devd` watches in Domain-0 (libxl_device.c: `/local/domain/<self>/backend`). */
export const DEVD_WATCH_PATH = '/local/domain/0/backend';
/** Prefix of the token of a devd's watch; the pid follows. */
export const DEVD_TOKEN_PREFIX = 'xldevd/';

/** One vif under Remus network buffering: its devid, Domain-0 interface and the IFB device that buffers it. */
export interface NetbufInfo {
  devid: number;
  /** The backend interface (`vif<domid>.<devid>`). */
  vif: string;
  /** The IFB device remus-netbuf-setup picked (`ifb0`, `ifb1`, …). */
  ifb: string;
}

/** The `ha` inputs of `step` (see the module comment). */
export type HaOp =
  | { op: 'apply-checkpoint'; domid: number; image: DomainImage }
  | { op: 'abort-checkpoint'; domid: number }
  | { op: 'netbuf-setup'; domid: number }
  | { op: 'netbuf-teardown'; domid: number }
  | { op: 'devd-start'; pid: number }
  | { op: 'devd-stop'; pid: number };

/** The Remus and devd API of a `Host` (`Host.ha`). Domids are Xen domids; pids the OS's. */
export interface HaApi {
  /**
   * Gives the paused backup copy `domid` the state of a checkpoint `image` of the same
   * domain (same UUID): guest run time, guest OS state, timers, vCPU times, counters,
   * console ring. Throws NO_SUCH_DOMAIN, DOMAIN_0, INVALID_ARGUMENT (a malformed image or
   * one of another domain), INVALID_STATE (not a paused, running copy).
   */
  applyCheckpoint(domid: number, image: DomainImage): void;
  /**
   * Undoes a checkpoint's suspend of `domid`: a suspended guest is resumed
   * (`xc_domain_resume(…, 1)`), one still on its way down runs on as before, a request it
   * has not acknowledged is taken back. Returns what it did; `none` for a domain that is
   * gone or not being suspended. Never throws.
   */
  abortCheckpoint(domid: number): 'resumed' | 'cancelled' | 'none';
  /**
   * Records remus-netbuf-setup's `setup` for every vif of `domid`: an IFB device each,
   * written to `/libxl/<domid>/remus/netbuf/<devid>/ifb`. Returns them in devid order.
   * Throws NO_SUCH_DOMAIN, DOMAIN_0.
   */
  netbufSetup(domid: number): NetbufInfo[];
  /** Records `teardown`: `/libxl/<domid>/remus` goes. No-op for a domain without it. */
  netbufTeardown(domid: number): void;
  /** Records a running `xl devd` with process id `pid` (its watch, see the module comment). Throws INVALID_ARGUMENT for a bad pid. */
  devdStart(pid: number): void;
  /** Forgets the devd with process id `pid` (no-op when there is none). */
  devdStop(pid: number): void;
  /** Process ids of the devds recorded, ascending. */
  devds(): number[];
}

/** Runs one `ha` input (see `HaOp`); returns the netbuf devices for `netbuf-setup`, the outcome of `abort-checkpoint`. */
export function haStep(ctx: Ctx, op: HaOp): unknown {
  switch (op.op) {
    case 'apply-checkpoint':
      applyCheckpoint(ctx, op.domid, op.image);
      return undefined;
    case 'abort-checkpoint':
      return abortCheckpoint(ctx, op.domid);
    case 'netbuf-setup':
      return netbufSetup(ctx, op.domid);
    case 'netbuf-teardown':
      xsRm(ctx, `/libxl/${op.domid}/remus`);
      return undefined;
    case 'devd-start':
      if (!Number.isInteger(op.pid) || op.pid <= 0) throw new HostError('INVALID_ARGUMENT', `invalid process id ${String(op.pid)}`);
      xsWatch(ctx, 0, DEVD_WATCH_PATH, `${DEVD_TOKEN_PREFIX}${op.pid}`);
      return undefined;
    case 'devd-stop':
      xsUnwatch(ctx, DEVD_WATCH_PATH, `${DEVD_TOKEN_PREFIX}${op.pid}`);
      return undefined;
  }
}

/** The guest domain `domid` (not Domain-0). Throws NO_SUCH_DOMAIN, DOMAIN_0. */
function guestOf(ctx: Ctx, domid: number, what: string): Stashed {
  const rec = ctx.mustDomain(domid) as Stashed;
  if (rec.domid === 0) throw new HostError('DOMAIN_0', `cannot ${what} Domain-0`, 0);
  return rec;
}

/** See `HaApi.applyCheckpoint`. */
export function applyCheckpoint(ctx: Ctx, domid: number, image: DomainImage): void {
  const img = checkImage(image);
  const rec = guestOf(ctx, domid, 'checkpoint');
  if (rec.uuid !== img.uuid) throw new HostError('INVALID_ARGUMENT', `the checkpoint is of domain ${img.uuid}, not ${rec.uuid}`, domid);
  if (rec.life.state !== 'running' || rec.pauseCount === 0) {
    throw new HostError('INVALID_STATE', `domain ${domid} is not a paused backup copy`, domid);
  }
  takeImageState(ctx, rec, img);
  ctx.putDomain(rec);
  ctx.syncRunClock(rec);
  consoleWrite(ctx, rec, resumeLines(rec, img.runMs));
  reschedule(ctx, rec);
}

/** See `HaApi.abortCheckpoint`. */
export function abortCheckpoint(ctx: Ctx, domid: number): 'resumed' | 'cancelled' | 'none' {
  const rec = ctx.domain(domid) as Stashed | undefined;
  if (!rec || rec.domid === 0) return 'none';
  if (isSuspended(rec)) {
    resumeDomain(ctx, domid);
    return 'resumed';
  }
  const stash = rec.srStash;
  if (rec.life.state === 'running' && rec.guest.stage === 'halting' && rec.guest.haltReason === ShutdownReason.Suspend && stash) {
    // Acknowledged, not yet down: the guest's suspend is called off and it carries on.
    ctx.cancelTimers(rec, ['halted']);
    unstash(ctx, rec, stash.guest, stash.timers);
    delete rec.srStash;
    ctx.putDomain(rec);
    reschedule(ctx, rec);
    return 'cancelled';
  }
  if (xsRead(ctx, `/local/domain/${domid}/control/shutdown`) === 'suspend') {
    cancelSuspend(ctx, domid);
    return 'cancelled';
  }
  return 'none';
}

/** See `HaApi.netbufSetup`. */
export function netbufSetup(ctx: Ctx, domid: number): NetbufInfo[] {
  guestOf(ctx, domid, 'buffer the network of');
  const used = new Set<string>();
  for (const d of xsList(ctx, '/libxl')) {
    for (const dev of xsList(ctx, `/libxl/${d}/remus/netbuf`)) {
      const ifb = xsRead(ctx, `/libxl/${d}/remus/netbuf/${dev}/ifb`);
      if (ifb !== undefined) used.add(ifb);
    }
  }
  const out: NetbufInfo[] = [];
  for (const dev of ctx.devices(domid)) {
    if (dev.kind !== 'vif') continue;
    // The interface's name in the backend domain (vifname= when given), as the build recorded it.
    const vif = dev.props.ifname ?? netbackIfname(domid, dev.devid);
    let n = 0;
    while (used.has(`ifb${n}`)) n++;
    const ifb = `ifb${n}`;
    used.add(ifb);
    xsWrite(ctx, `/libxl/${domid}/remus/netbuf/${dev.devid}/ifb`, ifb);
    out.push({ devid: dev.devid, vif, ifb });
  }
  return out.sort((a, b) => a.devid - b.devid);
}

/** Process ids of the recorded devds (see `HaApi.devds`). */
export function devdPids(ctx: Ctx): number[] {
  return xsWatchersOf(ctx, DEVD_WATCH_PATH)
    .filter((w: XsWatch) => w.path === DEVD_WATCH_PATH && w.domid === 0 && w.token.startsWith(DEVD_TOKEN_PREFIX))
    .map((w) => Number(w.token.slice(DEVD_TOKEN_PREFIX.length)))
    .filter((pid) => Number.isInteger(pid) && pid > 0)
    .sort((a, b) => a - b);
}

/** `Host.ha` over a host's `apply` (one transaction per op) and `read`. */
export function haApi(apply: (op: HaOp) => unknown, read: <T>(fn: (ctx: Ctx) => T) => T): HaApi {
  return {
    applyCheckpoint: (domid, image) => void apply({ op: 'apply-checkpoint', domid, image }),
    abortCheckpoint: (domid) => apply({ op: 'abort-checkpoint', domid }) as 'resumed' | 'cancelled' | 'none',
    netbufSetup: (domid) => apply({ op: 'netbuf-setup', domid }) as NetbufInfo[],
    netbufTeardown: (domid) => void apply({ op: 'netbuf-teardown', domid }),
    devdStart: (pid) => void apply({ op: 'devd-start', pid }),
    devdStop: (pid) => void apply({ op: 'devd-stop', pid }),
    devds: () => read((ctx) => devdPids(ctx)),
  };
}
