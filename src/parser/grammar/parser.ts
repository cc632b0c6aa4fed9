/**
 * The chevrotain 11.2 `EmbeddedActionsParser` for libxlu's grammar
 * (tools/libs/util/libxlu_cfg_y.y): the fast path that builds the settings of
 * well-formed files. Files with any error go to the bison machine (`bison.ts`), which
 * reproduces xl's messages exactly.
 */
import { EmbeddedActionsParser, EOF as ChevEOF, type IToken } from 'chevrotain';
import type { ListValue, Setting, Value } from '../types.js';
import { allTokens, Comma, Eq, Ident, LBrack, Newline, Number_, PlusEq, RBrack, Semi, String_, type Tok } from './tokens.js';
import { makeSetting, stringValue, tokEnd, tokStart } from './positions.js';

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

  // Alternatives arrays are built once and reused (chevrotain's performance advice: an OR
  // with fresh closures on every call allocates). Per-parse state lives on the instance.
  private out: Setting[] = [];
  private altsEnd?: Parameters<EmbeddedActionsParser['OR']>[0];
  private altsOp?: Array<{ ALT: () => '=' | '+=' }>;
  private altsValue?: Array<{ ALT: () => Value }>;
  private altsStmt?: Array<{ ALT: () => void }>;

  /**
   * file := (NEWLINE | ';' | assignment (NEWLINE | ';' | EOF))*
   * with assignment := IDENT ('=' | '+=') value written inline (one rule call less per
   * statement). Returns the assignments in order.
   */
  public file = this.RULE('file', (): Setting[] => {
    this.ACTION(() => {
      this.out = [];
      this.listItems = [];
      this.listTrailing = [];
    });
    this.MANY(() => {
      this.OR(
        (this.altsStmt ??= [
          { ALT: () => { this.CONSUME(Newline); } },
          { ALT: () => { this.CONSUME(Semi); } },
          {
            ALT: () => {
              const id = this.CONSUME(Ident) as Tok;
              const op = this.OR2(
                (this.altsOp ??= [
                  { ALT: () => { this.CONSUME(Eq); return '=' as const; } },
                  { ALT: () => { this.CONSUME(PlusEq); return '+=' as const; } },
                ]),
              );
              const v = this.OR3(this.valueAlts());
              this.ACTION(() => this.out.push(makeSetting(id, op, v)));
              this.OR4(
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
    });
    return this.out;
  });

  private valueAlts(): Array<{ ALT: () => Value }> {
    return (this.altsValue ??= [
      { ALT: () => { const t = this.CONSUME(String_) as Tok; return this.ACTION(() => stringValue(t)); } },
      { ALT: () => { const t = this.CONSUME(Number_) as Tok; return this.ACTION(() => stringValue(t)); } },
      { ALT: () => this.SUBRULE(this.list) },
    ]);
  }

  /** value := STRING | NUMBER | list */
  private value = this.RULE('value', (): Value => this.OR(this.valueAlts()));

  // Per-list state as stacks on the instance (lists nest), so the closures below are built once.
  private listItems: Value[][] = [];
  private listTrailing: boolean[] = [];
  // One closure per NEWLINE repetition: each must CONSUME with its own occurrence index
  // (chevrotain identifies a CONSUME by rule, token type and index; its validations reject
  // one index used from several places).
  private fnNl1?: () => void;
  private fnNl2?: () => void;
  private fnNl3?: () => void;
  private fnNl4?: () => void;
  private fnBody?: () => void;
  private fnMore?: () => true;
  private manyItems?: { GATE: () => boolean; DEF: () => void };

  /** list := '[' NL* [ value NL* (',' NL* [value NL*])* ] ']' with at most one trailing comma. */
  private list = this.RULE('list', (): ListValue => {
    const lb = this.CONSUME(LBrack) as Tok;
    this.ACTION(() => {
      this.listItems.push([]);
      this.listTrailing.push(false);
    });
    this.MANY((this.fnNl1 ??= () => { this.CONSUME(Newline); }));
    this.OPTION(
      (this.fnBody ??= () => {
        const first = this.SUBRULE(this.value);
        this.ACTION(() => this.listItems[this.listItems.length - 1]!.push(first));
        this.MANY2((this.fnNl2 ??= () => { this.CONSUME2(Newline); }));
        this.MANY3(
          (this.manyItems ??= {
            GATE: () => !this.listTrailing[this.listTrailing.length - 1],
            DEF: () => {
              this.CONSUME(Comma);
              this.MANY4((this.fnNl3 ??= () => { this.CONSUME3(Newline); }));
              const more = this.OPTION2(
                (this.fnMore ??= () => {
                  const v = this.SUBRULE2(this.value);
                  this.ACTION(() => this.listItems[this.listItems.length - 1]!.push(v));
                  this.MANY5((this.fnNl4 ??= () => { this.CONSUME4(Newline); }));
                  return true as const;
                }),
              );
              if (more === undefined) this.ACTION(() => { this.listTrailing[this.listTrailing.length - 1] = true; });
            },
          }),
        );
      }),
    );
    const rb = this.CONSUME(RBrack) as Tok;
    return this.ACTION(() => {
      const items = this.listItems.pop()!;
      this.listTrailing.pop();
      return { kind: 'list', items, range: { start: tokStart(lb), end: tokEnd(rb) } } as ListValue;
    });
  });
}

/** The shared chevrotain parser instance (chevrotain parsers are built once and reused). */
export const chevParser = new XlChevrotainParser();

/** Parse clean tokens (no lexical-error tokens) with chevrotain; `undefined` when it finds a syntax error. Never throws. */
export function parseWithChevrotain(tokens: IToken[]): Setting[] | undefined {
  try {
    chevParser.input = tokens;
    const out = chevParser.file();
    return chevParser.errors.length ? undefined : out;
  } catch {
    return undefined; // never expected; the bison machine then decides
  }
}
