/**
 * `xl save [-c] [-p] [-D] <Domain> <CheckpointFile> [<ConfigFile>]`
 * (tools/xl/xl_saverestore.c `main_save`, `save_domain`, `save_domain_core_begin`,
 * `save_domain_core_writeconfig`; libxl_domain_suspend → libxc xg_sr_save.c
 * `send_domain_memory_nonlive`; xl-commands.md §2.1 "save", §7.1).
 *
 * Order, as xl does it: the config (`unable to retrieve domain configuration`, or the
 * override file's `unable to read overridden config file`), the file opened
 * (`Failed to open temp file <file> for writing`), the xl header written (`Saving to
 * <file> new xl format (info 0x3/0x0/N)`), libxc's `xc: info: Saving domain N, type x86
 * PV`, the guest suspended (libxl's suspend handshake, saverestore/suspend.ts), the
 * memory written with libxc's `Frames` progress (the time the modelled link takes,
 * saverestore/link.ts), the stream's end, then the domain is destroyed — or left
 * running with `-c`, paused with `-p`. A failure prints libxc/libxl's lines and `Failed
 * to save domain, resuming domain`, resumes the guest and exits 1. More than three
 * operands: help, exit 1.
 */
import { fsPromises } from '../lazy-require.js';
import { HostError } from '../../machine/errors.js';
import { transferMs } from '../../machine/migration.js';
import { commandHelp } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import { saveCoreBegin } from '../saverestore/config.js';
import {
  concat, dhdrType, dhdrTypeName, encodeXlHeader, pagesRecord, savingLine, staticRecords, streamEnd, streamStart,
} from '../saverestore/format.js';
import { linkBytesPerSec } from '../saverestore/link.js';
import { saveSuspendFailed, suspendGuest } from '../saverestore/suspend.js';
import { minLevel, pacedFrames, XTL, XtlStdio } from '../saverestore/xtl.js';

/** errno numbers and glibc texts of the write errors a save file can meet, as libxc's PERROR prints them (`28 = No space left on device`). */
const WRITE_ERRNO: Record<string, [number, string]> = {
  EIO: [5, 'Input/output error'],
  EBADF: [9, 'Bad file descriptor'],
  EFBIG: [27, 'File too large'],
  ENOSPC: [28, 'No space left on device'],
  EPIPE: [32, 'Broken pipe'],
  EDQUOT: [122, 'Disk quota exceeded'],
};

/** `<n> = <strerror>` for a failed write (EIO when unknown). */
export function errnoOf(e: unknown): string {
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'EIO';
  const [n, text] = WRITE_ERRNO[code] ?? WRITE_ERRNO.EIO!;
  return `${n} = ${text}`;
}

/** `xl save`: see the module comment. */
export const saveCommand: XlCommandModule = {
  name: 'save',
  minArgs: 2,
  options: (cmd) => cmd.option('-c').option('-p').option('-D'),
  async run(ctx) {
    const o = ctx.opts as { c?: boolean; p?: boolean; D?: boolean };
    if (ctx.args.length > 3) {
      ctx.out(commandHelp(ctx.spec));
      return 1;
    }
    const [dom, file, cfg] = ctx.args as [string, string, string | undefined];
    const begin = await saveCoreBegin(ctx, dom, cfg, o.D === true, 'saved');
    if (typeof begin === 'number') return begin;
    const { domid, info, json } = begin;
    let fh;
    try {
      fh = await fsPromises().open(file, 'w', 0o644);
    } catch {
      ctx.err(`Failed to open temp file ${file} for writing\n`);
      return 1;
    }
    const xtl = new XtlStdio(ctx.err, { minLevel: minLevel(ctx.verbose), useCr: ctx.env.isTTY });
    let ok = false;
    try {
      const header = encodeXlHeader(json);
      await fh.write(header.bytes);
      ctx.err(savingLine(file, header));
      const dtype = dhdrType(info.type);
      xtl.message(XTL.INFO, 'xc', `Saving domain ${domid}, type ${dhdrTypeName(dtype)}`);
      const s = await suspendGuest(ctx, domid);
      if (!s.ok) {
        saveSuspendFailed(ctx, domid, s);
      } else {
        // send_domain_memory_nonlive: every page, with libxc's progress as the pages go.
        const pages = Math.floor(info.memKiB / 4);
        await pacedFrames(xtl, ctx.env.clock, 'Frames', pages, s.at, transferMs(pages, linkBytesPerSec()));
        const image = await ctx.readHost((host) => host.exportImage(domid));
        const seed = { major: image.source.xenMajor, minor: image.source.xenMinor };
        await fh.write(concat([
          streamStart(dtype, seed.major, seed.minor),
          staticRecords(dtype, begin.cpuMhz * 1000, BigInt(image.runMs) * 1_000_000n),
          pagesRecord(0, pages),
          streamEnd(image),
        ]));
        xtl.progress('xc', 'End of stream', 0, 0);
        xtl.progress('xc', 'Complete', 0, 0);
        ok = true;
      }
    } catch (e) {
      if (e instanceof HostError) {
        // Somebody resumed or destroyed the guest while its memory was being written.
        ctx.err('xc: error: Domain has not been suspended: Internal error\n');
      } else {
        const errno = errnoOf(e);
        ctx.err(`xc: error: Unable to write record to stream (${errno}): Internal error\n`);
        ctx.err(`xc: error: Save failed (${errno}): Internal error\n`);
      }
    } finally {
      await fh.close();
    }
    if (!ok) {
      ctx.err('Failed to save domain, resuming domain\n');
      await ctx.withHost(async (host) => {
        if (host.domain(domid)) host.resumeDomain(domid);
        return 0;
      });
      return 1;
    }
    return ctx.withHost(async (host) => {
      if (!host.domain(domid)) return 0;
      if (o.p || o.c) {
        if (o.p) host.pause(domid);
        host.resumeDomain(domid);
      } else {
        host.destroy(domid);
      }
      return 0;
    });
  },
};
