import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { KEYMAP, helpLines, lookupKey, type KeyAction } from '../../src/tui/keymap.js';
import { splitBurst } from '../../src/tui/hooks/use-pane-keys.js';
import { initialState, RATE_MIN_MS, reduce, selectedRow, splitCommandLine, tableColumns, visibleDomids, type TopState } from '../../src/tui/state.js';
import { callRates } from '../../src/tui/drill.js';
import type { DrillData } from '../../src/tui/source.js';
import { columnRightEdge } from '../../src/tui/table.js';
import { dom, dom0, HOST } from './fixtures.js';

const keys = (s: TopState, ...actions: Parameters<typeof reduce>[1][]) => actions.reduce(reduce, s);

describe('splitCommandLine', () => {
  it('splits like a shell without expanding anything', () => {
    expect(splitCommandLine('xl list -l')).toEqual(['list', '-l']);
    expect(splitCommandLine(`create /etc/xen/a.cfg 'name="my vm"' memory=512`)).toEqual(['create', '/etc/xen/a.cfg', 'name="my vm"', 'memory=512']);
    expect(splitCommandLine('rename "old name" new\\ name')).toEqual(['rename', 'old name', 'new name']);
    expect(splitCommandLine('  $(reboot) `x`  ')).toEqual(['$(reboot)', '`x`']);
    expect(splitCommandLine('list ""')).toEqual(['list', '']);
  });
});

describe('delay prompt', () => {
  it('applies a delay greater than 0 and keeps the old one otherwise, as xentop', () => {
    const s0 = initialState(100, 30);
    const s1 = keys(s0, { type: 'key', action: 'delay' }, { type: 'type', text: '7a' }, { type: 'key', action: 'submit' });
    expect(s1.delaySec).toBe(7);
    expect(s1.mode).toBe('dashboard');
    const s2 = keys(s1, { type: 'key', action: 'delay' }, { type: 'type', text: '0' }, { type: 'key', action: 'submit' });
    expect(s2.delaySec).toBe(7);
    const s3 = keys(s1, { type: 'key', action: 'delay' }, { type: 'type', text: '9' }, { type: 'key', action: 'close' });
    expect(s3.delaySec).toBe(7);
  });
});

describe('Esc on the table', () => {
  it('clears an applied filter, and changes nothing without one (the controller then quits)', () => {
    const s0 = initialState(100, 30);
    const typed = keys(s0, { type: 'key', action: 'filter' }, { type: 'type', text: 'hvm' }, { type: 'key', action: 'submit' });
    expect(typed.filter).toBe('hvm');
    expect(typed.mode).toBe('dashboard');
    const cleared = reduce(typed, { type: 'key', action: 'escape' });
    expect(cleared.filter).toBe('');
    expect(cleared.mode).toBe('dashboard');
    expect(reduce(s0, { type: 'key', action: 'escape' })).toEqual(s0);
  });
});

describe('keymap', () => {
  it('binds no key twice within one pane', () => {
    const seen = new Set<string>();
    for (const b of KEYMAP) {
      for (const k of b.keys) {
        const id = `${b.scope}|${k.named ?? ''}|${k.input ?? ''}|${k.ctrl ? 'C' : ''}|${k.shift ? 'S' : ''}|${k.alt ? 'A' : ''}|${k.digit ? 'D' : ''}`;
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
  });
  it('every help line fits 100 columns', () => {
    for (const l of helpLines()) expect(l.length, l).toBeLessThanOrEqual(100);
  });

  it('every xentop key bar label has its hot letter inside the text', () => {
    for (const b of KEYMAP.filter((x) => x.bar?.line === 'xentop')) {
      const hot = b.bar!.text[b.bar!.hot!];
      expect(hot?.toUpperCase(), b.label).toBe(b.label[0]);
    }
  });

  const NO_KEY: Key = {
    upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
    return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
    super: false, hyper: false, capsLock: false, numLock: false,
  };
  const XENTOP: Record<string, KeyAction> = { d: 'delay', n: 'toggleNetworks', b: 'toggleVbds', v: 'toggleVcpus', r: 'toggleRepeat', s: 'nextSort', q: 'quit' };

  it("takes xentop's keys D N B V R S Q in both cases, as xentop.c handle_key does", () => {
    for (const [c, action] of Object.entries(XENTOP)) {
      expect(lookupKey('dashboard', c, NO_KEY), c).toBe(action);
      expect(lookupKey('dashboard', c.toUpperCase(), { ...NO_KEY, shift: true }), c.toUpperCase()).toBe(action);
    }
    // Esc quits as in xentop, unless an action is running: then it cancels that action.
    expect(lookupKey('dashboard', '', { ...NO_KEY, escape: true, meta: true })).toBe('escape');
    expect(lookupKey('dashboard', 'c', { ...NO_KEY, ctrl: true })).toBe('quit');
    expect(lookupKey('dashboard', '', { ...NO_KEY, upArrow: true })).toBe('up');
    expect(lookupKey('dashboard', '', { ...NO_KEY, downArrow: true })).toBe('down');
    expect(lookupKey('dashboard', 'l', { ...NO_KEY, ctrl: true })).toBe('repaint');
    expect(lookupKey('dashboard', 'L', { ...NO_KEY, ctrl: true, shift: true })).toBe('repaint');
  });

  it("binds no xlsim action to a xentop letter in either case; shutdown is h and waits for y", () => {
    const xentopActions = new Set(Object.values(XENTOP));
    for (const b of KEYMAP.filter((x) => x.scope === 'dashboard' && !xentopActions.has(x.action))) {
      for (const k of b.keys) {
        if (k.input !== undefined && !k.ctrl) expect(Object.keys(XENTOP), `${b.action} on ${k.input}`).not.toContain(k.input.toLowerCase());
      }
    }
    expect(lookupKey('dashboard', 'h', NO_KEY)).toBe('shutdown');
    expect(lookupKey('dashboard', 's', NO_KEY)).toBe('nextSort');
    expect(lookupKey('dashboard', 'h', { ...NO_KEY, meta: true })).toBeUndefined();
    expect(helpLines().some((l) => /^ {2}h +halt: shut down the selected domain, after a confirm \(xl shutdown\)$/.test(l))).toBe(true);
    const s = reduce(initialState(100, 30), { type: 'confirm', domid: 4, name: 'db', action: 'shutdown' });
    expect(s.mode).toBe('confirm');
    expect(s.confirm).toEqual({ domid: 4, name: 'db', action: 'shutdown' });
    expect(reduce(s, { type: 'key', action: 'close' })).toMatchObject({ mode: 'dashboard', confirm: undefined });
  });

  it('splits a burst of characters into the keys Ink reports for each alone', () => {
    const keys = splitBurst('aS\r\x7f\x0c\x1d');
    expect(keys.map((k) => lookupKey('dashboard', k.input, k.key))).toEqual(['arch', 'nextSort', 'drill', undefined, 'repaint', undefined]);
    expect(keys.map((k) => lookupKey('palette', k.input, k.key))).toEqual([undefined, undefined, 'submit', 'backspace', undefined, undefined]);
    expect(lookupKey('console', keys[5]!.input, keys[5]!.key)).toBe('close');
    expect(keys[0]).toMatchObject({ input: 'a', key: { shift: false, ctrl: false } });
    expect(keys[1]).toMatchObject({ input: 'S', key: { shift: true } });
  });
});

describe('paging and filtering the table', () => {
  const many = (n: number): TopState =>
    reduce(initialState(100, 30), {
      type: 'sample',
      sample: { nowMs: 1e12, host: HOST, domains: [dom0(), ...Array.from({ length: n }, (_, i) => dom({ domid: i + 1, name: `m${String(i + 1).padStart(2, '0')}` }))] },
    });
  const shown = (s: TopState) => visibleDomids(s).length;

  it('PgDn, End and PgUp keep the body full of rows', () => {
    const s0 = many(80);
    const full = shown(s0);
    expect(full).toBeGreaterThan(5);
    expect(full).toBeLessThan(30);
    let s = reduce(s0, { type: 'key', action: 'pageDown' });
    s = reduce(s, { type: 'key', action: 'pageDown' });
    s = reduce(s, { type: 'key', action: 'pageDown' });
    expect(shown(s)).toBe(full);
    expect(visibleDomids(s)).toContain(selectedRow(s)!.domid);
    expect(s.view.index.get(selectedRow(s)!.domid)).toBe(3 * full);
    s = reduce(reduce(s0, { type: 'key', action: 'pageDown' }), { type: 'key', action: 'bottom' });
    expect(shown(s)).toBe(full);
    expect(visibleDomids(s).at(-1)).toBe(80);
    const up = reduce(s, { type: 'key', action: 'pageUp' });
    expect(shown(up)).toBe(full);
    expect(up.scroll).toBe(s.scroll - full);
  });

  it('with every row filtered away nothing is selected for an action, and the selection comes back with the rows', () => {
    let s = reduce(many(3), { type: 'key', action: 'down' });
    const before = selectedRow(s)!.domid;
    s = keys(s, { type: 'key', action: 'filter' }, { type: 'type', text: 'zzz' }, { type: 'key', action: 'submit' });
    expect(s.view.rows).toHaveLength(0);
    expect(selectedRow(s)).toBeUndefined();
    s = reduce(s, { type: 'key', action: 'escape' });
    expect(selectedRow(s)?.domid).toBe(before);
  });
});

describe('T and U', () => {
  it('say what they did, and scroll a column they turn on into view', () => {
    const s0 = reduce(initialState(100, 30), { type: 'sample', sample: { nowMs: 1e12, host: HOST, domains: [dom0(), dom({ domid: 1, name: 'web' })] } });
    const off = reduce(s0, { type: 'key', action: 'toggleType' });
    expect(off.message).toBe('TYPE column hidden');
    expect(tableColumns(off)).not.toContain('TYPE');
    const on = reduce(off, { type: 'key', action: 'toggleType' });
    expect(on.message).toMatch(/^TYPE column shown \(scrolled to it/);
    expect(on.hcol).toBeGreaterThan(0);
    const edge = columnRightEdge(on.view.widths, tableColumns(on), on.hcol, 'TYPE');
    expect(edge).toBeGreaterThan(0);
    expect(edge).toBeLessThanOrEqual(100);
    const uuid = reduce(on, { type: 'key', action: 'toggleUuid' });
    expect(uuid.message).toMatch(/^UUID column shown/);
    expect(columnRightEdge(uuid.view.widths, tableColumns(uuid), uuid.hcol, 'UUID')).toBeLessThanOrEqual(100);
  });
});

describe('drill-down rates', () => {
  it('are taken over reads at least RATE_MIN_MS apart: a read just after the last one gives none', () => {
    const read = (nowMs: number, n: number) => ({ nowMs, info: { domid: 1, name: 'web' }, counters: { sched_op: n } }) as unknown as DrillData;
    let s = reduce(initialState(100, 30), { type: 'sample', sample: { nowMs: 1e12, host: HOST, domains: [dom0(), dom({ domid: 1, name: 'web' })] } });
    s = reduce(s, { type: 'openDrill', domid: 1, name: 'web' });
    s = reduce(s, { type: 'drillData', domid: 1, data: read(10_000, 100) });
    s = reduce(s, { type: 'drillData', domid: 1, data: read(10_010, 101) });
    expect(s.drill!.prev).toBeUndefined();
    // The next read a whole interval after the last one gives the rate.
    s = reduce(s, { type: 'drillData', domid: 1, data: read(10_010 + RATE_MIN_MS, 111) });
    expect(s.drill!.prev!.nowMs).toBe(10_010);
    expect(callRates(s.drill!.data, s.drill!.prev)[0]!.rate).toBeCloseTo(10);
  });
});

describe('going back', () => {
  it('Esc in a drill-down opened from the architecture view goes back there, even after a console trip', () => {
    let s = reduce(initialState(100, 30), { type: 'sample', sample: { nowMs: 1e12, host: HOST, domains: [dom0(), dom({ domid: 1, name: 'web' })] } });
    s = reduce(s, { type: 'key', action: 'arch' });
    s = reduce(s, { type: 'openDrill', domid: 1, name: 'web' });
    expect(s.mode).toBe('drill');
    s = reduce(s, { type: 'openConsole', domid: 1, name: 'web' });
    expect(s.mode).toBe('console');
    s = reduce(s, { type: 'key', action: 'close' });
    expect(s.mode).toBe('drill');
    s = reduce(s, { type: 'key', action: 'close' });
    expect(s.mode).toBe('arch');
  });
});
