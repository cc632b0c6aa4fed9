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

/** What one scanner step matched. */
interface Match {
  rule: number;
  /** Length of yytext (without trailing context). */
  head: number;
  /** Length including trailing context, used for longest-match. */
  total: number;
}

const FORMATS: Record<string, DiskFormat> = {
  raw: 'raw',
  qcow: 'qcow',
  qcow2: 'qcow2',
  vhd: 'vhd',
  empty: 'empty',
  qed: 'qed',
};

/**
 * A scanner rule's matcher at position i: `[head, total]` where `head` is the length of
 * yytext and `total` includes flex trailing context (what longest-match compares), or
 * undefined when the rule does not match there.
 */
type Matcher = (s: string, i: number) => [number, number] | undefined;

const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n';
const isLowerAlnum = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
/** End of a flex `.*` starting at j: the next newline or the end. */
const lineEnd = (s: string, j: number): number => {
  const k = s.indexOf('\n', j);
  return k < 0 ? s.length : k;
};
/** End of `[^,]*` starting at j. */
const notComma = (s: string, j: number): number => {
  const k = s.indexOf(',', j);
  return k < 0 ? s.length : k;
};
/** `literal` then optionally one comma. */
const literalComma =
  (lit: string): Matcher =>
  (s, i) => {
    if (!s.startsWith(lit, i)) return undefined;
    const n = lit.length + (s[i + lit.length] === ',' ? 1 : 0);
    return [n, n];
  };
/** `key=[^,]*,?` */
const keyValue =
  (key: string): Matcher =>
  (s, i) => {
    if (!s.startsWith(key, i)) return undefined;
    const e = notComma(s, i + key.length);
    const n = e - i + (s[e] === ',' ? 1 : 0);
    return [n, n];
  };
/** `word:/.*` for each alternative word. */
const prefix =
  (...words: string[]): Matcher =>
  (s, i) => {
    let best: [number, number] | undefined;
    for (const w of words) {
      const lit = w + ':';
      if (s.startsWith(lit, i)) {
        const total = lineEnd(s, i + lit.length) - i;
        if (!best || lit.length > best[0]) best = [lit.length, total];
      }
    }
    return best;
  };

/** The rules of libxlu_disk_l.l in file order (earlier wins a tie); `name` selects the action. */
const RULES: { name: string; match: Matcher }[] = [
  {
    name: 'ws',
    match: (s, i) => {
      if (!isWs(s[i])) return undefined;
      let k = i;
      while (isWs(s[k])) k++;
      const total = k < s.length ? lineEnd(s, k) - i : k - i;
      return [k - i, total];
    },
  },
  { name: 'format=', match: keyValue('format=') },
  { name: 'cdrom', match: literalComma('cdrom') },
  { name: 'devtype=cdrom', match: literalComma('devtype=cdrom') },
  { name: 'devtype=disk', match: literalComma('devtype=disk') },
  { name: 'devtype=', match: keyValue('devtype=') },
  { name: 'access=', match: keyValue('access=') },
  { name: 'backend=', match: keyValue('backend=') },
  { name: 'backendtype=', match: keyValue('backendtype=') },
  { name: 'vdev=', match: keyValue('vdev=') },
  { name: 'script=', match: keyValue('script=') },
  { name: 'direct-io-safe', match: literalComma('direct-io-safe') },
  { name: 'discard', match: literalComma('discard') },
  { name: 'no-discard', match: literalComma('no-discard') },
  { name: 'colo', match: literalComma('colo') },
  { name: 'no-colo', match: literalComma('no-colo') },
  { name: 'colo-host=', match: keyValue('colo-host=') },
  { name: 'colo-port=', match: keyValue('colo-port=') },
  { name: 'colo-export=', match: keyValue('colo-export=') },
  { name: 'active-disk=', match: keyValue('active-disk=') },
  { name: 'hidden-disk=', match: keyValue('hidden-disk=') },
  { name: 'trusted', match: literalComma('trusted') },
  { name: 'untrusted', match: literalComma('untrusted') },
  { name: 'grant_usage=1', match: literalComma('grant_usage=1') },
  { name: 'grant_usage=0', match: literalComma('grant_usage=0') },
  { name: 'specification=', match: keyValue('specification=') },
  {
    name: 'target=',
    match: (s, i) => {
      if (!s.startsWith('target=', i)) return undefined;
      const n = lineEnd(s, i + 7) - i;
      return [n, n];
    },
  },
  {
    // [a-z][-a-z0-9]*=[^,],?
    name: 'unknown',
    match: (s, i) => {
      const c = s[i];
      if (c === undefined || c < 'a' || c > 'z') return undefined;
      let k = i + 1;
      while (isLowerAlnum(s[k]) || s[k] === '-') k++;
      if (s[k] !== '=' || s[k + 1] === undefined || s[k + 1] === ',') return undefined;
      const n = k + 2 - i + (s[k + 2] === ',' ? 1 : 0);
      return [n, n];
    },
  },
  { name: 'prefix-format', match: prefix('raw', 'qcow', 'qcow2', 'vhd') },
  { name: 'prefix-script', match: prefix('iscsi', 'nbd', 'enbd', 'drbd') },
  { name: 'prefix-tapdisk', match: prefix('tapdisk') },
  { name: 'prefix-tap', match: prefix('tap', 'tap2') },
  { name: 'prefix-aio', match: prefix('aio') },
  { name: 'prefix-ioemu', match: prefix('ioemu') },
  { name: 'prefix-file', match: prefix('file') },
  { name: 'prefix-phy', match: prefix('phy') },
  {
    // [a-z][a-z0-9]*:/([^a-z0-9]|$).*   ('$' is not at the end of the rule, so flex
    // reads it as a literal dollar, already covered by [^a-z0-9]).
    name: 'prefix-unknown',
    match: (s, i) => {
      const c = s[i];
      if (c === undefined || c < 'a' || c > 'z') return undefined;
      let k = i + 1;
      while (isLowerAlnum(s[k])) k++;
      if (s[k] !== ':') return undefined;
      const next = s[k + 1];
      if (next === undefined || isLowerAlnum(next)) return undefined;
      return [k + 1 - i, lineEnd(s, k + 2) - i];
    },
  },
  {
    // [^=,]*,|[^=,]+,?
    name: 'positional',
    match: (s, i) => {
      let k = i;
      while (k < s.length && s[k] !== '=' && s[k] !== ',') k++;
      if (s[k] === ',') return [k + 1 - i, k + 1 - i];
      if (k > i) return [k - i, k - i];
      return undefined;
    },
  },
  {
    name: 'any',
    match: (s, i) => (i < s.length && s[i] !== '\n' ? [1, 1] : undefined),
  },
];

/** One flex step: the winning rule at position i (longest total, earliest on ties). */
function scanOne(s: string, i: number): Match | undefined {
  let best: Match | undefined;
  RULES.forEach((r, rule) => {
    const m = r.match(s, i);
    if (m && (!best || m[1] > best.total)) best = { rule, head: m[0], total: m[1] };
  });
  return best;
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
  readonly st: DiskState = {
    strings: {},
    readwrite: 1,
    is_cdrom: 0,
    removable: 0,
    direct_io_safe: false,
    err: false,
    hadDeprPrefix: false,
    accessSet: false,
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
  saveString(field: StringField, name: string, value: string, span: [number, number]): void {
    const old = this.st.strings[field];
    if (old !== undefined && old !== '') {
      this.error({
        near: value,
        what: `${name} respecified`,
        span,
        explain: `${name} is given twice in this disk (first "${old}", then "${value}"); a disk has one ${name}, remove one of them`,
      });
      return;
    }
    this.st.strings[field] = value;
  }

  /** `setformat` (conflicts through the `DSET` macro: `<member> respecified`). */
  setFormat(value: string, span: [number, number], positional: boolean): void {
    let format: DiskFormat;
    if (value === '') format = 'raw';
    else if (Object.hasOwn(FORMATS, value)) format = FORMATS[value]!;
    else {
      let explain = `"${value}" is not a disk format; use one of raw, qcow, qcow2, vhd, qed, empty`;
      if (positional) {
        const fixed = this.spec.slice(0, span[0]) + ',' + this.spec.slice(span[0]);
        explain =
          `without a "prefix:" the 2nd positional field of a disk spec is the format, and "${value}" is not a format ` +
          `(raw, qcow, qcow2, vhd, qed, empty). If "${value}" is the guest device, leave the format empty: ` +
          `"${fixed}", or name it: "vdev=${value}"`;
      }
      this.error({ near: value, what: 'unknown value for format', span, explain });
      return;
    }
    if (this.st.format !== undefined && this.st.format !== format) {
      this.error({
        near: value,
        what: 'format respecified',
        span,
        explain: `the format is already ${this.st.format}; a disk has one format, remove the conflicting "${value}"`,
      });
    } else this.st.format = format;
  }

  /** `setbackendtype` (a conflict is reported by `DSET` under the member name `backend`). */
  setBackendType(value: string, span: [number, number]): void {
    if (value !== 'phy' && value !== 'tap' && value !== 'qdisk' && value !== 'standalone') {
      this.error({
        near: value,
        what: 'unknown value for backendtype',
        span,
        explain: `backendtype must be one of phy, qdisk, standalone, tap, not "${value}"`,
      });
      return;
    }
    if (this.st.backend !== undefined && this.st.backend !== value) {
      this.error({
        near: value,
        // DSET(dpc, backend, …) prints the libxl member name, "backend".
        what: 'backend respecified',
        span,
        explain: `backendtype is already ${this.st.backend}; remove the conflicting "${value}"`,
      });
    } else this.st.backend = value;
  }

  /** `setspecification`. */
  setSpecification(value: string, span: [number, number]): void {
    if (value !== 'xen' && value !== 'virtio') {
      this.error({
        near: value,
        what: 'unknown value for specification',
        span,
        explain: `specification must be xen or virtio, not "${value}"`,
      });
      return;
    }
    if (this.st.specification !== undefined && this.st.specification !== value) {
      this.error({
        near: value,
        what: 'specification respecified',
        span,
        explain: `specification is already ${this.st.specification}; remove the conflicting "${value}"`,
      });
    } else this.st.specification = value;
  }

  /** `setaccess`. */
  setAccess(value: string, span: [number, number]): void {
    if (value === 'r' || value === 'ro') this.st.readwrite = 0;
    else if (value === 'rw' || value === 'w' || value === '') this.st.readwrite = 1;
    else
      this.error({
        near: value,
        what: 'unknown value for access',
        span,
        explain: `access must be r or ro (read-only), w or rw (read-write), not "${value}"`,
      });
  }

  /** `setcoloport`: `atoi`, zero is an error. */
  setColoPort(value: string, span: [number, number]): void {
    const port = atoiC(value);
    if (port) this.st.colo_port = port;
    else
      this.error({
        near: value,
        what: 'unknown value for colo_port',
        span,
        explain: `colo-port must be a non-zero port number, not "${value}"`,
      });
  }

  /** `vdev_and_devtype`: `<vdev>:<devtype>`; returns false (doing nothing) without a colon. */
  vdevAndDevtype(text: string, at: number): boolean {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return false;
    this.saveString('vdev', 'vdev', text.slice(0, colon), [at, at + colon]);
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
    let i = 0;
    while (i < spec.length) {
      const m = scanOne(spec, i);
      if (!m) break;
      const yytext = spec.slice(i, i + m.head);
      const stop = this.runAction(RULES[m.rule]!.name, yytext, i);
      i += m.head;
      if (stop) return;
    }
  }

  /** The action of one rule; returns true when the rule does `return 0` (stop scanning). */
  private runAction(rule: string, yytext: string, at: number): boolean {
    const st = this.st;
    const stripped = yytext.endsWith(',') ? yytext.slice(0, -1) : yytext;
    const eq = stripped.indexOf('=');
    const value = stripped.slice(eq + 1);
    const valueSpan: [number, number] = [at + eq + 1, at + stripped.length];
    switch (rule) {
      case 'ws':
        return false;
      case 'format=':
        this.setFormat(value, valueSpan, false);
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
        this.setAccess(value, valueSpan);
        return false;
      case 'backend=':
        this.saveString('backend_domname', 'backend', value, valueSpan);
        return false;
      case 'backendtype=':
        this.setBackendType(value, valueSpan);
        return false;
      case 'vdev=':
        this.saveString('vdev', 'vdev', value, valueSpan);
        return false;
      case 'script=':
        this.saveString('script', 'script', value, valueSpan);
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
        this.saveString('colo_host', 'colo-host', value, valueSpan);
        return false;
      case 'colo-port=':
        this.setColoPort(value, valueSpan);
        return false;
      case 'colo-export=':
        this.saveString('colo_export', 'colo-export', value, valueSpan);
        return false;
      case 'active-disk=':
        this.saveString('active_disk', 'active-disk', value, valueSpan);
        return false;
      case 'hidden-disk=':
        this.saveString('hidden_disk', 'hidden-disk', value, valueSpan);
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
        this.setSpecification(value, valueSpan);
        return false;
      case 'target=': {
        const before = st.strings.pdev_path;
        this.saveString('pdev_path', 'target', value, valueSpan);
        if ((before === undefined || before === '') && value.includes(',')) {
          st.targetAteComma = { spec: this.spec, span: valueSpan };
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
        this.setFormat(word, [at, at + word.length], false);
        return false;
      }
      case 'prefix-script': {
        st.hadDeprPrefix = true;
        const word = yytext.slice(0, -1);
        this.saveString('script', 'script', `block-${word}`, [at, at + word.length]);
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
      case 'positional':
        return this.positional(stripped, at);
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
    const span: [number, number] = [at, at + text.length];
    if (st.err) return false;
    if (st.strings.pdev_path === undefined) {
      this.saveString('pdev_path', 'target', text, span);
    } else if (!st.hadDeprPrefix && st.format === undefined) {
      if (st.strings.pdev_path === '' && this.vdevAndDevtype(text, at)) st.format = 'empty';
      else this.setFormat(text, span, true);
    } else if (st.strings.vdev === undefined) {
      if (!this.vdevAndDevtype(text, at)) this.saveString('vdev', 'vdev', text, span);
    } else if (!st.accessSet) {
      st.accessSet = true;
      this.setAccess(text, span);
    } else {
      this.error({
        near: text,
        what: 'too many positional parameters',
        span,
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
