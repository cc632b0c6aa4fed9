/**
 * End-to-end: the real built `bin/xlsim` dashboard in a pseudo-terminal, read back as a
 * user sees it. util-linux `script` gives the child a pty; its output is fed into a
 * headless xterm of the same size and the test reads the screen buffer (text, bold
 * cells, which of the normal/alternate screens is showing). Ink needs CI=false to draw
 * frames as it does for a user (stack-notes.md §C3.3). Also: `xlsim top -b -i 2` prints
 * two xentop batch iterations (xl-commands.md §4.1–4.3).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import xterm from '@xterm/headless';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const { Terminal } = xterm;
type Term = InstanceType<typeof Terminal>;

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/xlsim');
const EXAMPLES = join(ROOT, 'examples/etc-xen');
const COLS = 160;
const ROWS = 40;
const HEADER =
  '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
let home: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'xlsim-e2e-tui-'));
}, 60_000);

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

/** The `name = "…"` of every example config: the domains the demo boots. */
function exampleNames(): string[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.cfg'))
    .map((f) => /^name\s*=\s*"([^"]+)"/m.exec(readFileSync(join(EXAMPLES, f), 'utf8'))?.[1])
    .filter((n): n is string => n !== undefined);
}

/** A running `xlsim demo` in a pty, mirrored into a headless terminal. */
interface Session {
  child: ChildProcess;
  term: Term;
  exit: Promise<number | null>;
}

let session: Session | undefined;

afterEach(() => {
  if (session && session.child.exitCode === null) session.child.kill('SIGKILL');
  session?.term.dispose();
  session = undefined;
});

function startDemo(): Session {
  const term = new Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  // Colours as a user's 256-colour terminal gets them. FORCE_COLOR is needed: the vitest
  // config pins it to 0, and chalk's supports-color turns colour off whenever a CI
  // variable exists at all, even CI=false (which Ink needs to draw frames, §C3.3).
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'false', TERM: 'xterm-256color', FORCE_COLOR: '3', XLSIM_HOME: home };
  delete env.NO_COLOR;
  const child = spawn('script', ['-qfec', `stty cols ${COLS} rows ${ROWS}; exec "${process.execPath}" "${BIN}" demo`, '/dev/null'], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => term.write(d));
  const exit = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  session = { child, term, exit };
  return session;
}

/** The screen as text, one string per row, trailing blanks trimmed. */
function screen(term: Term): string[] {
  const b = term.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < ROWS; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
  return out;
}

/** Poll the screen until `pred` holds; on timeout fail with the screen as it was. */
async function waitForScreen(term: Term, pred: (lines: string[]) => boolean, ms = 8000): Promise<string[]> {
  const end = Date.now() + ms;
  for (;;) {
    // Let xterm parse what has arrived before reading.
    await new Promise<void>((res) => term.write('', res));
    const s = screen(term);
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`screen never matched; it showed:\n${s.join('\n')}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

function press(s: Session, keys: string): void {
  s.child.stdin!.write(keys);
}

/** Whether every cell of `text` at row `y`, column `x` is drawn bold. */
function isBold(term: Term, y: number, x: number, len: number): boolean {
  const line = term.buffer.active.getLine(term.buffer.active.viewportY + y)!;
  for (let i = 0; i < len; i++) if (!line.getCell(x + i)!.isBold()) return false;
  return true;
}

const rowsOf = (lines: string[]) => lines.slice(4).filter((l) => /^[ \S]{10} [-dsbcpr]{6} /.test(l));
/** STATE sort rank (xentop.c: dying, shutdown, blocked, crashed, paused, running). */
const stateRank = (letters: string) => ['d', 's', 'b', 'c', 'p', 'r'].findIndex((c) => letters.includes(c));

describe.skipIf(!hasScript)('xlsim demo in a pseudo-terminal', () => {
  it('draws xentop, sorts, helps, runs a palette command and quits back to the normal screen', async () => {
    const s = startDemo();
    const names = exampleNames();
    expect(names.length).toBeGreaterThan(0);

    const first = await waitForScreen(s.term, (l) => names.every((n) => l.some((x) => x.startsWith(n.slice(0, 10).padStart(10) + ' '))));
    expect(s.term.buffer.active.type).toBe('alternate');
    expect(first[0]).toMatch(/^xentop - \d\d:\d\d:\d\d {3}Xen 4\.20\.0$/);
    expect(first[1]).toMatch(new RegExp(`^${names.length + 1} domains: \\d+ running, \\d+ blocked, \\d+ paused, \\d+ crashed, \\d+ dying, \\d+ shutdown$`));
    expect(first[2]).toMatch(/^Mem: \d+k total, \d+k used, \d+k free {4}CPUs: \d+ @ \d+MHz$/);
    expect(first[3]).toBe(HEADER.slice(0, COLS));
    expect(first.some((l) => l.startsWith('  Domain-0 -----r '))).toBe(true);
    // sorted by name, case-insensitive, as xentop starts
    const shown = rowsOf(first).map((l) => l.slice(0, 10).trim());
    expect(shown).toEqual([...shown].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    // the key bars, xentop's on the last row drawn (the frame is one row short of the screen)
    expect(first[ROWS - 2]).toBe('  Delay  Networks  vBds  VCPUs  Repeat header  Sort order  Quit');
    expect(first[ROWS - 3]).toBe('  p pause  h halt  o reboot  x destroy  c console  : command  ? help');
    expect(isBold(s.term, 3, 6, 4)).toBe(true); // NAME is the sort column

    // S: sort by STATE (bold in the header), rows in xentop's state order
    press(s, 'S');
    const bySt = await waitForScreen(s.term, () => isBold(s.term, 3, 12, 5) && !isBold(s.term, 3, 6, 4));
    const ranks = rowsOf(bySt).map((l) => stateRank(l.slice(11, 17)));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // s (lower case, as xentop): the next column, CPU(sec), descending; nothing is shut down
    press(s, 's');
    const byCpu = await waitForScreen(s.term, () => isBold(s.term, 3, 20, 8) && !isBold(s.term, 3, 12, 5));
    const secs = rowsOf(byCpu).map((l) => Number(l.slice(18, 28)));
    expect(secs).toEqual([...secs].sort((a, b) => b - a));
    expect(byCpu.join('\n')).not.toContain('[y/N]');
    expect(byCpu[1]).toMatch(new RegExp(`^${names.length + 1} domains:`));

    // ? shows the help generated from the keymap; Esc goes back
    press(s, '?');
    const help = await waitForScreen(s.term, (l) => l.some((x) => x.startsWith('xlsim top — keys')));
    expect(help).toContain('  h            halt: shut down the selected domain, after a confirm (xl shutdown)');
    expect(help[ROWS - 3]).toBe('  Esc/?/q close  Up/Down scroll');
    press(s, '\x1b');
    await waitForScreen(s.term, (l) => l[3] === HEADER.slice(0, COLS));

    // : list Enter runs xl list in the palette
    press(s, ':');
    await waitForScreen(s.term, (l) => l[ROWS - 4] === ':_');
    press(s, 'list');
    await waitForScreen(s.term, (l) => l[ROWS - 4] === ':list_');
    press(s, '\r');
    const list = await waitForScreen(s.term, (l) => l.includes('$ xl list'));
    const top = list.indexOf('$ xl list');
    // xl's TABs in the header, shown at 8-column stops as a terminal shows them
    expect(list[top + 1]).toBe('Name' + ' '.repeat(40) + 'ID   Mem VCPUs' + ' '.repeat(6) + 'State' + ' '.repeat(3) + 'Time(s)');
    expect(list[top + 2]).toMatch(/^Domain-0 +0 +4096 +4 +r----- +\d+\.\d$/);

    // a long name is cut to 10 columns, right-justified, as xentop does
    const create = `create -q ${join(EXAMPLES, 'mirage-unikernel.cfg')} 'name="unikernel-two"'`;
    press(s, create);
    await waitForScreen(s.term, (l) => l[ROWS - 4] === `:${create}_`);
    press(s, '\r');
    await waitForScreen(s.term, (l) => l.some((x) => x.startsWith('$ xl create')));
    press(s, '\x1b');
    const long = await waitForScreen(s.term, (l) => l.some((x) => x.startsWith('unikernel- ')));
    expect(long[1]).toMatch(new RegExp(`^${names.length + 2} domains:`));
    expect(long.join('\n')).not.toContain('unikernel-two');

    // q quits with status 0 and the normal screen comes back
    press(s, 'q');
    expect(await s.exit).toBe(0);
    await new Promise<void>((res) => s.term.write('', res));
    expect(s.term.buffer.active.type).toBe('normal');
    expect(screen(s.term).join('\n')).not.toContain('xentop -');
  }, 20_000);
});

describe('xlsim top -b', () => {
  it('takes its options: -b -i 2 -d 0.1 prints two batch iterations, header and Domain-0 row each', () => {
    const r = spawnSync(process.execPath, [BIN, 'top', '-b', '-i', '2', '-d', '0.1'], {
      cwd: ROOT,
      env: { ...process.env, XLSIM_HOME: home, CI: 'true' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    for (const i of [0, 2]) {
      expect(lines[i]).toBe(HEADER);
      expect(lines[i + 1]).toMatch(/^ {2}Domain-0 -----r +\d+ +\d+\.\d    4194304   12\.5   no limit       n\/a     4    0        0        0    0        0        0        0          0          0    0$/);
    }
  });
});
