/**
 * End-to-end: the host database under the real binary — many xlsim processes at once,
 * processes killed mid-command, inputs that must never block or crash, backups, host
 * descriptions and injected faults.
 */
import { spawn, spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/xlsim');
let home: string;
let cfg: string;

/** Without the machine-wide CA bundle every node start is ~60 ms cheaper. */
function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, XLSIM_HOME: home, CI: 'true' };
  delete e.NODE_EXTRA_CA_CERTS;
  return e;
}

function xlsim(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: env(), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Runs xlsim asynchronously; resolves with its exit code and output. */
function xlsimAsync(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: env() });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code, signal) => done({ code, signal, out, err }));
  });
}

function names(): string[] {
  const r = xlsim('list');
  expect(r.code, r.err).toBe(0);
  return r.out.split('\n').slice(1, -1).map((l) => l.split(/\s+/)[0]!);
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'xlsim-store-e2e-'));
  cfg = join(home, 'g.cfg');
  writeFileSync(cfg, 'type = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 64\nvcpus = 1\ndisk = [ "/dev/vg/g,raw,xvda,rw" ]\nvif = [ "bridge=xenbr0" ]\n');
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('many xlsim processes on one host', () => {
  it('50 parallel creates all succeed with distinct domids', async () => {
    expect(xlsim('list').code).toBe(0);
    const runs = await Promise.all(Array.from({ length: 50 }, (_, i) => xlsimAsync(['create', '-q', cfg, `name="p${i}"`])));
    for (const r of runs) expect(r.err).toBe('');
    expect(runs.map((r) => r.code)).toEqual(runs.map(() => 0));
    const list = xlsim('list').out.split('\n').slice(1, -1);
    const ids = list.map((l) => Number(l.split(/\s+/)[1]));
    expect(new Set(ids).size).toBe(51);
    expect(names().filter((n) => n.startsWith('p')).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `p${i}`).sort());
  }, 120_000);

  it('a process killed at any moment leaves the host loadable and either before or after its command', async () => {
    expect(xlsim('create', '-q', cfg, 'name="keep"').code).toBe(0);
    for (let round = 0; round < 12; round++) {
      const child = spawn(process.execPath, [BIN, 'create', '-q', cfg, `name="k${round}"`], { env: env(), stdio: 'ignore' });
      const closed = new Promise((r) => child.on('close', r));
      // Kill at a different point of its life each round: while loading, parsing, in the transaction …
      await new Promise((r) => setTimeout(r, 20 + round * 15));
      child.kill('SIGKILL');
      await closed;
      const r = xlsim('list');
      expect(r.code, r.err).toBe(0);
      const present = r.out.includes(`\nk${round} `);
      // Whole or nothing: a created domain has its devices and xenstore; a missing one left no trace.
      const blk = xlsim('block-list', `k${round}`);
      if (present) expect(blk.out).toMatch(/\n51712 /);
      else expect(blk.err).toBe(`k${round} is an invalid domain identifier\n`);
    }
    expect(names()).toContain('keep');
    expect(xlsim('create', '-q', cfg, 'name="after"').code).toBe(0);
  }, 120_000);

  it('SIGTERM ends a command waiting for the write lock at once, and the host is as it was', async () => {
    // Hold the write lock from a second connection in this process.
    const { SqliteBackend } = await import('../../src/toolstack/store/sqlite.js');
    expect(xlsim('list').code).toBe(0);
    const db = SqliteBackend.open(join(home, 'host.db'));
    await db.beginWrite({ waitMs: 0 });
    try {
      const child = spawn(process.execPath, [BIN, 'create', '-q', cfg, 'name="waiter"'], { env: env() });
      const closed = new Promise((r) => child.on('close', (c, s) => r([c, s])));
      let err = '';
      child.stderr.on('data', (b) => (err += b));
      // Observable: the child waits for the lock once it has the database open and sits in
      // its event loop (/proc/PID/syscall: epoll_pwait, 281 on x86_64, 22 on aarch64)
      // between two tries; give it the signal then.
      const dbPath = join(home, 'host.db');
      const waiting = (): boolean => {
        try {
          const fds = readdirSync(`/proc/${child.pid}/fd`);
          if (!fds.some((fd) => { try { return readlinkSync(`/proc/${child.pid}/fd/${fd}`) === dbPath; } catch { return false; } })) return false;
          return /^(281|22) /.test(readFileSync(`/proc/${child.pid}/syscall`, 'utf8'));
        } catch {
          return false;
        }
      };
      const deadline = Date.now() + 30_000;
      let seen = false;
      while (!(seen = waiting()) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect({ waiting: seen, exited: child.exitCode }).toEqual({ waiting: true, exited: null });
      child.kill('SIGTERM');
      const [code] = (await closed) as [number | null, string | null];
      expect(code).toBe(143);
      expect(err).toBe('');
    } finally {
      db.rollback();
      db.close();
    }
    expect(names()).toEqual(['Domain-0']);
  }, 60_000);
});

describe('inputs that must not block, crash or hold the lock', () => {
  it('a FIFO, /dev/zero and a file over 16 MiB are refused at once with a clear error, exit 3', () => {
    const fifo = join(home, 'fifo.cfg');
    execFileSync('mkfifo', [fifo]);
    const big = join(home, 'big.cfg');
    writeFileSync(big, Buffer.alloc(17 * 1024 * 1024, 0x23));
    expect(xlsim('create', fifo)).toEqual({ code: 3, out: '', err: `Failed to read config file: ${fifo}: is a FIFO (named pipe), not a regular file\n` });
    expect(xlsim('create', '/dev/zero')).toEqual({ code: 3, out: '', err: 'Failed to read config file: /dev/zero: is a device, not a regular file\n' });
    expect(xlsim('create', big)).toEqual({ code: 3, out: '', err: `Failed to read config file: ${big}: File too large (more than 16 MiB)\n` });
    expect(xlsim('check', fifo).code).toBe(2);
    // check is a linter: it reads what create refuses (up to 256 MiB) and says what is wrong
    // in it, here one long comment without its newline (libxlu's lexical error).
    const checked = xlsim('check', big);
    expect(checked.code).toBe(1);
    expect(checked.out).toMatch(/^.*big\.cfg:1:1: error: lexical error: .*a comment must end with a newline.*\[XL001\]\n$/);
    expect(names()).toEqual(['Domain-0']);
  }, 60_000);
});

describe('reset, backup and host descriptions', () => {
  it('--reset keeps the old host as a backup; host restore-backup brings it back', () => {
    expect(xlsim('create', '-q', cfg, 'name="old"').code).toBe(0);
    const reset = xlsim('--reset');
    expect(reset.code).toBe(0);
    expect(reset.err).toContain(join(home, 'host.db.bak'));
    expect(names()).toEqual(['Domain-0']);
    expect(xlsim('host', 'restore-backup').code).toBe(0);
    expect(names()).toEqual(['Domain-0', 'old']);
  }, 60_000);

  it('host init --host FILE starts a host from a description (two NUMA nodes)', () => {
    const desc = join(home, 'big.json');
    writeFileSync(desc, JSON.stringify({ cpus: { nodes: 2, sockets: 2, cores: 8, threads: 2 }, memory_mib: 262144, dom0: { memory_mib: 8192, vcpus: 8 }, hostname: 'xen01' }));
    const r = xlsim('host', 'init', '--host', desc);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('host xen01: 32 pCPUs in 2 node(s), 262144 MiB, Xen 4.20.0, credit2\n');
    const info = xlsim('info').out;
    expect(info).toMatch(/^nr_cpus\s+: 32$/m);
    expect(info).toMatch(/^nr_nodes\s+: 2$/m);
    const bad = join(home, 'bad.json');
    writeFileSync(bad, '{"cpus": {"nodes": 1, "sockets": 1, "cores": 2, "threads": 1}, "memory_mib": 4096}');
    expect(xlsim('host', 'init', '--host', bad)).toEqual({ code: 2, out: '', err: `xlsim host: ${bad}: host description: dom0 must be an object { memory_mib, vcpus }\n` });
  }, 60_000);

  it('host fault fail-creates makes the next create fail as libxl reports it, once', () => {
    expect(xlsim('host', 'fault', 'fail-creates', '1').code).toBe(0);
    const r = xlsim('create', '-q', cfg, 'name="f"');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/cannot make domain: -3\n$/);
    expect(xlsim('create', '-q', cfg, 'name="f"').code).toBe(0);
  }, 60_000);
});
