/**
 * xenstore: the hierarchical key/value store through which the toolstack, Domain-0's
 * backends and each guest's frontends talk (tools/xenstored; paths as libxl writes them
 * in tools/libs/light/libxl_create.c, libxl_device.c, libxl_dom.c). The tree lives in
 * the host's `xenstore` table, one row per node (`XsNode`: value and permissions), so a
 * command reads only the nodes it touches; watches live in the `watches` table.
 *
 * Semantics follow xenstored (docs/misc/xenstore.txt):
 * - writing a node creates its missing parents with the empty value; a new node
 *   inherits its parent's permissions unless given its own;
 * - permissions are `xenstore-ls -p` entries: the first names the owner and what every
 *   other domain may do (`n` none, `r` read, `w` write, `b` both), later ones grant a
 *   domain more; Domain-0 (privileged) and the owner may do anything;
 * - removing a node removes its subtree.
 */
import type { Ctx } from './ctx.js';
import { prefixEnd } from './tables.js';
import type { XsNode, XsWatch } from './records.js';

/** A path is absolute, has no empty component and no trailing slash (except `/`). */
export function validPath(path: string): boolean {
  if (typeof path !== 'string' || !path.startsWith('/')) return false;
  if (path === '/') return true;
  return !path.slice(1).split('/').some((p) => p === '');
}

/** The parent of `path` (`/` for top-level nodes). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Sort order of xenstore children: numbers numerically first, then names by code unit. */
export function compareNames(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The node at `path`, or undefined. */
export function xsNode(ctx: Ctx, path: string): XsNode | undefined {
  return validPath(path) ? ctx.tx.get<XsNode>('xenstore', path) : undefined;
}

/** The value at `path`, or undefined when absent (or the path is malformed). */
export function xsRead(ctx: Ctx, path: string): string | undefined {
  return xsNode(ctx, path)?.v;
}

/**
 * Writes `value` at `path`, creating missing parents (value '', the nearest existing
 * ancestor's permissions). `perms` replaces the node's permissions; a new node without
 * `perms` inherits its parent's. Malformed paths are ignored.
 */
export function xsWrite(ctx: Ctx, path: string, value: string, perms?: string[]): void {
  if (!validPath(path) || path === '/') return;
  const existing = ctx.tx.get<XsNode>('xenstore', path);
  if (existing) {
    existing.v = String(value);
    if (perms) existing.p = [...perms];
    ctx.tx.put('xenstore', path, existing);
    return;
  }
  // Create missing ancestors top-down, each inheriting from the one above.
  const missing: string[] = [];
  let q = parentPath(path);
  let inherited: string[] = ['n0'];
  for (;;) {
    if (q === '/') break;
    const n = ctx.tx.get<XsNode>('xenstore', q);
    if (n) {
      inherited = n.p;
      break;
    }
    missing.push(q);
    q = parentPath(q);
  }
  for (const m of missing.reverse()) ctx.tx.put<XsNode>('xenstore', m, { v: '', p: [...inherited] });
  ctx.tx.put<XsNode>('xenstore', path, { v: String(value), p: perms ? [...perms] : [...inherited] });
}

/** Sets the permissions of an existing node (`xenstore-chmod`); no-op when absent. */
export function xsSetPerms(ctx: Ctx, path: string, perms: string[]): void {
  const n = xsNode(ctx, path);
  if (!n) return;
  n.p = [...perms];
  ctx.tx.put('xenstore', path, n);
}

/** Writes several nodes under `base` (`{ 'name': 'web', 'memory/target': '1024' }`). */
export function xsWriteAll(ctx: Ctx, base: string, values: Record<string, string>, perms?: string[]): void {
  for (const [k, v] of Object.entries(values)) xsWrite(ctx, `${base}/${k}`, v, perms);
}

/** Names of the direct children of `path`, xenstored order (numbers first); [] when absent. */
export function xsList(ctx: Ctx, path: string): string[] {
  if (!validPath(path)) return [];
  if (path !== '/' && !ctx.tx.get('xenstore', path)) return [];
  const prefix = path === '/' ? '/' : `${path}/`;
  const out: string[] = [];
  let lo = prefix;
  const hi = prefixEnd(prefix);
  for (;;) {
    const [row] = ctx.tx.range<XsNode>('xenstore', lo, hi, { limit: 1 });
    if (!row) break;
    const rest = row[0].slice(prefix.length);
    const slash = rest.indexOf('/');
    const child = slash < 0 ? rest : rest.slice(0, slash);
    if (out[out.length - 1] !== child) out.push(child);
    // Next: whatever sorts after this child's own key (siblings such as `child-x` come
    // before `child/…`), then past its subtree.
    lo = slash < 0 ? `${prefix}${child}\u0000` : prefixEnd(`${prefix}${child}/`);
  }
  return [...new Set(out)].sort(compareNames);
}

/** Whether the node exists. */
export function xsExists(ctx: Ctx, path: string): boolean {
  return xsNode(ctx, path) !== undefined;
}

/** Removes `path` and its subtree (no-op when absent; `/` is never removed). */
export function xsRm(ctx: Ctx, path: string): void {
  if (!validPath(path) || path === '/') return;
  if (ctx.tx.get('xenstore', path)) ctx.tx.del('xenstore', path);
  const prefix = `${path}/`;
  for (const [k] of ctx.tx.range('xenstore', prefix, prefixEnd(prefix))) ctx.tx.del('xenstore', k);
}

/**
 * Removes `path` and then each parent left empty, up to (not including) `stop`: libxl's
 * `libxl__xs_path_cleanup`, so a domain's last backend takes its `backend/<kind>/<domid>`
 * directory with it.
 */
export function xsRmClean(ctx: Ctx, path: string, stop: string): void {
  xsRm(ctx, path);
  for (let p = parentPath(path); p !== stop && p.startsWith(`${stop}/`); p = parentPath(p)) {
    if (xsList(ctx, p).length > 0) break;
    xsRm(ctx, p);
  }
}

/** Every node under `path` (itself included) as path → value, in key order (for `xenstore-ls`, tests). */
export function xsDump(ctx: Ctx, path: string): [string, XsNode][] {
  if (!validPath(path)) return [];
  const out: [string, XsNode][] = [];
  const self = path === '/' ? undefined : ctx.tx.get<XsNode>('xenstore', path);
  if (self) out.push([path, self]);
  const prefix = path === '/' ? '/' : `${path}/`;
  for (const [k, v] of ctx.tx.range<XsNode>('xenstore', prefix, prefixEnd(prefix))) out.push([k, v]);
  return out;
}

/**
 * What `domid` may do with the node (xenstored `perm_for_conn`): Domain-0 and the owner
 * everything; else its own entry, else the default (first entry's letter).
 */
export function xsAccess(node: XsNode, domid: number): { read: boolean; write: boolean } {
  const all = { read: true, write: true };
  if (domid === 0) return all;
  const parse = (e: string): { perm: string; id: number } => ({ perm: e.charAt(0), id: Number(e.slice(1)) });
  const [first, ...rest] = node.p.map(parse);
  if (!first) return { read: false, write: false };
  if (first.id === domid) return all;
  const own = rest.find((e) => e.id === domid);
  const perm = own ? own.perm : first.perm;
  return { read: perm === 'r' || perm === 'b', write: perm === 'w' || perm === 'b' };
}

/** Registers a watch (`XS_WATCH`): `domid` is told about changes at or below `path`. */
export function xsWatch(ctx: Ctx, domid: number, path: string, token: string): void {
  ctx.tx.put<XsWatch>('watches', `${path}\u0000${token}`, { domid, path, token });
}

/** Removes a watch (no-op when absent). */
export function xsUnwatch(ctx: Ctx, path: string, token: string): void {
  ctx.tx.del('watches', `${path}\u0000${token}`);
}

/** Removes every watch registered at or below `path` (used when a subtree goes away). */
export function xsUnwatchTree(ctx: Ctx, path: string): void {
  for (const [k] of ctx.tx.range('watches', `${path}\u0000`, prefixEnd(`${path}\u0000`))) ctx.tx.del('watches', k);
  for (const [k] of ctx.tx.range('watches', `${path}/`, prefixEnd(`${path}/`))) ctx.tx.del('watches', k);
}

/** Watches registered on `path` or any ancestor of it: who a write at `path` would notify. */
export function xsWatchersOf(ctx: Ctx, path: string): XsWatch[] {
  const out: XsWatch[] = [];
  for (let p = path; ; p = parentPath(p)) {
    for (const [, w] of ctx.tx.range<XsWatch>('watches', `${p}\u0000`, prefixEnd(`${p}\u0000`))) out.push(w);
    if (p === '/') break;
  }
  return out;
}
