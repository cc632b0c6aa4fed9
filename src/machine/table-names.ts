/**
 * The names of the host's tables (tables.ts holds the tables themselves): a module of its
 * own so the store's SQLite backend, and the quick `list` that uses it alone, need none of
 * the in-memory tables' code.
 */

/**
 * The host's tables, one per kind of record (records.ts gives each row's shape):
 * - `meta`: single rows (`host`: the host-wide record).
 * - `domains`: `DomainCore` by `numKey(domid)`; `guests`: `DomainGuest` by the same key;
 *   `names`: domain name → domid.
 * - `listing`: each domain's `ListingRow` (summary.ts: what `xl list` reads, as flat
 *   arrays) by `numKey(domid)`, derived from its `domains` row and written with it (ctx.ts).
 * - `configs`: the libxl `DomainConfig` of each domain, by `numKey(domid)` (read only when needed).
 * - `devices`: split-driver devices by `devKey(domid, kind, devid)`.
 * - `xenstore`: xenstore nodes by path; `watches`: xenstore watches by `<path>\0<token>`.
 * - `evtchns`: event channel ends by `portKey(domid, port)`; `grants`: grant entries by `portKey(domid, ref)`.
 * - `queue`: the pending-event queue by `queueKey(due, seq)`.
 * - `consoles`: guest console rings by `numKey(domid)`.
 * - `events`: the host event log by `seqKey(index)`.
 * - `pools`: cpupools by `numKey(poolid)`.
 * - `pci`: the host's PCI devices by BDF.
 */
export const TABLES = [
  'meta', 'domains', 'listing', 'guests', 'names', 'configs', 'devices', 'xenstore', 'watches', 'evtchns', 'grants',
  'queue', 'consoles', 'events', 'pools', 'pci',
] as const;

/** One of `TABLES`. */
export type TableName = (typeof TABLES)[number];
