/**
 * Vitest global setup: builds dist/ once before any test file runs, so the end-to-end
 * tests (test/e2e/) run the real bundled `bin/xlsim` of the current sources and never race
 * each other over a rebuild.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}
