/**
 * A domain's lifecycle as a typed state machine (xen/common/domain.c and the xc_dominfo
 * flags `xl list` prints, xl-commands.md §3.1, §5.3):
 *
 * ```
 *   building ──► running ──► shutdown(reason) ──► dying ──► (gone)
 *      │            │  ▲            │
 *      └──► dying ◄─┘  └────────────┘ soft_reset / resume after suspend
 * ```
 *
 * Pausing is orthogonal (the pause count), as in Xen. `transition` is the only way the
 * life state changes; anything the table does not allow is `HostError('INVALID_TRANSITION')`.
 */
import { ShutdownReason } from './api.js';
import { HostError } from './errors.js';
import type { DomainRecord, Lifecycle } from './records.js';

/** The states of `Lifecycle`. */
export type LifeState = Lifecycle['state'];

/** Allowed transitions: from → the states it may go to. */
export const LIFE_TRANSITIONS: Readonly<Record<LifeState, readonly LifeState[]>> = {
  building: ['running', 'dying'],
  running: ['shutdown', 'dying'],
  shutdown: ['running', 'dying'],
  dying: [],
};

/** The one-letter state xl list shows for a shutdown reason (`s` or `c`, xl_info.c `list_domains`). */
export function isCrash(reason: ShutdownReason): boolean {
  return reason === ShutdownReason.Crash;
}

/**
 * Moves `rec` to `next`. Throws `HostError('INVALID_TRANSITION')` (the record unchanged)
 * when the table does not allow it; a transition to the same state is also invalid
 * (shutting down a domain twice is a caller bug, not a no-op).
 */
export function transition(rec: DomainRecord, next: Lifecycle): void {
  const from = rec.life.state;
  if (!LIFE_TRANSITIONS[from].includes(next.state)) {
    throw new HostError('INVALID_TRANSITION', `domain ${rec.domid} cannot go from ${from} to ${next.state}`, rec.domid);
  }
  rec.life = next;
}
