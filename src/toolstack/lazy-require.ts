/**
 * `require` for modules loaded on first use (better-sqlite3, node:child_process), so a
 * command that never needs them does not pay for loading them at start-up. Works from
 * the ES module sources (tests, tsx) through `createRequire(import.meta.url)` and from a
 * CommonJS bundle, where `import.meta` may be empty, through the bundle's own `require`.
 */
import { createRequire } from 'node:module';

let cached: NodeJS.Require | undefined;

/** Loads module `id` as node's `require` would from this file. Throws what `require` throws. */
export function lazyRequire<T>(id: string): T {
  cached ??= typeof import.meta.url === 'string' ? createRequire(import.meta.url) : require;
  return cached(id) as T;
}
