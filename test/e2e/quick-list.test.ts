/**
 * End-to-end: `xlsim list` is answered by dist/list.cjs alone when the host is settled,
 * and by the full CLI otherwise. Shown with a copy of the package that has no CLI bundle:
 * whatever needs the CLI fails there with the "missing" message, so a list that prints
 * came from the quick path.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ROOT, sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
let lean: string;
beforeEach(() => {
  sb = sandbox('xlsim-e2e-quick-list-');
  // The package without dist/cli.cjs: bin/, dist/list.cjs and node_modules (better-sqlite3).
  lean = join(sb.root, 'lean');
  mkdirSync(join(lean, 'bin'), { recursive: true });
  mkdirSync(join(lean, 'dist'));
  for (const f of ['bin/xlsim', 'bin/package.json', 'dist/list.cjs']) copyFileSync(join(ROOT, f), join(lean, f));
  symlinkSync(join(ROOT, 'node_modules'), join(lean, 'node_modules'));
});
afterEach(() => sb.done());

function leanXlsim(args: string[], extra: NodeJS.ProcessEnv = {}): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(lean, 'bin', 'xlsim'), ...args], { env: sb.env(extra), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

it('a settled host is listed without the CLI bundle; anything else goes to the full CLI', () => {
  // No host yet: only the full CLI can create one.
  const first = leanXlsim(['list']);
  expect(first.code).toBe(1);
  expect(first.err).toMatch(/dist\/cli\.cjs is missing/);
  expect(first.out).toBe('');
  // The full package makes the host and a paused guest (nothing of it is queued to run).
  const cfg = join(sb.root, 'g.cfg');
  writeFileSync(cfg, 'name = "guest"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 256\nvcpus = 2\n');
  expect(sb.xlsim(['create', '-q', '-p', cfg]).code).toBe(0);
  const full = sb.xlsim(['list']);
  expect(full.code).toBe(0);
  const quick = leanXlsim(['list']);
  expect(quick.err).toBe('');
  expect(quick.code).toBe(0);
  // The same table (CPU times move with the wall clock; names, domids, memory, vCPUs and the paused state do not).
  const shape = (s: string) => s.split('\n').map((l) => l.replace(/[rb-]([p-][s-][-rscwS?][d-]) +\d+\.\d$/, '?$1'));
  expect(shape(quick.out)).toEqual(shape(full.out));
  expect(quick.out).toMatch(/^guest +1 +256 +2 +--p--- +0\.0$/m);
  // Any other command line, or the quick path turned off, needs the CLI.
  for (const args of [['list', '-v'], ['list', 'guest'], ['info']]) expect(leanXlsim(args).err).toMatch(/dist\/cli\.cjs is missing/);
  expect(leanXlsim(['list'], { XLSIM_QUICK_LIST: '0' }).err).toMatch(/dist\/cli\.cjs is missing/);
});
