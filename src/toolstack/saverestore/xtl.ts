/**
 * xl's stderr logger for libxc's messages and progress (tools/libs/toollog/
 * xtl_logger_stdio.c `stdiostream_vmessage`, `stdiostream_progress`; xtl_core.c
 * `xtl_progress`; tools/libs/ctrl/xc_private.c `xc_report_progress_step`), ported so
 * that `xl save` prints its `xc: progress: Frames: …` lines exactly as xl does:
 *
 * - a message is `<context>: <level>: <text>` (after erasing a progress line in CR mode);
 * - progress: percent = done·100/total; a line is printed when the percent went down
 *   (level progress), or rose by 5 or more (progress), or rose by less (detail, shown
 *   only with `-v`); equal percents print nothing. Without CR the line is a message
 *   `<doing>: <done>/<total>  <pct>%`; with CR (stderr a terminal, or `xl -t`) it is
 *   rewritten in place with `\r` and ends with a newline when done == total.
 * - `hideProgress` is XTL_STDIOSTREAM_HIDE_PROGRESS (xl migrate hides libxc's progress
 *   while the stream is sent).
 */

import type { Clock } from '../../machine/api.js';

/** xentoollog levels (xentoollog.h), in order. */
export const XTL = { DEBUG: 1, VERBOSE: 2, DETAIL: 3, PROGRESS: 4, INFO: 5, NOTICE: 6, WARN: 7, ERROR: 8, CRITICAL: 9 } as const;
/** xtl_core.c `xtl_level_to_string`. */
const LEVEL_NAMES = ['none', 'debug', 'verbose', 'detail', 'progress', 'info', 'notice', 'warning', 'error', 'critical'];

/** xl's `minmsglevel` for a number of global `-v` flags (XTL_PROGRESS, one lower per -v). */
export function minLevel(verbose: number): number {
  return Math.max(0, XTL.PROGRESS - Math.max(0, verbose));
}

/** One xl stdio logger over `write` (xl's stderr). */
export class XtlStdio {
  /** XTL_STDIOSTREAM_HIDE_PROGRESS. */
  hideProgress = false;
  private eraseLen = 0;
  private lastPercent = 0;

  constructor(
    private readonly write: (s: string) => void,
    private readonly opts: { minLevel: number; useCr: boolean },
  ) {}

  private erase(): void {
    if (this.eraseLen) this.write(`\r${' '.repeat(this.eraseLen)}\r`);
  }

  /** Whether messages of `level` are shown (xl's `minmsglevel`: `-v` lowers it). */
  shows(level: number): boolean {
    return level >= this.opts.minLevel;
  }

  /** `xtl_log(level, context, text)`: `<context>: <level>: <text>\n` when `level` is shown. */
  message(level: number, context: string | undefined, text: string): void {
    if (level < this.opts.minLevel) return;
    this.erase();
    this.write(`${context ? `${context}: ` : ''}${LEVEL_NAMES[level] ?? 'unknown'}: ${text}\n`);
  }

  /** `xtl_progress(context, doing, done, total)`. */
  progress(context: string | undefined, doing: string, done: number, total: number): void {
    if (this.hideProgress) return;
    const percent = total ? Math.floor((done * 100) / total) : 0;
    let level: number;
    if (percent < this.lastPercent) level = XTL.PROGRESS;
    else if (percent === this.lastPercent) return;
    else if (percent < this.lastPercent + 5) level = XTL.DETAIL;
    else level = XTL.PROGRESS;
    if (level < this.opts.minLevel) return;
    this.lastPercent = percent;
    const text = `${doing}: ${done}/${total}  ${String(percent).padStart(3, ' ')}%`;
    if (!this.opts.useCr) {
      this.message(level, context, text);
      return;
    }
    if (this.eraseLen) this.write('\r');
    const line = `${context ? `${context}: ` : ''}${text}${done === total ? '\n' : ''}`;
    this.write(line);
    const extra = this.eraseLen - line.length;
    if (extra > 0) this.write(`${' '.repeat(extra)}\r`);
    this.eraseLen = line.length;
  }

  /** Whether a `progress(doing, done, total)` call now would print something (used to pace output in time). */
  wouldPrint(done: number, total: number): boolean {
    if (this.hideProgress) return false;
    const percent = total ? Math.floor((done * 100) / total) : 0;
    if (percent === this.lastPercent) return false;
    const level = percent < this.lastPercent || percent >= this.lastPercent + 5 ? XTL.PROGRESS : XTL.DETAIL;
    return level >= this.opts.minLevel;
  }
}

/**
 * libxc's `send_dirty_pages` progress for `entries` pages: a step at 0 and at every
 * 1024th page (4 MiB), then at `entries`. Calls `at(done)` for each step in order.
 */
export function frameSteps(entries: number, at: (done: number) => void): void {
  for (let written = 0; written < entries; written += 1024) at(written);
  at(entries);
}

/**
 * libxc's `Frames`-style progress while `entries` pages go over the modelled link: the
 * transfer starts at `start` (host ms) and takes `totalMs`; each step of `frameSteps`
 * that `xtl` would print is printed when the transfer reaches it (sleeping on `clock`
 * until then), and the call returns at `start + totalMs`. `doing` is libxc's progress
 * prefix (`Frames`, `Frames iteration 1`, `Checkpointed save`).
 */
export async function pacedFrames(xtl: XtlStdio, clock: Clock, doing: string, entries: number, start: number, totalMs: number): Promise<void> {
  const points: number[] = [];
  frameSteps(entries, (done) => points.push(done));
  for (const done of points) {
    if (!xtl.wouldPrint(done, entries)) continue;
    await clock.sleepUntil(start + (entries ? (totalMs * done) / entries : 0));
    xtl.progress('xc', doing, done, entries);
  }
  await clock.sleepUntil(start + totalMs);
}
