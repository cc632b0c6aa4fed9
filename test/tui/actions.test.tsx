/**
 * Keys of the dashboard over a scripted host: refusals at once, actions in the
 * background with their progress and Esc to cancel, the selection following the domain,
 * sorting and filtering, the mouse, and the colour policy. Frames are awaited, never timed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import React from 'react';
import chalk from 'chalk';
import { cleanup, render } from 'ink-testing-library';
import { TopApp } from '../../src/tui/app.js';
import { colorEnabled } from '../../src/tui/theme.js';
import { BLOCKED, dom, dom0, FakeSource, KEY, waitForFrame, waitForInputReady } from './fixtures.js';

afterEach(() => cleanup());

const COLS = 100;
const lines = (f: string) => f.split('\n').map((l) => l.trimEnd());
const names = (f: string) =>
  lines(f)
    .slice(4)
    .filter((l) => /^[ \S]{10} [-dsbcpr]{6} /.test(l))
    .map((l) => l.slice(0, 10).trim());

function guests(): FakeSource {
  return new FakeSource([
    dom0(),
    dom({ domid: 3, name: 'web', type: 'pvh', cpuTimeNs: 57e9, maxVcpus: 2 }),
    dom({ domid: 4, name: 'db', type: 'hvm', memKiB: 2097152, maxMemKiB: 2098176, state: { ...BLOCKED } }),
    dom({ domid: 7, name: 'mail', memKiB: 524288, state: { ...BLOCKED, blocked: false, paused: true } }),
  ]);
}

async function start(src: FakeSource, props: Partial<React.ComponentProps<typeof TopApp>> = {}, rows = 30) {
  const r = render(<TopApp source={src} columns={COLS} rows={rows} utc now={() => 1_000_000} {...props} />);
  await waitForFrame(r.lastFrame, (f) => f.includes('Domain-0'));
  await waitForInputReady();
  return r;
}

async function selectName(r: Awaited<ReturnType<typeof start>>, name: string) {
  r.stdin.write(KEY.home);
  for (let i = 0; i < 10 && !r.lastFrame()!.includes(`[${name} (domid`); i++) {
    r.stdin.write(KEY.down);
    await waitForInputReady();
  }
  return waitForFrame(r.lastFrame, (x) => x.includes(`[${name} (domid`));
}

describe('Domain-0 is refused at once, without running xl', () => {
  it.each([
    ['p', 'Domain-0 cannot be paused'],
    ['h', 'Domain-0 is the host itself: it is not shut down'],
    ['o', 'Domain-0 is the host itself: it is not rebooted'],
    ['x', 'Domain-0 cannot be destroyed from the dashboard'],
    ['c', 'Domain-0 has no guest console'],
  ])('%s', async (key, text) => {
    const src = guests();
    const r = await start(src);
    await selectName(r, 'Domain-0');
    r.stdin.write(key);
    const f = await waitForFrame(r.lastFrame, (x) => x.includes(text));
    expect(f).not.toContain('[y/N]');
    expect(src.calls).toEqual([]);
  });
});

describe('actions in the background', () => {
  it('a long shutdown shows its progress, the screen keeps working, Esc cancels and takes the request back', async () => {
    const src = guests();
    src.hang.add('shutdown');
    const r = await start(src);
    await selectName(r, 'mail');
    r.stdin.write('h');
    // a paused guest cannot acknowledge: the prompt says so
    await waitForFrame(r.lastFrame, (x) => x.includes('Shut down mail (domid 7)? [y/N] (it is paused and cannot acknowledge'));
    r.stdin.write('y');
    await waitForFrame(r.lastFrame, (x) => x.includes('⟳ 0s · Esc cancels · Shutting down mail (domid 7): waiting for the guest to acknowledge…'));
    // the dashboard still answers keys while xl waits
    r.stdin.write(KEY.up);
    await waitForFrame(r.lastFrame, (x) => x.includes('Shutting down mail'));
    r.stdin.write('S');
    await waitForFrame(r.lastFrame, (x) => names(x)[0] === 'mail' || names(x)[0] === 'db');
    r.stdin.write(KEY.escape);
    const f = await waitForFrame(r.lastFrame, (x) => x.includes('Cancelled: Shutting down mail (domid 7)'));
    expect(f).toContain('Cancelled: Shutting down mail (domid 7); the request was taken back');
    expect(src.withdrawn).toEqual([7]);
    expect(src.calls).toEqual([['shutdown', '7']]);
  });

  it('Esc with nothing running quits, as in xentop', async () => {
    let quit = 0;
    const r = await start(guests(), { onQuit: () => void quit++ });
    r.stdin.write(KEY.escape);
    await waitForFrame(() => String(quit), (x) => x === '1');
  });

  it('p on a paused domain unpauses it; the status line says what was done', async () => {
    const src = guests();
    const r = await start(src);
    await selectName(r, 'mail');
    r.stdin.write('p');
    await waitForFrame(r.lastFrame, (x) => x.includes('Unpaused mail (domid 7)'));
    expect(src.calls).toEqual([['unpause', '7']]);
  });
});

describe('the selection follows the domain', () => {
  it('through a re-sort, not the row index', async () => {
    const r = await start(guests());
    await selectName(r, 'web');
    r.stdin.write('>'); // sort by STATE
    await waitForFrame(r.lastFrame, (x) => x.includes('sort STATE'));
    expect(r.lastFrame()).toContain('[web (domid 3)]');
  });

  it('across a reboot: the new domid of the same name is selected', async () => {
    const src = guests();
    const r = await start(src);
    await selectName(r, 'web');
    src.domains = src.domains.filter((d) => d.domid !== 3);
    r.stdin.write('\x0c'); // Ctrl-L: refresh now — web is gone for a moment
    await waitForFrame(r.lastFrame, (x) => !names(x).includes('web'));
    src.domains.push(dom({ domid: 9, name: 'web', type: 'pvh' }));
    r.stdin.write('\x0c');
    await waitForFrame(r.lastFrame, (x) => x.includes('[web (domid 9)]'));
  });
});

describe('sorting, filtering, paging', () => {
  it('< and > pick the column to either side, I inverts, F lists them all', async () => {
    const r = await start(guests());
    r.stdin.write('>');
    r.stdin.write('>'); // CPU(sec), descending
    let f = await waitForFrame(r.lastFrame, (x) => x.includes('sort CPU(sec)'));
    expect(names(f)[0]).toBe('Domain-0');
    r.stdin.write('I');
    f = await waitForFrame(r.lastFrame, (x) => x.includes('sort CPU(sec) (inverted)'));
    expect(names(f)[3]).toBe('Domain-0');
    r.stdin.write('F');
    await waitForFrame(r.lastFrame, (x) => x.includes('Sort by (now CPU(sec), inverted)'));
    r.stdin.write('e'); // e = MEM(k)
    f = await waitForFrame(r.lastFrame, (x) => x.includes('sort MEM(k) (inverted)'));
    expect(names(f)).toEqual(['mail', 'web', 'db', 'Domain-0']);
    r.stdin.write('<');
    await waitForFrame(r.lastFrame, (x) => x.includes('sort CPU(%)'));
  });

  it('/ filters as you type; Enter keeps it, Esc clears it; Ctrl-U and Ctrl-W edit', async () => {
    const r = await start(guests());
    r.stdin.write('/');
    await waitForFrame(r.lastFrame, (x) => lines(x).some((l) => l.startsWith('/_')));
    r.stdin.write('state:b');
    let f = await waitForFrame(r.lastFrame, (x) => x.includes('/state:b_'));
    expect(names(f)).toEqual(['db', 'web']);
    expect(f).toContain('2 of 4 domains');
    r.stdin.write('\x17'); // Ctrl-W
    await waitForFrame(r.lastFrame, (x) => x.includes('/_') && names(x).length === 4);
    r.stdin.write('hvm');
    await waitForFrame(r.lastFrame, (x) => names(x).join() === 'db');
    r.stdin.write(KEY.enter);
    f = await waitForFrame(r.lastFrame, (x) => x.includes('filter "hvm": 1 of 4'));
    r.stdin.write('/');
    r.stdin.write('\x15'); // Ctrl-U
    r.stdin.write('mail');
    await waitForFrame(r.lastFrame, (x) => names(x).join() === 'mail');
    r.stdin.write(KEY.escape);
    await waitForFrame(r.lastFrame, (x) => names(x).length === 4);
  });

  it('Esc on the table clears an applied filter first; the next Esc quits, as in xentop', async () => {
    let quit = 0;
    const r = await start(guests(), { onQuit: () => void quit++ });
    r.stdin.write('/');
    await waitForFrame(r.lastFrame, (x) => lines(x).some((l) => l.startsWith('/_')));
    r.stdin.write('hvm');
    await waitForFrame(r.lastFrame, (x) => names(x).join() === 'db');
    r.stdin.write(KEY.enter);
    await waitForFrame(r.lastFrame, (x) => x.includes('filter "hvm": 1 of 4'));
    r.stdin.write(KEY.escape);
    const f = await waitForFrame(r.lastFrame, (x) => names(x).length === 4);
    expect(f).not.toContain('filter "hvm"');
    expect(quit).toBe(0);
    r.stdin.write(KEY.escape);
    await waitForFrame(() => String(quit), (x) => x === '1');
  });

  it('PgDn/End/Home move by screens and to the ends', async () => {
    const many = new FakeSource([dom0(), ...Array.from({ length: 30 }, (_, i) => dom({ domid: i + 1, name: `g${String(i + 1).padStart(2, '0')}` }))]);
    const r = await start(many, {}, 15);
    r.stdin.write('\u001B[F'); // End
    await waitForFrame(r.lastFrame, (x) => x.includes('[g30 (domid 30)]') && names(x).includes('g30'));
    r.stdin.write('\u001B[H'); // Home
    await waitForFrame(r.lastFrame, (x) => x.includes('[Domain-0 (domid 0)]'));
    r.stdin.write('\u001B[6~'); // PgDn: 7 rows fit
    await waitForFrame(r.lastFrame, (x) => x.includes('[g07 (domid 7)]'));
  });

  it('T hides the TYPE column, U shows the UUID', async () => {
    const r = await start(guests());
    for (let i = 0; i < 18; i++) r.stdin.write('\u001B[C');
    let f = await waitForFrame(r.lastFrame, (x) => lines(x)[3] === '      NAME TYPE');
    expect(lines(f).find((l) => l.startsWith('        db'))).toBe('        db HVM');
    r.stdin.write('U');
    f = await waitForFrame(r.lastFrame, (x) => lines(x)[3]!.startsWith('      NAME TYPE     UUID'));
    r.stdin.write('T');
    await waitForFrame(r.lastFrame, (x) => lines(x)[3]!.startsWith('      NAME UUID'));
  });
});

describe('mouse (xlsim top --mouse)', () => {
  it('a click selects the row, a click on a header sorts by it (again inverts), the wheel moves', async () => {
    const r = await start(guests());
    // SGR report: button 0 pressed at column 3, row 7 (1-based) = the fourth domain row
    r.stdin.write('\u001B[<0;3;7M');
    const f = await waitForFrame(r.lastFrame, (x) => x.includes('[mail (domid 7)]'));
    expect(names(f)[2]).toBe('mail');
    r.stdin.write('\u001B[<0;3;7m'); // the release changes nothing
    r.stdin.write('\u001B[<0;45;4M'); // header row, over MEM(k)
    await waitForFrame(r.lastFrame, (x) => x.includes('sort MEM(k)') && !x.includes('inverted'));
    r.stdin.write('\u001B[<0;45;4M');
    await waitForFrame(r.lastFrame, (x) => x.includes('sort MEM(k) (inverted)'));
    r.stdin.write('\u001B[<65;3;7M'); // wheel down: three rows on
    await waitForFrame(r.lastFrame, (x) => x.includes('[Domain-0 (domid 0)]'));
  });
});

describe('colour', () => {
  it('follows NO_COLOR and FORCE_COLOR', () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '0' })).toBe(false);
  });

  it('without colour the selected row is in reverse video, and no colour is drawn anywhere', async () => {
    const level = chalk.level;
    chalk.level = 3;
    try {
      const r = await start(guests(), { color: false });
      const f = r.lastFrame()!;
      const sel = f.split('\n').find((l) => l.includes('        db --b---'))!;
      expect(sel).toContain('\u001B[7m');
      expect(f).not.toMatch(/\u001B\[3[0-9]m|\u001B\[9[0-7]m|\u001B\[38;/);
      cleanup();
      const c = await start(guests(), { color: true });
      expect(c.lastFrame()!.split('\n').find((l) => l.includes('        db --b---'))).toContain('\u001B[36m');
    } finally {
      chalk.level = level;
    }
  });

  it('every row is the plain xentop line, and the selected one is styled whole, blanks included, as the selection moves', async () => {
    const level = chalk.level;
    chalk.level = 3;
    try {
      const ansi = /\u001B\[[0-9;]*m/g;
      const plain = (await start(guests(), { color: false })).lastFrame()!.replace(ansi, '');
      const plainRows = plain.split('\n').slice(4, 8);
      expect(plainRows.map((l) => l.slice(0, 17))).toEqual(['        db --b---', '  Domain-0 -----r', '      mail ----p-', '       web --b---']);
      cleanup();
      const r = await start(guests(), { color: true });
      // One style from the first column to the last character: nothing unstyled inside the line.
      const styledWhole = /^(\u001B\[[0-9;]*m)+[^\u001B]+(\u001B\[[0-9;]*m)*$/;
      for (const [selected, key] of [[0, ''], [1, KEY.down], [2, KEY.down], [3, KEY.down], [2, KEY.up]] as const) {
        if (key) r.stdin.write(key);
        const name = ['db', 'Domain-0', 'mail', 'web'][selected]!;
        const f = await waitForFrame(r.lastFrame, (x) => x.includes(`[${name} (domid`));
        const rows = f.split('\n').slice(4, 8);
        rows.forEach((l, i) => {
          expect(l.replace(ansi, '').trimEnd()).toBe(plainRows[i]!.trimEnd());
          if (i === selected) {
            expect(l).toMatch(styledWhole);
            expect(l.startsWith('\u001B[')).toBe(true);
            expect(l).toContain('\u001B[36m');
          } else expect(l).not.toMatch(ansi);
        });
      }
    } finally {
      chalk.level = level;
    }
  });
});
