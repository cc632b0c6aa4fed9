/**
 * libxc's live save, shared by `xl migrate` and the first checkpoint of `xl remus`
 * (Xen 4.20.0 tools/libs/guest/xg_sr_save.c `send_memory_live`, `suspend_and_send_dirty`,
 * `simple_precopy_policy`; machine migration.ts for the dirtying model):
 *
 * - `precopy`: iteration 0 sends every page, each later iteration the pages the guest
 *   dirtied during the previous one, until fewer than 50 are left or after 5 iterations;
 *   each takes the modelled link time, with libxc's `Frames iteration N` progress (hidden
 *   by `xl migrate`, shown by `xl remus`);
 * - `stopAndCopy`: once the caller has suspended the guest, the pages it dirtied since
 *   the last iteration.
 *
 * Both write XLSIM_PAGES records through `send` and wait on the command's clock.
 */
import { pagesDirtied, precopyStops, transferMs, type DirtyProfile } from '../../machine/migration.js';
import { HostError } from '../../machine/errors.js';
import type { CommandContext } from '../command.js';
import { libxlLine } from '../format/log.js';
import { pagesRecord, SR_SITES } from './format.js';
import { RC } from './suspend.js';
import { pacedFrames, type XtlStdio } from './xtl.js';

/** What a live save sends and how. */
export interface LiveSender {
  ctx: CommandContext;
  domid: number;
  /** Pages the domain holds (memory KiB / 4). */
  pages: number;
  /** Modelled link rate, bytes/s (`Infinity` = instant). */
  link: number;
  xtl: XtlStdio;
  /** Writes stream bytes; rejects with an `EPIPE` error when the receiver is gone. */
  send: (bytes: Uint8Array) => Promise<void>;
  /** Writes an `--debug` line (a no-op without `--debug`). */
  debug: (s: string) => void;
  /** Called after each pre-copy iteration that sent pages: its number, the pages sent and those dirtied meanwhile (xl migrate's dashboard events). */
  onRound?: (iteration: number, sent: number, dirtied: number) => Promise<unknown>;
  /** Called once the stop-and-copy's pages are sent. */
  onStopAndCopy?: (sent: number) => Promise<unknown>;
}

/** Where the pre-copy phase ended. */
export interface Precopy {
  /** The iteration the stop-and-copy gets (libxc counts it on). */
  iteration: number;
  /** Pages dirtied during the last iteration. */
  lastDirtied: number;
  /** Host time the last iteration ended, ms. */
  lastEnd: number;
  /** Pages sent so far. */
  sent: number;
  /** Iterations that sent pages. */
  rounds: number;
  /** How the guest dirtied memory when the pre-copy ended. */
  profile: DirtyProfile;
}

/** How the guest `domid` dirties memory now (machine `dirtyProfile`); a vanished domain dirties nothing. */
export async function dirtyProfileOf(ctx: CommandContext, domid: number): Promise<DirtyProfile> {
  return (await ctx.readHost((host) => host.dirtyProfile(domid))) ?? { pages: 0, pagesPerSec: 0, wwsPages: 0, executing: false };
}

/**
 * xg_sr_save.c `send_memory_live` (see the module comment). Throws an error with code
 * `ESRCH` when the domain vanished, and what `send` throws.
 */
export async function precopy(s: LiveSender): Promise<Precopy> {
  const clock = s.ctx.env.clock;
  let iteration = 0;
  let dirty = s.pages;
  let lastDirtied = 0;
  let lastEnd = clock.now();
  let sent = 0;
  let rounds = 0;
  for (;;) {
    const stop = precopyStops(iteration, dirty);
    if (dirty > 0) {
      const p = await dirtyProfileOf(s.ctx, s.domid);
      if (!p.executing && !(await s.ctx.readHost((host) => host.domain(s.domid) !== undefined))) throw Object.assign(new Error('gone'), { code: 'ESRCH' });
      const t0 = clock.now();
      const ms = transferMs(dirty, s.link);
      await pacedFrames(s.xtl, clock, `Frames iteration ${iteration}`, dirty, t0, ms);
      await s.send(pagesRecord(iteration, dirty));
      lastDirtied = pagesDirtied(p, ms);
      lastEnd = clock.now();
      sent += dirty;
      rounds++;
      s.debug(`xc: progress: Frames iteration ${iteration}: ${dirty}/${dirty}  100%\n`);
      s.debug(`xlsim: migration: iteration ${iteration}: ${dirty} pages sent in ${Math.round(ms)} ms; the guest dirtied ${lastDirtied} meanwhile\n`);
      await s.onRound?.(iteration, dirty, lastDirtied);
    }
    if (stop) break;
    iteration++;
    if (precopyStops(iteration, -1)) break;
    dirty = lastDirtied;
  }
  return { iteration, lastDirtied, lastEnd, sent, rounds, profile: await dirtyProfileOf(s.ctx, s.domid) };
}

/**
 * `suspend_and_send_dirty` after the guest suspended at host time `at`: the pages it
 * dirtied since the last pre-copy iteration, paced over the link. Returns how many.
 */
export async function stopAndCopy(s: LiveSender, p: Precopy, at: number): Promise<number> {
  const last = Math.min(p.profile.wwsPages, p.lastDirtied + pagesDirtied(p.profile, Math.max(0, at - p.lastEnd)));
  const ms = transferMs(last, s.link);
  await pacedFrames(s.xtl, s.ctx.env.clock, `Frames iteration ${p.iteration}`, last, at, ms);
  await s.send(pagesRecord(p.iteration, last));
  s.debug(`xc: progress: Frames iteration ${p.iteration}: ${last}/${last}  100%\n`);
  s.debug(`xlsim: migration: stop-and-copy: ${last} pages sent in ${Math.round(ms)} ms with the guest suspended\n`);
  await s.onStopAndCopy?.(last);
  return last;
}

/**
 * libxc's and libxl's lines when a live save broke: the receiver went away (EPIPE), the
 * guest was destroyed under us (ESRCH), or it was resumed by someone else before its
 * image was taken (`HostError`) — xg_sr_save.c's `Failed to write page data to stream`
 * and `Save failed`, then libxl_stream_write.c `libxl__xc_domain_save_done`. Returns
 * libxl's rc (ERROR_GUEST_TIMEDOUT when the guest had not responded to the suspend, else
 * ERROR_FAIL). Anything else is a bug and is rethrown.
 */
export function liveSaveFailed(ctx: CommandContext, domid: number, e: unknown, responded: boolean): number {
  const code = (e as { code?: string }).code;
  if (!(e instanceof HostError) && code !== 'EPIPE' && code !== 'ESRCH') throw e;
  const why = code === 'EPIPE' ? '32 = Broken pipe' : code === 'ESRCH' ? '3 = No such process' : '5 = Input/output error';
  ctx.err(`xc: error: Failed to write page data to stream (${why}): Internal error\n`);
  ctx.err(`xc: error: Save failed (${why}): Internal error\n`);
  ctx.err(libxlLine('error', SR_SITES.saveDone, domid,
    `saving domain: ${responded ? 'domain responded to suspend request' : 'domain did not respond to suspend request'}`, why.replace(/^\d+ = /, '')));
  return responded ? RC.FAIL : RC.GUEST_TIMEDOUT;
}
