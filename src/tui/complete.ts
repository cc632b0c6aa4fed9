/**
 * Tab completion in the dashboard's `:` palette: the same completion as the REPL and
 * `xlsim completion bash` (toolstack/complete.ts, over the sources of
 * toolstack/complete-fs.ts), shaped for the palette's line editor: the word's range,
 * the candidates and their longest common prefix, and how to apply them.
 */
import { complete as completeLine, type CompletionSources } from '../toolstack/complete.js';
import { fsSources } from '../toolstack/complete-fs.js';

/** What the palette completes from: the toolstack's completion sources. */
export type CompletionContext = CompletionSources;

/** The result of completing the word at the cursor. */
export interface Completion {
  /** Range of the word being completed in the line. */
  start: number;
  end: number;
  /** What the word can become (a unique command or domain ends in a blank, a directory in `/`). */
  candidates: string[];
  /** The longest common prefix of the candidates (the word itself when nothing matches). */
  common: string;
}

function commonPrefix(xs: readonly string[]): string {
  let p = xs[0] ?? '';
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * Completes the word before `cursor` in `line` (an xl command line, with or without a
 * leading `xl`), exactly as the REPL's Tab does. Never throws.
 */
export function complete(line: string, cursor: number, ctx: CompletionContext): Completion {
  const at = Math.max(0, Math.min(cursor, line.length));
  const c = completeLine(line.slice(0, at), ctx);
  const word = line.slice(c.start, at);
  const common = c.candidates.length > 0 ? commonPrefix(c.candidates) : word;
  return { start: c.start, end: at, candidates: c.candidates, common: common.length >= word.length ? common : word };
}

/**
 * Applies a completion: one candidate replaces the word (followed by a blank unless it
 * already ends in one or is a directory), several give their common prefix. Returns the
 * new line and cursor.
 */
export function applyCompletion(line: string, c: Completion): { line: string; cursor: number } {
  const only = c.candidates.length === 1 ? c.candidates[0]! : undefined;
  const text = only !== undefined ? (/[ /]$/.test(only) ? only : `${only} `) : c.common;
  const out = line.slice(0, c.start) + text + line.slice(c.end);
  return { line: out, cursor: c.start + text.length };
}

/**
 * The palette's sources: xl's command table, the host's `domains` (names and domids),
 * the file system, and the named hosts beside `stateDir` (undefined: only `localhost`).
 */
export function xlCompletionContext(domains: readonly { name: string; domid: number }[], stateDir?: string): CompletionContext {
  const words = domains.flatMap((d) => [d.name, String(d.domid)]);
  return fsSources(() => words, stateDir);
}
