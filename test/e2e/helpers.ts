/**
 * What end-to-end tests need to run the built `bin/xlsim` as a user would: a throw-away
 * state directory, the binary run to completion or started in the background, `xlsim list`
 * read back, and polling for an observable condition (real time; tests never assert on
 * durations).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The package root and its binary. */
export const ROOT = resolve(__dirname, '../..');
export const BIN = join(ROOT, 'bin/xlsim');

/** A temporary root with the host's state directory `state` in it; `done()` removes it. */
export interface Sandbox {
  root: string;
  state: string;
  /** The environment a command gets: this sandbox's host, no inherited xlsim settings, then `extra`. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Runs `xlsim args…` to completion (at most 60 s). */
  xlsim(args: string[], extra?: NodeJS.ProcessEnv): { code: number; out: string; err: string };
  /** Starts `xlsim args…` in the background, collecting its output. */
  start(args: string[], extra?: NodeJS.ProcessEnv): Background;
  /** `xlsim list` as name → [domid, state]. */
  list(extra?: NodeJS.ProcessEnv): Record<string, [number, string]>;
  done(): void;
}

/** A background `xlsim`: its process, output so far, and its exit. */
export interface Background {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  /** Resolves with the exit code (128 + n for a signal). */
  exited: Promise<number>;
}

/** Makes a sandbox under the system's temporary directory (`prefix` names it). */
export function sandbox(prefix: string): Sandbox {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const state = join(root, 'state');
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, XLSIM_HOME: state, HOME: root, CI: 'true' };
    for (const k of ['NODE_EXTRA_CA_CERTS', 'XLSIM_HOSTS', 'XLSIM_LINK_MIBPS', 'XLSIM_DEVD_DAEMON', 'XLSIM_QUICK']) delete e[k];
    return Object.assign(e, extra);
  };
  const xlsim = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { env: env(extra), encoding: 'utf8', timeout: 60_000 });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  };
  return {
    root, state, env, xlsim,
    start(args, extra = {}) {
      const child = spawn(process.execPath, [BIN, ...args], { env: env(extra) });
      let out = '';
      let err = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const exited = new Promise<number>((done) => child.on('close', (code, signal) => done(code ?? 128 + (signal === 'SIGTERM' ? 15 : signal === 'SIGINT' ? 2 : 9))));
      return { child, out: () => out, err: () => err, exited };
    },
    list(extra = {}) {
      const r = xlsim(['list'], extra);
      if (r.code !== 0) throw new Error(`xlsim list: ${r.err}`);
      return Object.fromEntries(r.out.split('\n').slice(1, -1).map((l) => {
        const f = l.split(/\s+/);
        return [f[0]!, [Number(f[1]), f[4]!]];
      }));
    },
    done: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Polls `cond` until it holds (real time, at most `ms`); throws `what` otherwise. */
export async function until(cond: () => boolean, ms = 30_000, what = 'condition never held'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(what);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Whether process `pid` is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
