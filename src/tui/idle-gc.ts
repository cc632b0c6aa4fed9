/**
 * Scavenges V8's young generation while the dashboard is idle, so the next refresh or key
 * starts with an empty young generation and no frame pays for a scavenge.
 *
 * Why (docs/dashboard.md "Idle scavenges"): at 1,000 domains each refresh keeps a new
 * sample and new rows, about 1 MB of young objects. A scavenge that falls inside a frame
 * copies them, which costs 2–9 ms. In the bench, more than half of the refresh frames
 * had one. A scavenge run 100 ms after the refresh, when nothing is drawing, copies the
 * same objects, but no frame waits for it.
 *
 * V8's `gc` function is not exposed unless node runs with `--expose-gc`, which neither
 * `node bin/xlsim` nor `#!/usr/bin/env node` can pass. So the flag is set at run time
 * (`v8.setFlagsFromString`), and `gc` is taken from a new context: a context made after
 * the flag gets it, and the process's own global is left as it was. `gc({ type: 'minor' })`
 * is a scavenge: V8 11 (Node 20) reads any truthy argument that way, and later V8s read
 * the option. Where none of this works, the scavenger does nothing. (`--expose-gc` does
 * not enter the flag hash V8 stamps on code caches: a cache written after it is still
 * accepted by a process without it.)
 *
 * Making a scavenger also cuts V8's memory reducer to one GC (docs/dashboard.md "Idle CPU
 * and V8's memory reducer"). Once the allocation rate falls below ~1 MB/s, as it does
 * between refreshes, the reducer runs up to three mark-compacts 0.5 s apart, about
 * 100 ms of CPU with its worker threads, of which the first frees nearly all there is.
 * `--no-memory-reducer` cannot be set at run time (V8 makes the reducer when it sets up the
 * heap and never reads the flag again), but `--memory-reducer-single-gc` is read after each
 * of its GCs.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's `gc` function (the `--expose-gc` extension), called for a scavenge. */
export type GcFunction = (options: { type: 'minor' }) => void;

/** Runs a scavenge once the dashboard has been idle for a while; see the module comment. */
export interface IdleScavenger {
  /** Work just happened (a refresh): scavenge `delayMs` after the last poke, unless poked again. */
  poke(): void;
  /** Cancel a pending scavenge (the dashboard quits). */
  stop(): void;
}

let exposed: GcFunction | null | undefined;

/**
 * Has V8's memory reducer stop after one GC instead of three, for the whole process (see
 * the module comment). `idleScavenger` calls it. Never throws.
 */
export function singleReducerGc(): void {
  try {
    setFlagsFromString('--memory-reducer-single-gc');
  } catch {
    // Nothing to do: the reducer keeps its three GCs.
  }
}

/**
 * V8's `gc` function: the global one when node runs with `--expose-gc`, else one taken
 * from a new context after setting the flag at run time. Returns null, once and for all,
 * when neither works. Never throws.
 */
export function exposeGc(): GcFunction | null {
  if (exposed !== undefined) return exposed;
  try {
    const own = (globalThis as { gc?: unknown }).gc;
    if (typeof own === 'function') return (exposed = own as GcFunction);
    setFlagsFromString('--expose-gc');
    const fn: unknown = runInNewContext('gc');
    exposed = typeof fn === 'function' ? (fn as GcFunction) : null;
  } catch {
    exposed = null;
  }
  return exposed;
}

/**
 * An `IdleScavenger` that calls `gc` (default: `exposeGc()`, looked up at the first poke)
 * `delayMs` milliseconds (default 100) after the last `poke`. The timer does not keep the
 * process alive. Making one cuts V8's memory reducer to one GC (`singleReducerGc`).
 */
export function idleScavenger(delayMs = 100, gc: () => GcFunction | null = exposeGc): IdleScavenger {
  singleReducerGc();
  let timer: NodeJS.Timeout | undefined;
  return {
    poke() {
      const fn = gc();
      if (!fn) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        fn({ type: 'minor' });
      }, delayMs);
      timer.unref();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
