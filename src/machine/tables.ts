/**
 * The host's tables (DESIGN.md "The store"): the emulated host is a set of ordered
 * key → record tables, read and written through a transaction (`Tx`) over a
 * `TableBackend`. The machine never knows where the rows live: `MemoryBackend` (here)
 * keeps them in sorted maps for tests and in-process hosts; the toolstack's SQLite
 * backend (`toolstack/store/sqlite.ts`) keeps them in a database file. A command reads
 * and writes only the rows it touches, and a failed command discards its overlay, so the
 * host is left exactly as it was.
 *
 * Keys are strings ordered by UTF-16 code unit (numbers are zero-padded, see `numKey`).
 * Values cross the backend boundary as JSON text, so every transaction works on its own
 * copies and a committed row can never be changed behind the table's back.
 */
import * as btreeNs from 'sorted-btree';
import { TABLES, type TableName } from './table-names.js';

/** sorted-btree is CommonJS with `exports.default`; Node and esbuild hand it over one level deep or two. */
type BTreeCtor = typeof btreeNs.default.default;
const BTree = ((): BTreeCtor => {
  const d = (btreeNs as unknown as { default: unknown }).default;
  return (typeof d === 'function' ? d : (d as { default: unknown }).default) as BTreeCtor;
})();
type Tree = import('sorted-btree').default<string, string>;

export { TABLES, type TableName } from './table-names.js';

/** A batch of row changes: JSON text to write, or `null` to delete. */
export type ChangeSet = Map<TableName, Map<string, string | null>>;

/**
 * Where the rows live. Implementations: `MemoryBackend`, the toolstack's SQLite backend.
 * All methods are synchronous; a backend used by several processes gives each
 * transaction a consistent snapshot (the store's job, not the machine's).
 */
export interface TableBackend {
  /** The row's JSON text, or undefined when absent. */
  get(table: TableName, key: string): string | undefined;
  /**
   * Rows with `lo ≤ key < hi` (`hi` undefined = no upper bound), ascending by key, or
   * descending when `reverse`; at most `limit` rows when given.
   */
  range(table: TableName, lo: string, hi: string | undefined, opts?: RangeOptions): [string, string][];
  /** Applies every change atomically (all or nothing). */
  write(changes: ChangeSet): void;
}

/** Options of `TableBackend.range` and `Tx.range`. */
export interface RangeOptions {
  reverse?: boolean;
  limit?: number;
}

/** Decimal key of a non-negative integer, zero-padded to `width` so code-unit order is numeric order. */
export function numKey(n: number, width = 5): string {
  return String(n).padStart(width, '0');
}

/** Key of a 53-bit sequence number (the event log, the queue's tie-breaker). */
export function seqKey(n: number): string {
  return numKey(n, 16);
}

/** Queue key: due time (virtual ms) then sequence number, both fixed width. */
export function queueKey(due: number, seq: number): string {
  return `${numKey(due, 16)}:${numKey(seq, 12)}`;
}

/** Key of a per-domain numbered entry (event channel port, grant reference). */
export function portKey(domid: number, n: number): string {
  return `${numKey(domid)}/${numKey(n, 10)}`;
}

/** Key of a split-driver device: `<domid>/<kind>/<devid>`. */
export function devKey(domid: number, kind: string, devid: number): string {
  return `${numKey(domid)}/${kind}/${numKey(devid, 10)}`;
}

/** The smallest string greater than every string that starts with `prefix`. */
export function prefixEnd(prefix: string): string {
  return prefix + '\uffff';
}

/**
 * Rows in sorted maps, one B+ tree per table. Used for tests, the REPL demo and the
 * dashboard's demo host; `snapshot()` / `fromSnapshot()` copy every row (for forks of a
 * host in tests and for determinism checks).
 */
export class MemoryBackend implements TableBackend {
  private readonly trees = new Map<TableName, Tree>();

  constructor() {
    for (const t of TABLES) this.trees.set(t, new BTree<string, string>());
  }

  private tree(table: TableName): Tree {
    const t = this.trees.get(table);
    if (!t) throw new Error(`unknown table ${String(table)}`);
    return t;
  }

  get(table: TableName, key: string): string | undefined {
    return this.tree(table).get(key);
  }

  range(table: TableName, lo: string, hi: string | undefined, opts: RangeOptions = {}): [string, string][] {
    const t = this.tree(table);
    const out: [string, string][] = [];
    const limit = opts.limit ?? Infinity;
    if (limit <= 0) return out;
    if (!opts.reverse) {
      for (const [k, v] of t.entries(lo)) {
        if (hi !== undefined && k >= hi) break;
        out.push([k, v]);
        if (out.length >= limit) break;
      }
    } else {
      const start = hi === undefined ? undefined : t.nextLowerKey(hi);
      if (hi !== undefined && start === undefined) return out;
      for (const [k, v] of t.entriesReversed(start)) {
        if (k < lo) break;
        if (hi !== undefined && k >= hi) continue;
        out.push([k, v]);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  write(changes: ChangeSet): void {
    for (const [table, rows] of changes) {
      const t = this.tree(table);
      for (const [k, v] of rows) {
        if (v === null) t.delete(k);
        else t.set(k, v);
      }
    }
  }

  /** Every row of every table, tables in `TABLES` order, keys ascending. */
  snapshot(): Record<string, [string, string][]> {
    const out: Record<string, [string, string][]> = {};
    for (const t of TABLES) out[t] = [...this.tree(t).entries()];
    return out;
  }

  /** A backend holding exactly the rows of `snap` (unknown tables are ignored). */
  static fromSnapshot(snap: Record<string, [string, string][]>): MemoryBackend {
    const b = new MemoryBackend();
    for (const t of TABLES) for (const [k, v] of snap[t] ?? []) b.tree(t).set(k, v);
    return b;
  }
}

/** Whatever a transaction reads through: a backend, or a parent transaction. */
interface Source {
  /** Parsed row (the caller may keep and change it), or undefined. */
  load(table: TableName, key: string): unknown;
  /** Parsed rows in range, merged with any overlay, as fresh copies. */
  loadRange(table: TableName, lo: string, hi: string | undefined, opts: RangeOptions): [string, unknown][];
}

const ABSENT = Symbol('absent');

/**
 * A deep copy of plain JSON data (objects, arrays, strings, numbers, booleans, null):
 * several times faster than `structuredClone` for the small rows a savepoint copies.
 */
export function copyRow<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyRow(v[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = copyRow((v as Record<string, unknown>)[k]);
  return out as T;
}

function backendSource(b: TableBackend): Source {
  return {
    load(table, key) {
      const text = b.get(table, key);
      return text === undefined ? undefined : JSON.parse(text);
    },
    loadRange(table, lo, hi, opts) {
      return b.range(table, lo, hi, opts).map(([k, v]) => [k, JSON.parse(v)]);
    },
  };
}

/**
 * A transaction: an overlay of read rows and pending writes over a backend (or over a
 * parent transaction, as a savepoint). Reads see the transaction's own writes. Nothing
 * reaches the backend before `commit()`; `child()` makes a nested transaction whose
 * `commit()` folds into this one and whose abandonment leaves this one untouched.
 *
 * Rows returned by `get`/`range` belong to this transaction: change them and `put` them
 * back (an unchanged `put` is harmless). Never throws except for a write after commit.
 */
export class Tx {
  /** Rows read or written, parsed; `ABSENT` caches a known miss. */
  private readonly rows = new Map<TableName, Map<string, unknown>>();
  /** Keys written (put or deleted) since the transaction began. */
  private readonly dirty = new Map<TableName, Set<string>>();
  /** The same keys in order, so a range finds the written ones in it without a scan. */
  private readonly dirtyIndex = new Map<TableName, import('sorted-btree').default<string, undefined>>();
  private done = false;

  private constructor(private readonly source: Source, private readonly parent?: Tx) {}

  /** A root transaction over `backend`. */
  static over(backend: TableBackend): Tx {
    return new Tx(backendSource(backend));
  }

  /** A nested transaction (savepoint) over this one. */
  child(): Tx {
    const parent = this;
    return new Tx(
      {
        load: (table, key) => {
          const v = parent.get(table, key);
          return v === undefined ? undefined : copyRow(v);
        },
        loadRange: (table, lo, hi, opts) => parent.range(table, lo, hi, opts).map(([k, v]) => [k, copyRow(v)]),
      },
      this,
    );
  }

  private tableRows(table: TableName): Map<string, unknown> {
    let m = this.rows.get(table);
    if (!m) {
      m = new Map();
      this.rows.set(table, m);
    }
    return m;
  }

  /** The row at `key`, or undefined. */
  get<T>(table: TableName, key: string): T | undefined {
    const m = this.tableRows(table);
    if (m.has(key)) {
      const v = m.get(key);
      return v === ABSENT ? undefined : (v as T);
    }
    const v = this.source.load(table, key);
    m.set(key, v === undefined ? ABSENT : v);
    return v as T | undefined;
  }

  /** Writes `value` (plain JSON data) at `key`. */
  put<T>(table: TableName, key: string, value: T): void {
    this.assertOpen();
    this.tableRows(table).set(key, value);
    this.markDirty(table, key);
  }

  /** Deletes the row at `key` (no-op when absent). */
  del(table: TableName, key: string): void {
    this.assertOpen();
    this.tableRows(table).set(key, ABSENT);
    this.markDirty(table, key);
  }

  /**
   * Rows with `lo ≤ key < hi` in key order (descending with `reverse`), this
   * transaction's writes included; at most `limit` rows. Cost: the rows returned and
   * the written keys among them, not every key written so far (a host advancing through
   * thousands of queued events asks for the first one thousands of times).
   */
  range<T>(table: TableName, lo: string, hi: string | undefined, opts: RangeOptions = {}): [string, T][] {
    const limit = opts.limit ?? Infinity;
    const reverse = opts.reverse === true;
    const index = this.dirtyIndex.get(table);
    const m = this.tableRows(table);
    const inRange = (k: string): boolean => k >= lo && (hi === undefined || k < hi);
    const firstWritten = index === undefined ? undefined : firstOf(reverse ? index.entriesReversed(hi, undefined, true) : index.entries(lo));
    const take = (k: string, v: unknown): unknown => {
      const mine = m.get(k);
      if (mine === undefined) {
        m.set(k, v);
        return v;
      }
      return mine;
    };
    if (firstWritten === undefined || !inRange(firstWritten)) {
      // Nothing written in range: the source's rows are the answer, in order.
      const out: [string, T][] = [];
      for (const [k, v] of this.source.loadRange(table, lo, hi, { reverse, limit: limit === Infinity ? undefined : limit })) {
        const row = take(k, v);
        if (row === ABSENT) continue;
        out.push([k, row as T]);
        if (out.length >= limit) break;
      }
      return out;
    }
    // Merge the source's rows with the written keys, both in order, a page of source rows
    // at a time: with a limit, a few more rows than needed (written keys may delete some),
    // then the next page after the last row seen, until enough rows survive.
    const before = (a: string, b: string): boolean => (reverse ? a > b : a < b);
    const written = reverse ? index!.entriesReversed(hi, undefined, true) : index!.entries(lo);
    let w = nextKey(written, inRange);
    let fetch = limit === Infinity ? undefined : limit + 8;
    let pageLo = lo;
    let pageHi = hi;
    const out: [string, T][] = [];
    for (;;) {
      const base = this.source.loadRange(table, pageLo, pageHi, { reverse, limit: fetch });
      const exhausted = fetch === undefined || base.length < fetch;
      // Past the last row of the page, the source may hold rows not seen yet.
      const bound = exhausted ? undefined : base[base.length - 1]![0];
      let i = 0;
      while (out.length < limit) {
        const b = i < base.length ? base[i]! : undefined;
        const wNow = w !== undefined && (bound === undefined || !before(bound, w)) ? w : undefined;
        if (b === undefined && wNow === undefined) break;
        if (wNow !== undefined && (b === undefined || !before(b[0], wNow))) {
          // A written key (it wins over the source's copy of the same key).
          if (b !== undefined && b[0] === wNow) i++;
          const v = m.get(wNow);
          if (v !== ABSENT && v !== undefined) out.push([wNow, v as T]);
          w = nextKey(written, inRange);
          continue;
        }
        i++;
        if (index!.has(b![0])) continue; // its written value comes from the index side
        const row = take(b![0], b![1]);
        if (row !== ABSENT) out.push([b![0], row as T]);
      }
      if (out.length >= limit || exhausted) return out;
      if (reverse) pageHi = bound;
      else pageLo = `${bound!}\u0000`;
      fetch = Math.min(fetch! * 2, 4096);
    }
  }

  /**
   * Visits the rows with `lo ≤ key < hi` in ascending key order, this transaction's writes
   * included, as `range` returns them, but without keeping them: rows this transaction has
   * not read before are read from the source a page at a time and not cached, so a walk
   * over every domain of a large host holds one page of rows at a time, not all of them
   * (they die young, and the collector has little to copy). A row `fn` gets this way is
   * a fresh copy: change it and `put` it back, as with `get`. When this transaction wrote
   * any key in the range, or reads through a parent transaction, it is `range`, visited.
   */
  scan<T>(table: TableName, lo: string, hi: string | undefined, fn: (key: string, row: T) => void): void {
    const index = this.dirtyIndex.get(table);
    const firstWritten = index === undefined ? undefined : firstOf(index.entries(lo));
    if (this.parent || (firstWritten !== undefined && (hi === undefined || firstWritten < hi))) {
      for (const [k, v] of this.range<T>(table, lo, hi)) fn(k, v);
      return;
    }
    const m = this.tableRows(table);
    let from = lo;
    for (;;) {
      const page = this.source.loadRange(table, from, hi, { limit: SCAN_PAGE });
      for (const [k, v] of page) {
        // a row this transaction holds already (read before) is the one it gives out
        const mine = m.get(k);
        if (mine === undefined) fn(k, v as T);
        else if (mine !== ABSENT) fn(k, mine as T);
      }
      if (page.length < SCAN_PAGE) return;
      from = `${page[page.length - 1]![0]}\u0000`;
    }
  }

  /** Whether anything was written. */
  get changed(): boolean {
    for (const s of this.dirty.values()) if (s.size) return true;
    return false;
  }

  /** Keys written per table (for change logs and listeners). */
  writtenKeys(): Map<TableName, string[]> {
    const out = new Map<TableName, string[]>();
    for (const [t, s] of this.dirty) if (s.size) out.set(t, [...s].sort());
    return out;
  }

  /**
   * The pending writes as JSON text. A root transaction passes this to its backend's
   * `write`; a child transaction's `commit()` folds them into its parent instead.
   */
  changes(): ChangeSet {
    const out: ChangeSet = new Map();
    for (const [t, keys] of this.dirty) {
      if (!keys.size) continue;
      const rows = this.tableRows(t);
      const m = new Map<string, string | null>();
      for (const k of keys) {
        const v = rows.get(k);
        m.set(k, v === ABSENT || v === undefined ? null : JSON.stringify(v));
      }
      out.set(t, m);
    }
    return out;
  }

  /**
   * Makes the writes durable: a child folds them into its parent; a root writes them to
   * `backend` (which must be the one it was opened over). The transaction is closed after.
   */
  commit(backend?: TableBackend): void {
    this.assertOpen();
    if (this.parent) {
      for (const [t, keys] of this.dirty) {
        const rows = this.tableRows(t);
        for (const k of keys) {
          const v = rows.get(k);
          if (v === ABSENT) this.parent.del(t, k);
          else this.parent.put(t, k, v);
        }
      }
    } else if (this.changed) {
      if (!backend) throw new Error('Tx.commit: a root transaction needs its backend');
      backend.write(this.changes());
    }
    this.done = true;
  }

  private markDirty(table: TableName, key: string): void {
    let s = this.dirty.get(table);
    if (!s) {
      s = new Set();
      this.dirty.set(table, s);
    }
    if (s.has(key)) return;
    s.add(key);
    let index = this.dirtyIndex.get(table);
    if (!index) {
      index = new BTree<string, undefined>();
      this.dirtyIndex.set(table, index);
    }
    index.set(key, undefined);
  }

  private assertOpen(): void {
    if (this.done) throw new Error('transaction already committed');
  }
}

/** The next key of a written-keys iterator that `within` accepts, or undefined at the first one it does not. */
function nextKey(it: IterableIterator<[string, undefined]>, within: (k: string) => boolean): string | undefined {
  const n = it.next();
  if (n.done) return undefined;
  return within(n.value[0]) ? n.value[0] : undefined;
}

/** Rows per source read of `Tx.scan`. */
const SCAN_PAGE = 256;

/** The first key an iterator of written keys yields, or undefined. */
function firstOf(it: IterableIterator<[string, undefined]>): string | undefined {
  const n = it.next();
  return n.done ? undefined : n.value[0];
}
