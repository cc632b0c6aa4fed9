/**
 * The chevrotain 11.2 `EmbeddedActionsParser` for libxlu's grammar
 * (tools/libs/util/libxlu_cfg_y.y): the fast path's parser for batches the scanner could
 * not fuse (`fast-path.ts`). Files with any error go to the bison machine (`bison.ts`),
 * which reproduces xl's messages exactly.
 *
 * This module and chevrotain load on a file's first chevrotain run (through
 * `chevrotain-side.ts`), and the shared parser is built then: building it (chevrotain's
 * grammar recording and lookahead analysis) and loading chevrotain cost about 10 ms, which
 * a command reading a file of flat assignments and flat lists (most files) never pays.
 */
import { EmbeddedActionsParser, EOF as ChevEOF } from 'chevrotain';
import type { ListValue, Setting, Value } from '../types.js';
import { K, type Tok } from './tokens.js';
import { allTokens, AssignAtom, AssignOp, AssignStart, Atom, Comma, Ident, LBrack, Newline, RBrack, Semi, typeTokens } from './chev-tokens.js';
import { makeSetting, stringValue, tokEnd, tokStart } from './positions.js';
import { SettingsKeeper } from './keeper.js';

/** The keeper of a parser between runs (holds nothing of any file). */
const IDLE = new SettingsKeeper();

/** What a value that is parsed but not kept stands for (never stored anywhere). */
const SKIPPED: ListValue = Object.freeze({ kind: 'list', items: [], range: Object.freeze({ start: { line: 0, column: 0, offset: 0 }, end: { line: 0, column: 0, offset: 0 } }) }) as ListValue;

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
   *   error). Off for the shared instance, built on a file's first chevrotain run;
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
  // CONSUME instead of an OR. Per-parse state lives in the keeper of the run.
  /** Where this run's settings go (set by {@link parseBatch}; a blank keeper between runs). */
  k: SettingsKeeper = IDLE;
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
      this.k.out = [];
      this.listItems = [];
      this.listTrailing = [];
    }
    this.MANY(this.statement);
    return this.k.out;
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
   * assignment := IDENT AssignOp value, which the fast path's scanner may hand over fused:
   * ASSIGN_ATOM (the whole assignment, its setting built) or ASSIGN_START list.
   */
  private assignmentAlts: Array<{ ALT: () => void }> = [
    {
      ALT: () => {
        this.CONSUME(AssignAtom);
        // the scanner queued its setting (none in lean mode, where `keep` only counts)
        if (!this.RECORDING_PHASE) this.k.keepPending();
      },
    },
    {
      ALT: () => {
        const t = this.CONSUME(AssignStart) as Tok;
        this.skip = this.k.room === 0 && this.k.dropped > 0;
        const v = this.SUBRULE2(this.list);
        if (!this.RECORDING_PHASE) this.k.keep(this.skip ? undefined : makeSetting(t.ident!, t.append ? '+=' : '=', v));
      },
    },
    {
      ALT: () => {
        const id = this.CONSUME(Ident) as Tok;
        const op = this.CONSUME(AssignOp) as Tok;
        // past the kept statements (and the first dropped one), values are parsed, not built
        this.skip = this.k.room === 0 && this.k.dropped > 0;
        const v = this.OR4(this.valueAlts());
        if (!this.RECORDING_PHASE) this.k.keep(this.skip ? undefined : makeSetting(id, op.kind === K.EQ ? '=' : '+=', v));
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
    if (items && items.length >= this.k.maxItems) this.skip = true;
    const v = this.OR2(this.itemAlts2);
    this.skip = skip;
    if (items && !skip) {
      if (items.length < this.k.maxItems) items.push(v);
      else this.k.droppedItems++;
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

let shared: XlChevrotainParser | undefined;

/** The shared chevrotain parser instance, built on first use (chevrotain parsers are built once and reused). */
export function sharedChevrotainParser(): XlChevrotainParser {
  return (shared ??= new XlChevrotainParser());
}

/**
 * One chevrotain run over `tokens` (clean: no lexical-error tokens; typed here), keeping
 * the settings through `k`. Returns the batch's settings, or undefined when chevrotain
 * finds a syntax error (then the bison machine decides). Never throws.
 */
export function parseBatch(tokens: Tok[], k: SettingsKeeper): Setting[] | undefined {
  const parser = sharedChevrotainParser();
  typeTokens(tokens);
  parser.k = k;
  try {
    parser.input = tokens;
    const out = parser.file();
    return parser.errors.length ? undefined : out;
  } catch {
    return undefined; // never expected; the bison machine then decides
  } finally {
    // the shared parser keeps no reference to this file's settings: a long-lived object
    // pointing at them would keep each file's young objects alive through the next scavenges
    parser.k = IDLE;
  }
}

/** Parse clean tokens (no lexical-error tokens) with chevrotain; `undefined` when it finds a syntax error. Never throws. */
export function parseWithChevrotain(tokens: Tok[]): Setting[] | undefined {
  return parseBatch(tokens, new SettingsKeeper());
}
