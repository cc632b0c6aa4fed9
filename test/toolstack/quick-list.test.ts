/**
 * The quick `xlsim list` (src/toolstack/quick-list.ts) against the full command: on the
 * same state directory at the same time it prints exactly the same bytes, or declines
 * (returns undefined, prints nothing) when the full path would have to do more than read.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import type { XlEnv } from '../../src/toolstack/io.js';
import { runXl } from '../../src/toolstack/program.js';
import { quickList } from '../../src/toolstack/quick-list.js';
import type { TableName } from '../../src/machine/tables.js';
import { HostStore } from '../../src/toolstack/store.js';
import { SqliteBackend } from '../../src/toolstack/store/sqlite.js';
import { T0 } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xlsim-quick-list-'));
  writeFileSync(join(dir, 'pv.cfg'), 'name = "pv"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 512\nvcpus = 2\n');
  writeFileSync(join(dir, 'hvm.cfg'), 'name = "hvm"\ntype = "hvm"\nmemory = 1024\nvcpus = 4\nmaxvcpus = 6\n');
  writeFileSync(join(dir, 'pvh.cfg'), 'name = "pvh"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 256\nvcpus = 1\non_poweroff = "preserve"\n');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a command line as a new xlsim process would, at virtual time `t`. */
async function xl(home: string, t: number, argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const store = HostStore.open(home);
  const env: XlEnv = { stdout: (s) => void (out += s), stderr: () => undefined, store, clock: new VirtualClock(t), isTTY: false };
  try {
    return { code: await runXl(argv, env), out };
  } finally {
    store.close();
  }
}

/** The quick list of `home` at `t`: its status and what it printed. */
function quick(home: string, t: number): { code: number | undefined; out: string } {
  let out = '';
  const code = quickList(home, t, (b) => void (out += Buffer.from(b).toString('utf8')));
  return { code, out };
}

/** The quick list at `t`, which must answer, and the full list at the same time: their outputs. */
async function both(home: string, t: number): Promise<[string, string]> {
  const q = quick(home, t);
  expect(q.code).toBe(0);
  const full = await xl(home, t, ['list']);
  expect(full.code).toBe(0);
  return [q.out, full.out];
}

/** The first time at or after `t` when the quick path answers (the full list runs what is due first). */
async function settle(home: string, t: number): Promise<number> {
  for (let i = 0; i < 100 && quick(home, t).code === undefined; i++) {
    await xl(home, t, ['list']);
    t += 1000;
  }
  return t;
}

describe('quick list', () => {
  it('prints what `xl list` prints for PV, PVH and HVM guests running, paused, shut down and resized, at any later time', async () => {
    const home = join(dir, 'home');
    let t = T0;
    for (const cfg of ['pv.cfg', 'hvm.cfg', 'pvh.cfg']) expect((await xl(home, t, ['create', '-q', join(dir, cfg)])).code).toBe(0);
    expect((await xl(home, t, ['create', '-q', join(dir, 'pv.cfg'), 'name="gr\u00fcn-\u65e5\u672c"'])).code).toBe(0);
    t = await settle(home, t + 30_000);
    expect((await xl(home, t, ['pause', 'hvm'])).code).toBe(0);
    expect((await xl(home, t, ['vcpu-set', 'hvm', '6'])).code).toBe(0);
    expect((await xl(home, t, ['mem-set', 'pv', '300m'])).code).toBe(0);
    expect((await xl(home, t, ['shutdown', 'pvh'])).code).toBe(0);
    t = await settle(home, t + 60_000);
    const list = quick(home, t).out;
    expect(list).toMatch(/^hvm +2 +10\d\d +6 +--p--- +\d+\.\d$/m);
    expect(list).toMatch(/^pvh +3 +256 +1 +---s-- +\d+\.\d$/m);
    expect(list).toMatch(/^gr\u00fcn-\u65e5\u672c +4 /m);
    for (const later of [t, t + 1, t + 99, t + 4_321, t + 86_400_000]) {
      const [q, full] = await both(home, later);
      expect(q).toBe(full);
    }
  });

  it('agrees with the full list after any sequence of commands, or declines', async () => {
    const home = join(dir, 'home');
    const steps: string[][] = [
      ['create', '-q', join(dir, 'pv.cfg')], ['create', '-q', join(dir, 'hvm.cfg')], ['create', '-q', join(dir, 'pvh.cfg')],
      ['create', '-q', '-p', join(dir, 'pv.cfg'), 'name="held"'], ['pause', 'pv'], ['unpause', 'pv'], ['destroy', 'hvm'],
      ['shutdown', 'pvh'], ['reboot', 'pv'], ['vcpu-set', 'pv', '1'], ['vcpu-pin', 'pv', 'all', '0'], ['mem-set', 'held', '128m'],
      ['sched-credit2', '-d', 'pv', '-w', '64'], ['cpupool-cpu-remove', 'Pool-0', '6,7'], ['cpupool-create', 'name="batch"', 'cpus="6-7"'],
      ['cpupool-migrate', 'held', 'batch'], ['sysrq', 'pv', 'c'], ['trigger', 'hvm', 'power'],
    ];
    let answered = 0;
    let ok = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: steps.length - 1 }), fc.integer({ min: 0, max: 20_000 })), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        async (script, gap) => {
          rmSync(home, { recursive: true, force: true });
          let t = T0;
          for (const [i, dt] of script) {
            t += dt;
            if ((await xl(home, t, steps[i]!)).code === 0) ok++;
          }
          const at = t + gap;
          const q = quick(home, at);
          if (q.code === undefined) {
            expect(q.out).toBe('');
          } else {
            answered++;
            expect(q.out).toBe((await xl(home, at, ['list'])).out);
          }
        },
      ),
      { numRuns: 40, seed: 4242 },
    );
    // Not vacuous: most runs were answered, and the commands did things.
    expect(answered).toBeGreaterThan(10);
    expect(ok).toBeGreaterThan(40);
  });

  it('a host of the previous layout (no listing rows): declines, and the first full list stores the upgrade, then agrees', async () => {
    const home = join(dir, 'home');
    for (const cfg of ['pv.cfg', 'hvm.cfg']) expect((await xl(home, T0, ['create', '-q', join(dir, cfg)])).code).toBe(0);
    const t = await settle(home, T0 + 30_000);
    const before = quick(home, t).out;
    const db = SqliteBackend.open(join(home, 'host.db'));
    await db.beginWrite({ waitMs: 1000 });
    const meta = JSON.parse(db.get('meta', 'host')!) as { schema: number };
    const listing = db.range('listing', '', undefined);
    expect(listing).toHaveLength(3);
    db.write(new Map<TableName, Map<string, string | null>>([
      ['meta', new Map([['host', JSON.stringify({ ...meta, schema: 4 })]])],
      ['listing', new Map(listing.map(([k]) => [k, null]))],
    ]));
    db.commit();
    db.close();
    expect(quick(home, t)).toEqual({ code: undefined, out: '' });
    expect((await xl(home, t, ['list'])).out).toBe(before);
    expect(quick(home, t)).toEqual({ code: 0, out: before });
  });

  it('declines, printing nothing and creating nothing, where the full command has more to do than read', async () => {
    // No state directory yet: the full command creates the host.
    const none = join(dir, 'none');
    expect(quick(none, T0)).toEqual({ code: undefined, out: '' });
    expect(existsSync(none)).toBe(false);
    // A guest whose boot is still queued: the full command runs it first.
    const home = join(dir, 'home');
    expect((await xl(home, T0, ['create', '-q', join(dir, 'pv.cfg')])).code).toBe(0);
    expect(quick(home, T0 + 5_000)).toEqual({ code: undefined, out: '' });
    const t = await settle(home, T0 + 5_000);
    expect(quick(home, t).code).toBe(0);
    // A host of another layout version: the full command upgrades or refuses it.
    const db = SqliteBackend.open(join(home, 'host.db'));
    await db.beginWrite({ waitMs: 1000 });
    const meta = JSON.parse(db.get('meta', 'host')!) as { schema: number };
    db.write(new Map([['meta', new Map([['host', JSON.stringify({ ...meta, schema: meta.schema + 1 })]])]]));
    db.commit();
    db.close();
    expect(quick(home, t)).toEqual({ code: undefined, out: '' });
    // Not a database at all: the full command reports it.
    const junk = join(dir, 'junk');
    rmSync(junk, { recursive: true, force: true });
    mkdirSync(junk);
    writeFileSync(join(junk, 'host.db'), 'not a database\n'.repeat(100));
    expect(quick(junk, t)).toEqual({ code: undefined, out: '' });
  });
});
