/**
 * A small xenstore: the hierarchical key/value store through which the toolstack,
 * Domain-0's backends and each guest's frontends talk (tools/xenstored; paths as libxl
 * writes them in tools/libs/light/libxl_create.c, libxl_device.c, libxl_dom.c):
 * `/local/domain/<domid>/name`, `/local/domain/<domid>/memory/target`,
 * `/local/domain/<domid>/control/shutdown`, `/vm/<uuid>/start_time`,
 * `/local/domain/0/backend/vbd/<domid>/<devid>/…`, `/local/domain/<domid>/device/vif/<devid>/…`.
 *
 * Values are strings. Writing a node creates its missing parents with the empty value,
 * as xenstored does. Nothing here prints or touches the file system.
 */

/** Splits and checks a path: absolute, no empty components, no trailing slash (except `/`). */
function normalise(path: string): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/')) return undefined;
  if (path === '/') return '/';
  const parts = path.slice(1).split('/');
  if (parts.some((p) => p === '')) return undefined;
  return '/' + parts.join('/');
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * The xenstore tree. Paths are absolute (`/local/domain/3/name`); a malformed path
 * (relative, empty component) reads as absent and writes are ignored.
 */
export class XenStore {
  private readonly nodes = new Map<string, string>([['/', '']]);

  /** Value at `path`, or undefined when the node does not exist. */
  read(path: string): string | undefined {
    const p = normalise(path);
    return p === undefined ? undefined : this.nodes.get(p);
  }

  /** Writes `value` at `path`, creating missing parents with the empty value. */
  write(path: string, value: string): void {
    const p = normalise(path);
    if (p === undefined) return;
    let q = parentOf(p);
    const missing: string[] = [];
    while (!this.nodes.has(q)) {
      missing.push(q);
      q = parentOf(q);
    }
    for (const m of missing.reverse()) this.nodes.set(m, '');
    this.nodes.set(p, String(value));
  }

  /** Names of the direct children of `path`, sorted (numbers numerically first). Empty when absent. */
  list(path: string): string[] {
    const p = normalise(path);
    if (p === undefined || !this.nodes.has(p)) return [];
    const prefix = p === '/' ? '/' : p + '/';
    const out: string[] = [];
    for (const k of this.nodes.keys()) {
      if (k.length > prefix.length && k.startsWith(prefix) && !k.includes('/', prefix.length)) {
        out.push(k.slice(prefix.length));
      }
    }
    return out.sort(compareNames);
  }

  /** True when the node exists. */
  exists(path: string): boolean {
    return this.read(path) !== undefined;
  }

  /** Removes `path` and everything below it (no-op when absent; `/` is never removed). */
  rm(path: string): void {
    const p = normalise(path);
    if (p === undefined || p === '/') return;
    const prefix = p + '/';
    for (const k of [...this.nodes.keys()]) {
      if (k === p || k.startsWith(prefix)) this.nodes.delete(k);
    }
  }

  /** Every node as a plain object, keys sorted, for snapshots. */
  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of [...this.nodes.keys()].sort()) out[k] = this.nodes.get(k) as string;
    return out;
  }

  /**
   * Rebuilds a tree from `toJSON()` output. Returns undefined when `data` is not an
   * object of string values with valid absolute paths.
   */
  static fromJSON(data: unknown): XenStore | undefined {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
    const xs = new XenStore();
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
      if (typeof v !== 'string' || normalise(k) !== k) return undefined;
      xs.nodes.set(k, v);
    }
    return xs;
  }
}

function compareNames(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Number(a) - Number(b);
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
