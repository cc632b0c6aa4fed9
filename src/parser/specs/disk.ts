/**
 * The disk specification sub-grammar: `disk=[ "DISKSPEC", … ]` in a domain config and
 * the arguments of `xl block-attach`.
 *
 * Upstream this is a flex scanner of its own (tools/libs/util/libxlu_disk_l.l) driven
 * by `xlu_disk_parse` (tools/libs/util/libxlu_disk.c). This module is a hand-written
 * scanner with the same rules: at each position every rule is tried, the longest match
 * wins (flex trailing context counts toward the length), ties go to the earlier rule.
 * Reference: xl-cfg-format.md §4.1, xl-disk-configuration(5).
 */

import type { DeviceDisk, Defbool } from '../libxl.js';
import type { SpecMessage, SpecResult } from './types.js';
import { atoiC } from './vdev.js';

type DiskFormat = NonNullable<DeviceDisk['format']>;
type DiskBackend = NonNullable<DeviceDisk['backend']>;
type DiskSpecification = NonNullable<DeviceDisk['specification']>;

/** The string fields `SAVESTRING` fills, keyed by libxl field name. */
type StringField = 'pdev_path' | 'vdev' | 'backend_domname' | 'script' | 'colo_host' | 'colo_export' | 'active_disk' | 'hidden_disk';

/** Parser state shared by all spec strings of one disk (`DiskParseContext` + the disk being filled). */
interface DiskState {
  strings: Partial<Record<StringField, string>>;
  format?: DiskFormat;
  backend?: DiskBackend;
  specification?: DiskSpecification;
  readwrite: number;
  is_cdrom: number;
  removable: number;
  direct_io_safe: boolean;
  discard_enable?: boolean;
  colo_enable?: boolean;
  trusted?: boolean;
  grant_usage?: boolean;
  colo_port?: number;
  err: boolean;
  hadDeprPrefix: boolean;
  accessSet: boolean;
  /** Spans of target= values that swallowed a comma (for the XL202 warning). */
  targetAteComma?: { spec: string; span: [number, number] };
}

/** libxl_disk_format_from_string as `setformat` uses it: the format named `v`, or undefined. */
function formatOf(v: string): DiskFormat | undefined {
  switch (v) {
    case 'raw':
    case 'qcow':
    case 'qcow2':
    case 'vhd':
    case 'empty':
    case 'qed':
      return v;
    default:
      return undefined;
  }
}

/** yytext length of the last successful {@link matchRule} call. */
let matchHead = 0;

/** Records a match: yytext length `head`, longest-match length `total`. */
const hit = (head: number, total: number): number => {
  matchHead = head;
  return total;
};

/** `[ \t\n]` on a UTF-16 code unit (NaN past the end: false). */
const isWsCode = (c: number): boolean => c === 32 || c === 9 || c === 10;
/** `[a-z]` on a UTF-16 code unit (NaN past the end: false). */
const isLowerCode = (c: number): boolean => c >= 97 && c <= 122;
/** `[a-z0-9]` on a UTF-16 code unit (NaN past the end: false). */
const isLowerAlnumCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
/**
 * A search cache for one character in {@link searched}: the position searched from and
 * what was found there (the next occurrence, or the end of the spec). The scanner tries
 * several rules at each position and moves forward only, so each newline, comma and `=`
 * is found once per spec rather than once per rule tried.
 */
interface Search {
  readonly ch: string;
  from: number;
  at: number;
}

/** The spec the search caches belong to. */
let searched = '';
const NL: Search = { ch: '\n', from: 0, at: 0 };
const COMMA: Search = { ch: ',', from: 0, at: 0 };
const EQ: Search = { ch: '=', from: 0, at: 0 };

/** Points the search caches at `s` (nothing found yet). */
function searchIn(s: string): void {
  searched = s;
  NL.from = COMMA.from = EQ.from = s.length + 1;
  wordAt = -1;
}

/** The first `c.ch` at or after j in s, or the end of s. */
function nextIn(c: Search, s: string, j: number): number {
  if (s !== searched) searchIn(s);
  if (j < c.from || c.at < j) {
    const k = s.indexOf(c.ch, j);
    c.from = j;
    c.at = k < 0 ? s.length : k;
  }
  return c.at;
}

/** End of a flex `.*` starting at j: the next newline or the end. */
const lineEnd = (s: string, j: number): number => nextIn(NL, s, j);
/** End of `[^,]*` starting at j. */
const notComma = (s: string, j: number): number => nextIn(COMMA, s, j);

/**
 * How a rule matches (the pattern shapes of libxlu_disk_l.l):
 * K_LITERAL: `lits[0]` then optionally one comma; K_KEYVALUE: `lits[0]` (ending `=`)
 * then `[^,]*,?`; K_PREFIX: one of `lits` (each ending `:`) with `.*` trailing context;
 * the others are single rules described where {@link matchRule} handles them. Numbers,
 * so that matchRule's switch is a jump table.
 */
type RuleKind = number;
const K_WS = 0;
const K_LITERAL = 1;
const K_KEYVALUE = 2;
const K_TARGET = 3;
const K_UNKNOWN = 4;
const K_PREFIX = 5;
const K_PREFIXUNKNOWN = 6;
const K_POSITIONAL = 7;
const K_ANY = 8;

/** One scanner rule. */
interface Rule {
  /** Selects the action in `runAction`. */
  name: string;
  kind: RuleKind;
  /** The literal text(s) of K_LITERAL, K_KEYVALUE, K_PREFIX and K_TARGET rules. */
  lits: readonly string[];
  /** Every character a match can start with, when the rule is that selective. */
  first?: string;
}

/** A rule `lit,?` named after its literal. */
const literalComma = (lit: string): Rule => ({ name: lit, kind: K_LITERAL, lits: [lit], first: lit[0] });
/** A rule `key[^,]*,?` (key ends with `=`) named after its key. */
const keyValue = (key: string): Rule => ({ name: key, kind: K_KEYVALUE, lits: [key], first: key[0] });
/** A deprecated-prefix rule `(word1|word2…):` with `.*` trailing context. */
const prefix = (name: string, ...words: string[]): Rule => ({
  name,
  kind: K_PREFIX,
  lits: words.map((w) => w + ':'),
  first: [...new Set(words.map((w) => w[0]!))].join(''),
});
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/**
 * The rules of libxlu_disk_l.l in file order (earlier wins a tie).
 */
const RULES: readonly Rule[] = [
  { name: 'ws', kind: K_WS, lits: [], first: ' \t\n' },
  keyValue('format='),
  literalComma('cdrom'),
  literalComma('devtype=cdrom'),
  literalComma('devtype=disk'),
  keyValue('devtype='),
  keyValue('access='),
  keyValue('backend='),
  keyValue('backendtype='),
  keyValue('vdev='),
  keyValue('script='),
  literalComma('direct-io-safe'),
  literalComma('discard'),
  literalComma('no-discard'),
  literalComma('colo'),
  literalComma('no-colo'),
  keyValue('colo-host='),
  keyValue('colo-port='),
  keyValue('colo-export='),
  keyValue('active-disk='),
  keyValue('hidden-disk='),
  literalComma('trusted'),
  literalComma('untrusted'),
  literalComma('grant_usage=1'),
  literalComma('grant_usage=0'),
  keyValue('specification='),
  // target=.*
  { name: 'target=', kind: K_TARGET, lits: ['target='], first: 't' },
  // [a-z][-a-z0-9]*=[^,],?
  { name: 'unknown', kind: K_UNKNOWN, lits: [], first: LOWER },
  prefix('prefix-format', 'raw', 'qcow', 'qcow2', 'vhd'),
  prefix('prefix-script', 'iscsi', 'nbd', 'enbd', 'drbd'),
  prefix('prefix-tapdisk', 'tapdisk'),
  prefix('prefix-tap', 'tap', 'tap2'),
  prefix('prefix-aio', 'aio'),
  prefix('prefix-ioemu', 'ioemu'),
  prefix('prefix-file', 'file'),
  prefix('prefix-phy', 'phy'),
  // [a-z][a-z0-9]*:/([^a-z0-9]|$).*   ('$' is not at the end of the rule, so flex
  // reads it as a literal dollar, already covered by [^a-z0-9]).
  { name: 'prefix-unknown', kind: K_PREFIXUNKNOWN, lits: [], first: LOWER },
  // [^=,]*,|[^=,]+,?
  { name: 'positional', kind: K_POSITIONAL, lits: [] },
  // .
  { name: 'any', kind: K_ANY, lits: [] },
];

/** Where {@link wordEnd} last looked (in {@link searched}), and the ends it found. */
let wordAt = -1;
let alnumEnd = 0;
let dashEnd = 0;

/**
 * End of the `[a-z0-9]*` run (`dash`: of the `[-a-z0-9]*` run) after the character at
 * i, the tails of the `unknown` and `prefix-unknown` rules, found once per position.
 */
function wordEnd(s: string, i: number, dash: boolean): number {
  if (s !== searched) searchIn(s);
  if (wordAt !== i) {
    wordAt = i;
    let k = i + 1;
    let code = s.charCodeAt(k);
    while (isLowerAlnumCode(code)) code = s.charCodeAt(++k);
    alnumEnd = k;
    while (isLowerAlnumCode(code) || code === 45 /* - */) code = s.charCodeAt(++k);
    dashEnd = k;
  }
  return dash ? dashEnd : alnumEnd;
}

/**
 * Rule `rule` at position i of s: returns `total`, the match length including flex
 * trailing context (what longest-match compares), and leaves the length of yytext
 * (without trailing context) in {@link matchHead}; returns -1 when the rule does not
 * match there. (One function over the rule table instead of a closure per rule, and two
 * numbers through a module variable rather than a fresh pair per try: the scanner
 * runs at every position of every disk spec.)
 */
function matchRule(rule: Rule, s: string, i: number): number {
  switch (rule.kind) {
    case K_WS: {
      if (!isWsCode(s.charCodeAt(i))) return -1;
      let k = i + 1;
      while (isWsCode(s.charCodeAt(k))) k++;
      const total = k < s.length ? lineEnd(s, k) - i : k - i;
      return hit(k - i, total);
    }
    case K_LITERAL: {
      const lit = rule.lits[0]!;
      if (!s.startsWith(lit, i)) return -1;
      const n = lit.length + (s.charCodeAt(i + lit.length) === 44 /* , */ ? 1 : 0);
      return hit(n, n);
    }
    case K_KEYVALUE: {
      const key = rule.lits[0]!;
      if (!s.startsWith(key, i)) return -1;
      const e = notComma(s, i + key.length);
      const n = e - i + (s.charCodeAt(e) === 44 ? 1 : 0);
      return hit(n, n);
    }
    case K_TARGET: {
      if (!s.startsWith('target=', i)) return -1;
      const n = lineEnd(s, i + 7) - i;
      return hit(n, n);
    }
    case K_UNKNOWN: {
      if (!isLowerCode(s.charCodeAt(i))) return -1;
      const k = wordEnd(s, i, true);
      if (s.charCodeAt(k) !== 61 /* = */ || k + 1 >= s.length || s.charCodeAt(k + 1) === 44) return -1;
      const n = k + 2 - i + (s.charCodeAt(k + 2) === 44 ? 1 : 0);
      return hit(n, n);
    }
    case K_PREFIX: {
      let head = -1;
      let total = -1;
      for (const lit of rule.lits) {
        if (s.startsWith(lit, i) && lit.length > head) {
          head = lit.length;
          total = lineEnd(s, i + lit.length) - i;
        }
      }
      return head < 0 ? -1 : hit(head, total);
    }
    case K_PREFIXUNKNOWN: {
      if (!isLowerCode(s.charCodeAt(i))) return -1;
      const k = wordEnd(s, i, false);
      if (s.charCodeAt(k) !== 58 /* : */) return -1;
      if (k + 1 >= s.length || isLowerAlnumCode(s.charCodeAt(k + 1))) return -1;
      return hit(k + 1 - i, lineEnd(s, k + 2) - i);
    }
    case K_POSITIONAL: {
      // k = the first '=' or ',' at or after i, else the end
      let k = notComma(s, i);
      const eq = nextIn(EQ, s, i);
      if (eq < k) k = eq;
      if (s.charCodeAt(k) === 44) return hit(k + 1 - i, k + 1 - i);
      if (k > i) return hit(k - i, k - i);
      return -1;
    }
    default: // K_ANY
      return i < s.length && s.charCodeAt(i) !== 10 /* \n */ ? hit(1, 1) : -1;
  }
}

/**
 * The rules that can match at a position starting with a given UTF-16 code unit (index
 * 0–127), in rule order, except `.` (see {@link scanOne}); CANDIDATES[128] serves every
 * other code unit. A rule with a `first` set cannot match anywhere else, so skipping it
 * keeps flex's longest-match result while trying a handful of rules instead of all.
 */
const CANDIDATES: readonly number[][] = (() => {
  const out: number[][] = [];
  for (let c = 0; c <= 128; c++) {
    const ch = c < 128 ? String.fromCharCode(c) : undefined;
    const list: number[] = [];
    RULES.forEach((r, k) => {
      if (r.kind === K_ANY) return; // tried last, only when nothing else matches (see scanOne)
      if (r.first === undefined || (ch !== undefined && r.first.includes(ch))) list.push(k);
    });
    out.push(list);
  }
  return out;
})();

/** yytext length of the rule the last {@link scanOne} call chose. */
let scanHead = 0;

/**
 * One flex step: the index in RULES of the winning rule at position i (longest total,
 * earliest on ties), its yytext length left in {@link scanHead}; -1 when none matches.
 */
function scanOne(s: string, i: number): number {
  const code = s.charCodeAt(i);
  const cands = CANDIDATES[code < 128 ? code : 128]!;
  let rule = -1;
  let total = 0;
  for (let k = 0; k < cands.length; k++) {
    const r = cands[k]!;
    const t = matchRule(RULES[r]!, s, i);
    if (t >= 0 && (rule < 0 || t > total)) {
      rule = r;
      scanHead = matchHead;
      total = t;
    }
  }
  // `.` (the last rule) is one character long, so it wins only where nothing else matches
  if (rule < 0 && matchRule(RULES[ANY_RULE]!, s, i) >= 0) {
    rule = ANY_RULE;
    scanHead = matchHead;
  }
  return rule;
}

/** Index of the `.` rule in RULES. */
const ANY_RULE = RULES.findIndex((r) => r.kind === K_ANY);

/** Everything one `xlu__disk_err` call needs besides the context. */
interface DiskErrorInfo {
  /** The `near` token, or undefined when xl prints none. */
  near?: string;
  /** The libxlu message word(s). */
  what: string;
  span?: [number, number];
  /** xlsim's explanation. */
  explain: string;
}

/** Parse context for one call of {@link parseDiskSpecs}. */
class DiskParser {
  // Every field present from the start (undefined = unset), so the state keeps one shape.
  readonly st: DiskState = {
    strings: {
      pdev_path: undefined,
      vdev: undefined,
      backend_domname: undefined,
      script: undefined,
      colo_host: undefined,
      colo_export: undefined,
      active_disk: undefined,
      hidden_disk: undefined,
    },
    format: undefined,
    backend: undefined,
    specification: undefined,
    readwrite: 1,
    is_cdrom: 0,
    removable: 0,
    direct_io_safe: false,
    discard_enable: undefined,
    colo_enable: undefined,
    trusted: undefined,
    grant_usage: undefined,
    colo_port: undefined,
    err: false,
    hadDeprPrefix: false,
    accessSet: false,
    targetAteComma: undefined,
  };
  readonly messages: SpecMessage[] = [];
  /** The spec being scanned (`dpc->spec`); glibc prints a NULL one as "(null)" when no spec was given. */
  spec = '(null)';

  constructor(private readonly source: string) {}

  /** `xlu__disk_err`: print the message and remember that an error happened. */
  error(info: DiskErrorInfo): void {
    const near = info.near !== undefined ? `: near \`${info.near}'` : '';
    this.messages.push({
      text: `${this.source}: config parsing error in disk specification: ${info.what}${near} in \`${this.spec}'\n`,
      severity: 'error',
      code: 'XL201',
      message: info.explain,
      ...(info.span ? { span: info.span } : {}),
    });
    this.st.err = true;
  }

  /** `savestring`: refuse to overwrite a non-empty string field. */
  saveString(field: StringField, name: string, value: string, start: number, end: number): void {
    const old = this.st.strings[field];
    if (old !== undefined && old !== '') {
      this.error({
        near: value,
        what: `${name} respecified`,
        span: [start, end],
        explain: `${name} is given twice in this disk (first "${old}", then "${value}"); a disk has one ${name}, remove one of them`,
      });
      return;
    }
    this.st.strings[field] = value;
  }

  /** `setformat` (conflicts through the `DSET` macro: `<member> respecified`). */
  setFormat(value: string, start: number, end: number, positional: boolean): void {
    const format = value === '' ? 'raw' : formatOf(value);
    if (format === undefined) {
      let explain = `"${value}" is not a disk format; use one of raw, qcow, qcow2, vhd, qed, empty`;
      if (positional) {
        const fixed = this.spec.slice(0, start) + ',' + this.spec.slice(start);
        explain =
          `without a "prefix:" the 2nd positional field of a disk spec is the format, and "${value}" is not a format ` +
          `(raw, qcow, qcow2, vhd, qed, empty). If "${value}" is the guest device, leave the format empty: ` +
          `"${fixed}", or name it: "vdev=${value}"`;
      }
      this.error({ near: value, what: 'unknown value for format', span: [start, end], explain });
      return;
    }
    if (this.st.format !== undefined && this.st.format !== format) {
      this.error({
        near: value,
        what: 'format respecified',
        span: [start, end],
        explain: `the format is already ${this.st.format}; a disk has one format, remove the conflicting "${value}"`,
      });
    } else this.st.format = format;
  }

  /** `setbackendtype` (a conflict is reported by `DSET` under the member name `backend`). */
  setBackendType(value: string, start: number, end: number): void {
    if (value !== 'phy' && value !== 'tap' && value !== 'qdisk' && value !== 'standalone') {
      this.error({
        near: value,
        what: 'unknown value for backendtype',
        span: [start, end],
        explain: `backendtype must be one of phy, qdisk, standalone, tap, not "${value}"`,
      });
      return;
    }
    if (this.st.backend !== undefined && this.st.backend !== value) {
      this.error({
        near: value,
        // DSET(dpc, backend, …) prints the libxl member name, "backend".
        what: 'backend respecified',
        span: [start, end],
        explain: `backendtype is already ${this.st.backend}; remove the conflicting "${value}"`,
      });
    } else this.st.backend = value;
  }

  /** `setspecification`. */
  setSpecification(value: string, start: number, end: number): void {
    if (value !== 'xen' && value !== 'virtio') {
      this.error({
        near: value,
        what: 'unknown value for specification',
        span: [start, end],
        explain: `specification must be xen or virtio, not "${value}"`,
      });
      return;
    }
    if (this.st.specification !== undefined && this.st.specification !== value) {
      this.error({
        near: value,
        what: 'specification respecified',
        span: [start, end],
        explain: `specification is already ${this.st.specification}; remove the conflicting "${value}"`,
      });
    } else this.st.specification = value;
  }

  /** `setaccess`. */
  setAccess(value: string, start: number, end: number): void {
    if (value === 'r' || value === 'ro') this.st.readwrite = 0;
    else if (value === 'rw' || value === 'w' || value === '') this.st.readwrite = 1;
    else
      this.error({
        near: value,
        what: 'unknown value for access',
        span: [start, end],
        explain: `access must be r or ro (read-only), w or rw (read-write), not "${value}"`,
      });
  }

  /** `setcoloport`: `atoi`, zero is an error. */
  setColoPort(value: string, start: number, end: number): void {
    const port = atoiC(value);
    if (port) this.st.colo_port = port;
    else
      this.error({
        near: value,
        what: 'unknown value for colo_port',
        span: [start, end],
        explain: `colo-port must be a non-zero port number, not "${value}"`,
      });
  }

  /** `vdev_and_devtype`: `<vdev>:<devtype>`; returns false (doing nothing) without a colon. */
  vdevAndDevtype(text: string, at: number): boolean {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return false;
    this.saveString('vdev', 'vdev', text.slice(0, colon), at, at + colon);
    const devtype = text.slice(colon + 1);
    if (devtype === 'cdrom') this.st.is_cdrom = 1;
    else if (devtype === 'disk') this.st.is_cdrom = 0;
    else
      this.error({
        near: devtype,
        what: 'unknown deprecated type',
        span: [at + colon + 1, at + text.length],
        explain: `the part after ":" in "${text}" is the device type and must be cdrom or disk; better write devtype=cdrom`,
      });
    return true;
  }

  /** Scan one spec string; mirrors one `xlu__disk_yylex` call. */
  scan(spec: string): void {
    this.spec = spec;
    this.rules(spec);
    // the module's search caches let go of the spec (a slice of a whole config's text)
    searchIn('');
  }

  /** The scanner loop of {@link scan}: rule after rule until the end or an action stops it. */
  private rules(spec: string): void {
    let i = 0;
    while (i < spec.length) {
      const rule = scanOne(spec, i);
      if (rule < 0) break;
      const head = scanHead;
      if (rule === 0) {
        // white space: the rule's action does nothing
        i += head;
        continue;
      }
      const stop = this.runAction(RULES[rule]!, spec, i, head);
      i += head;
      if (stop) return;
    }
  }

  /** The action of one rule; returns true when the rule does `return 0` (stop scanning). */
  private runAction(r: Rule, spec: string, at: number, head: number): boolean {
    const st = this.st;
    const rule = r.name;
    // yytext is spec[at, at + head); without its trailing comma it ends at `end`
    const end = spec.charCodeAt(at + head - 1) === 44 /* , */ ? at + head - 1 : at + head;
    if (r.kind === K_POSITIONAL) return this.positional(spec.slice(at, end), at);
    // Only the `key=` rules (keyValue and target=) have a value: the text after their key.
    let value = '';
    let vs = at;
    let ve = at;
    if (r.kind === K_KEYVALUE || r.kind === K_TARGET) {
      vs = at + r.lits[0]!.length;
      ve = end;
      value = spec.slice(vs, ve);
    }
    const yytext = r.kind === K_LITERAL ? '' : spec.slice(at, at + head);
    switch (rule) {
      case 'ws':
        return false;
      case 'format=':
        this.setFormat(value, vs, ve, false);
        return false;
      case 'cdrom':
      case 'devtype=cdrom':
        st.is_cdrom = 1;
        return false;
      case 'devtype=disk':
        st.is_cdrom = 0;
        return false;
      case 'devtype=':
        this.error({
          near: yytext,
          what: 'unknown value for type',
          span: [at, at + yytext.length],
          explain: `devtype must be cdrom or disk, not "${value}"`,
        });
        return false;
      case 'access=':
        this.setAccess(value, vs, ve);
        return false;
      case 'backend=':
        this.saveString('backend_domname', 'backend', value, vs, ve);
        return false;
      case 'backendtype=':
        this.setBackendType(value, vs, ve);
        return false;
      case 'vdev=':
        this.saveString('vdev', 'vdev', value, vs, ve);
        return false;
      case 'script=':
        this.saveString('script', 'script', value, vs, ve);
        return false;
      case 'direct-io-safe':
        st.direct_io_safe = true;
        return false;
      case 'discard':
        st.discard_enable = true;
        return false;
      case 'no-discard':
        st.discard_enable = false;
        return false;
      case 'colo':
        st.colo_enable = true;
        return false;
      case 'no-colo':
        st.colo_enable = false;
        return false;
      case 'colo-host=':
        this.saveString('colo_host', 'colo-host', value, vs, ve);
        return false;
      case 'colo-port=':
        this.setColoPort(value, vs, ve);
        return false;
      case 'colo-export=':
        this.saveString('colo_export', 'colo-export', value, vs, ve);
        return false;
      case 'active-disk=':
        this.saveString('active_disk', 'active-disk', value, vs, ve);
        return false;
      case 'hidden-disk=':
        this.saveString('hidden_disk', 'hidden-disk', value, vs, ve);
        return false;
      case 'trusted':
        st.trusted = true;
        return false;
      case 'untrusted':
        st.trusted = false;
        return false;
      case 'grant_usage=1':
        st.grant_usage = true;
        return false;
      case 'grant_usage=0':
        st.grant_usage = false;
        return false;
      case 'specification=':
        this.setSpecification(value, vs, ve);
        return false;
      case 'target=': {
        const before = st.strings.pdev_path;
        this.saveString('pdev_path', 'target', value, vs, ve);
        if ((before === undefined || before === '') && value.includes(',')) {
          st.targetAteComma = { spec: this.spec, span: [vs, ve] };
        }
        return false;
      }
      case 'unknown': {
        const key = yytext.slice(0, yytext.indexOf('='));
        this.error({
          near: yytext,
          what: 'unknown parameter',
          span: [at, at + key.length],
          explain: `"${key}" is not a disk parameter; known ones are target, format, vdev, access, devtype, backend, backendtype, script, specification, colo-host, colo-port, colo-export, active-disk, hidden-disk`,
        });
        return false;
      }
      case 'prefix-format': {
        st.hadDeprPrefix = true;
        const word = yytext.slice(0, -1);
        this.setFormat(word, at, at + word.length, false);
        return false;
      }
      case 'prefix-script': {
        st.hadDeprPrefix = true;
        const word = yytext.slice(0, -1);
        this.saveString('script', 'script', `block-${word}`, at, at + word.length);
        return false;
      }
      case 'prefix-tapdisk':
      case 'prefix-tap':
      case 'prefix-aio':
      case 'prefix-ioemu':
      case 'prefix-file':
      case 'prefix-phy':
        st.hadDeprPrefix = true;
        return false;
      case 'prefix-unknown':
        this.error({
          near: yytext,
          what: 'unknown deprecated disk prefix',
          span: [at, at + yytext.length - 1],
          explain:
            `"${yytext}" reads as an old-style "prefix:" but is not one xl knows ` +
            `(raw, qcow, qcow2, vhd, iscsi, nbd, enbd, drbd, tap, tap2, tapdisk, aio, ioemu, file, phy); ` +
            `if it is part of the path, write it as the last setting: target=${this.spec.slice(at)}`,
        });
        return true;
      default: {
        this.error({
          near: yytext,
          what: 'bad disk syntax',
          span: [at, at + 1],
          explain:
            `unexpected "${yytext}": settings are key=value with a lower-case key from the disk ` +
            `parameter list; a "=" or "," inside a path needs target=PATH as the last setting`,
        });
        return true;
      }
    }
  }

  /** The positional-parameter action. */
  private positional(text: string, at: number): boolean {
    const st = this.st;
    const end = at + text.length;
    if (st.err) return false;
    if (st.strings.pdev_path === undefined) {
      this.saveString('pdev_path', 'target', text, at, end);
    } else if (!st.hadDeprPrefix && st.format === undefined) {
      if (st.strings.pdev_path === '' && this.vdevAndDevtype(text, at)) st.format = 'empty';
      else this.setFormat(text, at, end, true);
    } else if (st.strings.vdev === undefined) {
      if (!this.vdevAndDevtype(text, at)) this.saveString('vdev', 'vdev', text, at, end);
    } else if (!st.accessSet) {
      st.accessSet = true;
      this.setAccess(text, at, end);
    } else {
      this.error({
        near: text,
        what: 'too many positional parameters',
        span: [at, end],
        explain:
          'a disk spec has at most four positional fields (target, format, vdev, access; ' +
          'with an old "prefix:" only target, vdev, access); use key=value settings for the rest',
      });
      return true;
    }
    return false;
  }
}

const defbool = (b: boolean | undefined): Defbool | undefined => (b === undefined ? undefined : b ? 'True' : 'False');

/**
 * Parse the disk specification strings of one disk, as `xlu_disk_parse`
 * (tools/libs/util/libxlu_disk.c, scanner libxlu_disk_l.l; xl-cfg-format.md §4.1).
 *
 * @param specs one string per config list item, or several strings that together
 *   describe one disk (`xl block-attach DOM a b c`); state carries over between them.
 * @param source the config file name as typed, or `command line` for block-attach; it
 *   starts every message line.
 * @returns `value`: the libxl_device_disk with keys in IDL order and default-valued
 *   fields omitted, as libxl's JSON prints it (`format` defaults to raw; a CD-ROM is
 *   removable and read-only, with format empty when it has no target); undefined on
 *   error. `messages`: xl's exact lines (`<source>: config parsing error in disk
 *   specification: <what>[: near `<tok>'] in `<spec>'\n`, code XL201) plus xlsim-only
 *   warnings (code XL202, empty text, e.g. a `target=` that swallowed later settings).
 *   `exitCode`: 1 on any error (xl exits 1). Never throws.
 */
export function parseDiskSpecs(specs: string[], source: string): SpecResult<DeviceDisk> {
  const p = new DiskParser(source);
  for (const spec of specs) {
    p.scan(spec);
    if (p.st.err) return { messages: p.messages, exitCode: 1 };
  }
  const st = p.st;
  if (st.format === undefined) st.format = 'raw';
  if (st.is_cdrom) {
    st.removable = 1;
    st.readwrite = 0;
    if (st.strings.pdev_path === undefined || st.strings.pdev_path === '') st.format = 'empty';
  }
  if (st.strings.vdev === undefined) {
    p.error({
      what: 'no vdev specified',
      explain: 'the disk has no guest device name: add one, e.g. ",xvda" as the 3rd positional field or vdev=xvda',
    });
    return { messages: p.messages, exitCode: 1 };
  }
  if (st.strings.pdev_path === undefined && !st.removable) {
    p.error({
      what: 'no target specified (and device not removable)',
      explain: 'the disk has no backing path: give the image or device as the first field or as target=PATH (last); only a CD-ROM may have none',
    });
    return { messages: p.messages, exitCode: 1 };
  }
  if (st.targetAteComma) {
    p.messages.push({
      text: '',
      severity: 'warning',
      code: 'XL202',
      message:
        `target= takes the whole rest of the spec, commas included, so the path is "${st.strings.pdev_path}"; ` +
        'if the text after the comma was meant as more settings, move target= to the end',
      span: st.targetAteComma.span,
    });
  }
  const disk: DeviceDisk = {};
  const s = st.strings;
  if (s.backend_domname !== undefined) disk.backend_domname = s.backend_domname;
  if (s.pdev_path !== undefined) disk.pdev_path = s.pdev_path;
  disk.vdev = s.vdev;
  if (st.backend !== undefined) disk.backend = st.backend;
  disk.format = st.format;
  if (s.script !== undefined) disk.script = s.script;
  if (st.removable) disk.removable = st.removable;
  if (st.readwrite) disk.readwrite = st.readwrite;
  if (st.is_cdrom) disk.is_cdrom = st.is_cdrom;
  if (st.direct_io_safe) disk.direct_io_safe = true;
  if (st.discard_enable !== undefined) disk.discard_enable = defbool(st.discard_enable);
  if (st.specification !== undefined) disk.specification = st.specification;
  if (st.colo_enable !== undefined) disk.colo_enable = defbool(st.colo_enable);
  if (s.colo_host !== undefined) disk.colo_host = s.colo_host;
  if (st.colo_port !== undefined) disk.colo_port = st.colo_port;
  if (s.colo_export !== undefined) disk.colo_export = s.colo_export;
  if (s.active_disk !== undefined) disk.active_disk = s.active_disk;
  if (s.hidden_disk !== undefined) disk.hidden_disk = s.hidden_disk;
  if (st.trusted !== undefined) disk.trusted = defbool(st.trusted);
  if (st.grant_usage !== undefined) disk.grant_usage = defbool(st.grant_usage);
  return { value: disk, messages: p.messages };
}
