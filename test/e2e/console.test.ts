/**
 * End-to-end: `xlsim dmesg`, `xlsim console` and `xlsim create -c` from the built
 * `bin/xlsim`, against a state directory in a temp dir, on the real wall clock, with
 * standard input piped (no terminal), as a script or CI job runs them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/xlsim');
const DEBIAN = join(ROOT, 'examples/etc-xen/debian-pv.cfg');
const MIRAGE = join(ROOT, 'examples/etc-xen/mirage-unikernel.cfg');
let home: string;

function env(): NodeJS.ProcessEnv {
  return { ...process.env, XLSIM_HOME: home, CI: 'true' };
}

function xlsim(args: string[], input = ''): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: env(), input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Starts xlsim with stdin kept open; resolves the exit code and output once it exits. */
function start(args: string[]) {
  return startIn([process.execPath, BIN, ...args]);
}

/** Starts `argv` with stdin kept open (util-linux `script` for a pty); see `start`. */
function startIn(argv: string[]) {
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const done = new Promise<{ code: number | null; out: string; err: string }>((res) =>
    child.on('close', (code) => res({ code, out, err })),
  );
  const waitFor = async (text: string, ms = 20_000): Promise<void> => {
    const until = Date.now() + ms;
    while (!out.includes(text)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(out)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, done, waitFor, get out() { return out; } };
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'xlsim-e2e-console-'));
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('bin/xlsim dmesg and console', () => {
  it('dmesg prints the Xen boot log; dmesg -c clears it', () => {
    const r = xlsim(['dmesg']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n')[1]).toMatch(/^\(XEN\) Xen version 4\.20\.0 /);
    expect(r.out).toContain('(XEN) Dom0 has maximum 4 VCPUs\n');
    expect(xlsim(['dmesg', '-c']).out).toBe(r.out);
    expect(xlsim(['dmesg'])).toEqual({ code: 0, out: '', err: '' });
  });

  it('console with stdin piped prints the boot log so far and exits 0 at end of input', () => {
    expect(xlsim(['create', DEBIAN]).code).toBe(0);
    const r = xlsim(['console', 'debian-pv']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^\[ {4}0\.0\d{5}\] Linux version /);
    expect(r.out).toContain('Hypervisor detected: Xen PV\r\n');
  });

  it('console follows live output and detaches on a piped Ctrl-]', async () => {
    expect(xlsim(['create', MIRAGE]).code).toBe(0);
    const c = start(['console', 'mirage-www']);
    await c.waitFor('mirage-www: ready');
    c.child.stdin.write('\x1d');
    const r = await c.done;
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.startsWith('Xen Minimal OS (pvh)!\r\n')).toBe(true);
  });

  it('a following console exits 0 when another xlsim destroys the domain', async () => {
    const c = start(['console', 'debian-pv']);
    await c.waitFor('Linux version');
    expect(xlsim(['destroy', 'debian-pv']).code).toBe(0);
    const r = await c.done;
    expect(r.code).toBe(0);
    c.child.stdin.end();
  });

  it('create -c attaches the console to the new domain', () => {
    const r = xlsim(['create', '-c', MIRAGE, 'name="mirage-two"']);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`Parsing config from ${MIRAGE}\n`);
    expect(r.out.startsWith('Xen Minimal OS (pvh)!\r\n')).toBe(true);
    expect(xlsim(['list', 'mirage-two']).code).toBe(0);
  });

  it.runIf(hasScript)('on a terminal: raw mode while attached, Ctrl-] detaches and restores it', async () => {
    expect(xlsim(['create', MIRAGE, 'name="mirage-tty"']).code).toBe(0);
    const cmd = `"${process.execPath}" "${BIN}" console mirage-tty; echo "rc=$?"; stty -a | grep -o -- '-\\?icanon'`;
    const c = startIn(['script', '-qfec', cmd, '/dev/null']);
    await c.waitFor('mirage-tty: ready');
    c.child.stdin.write('\x1d');
    await c.waitFor('icanon');
    const r = await c.done;
    expect(r.code).toBe(0);
    expect(r.out).toContain('Xen Minimal OS (pvh)!');
    expect(r.out).toMatch(/rc=0\r?\n/);
    expect(r.out).toMatch(/(^|\n)icanon\r?\n/);
  });

  it('console errors: Domain-0 and an unknown name', () => {
    expect(xlsim(['console', '0'])).toEqual({ code: 22, out: '', err: "Can't specify Domain-0\n" });
    expect(xlsim(['console', 'nosuch'])).toEqual({ code: 1, out: '', err: 'nosuch is an invalid domain identifier (rc=-6)\n' });
  });
});
