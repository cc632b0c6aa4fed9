/**
 * End-to-end: the real built `bin/xlsim` dashboard in a pseudo-terminal, read back as a
 * user sees it (test/tui/pty.ts: util-linux `script` + a headless xterm). Also:
 * `xlsim top -b -i 2` prints two xentop batch iterations (xl-commands.md §4.1–4.3).
 *
 * Every wait names the whole screen state the assertions after it read, so a frame that
 * arrives in two writes is never read half-drawn (the help-screen assertion once failed
 * in a full run for exactly that reason).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cellsAre, HAS_SCRIPT, press, ROOT, startXlsim, stopSession, tableRows, waitForScreen, type Session } from '../tui/pty.js';

const EXAMPLES = join(ROOT, 'examples/etc-xen');
const COLS = 160;
const ROWS = 40;
const XENTOP_HEADER =
  '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID';
/** xentop's header then xlsim's TYPE column, as far as the screen shows it. */
const HEADER = `${XENTOP_HEADER} TYPE`.slice(0, COLS);
const XENTOP_BAR = '  Delay  Networks  vBds  VCPUs  Repeat header  Sort order  Quit';
const XLSIM_BAR = '  Enter detail  A arch  / filter  c console  : command  p pause  h halt  o reboot  x destroy  F sort  I invert  ? help';

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

let session: Session | undefined;

afterEach(() => {
  stopSession(session);
  session = undefined;
});

/** STATE sort rank (xentop.c: dying, shutdown, blocked, crashed, paused, running). */
const stateRank = (letters: string) => ['d', 's', 'b', 'c', 'p', 'r'].findIndex((c) => letters.includes(c));

describe.skipIf(!HAS_SCRIPT)('xlsim demo in a pseudo-terminal', () => {
  it('draws xentop, sorts, helps, runs a palette command and quits back to the normal screen', async () => {
    const s = (session = startXlsim(['demo'], { cols: COLS, rows: ROWS, env: { XLSIM_HOME: home } }));
    const names = exampleNames();
    expect(names.length).toBeGreaterThan(0);

    const first = await waitForScreen(
      s,
      (l) => names.every((n) => l.some((x) => x.startsWith(n.slice(0, 10).padStart(10) + ' '))) && l[ROWS - 2] === XENTOP_BAR && l[3] === HEADER && /^\d+ domains:/.test(l[1]!),
    );
    expect(s.term.buffer.active.type).toBe('alternate');
    expect(first[0]).toMatch(/^xentop - \d\d:\d\d:\d\d {3}Xen 4\.20\.0$/);
    expect(first[1]).toMatch(new RegExp(`^${names.length + 1} domains: \\d+ running, \\d+ blocked, \\d+ paused, \\d+ crashed, \\d+ dying, \\d+ shutdown$`));
    expect(first[2]).toMatch(/^Mem: \d+k total, \d+k used, \d+k free {4}CPUs: \d+ @ \d+MHz$/);
    expect(first.some((l) => /^ {2}Domain-0 -----r /.test(l))).toBe(true);
    // sorted by name, case-insensitive, as xentop starts
    const shown = tableRows(first).map((l) => l.slice(0, 10).trim());
    expect(shown).toEqual([...shown].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    // the key bars, xentop's on the last row drawn (the frame is one row short of the screen)
    expect(first[ROWS - 3]).toBe(XLSIM_BAR);
    expect(cellsAre(s, 3, 6, 4, 'bold')).toBe(true); // NAME is the sort column

    // S: sort by STATE (bold in the header), rows in xentop's state order
    press(s, 'S');
    const bySt = await waitForScreen(s, () => cellsAre(s, 3, 12, 5, 'bold') && !cellsAre(s, 3, 6, 4, 'bold'));
    const ranks = tableRows(bySt).map((l) => stateRank(l.slice(11, 17)));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // s (lower case, as xentop): the next column, CPU(sec), descending; nothing is shut down
    press(s, 's');
    const byCpu = await waitForScreen(s, (l) => cellsAre(s, 3, 20, 8, 'bold') && !cellsAre(s, 3, 12, 5, 'bold') && tableRows(l).length === names.length + 1);
    const secs = tableRows(byCpu).map((l) => Number(l.slice(18, 28)));
    expect(secs).toEqual([...secs].sort((a, b) => b - a));
    expect(byCpu.join('\n')).not.toContain('[y/N]');

    // ? shows the help generated from the keymap; Esc goes back
    press(s, '?');
    const help = await waitForScreen(s, (l) => l.some((x) => x.startsWith('xlsim top — keys')) && l[ROWS - 2] === '  Esc/?/q close  Up/Down scroll' && l.some((x) => /^ {2}h +halt: /.test(x)));
    expect(help.some((x) => /^ {2}h +halt: shut down the selected domain, after a confirm \(xl shutdown\)$/.test(x))).toBe(true);
    press(s, '\x1b');
    await waitForScreen(s, (l) => l[3] === HEADER && l[ROWS - 2] === XENTOP_BAR);

    // : list Enter runs xl list in the palette
    press(s, ':');
    await waitForScreen(s, (l) => l[ROWS - 3] === ':_');
    press(s, 'list');
    await waitForScreen(s, (l) => l[ROWS - 3] === ':list_');
    press(s, '\r');
    const list = await waitForScreen(s, (l) => l.includes('$ xl list') && l.some((x) => x.startsWith('Domain-0 ')));
    const top = list.indexOf('$ xl list');
    // xl's TABs in the header, shown at 8-column stops as a terminal shows them
    expect(list[top + 1]).toBe('Name' + ' '.repeat(40) + 'ID   Mem VCPUs' + ' '.repeat(6) + 'State' + ' '.repeat(3) + 'Time(s)');
    expect(list[top + 2]).toMatch(/^Domain-0 +0 +4096 +4 +r----- +\d+\.\d$/);

    // a long name is cut to 10 columns, right-justified, as xentop does
    const create = `create -q ${join(EXAMPLES, 'mirage-unikernel.cfg')} 'name="unikernel-two"'`;
    press(s, create);
    await waitForScreen(s, (l) => l[ROWS - 3] === `:${create}_`);
    press(s, '\r');
    await waitForScreen(s, (l) => l.some((x) => x.startsWith('$ xl create')));
    press(s, '\x1b');
    const long = await waitForScreen(s, (l) => l.some((x) => x.startsWith('unikernel- ')) && new RegExp(`^${names.length + 2} domains:`).test(l[1]!));
    expect(long.join('\n')).not.toContain('unikernel-two');

    // q quits with status 0 and the normal screen comes back
    press(s, 'q');
    expect(await s.exit).toBe(0);
    await new Promise<void>((res) => s.term.write('', res));
    expect(s.term.buffer.active.type).toBe('normal');
    expect(s.term.buffer.active.getLine(0)?.translateToString(true) ?? '').not.toContain('xentop -');
  }, 120_000);
});

describe.skipIf(!HAS_SCRIPT)('the dashboard as shipped', () => {
  it("runs React's production build when NODE_ENV is unset (bin/xlsim chooses it before the dashboard loads)", async () => {
    const probe = join(home, 'react-probe.cjs');
    const report = join(home, 'react-builds.txt');
    // Records, at exit, which of React's builds ran (modules node only scanned are not loaded).
    writeFileSync(
      probe,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, Object.keys(require.cache).filter((k) => /react[\\\\/]cjs[\\\\/]react\\./.test(k) && require.cache[k].loaded).join('\\n')));\n`,
    );
    const s = (session = startXlsim(['demo'], { cols: 100, rows: 30, env: { XLSIM_HOME: home, NODE_ENV: undefined, NODE_OPTIONS: `--require ${probe}` } }));
    await waitForScreen(s, (l) => /^xentop - /.test(l[0] ?? '') && l.some((x) => /^ {2}Domain-0 /.test(x)));
    press(s, 'q');
    expect(await s.exit).toBe(0);
    const builds = readFileSync(report, 'utf8').split('\n').map((f) => f.replace(/^.*[\\/]/, ''));
    expect(builds).toEqual(['react.production.js']);
  }, 60_000);
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
      expect(lines[i]).toBe(XENTOP_HEADER);
      expect(lines[i + 1]).toMatch(/^ {2}Domain-0 -----r +\d+ +\d+\.\d    4194304   12\.5   no limit       n\/a     4    0        0        0    0        0        0        0          0          0    0$/);
    }
  });
});
