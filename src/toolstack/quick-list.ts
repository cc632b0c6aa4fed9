/**
 * `xlsim list` without the rest of xlsim: the start-up path for the command scripts call
 * most (issue 7's ≤ 1.3× `node -e 0`, issue 6's `list` at 1,000 and 10,000 domains).
 *
 * `bin/xlsim` runs `quickList` (bundled alone as dist/list.cjs: better-sqlite3, the
 * store's SQLite backend, the summary and list format modules, nothing of commander, the
 * parser or the machine's steps) for exactly `xlsim list`, and the full CLI only when it
 * answers `undefined`. It answers only when the full path would print the same bytes from
 * a read that writes nothing:
 * - the host database exists (no first-use creation, no old `state.json` to refuse);
 * - its host layout is the one this xlsim reads (no upgrade to run);
 * - no queued event is due by now (guests booting, timers, `on_*` actions): then the
 *   full path's `advanceTo(now)` only moves the host's time, and each domain's row read
 *   at time `now` is what `xl list` shows (machine/summary.ts, the same function the
 *   host's queries use);
 * - nothing fails on the way (an unreadable, locked or damaged database is left to the
 *   full path, which reports it as usual).
 * Output: `xl list`'s table (tools/xl/xl_info.c `list_domains`; format/list.ts's `formatList`
 * row by row), written
 * with write(2) as every one-shot command does (stdio.ts). Exit status 0.
 */
import type { DomainCore, PoolRecord, QueuedEvent } from '../machine/records.js';
import { domainSummary } from '../machine/summary.js';
import { listHeader, listRow } from './format/list.js';
import { fdWriter } from './stdio.js';
import { defaultStateDir } from './store/paths.js';
import { peekHost } from './store/peek.js';

/**
 * Prints `xl list` for the host in state directory `dir` at wall-clock time `nowMs`
 * (ms since the epoch; the host's own time when that is later) as UTF-8 bytes, given to
 * `out` in one call (default: standard output), and returns 0; or
 * returns undefined, having printed nothing, when the full CLI must answer (see the
 * module comment). Never throws.
 */
export function quickList(dir: string, nowMs: number, out: (bytes: Uint8Array) => void = fdWriter(1)): number | undefined {
  const text = peekHost(dir, (db, meta) => {
    const t = Math.max(meta.now, Math.floor(nowMs));
    const [first] = db.range('queue', '', undefined, { limit: 1 });
    if (first && (JSON.parse(first[1]) as QueuedEvent).due <= t) return undefined;
    const pools = new Map<number, PoolRecord>();
    for (const [, v] of db.range('pools', '', undefined)) {
      const p = JSON.parse(v) as PoolRecord;
      pools.set(p.id, p);
    }
    // One row at a time, each line encoded into one growing buffer at once: the parsed
    // row, its summary and its line all die young (10,000 domains would otherwise keep
    // ~50 MB of rows, or 10,000 lines of string pieces, alive through a dozen scavenges).
    const bytes = new Bytes();
    bytes.put(listHeader());
    db.forEachValue('domains', (v) => {
      const rec = JSON.parse(v) as DomainCore;
      bytes.put(listRow(domainSummary(rec, t, pools.get(rec.sched.pool))));
    });
    return bytes;
  });
  if (text === undefined) return undefined;
  out(text.bytes());
  return 0;
}

/**
 * `xlsim list` as `bin/xlsim` calls it (the entry of dist/list.cjs): `quickList` for the
 * state directory `defaultStateDir()` at the wall-clock time. Returns 0, or undefined when
 * the full CLI must run the command.
 */
export function quickListMain(): number | undefined {
  return quickList(defaultStateDir(), Date.now());
}

/** Text encoded as UTF-8 into one buffer that doubles as it fills. */
class Bytes {
  private buf = Buffer.allocUnsafe(1 << 16);
  private len = 0;

  /** Appends `s` as UTF-8. */
  put(s: string): void {
    const most = s.length * 3;
    if (this.len + most > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + most));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    this.len += this.buf.write(s, this.len, 'utf8');
  }

  /** What was appended (a view of the buffer). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
