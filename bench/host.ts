/**
 * `npm run bench`, the host part: the figures issue 6 asks for, each as a ratio or a
 * time measured in the same run on this machine. Nothing is asserted here.
 *
 * 1. Building a host of 1,000 running 2-vCPU guests through the create path (one process
 *    running `xl create` 1,000 times against a state directory, as a piped script does).
 * 2. `xlsim create` (a whole process) on that host vs on an empty host.
 * 3. Advancing the 1,000-domain host by one virtual second.
 * 4. `xlsim list` at 1,000 and at 10,000 domains vs `node -e 0`, and the peak RSS of
 *    `list` at 10,000. At 1,000 it is taken on the host at rest, before step 2's creates
 *    leave guests booting, and also through the full CLI, the path of a list with events
 *    due (bin/xlsim's quick list declines then).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock, WallClock } from '../src/machine/clock.js';
import { Host } from '../src/machine/host.js';
import { TABLES, Tx } from '../src/machine/tables.js';
import type { DomainConfig } from '../src/parser/libxl.js';
import { runXl } from '../src/toolstack/program.js';
import { HostStore } from '../src/toolstack/store.js';
import { SqliteBackend } from '../src/toolstack/store/sqlite.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * The child environment. NODE_EXTRA_CA_CERTS is removed: node reads that bundle at start-up
 * (~60 ms here), the same constant on both sides of a ratio, which would flatter it.
 */
function childEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XLSIM_HOME: home };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Wall time of one whole process, ms; throws when it fails. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

/**
 * Median wall time (ms) of each of `cases`' processes over `runs` interleaved rounds (one
 * process of each case per round, in order); `cases(i)` gives round i's argument lists and
 * environments. Throws when a process fails.
 */
function interleaved(runs: number, cases: (i: number) => [string[], NodeJS.ProcessEnv][]): number[] {
  const times: number[][] = [];
  for (let i = 0; i < runs; i++) {
    cases(i).forEach(([args, env], c) => (times[c] ??= []).push(timeProcess(args, env)));
  }
  return times.map(median);
}

/** Peak RSS of one whole process, KiB (read by a preloaded hook at exit). */
function peakRss(args: string[], env: NodeJS.ProcessEnv, dir: string): number {
  const hook = join(dir, 'rss-hook.cjs');
  writeFileSync(hook, "process.on('exit', () => require('fs').writeSync(2, `\\nXLSIM_RSS ${process.resourceUsage().maxRSS}\\n`));\n");
  const r = spawnSync(process.execPath, ['--require', hook, ...args], { env, encoding: 'utf8' });
  const m = /XLSIM_RSS (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no RSS from ${args.join(' ')}: ${r.stderr}`);
  return Number(m[1]);
}

function line(label: string, value: string): void {
  console.log(`${label.padEnd(62)} ${value}`);
}

const GUEST = 'type = "pvh"\nkernel = "/boot/vmlinuz-6.1.0-28-amd64"\nmemory = 16\nvcpus = 2\ndisk = [ "/dev/vg/g,raw,xvda,rw" ]\nvif = [ "bridge=xenbr0" ]\n';

/** A libxl config as xl builds it from GUEST (for building the 10,000-domain host through the machine API). */
function guest(name: string): DomainConfig {
  return {
    c_info: { type: 'pvh', name },
    b_info: { max_vcpus: 2, avail_vcpus: [0, 1], max_memkb: 2048, target_memkb: 2048, sched_params: {}, kernel: '/boot/vmlinuz', arch_arm: {}, arch_x86: {} },
    disks: [{ pdev_path: `/dev/vg/${name}`, vdev: 'xvda', backend: 'phy', format: 'raw', readwrite: 1 }],
    nics: [{ bridge: 'xenbr0' }],
  };
}

/** Runs the host benchmarks, printing one line per figure. */
export async function runHostBench(root: string): Promise<void> {
  const xlsim = join(root, 'bin', 'xlsim');
  const dir = mkdtempSync(join(tmpdir(), 'xlsim-bench-host-'));
  try {
    const cfg = join(dir, 'g.cfg');
    writeFileSync(cfg, GUEST);

    // 1. Build 1,000 running guests through the create path.
    const big = join(dir, 'big');
    const store = HostStore.open(big);
    const clock = new WallClock();
    const env = { stdout: () => undefined, stderr: (s: string) => void process.stderr.write(s), store, clock, isTTY: false };
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) {
      if ((await runXl(['create', '-q', cfg, `name="g${i}"`], env)) !== 0) throw new Error(`create g${i} failed`);
    }
    const built = (performance.now() - t0) / 1000;
    store.close();
    line('build 1,000 running 2-vCPU guests (xl create ×1000, one process)', `${built.toFixed(1)} s (target < 60 s)`);
    // Let the last guests finish booting, as a host that has been up a while.
    await new Promise((r) => setTimeout(r, 6000));

    // 4. xlsim list at 1,000 domains, on the host at rest (before step 2 adds guests that
    // are still booting): the quick path (src/toolstack/quick-list.ts). Then the same list
    // through the full CLI (XLSIM_QUICK=0), the path a list takes while events are due.
    const runs = 9;
    timeProcess([xlsim, 'list'], childEnv(big));
    const [base1k, list1k, full1k] = interleaved(runs, () => [
      [['-e', '0'], childEnv(big)],
      [[xlsim, 'list'], childEnv(big)],
      [[xlsim, 'list'], { ...childEnv(big), XLSIM_QUICK: '0' }],
    ]);
    line('xlsim list, 1,000 domains', `${list1k!.toFixed(1)} ms = ${(list1k! / base1k!).toFixed(2)}× node -e 0 (target ≤ 2×)`);
    line('  the same through the full CLI (events due)', `${full1k!.toFixed(1)} ms = ${(full1k! / base1k!).toFixed(2)}× node -e 0`);

    // 2. xlsim create on the 1,000-domain host vs on an empty host (whole processes).
    const empty = join(dir, 'empty');
    timeProcess([xlsim, 'list'], childEnv(empty));
    const [nodeMs, createEmpty, createBig] = interleaved(runs, (i) => [
      [['-e', '0'], childEnv(empty)],
      [[xlsim, 'create', '-q', cfg, `name="e${i}"`], childEnv(empty)],
      [[xlsim, 'create', '-q', cfg, `name="b${i}"`], childEnv(big)],
    ]);
    line('node -e 0', `${nodeMs!.toFixed(1)} ms (median of ${runs})`);
    line('xlsim create on an empty host', `${createEmpty!.toFixed(1)} ms`);
    line('xlsim create on a host of 1,000 running domains', `${createBig!.toFixed(1)} ms = ${(createBig! / createEmpty!).toFixed(2)}× empty (target ≤ 1.3×)`);

    // 3. Advance the 1,000-domain host by one virtual second (SQLite tables, one transaction).
    const db = SqliteBackend.open(join(big, 'host.db'));
    const adv: number[] = [];
    for (let i = 0; i < 30; i++) {
      db.beginRead();
      const tx = Tx.over(db);
      const h = Host.bind(tx, new VirtualClock(Date.now()));
      const now = h.now();
      h.advanceTo(Date.now()); // catch up first (boot events of the last guests)
      const from = Math.max(now, h.now());
      const a0 = performance.now();
      h.advanceTo(from + 1000);
      adv.push(performance.now() - a0);
      db.rollback();
    }
    db.close();
    line('advance the 1,000-domain host by one virtual second', `${median(adv).toFixed(2)} ms (median of 30; target < 5 ms)`);

    // 4. xlsim list at 10,000 domains (at 1,000: before step 2).
    // 10,000 paused guests, built through the machine's API and written into a database.
    const huge = join(dir, 'huge');
    const mem = Host.create(new VirtualClock(Date.now()), { totalMemoryMiB: 262144 });
    const b0 = performance.now();
    for (let i = 0; i < 10_000; i++) mem.createDomain(guest(`h${i}`), { paused: true });
    const builtHuge = (performance.now() - b0) / 1000;
    const hugeStore = HostStore.open(huge);
    await hugeStore.read(new VirtualClock(Date.now()), () => 0); // create the database
    hugeStore.close();
    const out = SqliteBackend.open(join(huge, 'host.db'));
    await out.beginWrite({ waitMs: 5000 });
    const rows = mem.exportTables();
    const changes = new Map(TABLES.map((t) => [t, new Map<string, string | null>()] as const));
    for (const t of TABLES) {
      for (const [k] of out.range(t, '', undefined)) changes.get(t)!.set(k, null);
      for (const [k, v] of rows[t]) changes.get(t)!.set(k, JSON.stringify(v));
    }
    out.write(changes);
    out.commit();
    out.close();
    line('(10,000 paused guests created through the host API in memory)', `${builtHuge.toFixed(1)} s`);
    const [base10k, list10k] = interleaved(5, () => [
      [['-e', '0'], childEnv(huge)],
      [[xlsim, 'list'], childEnv(huge)],
    ]);
    line('xlsim list, 10,000 domains', `${list10k!.toFixed(1)} ms = ${(list10k! / base10k!).toFixed(2)}× node -e 0 (target ≤ 4×)`);
    const rss = peakRss([xlsim, 'list'], childEnv(huge), dir);
    line('peak RSS of xlsim list, 10,000 domains', `${(rss / 1024).toFixed(0)} MiB (target < 200 MiB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
