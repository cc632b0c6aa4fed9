/**
 * Event channels and grant references: the two per-domain tables a split driver's ring
 * is built from (xen/common/event_channel.c, xen/common/grant_table.c). A frontend
 * grants the backend access to its ring page (a grant reference) and binds an
 * interdomain event channel to it; the backend maps the grant and binds its end.
 *
 * Rows: `evtchns` by (domid, port), `grants` by (granting domid, ref). Ports and refs
 * are allocated per domain from `DomainRecord.nextPort` / `nextGrant`; the caller writes
 * the domain rows back.
 */
import type { Ctx } from './ctx.js';
import type { DomainRecord, EventChannelRecord, GrantRecord } from './records.js';
import { numKey, portKey, prefixEnd } from './tables.js';

/**
 * Binds an interdomain event channel between `a` and `b` (EVTCHNOP_bind_interdomain)
 * and returns the two ports `[aPort, bPort]`. Both domain records get their next port
 * advanced; the caller puts them back.
 */
export function bindInterdomain(ctx: Ctx, a: DomainRecord, b: DomainRecord, purpose: string): [number, number] {
  const pa = a.nextPort++;
  const pb = b.nextPort++;
  ctx.tx.put<EventChannelRecord>('evtchns', portKey(a.domid, pa), { domid: a.domid, port: pa, remoteDomid: b.domid, remotePort: pb, purpose });
  ctx.tx.put<EventChannelRecord>('evtchns', portKey(b.domid, pb), { domid: b.domid, port: pb, remoteDomid: a.domid, remotePort: pa, purpose });
  return [pa, pb];
}

/** Closes one end of an event channel and, for an interdomain channel, its remote end (EVTCHNOP_close). */
export function closeChannel(ctx: Ctx, domid: number, port: number): void {
  const e = ctx.tx.get<EventChannelRecord>('evtchns', portKey(domid, port));
  if (!e) return;
  ctx.tx.del('evtchns', portKey(domid, port));
  if (e.remoteDomid !== undefined && e.remotePort !== undefined) {
    const r = ctx.tx.get<EventChannelRecord>('evtchns', portKey(e.remoteDomid, e.remotePort));
    if (r && r.remoteDomid === domid && r.remotePort === port) ctx.tx.del('evtchns', portKey(e.remoteDomid, e.remotePort));
  }
}

/** The domain's event channel ends, ascending port. */
export function channelsOf(ctx: Ctx, domid: number): EventChannelRecord[] {
  const p = `${numKey(domid)}/`;
  return ctx.tx.range<EventChannelRecord>('evtchns', p, prefixEnd(p)).map(([, e]) => e);
}

/** Every event channel end on the host, by domid then port. */
export function allChannels(ctx: Ctx): EventChannelRecord[] {
  return ctx.tx.range<EventChannelRecord>('evtchns', '', undefined).map(([, e]) => e);
}

/** Closes every channel of `domid` and the remote ends bound to them (domain teardown). */
export function closeAllChannels(ctx: Ctx, domid: number): void {
  for (const e of channelsOf(ctx, domid)) closeChannel(ctx, domid, e.port);
}

/**
 * `granter` grants `toDomid` access to one page (GNTTABOP / gnttab_grant_foreign_access)
 * and returns the grant reference; the granter's record is advanced (caller puts it back).
 */
export function grantAccess(ctx: Ctx, granter: DomainRecord, toDomid: number, purpose: string, readonly = false): number {
  const ref = granter.nextGrant++;
  ctx.tx.put<GrantRecord>('grants', portKey(granter.domid, ref), { domid: granter.domid, ref, toDomid, readonly, purpose });
  return ref;
}

/** Ends a grant (gnttab_end_foreign_access); no-op when absent. */
export function endGrant(ctx: Ctx, domid: number, ref: number): void {
  ctx.tx.del('grants', portKey(domid, ref));
}

/** The grants made by `domid`, ascending reference. */
export function grantsOf(ctx: Ctx, domid: number): GrantRecord[] {
  const p = `${numKey(domid)}/`;
  return ctx.tx.range<GrantRecord>('grants', p, prefixEnd(p)).map(([, g]) => g);
}

/** Ends every grant `domid` made (domain teardown). */
export function endAllGrants(ctx: Ctx, domid: number): void {
  for (const g of grantsOf(ctx, domid)) endGrant(ctx, domid, g.ref);
}
