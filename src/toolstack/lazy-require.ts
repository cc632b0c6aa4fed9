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

/**
 * `node:fs/promises`, loaded on first use: importing it at the top of a module would load
 * it (and node's file watchers and streams behind it) at every command's start-up,
 * since the CLI bundle evaluates every module when it starts.
 */
export function fsPromises(): typeof import('node:fs/promises') {
  return lazyRequire<typeof import('node:fs/promises')>('node:fs/promises');
}
