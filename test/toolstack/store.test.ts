import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import type { XlEnv } from '../../src/toolstack/io.js';
import { runXl } from '../../src/toolstack/program.js';
import { HostStore } from '../../src/toolstack/store.js';
import { SqliteBackend } from '../../src/toolstack/store/sqlite.js';
import { T0 } from './helpers.js';

const WEB = 'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 512\n';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsim-store-'));
  await writeFile(join(dir, 'web.cfg'), WEB);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs a command line against a fresh HostStore over `home` (like a new xlsim process). */
async function xl(home: string, clock: VirtualClock, argv: string[], lockWaitMs?: number) {
  let out = '';
  let err = '';
  const env: XlEnv = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    store: HostStore.open(home, { lockWaitMs }),
    clock,
    isTTY: false,
  };
  const code = await runXl(argv, env);
  return { code, out, err };
}

/** Every row of the host in `home`, read without changing it. */
async function tables(home: string, clock: VirtualClock): Promise<unknown> {
  const store = HostStore.open(home);
  try {
    return await store.read(clock, (host) => host.exportTables());
  } finally {
    store.close();
  }
}

/** The change log position of the database in `home` (moves on every committed write). */
function changeSeq(home: string): number {
  const db = SqliteBackend.open(join(home, 'host.db'), { readonly: true });
  try {
    return db.lastChangeSeq();
  } finally {
    db.close();
  }
}

describe('HostStore over a state directory', () => {
  it('creates the host database on first use and keeps domains between processes', async () => {
    const home = join(dir, 'home');
    const clock = new VirtualClock(T0);
    expect((await xl(home, clock, ['create', '-q', join(dir, 'web.cfg')])).code).toBe(0);
    expect(await readdir(home)).toContain('host.db');
    clock.advance(5000);
    const r = await xl(home, clock, ['list', 'web']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[1]!.startsWith('web                                          1   ')).toBe(true);
  });
  it('a failed command leaves the host exactly as it was; read-only commands write nothing', async () => {
    const home = join(dir, 'home');
    const clock = new VirtualClock(T0);
    await xl(home, clock, ['create', '-q', join(dir, 'web.cfg')]);
    clock.advance(60_000);
    await xl(home, clock, ['pause', 'web']);
    const seq = changeSeq(home);
    const before = await tables(home, new VirtualClock(T0 + 61_000));
    clock.advance(1_000);
    expect((await xl(home, clock, ['destroy', '0'])).code).toBe(1);
    expect((await xl(home, clock, ['create', join(dir, 'web.cfg')])).code).toBe(3);
    for (const argv of [['list'], ['list', '-l'], ['vcpu-list'], ['info'], ['uptime'], ['vm-list'], ['block-list', 'web'], ['dmesg']]) {
      expect((await xl(home, clock, argv)).code).toBe(0);
    }
    expect(changeSeq(home)).toBe(seq);
    const after = await tables(home, new VirtualClock(T0 + 61_000));
    expect(after).toEqual(before);
    expect((await xl(home, clock, ['unpause', 'web'])).code).toBe(0);
    expect(changeSeq(home)).toBeGreaterThan(seq);
  });
  it('a read that ran due events saves them when the database is idle: the same host a writer would have made, never while busy', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const clock = new VirtualClock(T0);
    expect((await xl(a, clock, ['create', '-q', join(dir, 'web.cfg')])).code).toBe(0);
    await cp(a, b, { recursive: true }); // the same host, twice
    // The guest boots over the next seconds: a list then runs its boot events.
    clock.advance(20_000);
    const seqA = changeSeq(a);
    const busy = SqliteBackend.open(join(a, 'host.db'));
    await busy.beginWrite({ waitMs: 0 });
    try {
      // Another process holds the lock: the list answers at once and writes nothing.
      expect((await xl(a, clock, ['list'], 300)).code).toBe(0);
    } finally {
      busy.rollback();
      busy.close();
    }
    expect(changeSeq(a)).toBe(seqA);
    // Idle: the list saves the boot it ran; a second list at the same time has nothing to save.
    expect((await xl(a, clock, ['list'])).code).toBe(0);
    const saved = changeSeq(a);
    expect(saved).toBeGreaterThan(seqA);
    expect((await xl(a, clock, ['list'])).code).toBe(0);
    expect(changeSeq(a)).toBe(saved);
    // Host a (saved by its reader) and host b (never read) are the same host later on.
    const later = T0 + 25_000;
    expect(await tables(a, new VirtualClock(later))).toEqual(await tables(b, new VirtualClock(later)));
  });
  it('serialises concurrent commands on the same directory (no lost update)', async () => {
    const home = join(dir, 'home');
    const clock = new VirtualClock(T0);
    const cfg = join(dir, 'web.cfg');
    const results = await Promise.all([
      xl(home, clock, ['create', '-q', cfg, 'name="a"']),
      xl(home, clock, ['create', '-q', cfg, 'name="b"']),
      xl(home, clock, ['create', '-q', cfg, 'name="c"']),
    ]);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    const names = (await xl(home, clock, ['list'])).out.split('\n').slice(1, -1).map((l) => l.split(' ')[0]).sort();
    expect(names).toEqual(['Domain-0', 'a', 'b', 'c']);
  });
  it('waits for a writer in another connection, then gives up with a clear message, exit 1; readers never wait', async () => {
    const home = join(dir, 'home');
    const clock = new VirtualClock(T0);
    await xl(home, clock, ['list']);
    const other = SqliteBackend.open(join(home, 'host.db'));
    await other.beginWrite({ waitMs: 0 });
    try {
      expect((await xl(home, clock, ['list'], 300)).code).toBe(0);
      const r = await xl(home, clock, ['pause', '0'], 300);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe(`xlsim: the host in ${home} is busy: another xlsim command held it for 0 s; try again when it has finished\n`);
    } finally {
      other.rollback();
      other.close();
    }
    expect((await xl(home, clock, ['create', '-q', join(dir, 'web.cfg')])).code).toBe(0);
  });
  it('reports a damaged database by name with how to reset it, exit 1; reset keeps it as the backup', async () => {
    const home = join(dir, 'home');
    const clock = new VirtualClock(T0);
    await xl(home, clock, ['list']);
    const path = join(home, 'host.db');
    for (const f of ['-wal', '-shm']) await rm(`${path}${f}`, { force: true });
    await writeFile(path, 'x'.repeat(4096));
    const r = await xl(home, clock, ['list']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(path);
    expect(r.err).toContain("run 'xlsim --reset'");
    expect(r.err).not.toContain('    at ');
    expect(await HostStore.open(home).reset(clock)).toBe(join(home, 'host.db.bak'));
    expect((await xl(home, clock, ['list'])).code).toBe(0);
  });
  it('reset keeps the previous host as a backup that restoreBackup brings back (and swaps again)', async () => {
    const home = join(dir, 'home');
    const clock = new VirtualClock(T0);
    await xl(home, clock, ['create', '-q', join(dir, 'web.cfg')]);
    const store = HostStore.open(home);
    expect(await store.reset(clock)).toBe(join(home, 'host.db.bak'));
    const names = async (): Promise<string[]> => (await xl(home, clock, ['list'])).out.split('\n').slice(1, -1).map((l) => l.split(' ')[0]!);
    expect(await names()).toEqual(['Domain-0']);
    await store.restoreBackup();
    expect(await names()).toEqual(['Domain-0', 'web']);
    await store.restoreBackup();
    expect(await names()).toEqual(['Domain-0']);
    store.close();
  });
  it('restoreBackup without a backup says how to make one', async () => {
    const home = join(dir, 'home');
    await xl(home, new VirtualClock(T0), ['list']);
    await expect(HostStore.open(home).restoreBackup()).rejects.toThrow(/there is no backup to restore/);
  });
});

describe('a state directory that cannot be made', () => {
  it('creates missing parents, like mkdir -p', async () => {
    const home = join(dir, 'a', 'b', 'c');
    const r = await xl(home, new VirtualClock(T0), ['list']);
    expect(r.code).toBe(0);
    expect(await readdir(home)).toContain('host.db');
  });

  it('fails at once with the reason, exit 1, under a file or in /proc (where Node 20 mkdir -p spins)', async () => {
    for (const home of [join(dir, 'web.cfg', 'home'), '/proc/xlsim-no-such-dir']) {
      const r = await xl(home, new VirtualClock(T0), ['list']);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`^xlsim: cannot create the state directory ${home.replace(/[.]/g, '\\.')}: E(NOTDIR|NOENT)`));
    }
  });
});

describe('in-memory HostStore', () => {
  it('rolls the host back when the command fails', async () => {
    const store = HostStore.inMemory();
    const clock = new VirtualClock(T0);
    await store.withHost(clock, async () => 0);
    const count = (): Promise<number> => store.read(clock, (host) => host.listDomains().length);
    expect(await count()).toBe(1);
    const cfg = { c_info: { type: 'pvh' as const, name: 'x' }, b_info: { sched_params: {}, arch_arm: {}, arch_x86: {}, kernel: '/k', max_memkb: 65536, target_memkb: 65536 } };
    expect(await store.withHost(clock, async (host) => (host.createDomain(cfg), 1))).toBe(1);
    expect(await count()).toBe(1);
    expect(await store.withHost(clock, async (host) => (host.createDomain(cfg), 0))).toBe(0);
    expect(await count()).toBe(2);
  });
});
