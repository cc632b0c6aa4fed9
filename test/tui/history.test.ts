/**
 * The dashboard's chart history (tui/history.ts `HistoryStore`): CPU(%) and memory per
 * refresh; throughput only between two reads that both carried device counters (a read
 * without devices keeps the last counters); a domain that goes away is forgotten.
 */
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/tui/history.js';
import type { TopRow } from '../../src/tui/xentop.js';

/** The fields of a row the history reads; `io` = the read carried device counters. */
function row(domid: number, o: { cpu: number; memKiB: number; io?: { tx: number; rx: number; rd: number; wr: number } }): TopRow {
  return {
    domid,
    cpuPct: o.cpu,
    memKiB: o.memKiB,
    netTxK: o.io?.tx ?? 0,
    netRxK: o.io?.rx ?? 0,
    vbdRd: o.io?.rd ?? 0,
    vbdWr: o.io?.wr ?? 0,
    info: o.io ? { nets: [] } : {},
  } as unknown as TopRow;
}

describe('HistoryStore', () => {
  it('records CPU and memory each refresh, throughput between reads with devices, and forgets a domain that went away', () => {
    const h = new HistoryStore();
    h.record([row(1, { cpu: 10, memKiB: 2048, io: { tx: 100, rx: 200, rd: 10, wr: 20 } }), row(2, { cpu: 5, memKiB: 1024 })], 0);
    expect(h.version).toBe(1);
    // no devices in this read: no throughput point, and the last counters stay those of t=0
    h.record([row(1, { cpu: 20, memKiB: 2048 }), row(2, { cpu: 6, memKiB: 1024 })], 1000);
    expect(h.get(1, 'netTx')).toEqual([]);
    // devices again, 2 s after the last read that had them
    h.record([row(1, { cpu: 30, memKiB: 4096, io: { tx: 300, rx: 200, rd: 50, wr: 20 } }), row(2, { cpu: 7, memKiB: 1024 })], 2000);
    expect(h.get(1, 'cpu')).toEqual([10, 20, 30]);
    expect(h.get(1, 'mem')).toEqual([2, 2, 4]);
    expect(h.get(1, 'netTx')).toEqual([100]);
    expect(h.get(1, 'netRx')).toEqual([0]);
    expect(h.get(1, 'vbdRd')).toEqual([20]);
    expect(h.get(1, 'vbdWr')).toEqual([0]);
    expect(h.get(2, 'cpu')).toEqual([5, 6, 7]);
    // counters that went down (a restarted guest) give 0, not a negative rate
    h.record([row(1, { cpu: 1, memKiB: 4096, io: { tx: 0, rx: 0, rd: 0, wr: 0 } })], 3000);
    expect(h.get(1, 'netTx')).toEqual([100, 0]);
    // domain 2 was not in the last refresh: forgotten
    expect(h.get(2, 'cpu')).toEqual([]);
    expect(h.version).toBe(4);
  });

  it('gives no rate while a row carries its last read counters (off screen), then the mean over the time away', () => {
    const h = new HistoryStore();
    const read = row(1, { cpu: 1, memKiB: 1024, io: { tx: 0, rx: 0, rd: 0, wr: 0 } });
    h.record([read], 0);
    h.record([row(1, { cpu: 1, memKiB: 1024, io: { tx: 10, rx: 0, rd: 0, wr: 0 } })], 1000);
    const last = row(1, { cpu: 1, memKiB: 1024, io: { tx: 10, rx: 0, rd: 0, wr: 0 } });
    h.record([last], 2000);
    expect(h.get(1, 'netTx')).toEqual([10, 0]);
    // Three refreshes off screen: the reducer hands the same counters (the same nets array) on.
    for (const t of [3000, 4000, 5000]) h.record([{ ...last, info: last.info } as TopRow], t);
    expect(h.get(1, 'netTx')).toEqual([10, 0]);
    // Back on screen 4 s after the last read, 40 KiB more: 10 KiB/s, not 40.
    h.record([row(1, { cpu: 1, memKiB: 1024, io: { tx: 50, rx: 0, rd: 0, wr: 0 } })], 6000);
    expect(h.get(1, 'netTx')).toEqual([10, 0, 10]);
  });
});
