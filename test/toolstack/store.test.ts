import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import type { XlEnv } from '../../src/toolstack/io.js';
import { runXl } from '../../src/toolstack/program.js';
import { HostStore, StoreError } from '../../src/toolstack/store.js';
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

describe('HostStore over a state directory', () => {
  it('creates the state on first use and keeps domains between processes', async () => {
    const home = join(dir, 'home');
    const clock = new VirtualClock(T0);
    expect((await xl(home, clock, ['create', '-q', join(dir, 'web.cfg')])).code).toBe(0);
    expect(await readdir(home)).toContain('state.json');
    clock.advance(5000);
    const r = await xl(home, clock, ['list', 'web']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[1]!.startsWith('web                                          1   ')).toBe(true);
  });
  it('a failed command leaves the state file byte for byte as it was', async () => {
    const home = join(dir, 'home');
    const clock = new VirtualClock(T0);
    await xl(home, clock, ['create', '-q', join(dir, 'web.cfg')]);
    const before = await readFile(join(home, 'state.json'), 'utf8');
    clock.advance(60_000);
    expect((await xl(home, clock, ['destroy', '0'])).code).toBe(1);
    expect((await xl(home, clock, ['create', join(dir, 'web.cfg')])).code).toBe(3);
    expect(await readFile(join(home, 'state.json'), 'utf8')).toBe(before);
    expect((await xl(home, clock, ['pause', 'web'])).code).toBe(0);
    expect(await readFile(join(home, 'state.json'), 'utf8')).not.toBe(before);
  });
  it('saves atomically: valid JSON and no temporary files left behind', async () => {
    const home = join(dir, 'home');
    const clock = new VirtualClock(T0);
    await xl(home, clock, ['create', '-q', join(dir, 'web.cfg')]);
    await xl(home, clock, ['pause', 'web']);
    expect((await readdir(home)).sort()).toEqual(['state.json']);
    const state = JSON.parse(await readFile(join(home, 'state.json'), 'utf8')) as unknown;
    expect(typeof state).toBe('object');
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
  it('gives up on a lock held by someone else with a clear message, exit 1', async () => {
    const home = join(dir, 'home');
    const clock = new VirtualClock(T0);
    await xl(home, clock, ['list']);
    const release = await lockfile.lock(join(home, 'state.json'), { realpath: false });
    try {
      const r = await xl(home, clock, ['list'], 300);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe(
        `xlsim: the state in ${home} is locked by another xlsim command (lock ${join(home, 'state.json')}.lock); try again when it has finished\n`,
      );
    } finally {
      await release();
    }
    expect((await xl(home, clock, ['list'])).code).toBe(0);
  });
  it('reports a corrupt state file by name with how to reset it, exit 1, and reset recovers', async () => {
    const home = join(dir, 'home');
    const clock = new VirtualClock(T0);
    await xl(home, clock, ['list']);
    const path = join(home, 'state.json');
    await writeFile(path, '{"version": 1, "host": ');
    const r = await xl(home, clock, ['list']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^xlsim: the state file ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is corrupt \\(.+\\); run 'xlsim --reset' or delete the file to start from a fresh host\\n$`));
    expect(r.err).not.toContain('    at ');
    await writeFile(path, '{"version": 999}');
    expect((await xl(home, clock, ['list'])).err).toContain('is corrupt');
    await HostStore.open(home).reset();
    expect((await xl(home, clock, ['list'])).code).toBe(0);
  });
  it('withHost rejects with StoreError when locked', async () => {
    const home = join(dir, 'home');
    const store = HostStore.open(home, { lockWaitMs: 200 });
    const clock = new VirtualClock(T0);
    await store.withHost(clock, async () => 0);
    const release = await lockfile.lock(join(home, 'state.json'), { realpath: false });
    try {
      await expect(store.withHost(clock, async () => 0)).rejects.toBeInstanceOf(StoreError);
    } finally {
      await release();
    }
  });
});

describe('a state directory that cannot be made', () => {
  it('creates missing parents, like mkdir -p', async () => {
    const home = join(dir, 'a', 'b', 'c');
    const r = await xl(home, new VirtualClock(T0), ['list']);
    expect(r.code).toBe(0);
    expect(await readdir(home)).toContain('state.json');
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
    const count = (): Promise<number> => store.withHost(clock, async (host) => host.listDomains().length);
    expect(await count()).toBe(1);
    const cfg = { c_info: { type: 'pvh' as const, name: 'x' }, b_info: { sched_params: {}, arch_arm: {}, arch_x86: {}, kernel: '/k', max_memkb: 65536, target_memkb: 65536 } };
    expect(await store.withHost(clock, async (host) => (host.createDomain(cfg), 1))).toBe(1);
    expect(await store.withHost(clock, async (host) => host.listDomains().length)).toBe(1);
    expect(await store.withHost(clock, async (host) => (host.createDomain(cfg), 0))).toBe(0);
    expect(await store.withHost(clock, async (host) => host.listDomains().length)).toBe(2);
  });
});
