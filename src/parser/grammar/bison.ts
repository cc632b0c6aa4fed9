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
import { bisonMessage, TABLES } from './lalr.js';
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
      diagnostics.push({
        severity: 'error', code: CODES.depth,
        message: `lists nested too deeply: xl's parser stack (YYMAXDEPTH ${YYMAXDEPTH}) allows at most 4996 levels`,
        range: t ? tokRange(t) : eofRange(),
        xl: formatXlError(opt.source, lastLine, t ? t.image : '\0', 'memory exhausted').slice(0, -1),
      });
    }
  };

  const push = (state: number, v: unknown): boolean => {
    stack[sp] = state;
    vals[sp++] = v;
    return sp < YYMAXDEPTH;
  };

  main: for (;;) {
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
      case 20:
        (vals[base] as ListValue).items.push(vals[base + 3] as Value);
        v = vals[base];
        break;
    }
    for (let k = base; k < sp; k++) vals[k] = undefined;
    sp = base;
    const to = rows[stack[sp - 1]!]!.go[lhs]!;
    if (!push(to, v)) { exhausted(); result = 'exhausted'; break; }
  }
  const ok = result === 'accept' && !err;
  if (xlMode && !ok && likelyPython) out += PYTHON_HINT;
  return { statements, xl: out, ok, diagnostics };
}
