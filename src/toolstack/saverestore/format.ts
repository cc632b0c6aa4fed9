/**
 * The bytes of an xl save file and of xl's migration stream (xl-commands.md §7.1):
 *
 * ```
 *  xl header (tools/xl/xl.h struct save_file_header, native = little-endian):
 *    magic[32] "Xen saved domain, xl format\n \0 \r", u32 byteorder 0x01020304,
 *    u32 mandatory_flags (1 = JSON config, 2 = stream v2 → 0x3), u32 optional_flags 0,
 *    u32 optional_data_len
 *  optional data: u32 config length, the libxl JSON config and its NUL
 *  libxl stream v2 (tools/libs/light/libxl_sr_stream_format.h, docs/specs/libxl-migration-stream.pandoc):
 *    header (big-endian): u64 ident "LibxlFmt", u32 version 2, u32 options 0
 *    record LIBXC_CONTEXT (type 1, length 0), then the libxc stream inline:
 *      image header (big-endian): u64 marker ~0, u32 id "XENF", u32 version 3, u16 options 0, u16+u32 reserved
 *      domain header: u32 type (1 x86 PV, 2 x86 HVM), u16 page_shift 12, u16 reserved, u32 xen_major, u32 xen_minor
 *      records (u32 type, u32 length, body padded to 8; tools/libs/guest/xg_sr_stream_format.h):
 *        X86_PV_INFO (PV only), STATIC_DATA_END, X86_TSC_INFO,
 *        XLSIM_PAGES (optional 0x80786c01) per batch of pages sent: u32 iteration, u32 0, u64 pages,
 *        XLSIM_DOMAIN (optional 0x80786c02): the DomainImage as JSON,
 *        END
 *    record END (type 0, length 0)
 * ```
 *
 * A checkpointed stream (`xl remus`, read by `migrate-receive -r`) never ends: instead of
 * libxc's END, each checkpoint closes with libxc's CHECKPOINT record (0xe), then libxl's
 * records of the checkpoint up to its CHECKPOINT_END (type 4), after which libxc's
 * records of the next checkpoint follow inline (xg_sr_save.c `save`,
 * libxl_stream_write.c "For checkpointed stream, there is a second loop"). Each xlsim
 * checkpoint carries XLSIM_PAGES (the pages dirtied since the last one) and XLSIM_DOMAIN.
 *
 * Guest memory contents are not modelled, so no PAGE_DATA records are written: the
 * XLSIM_PAGES records only count what was sent, and the guest's state travels in
 * XLSIM_DOMAIN, an optional record (bit 31 set) that real libxc would skip
 * (docs/compat.md). `head -c 16` of a save file reads `Xen saved domain`.
 *
 * Reading is done from a `ByteSource` (a file's bytes or a pipe), so restore and
 * migrate-receive share it; every failure comes back with the lines xl, libxl and libxc
 * print for it (xl_vmcontrol.c `create_domain`, libxl_stream_read.c, xg_sr_restore.c).
 */
import { checkImage, type DomainImage } from '../../machine/migration.js';
import { libxlLine, type LogSite } from '../format/log.js';
import type { ByteSource } from './transport.js';

/** xl.h `savefileheader_magic`: 32 bytes. */
export const SAVEFILE_MAGIC = new Uint8Array([...'Xen saved domain, xl format\n \0 \r'].map((c) => c.charCodeAt(0)));
/** xl.h SAVEFILE_BYTEORDER_VALUE. */
export const SAVEFILE_BYTEORDER = 0x01020304;
/** xl.h XL_MANDATORY_FLAG_JSON: the config is JSON. */
export const XL_FLAG_JSON = 1;
/** xl.h XL_MANDATORY_FLAG_STREAMv2: the stream is libxl's v2 format. */
export const XL_FLAG_STREAMV2 = 2;
/** xl.h XL_MANDATORY_FLAG_ALL: every mandatory flag this xl understands. */
export const XL_FLAG_ALL = 3;
/** sizeof(struct save_file_header). */
export const XL_HEADER_BYTES = 48;
/** libxl RESTORE_STREAM_IDENT ("LibxlFmt"). */
export const LIBXL_IDENT = 0x4c6962786c466d74n;
/** libxc IHDR_ID ("XENF"). */
export const XC_IHDR_ID = 0x58454e46;
/** libxc stream version written (xg_sr_save.c writes 3). */
export const XC_STREAM_VERSION = 3;
/** libxc record types (xg_sr_stream_format.h) and xlsim's optional records. */
export const REC = {
  END: 0x0,
  X86_PV_INFO: 0x2,
  X86_TSC_INFO: 0x8,
  CHECKPOINT: 0xe,
  STATIC_DATA_END: 0x10,
  OPTIONAL: 0x80000000,
  XLSIM_PAGES: 0x80786c01,
  XLSIM_DOMAIN: 0x80786c02,
} as const;
/** libxc REC_LENGTH_MAX (128 MiB). */
export const REC_LENGTH_MAX = 128 << 20;
/** libxl record types. */
export const LIBXL_REC = { END: 0, LIBXC_CONTEXT: 1, EMULATOR_XENSTORE_DATA: 2, EMULATOR_CONTEXT: 3, CHECKPOINT_END: 4, CHECKPOINT_STATE: 5 } as const;

/** xg_sr_common.c `mandatory_rec_types`, for messages. */
const REC_NAMES = [
  'End', 'Page data', 'x86 PV info', 'x86 PV P2M frames', 'x86 PV vcpu basic', 'x86 PV vcpu extended', 'x86 PV vcpu xsave',
  'Shared info', 'x86 TSC info', 'HVM context', 'HVM params', 'Toolstack', 'x86 PV vcpu msrs', 'Verify', 'Checkpoint',
  'Checkpoint dirty pfn list', 'Static data end', 'x86 CPUID policy', 'x86 MSR policy',
];

/** xg_sr_common.c `rec_type_to_str`. */
export function recTypeName(type: number): string {
  return (type & REC.OPTIONAL) === 0 && type < REC_NAMES.length ? REC_NAMES[type]! : 'Reserved';
}

/** Log sites of Xen 4.20.0 used here (line of the closing parenthesis of a multi-line call, as GCC reports `__LINE__`). */
export const SR_SITES = {
  readExactly: { file: 'libxl_utils.c', line: 507, func: 'libxl_read_exactly' },
  writeExactly: { file: 'libxl_utils.c', line: 508, func: 'libxl_write_exactly' },
  invalidIdent: { file: 'libxl_stream_read.c', line: 342, func: 'stream_header_done' },
  restoreDone: { file: 'libxl_stream_read.c', line: 850, func: 'libxl__xc_domain_restore_done' },
  saveDone: { file: 'libxl_stream_write.c', line: 350, func: 'libxl__xc_domain_save_done' },
  rebuildDone: { file: 'libxl_create.c', line: 1693, func: 'domcreate_rebuild_done' },
} as const satisfies Record<string, LogSite>;

/** "xl: fatal error" lines of CHK_ERRNOVAL at xl_vmcontrol.c (4.20.0), by what was being read. */
export const CHK_READ = {
  header: 'xl_vmcontrol.c:753: Protocol error: libxl_read_exactly( ctx, restore_fd, &hdr, sizeof(hdr), restore_source, "header")',
  optdata: 'xl_vmcontrol.c:781: Protocol error: libxl_read_exactly( ctx, restore_fd, optdata_begin, hdr.optional_data_len, restore_source, "optdata")',
} as const;

function u32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * xl_saverestore.c `save_domain_core_writeconfig`: the header and optional data for a
 * config (JSON text without its NUL; the NUL is added). Returns the bytes and the info
 * triple xl prints (`0x3/0x0/<optlen>`).
 */
export function encodeXlHeader(configJson: string): { bytes: Uint8Array; mandatory: number; optional: number; optlen: number } {
  const config = concat([new TextEncoder().encode(configJson), new Uint8Array([0])]);
  const optlen = 4 + config.length;
  const mandatory = XL_FLAG_STREAMV2 | (config.length ? XL_FLAG_JSON : 0);
  const hdr = new Uint8Array(XL_HEADER_BYTES);
  hdr.set(SAVEFILE_MAGIC, 0);
  const dv = new DataView(hdr.buffer);
  dv.setUint32(32, SAVEFILE_BYTEORDER, true);
  dv.setUint32(36, mandatory, true);
  dv.setUint32(40, 0, true);
  dv.setUint32(44, optlen, true);
  return { bytes: concat([hdr, u32le(config.length), config]), mandatory, optional: 0, optlen };
}

/** xl's line after writing the header: `Saving to <source> new xl format (info 0x3/0x0/N)`. */
export function savingLine(source: string, h: { mandatory: number; optional: number; optlen: number }): string {
  return `Saving to ${source} new xl format (info 0x${h.mandatory.toString(16)}/0x${h.optional.toString(16)}/${h.optlen})\n`;
}

/** A record: u32 type, u32 length (little-endian), body, zero padding to 8 bytes. */
export function record(type: number, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const pad = (8 - (body.length % 8)) % 8;
  const out = new Uint8Array(8 + body.length + pad);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type >>> 0, true);
  dv.setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

/** The libxl stream header and its LIBXC_CONTEXT record, then libxc's image and domain headers. */
export function streamStart(dtype: 1 | 2, xenMajor: number, xenMinor: number): Uint8Array {
  const lh = new Uint8Array(16);
  const lv = new DataView(lh.buffer);
  lv.setBigUint64(0, LIBXL_IDENT, false);
  lv.setUint32(8, 2, false);
  lv.setUint32(12, 0, false);
  const ih = new Uint8Array(24);
  const iv = new DataView(ih.buffer);
  iv.setBigUint64(0, 0xffffffffffffffffn, false);
  iv.setUint32(8, XC_IHDR_ID, false);
  iv.setUint32(12, XC_STREAM_VERSION, false);
  const dh = new Uint8Array(16);
  const dv = new DataView(dh.buffer);
  dv.setUint32(0, dtype, true);
  dv.setUint16(4, 12, true);
  dv.setUint32(8, xenMajor, true);
  dv.setUint32(12, xenMinor, true);
  return concat([lh, record(LIBXL_REC.LIBXC_CONTEXT), ih, dh]);
}

/** libxc's static records: X86_PV_INFO (PV: 64-bit, 4 levels), STATIC_DATA_END, X86_TSC_INFO. */
export function staticRecords(dtype: 1 | 2, cpuKhz: number, nsec: bigint): Uint8Array {
  const parts: Uint8Array[] = [];
  if (dtype === 1) parts.push(record(REC.X86_PV_INFO, new Uint8Array([8, 4, 0, 0, 0, 0, 0, 0])));
  parts.push(record(REC.STATIC_DATA_END));
  const tsc = new Uint8Array(24);
  const tv = new DataView(tsc.buffer);
  tv.setUint32(0, 0, true);
  tv.setUint32(4, Math.round(cpuKhz) >>> 0, true);
  tv.setBigUint64(8, nsec, true);
  parts.push(record(REC.X86_TSC_INFO, tsc));
  return concat(parts);
}

/** An XLSIM_PAGES record: `pages` sent in `iteration`. */
export function pagesRecord(iteration: number, pages: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint32(0, iteration, true);
  v.setBigUint64(8, BigInt(Math.max(0, Math.floor(pages))), true);
  return record(REC.XLSIM_PAGES, b);
}

/** The XLSIM_DOMAIN record carrying `image`. */
export function domainRecord(image: DomainImage): Uint8Array {
  return record(REC.XLSIM_DOMAIN, new TextEncoder().encode(JSON.stringify(image)));
}

/** The end of the stream: XLSIM_DOMAIN with the image, libxc END, libxl END. */
export function streamEnd(image: DomainImage): Uint8Array {
  return concat([domainRecord(image), record(REC.END), record(LIBXL_REC.END)]);
}

/** The end of a checkpoint's libxc part: XLSIM_DOMAIN with the image, libxc CHECKPOINT (xg_sr_save.c `write_checkpoint_record`). */
export function checkpointEnd(image: DomainImage): Uint8Array {
  return concat([domainRecord(image), record(REC.CHECKPOINT)]);
}

/** libxl's records of a checkpoint (libxl_stream_write.c `write_checkpoint_end_record`): CHECKPOINT_END, for a PV or PVH guest without QEMU. */
export function libxlCheckpointEnd(): Uint8Array {
  return record(LIBXL_REC.CHECKPOINT_END);
}

/** libxc's domain header type for a domain type (PVH and HVM guests use the HVM stream). */
export function dhdrType(type: string): 1 | 2 {
  return type === 'pv' ? 1 : 2;
}

/** xg_sr_common.c `dhdr_type_to_str`. */
export function dhdrTypeName(t: number): string {
  return t === 1 ? 'x86 PV' : t === 2 ? 'x86 HVM' : 'Reserved';
}

// ------------------------------------------------------------------ reading

/** What `readXlHeader` found: the flags and the config bytes (without the NUL), or a failure to report. */
export type XlHeader =
  | { ok: true; mandatory: number; optional: number; optlen: number; config?: Uint8Array }
  | { ok: false };

/**
 * The restoring half of xl_vmcontrol.c `create_domain`: reads the 48-byte header and the
 * optional data from `src`, printing on `err` what xl prints (`Loading new save file …`,
 * ` Savefile contains xl domain config in JSON format`) and each failure: a short read
 * (libxl_read_exactly's `file/stream truncated reading header from <source>` and the
 * `xl: fatal error` of CHK_ERRNOVAL), a wrong magic, a wrong byte order, unknown
 * mandatory flags, `Savefile truncated.`.
 */
export async function readXlHeader(src: ByteSource, source: string, err: (s: string) => void): Promise<XlHeader> {
  const hdr = await src.read(XL_HEADER_BYTES);
  if (hdr.length < XL_HEADER_BYTES) {
    err(libxlLine('error', SR_SITES.readExactly, undefined, `file/stream truncated reading header from ${source}`));
    err(`xl: fatal error: ${CHK_READ.header}\n`);
    return { ok: false };
  }
  if (!SAVEFILE_MAGIC.every((b, i) => hdr[i] === b)) {
    err('File has wrong magic number - corrupt or for a different tool?\n');
    return { ok: false };
  }
  const dv = new DataView(hdr.buffer, hdr.byteOffset, hdr.length);
  if (dv.getUint32(32, true) !== SAVEFILE_BYTEORDER) {
    err('File has wrong byte order\n');
    return { ok: false };
  }
  const mandatory = dv.getUint32(36, true);
  const optional = dv.getUint32(40, true);
  const optlen = dv.getUint32(44, true);
  err(`Loading new save file ${source} (new xl fmt info 0x${mandatory.toString(16)}/0x${optional.toString(16)}/${optlen})\n`);
  const badflags = mandatory & ~XL_FLAG_ALL;
  if (badflags) {
    err(`Savefile has mandatory flag(s) 0x${badflags.toString(16)} which are not supported; need newer xl\n`);
    return { ok: false };
  }
  if (optlen === 0) return { ok: true, mandatory, optional, optlen };
  const opt = await src.read(optlen);
  if (opt.length < optlen) {
    err(libxlLine('error', SR_SITES.readExactly, undefined, `file/stream truncated reading optdata from ${source}`));
    err(`xl: fatal error: ${CHK_READ.optdata}\n`);
    return { ok: false };
  }
  err(` Savefile contains xl domain config${mandatory & XL_FLAG_JSON ? ' in JSON format' : ''}\n`);
  if (opt.length < 4) {
    err('Savefile truncated.\n');
    return { ok: false };
  }
  const len = new DataView(opt.buffer, opt.byteOffset, 4).getUint32(0, true);
  if (opt.length - 4 < len) {
    err('Savefile truncated.\n');
    return { ok: false };
  }
  let config = opt.subarray(4, 4 + len);
  if (config.length && config[config.length - 1] === 0) config = config.subarray(0, config.length - 1);
  return { ok: true, mandatory, optional, optlen, config };
}

/**
 * What `readStream` found: the image and how it came, or the failure lines. `failover`:
 * a checkpointed stream broke after at least one complete checkpoint; `image` is the
 * last complete checkpoint's and `lines` what libxc printed about the broken read
 * (xg_sr_restore.c `restore`: `goto remus_failover`).
 */
export type StreamRead =
  | { ok: true; image: DomainImage; dtype: number; xenMajor: number; xenMinor: number; pages: number; batches: number; failover?: { lines: string[]; checkpoints: number } }
  | { ok: false; lines: string[] };

/** Hooks `readStream` calls as it goes (libxc's info lines; each batch of pages; each checkpoint). */
export interface StreamHooks {
  /** An `xc: info:` message (without prefix and newline). */
  info?: (msg: string) => void;
  /** A batch of `pages` arrived in `iteration`. */
  pages?: (iteration: number, pages: number) => void;
  /**
   * Makes the stream a checkpointed one (`migrate-receive -r`): called with each complete
   * checkpoint's image (`n` from 1). Returning lines fails the restore with them (libxc's
   * `handle_checkpoint` error path). Without this hook a CHECKPOINT record fails as in a
   * plain stream.
   */
  checkpoint?: (image: DomainImage, n: number) => Promise<string[] | undefined>;
}

const xcError = (msg: string): string => `xc: error: ${msg}: Internal error\n`;
/** libxc's PERROR after a short read: errno 0. */
const xcPerror = (msg: string): string => xcError(`${msg} (0 = Success)`);

/**
 * Reads the libxl stream that follows the xl header, as libxl_stream_read.c and libxc's
 * xg_sr_restore.c do, until libxl's END record. Unknown mandatory libxc records fail
 * (`Mandatory record … not handled`); optional ones are skipped, except xlsim's. A
 * stream that ends inside the final libxl record reads as END (libxl's datacopier hands
 * over a zero-filled header at EOF).
 *
 * With `hooks.checkpoint` the stream is checkpointed (see the module comment): each
 * CHECKPOINT record is followed by libxl's records up to CHECKPOINT_END, then the hook
 * gets the checkpoint's image; once one checkpoint is complete, a read that fails (the
 * primary went away) or libxc's END is a failover to the last complete checkpoint.
 * Without the hook a CHECKPOINT record fails (`Found checkpoint in non-checkpointed
 * stream`). Never throws.
 */
export async function readStream(src: ByteSource, hooks: StreamHooks = {}): Promise<StreamRead> {
  const libxcFailed = (lines: string[]): StreamRead => ({
    ok: false,
    lines: [...lines, xcPerror('Restore failed'), libxlLine('error', SR_SITES.restoreDone, undefined, 'restoring domain', 'Success')],
  });
  let checkpoints = 0;
  let committed: DomainImage | undefined;
  /** A failed read: libxc fails over once a checkpoint is complete, else the restore fails. */
  const readFailed = (lines: string[]): StreamRead =>
    checkpoints > 0 && committed
      ? { ok: true, image: committed, dtype, xenMajor, xenMinor, pages, batches, failover: { lines, checkpoints } }
      : libxcFailed(lines);
  const lh = await src.read(16);
  const lhv = new DataView(new Uint8Array([...lh, ...new Uint8Array(16 - lh.length)]).buffer);
  const ident = lhv.getBigUint64(0, false);
  if (ident !== LIBXL_IDENT) {
    return { ok: false, lines: [libxlLine('error', SR_SITES.invalidIdent, undefined, `Invalid ident: expected 0x${LIBXL_IDENT.toString(16).padStart(16, '0')}, got 0x${ident.toString(16).padStart(16, '0')}`)] };
  }
  if (lhv.getUint32(8, false) !== 2) {
    return { ok: false, lines: [libxlLine('error', { ...SR_SITES.invalidIdent, line: 348 }, undefined, `Unexpected Version: expected 2, got ${lhv.getUint32(8, false)}`)] };
  }
  if (lhv.getUint32(12, false) & 1) {
    return { ok: false, lines: [libxlLine('error', { ...SR_SITES.invalidIdent, line: 353 }, undefined, 'Unable to handle big endian streams')] };
  }
  let image: DomainImage | undefined;
  let dtype = 0;
  let xenMajor = 0;
  let xenMinor = 0;
  let pages = 0;
  let batches = 0;
  for (;;) {
    const rh = await src.read(8);
    const rhv = new DataView(new Uint8Array([...rh, ...new Uint8Array(8 - rh.length)]).buffer);
    const type = rhv.getUint32(0, true);
    const length = rhv.getUint32(4, true);
    const body = await src.read(length + ((8 - (length % 8)) % 8));
    if (type === LIBXL_REC.END) break;
    if (type !== LIBXL_REC.LIBXC_CONTEXT) {
      return { ok: false, lines: [libxlLine('error', { file: 'libxl_stream_read.c', line: 646, func: 'process_record' }, undefined, `Unrecognised record 0x${type.toString(16).padStart(8, '0')}`)] };
    }
    void body;
    // libxc's part (xg_sr_restore.c read_headers, restore).
    const ih = await src.read(24);
    if (ih.length < 24) return libxcFailed([xcPerror('Failed to read Image Header from stream')]);
    const iv = new DataView(ih.buffer, ih.byteOffset, 24);
    if (iv.getBigUint64(0, false) !== 0xffffffffffffffffn) {
      return libxcFailed([xcError(`Invalid marker: Got 0x${iv.getBigUint64(0, true).toString(16).padStart(16, '0')}`)]);
    }
    if (iv.getUint32(8, false) !== XC_IHDR_ID) {
      return libxcFailed([xcError(`Invalid ID: Expected 0x${XC_IHDR_ID.toString(16)}, Got 0x${iv.getUint32(8, false).toString(16).padStart(8, '0')}`)]);
    }
    const ver = iv.getUint32(12, false);
    if (ver < 2 || ver > 3) return libxcFailed([xcError(`Invalid Version: Expected 2 <= ver <= 3, Got ${ver}`)]);
    const dh = await src.read(16);
    if (dh.length < 16) return libxcFailed([xcPerror('Failed to read Domain Header from stream')]);
    const dv = new DataView(dh.buffer, dh.byteOffset, 16);
    dtype = dv.getUint32(0, true);
    xenMajor = dv.getUint32(8, true);
    xenMinor = dv.getUint32(12, true);
    hooks.info?.(`Found ${dhdrTypeName(dtype)} domain from Xen ${xenMajor}.${xenMinor}`);
    hooks.info?.('Restoring domain');
    for (;;) {
      const xh = await src.read(8);
      if (xh.length < 8) return readFailed([xcPerror('Failed to read Record Header from stream')]);
      const xv = new DataView(xh.buffer, xh.byteOffset, 8);
      const xt = xv.getUint32(0, true);
      const xl = xv.getUint32(4, true);
      if (xl > REC_LENGTH_MAX) {
        return readFailed([xcError(`Record (0x${xt.toString(16).padStart(8, '0')}, ${recTypeName(xt)}) length 0x${xl.toString(16)} exceeds max (0x${REC_LENGTH_MAX.toString(16)})`)]);
      }
      const size = xl + ((8 - (xl % 8)) % 8);
      const data = size ? await src.read(size) : new Uint8Array(0);
      if (data.length < size) {
        return readFailed([xcPerror(`Failed to read ${size} bytes of data for record (0x${xt.toString(16).padStart(8, '0')}, ${recTypeName(xt)})`)]);
      }
      if (xt === REC.END) {
        if (checkpoints > 0 && committed) return readFailed([]);
        break;
      }
      if (xt === REC.CHECKPOINT) {
        // xg_sr_restore.c handle_checkpoint: libxl reads its records, then the checkpoint is applied.
        if (!hooks.checkpoint) return libxcFailed([xcError('Found checkpoint in non-checkpointed stream')]);
        if (!image) return libxcFailed([xcError('xlsim checkpoint without a domain record')]);
        for (;;) {
          const rh = await src.read(8);
          if (rh.length < 8) return readFailed([xcPerror('Failed to read Record Header from stream')]);
          const rv = new DataView(rh.buffer, rh.byteOffset, 8);
          const rl = rv.getUint32(4, true);
          const body = await src.read(rl + ((8 - (rl % 8)) % 8));
          if (body.length < rl) return readFailed([xcPerror('Failed to read Record Header from stream')]);
          if (rv.getUint32(0, true) === LIBXL_REC.CHECKPOINT_END) break;
        }
        checkpoints++;
        if (checkpoints > 1) hooks.info?.('All records buffered');
        const failed = await hooks.checkpoint(image, checkpoints);
        if (failed) return libxcFailed(failed);
        if (checkpoints > 1) hooks.info?.('All records processed');
        committed = image;
        image = undefined;
        continue;
      }
      if (xt === REC.XLSIM_PAGES && xl >= 16) {
        const pv = new DataView(data.buffer, data.byteOffset, 16);
        const n = Number(pv.getBigUint64(8, true));
        pages += n;
        batches++;
        hooks.pages?.(pv.getUint32(0, true), n);
      } else if (xt === REC.XLSIM_DOMAIN) {
        try {
          image = checkImage(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, xl))));
        } catch (e) {
          return libxcFailed([xcError(`xlsim domain record: ${e instanceof Error ? e.message : String(e)}`)]);
        }
      } else if (xt !== REC.X86_PV_INFO && xt !== REC.X86_TSC_INFO && xt !== REC.STATIC_DATA_END && (xt & REC.OPTIONAL) === 0) {
        return libxcFailed([xcError(`Mandatory record 0x${xt.toString(16)} (${recTypeName(xt)}) not handled`)]);
      }
    }
  }
  if (!image) {
    return { ok: false, lines: ['xlsim: the stream carries no xlsim domain record (it was not written by xlsim), so the guest cannot be rebuilt\n'] };
  }
  return { ok: true, image, dtype, xenMajor, xenMinor, pages, batches };
}
