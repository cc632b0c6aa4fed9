/**
 * The last minutes of every domain's figures, for the drill-down's charts: CPU(%),
 * memory, network and disk throughput, one point per refresh. Kept in fixed-size rings
 * (no allocation per refresh once a domain is known), outside the reducer's state:
 * `HistoryStore.record` is called once per sample by the controller, and views read it.
 */
import type { TopRow } from './xentop.js';

/** Points kept per series: 120 refreshes, six minutes at the default 3 s delay. */
export const HISTORY_POINTS = 120;

/** The series kept per domain. */
export type SeriesName = 'cpu' | 'mem' | 'netTx' | 'netRx' | 'vbdRd' | 'vbdWr';

/** Units of each series, for the charts' labels. */
export const SERIES_UNITS: Record<SeriesName, string> = {
  cpu: '%',
  mem: 'MiB',
  netTx: 'KiB/s',
  netRx: 'KiB/s',
  vbdRd: 'req/s',
  vbdWr: 'req/s',
};

/** One fixed-size ring of numbers. */
export class Ring {
  private readonly data: Float64Array;
  private start = 0;
  /** Points stored. */
  size = 0;
  constructor(readonly capacity: number = HISTORY_POINTS) {
    this.data = new Float64Array(capacity);
  }
  /** Adds a point, dropping the oldest when full. */
  push(v: number): void {
    if (this.size < this.capacity) this.data[(this.start + this.size++) % this.capacity] = v;
    else {
      this.data[this.start] = v;
      this.start = (this.start + 1) % this.capacity;
    }
  }
  /** The points, oldest first. */
  values(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.data[(this.start + i) % this.capacity]!);
    return out;
  }
}

interface Last {
  t: number;
  netTxK: number;
  netRxK: number;
  rd: number;
  wr: number;
  hasIo: boolean;
}

/** Every domain's series, by domid. A domain that goes away is forgotten. */
export class HistoryStore {
  private readonly series = new Map<number, Record<SeriesName, Ring>>();
  private readonly last = new Map<number, Last>();
  /** Bumped by every `record` (views compare it to redraw). */
  version = 0;

  /**
   * Records one refresh: CPU(%) and memory of each row, and, for rows that carry device
   * counters in this sample and the last one, the throughput between the two.
   */
  record(rows: readonly TopRow[], nowMs: number): void {
    const seen = new Set<number>();
    for (const r of rows) {
      seen.add(r.domid);
      let s = this.series.get(r.domid);
      if (!s) {
        s = { cpu: new Ring(), mem: new Ring(), netTx: new Ring(), netRx: new Ring(), vbdRd: new Ring(), vbdWr: new Ring() };
        this.series.set(r.domid, s);
      }
      s.cpu.push(r.cpuPct);
      s.mem.push(r.memKiB / 1024);
      const hasIo = r.info.nets !== undefined;
      const prev = this.last.get(r.domid);
      const cur: Last = { t: nowMs, netTxK: r.netTxK, netRxK: r.netRxK, rd: r.vbdRd, wr: r.vbdWr, hasIo };
      if (hasIo && prev?.hasIo && nowMs > prev.t) {
        const dt = (nowMs - prev.t) / 1000;
        s.netTx.push(Math.max(0, cur.netTxK - prev.netTxK) / dt);
        s.netRx.push(Math.max(0, cur.netRxK - prev.netRxK) / dt);
        s.vbdRd.push(Math.max(0, cur.rd - prev.rd) / dt);
        s.vbdWr.push(Math.max(0, cur.wr - prev.wr) / dt);
      }
      if (hasIo || !prev) this.last.set(r.domid, cur);
    }
    for (const id of [...this.series.keys()]) {
      if (!seen.has(id)) {
        this.series.delete(id);
        this.last.delete(id);
      }
    }
    this.version++;
  }

  /** The points of one series of one domain, oldest first ([] when unknown). */
  get(domid: number, name: SeriesName): number[] {
    return this.series.get(domid)?.[name].values() ?? [];
  }
}

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * A sparkline of the last `width` points (one character each, oldest left), scaled from
 * 0 to `max` (default: the largest point, at least 1). Blank where there are no points yet.
 */
export function sparkline(points: readonly number[], width: number, max?: number): string {
  const shown = points.slice(Math.max(0, points.length - width));
  const top = Math.max(max ?? 0, ...shown, 1e-9);
  const line = shown.map((v) => (v <= 0 ? ' ' : BLOCKS[Math.min(7, Math.max(0, Math.ceil((v / top) * 8) - 1))]!)).join('');
  return ' '.repeat(Math.max(0, width - shown.length)) + line;
}
