/**
 * Clocks for the emulated host (DESIGN.md "The machine": time comes from an injected
 * `Clock`). Both implement the shared `Clock` contract of `api.ts`: milliseconds since
 * the Unix epoch, never going backwards.
 */
import type { Clock } from './api.js';
import { HostError } from './errors.js';

/**
 * A clock that only moves when told to; tests and the deterministic CLI use it so
 * nothing ever sleeps. `sleepUntil(ms)` advances the clock itself and resolves at once.
 *
 * Errors: `set`/`advance` throw `HostError('INVALID_ARGUMENT')` when asked to go
 * backwards or given a non-finite number; the clock is left unchanged.
 */
export class VirtualClock implements Clock {
  private current: number;

  /** @param startMs starting time, ms since the Unix epoch (finite, ≥ 0). */
  constructor(startMs: number) {
    if (!Number.isFinite(startMs) || startMs < 0) {
      throw new HostError('INVALID_ARGUMENT', `invalid clock start time: ${String(startMs)}`);
    }
    this.current = startMs;
  }

  /** Current virtual time, ms since the Unix epoch. */
  now(): number {
    return this.current;
  }

  /** Moves the clock to `ms` (ms since the Unix epoch); refuses to go backwards. */
  set(ms: number): void {
    if (!Number.isFinite(ms)) throw new HostError('INVALID_ARGUMENT', `invalid clock time: ${String(ms)}`);
    if (ms < this.current) {
      throw new HostError('INVALID_ARGUMENT', `clock cannot go backwards (${ms} < ${this.current})`);
    }
    this.current = ms;
  }

  /** Moves the clock forward by `ms` milliseconds (≥ 0). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new HostError('INVALID_ARGUMENT', `clock can only advance by a non-negative amount, got ${String(ms)}`);
    }
    this.current += ms;
  }

  /** Advances the clock to `ms` if it is in the future, and resolves immediately. */
  sleepUntil(ms: number): Promise<void> {
    if (Number.isFinite(ms) && ms > this.current) this.current = ms;
    return Promise.resolve();
  }
}

/**
 * The real wall clock (`Date.now()`), made monotonic: it never reports a time earlier
 * than one it has already reported, even if the system clock steps back.
 */
export class WallClock implements Clock {
  private last = 0;

  /** Wall time, ms since the Unix epoch (monotonic). */
  now(): number {
    const t = Date.now();
    if (t > this.last) this.last = t;
    return this.last;
  }

  /** Resolves once `now() >= ms` (uses timers; resolves at once for past times). */
  sleepUntil(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const tick = (): void => {
        const left = ms - this.now();
        if (!(left > 0)) resolve();
        else setTimeout(tick, Math.min(left, 2 ** 31 - 1));
      };
      tick();
    });
  }
}
