/**
 * End-to-end: the prompt and scripts of the built `bin/xlsim` — the REPL in a real
 * pseudo-terminal (util-linux `script`, read back through a headless xterm): Tab
 * completion, Ctrl-R, Ctrl-C cancelling a running command, the exit status in the
 * prompt; piped scripts stopping at the first failure; bash completion; --help/--version.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import xterm from '@xterm/headless';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const { Terminal } = xterm;
type Term = InstanceType<typeof Terminal>;

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/xlsim');
const COLS = 120;
const ROWS = 30;
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
let home: string;
let cfg: string;
let child: ChildProcess | undefined;
let term: Term | undefined;

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, XLSIM_HOME: home, TERM: 'xterm-256color', CI: 'false' };
  delete e.NODE_EXTRA_CA_CERTS;
  return e;
}

function xlsim(args: string[], input?: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: env(), input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'xlsim-e2e-repl-'));
  cfg = join(home, 'web.cfg');
  writeFileSync(cfg, 'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 256\n');
}, 60_000);

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  term?.dispose();
  child = undefined;
  term = undefined;
});

/** The prompt in a pty, mirrored into a headless terminal. */
function startRepl(): { press: (s: string) => void; exit: Promise<number | null> } {
  term = new Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  child = spawn('script', ['-qfec', `stty cols ${COLS} rows ${ROWS}; exec "${process.execPath}" "${BIN}"`, '/dev/null'], {
    cwd: ROOT,
    env: env(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => term!.write(d));
  const exit = new Promise<number | null>((res) => child!.on('close', (code) => res(code)));
  return { press: (s) => void child!.stdin!.write(s), exit };
}

function screen(): string[] {
  const b = term!.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < ROWS; y++) out.push((b.getLine(b.viewportY + y)?.translateToString(true) ?? '').trimEnd());
  return out;
}

async function waitFor(pred: (lines: string[]) => boolean, ms = 15_000): Promise<string[]> {
  const end = Date.now() + ms;
  for (;;) {
    await new Promise<void>((res) => term!.write('', res));
    const s = screen();
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`screen never matched; it showed:\n${s.join('\n')}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe.skipIf(!hasScript)('the prompt in a pseudo-terminal', () => {
  it('completes with Tab, cancels a waiting command with Ctrl-C, shows the status, searches with Ctrl-R', async () => {
    expect(xlsim(['create', '-q', cfg]).code).toBe(0);
    expect(xlsim(['pause', 'web']).code).toBe(0);
    const r = startRepl();
    await waitFor((l) => l.some((x) => x === 'xl>'));
    // command name, then a domain name
    r.press('vcpu-l\t');
    await waitFor((l) => l.some((x) => x === 'xl> vcpu-list'));
    r.press('we\t');
    await waitFor((l) => l.some((x) => x === 'xl> vcpu-list web'));
    r.press('\r');
    await waitFor((l) => l.some((x) => /^web +1 +0 /.test(x)));
    // a paused guest never acknowledges: xl would wait 60 s; Ctrl-C returns to the prompt at once
    r.press('shutdown web\r');
    await waitFor((l) => l.some((x) => x === 'Shutting down domain 1'));
    r.press('\x03');
    await waitFor((l) => l.some((x) => x === 'xl [130]>'));
    // the request was taken back: unpausing does not shut the guest down
    r.press('unpause web\r');
    await waitFor((l) => l.some((x) => x === 'xl [130]> unpause web') && l.filter((x) => x === 'xl>').length > 0);
    // Ctrl-R finds the earlier vcpu-list
    r.press('\x12vcpu');
    await waitFor((l) => l.some((x) => x.startsWith("(reverse-i-search)`vcpu': vcpu-list web")));
    r.press('\r');
    await waitFor((l) => l.filter((x) => /^web +1 +0 /.test(x)).length >= 2);
    r.press('exit\r');
    expect(await r.exit).toBe(0);
    // still there and not shut down, although it ran again after the cancelled request
    const list = xlsim(['list', 'web']);
    expect(list.out).toMatch(/\nweb +1 +256 +1 +[rb-]{2}----/);
  }, 60_000);
});

describe('scripts and shell completion', () => {
  it('piped input runs as a script: stops at the first failure with its status; -k keeps going', () => {
    const script = 'list\npause nosuch\ninfo\n';
    const stop = xlsim([], script);
    expect(stop.code).toBe(1);
    expect(stop.out.startsWith('Name ')).toBe(true);
    expect(stop.out).not.toContain('xen_version');
    expect(stop.err).toBe('nosuch is an invalid domain identifier (rc=-6)\n');
    const keep = xlsim(['-k'], script);
    expect(keep.code).toBe(1);
    expect(keep.out).toContain('xen_version');
  });

  it('xlsim completion bash completes commands and domains in bash', () => {
    const shim = join(home, 'bin');
    spawnSync('mkdir', ['-p', shim]);
    writeFileSync(join(shim, 'xlsim'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
    expect(xlsim(['create', '-q', cfg, 'name="db"']).code).toBe(0);
    const r = spawnSync('bash', ['-c', [
      'source <(xlsim completion bash)',
      'COMP_LINE="xlsim vcpu-p"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(xlsim vcpu-p); COMP_CWORD=1; _xlsim_complete; echo "${COMPREPLY[*]}"',
      'COMP_LINE="xlsim pause d"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(xlsim pause d); COMP_CWORD=2; _xlsim_complete; echo "${COMPREPLY[*]}"',
    ].join('\n')], { env: { ...env(), PATH: `${shim}:${process.env.PATH}` }, encoding: 'utf8' });
    expect(r.stdout).toBe('vcpu-pin\ndb\n');
  });

  it('--help and --version', () => {
    const help = xlsim(['--help']);
    expect(help.code).toBe(0);
    expect(help.out.startsWith('Usage xl [-vfNtT] <subcommand> [args]\n')).toBe(true);
    expect(help.out).toContain(' check               Check xl domain config files');
    const version = xlsim(['--version']);
    expect(version.code).toBe(0);
    expect(version.out).toMatch(/^xlsim \d+\.\d+\.\d+ \(xl and xentop of Xen 4\.20/);
  });
});
