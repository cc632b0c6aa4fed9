/**
 * The fast path for well-formed files: the scanner in clean mode (`lexer.ts`) hands its
 * tokens over in batches that end at statement boundaries; a batch of fused statements
 * only (flat assignments and flat lists, which the scanner builds itself) is taken as it
 * is, any other batch is parsed by chevrotain (`parser.ts`, reached through
 * `chevrotain-side.ts` so that it loads only when a file needs it). Anything not clean or
 * not in the language goes to the exact scan and the bison machine (`bison.ts`), which
 * decide every error as libxlu does (tools/libs/util/libxlu_cfg_y.y).
 */
import type { Setting } from '../types.js';
import { K, type Tok } from './tokens.js';
import { DIRTY, Scanner } from './lexer.js';
import { SettingsKeeper } from './keeper.js';
import { chevrotainSide } from './chevrotain-side.js';

/** What {@link parseClean} returns for a clean, well-formed file. */
export interface CleanParse {
  /** The settings kept, in order (at most `maxStatements`). */
  statements: Setting[];
  /** Settings parsed but not kept, and the first of them (for its position). */
  dropped: number;
  firstDropped?: Setting;
  /** List items parsed but not kept. */
  droppedItems: number;
}

/**
 * True when `batch` is in the language by the `file` rule's first two alternatives and
 * fused statements alone: NEWLINE, `;` and ASSIGN_ATOM tokens only, every ASSIGN_ATOM
 * followed by a NEWLINE or `;`, or last when the batch ends the text (`eof`). Such a batch
 * needs no parser run (most files are such: every flat assignment is fused).
 */
function fusedOnly(batch: readonly Tok[], eof: boolean): boolean {
  const n = batch.length;
  for (let i = 0; i < n; i++) {
    const k = batch[i]!.kind;
    if (k === K.NEWLINE || k === K.SEMI) continue;
    if (k !== K.ASSIGN_ATOM) return false;
    if (i + 1 === n) return eof;
    const next = batch[i + 1]!.kind;
    if (next !== K.NEWLINE && next !== K.SEMI) return false;
  }
  return true;
}

/** Tokens per chevrotain run: a batch ends at the first top-level NEWLINE or `;` after this many. */
const BATCH_TOKENS = 16384;

/**
 * The fast path: scan `text` in clean mode and parse it with chevrotain in batches that
 * end at statement boundaries (a NEWLINE or `;` outside any list), so memory holds one
 * batch of tokens, never the whole file's. Keeps at most `maxStatements` settings.
 * Undefined when the text is not clean (a lexical error, a bad escape, lists deeper than
 * `maxDepth`) or not in the language: then the exact scan and the bison machine decide.
 * Keeps at most `maxListItems` items per list (the rest are counted).
 * Never throws.
 */
export function parseClean(text: string, maxDepth: number, maxStatements = Infinity, maxListItems = Infinity): CleanParse | undefined {
  const sc = new Scanner(text, true, maxDepth);
  sc.maxItems = maxListItems;
  const k = new SettingsKeeper();
  k.pending = sc.settings;
  let statements: Setting[] = [];
  let first = true;
  k.room = maxStatements;
  k.maxItems = maxListItems;
  // one array for every batch: chevrotain reads it during the run only
  const batch: Tok[] = [];
  for (;;) {
    const t = sc.next();
    if (t === DIRTY) return undefined;
    if (t !== undefined) {
      batch.push(t);
      if (batch.length < BATCH_TOKENS || sc.depth !== 0 || (t.kind !== K.NEWLINE && t.kind !== K.SEMI)) continue;
    }
    k.pendingAt = 0;
    const out = fusedOnly(batch, t === undefined) ? k.takeFused(batch) : chevrotainSide().parseBatch(batch, k);
    if (out === undefined) return undefined;
    sc.settings.length = 0;
    // each chevrotain run returns a fresh array: the first is kept, later ones appended
    if (first) {
      statements = out;
      first = false;
    } else for (const st of out) statements.push(st);
    if (t === undefined) break;
    batch.length = 0;
    // past the kept statements the values are not built: the scanner need not cut out text
    if (k.room === 0 && k.dropped > 0) sc.lean = true;
  }
  k.release();
  const r: CleanParse = { statements, dropped: k.dropped + sc.skipped, droppedItems: k.droppedItems + sc.droppedItems };
  if (k.firstDropped) r.firstDropped = k.firstDropped;
  return r;
}
