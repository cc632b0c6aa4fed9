import { afterEach, describe, expect, it } from 'vitest';
import React from 'react';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, render } from 'ink-testing-library';
import { VirtualClock } from '../../src/machine/clock.js';
import { Host } from '../../src/machine/host.js';
import { HostStore } from '../../src/toolstack/store.js';
import { TopApp } from '../../src/tui/app.js';
import { bootExamples, storeSource } from '../../src/tui/main.js';
import { KEY, waitForFrame } from './fixtures.js';

afterEach(() => cleanup());

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'etc-xen');
const lines = (f: string) => f.split('\n').map((l) => l.trimEnd());
const rowOf = (f: string, name: string) => lines(f).find((l) => l.slice(0, 10).trim() === name);

async function demo() {
  const clock = new VirtualClock(Date.UTC(2026, 10, 21, 9, 15, 0));
  const store = HostStore.inMemory({ host: Host.create(clock) });
  expect(await bootExamples(store, clock, EXAMPLES)).toEqual([]);
  const r = render(<TopApp source={storeSource(store, clock)} columns={100} rows={30} utc />);
  await waitForFrame(r.lastFrame, (f) => f.includes('debian-pv'));
  return { ...r, clock, store };
}

describe('dashboard over the emulated host', () => {
  it('shows Domain-0 and the demo guests with the host summary', async () => {
    const { lastFrame } = await demo();
    const l = lines(lastFrame()!);
    expect(l[0]).toBe('xentop - 09:15:00   Xen 4.20.0');
    expect(l[2]).toMatch(/^Mem: 33554432k total, \d+k used, \d+k free    CPUs: 8 @ 3192MHz$/);
    expect(rowOf(lastFrame()!, 'Domain-0')!.slice(0, 74)).toBe(
      '  Domain-0 -----r          0    0.0    4194304   12.5   no limit       n/a',
    );
    expect(rowOf(lastFrame()!, 'debian-pv')!.slice(36, 74)).toBe('   2097152    6.2    2098176       6.3');
  });

  it('p pauses the selected guest through xl pause and its STATE shows p', async () => {
    const { lastFrame, stdin } = await demo();
    expect(lastFrame()).toContain('[alpine-pv (domid ');
    stdin.write(KEY.down);
    await waitForFrame(lastFrame, (x) => x.includes('[debian-pv (domid '));
    stdin.write('p');
    const f = await waitForFrame(lastFrame, (x) => rowOf(x, 'debian-pv')?.slice(11, 17) === '----p-');
    expect(f).toMatch(/Paused debian-pv \(domid \d+\)/);
    expect(lines(f)[1]).toMatch(/ 1 paused, /);
  });

  it('the palette runs xl list on the same host', async () => {
    const { lastFrame, stdin } = await demo();
    stdin.write(':');
    await waitForFrame(lastFrame, (x) => lines(x).some((l) => l.startsWith(':')));
    for (const c of 'list') stdin.write(c);
    await waitForFrame(lastFrame, (x) => x.includes(':list'));
    stdin.write(KEY.enter);
    const f = await waitForFrame(lastFrame, (x) => x.includes('$ xl list'));
    const l = lines(f);
    const at = l.indexOf('$ xl list');
    // xl list's header has TABs, drawn at 8-column stops
    expect(l[at + 1]).toBe('Name                                        ID   Mem VCPUs      State   Time(s)');
    expect(l[at + 2]).toMatch(/^Domain-0 +0  4096 +4 +r----- +\d+\.\d$/);
  });

  it('c opens the guest console log and Esc returns to the table', async () => {
    const { lastFrame, stdin, store, clock } = await demo();
    const host = store.memoryHost(clock)!;
    const id = host.domidByName('alpine-pv')!;
    expect(host.consoleLog(id).length).toBeGreaterThan(0);
    stdin.write('c');
    const f = await waitForFrame(lastFrame, (x) => x.includes(`alpine-pv (domid ${id}) — following`));
    const firstLogLine = host.consoleLog(id).split('\n').find((s) => s.trim() !== '')!;
    expect(lines(f).some((l) => firstLogLine.startsWith(l.trim()) || l.includes(firstLogLine.slice(0, 20)))).toBe(true);
    stdin.write(KEY.ctrlBracket);
    await waitForFrame(lastFrame, (x) => x.includes('      NAME  STATE'));
  });
});
