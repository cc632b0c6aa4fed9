/**
 * `xl cd-insert <Domain> <VirtualDevice> <path>` and `xl cd-eject <Domain>
 * <VirtualDevice>` (tools/xl/xl_cdrom.c `cd_insert`, Xen 4.20.0; libxl_disk.c
 * `libxl_cdrom_insert`; xl-commands.md §2.1 "cd-insert / cd-eject").
 *
 * xl builds the disk spec `vdev=<dev>,access=r,devtype=cdrom,target=<path>` and parses it
 * with the disk-spec parser (the parser's one disk grammar, so its errors are xl's); a
 * medium (anything but an empty target, format `empty`) must exist on Domain-0's file
 * system: `Cannot stat file: <path>` (exit 1). libxl then refuses a domain that is not
 * HVM (`cdrom-insert requires an HVM domain`) or a drive that is not a cdrom
 * (`Virtual device not found`); a numeric domid with no domain gets libxl__domain_type's
 * `unable to get dominfo`. Every failure exits 1, success is silent. `-N` is accepted and, as in xl
 * (`cd_insert` never reads `dryrun_only`), changes the medium all the same.
 */
import { fsPromises } from '../lazy-require.js';
import { DeviceError } from '../../machine/device-errors.js';
import { HostError } from '../../machine/errors.js';
import type { CommandContext, XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { DEVICE_SITES, noDomainLines } from '../format/device-log.js';
import { libxlLine } from '../format/log.js';

/** Whether `path` exists on Domain-0's file system (xl's `stat`): through the env's reader when it has one (tests), else `fs.stat`. */
async function exists(ctx: CommandContext, path: string): Promise<boolean> {
  if (ctx.env.readFile) {
    const r = await ctx.env.readFile(path);
    return r.ok || (r.code !== 'ENOENT' && r.code !== 'ENOTDIR');
  }
  try {
    await fsPromises().stat(path);
    return true;
  } catch {
    return false;
  }
}

/** xl's `cd_insert`: `target` undefined ejects. */
async function cdInsert(ctx: CommandContext, target: string | undefined): Promise<number> {
  const { parseDiskSpecs } = await import('../../parser/specs/disk.js');
  const vdev = ctx.args[1]!;
  const parsed = parseDiskSpecs([`vdev=${vdev},access=r,devtype=cdrom,target=${target ?? ''}`], 'command line');
  for (const m of parsed.messages) ctx.err(m.text);
  if (!parsed.value || parsed.exitCode !== undefined) return parsed.exitCode ?? 1;
  const disk = parsed.value;
  const path = typeof disk.pdev_path === 'string' ? disk.pdev_path : '';
  const format = typeof disk.format === 'string' ? disk.format : path === '' ? 'empty' : 'raw';
  if (format !== 'empty' && !(await exists(ctx, path))) {
    ctx.err(`Cannot stat file: ${path}\n`);
    return 1;
  }
  // xl accepts -N here (can_dryrun) but cd_insert never looks at it: the medium changes anyway.
  return ctx.withHost(async (host) => {
    const domid = findDomain(host, ctx.args[0]!, ctx.err);
    try {
      if (format === 'empty') host.dev.cdEject(domid, String(disk.vdev ?? vdev));
      else host.dev.cdInsert(domid, String(disk.vdev ?? vdev), path, format);
    } catch (e) {
      if (!(e instanceof HostError)) throw e;
      if (e.code === 'NO_SUCH_DOMAIN') ctx.err(noDomainLines(domid));
      else if (e instanceof DeviceError && e.reason === 'cd-not-hvm') ctx.err(libxlLine('error', DEVICE_SITES.cdNotHvm, domid, 'cdrom-insert requires an HVM domain'));
      else if (e instanceof DeviceError && e.reason === 'cd-no-drive') ctx.err(libxlLine('error', DEVICE_SITES.cdNoDrive, domid, 'Virtual device not found'));
      return 1;
    }
    return 0;
  });
}

/** xl's `find_domain` comes first: a name no domain has fails (exit 1) before the spec is read. */
async function domainResolves(ctx: CommandContext): Promise<boolean> {
  return ctx.readHost((host) => {
    try {
      findDomain(host, ctx.args[0]!, ctx.err);
      return true;
    } catch {
      return false;
    }
  });
}

/** `xl cd-insert`. */
export const cdInsertCommand: XlCommandModule = {
  name: 'cd-insert',
  minArgs: 3,
  run: async (ctx) => ((await domainResolves(ctx)) ? cdInsert(ctx, ctx.args[2]!) : 1),
};

/** `xl cd-eject`. */
export const cdEjectCommand: XlCommandModule = {
  name: 'cd-eject',
  minArgs: 2,
  run: async (ctx) => ((await domainResolves(ctx)) ? cdInsert(ctx, undefined) : 1),
};
