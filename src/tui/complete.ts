/**
 * Tab completion of xl command lines, with a pure API so the palette and the REPL can
 * share it: give it the line, the cursor and a `CompletionContext` (command names, the
 * usage and options of each command, the host's domains, a directory lister) and it
 * returns the word being completed, the candidates and their longest common prefix.
 *
 * What is completed, by position:
 * - the first word: command names (`commandNames()` in toolstack/program.ts);
 * - a word starting with `-`: the options of the command being typed (read from its
 *   `xl help` option block in the command table);
 * - an operand of a command whose usage takes a `<Domain>`: domain names and domids;
 * - an operand of a command whose usage takes a file (`<ConfigFile>`, `<CheckpointFile>`,
 *   …) or any word containing `/`: file paths, directories ending in `/`.
 */
import { readdirSync } from 'node:fs';
import { lookupCommand } from '../toolstack/cmdtable.js';
import { commandNames } from '../toolstack/program.js';

/** What completion may look at. Every function may be called several times per completion. */
export interface CompletionContext {
  /** Every command name, in any order. */
  commands: readonly string[];
  /** The usage line and options block of a command (as `xl help <cmd>` prints them), or undefined. */
  usageOf: (command: string) => { usage: string; options?: string } | undefined;
  /** The host's domains. */
  domains: readonly { name: string; domid: number }[];
  /** Entries of a directory (`[]` when it cannot be read). */
  listDir: (dir: string) => readonly { name: string; dir: boolean }[];
}

/** The result of completing the word at the cursor. */
export interface Completion {
  /** Range of the word being completed in the line. */
  start: number;
  end: number;
  /** What the word can become, sorted, without duplicates. */
  candidates: string[];
  /** The longest common prefix of the candidates (at least the word itself when nothing matches). */
  common: string;
}

/** The word at `cursor` (after the last blank before it) and where it starts. */
function wordAt(line: string, cursor: number): { start: number; word: string } {
  let start = cursor;
  while (start > 0 && !/\s/.test(line[start - 1]!)) start--;
  return { start, word: line.slice(start, cursor) };
}

/** Options named in an `xl help` option block: every `-x` and `--long` at the start of an entry. */
export function optionsIn(block: string | undefined): string[] {
  if (!block) return [];
  const out = new Set<string>();
  for (const line of block.split('\n')) {
    const m = /^\s*(-[^\s,]+)(?:\s+[A-Z_]+)?(?:,\s*(--[a-z][\w-]*))?/.exec(line);
    if (!m) continue;
    out.add(m[1]!.replace(/=.*$/, ''));
    if (m[2]) out.add(m[2]);
  }
  return [...out].filter((o) => /^--?[A-Za-z]/.test(o));
}

function commonPrefix(xs: readonly string[]): string {
  if (xs.length === 0) return '';
  let p = xs[0]!;
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}

function pathCandidates(word: string, ctx: CompletionContext): string[] {
  const slash = word.lastIndexOf('/');
  const dirPart = slash >= 0 ? word.slice(0, slash + 1) : '';
  const base = slash >= 0 ? word.slice(slash + 1) : word;
  const dir = dirPart === '' ? '.' : dirPart;
  return ctx
    .listDir(dir)
    .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
    .map((e) => `${dirPart}${e.name}${e.dir ? '/' : ''}`);
}

/**
 * Complete the word before `cursor` in `line` (an xl command line, with or without a
 * leading `xl`). Pure apart from what `ctx` does.
 */
export function complete(line: string, cursor: number, ctx: CompletionContext): Completion {
  const at = Math.max(0, Math.min(cursor, line.length));
  const { start, word } = wordAt(line, at);
  const before = line.slice(0, start).trim().split(/\s+/).filter((w) => w !== '');
  if (before[0] === 'xl' || before[0] === 'xlsim') before.shift();
  let candidates: string[];
  if (before.length === 0) {
    candidates = ctx.commands.filter((c) => c.startsWith(word));
  } else {
    const cmd = lookupOrSelf(before[0]!, ctx);
    const spec = ctx.usageOf(cmd);
    if (word.startsWith('-')) candidates = optionsIn(spec?.options).filter((o) => o.startsWith(word));
    else {
      const usage = spec?.usage ?? '';
      const operands = before.slice(1).filter((w) => !w.startsWith('-')).length;
      const takesDomain = /Domain/.test(usage);
      const fileFirst = /^\s*(\[options\]\s*)?<\w*File\w*>/i.test(usage) || /<filename>/i.test(usage);
      const takesFile = /File|filename|<path>/i.test(usage);
      candidates = [];
      if (word.includes('/') || (takesFile && (fileFirst ? operands === 0 : operands > 0))) candidates.push(...pathCandidates(word, ctx));
      if (takesDomain && !(fileFirst && operands === 0) && !word.includes('/')) {
        for (const d of ctx.domains) {
          if (d.name.startsWith(word)) candidates.push(d.name);
          if (String(d.domid).startsWith(word) && word !== '') candidates.push(String(d.domid));
        }
      }
    }
  }
  candidates = [...new Set(candidates)].sort();
  const common = candidates.length ? commonPrefix(candidates) : word;
  return { start, end: at, candidates, common: common.length >= word.length ? common : word };
}

function lookupOrSelf(name: string, ctx: CompletionContext): string {
  if (ctx.commands.includes(name)) return name;
  return lookupCommand(name)?.name ?? name;
}

/**
 * Apply a completion: the word becomes the candidates' common prefix, followed by a
 * blank when exactly one candidate matched (and it is not a directory). Returns the new
 * line and cursor.
 */
export function applyCompletion(line: string, c: Completion): { line: string; cursor: number } {
  const only = c.candidates.length === 1 ? c.candidates[0]! : undefined;
  const text = only !== undefined ? only + (only.endsWith('/') ? '' : ' ') : c.common;
  const out = line.slice(0, c.start) + text + line.slice(c.end);
  return { line: out, cursor: c.start + text.length };
}

/** The context for the real xl: its command table, and the file system through `readdirSync`. */
export function xlCompletionContext(domains: readonly { name: string; domid: number }[]): CompletionContext {
  const names = commandNames();
  return {
    commands: names,
    usageOf: (c) => {
      const s = lookupCommand(c);
      return s ? { usage: s.usage, options: s.options } : undefined;
    },
    domains,
    listDir: (dir) => {
      try {
        return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
      } catch {
        return [];
      }
    },
  };
}
