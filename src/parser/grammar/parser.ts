/**
 * The chevrotain 11.2 `EmbeddedActionsParser` for libxlu's grammar
 * (tools/libs/util/libxlu_cfg_y.y): the fast path that builds the settings of
 * well-formed files. Files with any error go to the bison machine (`bison.ts`), which
 * reproduces xl's messages exactly.
 */
import { EmbeddedActionsParser, EOF as ChevEOF, type IToken } from 'chevrotain';
import type { ListValue, Setting, Value } from '../types.js';
import { allTokens, AssignAtom, AssignOp, AssignStart, Atom, Comma, Ident, K, LBrack, Newline, RBrack, Semi, type Tok } from './tokens.js';
import { makeSetting, stringValue, tokEnd, tokStart } from './positions.js';
import { DIRTY, Scanner } from './lexer.js';

// The chevrotain parser (fast path for well-formed files)

/**
 * chevrotain `EmbeddedActionsParser` for the libxlu grammar. `file()` returns the
 * assignments in order; `errors` is non-empty when the token stream is not in the
 * language (then {@link runBison} gives the exact diagnostics). Recovery is off.
 * Must only be fed token streams without lexical-error tokens and at most a few
 * hundred nested lists (it recurses once per list level).
 */
export class XlChevrotainParser extends EmbeddedActionsParser {
  /**
   * @param opts.validate run chevrotain's grammar validations in `performSelfAnalysis`
   *   (ambiguities, left recursion, unreachable alternatives …; they throw on a definition
   *   error). Off for the shared instance, which is built at start-up;
   *   test/parser/grammar-validations.test.ts builds one with them on.
   */
  constructor(opts: { validate?: boolean } = {}) {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 1, skipValidations: opts.validate !== true });
    this.performSelfAnalysis();
  }

  // Performance (chevrotain's own advice, measured on the corpus): alternatives arrays and
  // closures are built once and reused; grammar actions run inline behind
  // `RECORDING_PHASE` instead of through `ACTION(() => …)`, which would allocate a closure
  // per call; the operator and the atom are token categories (`AssignOp`, `Atom`), one
  // CONSUME instead of an OR. Per-parse state lives on the instance.
  private out: Setting[] = [];
  /** How many more settings to keep (the rest are parsed and counted in `dropped`); set by {@link parseClean}. */
  room = Infinity;
  /** Settings parsed but not kept, and the first of them. */
  dropped = 0;
  firstDropped: Setting | undefined = undefined;
  /** Keep at most this many items per list (the rest are parsed and counted in `droppedItems`). */
  maxItems = Infinity;
  droppedItems = 0;
  /** The scanner's queue of ASSIGN_ATOM settings for this batch, and the next to take. */
  pending: Setting[] = [];
  pendingAt = 0;
  /** True while parsing a value that will not be kept (values are then not built). */
  private skip = false;
  private altsEnd?: Parameters<EmbeddedActionsParser['OR']>[0];
  private altsStmt?: Array<{ ALT: () => void }>;
  private altsValue?: Array<{ ALT: () => Value }>;

  /**
   * file := (NEWLINE | ';' | assignment (NEWLINE | ';' | EOF))*
   * with assignment := IDENT AssignOp value written inline (one rule call less per
   * statement). Returns the assignments in order.
   */
  public file = this.RULE('file', (): Setting[] => {
    if (!this.RECORDING_PHASE) {
      this.out = [];
      this.listItems = [];
      this.listTrailing = [];
    }
    this.MANY(this.statement);
    return this.out;
  });

  private statement = (): void => {
    this.OR(
      (this.altsStmt ??= [
        { ALT: () => { this.CONSUME(Newline); } },
        { ALT: () => { this.CONSUME(Semi); } },
        {
          ALT: () => {
            this.OR2(this.assignmentAlts);
            this.OR3(
              (this.altsEnd ??= [
                { ALT: () => { this.CONSUME2(Newline); } },
                { ALT: () => { this.CONSUME2(Semi); } },
                { ALT: () => { this.CONSUME(ChevEOF); } },
              ]),
            );
          },
        },
      ]),
    );
  };

  /**
   * A batch of fused statements only (see {@link fusedOnly}) taken without a chevrotain
   * run: what `file()` returns for it, the scanner's queued settings kept or counted in
   * order exactly as the ASSIGN_ATOM alternative keeps them.
   */
  takeFused(batch: readonly Tok[]): Setting[] {
    const out: Setting[] = [];
    this.out = out;
    for (let i = 0; i < batch.length; i++) if (batch[i]!.kind === K.ASSIGN_ATOM) this.keep(this.pending[this.pendingAt++]);
    this.releaseOutput();
    return out;
  }

  /** Drops the parser's reference to the settings of its last run. */
  releaseOutput(): void {
    this.out = NO_SETTINGS;
  }

  /** Keeps a parsed setting, or counts it past `room` (remembering the first). */
  private keep(st: Setting | undefined): void {
    if (this.room > 0) {
      this.room--;
      this.out.push(st!);
    } else if (this.dropped++ === 0) this.firstDropped = st;
  }

  /**
   * assignment := IDENT AssignOp value, which the fast path's scanner may hand over fused:
   * ASSIGN_ATOM (the whole assignment, its setting built) or ASSIGN_START list.
   */
  private assignmentAlts: Array<{ ALT: () => void }> = [
    {
      ALT: () => {
        this.CONSUME(AssignAtom);
        // the scanner queued its setting (none in lean mode, where `keep` only counts)
        if (!this.RECORDING_PHASE) this.keep(this.pending[this.pendingAt++]);
      },
    },
    {
      ALT: () => {
        const t = this.CONSUME(AssignStart) as Tok;
        this.skip = this.room === 0 && this.dropped > 0;
        const v = this.SUBRULE2(this.list);
        if (!this.RECORDING_PHASE) this.keep(this.skip ? undefined : makeSetting(t.ident!, t.append ? '+=' : '=', v));
      },
    },
    {
      ALT: () => {
        const id = this.CONSUME(Ident) as Tok;
        const op = this.CONSUME(AssignOp) as Tok;
        // past the kept statements (and the first dropped one), values are parsed, not built
        this.skip = this.room === 0 && this.dropped > 0;
        const v = this.OR4(this.valueAlts());
        if (!this.RECORDING_PHASE) this.keep(this.skip ? undefined : makeSetting(id, op.kind === K.EQ ? '=' : '+=', v));
      },
    },
  ];

  private valueAlts(): Array<{ ALT: () => Value }> {
    return (this.altsValue ??= [
      { ALT: () => { const t = this.CONSUME(Atom) as Tok; return (this.RECORDING_PHASE || this.skip ? SKIPPED : stringValue(t)) as Value; } },
      { ALT: () => this.SUBRULE(this.list) },
    ]);
  }


  // Per-list state as stacks on the instance (lists nest), so the closures below are built once.
  private listItems: Value[][] = [];
  private listTrailing: boolean[] = [];
  // One closure per NEWLINE repetition: each must CONSUME with its own occurrence index
  // (chevrotain identifies a CONSUME by rule, token type and index; its validations reject
  // one index used from several places).
  private fnNl1 = (): void => { this.CONSUME(Newline); };
  private fnNl2 = (): void => { this.CONSUME2(Newline); };
  private fnNl3 = (): void => { this.CONSUME3(Newline); };
  private fnNl4 = (): void => { this.CONSUME4(Newline); };
  // A list item is `value`, written inline (an OR here rather than a SUBRULE to `value`:
  // one rule call less per item); one alternatives array per OR index.
  private itemAlts1: Array<{ ALT: () => Value }> = [
    { ALT: () => { const t = this.CONSUME(Atom) as Tok; return (this.RECORDING_PHASE || this.skip ? SKIPPED : stringValue(t)) as Value; } },
    { ALT: () => this.SUBRULE(this.list) },
  ];
  private itemAlts2: Array<{ ALT: () => Value }> = [
    { ALT: () => { const t = this.CONSUME2(Atom) as Tok; return (this.RECORDING_PHASE || this.skip ? SKIPPED : stringValue(t)) as Value; } },
    { ALT: () => this.SUBRULE2(this.list) },
  ];
  private fnMore = (): true => {
    const items = this.RECORDING_PHASE ? undefined : this.listItems[this.listItems.length - 1]!;
    // an item past `maxItems` is parsed, not built (unless the whole statement is skipped already)
    const skip = this.skip;
    if (items && items.length >= this.maxItems) this.skip = true;
    const v = this.OR2(this.itemAlts2);
    this.skip = skip;
    if (items && !skip) {
      if (items.length < this.maxItems) items.push(v);
      else this.droppedItems++;
    }
    this.MANY5(this.fnNl4);
    return true;
  };
  private manyItems = {
    GATE: (): boolean => !this.listTrailing[this.listTrailing.length - 1],
    DEF: (): void => {
      this.CONSUME(Comma);
      this.MANY4(this.fnNl3);
      const more = this.OPTION2(this.fnMore);
      if (more === undefined && !this.RECORDING_PHASE) this.listTrailing[this.listTrailing.length - 1] = true;
    },
  };
  private fnBody = (): void => {
    const first = this.OR(this.itemAlts1);
    if (!this.RECORDING_PHASE && !this.skip) this.listItems[this.listItems.length - 1]!.push(first);
    this.MANY2(this.fnNl2);
    this.MANY3(this.manyItems);
  };

  /** list := '[' NL* [ value NL* (',' NL* [value NL*])* ] ']' with at most one trailing comma (value := Atom | list). */
  private list = this.RULE('list', (): ListValue => {
    const lb = this.CONSUME(LBrack) as Tok;
    if (!this.RECORDING_PHASE) {
      this.listItems.push([]);
      this.listTrailing.push(false);
    }
    this.MANY(this.fnNl1);
    this.OPTION(this.fnBody);
    const rb = this.CONSUME(RBrack) as Tok;
    if (this.RECORDING_PHASE) return undefined as unknown as ListValue;
    const items = this.listItems.pop()!;
    this.listTrailing.pop();
    if (this.skip) return SKIPPED;
    return { kind: 'list', items, range: { start: tokStart(lb), end: tokEnd(rb) } };
  });
}

/** What `out` holds between runs (the parser keeps no settings of a file it is done with). */
const NO_SETTINGS: Setting[] = [];

/** What a value that is parsed but not kept stands for (never stored anywhere). */
const SKIPPED: ListValue = Object.freeze({ kind: 'list', items: [], range: Object.freeze({ start: { line: 0, column: 0, offset: 0 }, end: { line: 0, column: 0, offset: 0 } }) }) as ListValue;

/** The shared chevrotain parser instance (chevrotain parsers are built once and reused). */
export const chevParser = new XlChevrotainParser();

/** Parse clean tokens (no lexical-error tokens) with chevrotain; `undefined` when it finds a syntax error. Never throws. */
export function parseWithChevrotain(tokens: IToken[]): Setting[] | undefined {
  chevParser.room = Infinity;
  chevParser.maxItems = Infinity;
  return parseBatch(tokens);
}

function parseBatch(tokens: IToken[]): Setting[] | undefined {
  try {
    chevParser.input = tokens;
    const out = chevParser.file();
    return chevParser.errors.length ? undefined : out;
  } catch {
    return undefined; // never expected; the bison machine then decides
  }
}

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
  chevParser.pending = sc.settings;
  let statements: Setting[] = [];
  let first = true;
  chevParser.room = maxStatements;
  chevParser.dropped = 0;
  chevParser.firstDropped = undefined;
  chevParser.maxItems = maxListItems;
  chevParser.droppedItems = 0;
  // one array for every batch: chevrotain reads it during the run only
  const batch: Tok[] = [];
  for (;;) {
    const t = sc.next();
    if (t === DIRTY) return undefined;
    if (t !== undefined) {
      batch.push(t);
      if (batch.length < BATCH_TOKENS || sc.depth !== 0 || (t.kind !== K.NEWLINE && t.kind !== K.SEMI)) continue;
    }
    chevParser.pendingAt = 0;
    const out = fusedOnly(batch, t === undefined) ? chevParser.takeFused(batch) : parseBatch(batch);
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
    if (chevParser.room === 0 && chevParser.dropped > 0) sc.lean = true;
  }
  // the shared parser keeps no reference to this file's settings: a long-lived object
  // pointing at them would keep each file's young objects alive through the next scavenges
  chevParser.pending = NO_SETTINGS;
  chevParser.releaseOutput();
  const r: CleanParse = { statements, dropped: chevParser.dropped + sc.skipped, droppedItems: chevParser.droppedItems + sc.droppedItems };
  if (chevParser.firstDropped) r.firstDropped = chevParser.firstDropped;
  return r;
}
