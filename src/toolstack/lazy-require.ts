/**
 * `require` for modules loaded on first use (better-sqlite3, node:child_process), so a
 * command that never needs them does not pay for loading them at start-up. Works from a
 * CommonJS bundle through the bundle's own `require` (without making the bundle's URL,
 * ~0.4 ms of start-up) and from the ES module sources (tests, tsx), which have no
 * `require`, through `createRequire(import.meta.url)`.
 */
import { createRequire } from 'node:module';

let cached: NodeJS.Require | undefined;

/** Loads module `id` as node's `require` would from this file. Throws what `require` throws. */
export function lazyRequire<T>(id: string): T {
  cached ??= typeof require === 'function' ? require : createRequire(import.meta.url);
  return cached(id) as T;
}

/**
 * `node:fs/promises`, loaded on first use: importing it at the top of a module would load
 * it (and node's file watchers and streams behind it) at every command's start-up,
 * since the CLI bundle evaluates every module when it starts.
 */
export function fsPromises(): typeof import('node:fs/promises') {
  return lazyRequire<typeof import('node:fs/promises')>('node:fs/promises');
}
