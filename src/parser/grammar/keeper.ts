/**
 * What the fast path keeps of one file's settings (`fast-path.ts` `parseClean`): the
 * settings in order, at most `room` of them (the rest counted), at most `maxItems` items a
 * list. Both the fused batches (taken without a parser run) and the chevrotain runs
 * (`parser.ts`) keep through one keeper, so a file's settings stay in order whichever
 * way each batch was read.
 */
import type { Setting } from '../types.js';
import { K, type Tok } from './tokens.js';

/** What `out` holds between runs (a keeper done with a file holds none of its settings). */
const NO_SETTINGS: Setting[] = [];

/** Per-file state of the fast path; one per `parseClean` call. */
export class SettingsKeeper {
  /** The settings of the current batch, in order (a fresh array per batch). */
  out: Setting[] = NO_SETTINGS;
  /** How many more settings to keep (the rest are parsed and counted in `dropped`). */
  room = Infinity;
  /** Settings parsed but not kept, and the first of them. */
  dropped = 0;
  firstDropped: Setting | undefined = undefined;
  /** Keep at most this many items per list (the rest are parsed and counted in `droppedItems`). */
  maxItems = Infinity;
  droppedItems = 0;
  /** The scanner's queue of ASSIGN_ATOM settings for this batch, and the next to take. */
  pending: Setting[] = NO_SETTINGS;
  pendingAt = 0;

  /** Keeps a parsed setting, or counts it past `room` (remembering the first). */
  keep(st: Setting | undefined): void {
    if (this.room > 0) {
      this.room--;
      this.out.push(st!);
    } else if (this.dropped++ === 0) this.firstDropped = st;
  }

  /** Keeps the scanner's next queued ASSIGN_ATOM setting (none is queued in lean mode, where `keep` only counts). */
  keepPending(): void {
    this.keep(this.pending[this.pendingAt++]);
  }

  /**
   * A batch made only of fused statements (see `fast-path.ts` `fusedOnly`), taken
   * without a parser run: what chevrotain's `file()` returns for it, the queued settings
   * kept or counted in order exactly as its ASSIGN_ATOM alternative keeps them.
   */
  takeFused(batch: readonly Tok[]): Setting[] {
    const out: Setting[] = [];
    this.out = out;
    for (let i = 0; i < batch.length; i++) if (batch[i]!.kind === K.ASSIGN_ATOM) this.keepPending();
    this.out = NO_SETTINGS;
    return out;
  }

  /** Lets go of the file's settings (the keeper may outlive the parse). */
  release(): void {
    this.out = NO_SETTINGS;
    this.pending = NO_SETTINGS;
  }
}
