/**
 * Start-up cost of one-shot commands, the price a script pays per `xl` call: the wall
 * time of `xlsim list` (a host of 10 domains), `xlsim create -n <cfg>` (dry run) and
 * `xlsim check <cfg>` against `node -e 0`, run as whole processes with the built
 * `bin/xlsim`. Rounds are interleaved (node, list, create -n, check, node, …) and each
 * ratio is the median of per-round ratios, so a shared, busy machine moves both sides.
 * Targets (issue 7): list ≤ 1.3×, create -n ≤ 1.6×, check ≤ 1.6×.
 *
 * `NODE_EXTRA_CA_CERTS` is removed from the children's environment: node reads that file
 * at start-up, which would add the same constant to both sides and flatter the ratios.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One start-up figure: median wall time (ms) and median per-round ratio to `node -e 0`. */
export interface StartupFigure {
  label: string;
  ms: number;
  ratio: number;
  target: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Measures the start-up ratios with `root`'s built `bin/xlsim` over `rounds` interleaved
 * rounds; prints them and returns them. Throws if a command fails (exit status ≠ 0).
 */
export function runStartupBench(root: string, rounds = 21): StartupFigure[] {
  const home = mkdtempSync(join(tmpdir(), 'xlsim-bench-startup-'));
  const env: NodeJS.ProcessEnv = { ...process.env, XLSIM_HOME: join(home, 'xen') };
  delete env.NODE_EXTRA_CA_CERTS;
  const xlsim = join(root, 'bin', 'xlsim');
  const cfg = join(home, 'web.cfg');
  writeFileSync(
    cfg,
    'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 1024\nvcpus = 2\n' +
      'disk = [ "format=raw, vdev=xvda, access=rw, target=/dev/vg0/web" ]\nvif = [ "bridge=xenbr0" ]\n',
  );
  const time = (args: string[]): number => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return performance.now() - t0;
  };
  try {
    for (let i = 0; i < 10; i++) time([xlsim, 'create', '/dev/null', `name="bench${i}"`, 'memory=128', 'kernel="/boot/vmlinuz"']);
    const cases: [string, string[], number][] = [
      ['xlsim list (10 domains)', [xlsim, 'list'], 1.3],
      ['xlsim create -n web.cfg', [xlsim, 'create', '-n', cfg], 1.6],
      ['xlsim check web.cfg', [xlsim, 'check', cfg], 1.6],
    ];
    // One warm-up round fills the page cache and the code cache's file reads.
    time(['-e', '0']);
    for (const [, args] of cases) time(args);
    const base: number[] = [];
    const ms = cases.map(() => [] as number[]);
    const ratios = cases.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      const b = time(['-e', '0']);
      base.push(b);
      cases.forEach(([, args], i) => {
        const t = time(args);
        ms[i]!.push(t);
        ratios[i]!.push(t / b);
      });
    }
    const figures = cases.map(([label, , target], i) => ({ label, ms: median(ms[i]!), ratio: median(ratios[i]!), target }));
    console.log(`node -e 0                                ${median(base).toFixed(1).padStart(7)} ms (median of ${rounds})`);
    for (const f of figures) {
      const verdict = f.ratio <= f.target ? 'meets' : 'misses';
      console.log(`${f.label.padEnd(40)} ${f.ms.toFixed(1).padStart(7)} ms = ${f.ratio.toFixed(2)}× node -e 0 (${verdict} ≤ ${f.target}×)`);
    }
    return figures;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
