/**
 * The seam between the fast path (`fast-path.ts`) and the chevrotain parser
 * (`parser.ts`): the fast path reaches chevrotain only through {@link chevrotainSide}.
 *
 * From the sources this is a plain import. In the CLI bundle `scripts/build.mjs` replaces
 * this module with one that `require`s `parser.ts` on the first call, so chevrotain, its
 * token types and the shared parser are loaded and built only when a file needs a
 * chevrotain run (most files need none: see `fast-path.ts`), not at every `create` and
 * `check`. The build fails if this file no longer has the shape it rewrites.
 */
import * as side from './parser.js';

/** The chevrotain parser's module (`parseBatch`, `parseWithChevrotain`, …). */
export function chevrotainSide(): typeof side {
  return side;
}
