/**
 * LALR(1) tables for libxlu's grammar, generated on first use from the rules in
 * `rules.ts` the way bison 3.3.2 builds libxlu_cfg_y.c: canonical LR(1) item sets merged
 * by core, bison's default reductions and its "consistent state" rule (tables.c
 * `action_row`). 32 states, like bison's.
 */
import { K } from './tokens.js';
import { ERROR, N, NTERMS, RULES, TOKEN_NAMES } from './rules.js';

/** One LALR(1) state's parsing row, after bison's default-reduction rules (tables.c `action_row`). */
export interface StateRow {
  /** Explicit actions per terminal: > 0 shift to that state, < 0 reduce by rule −n, 0 none. */
  act: Int16Array;
  /** Default reduction rule, or −1 when the default is "error". */
  def: number;
  /** True when the row has no explicit action (bison's YYPACT_NINF): no lookahead is read. */
  onlyDefault: boolean;
  /** Goto table for non-terminals: `go[X]` is the state after non-terminal X (−1: none). */
  go: Int16Array;
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
    const go = new Int16Array(nSym).fill(-1);
    for (const [X, t] of trans[s]!) if (X >= NTERMS) go[X] = t;
    const fullSet = new Set<number>(termShifts.filter((x) => x !== ERROR));
    for (const [, las] of rs) for (const la of las) fullSet.add(la);
    rows.push({ act, def, onlyDefault: act.every((a) => a === 0), go, full: [...fullSet].sort((a, b) => a - b) });
  }
  return { rows, final, stmtsState: trans[0]!.get(N.stmts)! };
}

let tables: Tables | undefined;

/**
 * The LALR(1) tables of libxlu's grammar (32 states like bison's), computed on the first
 * call and kept: only a file with an error needs them (the bison machine, xlsim's own
 * messages), so a well-formed file's `create` or `check` does not pay ~2 ms to build them.
 */
export function lalrTables(): Tables {
  return (tables ??= buildTables());
}

/**
 * Terminals bison lists after "expecting" when a syntax error is detected in `state`
 * (yysyntax_error): those with an explicit action, in token-number order, `error`
 * excluded; none at all when there are more than four.
 */
export function bisonExpected(state: number): string[] {
  const out: string[] = [];
  const act = lalrTables().rows[state]!.act;
  for (let x = 0; x < NTERMS; x++) if (x !== ERROR && act[x] !== 0) out.push(TOKEN_NAMES[x]!);
  return out.length > 4 ? [] : out;
}

/**
 * Every terminal acceptable where the lookahead was read (`state`), before bison's default
 * reductions narrowed it down (`error` excluded), for xlsim's own messages.
 */
export function acceptable(state: number): number[] {
  return lalrTables().rows[state]!.full;
}

/** The bison verbose message for `token` in `state`: `syntax error, unexpected X[, expecting A or B]`. */
export function bisonMessage(state: number, token: number): string {
  const exp = bisonExpected(state);
  return `syntax error, unexpected ${TOKEN_NAMES[token]}` + (exp.length ? `, expecting ${exp.join(' or ')}` : '');
}
