/**
 * The architecture view reads the guests that scroll into view at once, not at the next
 * refresh (a folded list of guests with no devices until then read as guests with none),
 * and keeps the selected guest on screen across a resize.
 */
import { afterEach, expect, it } from 'vitest';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { TopApp } from '../../src/tui/app.js';
import type { ArchData } from '../../src/tui/source.js';
import { dom, dom0, FakeSource, KEY, waitForFrame } from './fixtures.js';
import { initialState, paneHeight, reduce } from '../../src/tui/state.js';
import { layoutGuests } from '../../src/tui/arch.js';

afterEach(() => cleanup());

/** A FakeSource that records which guests each architecture read asked for. */
class ArchSource extends FakeSource {
  archReads: number[][] = [];
  override async arch(ids?: readonly number[]): Promise<ArchData> {
    this.archReads.push([...(ids ?? [])]);
    const d = await super.arch();
    return { ...d, devices: new Map((ids ?? []).map((id) => [id, []])) };
  }
}

const guests = () => new ArchSource([dom0(), ...Array.from({ length: 30 }, (_, i) => dom({ domid: i + 1, name: `g${String(i + 1).padStart(2, '0')}` }))]);

it('PgDn in the architecture view reads the guests it brings into view, without waiting for a refresh', async () => {
  const src = guests();
  const r = render(<TopApp source={src} columns={80} rows={24} utc animateMs={0} />);
  await waitForFrame(r.lastFrame, (f) => f.includes('g01'));
  r.stdin.write('A');
  const first = await waitForFrame(r.lastFrame, (f) => f.includes('▸ ') && src.archReads.length > 0);
  // The guests' heading fits the column whole: which of how many, and that Up/Down scroll.
  const heading = first.split('\n').find((l) => l.includes('Domain-0: backends'))!.trimEnd();
  expect(heading).toMatch(/ Guests(: frontends)? — (guests )?1-\d+ of 30 (\(Up\/Down( scrolls)?\)|↑↓)$/);
  const samples = src.requests.length;
  const reads = src.archReads.length;
  r.stdin.write(KEY.pageDown);
  r.stdin.write(KEY.pageDown);
  const boxed = (x: string) => Number(/┌─ g\d+ · dom (\d+)/.exec(x)?.[1] ?? 0);
  const f = await waitForFrame(r.lastFrame, (x) => boxed(x) > 5);
  const selected = boxed(f);
  await waitForFrame(r.lastFrame, () => src.archReads.slice(reads).some((ids) => ids.includes(selected)));
  expect(src.requests.length).toBe(samples);
});

it('a resize keeps the selected guest in the folded list', async () => {
  const src = guests();
  const sample = await src.sample();
  const data = await src.arch([]);
  let s = reduce(initialState(120, 36), { type: 'sample', sample });
  s = reduce(s, { type: 'key', action: 'arch' });
  s = reduce(s, { type: 'archData', data });
  s = reduce(s, { type: 'key', action: 'pageDown' });
  s = reduce(s, { type: 'key', action: 'pageDown' });
  expect(s.arch.selected).toBe(30);
  const shown = (t: typeof s) => layoutGuests({ data, height: paneHeight(t), first: t.arch.first, selected: t.arch.selected, migration: t.arch.migration, recent: t.arch.recent }).guests.map((g) => g.domid);
  expect(shown(s)).toContain(30);
  const small = reduce(s, { type: 'resize', columns: 80, rows: 24 });
  expect(shown(small)).toContain(30);
});

it('the guests heading keeps the Up/Down hint when not every guest is shown, dropping words first', async () => {
  const src = new ArchSource([dom0(), ...Array.from({ length: 9 }, (_, i) => dom({ domid: i + 1, name: `g${i + 1}` }))]);
  const r = render(<TopApp source={src} columns={80} rows={24} utc animateMs={0} />);
  await waitForFrame(r.lastFrame, (f) => f.includes('g1'));
  r.stdin.write('A');
  const f = await waitForFrame(r.lastFrame, (x) => x.includes('▸ ') && src.archReads.length > 0);
  const heading = f.split('\n').find((l) => l.includes('Domain-0: backends'))!.trimEnd();
  expect(heading).toMatch(/ of 9 (\(Up\/Down( scrolls)?\)|↑↓)$/);
});
