/**
 * The restoring path of xl_vmcontrol.c `create_domain`, shared by `xl restore` (a save
 * file) and `xl migrate-receive` (the stream on stdin), with libxl's
 * `libxl_domain_create_restore` and libxc's `xc_domain_restore` behind it:
 *
 * 1. the xl header and the config (`Loading new save file …`, ` Savefile contains xl
 *    domain config in JSON format`, `Parsing config from <saved>` or the given file);
 *    a migration receives under `<name>--incoming`;
 * 2. the checks libxl makes before it reads any guest memory: the name is free, the
 *    memory is there (xl's `failed to free memory for the domain`);
 * 3. the libxl/libxc stream (libxc's `Found x86 PV domain from Xen 4.20`, `Restoring
 *    domain`), then, in one write transaction, the domain is built from the image
 *    (machine `importDomain`), and libxc's `Restore successful` and the xenstore and
 *    console lines follow.
 *
 * Nothing is built until the whole stream has been read and checked, so a truncated or
 * foreign input changes nothing (real xl makes the domain first and destroys it on
 * failure: docs/compat.md). The write lock is held only for step 3's transaction.
 */
import { HostError } from '../../machine/errors.js';
import { transferMs, type DomainImage } from '../../machine/migration.js';
import type { DomainConfig } from '../../parser/libxl.js';
import type { CommandContext } from '../command.js';
import { libxlLine, SITES } from '../format/log.js';
import { configFromJson, debugConfigJson, parseConfigFile } from './config.js';
import { readStream, readXlHeader, SR_SITES, XL_FLAG_JSON } from './format.js';
import { linkBytesPerSec, restoreOverheadMs } from './link.js';
import type { ByteSource } from './transport.js';

/** What `restoreDomain` is asked to do (create_domain's `dom_info` for a restore). */
export interface RestoreRequest {
  /** The save file's bytes or the incoming stream. */
  source: ByteSource;
  /** How xl names it in messages: the file name or `<incoming migration stream>`. */
  sourceName: string;
  /** A config file given on the command line instead of the saved one. */
  configFile?: string;
  /** `-d`: print the config as JSON on stderr. */
  debug: boolean;
  /** Leave the domain paused. */
  paused: boolean;
  /** Whether an xl monitor applies the on_* actions (not with `-e`). */
  monitor: boolean;
  /** Migration: build as `<name>--incoming` (`migration_domname_r`). */
  incoming: boolean;
  /** A save file: wait the time reading the guest's memory takes at the modelled rate (always: libxl's finishing time, link.ts). */
  readTime: boolean;
  /** Called once the header and config are read (the receiver starts counting from here). */
  onConfig?: (config: DomainConfig) => void;
}

/** How it went: the new domain, or libxl's rc (`fatal`: xl exited at once, as CHK_ERRNOVAL does). */
export type RestoreResult =
  | { ok: true; domid: number; name: string; commonName: string; image: DomainImage }
  | { ok: false; rc: number; fatal?: boolean };

/** libxl's ERROR_FAIL / ERROR_INVAL. */
const FAIL = -3;
const INVAL = -6;

/** Builds a domain from a save file or migration stream; see the module comment. Never throws for bad input. */
export async function restoreDomain(ctx: CommandContext, req: RestoreRequest): Promise<RestoreResult> {
  const begun = await restoreBegin(ctx, req);
  if (!begun.ok) return begun;
  const stream = await readStream(req.source, { info: (m) => ctx.err(`xc: info: ${m}\n`) });
  if (!stream.ok) return streamFailed(ctx, stream.lines);
  const built = await buildFromImage(ctx, req, begun, stream.image);
  if (!built.ok) return built;
  restoreSuccessful(ctx, built.ports);
  return { ok: true, domid: built.domid, name: begun.name, commonName: begun.commonName, image: stream.image };
}

/** What a checkpointed restore came to: the backup's copy after a failover, or a failure. */
export type CheckpointedResult =
  | { ok: true; domid: number; name: string; commonName: string; image: DomainImage; checkpoints: number }
  | { ok: false; rc: number; fatal?: boolean };

/**
 * The restoring path of `xl migrate-receive -r` (Remus's backup): as `restoreDomain`, but
 * the stream is checkpointed (format.ts `readStream` with a checkpoint hook). The domain
 * is built, paused, from the first complete checkpoint (`<name>--incoming`); each later
 * checkpoint is applied to it (machine ha.ts `applyCheckpoint`, with libxc's `All records
 * buffered` / `All records processed`). When the stream breaks after a checkpoint, libxc
 * fails over (xg_sr_restore.c `restore`: the failed read's error, then `Restore
 * successful`) and the copy is returned, still paused, for xl to rename and unpause.
 * A stream that breaks before the first checkpoint fails as a migration does. Never
 * throws for bad input.
 */
export async function restoreCheckpointed(ctx: CommandContext, req: RestoreRequest): Promise<CheckpointedResult> {
  const begun = await restoreBegin(ctx, req);
  if (!begun.ok) return begun;
  let domid: number | undefined;
  let ports: [string, string] = ['0', '0'];
  const stream = await readStream(req.source, {
    info: (m) => ctx.err(`xc: info: ${m}\n`),
    checkpoint: async (image) => {
      if (domid === undefined) {
        const built = await buildFromImage(ctx, req, begun, image);
        if (!built.ok) return [];
        domid = built.domid;
        ports = built.ports;
        return undefined;
      }
      const id = domid;
      const gone = await ctx.withHost(async (host) => {
        if (!host.domain(id)) return 1;
        host.ha.applyCheckpoint(id, image);
        return 0;
      });
      return gone ? [`xlsim: the backup copy (domain ${id}) is gone; the checkpoint cannot be applied\n`] : undefined;
    },
  });
  if (!stream.ok) {
    if (domid !== undefined) await destroyCopy(ctx, domid);
    return streamFailed(ctx, stream.lines);
  }
  if (domid === undefined) {
    // A stream without checkpoints ended with END: libxc's remus_failover path completes it as a plain restore.
    const built = await buildFromImage(ctx, req, begun, stream.image);
    if (!built.ok) return built;
    domid = built.domid;
    ports = built.ports;
  }
  for (const l of stream.failover?.lines ?? []) ctx.err(l);
  restoreSuccessful(ctx, ports);
  return { ok: true, domid, name: begun.name, commonName: begun.commonName, image: stream.image, checkpoints: stream.failover?.checkpoints ?? 0 };
}

/** Destroys a copy that a failed checkpointed restore had built. */
async function destroyCopy(ctx: CommandContext, domid: number): Promise<void> {
  await ctx.withHost(async (host) => {
    if (host.domain(domid)) host.destroy(domid);
    return 0;
  });
}

/** The config and names `restoreBegin` settled on. */
interface Begun {
  ok: true;
  config: DomainConfig;
  name: string;
  commonName: string;
}

/**
 * Steps 1 and 2 of the module comment: the xl header and config, the `--incoming` name,
 * `-d`'s JSON, and libxl's checks before any memory arrives. Prints each failure.
 */
async function restoreBegin(ctx: CommandContext, req: RestoreRequest): Promise<Begun | { ok: false; rc: number; fatal?: boolean }> {
  const hdr = await readXlHeader(req.source, req.sourceName, ctx.err);
  if (!hdr.ok) {
    // A short read of the header or optional data ends xl at once (CHK_ERRNOVAL); the others return ERROR_INVAL.
    return { ok: false, rc: INVAL };
  }
  let config: DomainConfig | undefined;
  const facts = await ctx.readHost((host) => host.facts());
  if (req.configFile !== undefined) {
    config = await parseConfigFile(ctx, req.configFile, facts, (e) => `Failed to read config file: ${req.configFile}: ${e}\n`, `Parsing config from ${req.configFile}\n`);
    if (!config) return { ok: false, rc: FAIL, fatal: true };
  } else {
    if (!hdr.config || hdr.config.length === 0) {
      ctx.err('Config file not specified and none in save file\n');
      return { ok: false, rc: INVAL };
    }
    ctx.err('Parsing config from <saved>\n');
    config = hdr.mandatory & XL_FLAG_JSON ? configFromJson(hdr.config) : undefined;
    if (!config) {
      ctx.err('xlsim: the saved domain config is not a libxl JSON config\n');
      return { ok: false, rc: INVAL };
    }
  }
  const commonName = typeof config.c_info.name === 'string' ? config.c_info.name : '';
  const name = req.incoming && commonName ? `${commonName}--incoming` : commonName;
  config = { ...config, c_info: { ...config.c_info, name } };
  if (req.debug) ctx.err(debugConfigJson(config));
  req.onConfig?.(config);
  // libxl's checks before any memory arrives: xl's freemem, then libxl__domain_make's name check.
  const fits = await ctx.readHost((host) => {
    const r = host.importFits(config!, name);
    return { r, taken: r === 'name' ? host.domidByName(name) : undefined };
  });
  if (fits.r === 'memory') {
    ctx.err('failed to free memory for the domain\n');
    return { ok: false, rc: FAIL };
  }
  if (fits.r === 'name') {
    ctx.err(libxlLine('error', SITES.domainRename, fits.taken, `Domain with name "${name}" already exists.`));
    ctx.err(libxlLine('error', SITES.createMake, fits.taken, 'cannot make domain: -6'));
    return { ok: false, rc: FAIL };
  }
  return { ok: true, config, name, commonName };
}

/** libxc's and libxl's lines for a stream that could not be read, then `cannot (re-)build domain`. */
function streamFailed(ctx: CommandContext, lines: string[]): { ok: false; rc: number } {
  for (const l of lines) ctx.err(l);
  ctx.err(libxlLine('error', SR_SITES.rebuildDone, undefined, 'cannot (re-)build domain: -3'));
  return { ok: false, rc: FAIL };
}

/**
 * Step 3: waits the modelled time, then builds the domain from `image` in one write
 * transaction (machine `importImage`), printing libxl's errors. Returns its domid and its
 * xenstore and console event channel ports.
 */
async function buildFromImage(ctx: CommandContext, req: RestoreRequest, begun: Begun, image: DomainImage): Promise<{ ok: true; domid: number; ports: [string, string] } | { ok: false; rc: number }> {
  const { config, name } = begun;
  {
    const now = await ctx.readHost((host) => host.now());
    const read = req.readTime ? transferMs(image.pages, linkBytesPerSec()) : 0;
    await ctx.env.clock.sleepUntil(now + read + restoreOverheadMs(image.devices.length));
  }
  let domid = -1;
  let ports: [string, string] = ['', ''];
  const status = await ctx.withHost(async (host) => {
    try {
      domid = host.importImage(image, { config, paused: req.paused, monitor: req.monitor });
    } catch (e) {
      if (!(e instanceof HostError)) throw e;
      if (e.code === 'NAME_EXISTS') {
        ctx.err(libxlLine('error', SITES.domainRename, e.domid, `Domain with name "${name}" already exists.`));
        ctx.err(libxlLine('error', SITES.createMake, e.domid, 'cannot make domain: -6'));
      } else if (e.code === 'OUT_OF_MEMORY') {
        ctx.err('failed to free memory for the domain\n');
      } else if (e.code === 'INVALID_STATE') {
        ctx.err(libxlLine('error', SITES.domainMake, undefined, 'domain creation fail', 'File exists'));
        ctx.err(libxlLine('error', SITES.createMake, e.domid, 'cannot make domain: -3'));
      } else {
        ctx.err(libxlLine('error', SITES.createMake, e.domid, 'cannot make domain: -3'));
      }
      return 1;
    }
    ports = [host.xenstoreRead(`/local/domain/${domid}/store/port`) ?? '0', host.xenstoreRead(`/local/domain/${domid}/console/port`) ?? '0'];
    return 0;
  });
  if (status !== 0) return { ok: false, rc: FAIL };
  return { ok: true, domid, ports };
}

/** libxc's last lines of a restore (`Restore successful`, the xenstore and console rings). */
function restoreSuccessful(ctx: CommandContext, ports: [string, string]): void {
  ctx.err('xc: info: Restore successful\n');
  ctx.err(`xc: info: XenStore: mfn 0xfeffc, dom 0, evt ${ports[0]}\n`);
  ctx.err(`xc: info: Console: mfn 0xfeffd, dom 0, evt ${ports[1]}\n`);
}
