/**
 * Xen's domain core file (tools/libs/guest/xg_core.c `xc_domain_dumpcore_via_callback`,
 * xg_core.h, xg_core_x86.h; xen/include/public/elfnote.h): an ELF64 core (ET_CORE, no
 * program headers) whose sections are
 *
 * ```
 *  [0] null   [1] .shstrtab   [2] .note.Xen (notes "Xen": DUMPCORE_NONE, _HEADER,
 *  _XEN_VERSION, _FORMAT_VERSION)   [3] .xen_prstatus (vcpu_guest_context_t per vCPU)
 *  [4] .xen_shared_info (one page)   [5] .xen_pages (every page, page-aligned)
 *  [6] .xen_p2m (PV: {pfn, gmfn} per page) or .xen_pfn (HVM/PVH: pfn per page)
 * ```
 *
 * laid out in that order in the file with the string table last, exactly as libxc
 * computes the offsets. xlsim models no memory contents: `.xen_pages` has its full size
 * (nr_pages × 4096, consistent with the domain's tot_pages) but is left as a hole in a
 * sparse file, so it reads as zeros and takes no disk space (docs/compat.md). The vCPU
 * contexts carry only a few plausible registers.
 */
import type { FileHandle } from 'node:fs/promises';
import type { DomainInfo } from '../../machine/api.js';
import { BUILD_FACTS } from '../format/info.js';

/** ELF constants (elf.h). */
const ELF = { ET_CORE: 4, EM_X86_64: 62, SHT_PROGBITS: 1, SHT_STRTAB: 3, SHT_NOTE: 7 } as const;
/** Xen dump-core note types (xen/include/public/elfnote.h XEN_ELFNOTE_DUMPCORE_*). */
export const XEN_ELFNOTE = { NONE: 0x2000000, HEADER: 0x2000001, XEN_VERSION: 0x2000002, FORMAT_VERSION: 0x2000003 } as const;
/** XC_CORE_MAGIC of a PV domain's core header (xenctrl.h). */
export const XC_CORE_MAGIC = 0xf00febed;
/** XC_CORE_MAGIC_HVM of an HVM domain's core header (xenctrl.h). */
export const XC_CORE_MAGIC_HVM = 0xf00febee;
const PAGE = 4096;
/** sizeof(vcpu_guest_context_any_t) on x86_64 (the x86_64 member, 5168 bytes). */
export const VCPU_CONTEXT_BYTES = 5168;
/** The four notes: 16-byte headers + descriptors of 0, 32, 1280 and 8 bytes. */
const NOTES_BYTES = 16 + (16 + 32) + (16 + 1280) + (16 + 8);

/** Where each part of the core file goes, bytes (see the module comment). */
export interface CoreLayout {
  nrPages: number;
  nrVcpus: number;
  /** Auto-translated physmap (HVM, PVH): `.xen_pfn` instead of `.xen_p2m`. */
  pfnTable: boolean;
  notesOff: number;
  prstatusOff: number;
  sharedInfoOff: number;
  pagesOff: number;
  tableOff: number;
  tableBytes: number;
  strtabOff: number;
  strtab: Uint8Array;
  /** Total file size. */
  size: number;
}

/** Section names in libxc's order of creation (their offsets in the string table follow it). */
function names(pfnTable: boolean): string[] {
  return ['.shstrtab', '.note.Xen', '.xen_prstatus', '.xen_shared_info', '.xen_pages', pfnTable ? '.xen_pfn' : '.xen_p2m'];
}

/** libxc's layout for a domain of `type` with `nrPages` pages and `nrVcpus` vCPUs. */
export function coreLayout(type: string, nrPages: number, nrVcpus: number): CoreLayout {
  const pfnTable = type !== 'pv';
  const fixup = (5 + 2) * 64;
  const notesOff = 64 + fixup;
  const prstatusOff = notesOff + NOTES_BYTES;
  const sharedInfoOff = prstatusOff + VCPU_CONTEXT_BYTES * nrVcpus;
  const afterShinfo = sharedInfoOff + PAGE;
  const pagesOff = Math.ceil(afterShinfo / PAGE) * PAGE;
  const tableOff = pagesOff + nrPages * PAGE;
  const tableBytes = nrPages * (pfnTable ? 8 : 16);
  const strtabOff = tableOff + tableBytes;
  const strtab = new TextEncoder().encode(`\0${names(pfnTable).join('\0')}\0`);
  return { nrPages, nrVcpus, pfnTable, notesOff, prstatusOff, sharedInfoOff, pagesOff, tableOff, tableBytes, strtabOff, strtab, size: strtabOff + strtab.length };
}

/** A fixed-size NUL-padded C string. */
function cstr(s: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(s).subarray(0, size - 1));
  return out;
}

/** The ELF header, section headers and everything before `.xen_pages` (one buffer from offset 0). */
function head(d: DomainInfo, L: CoreLayout, xen: { major: number; minor: number; extra: string }): Uint8Array {
  const buf = new Uint8Array(L.pagesOff);
  const v = new DataView(buf.buffer);
  // Elf64_Ehdr (xg_core.c xc_core_ehdr_init).
  buf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 1], 0);
  v.setUint16(16, ELF.ET_CORE, true);
  v.setUint16(18, ELF.EM_X86_64, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(40, 64n, true);
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  v.setUint16(58, 64, true);
  v.setUint16(60, 7, true);
  v.setUint16(62, 1, true);
  // Elf64_Shdr × 7.
  const nameIdx: number[] = [];
  let at = 1;
  for (const n of names(L.pfnTable)) {
    nameIdx.push(at);
    at += n.length + 1;
  }
  const shdr = (i: number, name: number, type: number, off: number, size: number, align: number, entsize: number) => {
    const b = 64 + i * 64;
    v.setUint32(b, name, true);
    v.setUint32(b + 4, type, true);
    v.setBigUint64(b + 24, BigInt(off), true);
    v.setBigUint64(b + 32, BigInt(size), true);
    v.setBigUint64(b + 48, BigInt(align), true);
    v.setBigUint64(b + 56, BigInt(entsize), true);
  };
  shdr(1, nameIdx[0]!, ELF.SHT_STRTAB, L.strtabOff, L.strtab.length, 0, 0);
  shdr(2, nameIdx[1]!, ELF.SHT_NOTE, L.notesOff, NOTES_BYTES, 0, 0);
  shdr(3, nameIdx[2]!, ELF.SHT_PROGBITS, L.prstatusOff, VCPU_CONTEXT_BYTES * L.nrVcpus, 8, VCPU_CONTEXT_BYTES);
  shdr(4, nameIdx[3]!, ELF.SHT_PROGBITS, L.sharedInfoOff, PAGE, 8, PAGE);
  shdr(5, nameIdx[4]!, ELF.SHT_PROGBITS, L.pagesOff, L.nrPages * PAGE, PAGE, PAGE);
  shdr(6, nameIdx[5]!, ELF.SHT_PROGBITS, L.tableOff, L.tableBytes, 8, L.pfnTable ? 8 : 16);
  // .note.Xen: struct elfnote {namesz, descsz, type, "Xen\0"} + descriptor.
  let n = L.notesOff;
  const note = (type: number, desc: Uint8Array) => {
    v.setUint32(n, 4, true);
    v.setUint32(n + 4, desc.length, true);
    v.setUint32(n + 8, type, true);
    buf.set([0x58, 0x65, 0x6e, 0], n + 12);
    buf.set(desc, n + 16);
    n += 16 + desc.length;
  };
  note(XEN_ELFNOTE.NONE, new Uint8Array(0));
  const hdr = new Uint8Array(32);
  const hv = new DataView(hdr.buffer);
  hv.setBigUint64(0, BigInt(d.type === 'hvm' ? XC_CORE_MAGIC_HVM : XC_CORE_MAGIC), true);
  hv.setBigUint64(8, BigInt(L.nrVcpus), true);
  hv.setBigUint64(16, BigInt(L.nrPages), true);
  hv.setBigUint64(24, BigInt(PAGE), true);
  note(XEN_ELFNOTE.HEADER, hdr);
  const ver = new Uint8Array(1280);
  const vv = new DataView(ver.buffer);
  vv.setBigUint64(0, BigInt(xen.major), true);
  vv.setBigUint64(8, BigInt(xen.minor), true);
  ver.set(cstr(xen.extra, 16), 16);
  ver.set(cstr(BUILD_FACTS.ccCompiler, 64), 32);
  ver.set(cstr(BUILD_FACTS.ccCompileBy, 16), 96);
  ver.set(cstr(BUILD_FACTS.ccCompileDomain, 32), 112);
  ver.set(cstr(BUILD_FACTS.ccCompileDate, 32), 144);
  ver.set(cstr(BUILD_FACTS.xenCaps, 1024), 176);
  vv.setBigUint64(1264, 0xffff800000000000n, true);
  vv.setBigUint64(1272, BigInt(PAGE), true);
  note(XEN_ELFNOTE.XEN_VERSION, ver);
  const fmt = new Uint8Array(8);
  new DataView(fmt.buffer).setBigUint64(0, 1n, true);
  note(XEN_ELFNOTE.FORMAT_VERSION, fmt);
  // .xen_prstatus: vcpu_guest_context_x86_64 — flags, then user_regs rip/cs/rflags/rsp/ss.
  (d.vcpus ?? []).slice(0, L.nrVcpus).forEach((c, i) => {
    const b = L.prstatusOff + i * VCPU_CONTEXT_BYTES;
    v.setBigUint64(b + 512, BigInt((c.online ? 1 << 5 : 0) | (1 << 2)), true);
    v.setBigUint64(b + 648, 0xffffffff81e0f4a0n + BigInt(i * 0x40), true);
    v.setUint16(b + 656, d.type === 'pv' ? 0xe033 : 0x10, true);
    v.setBigUint64(b + 664, 0x246n, true);
    v.setBigUint64(b + 672, 0xffffc90000083e98n + BigInt(i) * 0x4000n, true);
    v.setUint16(b + 680, d.type === 'pv' ? 0xe02b : 0x18, true);
  });
  return buf;
}

/** The p2m table (PV: {pfn, gmfn}) or pfn table (HVM/PVH) for `domid`. */
function table(domid: number, L: CoreLayout): Uint8Array {
  const out = new Uint8Array(L.tableBytes);
  const v = new DataView(out.buffer);
  const base = 0x100000n + BigInt(domid) * 0x40000n;
  for (let i = 0; i < L.nrPages; i++) {
    if (L.pfnTable) v.setBigUint64(i * 8, BigInt(i), true);
    else {
      v.setBigUint64(i * 16, BigInt(i), true);
      v.setBigUint64(i * 16 + 8, base + BigInt(i), true);
    }
  }
  return out;
}

/**
 * Writes the core file of domain `d` (with its vCPUs) into `fh` (opened empty):
 * everything but `.xen_pages`, which stays a hole. Returns the layout.
 */
export async function writeCore(fh: FileHandle, d: DomainInfo, xen: { major: number; minor: number; extra: string }): Promise<CoreLayout> {
  const L = coreLayout(d.type, Math.floor(d.memKiB / 4), d.maxVcpus);
  await fh.write(head(d, L, xen), 0, undefined, 0);
  await fh.write(table(d.domid, L), 0, undefined, L.tableOff);
  await fh.write(L.strtab, 0, undefined, L.strtabOff);
  return L;
}
