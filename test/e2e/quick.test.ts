/**
 * End-to-end: `xlsim list` is answered by dist/list.cjs alone when the host is settled,
 * `xlsim create -n FILE` and `xlsim check FILE` by dist/config.cjs, and anything else by
 * the full CLI. Shown with a copy of the package that has no CLI bundle: whatever needs
 * the CLI fails there with the "missing" message, so output there came from a quick path.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ROOT, sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
let lean: string;
beforeEach(() => {
  sb = sandbox('xlsim-e2e-quick-list-');
  // The package without dist/cli.cjs: bin/, the quick bundles and node_modules (better-sqlite3).
  lean = join(sb.root, 'lean');
  mkdirSync(join(lean, 'bin'), { recursive: true });
  mkdirSync(join(lean, 'dist'));
  for (const f of ['bin/xlsim', 'bin/package.json', 'dist/list.cjs', 'dist/config.cjs']) copyFileSync(join(ROOT, f), join(lean, f));
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
  expect(leanXlsim(['list'], { XLSIM_QUICK: '0' }).err).toMatch(/dist\/cli\.cjs is missing/);
});

it('a dry run and a check of config files run without the CLI bundle, as the full CLI runs them', () => {
  const cfg = join(sb.root, 'web.cfg');
  writeFileSync(cfg, 'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 512\nvcpus = 2\nvif = [ "bridge=xenbr0" ]\n');
  const bad = join(sb.root, 'bad.cfg');
  writeFileSync(bad, 'name = "bad"\nmemory = = 1\n');
  expect(sb.xlsim(['list']).code).toBe(0); // the host exists
  const noUuid = (s: string) => s.replace(/"uuid": "[0-9a-f-]{36}"/, '"uuid": U');
  for (const args of [['create', '-n', cfg], ['create', '-n', cfg, 'memory=256'], ['create', '-n', bad], ['check', cfg], ['check', cfg, bad]]) {
    const quick = leanXlsim(args);
    const full = sb.xlsim(args);
    expect({ args, code: quick.code, out: noUuid(quick.out), err: quick.err }).toEqual({ args, code: full.code, out: noUuid(full.out), err: full.err });
  }
  for (const args of [['create', cfg], ['check', '--strict', cfg], ['create', '-n', '-q', cfg]]) expect(leanXlsim(args).err).toMatch(/dist\/cli\.cjs is missing/);
});

it('the build leaves a code cache for each command line bin/xlsim gives one', () => {
  for (const name of ['all', 'list', 'create', 'check', 'quick-list', 'quick-config']) expect(existsSync(join(ROOT, 'dist', 'cache', `${name}.cache`))).toBe(true);
});
