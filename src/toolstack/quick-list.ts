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
 *   at time `now` is what `xl list` shows (machine/summary.ts `listingSummary` of its
 *   `listing` row, the same function the host's queries use);
 * - nothing fails on the way (an unreadable, locked or damaged database is left to the
 *   full path, which reports it as usual).
 * Output: `xl list`'s table (tools/xl/xl_info.c `list_domains`; format/list.ts's `formatList`
 * row by row), written
 * with write(2) as every one-shot command does (stdio.ts). Exit status 0.
 */
import type { PoolRecord, QueuedEvent } from '../machine/records.js';
import { listingPool, listingSummary, type ListingRow } from '../machine/summary.js';
import { listHeader, listRow } from './format/list.js';
import { lazyRequire } from './lazy-require.js';
import { fdWriter } from './stdio.js';
import { defaultStateDir } from './store/paths.js';
import { peekHost } from './store/peek.js';

/**
 * Prints `xl list` for the host in state directory `dir` at wall-clock time `nowMs`
 * (ms since the epoch; the host's own time when that is later) as UTF-8 bytes, given to
 * `out` in one call (default: standard output), and returns 0; or
 * returns undefined, having printed nothing, when the full CLI must answer (see the
 * module comment). `beforeRows` is told the number of domains (the host's `domainCount`, Domain-0 included) before any row is read.
 * Never throws.
 */
export function quickList(
  dir: string, nowMs: number, out: (bytes: Uint8Array) => void = fdWriter(1), beforeRows?: (domains: number) => void,
): number | undefined {
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
    // The `listing` rows, not the `domains` rows: flat arrays, several times quicker to parse.
    const bytes = new Bytes();
    bytes.put(listHeader());
    beforeRows?.(meta.domainCount);
    db.forEachValue('listing', (v) => {
      const row = JSON.parse(v) as ListingRow;
      bytes.put(listRow(listingSummary(row, t, pools.get(listingPool(row)))));
    });
    return bytes;
  });
  if (text === undefined) return undefined;
  out(text.bytes());
  return 0;
}

/**
 * The numbers of domains (from, below) for which the list runs without V8's optimising
 * compiler (TurboFan). From about 700 domains TurboFan starts compiling the row loop's
 * functions, but a list of fewer than 2,000–3,000 is done before the optimised code pays
 * for itself, and node waits at exit for the compiles it started on worker threads (it
 * drains V8's tasks). At 1,000 running domains `--no-opt` took the command from 2.0–2.3×
 * to 1.7–1.85× `node -e 0`; at 10,000 it would cost 5–10 % (docs/startup.md). Below the
 * band nothing is optimised anyway. Setting the flag after start-up only stops new
 * optimisations; the code cache bin/xlsim loaded is not affected.
 */
const NO_OPT_ROWS = [600, 2500] as const;

/**
 * `xlsim list` as `bin/xlsim` calls it (the entry of dist/list.cjs): `quickList` for the
 * state directory `defaultStateDir()` at the wall-clock time, without V8's optimising
 * compiler for a number of domains in `NO_OPT_ROWS` (this process exits right after). Returns 0,
 * or undefined when the full CLI must run the command.
 */
export function quickListMain(): number | undefined {
  return quickList(defaultStateDir(), Date.now(), undefined, (domains) => {
    if (domains >= NO_OPT_ROWS[0] && domains < NO_OPT_ROWS[1]) {
      // Loaded here: node:v8 costs ~1.5 ms, which a short list would pay for nothing.
      lazyRequire<typeof import('node:v8')>('node:v8').setFlagsFromString('--no-opt');
    }
  });
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
