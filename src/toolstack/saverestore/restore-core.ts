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
  const stream = await readStream(req.source, { info: (m) => ctx.err(`xc: info: ${m}\n`) });
  if (!stream.ok) {
    for (const l of stream.lines) ctx.err(l);
    ctx.err(libxlLine('error', SR_SITES.rebuildDone, undefined, 'cannot (re-)build domain: -3'));
    return { ok: false, rc: FAIL };
  }
  {
    const now = await ctx.readHost((host) => host.now());
    const read = req.readTime ? transferMs(stream.image.pages, linkBytesPerSec()) : 0;
    await ctx.env.clock.sleepUntil(now + read + restoreOverheadMs(stream.image.devices.length));
  }
  let domid = -1;
  let ports: [string, string] = ['', ''];
  const status = await ctx.withHost(async (host) => {
    try {
      domid = host.importImage(stream.image, { config, paused: req.paused, monitor: req.monitor });
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
  ctx.err('xc: info: Restore successful\n');
  ctx.err(`xc: info: XenStore: mfn 0xfeffc, dom 0, evt ${ports[0]}\n`);
  ctx.err(`xc: info: Console: mfn 0xfeffd, dom 0, evt ${ports[1]}\n`);
  return { ok: true, domid, name, commonName, image: stream.image };
}
