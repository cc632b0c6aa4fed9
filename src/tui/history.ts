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

/** One domain's series and the counters of its last read with devices (updated in place). */
interface Entry {
  series: Record<SeriesName, Ring>;
  /** Time of the last read with device counters, or of the first read. */
  t: number;
  netTxK: number;
  netRxK: number;
  rd: number;
  wr: number;
  hasIo: boolean;
  /** The `nets` array of that read: a later sample that carries the same array kept the counters of that read (the row was off screen), and gives no rate. */
  io: unknown;
  /** `HistoryStore.version` of the last record that saw the domain. */
  seen: number;
}

/** Every domain's series, by domid. A domain that goes away is forgotten. */
export class HistoryStore {
  private readonly entries = new Map<number, Entry>();
  /** Bumped by every `record` (views compare it to redraw). */
  version = 0;

  /**
   * Records one refresh: CPU(%) and memory of each row, and, for rows whose device
   * counters were read in this sample, the throughput since the last read of them (a row
   * off screen for a while is read again when it comes back: its first rate is the mean
   * over the time it was away, not all of that traffic in one interval). Allocates
   * nothing for a domain it already knows (it runs over every domain at each refresh).
   */
  record(rows: Iterable<TopRow>, nowMs: number): void {
    const stamp = ++this.version;
    for (const r of rows) {
      const hasIo = r.info.nets !== undefined;
      let e = this.entries.get(r.domid);
      if (!e) {
        e = {
          series: { cpu: new Ring(), mem: new Ring(), netTx: new Ring(), netRx: new Ring(), vbdRd: new Ring(), vbdWr: new Ring() },
          t: nowMs,
          netTxK: r.netTxK,
          netRxK: r.netRxK,
          rd: r.vbdRd,
          wr: r.vbdWr,
          hasIo,
          io: r.info.nets,
          seen: stamp,
        };
        this.entries.set(r.domid, e);
        e.series.cpu.push(r.cpuPct);
        e.series.mem.push(r.memKiB / 1024);
        continue;
      }
      e.seen = stamp;
      const s = e.series;
      s.cpu.push(r.cpuPct);
      s.mem.push(r.memKiB / 1024);
      // No fresh counters (none read, or the last read's carried over): no rate now; the
      // next fresh read gives the mean over the whole time since the last one.
      if (!hasIo || r.info.nets === e.io) continue;
      if (e.hasIo && nowMs > e.t) {
        const dt = (nowMs - e.t) / 1000;
        s.netTx.push(Math.max(0, r.netTxK - e.netTxK) / dt);
        s.netRx.push(Math.max(0, r.netRxK - e.netRxK) / dt);
        s.vbdRd.push(Math.max(0, r.vbdRd - e.rd) / dt);
        s.vbdWr.push(Math.max(0, r.vbdWr - e.wr) / dt);
      }
      e.t = nowMs;
      e.netTxK = r.netTxK;
      e.netRxK = r.netRxK;
      e.rd = r.vbdRd;
      e.wr = r.vbdWr;
      e.hasIo = true;
      e.io = r.info.nets;
    }
    for (const [id, e] of this.entries) if (e.seen !== stamp) this.entries.delete(id);
  }

  /** The points of one series of one domain, oldest first ([] when unknown). */
  get(domid: number, name: SeriesName): number[] {
    return this.entries.get(domid)?.series[name].values() ?? [];
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
