/**
 * Host memory accounting (libxl_mem.c, libxl_dom.c; xl-commands.md §3.1, §5.1, §5.4):
 * free memory is the host's RAM less Xen's own reservation, what every domain holds
 * (its allocation plus overhead: page tables, shadow, p2m) and outstanding claims.
 * The sum over domains is kept in the host row (`usedKiB`), so asking costs O(1) at
 * any number of domains. All figures KiB.
 */
import type { DomainType } from '../parser/libxl.js';
import type { Ctx } from './ctx.js';
import type { DomainRecord } from './records.js';

/** Free host memory, KiB (`xl info` free_memory × 1024). */
export function freeKiB(ctx: Ctx): number {
  const s = ctx.meta.seed;
  return s.totalMemoryMiB * 1024 - s.xenReservedMiB * 1024 - ctx.meta.usedKiB - ctx.meta.claimsKiB;
}

/**
 * tot_pages (KiB) a domain holds for a balloon target: PV and PVH exactly the target,
 * HVM 1 MiB less (the VGA hole and firmware pages, xl-commands.md §3.1); Domain-0 exactly.
 */
export function allocFor(type: DomainType, targetKiB: number, dom0: boolean): number {
  if (dom0 || type !== 'hvm') return targetKiB;
  return Math.max(0, targetKiB - 1024);
}

/**
 * What a new domain needs free to be built (xl-commands.md §5.1 "required memory"):
 * target + shadow + 1 MiB (PV) or 2 MiB (HVM, PVH), rounded up to 2 MiB. KiB.
 */
export function requiredKiB(type: DomainType, targetKiB: number, shadowKiB: number): number {
  const extra = type === 'pv' ? 1024 : 2048;
  return Math.ceil((targetKiB + shadowKiB + extra) / 2048) * 2048;
}

/** Sets what `rec` holds (allocation and overhead, KiB) and keeps the host's total in step. */
export function setHeld(ctx: Ctx, rec: DomainRecord, memKiB: number, overheadKiB: number): void {
  ctx.meta.usedKiB += memKiB + overheadKiB - (rec.mem.memKiB + rec.mem.overheadKiB);
  rec.mem.memKiB = memKiB;
  rec.mem.overheadKiB = overheadKiB;
}

/** Gives back everything `rec` holds (destroy). */
export function release(ctx: Ctx, rec: DomainRecord): void {
  setHeld(ctx, rec, 0, 0);
}
