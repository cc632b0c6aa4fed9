/**
 * The bison machine: libxlu's LALR(1) automaton (libxlu_cfg_y.c) run over the lexed
 * tokens, with bison's verbose `yysyntax_error` ("expecting A or B", at most 4 names),
 * its `error NEWLINE` recovery with the 3-token rule and YYMAXDEPTH. It runs when a file
 * has any error and gives both the exact stderr bytes of real xl (mode `xl`) and xlsim's
 * own complete, located diagnostics (mode `diag`). It is iterative, so lists nested
 * 100 000 deep give a clean `memory exhausted` diagnostic instead of a JS RangeError.
 */
import type { Diagnostic, ListValue, Position, Range, Setting, Value } from '../types.js';
import { K, type Tok } from './tokens.js';
import { RULES, ERROR } from './rules.js';
import { bisonMessage, lalrTables } from './lalr.js';
import { lexicalMessage, syntaxMessage } from './messages.js';
import { makeSetting, stringValue, tokRange, tokStart, tokEnd } from './positions.js';
import { ADD_KIND_MESSAGE, CODES, formatXlError, PYTHON_HINT } from './xl-messages.js';


/** What {@link runBison} returns. */
export interface BisonResult {
  /** Settings stored by the grammar actions, in order (mode `diag`: all of them). */
  statements: Setting[];
  /** Mode `xl`: exact stderr bytes (errors, then the Python hint if applicable). */
  xl: string;
  /** Mode `xl`: true iff libxlu accepts the file. */
  ok: boolean;
  /** Mode `diag`: every problem, located (at most `maxDiagnostics`). */
  diagnostics: Diagnostic[];
  /** Statements parsed but not kept because `maxStatements` were kept already. */
  droppedStatements: number;
  /** The first of those, for its position. */
  firstDropped?: Setting;
  /** Diagnostics found but not kept because `maxDiagnostics` were kept already. */
  droppedDiagnostics: number;
  /** List items parsed but not kept because their list had `maxListItems` already. */
  droppedItems: number;
  /** Where the run gave up (`stopAtMaxDiagnostics`), when it did. */
  stoppedAt?: Position;
}

/** How {@link runBison} runs. */
export interface RunOptions {
  mode: 'xl' | 'diag';
  source: string;
  /** End-of-text position, for errors at end of file. */
  eofPos: Position;
  /** Keep at most this many statements (the rest are parsed and counted); default all. */
  maxStatements?: number;
  /**
   * Mode diag: stop reading at the first diagnostic past `maxDiagnostics` (a file with that
   * many errors is not worth reading further; the statements before it are kept).
   */
  stopAtMaxDiagnostics?: boolean;
  /** Keep at most this many items per list (the rest are parsed and counted); default all. */
  maxListItems?: number;
  /** Mode `diag`: keep at most this many diagnostics (the rest are counted); default all. */
  maxDiagnostics?: number;
  /**
   * Mode `xl`: print at most this many error lines, then one line saying how many more
   * there were (real xl prints them all); default {@link DEFAULT_MAX_XL_LINES}.
   */
  maxXlLines?: number;
}

/** Default cap on xl-mode error lines: far more than any real file has, small enough to stay a string. */
export const DEFAULT_MAX_XL_LINES = 100_000;

/** A stream of tokens (a {@link Scanner} in normal mode, or an array through {@link arraySource}). */
export interface TokenSource {
  next(): Tok | undefined | symbol;
}

/** An array as a {@link TokenSource}. */
export function arraySource(toks: readonly Tok[]): TokenSource {
  let i = 0;
  return { next: () => toks[i++] };
}

/** A token source with lookahead: `peek(k)` is the k-th token after the next one to be taken (0 = the next). */
class Lookahead {
  private buf: Tok[] = [];
  private head = 0;
  constructor(private readonly src: TokenSource) {}

  next(): Tok | undefined {
    if (this.head < this.buf.length) {
      const t = this.buf[this.head++]!;
      if (this.head === this.buf.length) {
        this.buf.length = 0;
        this.head = 0;
      }
      return t;
    }
    return this.pull();
  }

  peek(k: number): Tok | undefined {
    while (this.buf.length - this.head <= k) {
      const t = this.pull();
      if (t === undefined) return undefined;
      this.buf.push(t);
    }
    return this.buf[this.head + k];
  }

  private pull(): Tok | undefined {
    const t = this.src.next();
    return typeof t === 'object' ? t : undefined;
  }
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
export function runBison(toks: Tok[] | TokenSource, opt: RunOptions): BisonResult {
  const xlMode = opt.mode === 'xl';
  const { rows, final, stmtsState } = lalrTables();
  const maxStatements = opt.maxStatements ?? Infinity;
  const maxDiagnostics = opt.maxDiagnostics ?? Infinity;
  const maxXlLines = opt.maxXlLines ?? DEFAULT_MAX_XL_LINES;
  const maxListItems = opt.maxListItems ?? Infinity;
  let droppedItems = 0;
  const src = new Lookahead(Array.isArray(toks) ? arraySource(toks) : toks);
  const statements: Setting[] = [];
  const diagnostics: Diagnostic[] = [];
  let droppedStatements = 0;
  let firstDropped: Setting | undefined;
  let droppedDiagnostics = 0;
  let xlLines = 0;
  let droppedXlLines = 0;
  /** Adds a diagnostic unless `maxDiagnostics` are there already (then only counts it). */
  const report = (make: () => Diagnostic) => {
    if (diagnostics.length < maxDiagnostics) diagnostics.push(make());
    else if (opt.stopAtMaxDiagnostics) stopped = true;
    else droppedDiagnostics++;
  };
  /** Mode diag with `stopAtMaxDiagnostics`: the run gave up at the diagnostic cap. */
  let stopped = false;
  let out = '';
  let err = false;
  let lexerrlineno = -1;
  let likelyPython = false;
  // Line of the latest lexical error (tokens arrive in order, so a syntax error on a line
  // with a lexical error before it sees that line here; a Set of lines could overflow).
  let lexLine = -1;
  const kinds = new Map<string, 'string' | 'list'>();

  let depth = 0; // open '[' among the tokens fetched so far
  const errorState = rows[stmtsState]!.act[ERROR]!;
  /** Mode diag: true when the next real tokens start a statement (IDENT then = or +=). */
  const statementAhead = (): boolean => {
    let k = 0;
    const next = () => {
      for (let t = src.peek(k); t !== undefined; t = src.peek(++k)) {
        if (t.kind !== K.ERR && t.kind !== K.PYERR) {
          k++;
          return t;
        }
      }
      return undefined;
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
    if (xlLines++ < maxXlLines) out += formatXlError(opt.source, firstLine, text, msg);
    else droppedXlLines++;
    err = true;
  };
  const lexicalerror = (line: number, text: string, msg: string) => {
    yyerror(line, text, msg);
    lexerrlineno = line;
  };
  const eofRange = (): Range => ({ start: opt.eofPos, end: opt.eofPos });

  /** yylex: returns the next real token, handling lexical errors on the way; undefined at EOF. */
  const fetch = (): Tok | undefined => {
    for (let t = src.next(); t !== undefined; t = src.next()) {
      if (t.kind === K.ERR || t.kind === K.PYERR) {
        if (t.kind === K.PYERR) likelyPython = true;
        if (xlMode) lexicalerror(t.line, t.image, 'lexical error');
        else {
          lexLine = t.line;
          report(() => ({
            severity: 'error', code: CODES.lexical, message: lexicalMessage(t), range: tokRange(t),
            xl: formatXlError(opt.source, t.line, t.image, 'lexical error').slice(0, -1),
          }));
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
          lexLine = t.line;
          const esc = t.esc;
          const start: Position = { line: t.line, column: t.column + esc.index, offset: t.startOffset + esc.index };
          const len = Math.min(2, t.image.length - 1 - esc.index);
          report(() => ({
            severity: 'error', code: CODES.escape,
            message: `bad escape \`${t.image.slice(esc.index, esc.index + len)}\` in quoted string: ${esc.message}`,
            range: { start, end: { line: t.line, column: start.column + len, offset: start.offset + len } },
            xl: formatXlError(opt.source, t.line, t.image, esc.message).slice(0, -1),
          }));
        }
      }
      return t;
    }
    return undefined;
  };

  const keep = (s: Setting) => {
    if (statements.length < maxStatements) statements.push(s);
    else if (droppedStatements++ === 0) firstDropped = s;
  };
  const store = (s: Setting) => {
    if (!xlMode) {
      keep(s);
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
    keep(s);
  };

  // The state and value stacks; `sp` is the number of live entries (the arrays only grow,
  // so a reduction is an index change rather than a resize).
  const stack: number[] = [0];
  const vals: unknown[] = [undefined];
  let sp = 1;
  let la: Tok | undefined | null = null; // null = YYEMPTY, undefined = EOF
  let errstatus = 0;
  let result: 'accept' | 'abort' | 'exhausted' = 'abort';

  const exhausted = (): void => {
    if (xlMode) yyerror(lastLine, lastTok ? lastTok.image : '\0', 'memory exhausted');
    else {
      const t = lastTok;
      report(() => ({
        severity: 'error', code: CODES.depth,
        message: `lists nested too deeply: xl's parser stack (YYMAXDEPTH ${YYMAXDEPTH}) allows at most 4996 levels`,
        range: t ? tokRange(t) : eofRange(),
        xl: formatXlError(opt.source, lastLine, t ? t.image : '\0', 'memory exhausted').slice(0, -1),
      }));
    }
  };

  const push = (state: number, v: unknown): boolean => {
    stack[sp] = state;
    vals[sp++] = v;
    return sp < YYMAXDEPTH;
  };

  main: for (;;) {
    if (stopped) break;
    let state = stack[sp - 1]!;
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
        } else if (errstatus < 3 && lexLine !== (la ? la.line : lastLine)) {
          const text = la ? la.image : '\0';
          report(() => ({
            severity: 'error', code: CODES.syntax, message: syntaxMessage(laState, la ?? undefined),
            range: la ? tokRange(la) : eofRange(),
            xl: formatXlError(opt.source, la ? la.line : lastLine, text, bisonMessage(state, kind)).slice(0, -1),
          }));
        }
        if (errstatus === 3) {
          if (!la) break main; // YYABORT at end of input
          la = null; // discard the lookahead
        }
        errstatus = 3;
        // yyerrlab1: pop until a state shifts `error`.
        for (;;) {
          state = stack[sp - 1]!;
          const sh = rows[state]!.act[ERROR]!;
          if (sh > 0) {
            if (!push(sh, undefined)) { exhausted(); result = 'exhausted'; break main; }
            break;
          }
          if (sp === 1) {
            if (xlMode) break main; // YYABORT
            if (!push(stmtsState, undefined)) { exhausted(); result = 'exhausted'; break main; }
            continue;
          }
          vals[--sp] = undefined;
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
    const base = sp - n;
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
      case 20: {
        const items = (vals[base] as ListValue).items;
        if (items.length < maxListItems) items.push(vals[base + 3] as Value);
        else droppedItems++;
        v = vals[base];
        break;
      }
    }
    for (let k = base; k < sp; k++) vals[k] = undefined;
    sp = base;
    const to = rows[stack[sp - 1]!]!.go[lhs]!;
    if (!push(to, v)) { exhausted(); result = 'exhausted'; break; }
  }
  const ok = result === 'accept' && !err;
  if (droppedXlLines) out += `xlsim: ${droppedXlLines} more parse error lines not shown\n`;
  if (xlMode && !ok && likelyPython) out += PYTHON_HINT;
  const res: BisonResult = { statements, xl: out, ok, diagnostics, droppedStatements, droppedDiagnostics, droppedItems };
  if (stopped) res.stoppedAt = lastTok ? tokStart(lastTok) : opt.eofPos;
  if (firstDropped) res.firstDropped = firstDropped;
  return res;
}
