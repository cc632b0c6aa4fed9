/**
 * The SQLite backend of the host's tables (src/toolstack/store/sqlite.ts): its semantics
 * against MemoryBackend, transactions through `Tx`, the change log, error reporting, and
 * real concurrency between processes (children bundled from fixtures/sqlite-child.ts).
 *
 * No test sleeps and hopes: children print what they have done ("locked", "waiting", …)
 * and the test waits for those lines.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBackend, Tx, TABLES, type ChangeSet, type TableName } from '../../src/machine/tables.js';
import {
  CHANGE_LOG_LIMIT,
  SCHEMA_VERSION,
  SqliteBackend,
  SqliteStoreError,
  StoreBusyError,
  UNLOGGED_TABLES,
  decodeKey,
  encodeKey,
} from '../../src/toolstack/store/sqlite.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(join(tmpdir(), 'xlsim-sqlite-'));
let dbCount = 0;
/** A fresh database path in the test's temporary directory. */
const freshPath = () => join(work, `db${++dbCount}.sqlite`);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A ChangeSet from (table, key, JSON text | null) triples. */
function cs(entries: [TableName, string, string | null][]): ChangeSet {
  const out: ChangeSet = new Map();
  for (const [t, k, v] of entries) {
    let m = out.get(t);
    if (!m) out.set(t, (m = new Map()));
    m.set(k, v);
  }
  return out;
}

/** Writes `entries` in one committed write transaction. */
async function commitWrite(b: SqliteBackend, entries: [TableName, string, string | null][]): Promise<void> {
  await b.beginWrite({ waitMs: 10_000 });
  b.write(cs(entries));
  b.commit();
}

/** Runs `fn`, expecting it to throw a SqliteStoreError; returns it. */
function storeErrorOf(fn: () => unknown): SqliteStoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SqliteStoreError);
    return e as SqliteStoreError;
  }
  throw new Error('expected a SqliteStoreError');
}

describe('SqliteBackend: rows', () => {
  it('gets, writes, deletes and ranges like the interface says', async () => {
    const b = SqliteBackend.open(freshPath());
    expect(b.get('meta', 'host')).toBeUndefined();
    await commitWrite(b, [
      ['domains', '00001', '{"id":1}'],
      ['domains', '00002', '{"id":2}'],
      ['domains', '00003', '{"id":3}'],
      ['domains', '00010', '{"id":10}'],
      ['names', 'a', '1'],
    ]);
    expect(b.get('domains', '00002')).toBe('{"id":2}');
    expect(b.range('domains', '00002', '00010')).toEqual([['00002', '{"id":2}'], ['00003', '{"id":3}']]);
    expect(b.range('domains', '', undefined).map(([k]) => k)).toEqual(['00001', '00002', '00003', '00010']);
    expect(b.range('domains', '', undefined, { reverse: true }).map(([k]) => k)).toEqual(['00010', '00003', '00002', '00001']);
    expect(b.range('domains', '00001', '00010', { reverse: true, limit: 2 }).map(([k]) => k)).toEqual(['00003', '00002']);
    expect(b.range('domains', '', undefined, { limit: 1 }).map(([k]) => k)).toEqual(['00001']);
    expect(b.range('domains', '', undefined, { limit: 0 })).toEqual([]);
    expect(b.range('domains', '', undefined, { limit: -1 })).toEqual([]);
    expect(b.range('domains', '', undefined, { limit: 2.5 }).length).toBe(3);
    expect(b.range('domains', '', undefined, { limit: NaN }).length).toBe(4);
    expect(b.range('domains', '00005', '00002')).toEqual([]);
    await commitWrite(b, [['domains', '00002', null], ['domains', '00099', null]]);
    expect(b.get('domains', '00002')).toBeUndefined();
    expect(b.range('domains', '', undefined).length).toBe(3);
    expect(() => b.get('nope' as TableName, 'x')).toThrow(/unknown table/);
    b.close();
  });

  it('keeps keys with NUL, lone surrogates and astral characters exactly', async () => {
    const b = SqliteBackend.open(freshPath());
    const keys = ['/a\0tok', '\ud800', 'x\udfffy', '\ue000', '\uffff', '😀', 'é', ''];
    await commitWrite(b, keys.map((k, i) => ['watches', k, String(i)] as [TableName, string, string]));
    keys.forEach((k, i) => expect(b.get('watches', k)).toBe(String(i)));
    expect(b.range('watches', '', undefined).map(([k]) => k)).toEqual([...keys].sort());
    b.close();
  });

  it('encodeKey is exact and preserves UTF-16 order (property)', () => {
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    const key = fc.string({ unit: anyUnit, maxLength: 6 });
    fc.assert(
      fc.property(key, key, (x, y) => {
        expect(decodeKey(encodeKey(x))).toBe(x);
        // Byte order of the UTF-8 encoding (what SQLite's BINARY collation compares).
        const cmp = Buffer.compare(Buffer.from(encodeKey(x), 'utf8'), Buffer.from(encodeKey(y), 'utf8'));
        expect(Math.sign(cmp)).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('range agrees with MemoryBackend on random keys, bounds, directions and limits (property)', async () => {
    const b = SqliteBackend.open(freshPath());
    // Code units around every boundary that matters: ASCII, NUL, below/at/above the surrogates, U+FFFF, astral.
    const unit = fc.constantFrom('\0', 'a', 'b', '/', 'é', '\ud7ff', '\ud800', '\udbff', '\udc00', '\ue000', '\uffff', '😀', '𝄞');
    const key = fc.string({ unit, maxLength: 4 });
    const op = fc.tuple(key, fc.option(fc.string({ maxLength: 3 }), { nil: null }));
    const query = fc.record({
      lo: key,
      hi: fc.option(key, { nil: undefined }),
      reverse: fc.boolean(),
      limit: fc.option(fc.integer({ min: -1, max: 6 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), fc.array(query, { minLength: 1, maxLength: 8 }), async (ops, queries) => {
        const mem = new MemoryBackend();
        // Start from an empty table.
        const old = b.range('xenstore', '', undefined).map(([k]) => ['xenstore', k, null] as [TableName, string, null]);
        if (old.length) await commitWrite(b, old);
        const changes = cs(ops.map(([k, v]) => ['xenstore', k, v === null ? null : JSON.stringify(v)]));
        mem.write(changes);
        await b.beginWrite({ waitMs: 1000 });
        b.write(changes);
        b.commit();
        for (const q of queries) {
          expect(b.range('xenstore', q.lo, q.hi, q)).toEqual(mem.range('xenstore', q.lo, q.hi, q));
        }
      }),
      { numRuns: 150 },
    );
    b.close();
  });
});

describe('SqliteBackend: transactions', () => {
  it('a Tx commits through the backend and is visible to another connection', async () => {
    const path = freshPath();
    const b = SqliteBackend.open(path);
    const other = SqliteBackend.open(path);
    await b.beginWrite({ waitMs: 1000 });
    const tx = Tx.over(b);
    tx.put('domains', '00001', { name: 'vm1' });
    const child = tx.child();
    child.put('names', 'vm1', 1);
    child.commit();
    tx.commit(b);
    expect(other.get('domains', '00001')).toBeUndefined(); // not yet committed
    b.commit();
    expect(JSON.parse(other.get('domains', '00001')!)).toEqual({ name: 'vm1' });
    expect(other.get('names', 'vm1')).toBe('1');
    b.close();
    other.close();
  });

  it('rollback discards the writes of a Tx; a failed write leaves the transaction as it was', async () => {
    const b = SqliteBackend.open(freshPath());
    await commitWrite(b, [['meta', 'host', '"before"']]);
    const seq = b.lastChangeSeq();
    await b.beginWrite({ waitMs: 1000 });
    const tx = Tx.over(b);
    tx.put('meta', 'host', 'after');
    tx.put('pools', '00000', { name: 'Pool-0' });
    tx.commit(b);
    expect(b.get('meta', 'host')).toBe('"after"'); // the transaction sees its own writes
    b.rollback();
    expect(b.get('meta', 'host')).toBe('"before"');
    expect(b.get('pools', '00000')).toBeUndefined();
    expect(b.lastChangeSeq()).toBe(seq);

    await b.beginWrite({ waitMs: 1000 });
    b.write(cs([['meta', 'x', '1']]));
    const bad: ChangeSet = new Map([['meta', new Map([['y', '2']])], ['bogus' as TableName, new Map([['z', '3']])]]);
    expect(() => b.write(bad)).toThrow(/unknown table/);
    expect(b.get('meta', 'y')).toBeUndefined(); // all or nothing
    expect(b.get('meta', 'x')).toBe('1');
    b.commit();
    expect(b.get('meta', 'x')).toBe('1');
    b.close();
  });

  it('a read transaction keeps one snapshot while another connection commits', async () => {
    const path = freshPath();
    const reader = SqliteBackend.open(path);
    const writer = SqliteBackend.open(path);
    await commitWrite(writer, [['meta', 'a', '1'], ['meta', 'b', '1']]);
    reader.beginRead();
    expect(reader.get('meta', 'a')).toBe('1');
    await commitWrite(writer, [['meta', 'a', '2'], ['meta', 'b', '2']]);
    expect(reader.get('meta', 'b')).toBe('1');
    expect(reader.range('meta', '', undefined)).toEqual([['a', '1'], ['b', '1']]);
    reader.commit();
    expect(reader.get('meta', 'b')).toBe('2');
    reader.close();
    writer.close();
  });

  it('misuse is an Error: write without beginWrite, two transactions, commit without one', async () => {
    const b = SqliteBackend.open(freshPath());
    expect(() => b.write(cs([['meta', 'x', '1']]))).toThrow(/no write transaction/);
    expect(() => b.commit()).toThrow(/no transaction/);
    b.rollback(); // harmless
    b.beginRead();
    expect(() => b.beginRead()).toThrow(/already open/);
    await expect(b.beginWrite({ waitMs: 0 })).rejects.toThrow(/already open/);
    expect(() => b.write(cs([['meta', 'x', '1']]))).toThrow(/no write transaction/);
    b.rollback();
    b.close();
    b.close(); // idempotent
  });

  it('a read-only backend reads and refuses to write', async () => {
    const path = freshPath();
    const w = SqliteBackend.open(path);
    await commitWrite(w, [['meta', 'host', '1']]);
    w.close();
    const before = statSync(path).mtimeMs;
    const r = SqliteBackend.open(path, { readonly: true });
    expect(r.get('meta', 'host')).toBe('1');
    await expect(r.beginWrite({ waitMs: 0 })).rejects.toMatchObject({ code: 'READ_ONLY' });
    r.close();
    expect(statSync(path).mtimeMs).toBe(before);
  });
});

describe('SqliteBackend: change log', () => {
  it('logs each changed (table, key) except in the log tables, once per key, in order of last change', async () => {
    const b = SqliteBackend.open(freshPath());
    expect(b.lastChangeSeq()).toBe(0);
    expect(b.changesSince(0)).toEqual({ seq: 0, changes: [], truncated: false });
    expect([...UNLOGGED_TABLES].sort()).toEqual(['events', 'listing', 'queue']);
    await commitWrite(b, [['domains', '00001', '{}'], ['events', '0000000000000001', '{}'], ['queue', 'q', '{}'], ['names', 'vm', '1']]);
    const s1 = b.lastChangeSeq();
    expect(s1).toBe(2);
    expect(b.changesSince(0)).toEqual({ seq: 2, changes: [['domains', '00001'], ['names', 'vm']], truncated: false });
    await commitWrite(b, [['domains', '00002', '{}'], ['names', 'vm', null]]);
    await commitWrite(b, [['domains', '00001', '{"x":1}'], ['xenstore', '\uffff😀', '1']]);
    expect(b.changesSince(s1)).toEqual({
      seq: 6,
      changes: [['domains', '00002'], ['names', 'vm'], ['domains', '00001'], ['xenstore', '\uffff😀']],
      truncated: false,
    });
    expect(b.changesSince(6)).toEqual({ seq: 6, changes: [], truncated: false });
    expect(b.changesSince(99).truncated).toBe(true); // a database that went back: re-read everything
    b.close();
  });

  it(`prunes the log to the newest ${CHANGE_LOG_LIMIT} rows and says when a reader fell behind`, async () => {
    const b = SqliteBackend.open(freshPath());
    const many: [TableName, string, string][] = [];
    for (let i = 0; i < CHANGE_LOG_LIMIT + 10; i++) many.push(['xenstore', `/k/${i}`, '1']);
    await commitWrite(b, many);
    await commitWrite(b, [['xenstore', '/last', '1']]);
    const last = CHANGE_LOG_LIMIT + 11;
    expect(b.lastChangeSeq()).toBe(last);
    const all = b.changesSince(0);
    expect(all.truncated).toBe(true);
    expect(all.changes.length).toBe(CHANGE_LOG_LIMIT);
    const recent = b.changesSince(last - CHANGE_LOG_LIMIT);
    expect(recent.truncated).toBe(false);
    expect(recent.changes.length).toBe(CHANGE_LOG_LIMIT);
    expect(b.changesSince(last - 2).changes).toEqual([['xenstore', `/k/${CHANGE_LOG_LIMIT + 9}`], ['xenstore', '/last']]);
    b.close();
  });
});

describe('SqliteBackend: errors name the file in one line', () => {
  it('a directory, a missing directory, a missing file opened read-only', () => {
    let e = storeErrorOf(() => SqliteBackend.open(work));
    expect(e.code).toBe('IS_DIRECTORY');
    expect(e.message).toBe(`${work}: is a directory, not a database file`);
    e = storeErrorOf(() => SqliteBackend.open(join(work, 'nope', 'x.db')));
    expect(e.code).toBe('MISSING');
    expect(e.message).toContain(join(work, 'nope', 'x.db'));
    e = storeErrorOf(() => SqliteBackend.open(join(work, 'absent.db'), { readonly: true }));
    expect(e.code).toBe('MISSING');
  });

  it('a file that is not a database, a foreign SQLite database, a newer schema', () => {
    const junk = freshPath();
    writeFileSync(junk, 'this is not a database\n'.repeat(100));
    let e = storeErrorOf(() => SqliteBackend.open(junk));
    expect(e.code).toBe('NOT_A_DATABASE');
    expect(e.message).toMatch(new RegExp(`^${junk.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(e.message).not.toContain('\n');

    const foreign = freshPath();
    new Database(foreign).exec('CREATE TABLE t (x)').close();
    e = storeErrorOf(() => SqliteBackend.open(foreign));
    expect(e.code).toBe('NOT_A_DATABASE');

    const newer = freshPath();
    SqliteBackend.open(newer).close();
    new Database(newer).pragma('user_version = 99');
    e = storeErrorOf(() => SqliteBackend.open(newer));
    expect(e.code).toBe('SCHEMA');
    expect(e.message).toContain('newer xlsim');
  });

  it('a schema-1 file (before the listing table) gets the new tables when opened for writing, keeping its rows', async () => {
    const path = freshPath();
    const b = SqliteBackend.open(path);
    await commitWrite(b, [['domains', '00001', '{"domid":1}'], ['names', 'vm', '1']]);
    b.close();
    const raw = new Database(path);
    raw.exec('DROP TABLE listing');
    raw.pragma('user_version = 1');
    raw.close();
    const ro = SqliteBackend.open(path, { readonly: true }); // a backup from that xlsim: read as it is
    expect(ro.tables()).toEqual(TABLES.filter((t) => t !== 'listing'));
    ro.beginRead();
    expect(ro.get('domains', '00001')).toBe('{"domid":1}');
    ro.rollback();
    ro.close();
    const rw = SqliteBackend.open(path);
    expect(rw.tables()).toEqual([...TABLES]);
    expect(new Database(path).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    rw.beginRead();
    expect(rw.get('names', 'vm')).toBe('1');
    expect(rw.range('listing', '', undefined)).toHaveLength(0);
    expect(rw.range('domains', '', undefined)).toHaveLength(1);
    rw.rollback();
    rw.close();
  });

  it('a corrupt database (SQLITE_CORRUPT)', async () => {
    const path = freshPath();
    const b = SqliteBackend.open(path);
    const rows: [TableName, string, string][] = [];
    for (let i = 0; i < 3000; i++) rows.push(['xenstore', `/local/domain/${i}`, JSON.stringify('v'.repeat(100))]);
    await commitWrite(b, rows);
    b.close(); // the last connection checkpoints: every page is in the main file
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    const garbage = Buffer.alloc(4096 * 4, 0xa5);
    for (let off = 4096 * 3; off + garbage.length < size; off += garbage.length * 2) writeSync(fd, garbage, 0, garbage.length, off);
    closeSync(fd);
    const e = storeErrorOf(() => {
      const c = SqliteBackend.open(path);
      try {
        c.range('xenstore', '', undefined);
        c.changesSince(0);
      } finally {
        c.close();
      }
    });
    expect(e.code).toBe('CORRUPT');
    expect(e.message).toBe(`${path}: the database is corrupt (SQLITE_CORRUPT)`);
  });
});

// ---------------------------------------------------------------------------------------
// Multi-process tests.

let childJs = '';

beforeAll(async () => {
  // Bundle the child with esbuild as CommonJS (it starts faster than an ES module); packages
  // stay where they are (required by absolute path), so it runs from a temporary directory
  // under plain `node`.
  const req = createRequire(join(root, 'package.json'));
  const outdir = join(work, 'child');
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(root, 'test/toolstack/fixtures/sqlite-child.ts')],
    outfile: join(outdir, 'sqlite-child.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'error', // import.meta is empty in CommonJS: the backend then lets better-sqlite3 find its addon
    plugins: [
      {
        name: 'absolute-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('node:') ? { external: true } : { path: req.resolve(a.path), external: true }));
        },
      },
    ],
  });
  chmodSync(work, 0o755);
  chmodSync(outdir, 0o755);
  childJs = join(outdir, 'sqlite-child.cjs');
});

/** The children's environment: without NODE_EXTRA_CA_CERTS, which costs every Node start tens of ms and no child uses. */
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS' && k !== 'NODE_OPTIONS'));

/** A running child: its stdout lines, a wait for a line, its exit. */
class Child {
  readonly lines: string[] = [];
  readonly proc: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderr = '';
  private waiters: { pred: (l: string) => boolean; resolve: (l: string) => void }[] = [];

  constructor(args: string[], opts: { uid?: number; gid?: number } = {}) {
    this.proc = spawn(process.execPath, [childJs, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: childEnv, ...opts });
    createInterface({ input: this.proc.stdout! }).on('line', (l) => {
      this.lines.push(l);
      for (const w of [...this.waiters]) {
        if (w.pred(l)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(l);
        }
      }
    });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the first stdout line (already printed or to come) matching `pred`; rejects if the child exits first. */
  waitFor(pred: string | ((l: string) => boolean)): Promise<string> {
    const p = typeof pred === 'string' ? (l: string) => l === pred : pred;
    const seen = this.lines.find(p);
    if (seen !== undefined) return Promise.resolve(seen);
    return Promise.race([
      new Promise<string>((resolve) => this.waiters.push({ pred: p, resolve })),
      this.exited.then((x) => {
        throw new Error(`child exited (${x.code ?? x.signal}) before printing the line awaited; stdout: ${this.lines.join(' | ')}; stderr: ${this.stderr}`);
      }),
    ]);
  }

  /** Exit code, or throws with the child's stderr when it crashed. */
  async code(): Promise<number | null> {
    const x = await this.exited;
    if (x.code === 1) throw new Error(`child failed: ${this.lines.join(' | ')} ${this.stderr}`);
    return x.code;
  }

  send(line: string): void {
    this.proc.stdin!.write(line + '\n');
  }
}

/** A fresh database holding meta/list = ['init'] and meta/a = meta/b = 0. */
async function seeded(): Promise<string> {
  const path = freshPath();
  const b = SqliteBackend.open(path);
  await commitWrite(b, [['meta', 'list', '["init"]'], ['meta', 'a', '0'], ['meta', 'b', '0']]);
  b.close();
  return path;
}

/** Checks SQLite's own integrity check and that meta/a = meta/b; returns a. */
function checkInvariants(path: string): number {
  const raw = new Database(path, { readonly: true });
  expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
  raw.close();
  const b = SqliteBackend.open(path);
  b.beginRead();
  const a = Number(b.get('meta', 'a'));
  expect(Number(b.get('meta', 'b'))).toBe(a);
  b.commit();
  b.close();
  return a;
}

describe('SqliteBackend: several processes', () => {
  it('50 parallel writers each append once: counter 50, ids distinct', async () => {
    const path = await seeded();
    const kids = Array.from({ length: 50 }, (_, i) => new Child(['append', path, `p${i}`]));
    const codes = await Promise.all(kids.map((k) => k.code()));
    expect(codes).toEqual(Array(50).fill(0));
    const b = SqliteBackend.open(path);
    expect(b.get('meta', 'counter')).toBe('50');
    const list = JSON.parse(b.get('meta', 'list')!) as string[];
    expect(list[0]).toBe('init');
    expect(new Set(list.slice(1))).toEqual(new Set(Array.from({ length: 50 }, (_, i) => `p${i}`)));
    expect(list.length).toBe(51);
    b.close();
  }, 60_000);

  it('processes creating the same new database at once all succeed', async () => {
    const path = freshPath();
    const kids = Array.from({ length: 12 }, (_, i) => new Child(['append', path, `p${i}`]));
    expect(await Promise.all(kids.map((k) => k.code()))).toEqual(Array(12).fill(0));
    const b = SqliteBackend.open(path);
    expect(b.get('meta', 'counter')).toBe('12');
    b.close();
  }, 60_000);

  it('a holder of the write lock makes writers wait, in order; readers see the old snapshot at once', async () => {
    const path = await seeded();
    const holder = new Child(['hold', path, 'holder']);
    await holder.waitFor('locked');

    // Readers: the committed state, without waiting for the holder (which waits for us).
    const r = SqliteBackend.open(path);
    expect(r.get('meta', 'list')).toBe('["init"]');
    r.beginRead();
    expect(r.range('meta', 'list', 'list\0')).toEqual([['list', '["init"]']]);
    r.commit();
    const ro = SqliteBackend.open(path, { readonly: true });
    expect(ro.get('meta', 'list')).toBe('["init"]');
    ro.close();

    // A short wait gives up with StoreBusyError; an aborted wait ends at once.
    let busy = 0;
    const err = await r.beginWrite({ waitMs: 30, onBusy: () => busy++ }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreBusyError);
    expect((err as StoreBusyError).message).toBe(`${path}: busy: another xlsim process is changing this host (waited 30 ms)`);
    expect(busy).toBe(1);
    const ac = new AbortController();
    const t0 = performance.now();
    const aborted = await r.beginWrite({ waitMs: 600_000, signal: ac.signal, onBusy: () => ac.abort() }).catch((e: unknown) => e);
    expect(aborted).toMatchObject({ code: 'ABORTED' });
    expect(performance.now() - t0).toBeLessThan(60_000); // far below waitMs: it did not wait it out
    expect(r.txState).toBe('none');

    // A waiter in another process, and one that SIGTERM interrupts.
    const waiter = new Child(['wait', path, 'waiter', '120000']);
    await waiter.waitFor('waiting');
    const quitter = new Child(['wait', path, 'quitter', '120000']);
    await quitter.waitFor('waiting');
    quitter.proc.kill('SIGTERM');
    expect(await quitter.code()).toBe(4);
    expect(quitter.lines).toContain('aborted');

    expect(r.get('meta', 'list')).toBe('["init"]');
    holder.send('commit');
    expect(await holder.code()).toBe(0);
    expect(await waiter.code()).toBe(0);
    expect(JSON.parse(r.get('meta', 'list')!)).toEqual(['init', 'holder', 'waiter']);
    expect(r.get('meta', 'counter')).toBe('2');
    r.close();
  }, 60_000);

  it('a process killed inside a write transaction leaves the database as before it', async () => {
    const path = await seeded();
    const kid = new Child(['killmid', path]);
    await kid.waitFor('written');
    kid.proc.kill('SIGKILL');
    expect((await kid.exited).signal).toBe('SIGKILL');
    expect(checkInvariants(path)).toBe(0);
    const b = SqliteBackend.open(path);
    expect(b.range('xenstore', '/killed/', '/killed0')).toEqual([]);
    await commitWrite(b, [['meta', 'a', '1'], ['meta', 'b', '1']]); // and it takes writes again
    b.close();
    expect(checkInvariants(path)).toBe(1);
  }, 30_000);

  it('a writer killed at arbitrary moments of a commit loop leaves every transaction whole', async () => {
    const path = await seeded();
    let committed = 0;
    // Deterministic choice of how many commits to let through before each kill.
    for (const after of [1, 7, 3, 12, 5]) {
      const kid = new Child(['loop', path]);
      const target = committed + after;
      await kid.waitFor((l) => l.startsWith('c ') && Number(l.slice(2)) >= target);
      kid.proc.kill('SIGKILL');
      await kid.exited;
      expect(kid.lines).not.toContain('BROKEN');
      const printed = Math.max(...kid.lines.filter((l) => l.startsWith('c ')).map((l) => Number(l.slice(2))));
      const a = checkInvariants(path);
      // Every commit it reported survived; at most the one in flight at the kill went further.
      expect(a).toBeGreaterThanOrEqual(printed);
      expect(a).toBeLessThanOrEqual(printed + 1);
      committed = a;
    }
  }, 60_000);

  it('a permission problem is a one-line PERMISSION error', async () => {
    const path = await seeded();
    if (process.getuid?.() === 0) {
      // root reads everything: ask an unprivileged child instead.
      chmodSync(path, 0o600);
      const kid = new Child(['open', path], { uid: 65534, gid: 65534 });
      expect(await kid.code()).toBe(2);
      expect(kid.lines[0]).toBe(`error PERMISSION ${path}: permission denied (cannot read and write the database file)`);
    } else {
      chmodSync(path, 0);
      const e = storeErrorOf(() => SqliteBackend.open(path));
      expect(e.code).toBe('PERMISSION');
      expect(e.message.startsWith(`${path}: permission denied`)).toBe(true);
    }
  }, 30_000);
});

// Every table in TABLES exists in a new database (sanity check of the schema).
it('creates one physical table per name in TABLES, plus the change log', () => {
  const path = freshPath();
  SqliteBackend.open(path).close();
  const raw = new Database(path, { readonly: true });
  const names = (raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[]).sort();
  expect(names).toEqual([...TABLES, 'changes'].sort());
  expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
  raw.close();
});
