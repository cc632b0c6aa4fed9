/**
 * libxl's suspend of a guest, as `xl save`, `xl migrate` and `xl suspend` use it
 * (tools/libs/light/libxl_dom_suspend.c 4.20: `domain_suspend_common_pvcontrol_suspending`,
 * `domain_suspend_common_wait_guest`, `suspend_common_wait_guest_check`,
 * `suspend_common_wait_guest_timeout`): write `suspend` to `control/shutdown`, wait up
 * to 60 s for the guest to acknowledge (else cancel the request: "guest didn't
 * acknowledge suspend, cancelling request"), then up to 60 s for it to shut down with
 * reason suspend (else "guest did not suspend, timed out"). The host is never held
 * while waiting: each look is a fresh read snapshot, and the wait sleeps on the
 * command's clock until the guest's next event.
 */
import { ShutdownReason } from '../../machine/api.js';
import { HostError } from '../../machine/errors.js';
import type { Host } from '../../machine/host.js';
import type { CommandContext } from '../command.js';
import { libxlLine, type LogSite } from '../format/log.js';
import { SR_SITES } from './format.js';

/** libxl's waits for the guest's acknowledgement and for its suspend, ms. */
export const SUSPEND_TIMEOUT_MS = 60_000;
/** How often a wait re-reads the host when nothing is scheduled, ms. */
const POLL_MS = 200;

/** libxl log sites of the suspend path (Xen 4.20.0). */
export const SUSPEND_SITES = {
  noAck: { file: 'libxl_dom_suspend.c', line: 270, func: 'domain_suspend_common_pvcontrol_suspending' },
  destroyed: { file: 'libxl_dom_suspend.c', line: 337, func: 'suspend_common_wait_guest_check' },
  timedOut: { file: 'libxl_dom_suspend.c', line: 367, func: 'suspend_common_wait_guest_timeout' },
  domainType: { file: 'libxl_dom.c', line: 37, func: 'libxl__domain_type' },
} as const satisfies Record<string, LogSite>;

/** libxl error codes used here. */
export const RC = { FAIL: -3, INVAL: -6, GUEST_TIMEDOUT: -8, TIMEDOUT: -9 } as const;

/** How a suspend ended: done, or failed with libxl's rc and whether the guest had answered. */
export type SuspendResult = { ok: true; at: number } | { ok: false; rc: number; responded: boolean };

/**
 * Waits, without holding the host, until `probe` says done or `deadline` (host ms)
 * passes; each round reads a fresh snapshot advanced to now and sleeps until `next`.
 */
export async function waitFor<T>(
  ctx: CommandContext,
  deadline: number,
  probe: (host: Host) => { done: T | undefined; next?: number },
): Promise<T | undefined> {
  for (;;) {
    const r = await ctx.readHost((host) => ({ ...probe(host), now: host.now() }));
    if (r.done !== undefined) return r.done;
    if (r.now >= deadline) return undefined;
    await ctx.env.clock.sleepUntil(Math.min(deadline, Math.max(r.now + 1, r.next ?? r.now + POLL_MS)));
  }
}

/**
 * Suspends guest `domid` as libxl does (see the module comment), printing libxl's
 * error lines on failure. A missing domain fails at once (`unable to get dominfo`).
 * On success the guest's freezer lines are put on its console (`noteSuspended`).
 */
export async function suspendGuest(ctx: CommandContext, domid: number): Promise<SuspendResult> {
  let start = 0;
  let dead = false;
  let missing = false;
  await ctx.withHost(async (host) => {
    start = host.now();
    try {
      host.requestSuspend(domid);
    } catch (e) {
      if (!(e instanceof HostError)) throw e;
      if (e.code === 'NO_SUCH_DOMAIN' || e.code === 'DOMAIN_0') missing = true;
      else dead = true;
      return 1;
    }
    return 0;
  });
  if (missing) {
    ctx.err(libxlLine('error', SUSPEND_SITES.domainType, domid, 'unable to get dominfo', 'No such process'));
    return { ok: false, rc: RC.FAIL, responded: false };
  }
  const path = `/local/domain/${domid}/control/shutdown`;
  const acked = await waitFor(ctx, start + SUSPEND_TIMEOUT_MS, (host) => {
    if (dead) return { done: undefined, next: start + SUSPEND_TIMEOUT_MS };
    if (!host.domain(domid) || host.xenstoreRead(path) !== 'suspend') return { done: host.now() };
    return { done: undefined, next: host.shutdownAckTime(domid) };
  });
  if (acked === undefined) {
    await ctx.withHost(async (host) => {
      if (host.domain(domid)) host.cancelSuspend(domid);
      return 0;
    });
    ctx.err(libxlLine('error', SUSPEND_SITES.noAck, domid, "guest didn't acknowledge suspend, cancelling request"));
    return { ok: false, rc: RC.TIMEDOUT, responded: false };
  }
  const outcome = await waitFor<'suspended' | 'gone' | 'other'>(ctx, acked + SUSPEND_TIMEOUT_MS, (host) => {
    const d = host.domain(domid);
    if (!d) return { done: 'gone' };
    if (d.state.shutdown) return { done: d.state.shutdownReason === ShutdownReason.Suspend ? 'suspended' : 'other' };
    return { done: undefined, next: host.nextEventTime() };
  });
  if (outcome === 'gone') {
    ctx.err(libxlLine('error', SUSPEND_SITES.destroyed, domid, 'guest we were suspending has been destroyed', 'No such process'));
    return { ok: false, rc: RC.FAIL, responded: true };
  }
  if (outcome === 'other') return { ok: false, rc: RC.FAIL, responded: true };
  if (outcome === undefined) {
    ctx.err(libxlLine('error', SUSPEND_SITES.timedOut, domid, 'guest did not suspend, timed out'));
    return { ok: false, rc: RC.GUEST_TIMEDOUT, responded: true };
  }
  let at = 0;
  await ctx.withHost(async (host) => {
    host.noteSuspended(domid);
    at = host.now();
    return 0;
  });
  return { ok: true, at };
}

/**
 * libxc's and libxl's lines when the suspend inside a save failed (xg_sr_save.c
 * `suspend_domain`, `save`; libxl_stream_write.c `libxl__xc_domain_save_done`).
 */
export function saveSuspendFailed(ctx: CommandContext, domid: number, s: Extract<SuspendResult, { ok: false }>): void {
  ctx.err('xc: error: save callback suspend() failed: 0: Internal error\n');
  ctx.err('xc: error: Save failed (0 = Success): Internal error\n');
  ctx.err(libxlLine('error', SR_SITES.saveDone, domid,
    `saving domain: ${s.responded ? 'domain responded to suspend request' : 'domain did not respond to suspend request'}`, 'Success'));
}
