/** The drill-down's line wrapping (tui/drill.ts `wrapLine`): at blanks, under the value column. */
import { expect, it } from 'vitest';
import { wrapLine } from '../../src/tui/drill.js';

const rows = (text: string, width: number) => wrapLine([{ text }], width).map((r) => r.map((x) => x.text).join(''));

it('wraps a labelled line at a blank, the rest under the value column', () => {
  const out = rows('Backend     XenbusState 4 Connected · event channel port 29 · /local/domain/0/backend/vbd/1/51712', 60);
  expect(out).toEqual(['Backend     XenbusState 4 Connected · event channel port 29', '            · /local/domain/0/backend/vbd/1/51712']);
  for (const r of out) expect(r.length).toBeLessThanOrEqual(60);
});

it('wraps prose at blanks with no indent, and an indented line under its own indent', () => {
  expect(rows('Per second over the last refresh. PV and PVH guests call Xen by hypercalls.', 40)).toEqual([
    'Per second over the last refresh. PV and',
    'PVH guests call Xen by hypercalls.',
  ]);
  expect(rows('    grants 11→dom0 (vif 0 rx-ring-ref) 12→dom0 (vif 0 tx-ring-ref)', 44)).toEqual([
    '    grants 11→dom0 (vif 0 rx-ring-ref)',
    '    12→dom0 (vif 0 tx-ring-ref)',
  ]);
});

it('cuts a word longer than the row, and keeps the styles of the pieces', () => {
  const out = wrapLine([{ text: 'Config      ', color: 'gray' }, { text: '/very/long/path/without/any/blank/in/it/at/all.cfg', bold: true }], 40);
  expect(out.map((r) => r.map((x) => x.text).join(''))).toEqual(['Config      /very/long/path/without/any/', '            blank/in/it/at/all.cfg']);
  expect(out[0]![0]).toEqual({ text: 'Config      ', color: 'gray' });
  expect(out[1]![1]!.bold).toBe(true);
});
