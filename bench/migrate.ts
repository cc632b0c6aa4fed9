/**
 * `npm run bench`, issue 7's figures: `xl save`, `xl restore` and `xl migrate` of a
 * 4 GiB guest. Nothing is asserted here.
 *
 * 1. Whole `xlsim` processes against a state directory, on the wall clock, at the
 *    default modelled link of 1 GiB/s: the time a user waits, which is mostly the
 *    modelled transfer of 4 GiB (4.0 s) — the rest is xlsim's own cost.
 * 2. The same commands in one process over an in-memory host and a VirtualClock
 *    (nothing sleeps): xlsim's cost alone, and the modelled times it reports.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../src/machine/clock.js';
import type { XlEnv } from '../src/toolstack/io.js';
import { runXl } from '../src/toolstack/program.js';
import { HostStore } from '../src/toolstack/store.js';

const GUEST = 'name="big"\ntype="pvh"\nkernel="/boot/vmlinuz"\nmemory=4096\nvcpus=2\ndisk=["/dev/vg/big,raw,xvda,rw"]\nvif=["bridge=xenbr0"]\n';

function line(label: string, value: string): void {
  console.log(`${label.padEnd(62)} ${value}`);
}

/** Runs a whole xlsim process; returns its wall time (ms) and stderr; throws when it fails. */
function timed(xlsim: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; err: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [xlsim, ...args], { env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`xlsim ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, err: r.stderr };
}

/** The downtime xlsim's migration summary reports, ms. */
function downtime(err: string): string {
  return /downtime (\d+) ms/.exec(err)?.[1] ?? '?';
}

/** Runs the save/restore/migrate benchmarks, printing one line per figure. */
export async function runMigrateBench(root: string): Promise<void> {
  const xlsim = join(root, 'bin', 'xlsim');
  const dir = mkdtempSync(join(tmpdir(), 'xlsim-bench-migrate-'));
  try {
    const cfg = join(dir, 'big.cfg');
    writeFileSync(cfg, GUEST);
    const env: NodeJS.ProcessEnv = { ...process.env, XLSIM_HOME: join(dir, 'state'), XLSIM_HOSTS: join(dir, 'hosts') };
    delete env.XLSIM_LINK_MIBPS;
    timed(xlsim, ['create', '-q', cfg], env);
    // The guest must be up (its xenbus answers the suspend request): wait for its login prompt.
    for (let i = 0; i < 200; i++) {
      const r = spawnSync(process.execPath, [xlsim, 'console', 'big'], { env, encoding: 'utf8' });
      if (/login: $/.test(r.stdout)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const file = join(dir, 'big.save');
    const save = timed(xlsim, ['save', 'big', file], env);
    line('xlsim save of a 4 GiB guest (process, 1 GiB/s link)', `${(save.ms / 1000).toFixed(2)} s (modelled transfer 4.00 s)`);
    const restore = timed(xlsim, ['restore', file], env);
    line('xlsim restore of a 4 GiB guest (process, 1 GiB/s link)', `${(restore.ms / 1000).toFixed(2)} s (modelled transfer 4.00 s)`);
    const local = timed(xlsim, ['migrate', 'big', 'localhost'], env);
    line('xlsim migrate of a 4 GiB idle guest to localhost (process)', `${(local.ms / 1000).toFixed(2)} s, downtime ${downtime(local.err)} ms`);
    const away = timed(xlsim, ['migrate', 'big', 'hostb'], env);
    line('xlsim migrate of a 4 GiB idle guest to another host (process)', `${(away.ms / 1000).toFixed(2)} s, downtime ${downtime(away.err)} ms`);

    // In one process, virtual time: xlsim's own cost.
    const clock = new VirtualClock(Date.now());
    const store = HostStore.inMemory();
    let err = '';
    const xenv: XlEnv = {
      stdout: () => undefined, stderr: (s) => void (err += s), store, clock, isTTY: false,
      readFile: async () => ({ ok: true, bytes: new TextEncoder().encode(GUEST) }),
    };
    const run = async (args: string[]): Promise<{ ms: number; virtualMs: number }> => {
      err = '';
      const v0 = clock.now();
      const t0 = performance.now();
      const code = await runXl(args, xenv);
      const ms = performance.now() - t0;
      if (code !== 0) throw new Error(`${args.join(' ')} failed: ${err}`);
      return { ms, virtualMs: clock.now() - v0 };
    };
    await run(['create', '-q', 'big.cfg']);
    clock.advance(30_000);
    const vs = await run(['save', 'big', file]);
    const vr = await run(['restore', file]);
    const vm = await run(['migrate', 'big', 'localhost']);
    const vd = downtime(err);
    line('xlsim save, 4 GiB, in-process (virtual clock)', `${vs.ms.toFixed(1)} ms of CPU for ${(vs.virtualMs / 1000).toFixed(2)} s modelled`);
    line('xlsim restore, 4 GiB, in-process (virtual clock)', `${vr.ms.toFixed(1)} ms of CPU for ${(vr.virtualMs / 1000).toFixed(2)} s modelled`);
    line('xlsim migrate, 4 GiB, in-process (virtual clock)', `${vm.ms.toFixed(1)} ms of CPU for ${(vm.virtualMs / 1000).toFixed(2)} s modelled, downtime ${vd} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
