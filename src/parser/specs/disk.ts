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

/**
 * The string fields `SAVESTRING` fills, as indices into {@link DiskState.strings} (an array
 * rather than an object keyed by field name: `savestring` is given the field, and a keyed
 * access with varying names is a slow, megamorphic one). Named after the libxl fields.
 */
enum StringField {
  PDEV_PATH,
  VDEV,
  BACKEND_DOMNAME,
  SCRIPT,
  COLO_HOST,
  COLO_EXPORT,
  ACTIVE_DISK,
  HIDDEN_DISK,
}

/** Parser state shared by all spec strings of one disk (`DiskParseContext` + the disk being filled). */
interface DiskState {
  /** The string fields by {@link StringField} index (undefined = never set). */
  strings: (string | undefined)[];
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

/**
 * The rules' actions (`runAction`), one per rule of libxlu_disk_l.l, numbered in file order
 * (a number rather than the rule's text, so that runAction's switch compares numbers, not
 * strings).
 */
enum Act {
  WS,
  FORMAT,
  CDROM,
  DEVTYPE_CDROM,
  DEVTYPE_DISK,
  DEVTYPE,
  ACCESS,
  BACKEND,
  BACKENDTYPE,
  VDEV,
  SCRIPT,
  DIRECT_IO_SAFE,
  DISCARD,
  NO_DISCARD,
  COLO,
  NO_COLO,
  COLO_HOST,
  COLO_PORT,
  COLO_EXPORT,
  ACTIVE_DISK,
  HIDDEN_DISK,
  TRUSTED,
  UNTRUSTED,
  GRANT_USAGE_1,
  GRANT_USAGE_0,
  SPECIFICATION,
  TARGET,
  UNKNOWN,
  PREFIX_FORMAT,
  PREFIX_SCRIPT,
  PREFIX_TAPDISK,
  PREFIX_TAP,
  PREFIX_AIO,
  PREFIX_IOEMU,
  PREFIX_FILE,
  PREFIX_PHY,
  PREFIX_UNKNOWN,
  POSITIONAL,
  ANY,
}

/** One scanner rule. */
interface Rule {
  /** Selects the action in `runAction`. */
  act: Act;
  kind: RuleKind;
  /** The literal text(s) of K_LITERAL, K_KEYVALUE, K_PREFIX and K_TARGET rules. */
  lits: readonly string[];
  /** Every character a match can start with, for a rule without literal texts that is that selective. */
  first?: string;
}

/** A rule `lit,?` with action `act`. */
const literalComma = (act: Act, lit: string): Rule => ({ act, kind: K_LITERAL, lits: [lit] });
/** A rule `key[^,]*,?` (key ends with `=`) with action `act`. */
const keyValue = (act: Act, key: string): Rule => ({ act, kind: K_KEYVALUE, lits: [key] });
/** A deprecated-prefix rule `(word1|word2…):` with `.*` trailing context and action `act`. */
const prefix = (act: Act, ...words: string[]): Rule => ({
  act,
  kind: K_PREFIX,
  lits: words.map((w) => w + ':'),
});
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/**
 * The rules of libxlu_disk_l.l in file order (earlier wins a tie).
 */
const RULES: readonly Rule[] = [
  { act: Act.WS, kind: K_WS, lits: [], first: ' \t\n' },
  keyValue(Act.FORMAT, 'format='),
  literalComma(Act.CDROM, 'cdrom'),
  literalComma(Act.DEVTYPE_CDROM, 'devtype=cdrom'),
  literalComma(Act.DEVTYPE_DISK, 'devtype=disk'),
  keyValue(Act.DEVTYPE, 'devtype='),
  keyValue(Act.ACCESS, 'access='),
  keyValue(Act.BACKEND, 'backend='),
  keyValue(Act.BACKENDTYPE, 'backendtype='),
  keyValue(Act.VDEV, 'vdev='),
  keyValue(Act.SCRIPT, 'script='),
  literalComma(Act.DIRECT_IO_SAFE, 'direct-io-safe'),
  literalComma(Act.DISCARD, 'discard'),
  literalComma(Act.NO_DISCARD, 'no-discard'),
  literalComma(Act.COLO, 'colo'),
  literalComma(Act.NO_COLO, 'no-colo'),
  keyValue(Act.COLO_HOST, 'colo-host='),
  keyValue(Act.COLO_PORT, 'colo-port='),
  keyValue(Act.COLO_EXPORT, 'colo-export='),
  keyValue(Act.ACTIVE_DISK, 'active-disk='),
  keyValue(Act.HIDDEN_DISK, 'hidden-disk='),
  literalComma(Act.TRUSTED, 'trusted'),
  literalComma(Act.UNTRUSTED, 'untrusted'),
  literalComma(Act.GRANT_USAGE_1, 'grant_usage=1'),
  literalComma(Act.GRANT_USAGE_0, 'grant_usage=0'),
  keyValue(Act.SPECIFICATION, 'specification='),
  // target=.*
  { act: Act.TARGET, kind: K_TARGET, lits: ['target='] },
  // [a-z][-a-z0-9]*=[^,],?
  { act: Act.UNKNOWN, kind: K_UNKNOWN, lits: [], first: LOWER },
  prefix(Act.PREFIX_FORMAT, 'raw', 'qcow', 'qcow2', 'vhd'),
  prefix(Act.PREFIX_SCRIPT, 'iscsi', 'nbd', 'enbd', 'drbd'),
  prefix(Act.PREFIX_TAPDISK, 'tapdisk'),
  prefix(Act.PREFIX_TAP, 'tap', 'tap2'),
  prefix(Act.PREFIX_AIO, 'aio'),
  prefix(Act.PREFIX_IOEMU, 'ioemu'),
  prefix(Act.PREFIX_FILE, 'file'),
  prefix(Act.PREFIX_PHY, 'phy'),
  // [a-z][a-z0-9]*:/([^a-z0-9]|$).*   ('$' is not at the end of the rule, so flex
  // reads it as a literal dollar, already covered by [^a-z0-9]).
  { act: Act.PREFIX_UNKNOWN, kind: K_PREFIXUNKNOWN, lits: [], first: LOWER },
  // [^=,]*,|[^=,]+,?
  { act: Act.POSITIONAL, kind: K_POSITIONAL, lits: [] },
  // .
  { act: Act.ANY, kind: K_ANY, lits: [] },
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
      const lits = rule.lits;
      for (let k = 0; k < lits.length; k++) {
        const lit = lits[k]!;
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
 * The rules that can match at a position, by its first two UTF-16 code units, in rule
 * order, except `.` (see {@link scanOne}); filled on first use ({@link candidates}). A rule
 * with literal texts matches only where the first two characters of one of them are, one
 * with a `first` set only where its first character is in it, so skipping the others
 * keeps flex's longest-match result while trying a handful of rules instead of all.
 * Allocated at its full length, so that V8 keeps its elements fast (filling a sparse
 * array makes a dictionary, whose lookups cost more than a rule's match).
 */
const CANDIDATES: Array<readonly Rule[] | undefined> = new Array<readonly Rule[] | undefined>(129 * 129);

/**
 * {@link CANDIDATES} for the code units c0, c1 (each bucketed: 0–127 as such, 128 for any
 * other code unit and for the end of the spec, NaN).
 */
function candidates(c0: number, c1: number): readonly Rule[] {
  const b0 = c0 < 128 ? c0 : 128;
  const b1 = c1 < 128 ? c1 : 128;
  const k = b0 * 129 + b1;
  let list = CANDIDATES[k];
  if (list === undefined) {
    const out: Rule[] = [];
    for (const r of RULES) {
      if (r.kind === K_ANY) continue; // tried last, only when nothing else matches (see scanOne)
      if (r.lits.length > 0) {
        // every literal text is ASCII and at least two characters long
        if (r.lits.some((l) => l.charCodeAt(0) === b0 && l.charCodeAt(1) === b1)) out.push(r);
      } else if (r.first === undefined || (b0 < 128 && r.first.includes(String.fromCharCode(b0)))) out.push(r);
    }
    list = CANDIDATES[k] = out;
  }
  return list;
}

/** yytext length of the rule the last {@link scanOne} call chose. */
let scanHead = 0;

/** The `.` rule, tried last. */
const ANY_RULE = RULES[Act.ANY]!;

/**
 * One flex step: the winning rule at position i (longest total, earliest on ties), its
 * yytext length left in {@link scanHead}; undefined when none matches.
 *
 * The candidates are tried in rule order and the loop stops as soon as no later one can
 * win: when the best total so far is the rest of the spec (no rule matches more, and a
 * later rule that ties loses), which is what a `.*` rule (white space, `target=`, the
 * prefixes) gives in a spec without newlines; and after a `key=` rule (`format=`,
 * `vdev=`, …) matched, whose `[^,]*,?` no later rule outdoes there: `unknown` matches the
 * same key and at most one more character and a comma, `prefix-unknown` needs a `:` where
 * the key has `-` or `=`, `positional` stops at the key's `=`, no prefix or literal rule
 * after it starts the same way.
 */
function scanOne(s: string, i: number): Rule | undefined {
  const cands = candidates(s.charCodeAt(i), s.charCodeAt(i + 1));
  const rest = s.length - i;
  let rule: Rule | undefined;
  let total = 0;
  for (let k = 0; k < cands.length; k++) {
    const r = cands[k]!;
    const t = matchRule(r, s, i);
    if (t < 0) continue;
    if (rule === undefined || t > total) {
      rule = r;
      scanHead = matchHead;
      total = t;
    }
    if (total === rest || r.kind === K_KEYVALUE) break;
  }
  // `.` (the last rule) is one character long, so it wins only where nothing else matches
  if (rule === undefined && matchRule(ANY_RULE, s, i) >= 0) {
    rule = ANY_RULE;
    scanHead = matchHead;
  }
  return rule;
}

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
    strings: [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined],
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
    this.saveString(StringField.VDEV, 'vdev', text.slice(0, colon), at, at + colon);
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
      if (rule === undefined) break;
      const head = scanHead;
      if (rule.kind === K_WS) {
        // white space: the rule's action does nothing
        i += head;
        continue;
      }
      const stop = this.runAction(rule, spec, i, head);
      i += head;
      if (stop) return;
    }
  }

  /** The action of one rule; returns true when the rule does `return 0` (stop scanning). */
  private runAction(r: Rule, spec: string, at: number, head: number): boolean {
    const st = this.st;
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
    // yytext is cut out only by the actions that use it (no literal rule's does)
    switch (r.act) {
      case Act.WS:
        return false;
      case Act.FORMAT:
        this.setFormat(value, vs, ve, false);
        return false;
      case Act.CDROM:
      case Act.DEVTYPE_CDROM:
        st.is_cdrom = 1;
        return false;
      case Act.DEVTYPE_DISK:
        st.is_cdrom = 0;
        return false;
      case Act.DEVTYPE: {
        const yytext = spec.slice(at, at + head);
        this.error({
          near: yytext,
          what: 'unknown value for type',
          span: [at, at + yytext.length],
          explain: `devtype must be cdrom or disk, not "${value}"`,
        });
        return false;
      }
      case Act.ACCESS:
        this.setAccess(value, vs, ve);
        return false;
      case Act.BACKEND:
        this.saveString(StringField.BACKEND_DOMNAME, 'backend', value, vs, ve);
        return false;
      case Act.BACKENDTYPE:
        this.setBackendType(value, vs, ve);
        return false;
      case Act.VDEV:
        this.saveString(StringField.VDEV, 'vdev', value, vs, ve);
        return false;
      case Act.SCRIPT:
        this.saveString(StringField.SCRIPT, 'script', value, vs, ve);
        return false;
      case Act.DIRECT_IO_SAFE:
        st.direct_io_safe = true;
        return false;
      case Act.DISCARD:
        st.discard_enable = true;
        return false;
      case Act.NO_DISCARD:
        st.discard_enable = false;
        return false;
      case Act.COLO:
        st.colo_enable = true;
        return false;
      case Act.NO_COLO:
        st.colo_enable = false;
        return false;
      case Act.COLO_HOST:
        this.saveString(StringField.COLO_HOST, 'colo-host', value, vs, ve);
        return false;
      case Act.COLO_PORT:
        this.setColoPort(value, vs, ve);
        return false;
      case Act.COLO_EXPORT:
        this.saveString(StringField.COLO_EXPORT, 'colo-export', value, vs, ve);
        return false;
      case Act.ACTIVE_DISK:
        this.saveString(StringField.ACTIVE_DISK, 'active-disk', value, vs, ve);
        return false;
      case Act.HIDDEN_DISK:
        this.saveString(StringField.HIDDEN_DISK, 'hidden-disk', value, vs, ve);
        return false;
      case Act.TRUSTED:
        st.trusted = true;
        return false;
      case Act.UNTRUSTED:
        st.trusted = false;
        return false;
      case Act.GRANT_USAGE_1:
        st.grant_usage = true;
        return false;
      case Act.GRANT_USAGE_0:
        st.grant_usage = false;
        return false;
      case Act.SPECIFICATION:
        this.setSpecification(value, vs, ve);
        return false;
      case Act.TARGET: {
        const before = st.strings[StringField.PDEV_PATH];
        this.saveString(StringField.PDEV_PATH, 'target', value, vs, ve);
        if ((before === undefined || before === '') && value.includes(',')) {
          st.targetAteComma = { spec: this.spec, span: [vs, ve] };
        }
        return false;
      }
      case Act.UNKNOWN: {
        const yytext = spec.slice(at, at + head);
        const key = yytext.slice(0, yytext.indexOf('='));
        this.error({
          near: yytext,
          what: 'unknown parameter',
          span: [at, at + key.length],
          explain: `"${key}" is not a disk parameter; known ones are target, format, vdev, access, devtype, backend, backendtype, script, specification, colo-host, colo-port, colo-export, active-disk, hidden-disk`,
        });
        return false;
      }
      case Act.PREFIX_FORMAT: {
        const yytext = spec.slice(at, at + head);
        st.hadDeprPrefix = true;
        const word = yytext.slice(0, -1);
        this.setFormat(word, at, at + word.length, false);
        return false;
      }
      case Act.PREFIX_SCRIPT: {
        const yytext = spec.slice(at, at + head);
        st.hadDeprPrefix = true;
        const word = yytext.slice(0, -1);
        this.saveString(StringField.SCRIPT, 'script', `block-${word}`, at, at + word.length);
        return false;
      }
      case Act.PREFIX_TAPDISK:
      case Act.PREFIX_TAP:
      case Act.PREFIX_AIO:
      case Act.PREFIX_IOEMU:
      case Act.PREFIX_FILE:
      case Act.PREFIX_PHY:
        st.hadDeprPrefix = true;
        return false;
      case Act.PREFIX_UNKNOWN: {
        const yytext = spec.slice(at, at + head);
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
      }
      default: {
        const yytext = spec.slice(at, at + head);
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
    if (st.strings[StringField.PDEV_PATH] === undefined) {
      this.saveString(StringField.PDEV_PATH, 'target', text, at, end);
    } else if (!st.hadDeprPrefix && st.format === undefined) {
      if (st.strings[StringField.PDEV_PATH] === '' && this.vdevAndDevtype(text, at)) st.format = 'empty';
      else this.setFormat(text, at, end, true);
    } else if (st.strings[StringField.VDEV] === undefined) {
      if (!this.vdevAndDevtype(text, at)) this.saveString(StringField.VDEV, 'vdev', text, at, end);
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
    if (st.strings[StringField.PDEV_PATH] === undefined || st.strings[StringField.PDEV_PATH] === '') st.format = 'empty';
  }
  if (st.strings[StringField.VDEV] === undefined) {
    p.error({
      what: 'no vdev specified',
      explain: 'the disk has no guest device name: add one, e.g. ",xvda" as the 3rd positional field or vdev=xvda',
    });
    return { messages: p.messages, exitCode: 1 };
  }
  if (st.strings[StringField.PDEV_PATH] === undefined && !st.removable) {
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
        `target= takes the whole rest of the spec, commas included, so the path is "${st.strings[StringField.PDEV_PATH]}"; ` +
        'if the text after the comma was meant as more settings, move target= to the end',
      span: st.targetAteComma.span,
    });
  }
  const disk: DeviceDisk = {};
  const s = st.strings;
  if (s[StringField.BACKEND_DOMNAME] !== undefined) disk.backend_domname = s[StringField.BACKEND_DOMNAME];
  if (s[StringField.PDEV_PATH] !== undefined) disk.pdev_path = s[StringField.PDEV_PATH];
  disk.vdev = s[StringField.VDEV];
  if (st.backend !== undefined) disk.backend = st.backend;
  disk.format = st.format;
  if (s[StringField.SCRIPT] !== undefined) disk.script = s[StringField.SCRIPT];
  if (st.removable) disk.removable = st.removable;
  if (st.readwrite) disk.readwrite = st.readwrite;
  if (st.is_cdrom) disk.is_cdrom = st.is_cdrom;
  if (st.direct_io_safe) disk.direct_io_safe = true;
  if (st.discard_enable !== undefined) disk.discard_enable = defbool(st.discard_enable);
  if (st.specification !== undefined) disk.specification = st.specification;
  if (st.colo_enable !== undefined) disk.colo_enable = defbool(st.colo_enable);
  if (s[StringField.COLO_HOST] !== undefined) disk.colo_host = s[StringField.COLO_HOST];
  if (st.colo_port !== undefined) disk.colo_port = st.colo_port;
  if (s[StringField.COLO_EXPORT] !== undefined) disk.colo_export = s[StringField.COLO_EXPORT];
  if (s[StringField.ACTIVE_DISK] !== undefined) disk.active_disk = s[StringField.ACTIVE_DISK];
  if (s[StringField.HIDDEN_DISK] !== undefined) disk.hidden_disk = s[StringField.HIDDEN_DISK];
  if (st.trusted !== undefined) disk.trusted = defbool(st.trusted);
  if (st.grant_usage !== undefined) disk.grant_usage = defbool(st.grant_usage);
  return { value: disk, messages: p.messages };
}
