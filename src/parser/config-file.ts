/**
 * Parsing a whole xl.cfg / xl.conf file into a {@link ConfigFile} (libxlu's
 * `xlu_cfg_readdata` in tools/libs/util/libxlu_cfg.c; xl-cfg-format.md §1.1–§1.7).
 *
 * Entry points never throw: everything wrong with the input comes back as data
 * (`diagnostics`, `xlErrors`, `ok`).
 */
import type { Diagnostic, ListValue, Position, Setting, StringValue, Value } from './types.js';
import { Scanner } from './grammar/lexer.js';
import { withValue } from './grammar/nodes.js';
import { parseClean } from './grammar/fast-path.js';
import { DEFAULT_MAX_XL_LINES, runBison } from './grammar/bison.js';
import { ADD_KIND_MESSAGE, CODES, formatXlError } from './grammar/xl-messages.js';

/** Result of {@link parseConfig} / {@link parseConfigBytes}. */
export interface ParseResult {
  /** Always present; holds whatever parsed (for rejected files: every assignment the grammar could still build). */
  file: ConfigFile;
  /** Every lexical/syntax/escape/`+=` problem, located (codes XL001–XL005; XL006 for bytes that are not UTF-8). */
  diagnostics: Diagnostic[];
  /**
   * The exact bytes real xl writes to stderr while parsing (each line ends in "\n"), the
   * three Python-hint lines included when they apply; '' when xl accepts the file. Does not
   * include xl's final "Failed to parse config: Invalid argument" line.
   */
  xlErrors: string;
  /** True iff libxlu accepts the file (then `xlErrors` is '' and no diagnostic is an error). */
  ok: boolean;
  /** Present when {@link ParseOptions} limits cut statements or diagnostics. */
  truncated?: Truncation;
}

/**
 * Resolve settings the way libxlu stores them (xlu__cfg_set_store; xl-cfg-format.md §1.6):
 * the last assignment of a key wins; `+=` appends to the earlier value (strings
 * concatenated with no separator, lists concatenated) and keeps op `+=` and the new line;
 * `+=` with no earlier value stores the value as-is; `+=` of a list to a string (or the
 * reverse) is refused and leaves the earlier value in place.
 * Returns the resolved map (insertion order = first appearance) and the refused statements.
 */
export function resolveSettings(
  statements: readonly Setting[],
  maxListItems = Infinity,
): { resolved: Map<string, Setting>; conflicts: Setting[]; droppedItems: number } {
  let droppedItems = 0;
  const resolved = new Map<string, Setting>();
  const conflicts: Setting[] = [];
  // the lists this loop built (made at the first list `+=`: most files have none)
  let owned: Set<Value> | undefined;
  for (const s of statements) {
    if (s.op === '=') {
      resolved.set(s.name, s);
      continue;
    }
    const prev = resolved.get(s.name);
    if (prev) {
      if (prev.value.kind !== s.value.kind) {
        conflicts.push(s);
        continue;
      }
      let value: Value;
      if (prev.value.kind === 'string') {
        const nv = s.value as StringValue;
        value = {
          kind: 'string',
          value: prev.value.value + nv.value,
          token: prev.value.token === nv.token ? nv.token : 'STRING',
          range: nv.range,
        };
      } else {
        // A list this loop built already is extended in place, so n appends cost O(n).
        owned ??= new Set<Value>();
        const items = owned.has(prev.value) ? prev.value.items : [...prev.value.items];
        for (const it of (s.value as ListValue).items) {
          if (items.length < maxListItems) items.push(it);
          else droppedItems++;
        }
        const list: ListValue = { kind: 'list', items, range: s.value.range };
        owned.add(list);
        value = list;
      }
      resolved.set(s.name, withValue(s, value));
    } else {
      resolved.set(s.name, s);
    }
  }
  return { resolved, conflicts, droppedItems };
}

const NO_CONFLICTS: readonly Setting[] = Object.freeze([]);

/** {@link ConfigFile}'s filter bit of a key name: from its first and last characters (bit 0 for ''). */
function endsBit(name: string): number {
  const n = name.length;
  return n === 0 ? 1 : 1 << ((name.charCodeAt(0) * 7 + name.charCodeAt(n - 1)) & 31);
}

/**
 * A parsed config file: the statements as written and the settings as libxlu resolves them
 * (libxlu's `XLU_Config`, whose settings list is newest-first and whose `find` returns the
 * newest; libxlu_cfg.c). Construct it from statements (e.g. in tests); {@link parseConfig}
 * is the usual way.
 */
export class ConfigFile {
  /** The source label used in messages (the path as the user typed it). */
  readonly source: string;
  /** Every assignment as written, in source order (op and value as written, not resolved). */
  readonly statements: readonly Setting[];
  /** `+=` statements refused because they mix a list and a string (XL004). */
  readonly conflicts: readonly Setting[];
  private resolvedMap: Map<string, Setting> | undefined;
  /** List items left out of lists grown by `+=` (see the constructor's `maxListItems`). */
  readonly droppedItems: number = 0;

  /**
   * Resolution is lazy, like libxlu's, whose `find` walks its settings list at lookup
   * time: the map is built on the first `get`/`has`/`names`/`settings`, except that a file
   * with a `+=` is resolved at once, since a refused `+=` (`conflicts`) fails the parse.
   */
  /**
   * @param opts.maxListItems lists grown by `+=` keep at most this many items (the rest
   *   are counted in `droppedItems`); default all.
   */
  constructor(source: string, statements: readonly Setting[], opts: { maxListItems?: number } = {}) {
    this.source = source;
    this.statements = statements;
    let append = false;
    for (let i = 0; i < statements.length; i++) {
      if (statements[i]!.op === '+=') {
        append = true;
        break;
      }
    }
    if (append) {
      const { resolved, conflicts, droppedItems } = resolveSettings(statements, opts.maxListItems);
      this.resolvedMap = resolved;
      this.conflicts = conflicts;
      this.droppedItems = droppedItems;
    } else {
      this.conflicts = NO_CONFLICTS;
    }
  }

  /**
   * A one-sided filter over the resolved keys: bit `length mod 32` of `lengthBits` and bit
   * {@link endsBit} of `endsBits` are set for every key, so a name missing either is
   * certainly absent. parse_config_data asks for some 130 keys of which a file sets a
   * dozen or two: most lookups end here, without hashing. Made with the map.
   */
  #lengthBits = 0;
  #endsBits = 0;

  private get resolved(): Map<string, Setting> {
    if (this.resolvedMap === undefined) this.resolvedMap = resolveSettings(this.statements).resolved;
    if (this.#lengthBits === 0) {
      let lengths = 1; // never 0 again, even for a file with no settings
      let ends = 0;
      for (const k of this.resolvedMap.keys()) {
        lengths |= 1 << (k.length & 31);
        ends |= endsBit(k);
      }
      this.#lengthBits = lengths;
      this.#endsBits = ends;
    }
    return this.resolvedMap;
  }

  /** The resolved setting for `name` (last wins, `+=` applied), or undefined when absent. Names are case-sensitive. */
  get(name: string): Setting | undefined {
    const m = this.resolved;
    if ((this.#lengthBits & (1 << (name.length & 31))) === 0 || (this.#endsBits & endsBit(name)) === 0) return undefined;
    return m.get(name);
  }

  /** True when `name` is set. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Resolved keys in order of first appearance. */
  names(): string[] {
    return [...this.resolved.keys()];
  }

  /** Resolved settings in order of first appearance of their key. */
  settings(): Setting[] {
    return [...this.resolved.values()];
  }
}

function endPosition(text: string, lastLine: number): Position {
  const ls = text.lastIndexOf('\n') + 1;
  return { line: lastLine, column: text.length - ls + 1, offset: text.length };
}

/** The raw text of the last token of a value (flex's yytext when libxlu stores the setting). */
function lastTokenText(text: string, v: Value): string {
  if (v.kind === 'list') return ']';
  return text.slice(v.range.start.offset, v.range.end.offset);
}

/**
 * Parse xl.cfg text (already decoded) as libxlu does. `source` is the label for messages
 * (the path as typed); `opts` caps what is kept on hostile input (see {@link ParseOptions};
 * by default everything is kept). Linear time in the text, no recursion deeper than 200
 * list levels. Never throws.
 *
 * Deliberate difference: a NUL character inside a quoted string is reported as a lexical
 * error (real xl aborts on an assertion in xlu__cfgl_dequote).
 */
export function parseConfig(text: string, source: string, opts: ParseOptions = {}): ParseResult {
  try {
    return parseInner(String(text), String(source), opts);
  } catch (e) {
    // Defensive: the parser is designed not to throw; keep the promise to callers anyway.
    const p: Position = { line: 1, column: 1, offset: 0 };
    return {
      file: new ConfigFile(String(source), []),
      diagnostics: [{ severity: 'error', code: CODES.syntax, message: `internal parser error: ${(e as Error)?.message ?? e}`, range: { start: p, end: p } }],
      xlErrors: `${source}:1: config parsing error near \`': syntax error\n`,
      ok: false,
    };
  }
}

/** Deepest list nesting given to the chevrotain parser, which recurses once per level. */
const CHEVROTAIN_MAX_DEPTH = 200;

/**
 * Limits for {@link parseConfig} on hostile input (`xlsim check` sets them; the defaults
 * keep everything, as xl does, except that xl's error lines stop after
 * {@link DEFAULT_MAX_XL_LINES}). What is cut is counted in {@link ParseResult.truncated}.
 */
export interface ParseOptions {
  /** Keep at most this many statements in the {@link ConfigFile} (all are still parsed). */
  maxStatements?: number;
  /** Keep at most this many items per list (all are still parsed). */
  maxListItems?: number;
  /** Keep at most this many diagnostics; a file with more errors is read no further than the one past them. */
  maxDiagnostics?: number;
  /**
   * Print at most this many of xl's error lines in `xlErrors`, then a line saying how many
   * more. 0: `xlErrors` is not wanted (left ''), which saves the second bison run; `ok`
   * is then "no error diagnostic", which is xl's verdict too.
   */
  maxXlLines?: number;
}

/** What {@link ParseOptions} cut, when anything was cut. */
export interface Truncation {
  /** Statements parsed but not kept, and the first of them (for its position). */
  statements: number;
  firstStatement?: Setting;
  /** Diagnostics found but not kept. */
  diagnostics: number;
  /** List items parsed but not kept. */
  listItems: number;
  /**
   * Where parsing gave up because the file had more errors than `maxDiagnostics` (the
   * rest of the file was not read; the verdict, a failed parse, is the same).
   */
  stoppedAt?: Position;
}

function parseInner(text: string, source: string, opts: ParseOptions): ParseResult {
  // Fast path: a clean scan (no lexical error, lists at most CHEVROTAIN_MAX_DEPTH deep)
  // parsed by chevrotain. Anything else goes to the exact scan and the bison machine.
  const clean = parseClean(text, CHEVROTAIN_MAX_DEPTH, opts.maxStatements, opts.maxListItems);
  if (clean) {
    const file = new ConfigFile(source, clean.statements, { maxListItems: opts.maxListItems });
    const r: ParseResult = { file, diagnostics: [], xlErrors: '', ok: true };
    const items = clean.droppedItems + file.droppedItems;
    if (clean.dropped || items) r.truncated = truncation(clean.dropped, clean.firstDropped, 0, items);
    if (!file.conflicts.length) return r;
    // Only the first mismatch is printed: it sets ctx->err, after which libxlu stores nothing.
    const c = file.conflicts[0]!;
    r.xlErrors = formatXlError(source, c.value.range.end.line, lastTokenText(text, c.value), ADD_KIND_MESSAGE);
    r.diagnostics = conflictDiagnostics(file, text);
    r.ok = false;
    return r;
  }
  // The bison machine, twice (xl's exact messages, then xlsim's diagnostics), each pulling
  // tokens from its own scanner so no token array of the whole file is ever built.
  const eofPos = endPosition(text, countLines(text));
  const limits = { maxStatements: opts.maxStatements, maxListItems: opts.maxListItems, maxDiagnostics: opts.maxDiagnostics, maxXlLines: opts.maxXlLines };
  // With maxXlLines 0 nobody wants xl's lines: one run, and xl's verdict is "no error".
  const xl = opts.maxXlLines === 0 ? undefined : runBison(new Scanner(text), { mode: 'xl', source, eofPos, ...limits });
  const dg = runBison(new Scanner(text), { mode: 'diag', source, eofPos, ...limits, stopAtMaxDiagnostics: opts.maxDiagnostics !== undefined });
  const file = new ConfigFile(source, dg.statements, { maxListItems: opts.maxListItems });
  dg.droppedItems += file.droppedItems;
  const diagnostics = [...dg.diagnostics, ...conflictDiagnostics(file, text)];
  diagnostics.sort((a, b) => a.range.start.offset - b.range.start.offset);
  const ok = xl ? xl.ok : diagnostics.length === 0 && dg.droppedDiagnostics === 0;
  const r: ParseResult = { file, diagnostics, xlErrors: xl ? xl.xl : '', ok };
  if (dg.droppedStatements || dg.droppedDiagnostics || dg.droppedItems || dg.stoppedAt) {
    r.truncated = truncation(dg.droppedStatements, dg.firstDropped, dg.droppedDiagnostics, dg.droppedItems);
    if (dg.stoppedAt) r.truncated.stoppedAt = dg.stoppedAt;
  }
  return r;
}

function truncation(statements: number, first: Setting | undefined, diagnostics: number, listItems: number): Truncation {
  const t: Truncation = { statements, diagnostics, listItems };
  if (first) t.firstStatement = first;
  return t;
}

/** Number of lines: newlines + 1 (every newline ends exactly one NEWLINE token). */
function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function conflictDiagnostics(file: ConfigFile, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, Setting>();
  for (const s of file.statements) {
    const prev = seen.get(s.name);
    if (s.op === '+=' && prev && prev.value.kind !== s.value.kind) {
      const was = prev.value.kind === 'list' ? 'a list' : 'a string';
      const now = s.value.kind === 'list' ? 'a list' : 'a string';
      out.push({
        severity: 'error',
        code: CODES.addKind,
        message: `can't add ${now} to \`${s.name}\`, which is ${was} (set on line ${prev.lineno}); += needs the same kind on both sides`,
        range: s.range,
        xl: formatXlError(file.source, s.value.range.end.line, lastTokenText(text, s.value), ADD_KIND_MESSAGE).slice(0, -1),
      });
      continue;
    }
    seen.set(s.name, s);
  }
  return out;
}

/**
 * Parse a file as bytes (what xl reads: `xlu_cfg_readdata`). Valid UTF-8 is decoded as
 * UTF-8. Bytes that are not valid UTF-8 are decoded as Latin-1 (one character per byte,
 * so positions, tokens and xl's messages follow the bytes exactly as flex sees them) and a
 * warning diagnostic XL006 points at the first invalid byte; xl itself does not care about
 * encodings (xl-cfg-format.md §1.1). NUL bytes are characters like any other (see
 * {@link parseConfig}). Never throws.
 */
export function parseConfigBytes(bytes: Uint8Array, source: string, opts: ParseOptions = {}): ParseResult {
  let text: string;
  let badAt = -1;
  try {
    text = UTF8.decode(bytes);
  } catch {
    text = Buffer.from(bytes).toString('latin1');
    badAt = firstInvalidUtf8(bytes);
  }
  const r = parseConfig(text, source, opts);
  if (badAt >= 0) {
    let line = 1;
    let ls = 0;
    for (let i = 0; i < badAt; i++) if (bytes[i] === 10) { line++; ls = i + 1; }
    const p: Position = { line, column: badAt - ls + 1, offset: badAt };
    r.diagnostics.unshift({
      severity: 'warning',
      code: 'XL006',
      message: `byte 0x${bytes[badAt]!.toString(16).padStart(2, '0')} is not valid UTF-8; the file is read as Latin-1 (xl reads raw bytes)`,
      range: { start: p, end: { line, column: p.column + 1, offset: badAt + 1 } },
    });
  }
  return r;
}

/** One strict UTF-8 decoder, reused (each `decode` call without `stream` is independent). */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function firstInvalidUtf8(b: Uint8Array): number {
  // RFC 3629 well-formed sequences (as TextDecoder's fatal mode accepts them): no overlong
  // forms (E0 needs A0–BF, F0 needs 90–BF), no surrogates (ED needs 80–9F), nothing past
  // U+10FFFF (F4 needs 80–8F). One pass, no allocation.
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + 1 >= b.length || b[i + 1]! < lo || b[i + 1]! > hi) return i;
    for (let k = 2; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return 0;
}
