/**
 * Where the tests find `shared/` (upstream's parser vectors in `shared/reference`, the
 * real-world cfg files in `shared/corpus`): beside the checkout, as in CI. A clone
 * elsewhere has none, and the tests that read it skip rather than fail.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root directory. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `shared/` beside the checkout (it may not exist). */
export const SHARED_DIR = join(REPO_ROOT, '..', 'shared');

/** The path of `rel` inside `shared/`, and whether it exists. */
export function sharedPath(rel: string): { path: string; present: boolean } {
  const path = join(SHARED_DIR, rel);
  return { path, present: existsSync(path) };
}
