/**
 * The libxlu grammar (tools/libs/util/libxlu_cfg_y.y, bison 3.3.2 tables in
 * libxlu_cfg_y.c; xl-cfg-format.md §1.3 and §1.7), implemented twice on purpose:
 *
 * 1. {@link XlChevrotainParser}: a chevrotain 11.2 `EmbeddedActionsParser` for the whole
 *    grammar. It builds the settings of well-formed files (the common case) fast.
 * 2. {@link runBison}: a table-driven LALR(1) machine whose tables are generated here from
 *    the same 23 rules, with bison's default-reduction and "consistent state" rules, its
 *    verbose `yysyntax_error` ("expecting A or B", at most 4 names) and its `error NEWLINE`
 *    recovery with the 3-token rule. It runs when a file has any error, and produces both
 *    the exact stderr bytes of real xl (mode `xl`) and xlsim's own complete, located
 *    diagnostics (mode `diag`). It is iterative, so lists nested 100 000 deep give a clean
 *    `memory exhausted` diagnostic instead of a JS RangeError.
 */
import { EmbeddedActionsParser, EOF as ChevEOF, type IToken } from 'chevrotain';
import type { Diagnostic, ListValue, Position, Range, Setting, StringValue, Value } from './types.js';
import { allTokens, Comma, Eq, Ident, K, LBrack, Newline, Number_, PlusEq, RBrack, Semi, String_, type Tok } from './lexer.js';

// ---------------------------------------------------------------------------------------
// Positions

/** Start position of a token. */
export function tokStart(t: Tok): Position {
  return { line: t.line, column: t.column, offset: t.startOffset };
}

/** End position (exclusive) of a token; tokens other than NEWLINE never span lines. */
export function tokEnd(t: Tok): Position {
  const n = t.image.length;
  return { line: t.line, column: t.column + n, offset: t.startOffset + n };
}

/** Range covering one token. */
export function tokRange(t: Tok): Range {
  return { start: tokStart(t), end: tokEnd(t) };
}

function stringValue(t: Tok): StringValue {
  return { kind: 'string', value: t.value!, token: t.kind === K.STRING ? 'STRING' : 'NUMBER', range: tokRange(t) };
}

function makeSetting(id: Tok, op: '=' | '+=', value: Value): Setting {
  const nameRange = tokRange(id);
  return { name: id.image, op, value, lineno: value.range.start.line, range: { start: nameRange.start, end: value.range.end }, nameRange };
}

// ---------------------------------------------------------------------------------------
// Grammar and LALR(1) tables

/** Terminal names exactly as bison 3.3.2 prints them in verbose syntax errors (yytname after yytnamerr). */
export const TOKEN_NAMES = ['$end', 'error', '$undefined', 'IDENT', 'STRING', 'NUMBER', 'NEWLINE', '+=', "'='", "';'", "'['", "']'", "','"];
const NTERMS = 13;
const ERROR = 1;
const N = { accept: 13, file: 14, stmts: 15, stmt: 16, assignment: 17, endstmt: 18, value: 19, atom: 20, valuelist: 21, values: 22, nlok: 23 };

/** The 23 rules of libxlu_cfg_y.y in bison's numbering: [lhs, rhs symbols]. */
export const RULES: ReadonlyArray<readonly [number, readonly number[]]> = [
  [N.accept, [N.file, K.EOF]], // 0
  [N.file, [N.stmts]], // 1
  [N.file, [N.stmts, N.assignment]], // 2
  [N.stmts, []], // 3
  [N.stmts, [N.stmts, N.stmt]], // 4
  [N.stmt, [N.assignment, N.endstmt]], // 5
  [N.stmt, [N.endstmt]], // 6
  [N.stmt, [ERROR, K.NEWLINE]], // 7
  [N.assignment, [K.IDENT, K.EQ, N.value]], // 8
  [N.assignment, [K.IDENT, K.PLUSEQ, N.value]], // 9
  [N.endstmt, [K.NEWLINE]], // 10
  [N.endstmt, [K.SEMI]], // 11
  [N.value, [N.atom]], // 12
  [N.value, [K.LBRACK, N.nlok, N.valuelist, K.RBRACK]], // 13
  [N.atom, [K.STRING]], // 14
  [N.atom, [K.NUMBER]], // 15
  [N.valuelist, []], // 16
  [N.valuelist, [N.values]], // 17
  [N.valuelist, [N.values, K.COMMA, N.nlok]], // 18
  [N.values, [N.value, N.nlok]], // 19
  [N.values, [N.values, K.COMMA, N.nlok, N.value, N.nlok]], // 20
  [N.nlok, []], // 21
  [N.nlok, [N.nlok, K.NEWLINE]], // 22
];

/** One LALR(1) state's parsing row, after bison's default-reduction rules (tables.c `action_row`). */
export interface StateRow {
  /** Explicit actions per terminal: > 0 shift to that state, < 0 reduce by rule −n, 0 none. */
  act: Int16Array;
  /** Default reduction rule, or −1 when the default is "error". */
  def: number;
  /** True when the row has no explicit action (bison's YYPACT_NINF): no lookahead is read. */
  onlyDefault: boolean;
  /** Goto table for non-terminals. */
  go: Map<number, number>;
  /** Every terminal with an action before default reductions were applied (LALR lookaheads included), `error` excluded. */
  full: number[];
}

/** Generated tables: rows, the state entered after `$end` (bison's YYFINAL) and the `stmts` state. */
export interface Tables {
  rows: StateRow[];
  final: number;
  stmtsState: number;
}

function buildTables(): Tables {
  const nSym = 24;
  const nullable = new Array<boolean>(nSym).fill(false);
  const first: Set<number>[] = Array.from({ length: nSym }, (_, s) => new Set(s < NTERMS ? [s] : []));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [lhs, rhs] of RULES) {
      let allNull = true;
      for (const s of rhs) {
        for (const f of first[s]!) if (!first[lhs]!.has(f)) { first[lhs]!.add(f); changed = true; }
        if (!nullable[s]) { allNull = false; break; }
      }
      if (allNull && !nullable[lhs]) { nullable[lhs] = true; changed = true; }
    }
  }
  // Canonical LR(1) items encoded as ((rule*8 + dot)*16 + lookahead).
  const enc = (r: number, d: number, la: number) => (r * 8 + d) * 16 + la;
  const closure = (kernel: number[]): number[] => {
    const set = new Set(kernel);
    const work = [...kernel];
    while (work.length) {
      const it = work.pop()!;
      const la = it % 16, d = Math.floor(it / 16) % 8, r = Math.floor(it / 128);
      const rhs = RULES[r]![1];
      const B = rhs[d];
      if (B === undefined || B < NTERMS) continue;
      const las = new Set<number>();
      let i = d + 1;
      for (; i < rhs.length; i++) {
        for (const f of first[rhs[i]!]!) las.add(f);
        if (!nullable[rhs[i]!]) break;
      }
      if (i === rhs.length) las.add(la);
      RULES.forEach(([lhs], r2) => {
        if (lhs !== B) return;
        for (const b of las) {
          const n = enc(r2, 0, b);
          if (!set.has(n)) { set.add(n); work.push(n); }
        }
      });
    }
    return [...set].sort((a, b) => a - b);
  };
  const lr1: number[][] = [];
  const lr1Index = new Map<string, number>();
  const lr1Trans: Map<number, number>[] = [];
  const add = (kernel: number[]) => {
    const items = closure(kernel);
    const key = items.join(',');
    let idx = lr1Index.get(key);
    if (idx === undefined) {
      idx = lr1.length;
      lr1.push(items);
      lr1Index.set(key, idx);
      lr1Trans.push(new Map());
    }
    return idx;
  };
  add([enc(0, 0, 0)]);
  for (let s = 0; s < lr1.length; s++) {
    const bySym = new Map<number, number[]>();
    for (const it of lr1[s]!) {
      const la = it % 16, d = Math.floor(it / 16) % 8, r = Math.floor(it / 128);
      const X = RULES[r]![1][d];
      if (X === undefined || (r === 0 && X === K.EOF)) continue;
      if (!bySym.has(X)) bySym.set(X, []);
      bySym.get(X)!.push(enc(r, d + 1, la));
    }
    for (const [X, k] of [...bySym].sort((a, b) => a[0] - b[0])) lr1Trans[s]!.set(X, add(k));
  }
  // Merge states with the same LR(0) core (LALR), numbering cores in creation order.
  const coreOf: number[] = [];
  const coreIndex = new Map<string, number>();
  for (const items of lr1) {
    const key = [...new Set(items.map((i) => Math.floor(i / 16)))].sort((a, b) => a - b).join(',');
    let c = coreIndex.get(key);
    if (c === undefined) { c = coreIndex.size; coreIndex.set(key, c); }
    coreOf.push(c);
  }
  const nStates = coreIndex.size;
  const trans: Map<number, number>[] = Array.from({ length: nStates }, () => new Map());
  const reds: Map<number, Set<number>>[] = Array.from({ length: nStates }, () => new Map());
  lr1.forEach((items, s) => {
    const c = coreOf[s]!;
    for (const [X, t] of lr1Trans[s]!) trans[c]!.set(X, coreOf[t]!);
    for (const it of items) {
      const la = it % 16, d = Math.floor(it / 16) % 8, r = Math.floor(it / 128);
      if (d !== RULES[r]![1].length) continue;
      if (!reds[c]!.has(r)) reds[c]!.set(r, new Set());
      reds[c]!.get(r)!.add(la);
    }
  });
  // The accept state: $accept: file $end . (bison's YYFINAL), entered by shifting $end.
  const fileState = trans[0]!.get(N.file)!;
  const final = nStates;
  trans[fileState]!.set(K.EOF, final);
  trans.push(new Map());
  reds.push(new Map([[0, new Set<number>()]]));
  const rows: StateRow[] = [];
  for (let s = 0; s <= nStates; s++) {
    const act = new Int16Array(NTERMS);
    const rs = [...reds[s]!].sort((a, b) => a[0] - b[0]);
    const termShifts = [...trans[s]!.keys()].filter((x) => x < NTERMS);
    const consistent = !(rs.length > 1 || (rs.length === 1 && termShifts.length > 0));
    let nodefault = false;
    if (!consistent) for (const [r, las] of rs) for (const la of las) act[la] = -r;
    for (const x of termShifts) {
      if (x === ERROR) nodefault = true;
      act[x] = trans[s]!.get(x)!;
    }
    let def = -1;
    if (rs.length >= 1 && !nodefault) {
      if (consistent) def = rs[0]![0];
      else {
        let max = 0;
        for (const [r] of rs) {
          let count = 0;
          for (let j = 0; j < NTERMS; j++) if (act[j] === -r) count++;
          if (count > max) { max = count; def = r; }
        }
        if (max > 0) for (let j = 0; j < NTERMS; j++) if (act[j] === -def) act[j] = 0;
      }
    }
    const go = new Map<number, number>();
    for (const [X, t] of trans[s]!) if (X >= NTERMS) go.set(X, t);
    const fullSet = new Set<number>(termShifts.filter((x) => x !== ERROR));
    for (const [, las] of rs) for (const la of las) fullSet.add(la);
    rows.push({ act, def, onlyDefault: act.every((a) => a === 0), go, full: [...fullSet].sort((a, b) => a - b) });
  }
  return { rows, final, stmtsState: trans[0]!.get(N.stmts)! };
}

/** The LALR(1) tables of libxlu's grammar (computed once at load; 32 states like bison's). */
export const TABLES: Tables = buildTables();

/**
 * Terminals bison lists after "expecting" when a syntax error is detected in `state`
 * (yysyntax_error): those with an explicit action, in token-number order, `error`
 * excluded; none at all when there are more than four.
 */
export function bisonExpected(state: number): string[] {
  const out: string[] = [];
  const act = TABLES.rows[state]!.act;
  for (let x = 0; x < NTERMS; x++) if (x !== ERROR && act[x] !== 0) out.push(TOKEN_NAMES[x]!);
  return out.length > 4 ? [] : out;
}

/**
 * Every terminal acceptable where the lookahead was read (`state`), before bison's default
 * reductions narrowed it down (`error` excluded), for xlsim's own messages.
 */
export function acceptable(state: number): number[] {
  return TABLES.rows[state]!.full;
}

/** The bison verbose message for `token` in `state`: `syntax error, unexpected X[, expecting A or B]`. */
export function bisonMessage(state: number, token: number): string {
  const exp = bisonExpected(state);
  return `syntax error, unexpected ${TOKEN_NAMES[token]}` + (exp.length ? `, expecting ${exp.join(' or ')}` : '');
}

// ---------------------------------------------------------------------------------------
// xlsim wording

const DESCRIBE: Record<number, string> = {
  [K.EOF]: 'end of file',
  [K.IDENT]: 'a setting name',
  [K.STRING]: 'a quoted string',
  [K.NUMBER]: 'a number',
  [K.NEWLINE]: 'end of line',
  [K.PLUSEQ]: '`+=`',
  [K.EQ]: '`=`',
  [K.SEMI]: '`;`',
  [K.LBRACK]: '`[`',
  [K.RBRACK]: '`]`',
  [K.COMMA]: '`,`',
};

/**
 * Token text made safe to print in a diagnostic: control characters, DEL and C1
 * controls become `\xNN` escapes (so a binary file cannot drive the user's terminal)
 * and anything past `max` characters is cut with an ellipsis.
 */
export function printable(text: string, max = 40): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const safe = cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return text.length > max ? `${safe}…` : safe;
}

function found(t: Tok | undefined): string {
  if (!t) return 'end of file';
  if (t.kind === K.NEWLINE) return t.image.startsWith('#') ? 'end of line (comment)' : 'end of line';
  if (t.kind === K.IDENT) return `bare word \`${t.image}\``;
  if (t.kind === K.STRING) return `string ${printable(t.image)}`;
  if (t.kind === K.NUMBER) return `number ${t.image}`;
  return DESCRIBE[t.kind]!;
}

function syntaxMessage(state: number, t: Tok | undefined): string {
  const acc = acceptable(state);
  const exp = acc.map((x) => DESCRIBE[x]!);
  const list = exp.length <= 1 ? exp.join('') : `${exp.slice(0, -1).join(', ')} or ${exp[exp.length - 1]}`;
  let msg = `syntax error: found ${found(t)}, expected ${list}`;
  const kind = t ? t.kind : K.EOF;
  if (kind === K.IDENT && acc.includes(K.STRING)) msg += `; bare words are not values, quote it: "${t!.image}"`;
  else if (kind === K.COMMA && acc.includes(K.RBRACK)) msg += '; a list allows one trailing comma, no empty items';
  else if (kind === K.EOF && acc.includes(K.RBRACK)) msg += '; the list is never closed';
  else if ((kind === K.STRING || kind === K.NUMBER || kind === K.LBRACK) && acc.includes(K.COMMA)) msg += '; list items are separated by `,`';
  else if (acc.includes(K.SEMI) && !acc.includes(K.IDENT)) msg += '; a setting ends at the end of its line or at `;`';
  return msg;
}

function lexicalMessage(t: Tok): string {
  const c = t.image[0]!;
  let why: string;
  if (c === '#') why = 'a comment must end with a newline (xl rejects a comment on the last line without one)';
  else if (c === '\r') why = 'carriage return: xl accepts only LF line endings, not CR-LF';
  else if (c === '"' || c === "'") why = 'unterminated string: a quoted string must close on the same line';
  else if (c === '-' || c === '+') why = `unquoted sign: numbers must be plain digits (quote it: "${t.image}")`;
  else if (c === '.') why = 'unquoted decimal point: xl has no decimal numbers';
  else if (c === '(' || c === ')' || c === ':') why = `'${c}' is not part of the xl.cfg syntax (Python is no longer supported)`;
  else if (c >= 'A' && c <= 'Z') why = 'names are lower-case ([a-z][._0-9a-z]*) and text values must be quoted';
  else if (c === '\0') why = 'NUL byte';
  else if (c === '\\') why = 'backslash outside a string: there is no line continuation';
  else if (c === '_' ) why = 'a name must start with a lower-case letter';
  else if (c === '/' || c === '~' || c === '*') why = 'unquoted path or text: values other than plain numbers must be quoted';
  else why = `character '${printable(c)}' cannot start a token; text values must be quoted`;
  return `lexical error: found \`${printable(t.image)}\`; ${why}`;
}

// ---------------------------------------------------------------------------------------
// The bison machine

/** Diagnostic codes used by the grammar (docs/rules.md). */
export const CODES = { lexical: 'XL001', syntax: 'XL002', escape: 'XL003', addKind: 'XL004', depth: 'XL005' } as const;

/** The exact text libxlu writes for a `+=` kind mismatch (libxlu_cfg.c `xlu__cfg_set_store`). */
export const ADD_KIND_MESSAGE = `can't add [list] to "string" or vice versa`;

/** The three lines libxlu prints when a failed file used `+ - . ( ) :` (xlu_cfg_readdata). */
export const PYTHON_HINT =
  'warning: Config file looks like it contains Python code.\n' +
  'warning:  Arbitrary Python is no longer supported.\n' +
  'warning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n';

/**
 * Format one libxlu parse error line (xlu__cfg_yyerror in libxlu_cfg.c): the NEWLINE
 * quirk (line − 1, `<newline>`), trailing blanks removed, text cut at a NUL as `%.*s` does.
 * `text` is flex's yytext; EOF is passed as "\0" (one NUL byte: quotes, nothing inside).
 */
export function formatXlError(source: string, firstLine: number, text: string, msg: string): string {
  let line = firstLine;
  let t = text;
  let nl = '';
  if (t.endsWith('\n')) {
    t = t.slice(0, -1);
    line--;
    if (!t.length) nl = '<newline>';
  }
  t = t.replace(/[ \t]+$/, '');
  const shown = t.length ? '`' + t.split('\0')[0] + "'" : '';
  return `${source}:${line}: config parsing error near ${shown}${nl}: ${msg}\n`;
}

/** What {@link runBison} returns. */
export interface BisonResult {
  /** Settings stored by the grammar actions, in order (mode `diag`: all of them). */
  statements: Setting[];
  /** Mode `xl`: exact stderr bytes (errors, then the Python hint if applicable). */
  xl: string;
  /** Mode `xl`: true iff libxlu accepts the file. */
  ok: boolean;
  /** Mode `diag`: every problem, located. */
  diagnostics: Diagnostic[];
}

interface RunOptions {
  mode: 'xl' | 'diag';
  source: string;
  /** End-of-text position, for errors at end of file. */
  eofPos: Position;
}

/** Bison's YYMAXDEPTH in libxlu_cfg_y.c (stack of 10 000 states: 4996 list levels). */
const YYMAXDEPTH = 10000;

/**
 * Run the bison automaton over the lexed tokens (lexical-error tokens included; they are
 * consumed on demand like flex does, so nothing after an abort is scanned).
 * Mode `xl` reproduces libxlu's stderr byte for byte; mode `diag` reports every error
 * (no 3-token suppression, resynchronising at the next line) as located diagnostics.
 * Never throws.
 */
export function runBison(toks: Tok[], opt: RunOptions): BisonResult {
  const xlMode = opt.mode === 'xl';
  const { rows, final, stmtsState } = TABLES;
  const statements: Setting[] = [];
  const diagnostics: Diagnostic[] = [];
  let out = '';
  let err = false;
  let lexerrlineno = -1;
  let likelyPython = false;
  const lexLines = new Set<number>();
  const kinds = new Map<string, 'string' | 'list'>();

  let pos = 0;
  let depth = 0; // open '[' among the tokens fetched so far
  const errorState = rows[stmtsState]!.act[ERROR]!;
  /** Mode diag: true when the real tokens from `pos` on start a statement (IDENT then = or +=). */
  const statementAhead = (): boolean => {
    let i = pos;
    const next = () => {
      while (i < toks.length && (toks[i]!.kind === K.ERR || toks[i]!.kind === K.PYERR)) i++;
      return toks[i++];
    };
    const a = next();
    const b = next();
    return a?.kind === K.IDENT && (b?.kind === K.EQ || b?.kind === K.PLUSEQ);
  };
  let lastLine = 1; // yylloc.first_line of the last token returned by the scanner
  let laState = 0; // the state in which the current lookahead was read
  let lastTok: Tok | undefined;

  const yyerror = (firstLine: number, text: string, msg: string) => {
    if (firstLine <= lexerrlineno) return;
    out += formatXlError(opt.source, firstLine, text, msg);
    err = true;
  };
  const lexicalerror = (line: number, text: string, msg: string) => {
    yyerror(line, text, msg);
    lexerrlineno = line;
  };
  const eofRange = (): Range => ({ start: opt.eofPos, end: opt.eofPos });

  /** yylex: returns the next real token, handling lexical errors on the way; undefined at EOF. */
  const fetch = (): Tok | undefined => {
    while (pos < toks.length) {
      const t = toks[pos++]!;
      if (t.kind === K.ERR || t.kind === K.PYERR) {
        if (t.kind === K.PYERR) likelyPython = true;
        if (xlMode) lexicalerror(t.line, t.image, 'lexical error');
        else {
          lexLines.add(t.line);
          diagnostics.push({
            severity: 'error', code: CODES.lexical, message: lexicalMessage(t), range: tokRange(t),
            xl: formatXlError(opt.source, t.line, t.image, 'lexical error').slice(0, -1),
          });
        }
        continue;
      }
      lastLine = t.line;
      lastTok = t;
      if (t.kind === K.LBRACK) depth++;
      else if (t.kind === K.RBRACK && depth > 0) depth--;
      if (t.kind === K.STRING && t.esc) {
        if (xlMode) {
          if (!err) {
            lexicalerror(t.line, t.image, t.esc.message);
            err = true;
          }
        } else {
          lexLines.add(t.line);
          const start: Position = { line: t.line, column: t.column + t.esc.index, offset: t.startOffset + t.esc.index };
          const len = Math.min(2, t.image.length - 1 - t.esc.index);
          diagnostics.push({
            severity: 'error', code: CODES.escape,
            message: `bad escape \`${t.image.slice(t.esc.index, t.esc.index + len)}\` in quoted string: ${t.esc.message}`,
            range: { start, end: { line: t.line, column: start.column + len, offset: start.offset + len } },
            xl: formatXlError(opt.source, t.line, t.image, t.esc.message).slice(0, -1),
          });
        }
      }
      return t;
    }
    return undefined;
  };

  const store = (s: Setting) => {
    if (!xlMode) {
      statements.push(s);
      return;
    }
    if (err) return; // xlu__cfg_set_store: `if (ctx->err) goto out;`
    const kind = s.value.kind;
    const prev = kinds.get(s.name);
    if (s.op === '+=' && prev !== undefined && prev !== kind) {
      lexicalerror(lastLine, lastTok ? lastTok.image : '\0', ADD_KIND_MESSAGE);
      return;
    }
    kinds.set(s.name, kind);
    statements.push(s);
  };

  const stack: number[] = [0];
  const vals: unknown[] = [undefined];
  let la: Tok | undefined | null = null; // null = YYEMPTY, undefined = EOF
  let errstatus = 0;
  let result: 'accept' | 'abort' | 'exhausted' = 'abort';

  const exhausted = (): void => {
    if (xlMode) yyerror(lastLine, lastTok ? lastTok.image : '\0', 'memory exhausted');
    else {
      const t = lastTok;
      diagnostics.push({
        severity: 'error', code: CODES.depth,
        message: `lists nested too deeply: xl's parser stack (YYMAXDEPTH ${YYMAXDEPTH}) allows at most 4996 levels`,
        range: t ? tokRange(t) : eofRange(),
        xl: formatXlError(opt.source, lastLine, t ? t.image : '\0', 'memory exhausted').slice(0, -1),
      });
    }
  };

  const push = (state: number, v: unknown): boolean => {
    stack.push(state);
    vals.push(v);
    return stack.length < YYMAXDEPTH;
  };

  main: for (;;) {
    let state = stack[stack.length - 1]!;
    if (state === final) {
      result = 'accept';
      break;
    }
    const row = rows[state]!;
    let action = 0;
    if (!row.onlyDefault) {
      if (la === null) {
        la = fetch();
        laState = state;
      }
      action = row.act[la ? la.kind : K.EOF]!;
    }
    if (action === 0) {
      if (row.def >= 0) action = -row.def;
      else {
        // ---- syntax error (yyerrlab)
        const kind = la ? la.kind : K.EOF;
        if (xlMode) {
          if (errstatus === 0) yyerror(la ? la.line : lastLine, la ? la.image : '\0', bisonMessage(state, kind));
        } else if (errstatus < 3 && !lexLines.has(la ? la.line : lastLine)) {
          const text = la ? la.image : '\0';
          diagnostics.push({
            severity: 'error', code: CODES.syntax, message: syntaxMessage(laState, la ?? undefined),
            range: la ? tokRange(la) : eofRange(),
            xl: formatXlError(opt.source, la ? la.line : lastLine, text, bisonMessage(state, kind)).slice(0, -1),
          });
        }
        if (errstatus === 3) {
          if (!la) break main; // YYABORT at end of input
          la = null; // discard the lookahead
        }
        errstatus = 3;
        // yyerrlab1: pop until a state shifts `error`.
        for (;;) {
          state = stack[stack.length - 1]!;
          const sh = rows[state]!.act[ERROR]!;
          if (sh > 0) {
            if (!push(sh, undefined)) { exhausted(); result = 'exhausted'; break main; }
            break;
          }
          if (stack.length === 1) {
            if (xlMode) break main; // YYABORT
            if (!push(stmtsState, undefined)) { exhausted(); result = 'exhausted'; break main; }
            continue;
          }
          stack.pop();
          vals.pop();
        }
        continue;
      }
    }
    if (!xlMode && state === errorState && la && la.kind === K.NEWLINE && depth > 0) {
      // Mode diag: an error inside a multi-line list. Bison resynchronises at this line's
      // NEWLINE and then trips over the rest of the list; xlsim skips to the end of the list
      // (or to the next line that starts a statement) so one mistake gives one diagnostic.
      if (statementAhead()) depth = 0;
      else {
        la = null;
        continue;
      }
    }
    if (action > 0) {
      // shift
      if (errstatus) errstatus--;
      const t = la;
      la = null;
      if (!push(action, t)) { exhausted(); result = 'exhausted'; break; }
      continue;
    }
    // reduce
    const r = -action;
    const [lhs, rhs] = RULES[r]!;
    const n = rhs.length;
    const base = vals.length - n;
    let v: unknown = undefined;
    switch (r) {
      case 8:
      case 9: {
        const s = makeSetting(vals[base] as Tok, r === 8 ? '=' : '+=', vals[base + 2] as Value);
        store(s);
        break;
      }
      case 12:
        v = stringValue(vals[base] as Tok);
        break;
      case 13: {
        const list = vals[base + 2] as ListValue;
        list.range = { start: tokStart(vals[base] as Tok), end: tokEnd(vals[base + 3] as Tok) };
        v = list;
        break;
      }
      case 14:
      case 15:
      case 17:
      case 18:
        v = vals[base];
        break;
      case 16:
        v = { kind: 'list', items: [], range: eofRange() } satisfies ListValue;
        break;
      case 19:
        v = { kind: 'list', items: [vals[base] as Value], range: eofRange() } satisfies ListValue;
        break;
      case 20:
        (vals[base] as ListValue).items.push(vals[base + 3] as Value);
        v = vals[base];
        break;
    }
    stack.length -= n;
    vals.length -= n;
    const to = rows[stack[stack.length - 1]!]!.go.get(lhs)!;
    if (!push(to, v)) { exhausted(); result = 'exhausted'; break; }
  }
  const ok = result === 'accept' && !err;
  if (xlMode && !ok && likelyPython) out += PYTHON_HINT;
  return { statements, xl: out, ok, diagnostics };
}

// ---------------------------------------------------------------------------------------
// The chevrotain parser (fast path for well-formed files)

/**
 * chevrotain `EmbeddedActionsParser` for the libxlu grammar. `file()` returns the
 * assignments in order; `errors` is non-empty when the token stream is not in the
 * language (then {@link runBison} gives the exact diagnostics). Recovery is off.
 * Must only be fed token streams without lexical-error tokens and at most a few
 * hundred nested lists (it recurses once per list level).
 */
export class XlChevrotainParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 1, skipValidations: true });
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
  private fnNl?: () => void;
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
    const nl = (this.fnNl ??= () => { this.CONSUME(Newline); });
    this.MANY(nl);
    this.OPTION(
      (this.fnBody ??= () => {
        const first = this.SUBRULE(this.value);
        this.ACTION(() => this.listItems[this.listItems.length - 1]!.push(first));
        this.MANY2(nl);
        this.MANY3(
          (this.manyItems ??= {
            GATE: () => !this.listTrailing[this.listTrailing.length - 1],
            DEF: () => {
              this.CONSUME(Comma);
              this.MANY4(nl);
              const more = this.OPTION2(
                (this.fnMore ??= () => {
                  const v = this.SUBRULE2(this.value);
                  this.ACTION(() => this.listItems[this.listItems.length - 1]!.push(v));
                  this.MANY5(nl);
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
