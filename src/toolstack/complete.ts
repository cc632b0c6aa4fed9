/**
 * Completion for xl command lines: the REPL's Tab, `xlsim completion bash`, and the
 * dashboard's `:` palette all ask this one module. Pure: what it knows of the host and
 * the file system comes in through `CompletionSources`.
 *
 * What completes where (from each command's usage line in xl's command table,
 * tools/xl/xl_cmdtable.c, and its options block):
 * - the first word: command names (a unique match gets a trailing space);
 * - a word starting with `-`: the options of the command being typed;
 * - an operand the usage calls `<Domain>`: domain names and domids;
 * - `<ConfigFile>`, `<CheckpointFile>`, `<filename>`, `<path>`, `FILE`: file paths;
 * - `<host>` (migrate): the emulated hosts of `$XLSIM_HOSTS`, and `localhost`.
 */
import { lookupCommand, type CmdSpec } from './cmdtable.js';

/** What completion may ask about: all synchronous, cheap, and never throwing. */
export interface CompletionSources {
  /** Every command name, in table order (program.ts `commandNames`). */
  commands: readonly string[];
  /** The spec of a command name (prefixes resolved as xl does), undefined when unknown. */
  spec?: (name: string) => CmdSpec | undefined;
  /** Domain names and domids (as strings) of the host. */
  domains?: () => readonly string[];
  /** Entries of a directory: name and whether it is a directory; [] when unreadable. */
  readdir?: (dir: string) => readonly { name: string; dir: boolean }[];
  /** Named emulated hosts (migration targets). */
  hosts?: () => readonly string[];
}

/** A completion: candidates for the word under the cursor, and where that word starts in the line. */
export interface Completion {
  /** Full replacement words (a unique completed command or domain ends in a space). */
  candidates: string[];
  /** Offset in the line of the word being completed. */
  start: number;
}

/** The kind of operand at each position of a usage line. */
type Slot = 'domain' | 'file' | 'host' | 'other';

/** Options a command's options block names (`-x`, `--long`), in order. */
export function optionsOf(spec: CmdSpec): string[] {
  const out: string[] = [];
  for (const m of (spec.options ?? '').matchAll(/(?:^|[\s,])(--?[A-Za-z0-9][\w-]*)/g)) {
    const o = m[1]!;
    if (!out.includes(o)) out.push(o);
  }
  return out;
}

/** The operand slots of a usage line, and whether the last one repeats (`<Domain(s)>`, `[Domain, ...]`). */
export function slotsOf(spec: CmdSpec): { slots: Slot[]; repeat: boolean } {
  const first = spec.usage.split('\n')[0]!;
  const slots: Slot[] = [];
  let repeat = false;
  // `<CPU Pool>` and `<policy file>` hold a blank: join what a pair of brackets encloses.
  const chunks = first.match(/<[^<>]*(?:<[^<>]*>[^<>]*)*>|\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]|\S+/g) ?? [];
  for (const raw of chunks) {
    if (/^\.\.\.|\.\.\.\]?$/.test(raw) || raw.includes('(s)')) repeat = true;
    const t = raw.replace(/[<>[\]]/g, '').replace(/,?\s*\.\.\.$/, '').replace(/,$/, '').trim();
    if (t === '' || t === '...' || t.startsWith('-') && !t.includes('|') || /^options?$/.test(t) || t.includes('=')) continue;
    const low = t.toLowerCase();
    if (/\bdomain(\(s\)|name|id)?\b|\|domain$/.test(low)) slots.push('domain');
    else if (low === 'host') slots.push('host');
    else if (/configfile|checkpointfile|filename|^path$|^file$|policy file/.test(low)) slots.push('file');
    else slots.push('other');
  }
  return { slots, repeat };
}

/** Where the word under the cursor starts (after the last unquoted blank). */
function wordStart(line: string): number {
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ' ' || c === '\t') {
      start = i + 1;
    }
  }
  return start;
}

/** Completes a path prefix from `readdir` (directories get a trailing `/`). */
function completePath(prefix: string, readdir: CompletionSources['readdir']): string[] {
  if (!readdir) return [];
  const slash = prefix.lastIndexOf('/');
  const dir = slash < 0 ? '.' : slash === 0 ? '/' : prefix.slice(0, slash);
  const base = prefix.slice(slash + 1);
  const head = slash < 0 ? '' : prefix.slice(0, slash + 1);
  return readdir(dir)
    .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
    .map((e) => `${head}${e.name}${e.dir ? '/' : ''}`)
    .sort();
}

/**
 * Completes `line` (the text up to the cursor). A leading `xl`/`xlsim` word is skipped.
 * Never throws; unknown commands complete nothing after their name.
 */
export function complete(line: string, src: CompletionSources): Completion {
  const start = wordStart(line);
  const word = line.slice(start);
  const before = line.slice(0, start).trim().split(/\s+/).filter((w) => w !== '');
  if (before[0] === 'xl' || before[0] === 'xlsim') before.shift();
  const uniqueSpace = (xs: string[]): string[] => (xs.length === 1 ? [`${xs[0]} `] : xs);
  if (before.length === 0) {
    return { start, candidates: uniqueSpace(src.commands.filter((n) => n.startsWith(word))) };
  }
  const spec = (src.spec ?? lookupCommand)(before[0]!);
  if (!spec) return { start, candidates: [] };
  if (word.startsWith('-')) {
    return { start, candidates: optionsOf(spec).filter((o) => o.startsWith(word)) };
  }
  // Which operand is this? Count earlier words that are not options (an option taking a
  // value is rare in practice for completion purposes and counted as an operand).
  const operands = before.slice(1).filter((w) => !w.startsWith('-'));
  const { slots, repeat } = slotsOf(spec);
  const slot = operands.length < slots.length ? slots[operands.length]! : repeat ? slots[slots.length - 1]! : 'other';
  switch (slot) {
    case 'domain':
      return { start, candidates: uniqueSpace([...(src.domains?.() ?? [])].filter((d) => d.startsWith(word))) };
    case 'file':
      return { start, candidates: completePath(word, src.readdir) };
    case 'host':
      return { start, candidates: uniqueSpace(['localhost', ...(src.hosts?.() ?? [])].filter((h) => h.startsWith(word))) };
    default:
      return { start, candidates: [] };
  }
}
