/**
 * End-to-end: the built `bin/xlsim` run as a user would, against a state directory in a
 * temp dir ($XLSIM_HOME), on the real wall clock.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/xlsim');
const EXAMPLE = join(ROOT, 'examples/etc-xen/mirage-unikernel.cfg');
let home: string;

function xlsim(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, XLSIM_HOME: home, CI: 'true' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function rowOf(out: string, name: string): string | undefined {
  return out.split('\n').find((l) => l.startsWith(`${name} `));
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'xlsim-e2e-'));
}, 120_000);

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('bin/xlsim', () => {
  it('lists Domain-0 on a fresh host', () => {
    const r = xlsim('list');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.startsWith('Name                                        ID   Mem VCPUs\tState\tTime(s)\nDomain-0                                     0  4096     4     ')).toBe(true);
  });

  it('creates, pauses, unpauses, shuts down and destroys domains', () => {
    const name = (/^name\s*=\s*"([^"]+)"/m.exec(readFileSync(EXAMPLE, 'utf8')) ?? [])[1]!;
    expect(xlsim('create', EXAMPLE)).toEqual({ code: 0, out: '', err: `Parsing config from ${EXAMPLE}\n` });
    let row = rowOf(xlsim('list').out, name);
    expect(row?.slice(40, 46)).toBe('     1');

    expect(xlsim('pause', name)).toEqual({ code: 0, out: '', err: '' });
    row = rowOf(xlsim('list', name).out, name);
    expect(row?.slice(63, 69)).toBe('--p---');
    expect(xlsim('unpause', name).code).toBe(0);
    expect(rowOf(xlsim('list', name).out, name)?.charAt(65)).toBe('-');

    const down = xlsim('shutdown', '-w', name);
    expect(down.code).toBe(0);
    expect(down.err).toBe('Shutting down domain 1\nWaiting for 1 domains\nDomain 1 has been shut down, reason code 0\n');

    expect(xlsim('create', '-q', '-p', EXAMPLE, 'name="second"').code).toBe(0);
    expect(xlsim('domid', 'second').out).toMatch(/^\d+\n$/);
    expect(xlsim('destroy', 'second')).toEqual({ code: 0, out: '', err: '' });
    expect(rowOf(xlsim('list').out, 'second')).toBeUndefined();
  });

  it('reports errors with xl\'s messages and exit codes, never a stack trace', () => {
    expect(xlsim('create', 'no-such.cfg')).toEqual({
      code: 3,
      out: '',
      err: 'Failed to read config file: no-such.cfg: No such file or directory\n',
    });
    expect(xlsim('pause', 'nosuch')).toEqual({ code: 1, out: '', err: 'nosuch is an invalid domain identifier (rc=-6)\n' });
    expect(xlsim('list', '-x')).toEqual({ code: 2, out: '', err: "option `x' not supported.\n" });
    expect(xlsim('frob')).toEqual({ code: 1, out: '', err: 'command not implemented\n' });
  });

  it('checks config files', () => {
    const bad = join(home, 'bad.cfg');
    writeFileSync(bad, 'name = "x"\nmemory = hvm\n');
    const r = xlsim('check', bad, EXAMPLE);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2:10: error: .* \\[XL002\\]\\n`));
    expect(xlsim('check', EXAMPLE).code).toBe(0);
    const json = JSON.parse(xlsim('check', '--format', 'json', bad).out) as Array<{ ok: boolean }>;
    expect(json[0]!.ok).toBe(false);
  });

  it('checks standard input given as `-`, reported as <stdin>', () => {
    const r = spawnSync(process.execPath, [BIN, 'check', '--format', 'gcc', '-'], {
      cwd: ROOT,
      env: { ...process.env, XLSIM_HOME: home },
      input: 'name = "x"\nmemroy = 512\nkernel = "/boot/vmlinuz"\n',
      encoding: 'utf8',
    });
    expect(r.stdout).toBe("<stdin>:2:1: warning: unknown key `memroy': xl silently ignores it; did you mean `memory'? [XL401]\n");
    expect(r.status).toBe(0);
  });

  it('reads $XLSIM_HOME/xl.conf for create, and fails on a broken one without a trace', () => {
    const conf = join(home, 'xl.conf');
    const web = join(home, 'xlconf-web.cfg');
    writeFileSync(web, 'name = "xlconf-web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 128\nvcpus = 2\nvif = [ "mac=00:16:3e:00:00:09" ]\n');
    try {
      writeFileSync(conf, 'vif.default.bridge = "br9"\nvm.cpumask = "0-1"\nautoballoon = "bogus"\n');
      const n = xlsim('create', '-n', web);
      expect(n.code).toBe(0);
      expect(n.err).toBe(`invalid autoballoon optionParsing config from ${web}\n`);
      const json = JSON.parse(n.out) as { nics: Array<{ bridge?: string }>; b_info: { vcpu_hard_affinity?: number[][] } };
      expect(json.nics[0]!.bridge).toBe('br9');
      expect(json.b_info.vcpu_hard_affinity).toEqual([
        [0, 1],
        [0, 1],
      ]);

      writeFileSync(conf, 'claim_mode = 0\nvif.default.bridge = = "x"\n');
      const r = xlsim('create', web);
      expect(r).toEqual({
        code: 1,
        out: '',
        err: `${conf}:2: config parsing error near \`=': syntax error, unexpected '=', expecting STRING or NUMBER or '['\nFailed to parse config file: Invalid argument\n`,
      });
      expect(rowOf(xlsim('list').out, 'xlconf-web')).toBeUndefined();
      expect(xlsim('list').err).toBe('');
    } finally {
      rmSync(conf, { force: true });
    }
  });

  it('explains a damaged host database and recovers with --reset, keeping it as the backup', () => {
    const db = join(home, 'host.db');
    rmSync(`${db}-wal`, { force: true });
    rmSync(`${db}-shm`, { force: true });
    writeFileSync(db, 'this is not a database, just text long enough to be read as a header..........................');
    const r = xlsim('list');
    expect(r.code).toBe(1);
    expect(r.err).toContain(db);
    expect(r.err).toContain("xlsim --reset");
    expect(r.err).not.toMatch(/\n\s+at /);
    const reset = xlsim('--reset');
    expect(reset.code).toBe(0);
    expect(reset.err).toContain(join(home, 'host.db.bak'));
    expect(xlsim('list').code).toBe(0);
  });

  it('refuses the state.json of an older xlsim with how to start again', () => {
    const other = mkdtempSync(join(tmpdir(), 'xlsim-old-'));
    try {
      writeFileSync(join(other, 'state.json'), '{"version":1,"state":{}}\n');
      const env = { ...process.env, XLSIM_HOME: other };
      const r = spawnSync(process.execPath, [BIN, 'list'], { env, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${join(other, 'state.json')} was written by an older xlsim`);
      expect(r.stderr).toContain("xlsim --reset");
      expect(spawnSync(process.execPath, [BIN, '--reset'], { env, encoding: 'utf8' }).status).toBe(0);
      expect(existsSync(join(other, 'state.json.bak'))).toBe(true);
      expect(spawnSync(process.execPath, [BIN, 'list'], { env, encoding: 'utf8' }).status).toBe(0);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('standard output and error of one-shot commands (toolstack/stdio.ts)', () => {
  it('writes stderr and stdout in the order the command wrote them, as xl does, into one pipe', () => {
    const cfg = join(home, 'order.cfg');
    writeFileSync(cfg, 'name = "order"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 128\n');
    // `sh -c '… 2>&1'`: one pipe behind both descriptors, as `xl create -n f 2>&1 | less` has.
    const r = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${BIN}" create -n "${cfg}" 2>&1`], {
      env: { ...process.env, XLSIM_HOME: home, CI: 'true' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith(`Parsing config from ${cfg}\n{\n    "c_info": {`)).toBe(true);
  });

  it.skipIf(!existsSync('/dev/full'))('ends with status 1 when its output cannot be written (> /dev/full), quick path or not', () => {
    const cfg = join(home, 'full.cfg');
    writeFileSync(cfg, 'name = "full"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 128\n');
    for (const quick of ['1', '0']) {
      for (const args of [['list'], ['create', '-n', cfg], ['info']]) {
        const r = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${BIN}" ${args.map((a) => `"${a}"`).join(' ')} > /dev/full`], {
          env: { ...process.env, XLSIM_HOME: home, CI: 'true', XLSIM_QUICK: quick },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect({ quick, args, status: r.status }).toEqual({ quick, args, status: 1 });
      }
    }
  });

  it('ends quietly with status 0 when the reader of its output has gone (xlsim list | head -0)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'list'], { env: { ...process.env, XLSIM_HOME: home, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the child has started: its first write(2) to standard output fails with EPIPE.
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (c, s) => done([c, s])));
    expect({ code, signal, err }).toEqual({ code: 0, signal: null, err: '' });
  });

  it('writes an output larger than a pipe holds whole, to a reader that starts only once the command is blocked on it', async () => {
    const cfg = join(home, 'many-keys.cfg');
    const long = 'with_a_long_name_'.repeat(6);
    writeFileSync(cfg, `name = "many"\nkernel = "/boot/vmlinuz"\nmemory = 128\n${Array.from({ length: 3000 }, (_, i) => `unknown_key_${i}_${long} = ${i}\n`).join('')}`);
    const direct = xlsim('check', cfg);
    // Far more than a pipe holds (64 KiB).
    expect(Buffer.byteLength(direct.out)).toBeGreaterThan(150_000);
    // A FIFO nobody reads yet: its 64 KiB fill up and the command's write(2) blocks.
    const { spawn, execFileSync } = await import('node:child_process');
    const { closeSync, constants, openSync, readSync } = await import('node:fs');
    const fifo = join(home, 'slow-reader.fifo');
    execFileSync('mkfifo', [fifo]);
    const rfd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const wfd = openSync(fifo, 'w');
    const child = spawn(process.execPath, [BIN, 'check', cfg], { env: { ...process.env, XLSIM_HOME: home, CI: 'true' }, stdio: ['ignore', wfd, 'ignore'] });
    closeSync(wfd);
    const closed = new Promise<number | null>((done) => child.on('close', done));
    // Observable: /proc/PID/syscall names the system call the command is blocked in and its
    // first argument: write(2) (1 on x86_64, 64 on aarch64) on descriptor 1.
    const blockedInWrite = (): boolean => {
      try {
        return /^(1|64) 0x1 /.test(readFileSync(`/proc/${child.pid}/syscall`, 'utf8'));
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 30_000;
    while (!blockedInWrite() && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect({ blocked: blockedInWrite(), exited: child.exitCode }).toEqual({ blocked: true, exited: null });
    // Now read it all: EAGAIN while the command is writing, 0 once it has closed its end.
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(65536);
    for (;;) {
      let n: number;
      try {
        n = readSync(rfd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    closeSync(rfd);
    expect(await closed).toBe(direct.code);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(direct.out);
  });
});
