import { afterEach, describe, expect, it, vi } from 'vitest';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { TopApp } from '../../src/tui/app.js';
import { KEYMAP } from '../../src/tui/keymap.js';
import { BLOCKED, dom, dom0, FakeSource, KEY, waitForFrame, waitForInputReady } from './fixtures.js';

afterEach(() => cleanup());

const COLS = 100;

function guests(): FakeSource {
  return new FakeSource([
    dom0(),
    dom({ domid: 3, name: 'web', cpuTimeNs: 57e9, maxVcpus: 2 }),
    dom({ domid: 4, name: 'db', memKiB: 2097152, maxMemKiB: 2098176, state: { ...BLOCKED } }),
  ]);
}

async function start(src: FakeSource, rows = 30, onQuit?: () => void) {
  const r = render(<TopApp source={src} columns={COLS} rows={rows} utc onQuit={onQuit} />);
  await waitForFrame(r.lastFrame, (f) => f.includes('Domain-0'));
  await waitForInputReady();
  return r;
}

const lines = (f: string) => f.split('\n').map((l) => l.trimEnd());
const rowOf = (f: string, name: string) => lines(f).find((l) => l.slice(0, 10).trim() === name);

describe('dashboard', () => {
  it('shows the summary, the column header and one xentop row per domain, sorted by name', async () => {
    const { lastFrame } = await start(guests());
    const l = lines(lastFrame()!);
    expect(l.slice(0, 7)).toEqual([
      'xentop - 10:30:05   Xen 4.20.0',
      '3 domains: 1 running, 2 blocked, 0 paused, 0 crashed, 0 dying, 0 shutdown',
      'Mem: 33554432k total, 12582912k used, 20971520k free    CPUs: 8 @ 2400MHz',
      '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX',
      '        db --b---          0    0.0    2097152    6.2    2098176       6.3     1    0        0',
      '  Domain-0 -----r       1234    0.0    4194304   12.5   no limit       n/a     4    0        0',
      '       web --b---         57    0.0    1048576    3.1    1049600       3.1     2    0        0',
    ]);
    // the root stays one line short of the terminal (Ink 6.8 full-height flicker)
    expect(lastFrame()!.split('\n')).toHaveLength(29);
    // xentop's key bar on the last line, from column 2
    expect(l[l.length - 1]).toBe('  Delay  Networks  vBds  VCPUs  Repeat header  Sort order  Quit');
  });

  it('shows CPU(%) from the previous refresh after time passes', async () => {
    const src = guests();
    const { lastFrame, stdin } = await start(src);
    src.nowMs += 2000;
    src.domains[1] = { ...src.domains[1]!, cpuTimeNs: 57e9 + 1e9 };
    stdin.write('\x0c'); // Ctrl-L: refresh now
    const f = await waitForFrame(lastFrame, (x) => rowOf(x, 'web')?.includes('   50.0 ') ?? false);
    expect(rowOf(f, 'web')!.slice(0, 35)).toBe('       web --b---         58   50.0');
  });

  it('S cycles the sort column; STATE puts blocked before running', async () => {
    const { lastFrame, stdin } = await start(guests());
    stdin.write('S');
    // both guests are blocked: they keep domid order, ahead of the running Domain-0
    const f = await waitForFrame(lastFrame, (x) => lines(x)[4]!.startsWith('       web') && lines(x)[6]!.startsWith('  Domain-0'));
    expect(lines(f)[5]!.startsWith('        db')).toBe(true);
    stdin.write('S'); // CPU(sec), descending
    const g = await waitForFrame(lastFrame, (x) => lines(x)[4]!.startsWith('  Domain-0') && lines(x)[5]!.startsWith('       web'));
    expect(lines(g)[6]!.startsWith('        db')).toBe(true);
  });

  it('keys read in one burst each count, as if typed one by one (SS sorts twice)', async () => {
    const { lastFrame, stdin } = await start(guests());
    stdin.write('SS'); // one chunk: Ink hands it to useInput as one string
    // CPU(sec), descending
    await waitForFrame(lastFrame, (x) => lines(x)[4]!.startsWith('  Domain-0') && lines(x)[5]!.startsWith('       web'));
    stdin.write(':list\r');
    const f = await waitForFrame(lastFrame, (x) => x.includes('$ xl list'));
    expect(lines(f)).toContain('Domain-0 0');
  });

  it('a burst never answers a y/N prompt: pasting "hy" or "xy" shuts nothing down', async () => {
    const src = guests();
    const { lastFrame, stdin } = await start(src);
    stdin.write('hy');
    await waitForFrame(lastFrame, (x) => x.includes('Shut down db (domid 4)? [y/N]'));
    stdin.write('yy');
    stdin.write(KEY.escape);
    await waitForFrame(lastFrame, (x) => !x.includes('[y/N]'));
    stdin.write('xy');
    await waitForFrame(lastFrame, (x) => x.includes('Destroy db (domid 4)? [y/N]'));
    stdin.write('n');
    await waitForFrame(lastFrame, (x) => !x.includes('[y/N]'));
    expect(src.calls).toEqual([]);
  });

  it('Up/Down move the selected domain', async () => {
    const { lastFrame, stdin } = await start(guests());
    expect(lastFrame()).toContain('[db (domid 4)]');
    stdin.write(KEY.down);
    await waitForFrame(lastFrame, (x) => x.includes('[Domain-0 (domid 0)]'));
    stdin.write(KEY.down);
    await waitForFrame(lastFrame, (x) => x.includes('[web (domid 3)]'));
    stdin.write(KEY.down); // stays on the last row
    stdin.write(KEY.up);
    await waitForFrame(lastFrame, (x) => x.includes('[Domain-0 (domid 0)]'));
  });

  it('p pauses the selected domain (state letter p) and p again unpauses it', async () => {
    const src = guests();
    const { lastFrame, stdin } = await start(src);
    stdin.write(KEY.down);
    stdin.write(KEY.down);
    await waitForFrame(lastFrame, (x) => x.includes('[web (domid 3)]'));
    stdin.write('p');
    const f = await waitForFrame(lastFrame, (x) => rowOf(x, 'web')?.slice(11, 17) === '----p-');
    expect(f).toContain('Paused web (domid 3)');
    expect(lines(f)[1]).toBe('3 domains: 1 running, 1 blocked, 1 paused, 0 crashed, 0 dying, 0 shutdown');
    stdin.write('p');
    await waitForFrame(lastFrame, (x) => rowOf(x, 'web')?.slice(11, 17) === '--b---');
    expect(src.calls).toEqual([
      ['pause', '3'],
      ['unpause', '3'],
    ]);
  });

  it('s (lower case, as in xentop) sorts and never shuts a domain down', async () => {
    const src = guests();
    const { lastFrame, stdin } = await start(src);
    stdin.write('s');
    // STATE order: the blocked guests ahead of the running Domain-0
    await waitForFrame(lastFrame, (x) => lines(x)[4]!.startsWith('       web') && lines(x)[6]!.startsWith('  Domain-0'));
    expect(src.calls).toEqual([]);
    expect(lastFrame()).not.toContain('[y/N]');
  });

  it('h asks y/N, then asks the selected domain to shut down', async () => {
    const src = guests();
    const { lastFrame, stdin } = await start(src);
    stdin.write('h');
    await waitForFrame(lastFrame, (x) => x.includes('Shut down db (domid 4)? [y/N]'));
    stdin.write(KEY.enter); // the default answer is N
    await waitForFrame(lastFrame, (x) => !x.includes('[y/N]'));
    expect(src.calls).toEqual([]);
    stdin.write('h');
    await waitForFrame(lastFrame, (x) => x.includes('Shut down db (domid 4)? [y/N]'));
    stdin.write('y');
    const f = await waitForFrame(lastFrame, (x) => rowOf(x, 'db')?.slice(11, 17) === '-s----');
    expect(f).toContain('Shutdown requested for db (domid 4)');
    expect(src.calls).toEqual([['shutdown', '4']]);
  });

  it('Alt-h is not h: nothing is asked or shut down', async () => {
    const src = guests();
    const { lastFrame, stdin } = await start(src);
    stdin.write('\u001Bh');
    stdin.write('?');
    await waitForFrame(lastFrame, (x) => x.includes('xlsim top — keys'));
    expect(lastFrame()).not.toContain('[y/N]');
    expect(src.calls).toEqual([]);
  });

  it('x destroys only after y; n keeps the domain', async () => {
    const src = guests();
    const { lastFrame, stdin } = await start(src);
    stdin.write('x');
    await waitForFrame(lastFrame, (x) => x.includes('Destroy db (domid 4)? [y/N]'));
    stdin.write('n');
    await waitForFrame(lastFrame, (x) => !x.includes('[y/N]'));
    expect(src.calls).toEqual([]);
    stdin.write('x');
    await waitForFrame(lastFrame, (x) => x.includes('[y/N]'));
    stdin.write('y');
    const f = await waitForFrame(lastFrame, (x) => rowOf(x, 'db') === undefined && x.includes('Destroyed db (domid 4)'));
    expect(lines(f)[1]!.startsWith('2 domains:')).toBe(true);
    // the selection moves to the row that took db's place
    expect(f).toContain('[Domain-0 (domid 0)]');
    expect(src.calls).toEqual([['destroy', '4']]);
  });

  it('reports a failed action on the status line', async () => {
    const src = guests();
    src.run = async (argv) => {
      src.calls.push(argv);
      return { code: 1, stdout: '', stderr: 'libxl: error: libxl_domain.c:123:libxl_domain_pause: Domain 4:Pausing domain failed\n' };
    };
    const { lastFrame, stdin } = await start(src);
    stdin.write('p');
    // the line that says why, not xl's progress line, and without libxl's source location
    await waitForFrame(lastFrame, (x) => x.includes('Pausing db (domid 4) failed (exit 1): Domain 4:Pausing domain failed'));
  });

  it("reports success when xl exits 0, though it prints progress on stderr", async () => {
    const src = guests();
    src.run = async (argv) => {
      src.calls.push(argv);
      return { code: 0, stdout: '', stderr: 'Shutting down domain 4\n' };
    };
    const { lastFrame, stdin } = await start(src);
    stdin.write('h');
    await waitForFrame(lastFrame, (x) => x.includes('[y/N]'));
    stdin.write('y');
    const f = await waitForFrame(lastFrame, (x) => x.includes('Shutdown requested for db (domid 4)'));
    expect(f).not.toContain('failed');
    stdin.write(KEY.down); // the next key retires the message
    await waitForFrame(lastFrame, (x) => !x.includes('Shutdown requested'));
  });

  it('D prompts for the delay as xentop does', async () => {
    const { lastFrame, stdin } = await start(guests());
    stdin.write('d');
    await waitForFrame(lastFrame, (x) => lines(x).includes('Delay(sec):'));
    stdin.write('1');
    stdin.write('5');
    stdin.write(KEY.backspace);
    await waitForFrame(lastFrame, (x) => lines(x).includes('Delay(sec): 1'));
    stdin.write(KEY.enter);
    await waitForFrame(lastFrame, (x) => !x.includes('Delay(sec)'));
  });

  it('N shows one Net line per vif under its domain', async () => {
    const src = guests();
    src.domains[1] = { ...src.domains[1]!, nets: [{ devid: 0, txBytes: 2048, rxBytes: 4096, txPackets: 3, rxPackets: 4 }] };
    const { lastFrame, stdin } = await start(src);
    stdin.write('n');
    const f = await waitForFrame(lastFrame, (x) => x.includes('Net0 RX:'));
    const l = lines(f);
    const i = l.findIndex((x) => x.startsWith('       web'));
    // clipped at the 100th column, as curses clips
    expect(l[i + 1]).toBe('Net0 RX:     4096bytes        4pkts        0err        0drop  TX:     2048bytes        3pkts');
  });

  it('Right/Left scroll the columns after NAME one column at a time; NAME stays', async () => {
    const { lastFrame, stdin } = await start(guests());
    stdin.write('\u001B[C');
    const f = await waitForFrame(lastFrame, (x) => lines(x)[3]!.startsWith('      NAME   CPU(sec)'));
    // NAME, then the columns from CPU(sec) on (STATE scrolled away)
    expect(lines(f)[3]).toBe('      NAME   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBD');
    expect(lines(f)[6]).toBe('       web         57    0.0    1048576    3.1    1049600       3.1     2    0        0        0');
    for (let i = 0; i < 30; i++) stdin.write('\u001B[C'); // stops at the last column
    const g = await waitForFrame(lastFrame, (x) => lines(x)[3] === '      NAME TYPE');
    expect(rowOf(g, 'Domain-0')).toBe('  Domain-0 Domain-0');
    expect(rowOf(g, 'web')).toBe('       web PV');
    stdin.write('\u001B[D');
    await waitForFrame(lastFrame, (x) => lines(x)[3] === '      NAME SSID TYPE');
  });

  it('scrolls the rows to keep the selected domain on a short screen', async () => {
    const many = [dom0(), ...Array.from({ length: 12 }, (_, i) => dom({ domid: i + 1, name: `guest${String(i + 1).padStart(2, '0')}` }))];
    // 15 rows: a 14-line frame = 3 summary + header + 7 domain lines + status + 2 key bars
    const { lastFrame, stdin } = await start(new FakeSource(many), 15);
    const names = (x: string) => lines(x).slice(4, 11).map((l) => l.slice(0, 10).trim());
    expect(names(lastFrame()!)).toEqual(['Domain-0', 'guest01', 'guest02', 'guest03', 'guest04', 'guest05', 'guest06']);
    for (let i = 0; i < 8; i++) stdin.write(KEY.down);
    const f = await waitForFrame(lastFrame, (x) => x.includes('[guest08 (domid 8)]'));
    expect(names(f)).toEqual(['guest02', 'guest03', 'guest04', 'guest05', 'guest06', 'guest07', 'guest08']);
    expect(lines(f)).toHaveLength(14);
  });

  it('Q quits', async () => {
    const onQuit = vi.fn();
    const { stdin } = await start(guests(), 30, onQuit);
    stdin.write('q');
    await waitForFrame(() => String(onQuit.mock.calls.length), (x) => x === '1');
  });
});

describe('console pane', () => {
  it('c shows the guest console log following its end, PgUp scrolls back, Ctrl-] leaves', async () => {
    const src = guests();
    src.logs.set(4, Array.from({ length: 40 }, (_, i) => `boot line ${i + 1}`).join('\n') + '\n');
    const { lastFrame, stdin } = await start(src, 20);
    stdin.write('c');
    const f = await waitForFrame(lastFrame, (x) => x.includes('db (domid 4) — following') && lines(x).includes('boot line 40'));
    // 20 rows: 12 rows of console text under the tab bar and the title
    expect(lines(f)).toContain('boot line 29');
    expect(lines(f)).not.toContain('boot line 28');
    stdin.write('\u001B[5~'); // PgUp
    await waitForFrame(lastFrame, (x) => lines(x).includes('boot line 17') && !lines(x).includes('boot line 40'));
    stdin.write(KEY.ctrlBracket);
    await waitForFrame(lastFrame, (x) => x.includes('      NAME  STATE'));
  });

  it('refuses Domain-0 as xl console does', async () => {
    const { lastFrame, stdin } = await start(guests());
    stdin.write(KEY.down);
    await waitForFrame(lastFrame, (x) => x.includes('[Domain-0 (domid 0)]'));
    stdin.write('c');
    await waitForFrame(lastFrame, (x) => x.includes('Domain-0 has no guest console'));
  });
});

describe('command palette', () => {
  it(': runs an xl command and shows its output; Esc closes it', async () => {
    const src = guests();
    const { lastFrame, stdin } = await start(src);
    stdin.write(':');
    await waitForFrame(lastFrame, (x) => lines(x).some((l) => l.startsWith(':')));
    for (const c of 'xl list') stdin.write(c);
    await waitForFrame(lastFrame, (x) => x.includes(':xl list'));
    stdin.write(KEY.enter);
    const f = await waitForFrame(lastFrame, (x) => x.includes('$ xl list'));
    expect(lines(f)).toEqual(expect.arrayContaining(['$ xl list', 'Name ID', 'Domain-0 0', 'web 3', 'db 4']));
    expect(src.calls).toEqual([['list']]);
    stdin.write(KEY.escape);
    await waitForFrame(lastFrame, (x) => x.includes('      NAME  STATE'));
  });

  it('keys typed right after : go to the palette, never to the dashboard', async () => {
    const src = guests();
    const { lastFrame, stdin } = await start(src);
    for (const c of ':shutdown 4') stdin.write(c); // no wait between keys
    await waitForFrame(lastFrame, (x) => x.includes(':shutdown 4_'));
    expect(src.calls).toEqual([]);
    expect(rowOf(lastFrame()!, 'db')).toBeUndefined(); // the palette covers the table
  });

  it('shows a non-zero exit status', async () => {
    const src = guests();
    const { lastFrame, stdin } = await start(src);
    stdin.write(':');
    for (const c of 'pause nosuch') stdin.write(c);
    await waitForFrame(lastFrame, (x) => x.includes(':pause nosuch'));
    stdin.write(KEY.enter);
    const f = await waitForFrame(lastFrame, (x) => x.includes('(exit status 1)'));
    expect(lines(f)).toContain('nosuch is an invalid domain identifier (rc=-6)');
  });

  it('Up recalls the last command; PgDn scrolls long output', async () => {
    const src = guests();
    src.run = async (argv) => {
      src.calls.push(argv);
      return { code: 0, stdout: Array.from({ length: 50 }, (_, i) => `out ${i + 1}`).join('\n') + '\n', stderr: '' };
    };
    const { lastFrame, stdin } = await start(src, 20); // 13 lines of output
    stdin.write(':');
    for (const c of 'info') stdin.write(c);
    await waitForFrame(lastFrame, (x) => x.includes(':info'));
    stdin.write(KEY.enter);
    const f = await waitForFrame(lastFrame, (x) => x.includes('$ xl info'));
    expect(lines(f)).toContain('$ xl info   (lines 1-13 of 50, PgUp/PgDn)');
    expect(lines(f)).toContain('out 13');
    expect(lines(f)).not.toContain('out 14');
    stdin.write('\u001B[6~'); // PgDn
    const g = await waitForFrame(lastFrame, (x) => x.includes('lines 14-26 of 50'));
    expect(lines(g)).toContain('out 26');
    stdin.write(KEY.up);
    await waitForFrame(lastFrame, (x) => lines(x).includes(':info_'));
    stdin.write(KEY.enter);
    await waitForFrame(lastFrame, () => src.calls.length === 2);
    expect(src.calls).toEqual([['info'], ['info']]);
  });
});

describe('help screen', () => {
  it('? lists every keymap entry, generated from the keymap table', async () => {
    const { lastFrame, stdin } = await start(guests(), 60);
    stdin.write('?');
    let f = await waitForFrame(lastFrame, (x) => x.includes('xlsim top — keys'));
    const seen = new Set(lines(f));
    const atEnd = (x: string) => /lines \d+-(\d+) of \1,/.test(x);
    while (!atEnd(f)) {
      const before = f;
      stdin.write('\u001B[6~'); // PgDn
      f = await waitForFrame(lastFrame, (x) => x !== before);
      for (const l of lines(f)) seen.add(l);
    }
    for (const b of KEYMAP) {
      expect([...seen].some((l) => l.includes(b.label) && l.includes(b.description)), `${b.scope} ${b.label}`).toBe(true);
    }
    stdin.write(KEY.escape);
    await waitForFrame(lastFrame, (x) => x.includes('      NAME  STATE'));
  });

  it('the xlsim key bar is generated from the same table', async () => {
    const { lastFrame } = await start(guests());
    const bar = KEYMAP.filter((b) => b.scope === 'dashboard' && b.bar?.line === 'xlsim').map((b) => `${b.label} ${b.bar!.text}`);
    expect(bar.slice(0, 3)).toEqual(['Enter detail', 'A arch', '/ filter']);
    // Whole labels in the table's order as far as they fit, then the help key, last.
    const l = lines(lastFrame()!);
    const shown = l[l.length - 2]!;
    expect(shown.length).toBeLessThanOrEqual(COLS);
    const labels = shown.trim().split('  ');
    expect(labels.at(-1)).toBe('? help');
    expect(labels.slice(0, -1)).toEqual(bar.filter((b) => b !== '? help').slice(0, labels.length - 1));
  });

  it("the key bars follow the focused pane: the console's keys, and no xentop line where xentop's keys do not reach", async () => {
    const src = guests();
    src.logs.set(4, 'boot\n');
    const { lastFrame, stdin } = await start(src);
    stdin.write('c');
    const f = await waitForFrame(lastFrame, (x) => x.includes('db (domid 4) — following'));
    const l = lines(f);
    expect(l[l.length - 1]).toBe('  Ctrl-] leave  Tab/Alt-1-9 switch  Alt-s split  Alt-w close  PgUp/PgDn scroll  Ctrl-F search');
    expect(f).not.toContain('Sort order');
    stdin.write(KEY.ctrlBracket);
    const g = await waitForFrame(lastFrame, (x) => x.includes('      NAME  STATE'));
    expect(lines(g)[lines(g).length - 1]).toBe('  Delay  Networks  vBds  VCPUs  Repeat header  Sort order  Quit');
  });
});
