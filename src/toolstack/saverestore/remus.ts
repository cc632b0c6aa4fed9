/**
 * libxl's Remus on the primary: `libxl_domain_remus_start` and what it sets in motion
 * (Xen 4.20.0 tools/libs/light/libxl_domain.c `libxl_domain_remus_start`, libxl_remus.c
 * `libxl__remus_setup` / `remus_setup_done` / `libxl__remus_teardown` and its save
 * callbacks, libxl_checkpoint_device.c, libxl_netbuffer.c, libxl_remus_disk_drbd.c,
 * libxl_stream_write.c; libxc tools/libs/guest/xg_sr_save.c `save`,
 * `suspend_and_send_dirty`). `remusStart` returns only when Remus ends, with libxl's rc:
 *
 * 1. checks: the domain exists (`unable to get dominfo`); without `-F`, blackhole, no
 *    network buffering or no disk replication is refused (`Unsafe mode must be enabled
 *    …`);
 * 2. checkpoint devices (`libxl__checkpoint_devices_setup`): with network buffering each
 *    vif gets an IFB device from the netbuf script (recorded in xenstore, never run:
 *    machine ha.ts); with disk replication each vbd must be a DRBD device, as
 *    `block-drbd-probe <target>` would say — xlsim takes `/dev/drbd<N>` targets as
 *    connected protocol-D DRBD devices and every other disk as "not a drbd device" (exit
 *    status 1, `device not handled by checkpoint`, `Remus: failed to setup device, rc
 *    -19`);
 * 3. the first checkpoint is a live migration's (pre-copy, suspend, stop-and-copy, with
 *    libxc's progress shown), ending in the XLSIM_DOMAIN and CHECKPOINT records; the
 *    guest is resumed at once ("fast suspend": `libxl__domain_resume_deprecated(…, 1)`)
 *    and libxl's CHECKPOINT_END follows;
 * 4. then, every `interval` ms after the last checkpoint was written (libxl's checkpoint
 *    timer; a negative interval never fires, as libxl's "infinite" timeout): suspend
 *    (`Domain now suspended`), the pages dirtied since the resume (`Checkpointed save`
 *    progress), the image and CHECKPOINT, resume, CHECKPOINT_END;
 * 5. it ends when the suspend fails (the domain was destroyed or does not answer) or the
 *    stream breaks (the backup is gone): libxc's and libxl's errors, then
 *    `Remus: Domain suspend terminated with rc <rc>, teardown Remus devices...` and the
 *    network buffers are torn down.
 *
 * The caller (commands/remus.ts) prints xl's verdict. An interrupted run (the command's
 * signal) throws `CancelledError` from the wait it was in; the caller undoes a checkpoint
 * in progress (`Host.ha.abortCheckpoint`) and tears the buffers down.
 */
import type { DomainInfo } from '../../machine/api.js';
import { pagesDirtied, transferMs, type DirtyProfile } from '../../machine/migration.js';
import type { CommandContext } from '../command.js';
import { libxlLine, type LogSite } from '../format/log.js';
import {
  checkpointEnd, concat, dhdrType, dhdrTypeName, libxlCheckpointEnd, pagesRecord, staticRecords, streamStart,
} from './format.js';
import { linkBytesPerSec } from './link.js';
import { dirtyProfileOf, liveSaveFailed, precopy, stopAndCopy, type LiveSender } from './live.js';
import { RC, saveSuspendFailed, SUSPEND_SITES, suspendGuest } from './suspend.js';
import type { ByteSink } from './transport.js';
import { pacedFrames, XTL, type XtlStdio } from './xtl.js';

/** libxl's ERROR_CHECKPOINT_DEVICE_NOT_SUPPORTED (libxl_types.idl). */
export const CHECKPOINT_DEVICE_NOT_SUPPORTED = -19;

/** Where Xen's scripts live (XEN_SCRIPT_DIR of a Debian build). */
export const XEN_SCRIPT_DIR = '/etc/xen/scripts';

/** libxl log sites of Remus (Xen 4.20.0; the line of a call's closing parenthesis, as GCC's `__LINE__`). */
export const REMUS_SITES = {
  unsafe: { file: 'libxl_domain.c', line: 445, func: 'libxl_domain_remus_start' },
  setupDone: { file: 'libxl_remus.c', line: 134, func: 'remus_setup_done' },
  teardown: { file: 'libxl_remus.c', line: 169, func: 'libxl__remus_teardown' },
  notHandled: { file: 'libxl_checkpoint_device.c', line: 156, func: 'device_setup_iterate' },
  willBuffer: { file: 'libxl_netbuffer.c', line: 403, func: 'netbuf_setup_script_cb' },
  childStatus: { file: 'libxl_exec.c', line: 118, func: 'libxl_report_child_exitstatus' },
} as const satisfies Record<string, LogSite>;

/** `libxl_domain_remus_info` as xl fills it (defaults applied). */
export interface RemusInfo {
  /** Checkpoint interval, ms; negative = never again after the first checkpoint. */
  interval: number;
  /** `-F`. */
  allowUnsafe: boolean;
  /** `-b`: the stream goes to /dev/null. */
  blackhole: boolean;
  /** Network output buffering (not `-n`). */
  netbuf: boolean;
  /**
   * The netbuf script (`-N`, xl.conf `remus.default.netbufscript`, else
   * `<XEN_SCRIPT_DIR>/remus-netbuf-setup`). Never run: its effect is modelled (ha.ts
   * `netbufSetup`), and it never fails, so no libxl message names it.
   */
  netbufscript: string;
  /** Disk replication (not `-d`). */
  diskbuf: boolean;
}

/** What `remusStart` works on. */
export interface RemusRun {
  /** The `xl remus` command (its host, clock, output). */
  ctx: CommandContext;
  /** The primary domain. */
  domid: number;
  /** The domain as `find_domain` found it (type and memory). */
  info: DomainInfo;
  /** The host's CPU clock, MHz (libxc's TSC record). */
  cpuMhz: number;
  /** The options, as xl filled `libxl_domain_remus_info`. */
  r: RemusInfo;
  /** The stream to the backup (a null sink for `-b`). */
  sink: ByteSink;
  /** xl's logger for libxc's progress and messages (not hidden, unlike `xl migrate`'s). */
  xtl: XtlStdio;
  /** Called after each checkpoint the backup was sent (1, 2, …). */
  onCheckpoint?: (n: number) => void;
}

/** A pid for a script xlsim does not run, for libxl's messages about it (stable for a device). */
function scriptPid(domid: number, devid: number): number {
  return 3000 + ((domid * 7919 + devid) % 29000);
}

/**
 * `libxl__checkpoint_devices_setup` with Remus's device ops (see the module comment,
 * step 2). Returns 0 or libxl's rc after printing why.
 */
async function setupDevices(run: RemusRun): Promise<number> {
  const { ctx, domid, r } = run;
  const disks = r.diskbuf ? (await ctx.readHost((host) => host.devices(domid))).filter((d) => d.kind === 'vbd') : [];
  if (r.netbuf) {
    await ctx.withHost(async (host) => {
      for (const n of host.ha.netbufSetup(domid)) {
        if (run.xtl.shows(XTL.DEBUG)) ctx.err(libxlLine('debug', REMUS_SITES.willBuffer, domid, `${n.ifb} will buffer packets from vif ${n.vif}`));
      }
      return 0;
    });
  }
  let rc = 0;
  for (const d of disks) {
    const target = d.params ?? '';
    if (/^\/dev\/drbd\d+$/.test(target)) continue;
    // block-drbd-probe exits 1 ("not a drbd device"); libxl logs the status, then no op is left.
    ctx.err(libxlLine('error', REMUS_SITES.childStatus, undefined,
      `${XEN_SCRIPT_DIR}/block-drbd-probe ${target} [${scriptPid(domid, d.devid)}] exited with error status 1`));
    ctx.err(libxlLine('error', REMUS_SITES.notHandled, d.backendDomid, `device not handled by checkpoint (device=vbd:${d.backendDomid}/${d.devid})`));
    rc = CHECKPOINT_DEVICE_NOT_SUPPORTED;
  }
  if (rc) {
    ctx.err(libxlLine('error', REMUS_SITES.setupDone, domid, `Remus: failed to setup device, rc ${rc}`));
    await teardownDevices(ctx, domid);
  }
  return rc;
}

/** The checkpoint devices' teardown (remus-netbuf-setup teardown, recorded). */
export async function teardownDevices(ctx: CommandContext, domid: number): Promise<void> {
  await ctx.withHost(async (host) => {
    if (host.domain(domid)) host.ha.netbufTeardown(domid);
    return 0;
  });
}

/** Resumes the primary after a checkpoint (fast suspend); false when it is gone. */
async function resumePrimary(ctx: CommandContext, domid: number): Promise<boolean> {
  return (await ctx.withHost(async (host) => {
    if (!host.domain(domid)) return 1;
    host.resumeDomain(domid);
    return 0;
  })) === 0;
}

/** See the module comment. Resolves to libxl's rc when Remus ends; throws `CancelledError` when interrupted. */
export async function remusStart(run: RemusRun): Promise<number> {
  const { ctx, domid, r, xtl } = run;
  const clock = ctx.env.clock;
  if (!(await ctx.readHost((host) => host.domain(domid) !== undefined))) {
    ctx.err(libxlLine('error', SUSPEND_SITES.domainType, domid, 'unable to get dominfo', 'No such process'));
    return RC.FAIL;
  }
  if (!r.allowUnsafe && (r.blackhole || !r.netbuf || !r.diskbuf)) {
    ctx.err(libxlLine('error', REMUS_SITES.unsafe, domid, 'Unsafe mode must be enabled to replicate to /dev/null,disable network buffering and disk replication'));
    return RC.FAIL;
  }
  const setup = await setupDevices(run);
  if (setup) return setup;

  const dtype = dhdrType(run.info.type);
  const pages = Math.floor(run.info.memKiB / 4);
  const link = linkBytesPerSec();
  const send = (bytes: Uint8Array): Promise<void> => run.sink.write(bytes);
  const live: LiveSender = { ctx, domid, pages, link, xtl, send, debug: () => undefined };
  let responded = false;
  let rc: number;
  try {
    rc = await (async (): Promise<number> => {
      xtl.message(XTL.INFO, 'xc', `Saving domain ${domid}, type ${dhdrTypeName(dtype)}`);
      const seed = await ctx.readHost((host) => host.seed());
      await send(concat([streamStart(dtype, seed.xenMajor, seed.xenMinor), staticRecords(dtype, run.cpuMhz * 1000, 0n)]));
      const pre = await precopy(live);
      let n = 0;
      let last: { at: number; profile: DirtyProfile } | undefined;
      for (;;) {
        // suspend_and_send_dirty: the first time the end of a live migration, then a checkpoint.
        const before = last ? await dirtyProfileOf(ctx, domid) : undefined;
        responded = false;
        const s = await suspendGuest(ctx, domid);
        if (!s.ok) {
          saveSuspendFailed(ctx, domid, s);
          return s.responded ? s.rc : RC.GUEST_TIMEDOUT;
        }
        responded = true;
        xtl.progress('xc', 'Domain now suspended', 0, 0);
        if (!last) {
          await stopAndCopy(live, pre, s.at);
        } else {
          const dirty = pagesDirtied(before ?? last.profile, Math.max(0, s.at - last.at));
          await pacedFrames(xtl, clock, 'Checkpointed save', dirty, s.at, transferMs(dirty, link));
          await send(pagesRecord(n, dirty));
        }
        const image = await ctx.readHost((host) => host.exportImage(domid));
        await send(checkpointEnd(image));
        // postcopy: the guest runs on; then libxl writes its part of the checkpoint.
        if (!(await resumePrimary(ctx, domid))) return RC.FAIL;
        const resumedAt = clock.now();
        await send(libxlCheckpointEnd());
        n++;
        run.onCheckpoint?.(n);
        last = { at: resumedAt, profile: await dirtyProfileOf(ctx, domid) };
        // remus_next_checkpoint: libxl's timer.
        if (r.interval < 0) {
          for (;;) await clock.sleepUntil(clock.now() + 3_600_000);
        }
        await clock.sleepUntil(clock.now() + r.interval);
      }
    })();
  } catch (e) {
    rc = liveSaveFailed(ctx, domid, e, responded);
  }
  ctx.err(libxlLine('warning', REMUS_SITES.teardown, domid, `Remus: Domain suspend terminated with rc ${rc}, teardown Remus devices...`));
  await teardownDevices(ctx, domid);
  return rc;
}
