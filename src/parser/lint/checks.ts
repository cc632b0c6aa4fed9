/**
 * The XL4xx lint rules: traps that real xl accepts silently but misreads (warnings),
 * things xl or libxl reject that a person should learn before `xl create` (errors), and
 * style notes (info). Each rule is a function over a {@link RuleContext}; rule codes,
 * titles and severities are listed in `rules.ts` and documented in docs/rules.md.
 *
 * Facts come from shared/reference/xl-cfg-format.md (section numbers cited per rule)
 * and the Xen sources it names: tools/libs/util/libxlu_cfg.c (getters, `+=`, dequoting),
 * tools/xl/xl_parse.c (`parse_config_data`), tools/libs/util/libxlu_disk_l.l (disk
 * positional order), tools/libs/util/libxlu_pci.c (vslot, rdm),
 * tools/libs/light/libxl_create.c (creation-time checks, §5.3).
 */
import type { DomainType, HostFacts } from '../libxl.js';
import type { Diagnostic, Range, Setting, Severity, StringValue } from '../types.js';
import { parseDiskSpecs } from '../specs/disk.js';
import { type LineIndex, spanToRange, walkLiteral } from './text.js';
import { BOOL_WORDS, cStrtol, readItems, scalar, specFields } from './values.js';

/** A text edit: replace `range` with `text`. */
export interface TextEdit {
  range: Range;
  text: string;
}

/** A suggested fix for a diagnostic (safe to apply mechanically). */
export interface LintFix {
  /** What the fix does, e.g. `replace "true" with 1`. */
  description: string;
  edits: TextEdit[];
}

/**
 * A lint diagnostic: the shared {@link Diagnostic} plus an optional fix and the line of
 * the setting it concerns. `xl` (inherited) holds the exact line real xl prints, when it
 * prints one, so the linter can drop its own duplicate of a builder message.
 */
export interface LintDiagnostic extends Diagnostic {
  fix?: LintFix;
}

/**
 * What the linter knows about one configuration key, derived from `keys.ts` (§3).
 * `numeric`: read only through `xlu_cfg_get_long` (NUM, BOOL, MB), so a string or
 * `+=` makes xl ignore it. `list`: read only as a list. `scalar`: read only as a single
 * value. Keys accepting either form have both `list` and `scalar` false.
 */
export interface KeyFacts {
  known: boolean;
  numeric: boolean;
  bool: boolean;
  list: boolean;
  scalar: boolean;
  /** The key consumes nested lists (only `vnuma` and `vsnd`, §1.3). */
  nested: boolean;
  /** Guest types for which xl reads the key; undefined = all types. */
  types?: readonly DomainType[];
  /** The architecture where the key means something, when it is arch specific. */
  arch?: 'x86' | 'arm';
}

/** Everything a rule may look at. */
export interface RuleContext {
  text: string;
  source: string;
  lines: LineIndex;
  facts: HostFacts;
  /** Statements as written, in file order. */
  statements: readonly Setting[];
  /** The setting xl reads for `name` (last assignment, `+=` resolved). */
  get(name: string): Setting | undefined;
  /** Resolved key names, in first-appearance order. */
  names(): readonly string[];
  /** The guest type xl derives (§5.1 "Type detection"); undefined when `type`/`builder` is invalid. */
  type: DomainType | undefined;
  keyFacts(name: string): KeyFacts;
  suggestKey(name: string): string | undefined;
  /** True when `name` belongs in `/etc/xen/xl.conf` rather than a domain config. */
  isXlConfKey(name: string): boolean;
  /** Devices as the builder produced them, when it got that far (disk/nic arrays, list order). */
  disks?: ReadonlyArray<{ vdev?: string }>;
  nics?: ReadonlyArray<{ mac?: string }>;
  report(d: LintDiagnostic): void;
}

/** One lint rule. */
export type Rule = (ctx: RuleContext) => void;

// ---------------------------------------------------------------------------------------
// helpers

/** `table[key]` for own properties only (a key such as `constructor` must not hit Object.prototype). */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function diag(
  severity: Severity,
  code: string,
  range: Range,
  message: string,
  extra: { xl?: string; fix?: LintFix } = {},
): LintDiagnostic {
  const d: LintDiagnostic = { severity, code, message, range };
  if (extra.xl !== undefined) d.xl = extra.xl;
  if (extra.fix !== undefined) d.fix = extra.fix;
  return d;
}

/** Range of `[s, e)` inside a string value's literal. */
function inside(ctx: RuleContext, v: StringValue, s: number, e: number): Range {
  return spanToRange(ctx.lines, v.range, v.value.length, [s, e]);
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** A getter-warning line as libxlu prints it (§1.7). */
function getterWarning(ctx: RuleContext, s: Setting, what: string): string {
  return `${ctx.source}:${s.lineno}: warning: ${what}`;
}

// ---------------------------------------------------------------------------------------
// XL401 unknown key, XL402 obsolete key, XL403 deprecated key

/** Keys xl no longer reads (or reads only to print "ignoring"), with what to do instead (§3.10, §5.2). */
export const OBSOLETE_KEYS: Readonly<Record<string, string>> = {
  pvh: 'the PVHv1 switch of Xen 4.4–4.8 is no longer read; write type = "pvh"',
  device_model:
    'xl prints "WARNING: ignoring device_model directive." and uses the default device model; use device_model_override (with device_model_version)',
  vncviewer: 'xl ignores it; use "xl create -V" to start a VNC viewer',
  vif2: 'netchannel2 is not supported by xl; use vif',
  on_xend_start: 'an xend (xm) setting; xl never reads it',
  on_xend_stop: 'an xend (xm) setting; xl never reads it',
  bootargs: 'an xend (xm) setting; xl never reads it; use bootloader_args',
  cpu_cap: 'an xend (xm) setting; xl never reads it; use cap',
};

/** Deprecated keys xl still honours, with the modern spelling (§3.2, §3.6). */
export const DEPRECATED_KEYS: Readonly<Record<string, { instead: string; xl?: string }>> = {
  builder: { instead: 'type = "hvm" / "pv" (builder is deprecated since Xen 4.10)' },
  altp2mhvm: {
    instead: 'altp2m = "mixed" (or another altp2m mode)',
    xl: 'WARNING: Specifying "altp2mhvm" is deprecated. Please use "altp2m" instead.',
  },
  stdvga: { instead: 'vga = "stdvga" (stdvga is only consulted when vga is absent)' },
};

/** xm/xend-era keys xl does not read, with what to write instead (§3.10). */
export const XM_KEYS: Readonly<Record<string, string>> = {
  initrd: 'xl calls it ramdisk',
  vcpu_avail: 'xl takes vcpus (online at boot) and maxvcpus instead of a bitmap',
  cdrom: 'xl has no cdrom key: add the image to disk, e.g. disk = [ "/path.iso,,hdc,cdrom" ]',
  parallel: 'xl has no parallel-port key; pass it to QEMU with device_model_args_hvm',
  hostname: 'xm passed it on the kernel command line; xl does not: put ip=… or hostname in extra/cmdline',
  dhcp: 'xm passed it on the kernel command line; xl does not: put ip=dhcp in extra/cmdline',
  ip: 'xm passed it on the kernel command line; xl does not: put ip=… in extra/cmdline (or ip= in a vif spec for the hotplug script)',
  netmask: 'xm passed it on the kernel command line; xl does not: use extra/cmdline',
  gateway: 'xm passed it on the kernel command line; xl does not: use extra/cmdline',
  nics: 'xl creates one NIC per vif entry; remove nics',
  vscsi: 'xl does not support PV SCSI',
  vncconsole: 'xl ignores it; use "xl create -V" to start a VNC viewer',
};

const unknownKeys: Rule = (ctx) => {
  const seen = new Set<string>();
  for (const s of ctx.statements) {
    if (seen.has(s.name)) continue;
    seen.add(s.name);
    if (own(OBSOLETE_KEYS, s.name) !== undefined) {
      ctx.report(
        diag('warning', 'XL402', s.nameRange, `obsolete key \`${s.name}': ${own(OBSOLETE_KEYS, s.name)}`),
      );
      continue;
    }
    const dep = own(DEPRECATED_KEYS, s.name);
    if (dep !== undefined) {
      ctx.report(diag('info', 'XL403', s.nameRange, `\`${s.name}' is deprecated; write ${dep.instead}`, dep.xl ? { xl: dep.xl } : {}));
      continue;
    }
    if (ctx.keyFacts(s.name).known) continue;
    const xm = own(XM_KEYS, s.name);
    const guess = xm !== undefined || ctx.isXlConfKey(s.name) ? undefined : ctx.suggestKey(s.name);
    const msg =
      `unknown key \`${s.name}': xl silently ignores it` +
      (xm !== undefined
        ? ` (an xm/xend key; ${xm})`
        : ctx.isXlConfKey(s.name)
          ? '; it is an xl.conf setting (/etc/xen/xl.conf), not a domain config key'
          : guess !== undefined
            ? `; did you mean \`${guess}'?`
            : '');
    ctx.report(
      diag('warning', 'XL401', s.nameRange, msg, guess !== undefined
        ? { fix: { description: `rename to ${guess}`, edits: [{ range: s.nameRange, text: guess }] } }
        : {}),
    );
  }
};

// ---------------------------------------------------------------------------------------
// numbers: XL404 boolean word, XL405 quoted number, XL406 not a number, XL407 octal,
// XL409 wrong shape, XL412 `+=` on a number

const numbers: Rule = (ctx) => {
  for (const name of ctx.names()) {
    const kf = ctx.keyFacts(name);
    const s = ctx.get(name);
    if (s === undefined || !kf.known) continue;
    if (kf.list && s.value.kind === 'string' && !kf.scalar) {
      ctx.report(
        diag('warning', 'XL409', s.value.range, `\`${name}' must be a list: xl prints a warning and ignores this value; write ${name} = [ ${s.value.token === 'STRING' ? quote(s.value.value) : s.value.value} ]`, {
          xl: getterWarning(ctx, s, `parameter \`${name}' is a single value but should be a list`),
          fix: {
            description: 'wrap the value in a list',
            edits: [{ range: s.value.range, text: `[ ${ctx.text.slice(s.value.range.start.offset, s.value.range.end.offset)} ]` }],
          },
        }),
      );
      continue;
    }
    if (kf.scalar && s.value.kind === 'list') {
      ctx.report(
        diag('warning', 'XL409', s.value.range, `\`${name}' takes a single value, not a list: xl prints a warning and ignores it`, {
          xl: getterWarning(ctx, s, `parameter \`${name}' is a list but should be a single value`),
        }),
      );
      continue;
    }
    if (!kf.numeric || s.value.kind !== 'string') continue;
    const v = s.value;
    if (s.op === '+=') {
      ctx.report(
        diag('warning', 'XL412', s.nameRange, `\`${name}' is read as a number, and libxlu refuses any setting made with +=: xl ignores it; use =`, {
          xl: getterWarning(ctx, s, `can't use += with numbers for parameter \`${name}'`),
        }),
      );
      continue;
    }
    const word = own(BOOL_WORDS, v.value.trim().toLowerCase());
    // Only for on/off keys: for a size or count, "true" is simply not a number (XL406 below).
    if (word !== undefined && v.token === 'STRING' && kf.bool) {
      ctx.report(
        diag('warning', 'XL404', v.range, `${quote(v.value)} is not a boolean to xl: booleans are numbers (0 = off, anything else = on), so xl prints "not a valid number" and keeps the default for \`${name}'; write ${word}`, {
          xl: getterWarning(ctx, s, `parameter \`${name}' is not a valid number`),
          fix: { description: `replace ${quote(v.value)} with ${word}`, edits: [{ range: v.range, text: word }] },
        }),
      );
      continue;
    }
    const r = cStrtol(v.value);
    const leadingZero = /^[+-]?0[0-9]/.test(v.value.trim());
    if (leadingZero) {
      const dec = v.value.trim().replace(/^([+-]?)0+(?=\d)/, '$1');
      const decText = v.token === 'STRING' && !/^[0-9]+$/.test(dec) ? quote(dec) : dec;
      if (r.ok) {
        if (r.value !== Number(dec)) {
          ctx.report(
            diag('warning', 'XL407', v.range, `${v.value} has a leading 0, so xl reads it as octal: \`${name}' = ${r.value}, not ${dec}; drop the leading zeros`, {
              fix: { description: `write ${decText}`, edits: [{ range: v.range, text: decText }] },
            }),
          );
        }
      } else {
        ctx.report(
          diag('warning', 'XL407', v.range, `${v.value} has a leading 0, so xl reads it as octal, and 8 and 9 are not octal digits: xl prints "not a valid number" and ignores \`${name}'; drop the leading zeros`, {
            xl: getterWarning(ctx, s, `parameter \`${name}' is not a valid number`),
            fix: { description: `write ${decText}`, edits: [{ range: v.range, text: decText }] },
          }),
        );
      }
      continue;
    }
    if (!r.ok) {
      if (r.reason === 'range') {
        ctx.report(
          diag('warning', 'XL406', v.range, `${quote(v.value)} does not fit in a 64-bit number: xl ignores \`${name}'`, {
            xl: getterWarning(ctx, s, `parameter \`${name}' could not be parsed as a number: Numerical result out of range`),
          }),
        );
      } else {
        const unit = /^\s*(\d+)\s*([kKmMgGtT])i?[bB]?\s*$/.exec(v.value);
        const hint = unit
          ? `; the config file has no unit suffixes (sizes are plain numbers in MiB, or KiB for *_kb keys)`
          : /^\s*\d+\.\d*\s*$/.test(v.value)
            ? '; xl has no fractional numbers'
            : '';
        ctx.report(
          diag('warning', 'XL406', v.range, `\`${name}' must be a whole number, but ${quote(v.value)} is not one: xl prints a warning and keeps the default${hint}`, {
            xl: getterWarning(ctx, s, `parameter \`${name}' is not a valid number`),
          }),
        );
      }
      continue;
    }
    const plain = v.value.trim();
    // Only a value the lexer accepts as a NUMBER token can lose its quotes (`"-5"` cannot).
    if (v.token === 'STRING' && /^[0-9][0-9a-fx]*$/.test(plain)) {
      ctx.report(
        diag('info', 'XL405', v.range, `\`${name}' is a number; the quotes are not needed (xl reads ${quote(v.value)} as ${r.value})`, {
          fix: { description: `write ${plain}`, edits: [{ range: v.range, text: plain }] },
        }),
      );
    }
  }
};

// ---------------------------------------------------------------------------------------
// XL408 octal escapes that vanish

const octalEscapes: Rule = (ctx) => {
  const visit = (v: StringValue): void => {
    if (v.token !== 'STRING') return;
    const raw = ctx.text.slice(v.range.start.offset, v.range.end.offset);
    for (const [a, b] of walkLiteral(raw).swallowed) {
      const start = v.range.start.offset + a;
      const esc = raw.slice(a, b);
      ctx.report(
        diag('warning', 'XL408', ctx.lines.range(start, start + esc.length), `the escape ${esc} produces no character at all: libxlu swallows octal-looking escapes, so this string reads as ${quote(v.value)}; write the character itself`),
      );
    }
  };
  for (const s of ctx.statements) {
    const stack = [s.value];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v.kind === 'string') visit(v);
      else for (let i = v.items.length - 1; i >= 0; i--) stack.push(v.items[i]!);
    }
  }
};

// ---------------------------------------------------------------------------------------
// XL410 nested lists that truncate, XL411 repeated keys

const nestedLists: Rule = (ctx) => {
  for (const name of ctx.names()) {
    const s = ctx.get(name)!;
    const kf = ctx.keyFacts(name);
    if (kf.nested || s.value.kind !== 'list') continue;
    const idx = s.value.items.findIndex((it) => it.kind === 'list');
    if (idx < 0) continue;
    const lost = s.value.items.length - idx;
    ctx.report(
      diag('warning', 'XL410', s.value.items[idx]!.range, `a nested list inside \`${name}' ends xl's reading of the list: this item and the ${lost - 1} after it are silently dropped; only vnuma and vsnd take nested lists`),
    );
  }
};

const repeatedKeys: Rule = (ctx) => {
  const pending = new Map<string, Setting[]>();
  for (const s of ctx.statements) {
    const prev = pending.get(s.name) ?? [];
    if (s.op === '=' && prev.length > 0) {
      for (const p of prev) {
        ctx.report(
          diag('warning', 'XL411', p.nameRange, `\`${s.name}' is assigned again on line ${s.range.start.line}; xl keeps only the last assignment, so this one is silently dropped`),
        );
      }
      pending.set(s.name, [s]);
    } else {
      prev.push(s);
      pending.set(s.name, prev);
    }
  }
};

// ---------------------------------------------------------------------------------------
// memory / vCPU relations: XL413, XL414, XL415, XL430

function num(ctx: RuleContext, name: string): { s: Setting; n: number } | undefined {
  const s = ctx.get(name);
  const v = scalar(s);
  if (s === undefined || v === undefined || s.op !== '=') return undefined;
  const r = cStrtol(v.value);
  return r.ok ? { s, n: r.value } : undefined;
}

const memoryAndVcpus: Rule = (ctx) => {
  const mem = num(ctx, 'memory');
  const maxmem = num(ctx, 'maxmem');
  if (mem && maxmem && mem.n > maxmem.n) {
    ctx.report(
      diag('warning', 'XL413', mem.s.value.range, `memory (${mem.n} MiB) is above maxmem (${maxmem.n} MiB): xl does not check this; the domain's ceiling is maxmem, so it can never reach its memory target; raise maxmem or lower memory`),
    );
  }
  if (maxmem && ctx.get('memory') === undefined && ctx.get('vnuma') === undefined) {
    ctx.report(
      diag('warning', 'XL415', maxmem.s.nameRange, `maxmem without memory: xl sets memory = maxmem (${maxmem.n} MiB), so the domain starts with all of it (not the 32 MiB default, and not ballooned); add memory = … to start smaller`),
    );
  }
  const vcpus = num(ctx, 'vcpus');
  const maxv = num(ctx, 'maxvcpus');
  if (vcpus && vcpus.n < 1) {
    ctx.report(
      diag('warning', 'XL430', vcpus.s.value.range, `vcpus = ${vcpus.n}: xl silently turns values below 1 into 1`, {
        fix: { description: 'write 1', edits: [{ range: vcpus.s.value.range, text: '1' }] },
      }),
    );
  }
  if (vcpus && maxv && maxv.n !== 0 && maxv.n < Math.max(1, vcpus.n)) {
    ctx.report(
      diag('error', 'XL414', maxv.s.value.range, `maxvcpus (${maxv.n}) is below vcpus (${vcpus.n}): xl refuses the config; maxvcpus must be at least vcpus`, {
        xl: 'xl: maxvcpus < vcpus',
      }),
    );
  }
};

// ---------------------------------------------------------------------------------------
// guest type: XL418 boot source, XL419 key ignored for type, XL420 timer_mode on PV,
// XL429 type prefix

const TYPE_WORDS: ReadonlyArray<[string, DomainType]> = [
  ['hvm', 'hvm'],
  ['pv', 'pv'],
  ['pvh', 'pvh'],
];

/**
 * The guest type xl derives (xl_parse.c, xl-cfg-format.md §3.2, §5.1): `type` as a
 * prefix of hvm/pv/pvh (in that order), else `builder` as a prefix of hvm/generic, else
 * the architecture default. Undefined when `type`/`builder` is invalid (xl exits).
 */
export function guestType(get: (n: string) => Setting | undefined, facts: HostFacts): DomainType | undefined {
  // A list is "absent" to xl's getter (it warns and goes on).
  const t = scalar(get('type'));
  if (t !== undefined) {
    for (const [w, ty] of TYPE_WORDS) if (w.startsWith(t.value)) return ty;
    return undefined;
  }
  const b = scalar(get('builder'));
  if (b !== undefined) {
    if ('hvm'.startsWith(b.value)) return 'hvm';
    if ('generic'.startsWith(b.value)) return 'pv';
    return undefined;
  }
  return facts.arch === 'arm' ? 'pvh' : 'pv';
}

const typeRules: Rule = (ctx) => {
  for (const key of ['type', 'builder'] as const) {
    const v = scalar(ctx.get(key));
    if (v === undefined) continue;
    const words = key === 'type' ? ['hvm', 'pv', 'pvh'] : ['hvm', 'generic'];
    if (words.includes(v.value)) continue;
    const hit = words.find((w) => w.startsWith(v.value));
    if (hit === undefined) continue; // xl rejects: the builder reports "Invalid domain type".
    ctx.report(
      diag('warning', 'XL429', v.range, `xl matches ${key} as a prefix, so ${quote(v.value)} means ${quote(hit)}; write it out`, {
        fix: { description: `write "${hit}"`, edits: [{ range: v.range, text: `"${hit}"` }] },
      }),
    );
  }
  const type = ctx.type;
  if (type === undefined) return;
  if (type === 'pv' || type === 'pvh') {
    if (ctx.get('kernel') === undefined && ctx.get('bootloader') === undefined && ctx.get('firmware') === undefined) {
      const t = ctx.get('type') ?? ctx.get('builder');
      const hvmKeys = ctx.names().filter((n) => {
        const ty = ctx.keyFacts(n).types;
        return ty !== undefined && ty.length === 1 && ty[0] === 'hvm';
      });
      const hint =
        t === undefined && hvmKeys.length > 0
          ? `; this file sets HVM-only keys (${hvmKeys.slice(0, 3).join(', ')}) but no type, and without type = "hvm" xl makes a PV guest`
          : '';
      ctx.report(
        diag('error', 'XL418', t ? t.range : { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }, `a ${type.toUpperCase()} guest needs kernel =, bootloader = or firmware = (pvgrub): xl refuses the config${hint}`, {
          xl: 'Neither kernel nor bootloader specified',
        }),
      );
    }
  }
  if (type === 'pv' && ctx.get('timer_mode') !== undefined) {
    const s = ctx.get('timer_mode')!;
    ctx.report(
      diag('error', 'XL420', s.nameRange, 'timer_mode is not supported for PV guests: xl refuses the config; remove it', {
        xl: 'ERROR: "timer_mode" option is not supported for PV guests.',
      }),
    );
  }
  const seen = new Set<string>();
  for (const s of ctx.statements) {
    if (seen.has(s.name) || s.name === 'timer_mode') continue;
    seen.add(s.name);
    const kf = ctx.keyFacts(s.name);
    if (!kf.known || kf.types === undefined || kf.types.includes(type)) continue;
    const only = kf.types.map((t) => t.toUpperCase()).join('/');
    ctx.report(
      diag('warning', 'XL419', s.nameRange, `\`${s.name}' is read only for ${only} guests; this is a ${type.toUpperCase()} guest, so xl silently ignores it`),
    );
  }
};

const archKeys: Rule = (ctx) => {
  const seen = new Set<string>();
  for (const s of ctx.statements) {
    if (seen.has(s.name)) continue;
    seen.add(s.name);
    const arch = ctx.keyFacts(s.name).arch;
    if (arch === undefined || arch === ctx.facts.arch) continue;
    ctx.report(
      diag('warning', 'XL448', s.nameRange, `\`${s.name}' only means something on ${arch === 'arm' ? 'Arm' : 'x86'} hosts; this host is ${ctx.facts.arch === 'arm' ? 'Arm' : 'x86'}, so it has no effect (or libxl refuses it at create)`),
    );
  }
};

// ---------------------------------------------------------------------------------------
// kernel command line and HVM direct boot: XL421, XL422, XL437

const kernelRules: Rule = (ctx) => {
  const cmdline = ctx.get('cmdline');
  if (cmdline !== undefined) {
    for (const k of ['root', 'extra']) {
      const s = ctx.get(k);
      if (s === undefined) continue;
      ctx.report(
        diag('warning', 'XL421', s.nameRange, `\`${k}' is ignored because cmdline is set (xl prints "Warning: ignoring root= and extra= in favour of cmdline="); put everything in cmdline`, {
          xl: 'Warning: ignoring root= and extra= in favour of cmdline=',
        }),
      );
    }
  }
  if (ctx.type !== 'hvm') return;
  const kernel = scalar(ctx.get('kernel'));
  if (kernel !== undefined) {
    const base = kernel.value.slice(kernel.value.lastIndexOf('/') + 1);
    if (base === 'hvmloader') {
      ctx.report(
        diag('warning', 'XL422', ctx.get('kernel')!.nameRange, 'an HVM guest does not boot hvmloader through kernel =: xl warns and drops the kernel setting; remove it (hvmloader is the default) or use firmware_override', {
          xl: 'WARNING: you seem to be using "kernel" directive to override HVM guest firmware. Ignore that. Use "firmware_override" instead if you really want a non-default firmware',
        }),
      );
      return;
    }
  }
  if (ctx.get('kernel') === undefined) {
    for (const k of ['ramdisk', 'cmdline', 'root', 'extra']) {
      const s = ctx.get(k);
      if (s === undefined) continue;
      ctx.report(
        diag('error', 'XL437', s.nameRange, `\`${k}' is a direct-boot setting, but this HVM guest has no kernel =: libxl refuses to create the domain ("direct boot parameters specified but kernel missing")`),
      );
      break;
    }
  }
};

// ---------------------------------------------------------------------------------------
// devices: XL416 duplicate MAC, XL417 duplicate vdev, XL428 disk positional format,
// XL434 disk target= not last, XL433 vif trailing space, XL432 vfb atoi booleans

const DISK_FORMATS = new Set(['raw', 'qcow', 'qcow2', 'vhd', 'qed', 'empty']);
const DISK_PREFIX = /^(raw|qcow2?|vhd|iscsi|nbd|enbd|drbd|tapdisk|tap2?|aio|ioemu|file|phy):/;

const diskRules: Rule = (ctx) => {
  const items = readItems(ctx.get('disk'));
  items.forEach((v) => {
    const fields = v.value.split(',');
    let pos = 0;
    let positional = 0;
    let deprecated = false;
    for (let fi = 0; fi < fields.length; fi++) {
      const f = fields[fi]!;
      const start = pos;
      pos += f.length + 1;
      const t = f.replace(/^[ \t\n]+/, '');
      if (/^target=/.test(t)) {
        if (fi < fields.length - 1 && fields.slice(fi + 1).some((x) => x.trim() !== '')) {
          ctx.report(
            diag('error', 'XL434', inside(ctx, v, start, v.value.length), 'disk `target=` takes the whole rest of the spec, commas included, so the settings after it become part of the target path; put target= last'),
          );
        }
        return;
      }
      if (t.includes('=')) continue;
      if (['cdrom', 'direct-io-safe', 'discard', 'no-discard', 'trusted', 'untrusted', 'colo', 'no-colo'].includes(t)) continue;
      if (DISK_PREFIX.test(t)) deprecated = true;
      positional++;
      if (positional === 2 && !deprecated && t !== '' && !DISK_FORMATS.has(t)) {
        // Confirm with the disk grammar itself (it knows the xend empty-CD-ROM form
        // ",hdc:cdrom,r" and a format= given earlier).
        const parsed = parseDiskSpecs([v.value], ctx.source);
        const err = parsed.messages.find((m) => m.severity === 'error');
        if (err === undefined || !err.text.includes('unknown value for format')) return;
        const rest = fields.slice(fi + 1);
        const fixed = [...fields.slice(0, fi), '', f, ...rest].join(',');
        ctx.report(
          diag('error', 'XL428', inside(ctx, v, start, start + f.length), `the second positional field of a disk spec is the format, not the vdev: xl rejects ${quote(t)} as a format; write ${quote(fixed)} (empty format field) or name it vdev=${t}`, {
            xl: err.text.replace(/\n$/, ''),
            fix: { description: 'insert an empty format field', edits: [{ range: v.range, text: quote(fixed) }] },
          }),
        );
        return;
      }
    }
  });
  // Duplicate vdevs, from the builder's disks when available, else from vdev= fields.
  const seen = new Map<string, number>();
  items.forEach((v, i) => {
    const vdev = ctx.disks?.[i]?.vdev ?? parseDiskSpecs([v.value], ctx.source).value?.vdev;
    if (vdev === undefined || vdev === '') return;
    const first = seen.get(vdev);
    if (first !== undefined) {
      ctx.report(
        diag('error', 'XL417', v.range, `vdev ${vdev} is already used by disk ${first + 1} of this list: libxl cannot add a second device with the same virtual device name; give each disk its own vdev`),
      );
    } else seen.set(vdev, i);
  });
};

const vifRules: Rule = (ctx) => {
  const items = readItems(ctx.get('vif'));
  const macs = new Map<string, number>();
  items.forEach((v, i) => {
    let mac: string | undefined = ctx.nics?.[i]?.mac;
    for (const f of specFields(v.value)) {
      const lead = f.text.length - f.text.replace(/^ +/, '').length;
      const body = f.text.slice(lead);
      if (/ +$/.test(body) && body.includes('=')) {
        const trimmed = body.replace(/ +$/, '');
        ctx.report(
          diag('warning', 'XL433', inside(ctx, v, f.start + lead + trimmed.length, f.start + f.text.length), `xl keeps trailing spaces in vif fields: the value of ${trimmed.slice(0, trimmed.indexOf('='))} is ${quote(trimmed.slice(trimmed.indexOf('=') + 1) + body.slice(trimmed.length))}; remove the spaces before the comma`),
        );
      }
      if (mac === undefined && body.startsWith('mac=')) mac = body.slice(4).trim();
    }
    if (mac === undefined) return;
    const key = mac.toLowerCase();
    const first = macs.get(key);
    if (first !== undefined) {
      ctx.report(
        diag('warning', 'XL416', v.range, `MAC ${mac} is also used by vif ${first + 1}: xl accepts it, but two NICs with one MAC address confuse the bridge and the guest; give each vif its own mac=`),
      );
    } else macs.set(key, i);
  });
};

const VFB_ATOI = ['vnc', 'sdl', 'opengl', 'vncunused', 'vncdisplay'];

const vfbRules: Rule = (ctx) => {
  for (const v of readItems(ctx.get('vfb'))) {
    for (const f of specFields(v.value)) {
      const body = f.text.replace(/^ +/, '');
      const eq = body.indexOf('=');
      if (eq < 0) continue;
      const k = body.slice(0, eq);
      const val = body.slice(eq + 1);
      if (!VFB_ATOI.includes(k) || /^\s*[+-]?\d/.test(val)) continue;
      const off = f.start + (f.text.length - body.length) + eq + 1;
      const word = own(BOOL_WORDS, val.trim().toLowerCase());
      ctx.report(
        diag('warning', 'XL432', inside(ctx, v, off, off + val.length), `vfb ${k}= is read with atoi, so ${quote(val)} counts as 0${k === 'vnc' || k === 'sdl' ? ` and ${k} is switched off` : ''}; write ${word ?? 'a number'}`),
      );
    }
  }
};

// ---------------------------------------------------------------------------------------
// man-page traps: XL423 rdm, XL424 mca_caps, XL425 channel connection, XL426 vsnd,
// XL427 pci vslot, XL431 on_* spelling

const manPageTraps: Rule = (ctx) => {
  const rdm = scalar(ctx.get('rdm'));
  if (rdm !== undefined) {
    const m = /(?:^|,)\s*policy=(strict|relaxed)\b/i.exec(rdm.value);
    if (m) {
      const at = rdm.value.indexOf(m[0]) + m[0].indexOf('policy');
      ctx.report(
        diag('warning', 'XL423', inside(ctx, rdm, at, at + 'policy='.length + m[1]!.length), `because of an upstream bug (Xen ≥ 4.15) any valid rdm policy makes xl drop the whole rdm setting, silently; remove policy=${m[1]} (libxl's default policy is relaxed)`),
      );
    }
  }
  for (const v of readItems(ctx.get('mca_caps'))) {
    if (v.value === 'default') {
      ctx.report(
        diag('error', 'XL424', v.range, 'xl.cfg(5) lists "default" for mca_caps, but xl only accepts "lmce" and refuses the config; remove it', {
          xl: "ERROR: unrecognized MCA capability 'default'.",
        }),
      );
    }
  }
  for (const v of readItems(ctx.get('channel'))) {
    for (const f of specFields(v.value)) {
      const m = /^(\s*connection\s*=\s*)(\S.*?)\s*$/.exec(f.text);
      if (!m) continue;
      const val = m[2]!;
      if ((val.toLowerCase() === 'pty' || val.toLowerCase() === 'socket') && val !== val.toLowerCase()) {
        const off = f.start + m[1]!.length;
        ctx.report(
          diag('error', 'XL425', inside(ctx, v, off, off + val.length), `channel connection must be lower case: xl rejects ${quote(val)} (the man page writes it in capitals); write ${val.toLowerCase()}`, {
            xl: `unknown channel connection '${val}'`,
          }),
        );
      }
    }
  }
  const vsnd = ctx.get('vsnd');
  if (vsnd !== undefined && vsnd.value.kind === 'list') {
    for (const card of vsnd.value.items) {
      if (card.kind !== 'list') continue;
      for (const it of card.items) {
        if (it.kind !== 'string') continue;
        for (const f of specFields(it.value)) {
          const body = f.text.trim();
          const lead = f.text.length - f.text.trimStart().length;
          const mf = /^sample-formats=(.*)$/.exec(body);
          if (mf) {
            const bad = mf[1]!.split(';').find((x) => /^(float|float64)_(le|be)$/i.test(x.trim()));
            if (bad !== undefined) {
              const good = bad.trim().toLowerCase().replace(/^float64/, 'f64').replace(/^float/, 'f32');
              const off = f.start + lead + body.indexOf(bad);
              ctx.report(
                diag('error', 'XL426', inside(ctx, it, off, off + bad.length), `the man page spells this sample format ${bad.trim()}, but xl only knows ${good} and refuses the config`, {
                  xl: `Invalid pcm format: ${bad.trim()}`,
                }),
              );
            }
          }
          if (/^id=/.test(body)) {
            const off = f.start + lead;
            ctx.report(
              diag('error', 'XL426', inside(ctx, it, off, off + 2), 'the man page example uses id= for a vsnd stream, but xl only knows unique-id= and refuses the config', {
                xl: `Invalid parameter: ${body.split('=')[0]}`,
              }),
            );
          }
        }
      }
    }
  }
  for (const v of readItems(ctx.get('pci'))) {
    const m = /^([^,@]*)@([0-9a-fA-F]+)(?=,|$)/.exec(v.value);
    if (m && parseInt(m[2]!, 16) > 0x1f) {
      const off = m[1]!.length;
      ctx.report(
        diag('error', 'XL427', inside(ctx, v, off, off + 1 + m[2]!.length), `the virtual slot after @ is hexadecimal and must be at most 1f: @${m[2]} = ${parseInt(m[2]!, 16)} is out of range and xl refuses the config (the man page example @20 has this bug)`),
      );
    }
  }
  for (const ev of ['on_poweroff', 'on_reboot', 'on_watchdog', 'on_crash', 'on_soft_reset']) {
    const v = scalar(ctx.get(ev));
    if (v === undefined) continue;
    const fixed = v.value.replace(/_/g, '-').replace(/^restart-rename$/, 'rename-restart');
    const ok = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart', 'soft-reset'];
    if (!ok.includes(v.value) && ok.includes(fixed)) {
      ctx.report(
        diag('error', 'XL431', v.range, `xl spells on_* actions with hyphens: ${quote(v.value)} is refused; write ${quote(fixed)}`, {
          xl: `Unknown ${ev} action "${v.value}" specified`,
          fix: { description: `write "${fixed}"`, edits: [{ range: v.range, text: quote(fixed) }] },
        }),
      );
    }
  }
};

// ---------------------------------------------------------------------------------------
// libxl creation-time refusals (§5.3): XL435 PoD conflicts, XL436 PV vNUMA,
// XL438 rombios, XL439 native_paravirt, XL440 usb + usbversion, XL441 nestedhvm+altp2mhvm

/** True when the config turns altp2m on (`altp2m` other than disabled/0, or `altp2mhvm` ≠ 0). */
function altp2mOn(ctx: RuleContext): boolean {
  const a = scalar(ctx.get('altp2m'))?.value.trim().toLowerCase();
  if (a !== undefined && a !== '' && a !== 'disabled' && a !== '0') return true;
  const h = num(ctx, 'altp2mhvm');
  return h !== undefined && h.n !== 0;
}

const libxlRules: Rule = (ctx) => {
  const type = ctx.type;
  const mem = num(ctx, 'memory');
  const maxmem = num(ctx, 'maxmem');
  const pod = (type === 'hvm' || type === 'pvh') && mem !== undefined && maxmem !== undefined && mem.n < maxmem.n;
  if (pod) {
    if (readItems(ctx.get('pci')).length > 0) {
      ctx.report(
        diag('error', 'XL435', mem!.s.nameRange, 'memory below maxmem makes this guest populate-on-demand, and libxl refuses PoD together with PCI passthrough ("IOMMU required for device passthrough but not supported together with PoD"); set memory = maxmem'),
      );
    } else if (ctx.get('vnuma') !== undefined) {
      ctx.report(
        diag('error', 'XL435', mem!.s.nameRange, 'memory below maxmem makes this guest populate-on-demand, and libxl refuses PoD together with vNUMA ("Cannot enable PoD and vNUMA at the same time"); set memory = maxmem'),
      );
    } else if (altp2mOn(ctx)) {
      ctx.report(
        diag('error', 'XL435', mem!.s.nameRange, 'memory below maxmem makes this guest populate-on-demand, and libxl refuses PoD together with altp2m ("Cannot enable PoD and ALTP2M at the same time"); set memory = maxmem'),
      );
    }
  }
  if (type === 'pv' && ctx.get('vnuma') !== undefined) {
    ctx.report(diag('error', 'XL436', ctx.get('vnuma')!.nameRange, 'libxl refuses vNUMA for PV guests ("PV vNUMA is not yet supported"); use an HVM or PVH guest or remove vnuma'));
  }
  if (type === 'hvm') {
    const bios = scalar(ctx.get('bios'));
    if (bios !== undefined && bios.value.toLowerCase() === 'rombios') {
      ctx.report(diag('error', 'XL438', bios.range, 'the only device model (qemu-xen) cannot use ROMBIOS: libxl refuses the domain ("qemu-xen does not support bios=rombios."); use seabios or ovmf'));
    }
    const usbv = ctx.get('usbversion');
    const usbOld = ctx.get('usb') ?? ctx.get('usbdevice');
    if (usbv !== undefined && usbOld !== undefined) {
      ctx.report(diag('error', 'XL440', usbv.nameRange, `libxl refuses usbversion together with ${usbOld.name} ("usbversion and/or usbredirection cannot be enabled with usb and/or usbdevice parameters."); keep one of them`));
    }
    const nested = num(ctx, 'nestedhvm');
    const alt = num(ctx, 'altp2mhvm');
    if (nested && alt && nested.n !== 0 && alt.n !== 0) {
      ctx.report(diag('error', 'XL441', alt.s.nameRange, 'libxl refuses nestedhvm together with altp2mhvm ("nestedhvm and altp2mhvm cannot be used together"); drop one'));
    }
  }
  const tsc = scalar(ctx.get('tsc_mode'));
  if (tsc !== undefined && (tsc.value.toLowerCase() === 'native_paravirt' || tsc.value === '3')) {
    ctx.report(diag('error', 'XL439', tsc.range, 'tsc_mode native_paravirt (PVRDTSCP) was removed from Xen: xl accepts it but libxl refuses the domain; use "default"'));
  }
};

// ---------------------------------------------------------------------------------------
// more creation-time refusals and silent wrap-arounds: XL442 emulated NIC on PV/PVH,
// XL443 channel without name, XL444 videoram minimum, XL445 reversed ioports range,
// XL446 negative size, XL447 9pfs required fields

/** Keys holding MiB sizes that xl stores into unsigned fields (§2.2 "Memory sizes"). */
const SIZE_KEYS = ['memory', 'maxmem', 'videoram', 'shadow_memory', 'stubdomain_memory', 'rdm_mem_boundary', 'mmio_hole'];

const deviceRefusals: Rule = (ctx) => {
  const type = ctx.type;
  if (type === 'pv' || type === 'pvh') {
    for (const v of readItems(ctx.get('vif'))) {
      for (const f of specFields(v.value)) {
        const body = f.text.replace(/^ +/, '');
        if (body !== 'type=ioemu') continue;
        const off = f.start + (f.text.length - body.length);
        ctx.report(
          diag('error', 'XL442', inside(ctx, v, off, off + body.length), `type=ioemu asks for an emulated NIC, which a ${type.toUpperCase()} guest cannot have: libxl refuses the domain ("trying to create PV or PVH guest with an emulated interface"); remove type=ioemu`),
        );
      }
    }
  }
  readItems(ctx.get('channel')).forEach((v, i) => {
    const hasName = specFields(v.value).some((f) => /^\s*name\s*=\s*\S/.test(f.text));
    if (!hasName) {
      ctx.report(
        diag('error', 'XL443', v.range, `this channel has no name=: xl accepts it, but libxl refuses the domain ("channel ${i} has no name"); add name=…`),
      );
    }
  });
  if (type === 'hvm') {
    const vram = num(ctx, 'videoram');
    const vga = scalar(ctx.get('vga'))?.value;
    const stdvga = num(ctx, 'stdvga');
    const kind = vga ?? (stdvga && stdvga.n !== 0 ? 'stdvga' : 'cirrus');
    const min: Record<string, [number, string]> = {
      cirrus: [8, 'videoram must be at least 8 MB for CIRRUS on QEMU_XEN'],
      stdvga: [16, 'videoram must be at least 16 MB for STDVGA on QEMU_XEN'],
      qxl: [128, '128 Mib videoram is the minimum for qxl default'],
    };
    const m = own(min, kind);
    if (vram && m && vram.n >= 0 && vram.n < m[0]) {
      ctx.report(
        diag('error', 'XL444', vram.s.value.range, `videoram = ${vram.n} MiB is below the ${m[0]} MiB the ${kind} adapter needs: libxl refuses the domain ("${m[1]}")`),
      );
    }
  }
  for (const v of readItems(ctx.get('ioports'))) {
    const m = /^\s*(?:0[xX])?([0-9a-fA-F]+)-(?:0[xX])?([0-9a-fA-F]+)\s*$/.exec(v.value);
    if (m && parseInt(m[2]!, 16) < parseInt(m[1]!, 16)) {
      ctx.report(
        diag('warning', 'XL445', v.range, `the ioport range ${v.value} ends before it starts: xl does not notice (it compares before reading the end) and passes a wrapped-around port count to libxl; write ${m[2]}-${m[1]}`),
      );
    }
  }
  for (const k of SIZE_KEYS) {
    const n = num(ctx, k);
    if (n && n.n < 0) {
      ctx.report(
        diag('warning', 'XL446', n.s.value.range, `${k} = ${n.n}: xl does not reject negative sizes; the value wraps around when stored as an unsigned number of KiB`),
      );
    }
  }
  for (const v of readItems(ctx.get('p9'))) {
    const keys = new Set(
      specFields(v.value).flatMap((f) => {
        const eq = f.text.indexOf('=');
        return eq > 0 && f.text.slice(eq + 1).trim() !== '' ? [f.text.slice(0, eq).trim()] : [];
      }),
    );
    const typ = /(?:^|,)\s*type\s*=\s*([^,]*)/.exec(v.value)?.[1]?.trim().toLowerCase();
    if (typ === 'xen_9pfsd') continue;
    const missing = ['tag', 'path', 'security_model'].filter((k) => !keys.has(k));
    if (missing.length > 0) {
      ctx.report(
        diag('error', 'XL447', v.range, `this 9pfs share lacks ${missing.join(', ')}: xl accepts it, but libxl refuses the domain ("9pfs spec missing required field!")`),
      );
    }
  }
};

// ---------------------------------------------------------------------------------------
// XL449 firmware prefix, XL450 passthrough disabled with devices, XL451 USB controller limits

const firmwareAndPassthrough: Rule = (ctx) => {
  const fw = scalar(ctx.get('firmware'));
  if (fw !== undefined) {
    const v = fw.value;
    if (ctx.type === 'hvm') {
      const known = ['rombios', 'seabios', 'ovmf', 'uefi', 'bios'];
      if ((v.toLowerCase() === 'uefi' || v.toLowerCase() === 'bios') && v !== v.toLowerCase()) {
        ctx.report(diag('warning', 'XL449', fw.range, `${quote(v)} is not a firmware name to xl (the match is case-sensitive), so it is read as the path of a firmware file; write ${quote(v.toLowerCase())}`));
      } else if (!known.includes(v.toLowerCase()) && 'uefi'.startsWith(v)) {
        ctx.report(diag('warning', 'XL449', fw.range, `xl matches firmware as a prefix: ${quote(v)} is read as "uefi" (OVMF); write "uefi" or "ovmf"`));
      } else if (!known.includes(v.toLowerCase()) && 'bios'.startsWith(v)) {
        ctx.report(diag('warning', 'XL449', fw.range, `xl matches firmware as a prefix: ${quote(v)} is read as "bios" (the default BIOS); write "bios" or "seabios"`));
      }
    } else if (ctx.type === 'pv' || ctx.type === 'pvh') {
      if (v !== 'pvgrub32' && v !== 'pvgrub64' && ('pvgrub32'.startsWith(v) || 'pvgrub64'.startsWith(v))) {
        ctx.report(
          diag('warning', 'XL449', fw.range, `xl accepts ${quote(v)} because it is a prefix of pvgrub32/pvgrub64, but then boots the file ${v}.bin in the Xen firmware directory, which does not exist; write "pvgrub32" or "pvgrub64"`),
        );
      }
    }
  }
  const pt = scalar(ctx.get('passthrough'));
  if (pt !== undefined && pt.value.toLowerCase() === 'disabled') {
    const devs = ['pci', 'dtdev'].filter((k) => readItems(ctx.get(k)).length > 0);
    if (devs.length > 0) {
      ctx.report(
        diag('error', 'XL450', pt.range, `passthrough = "disabled" but ${devs.join(' and ')} lists devices to pass through: libxl refuses the domain ("passthrough disabled but devices are specified")`),
      );
    }
  }
  for (const v of readItems(ctx.get('usbctrl'))) {
    let typ = 'auto';
    let version = 2;
    let ports: number | undefined;
    for (const f of specFields(v.value)) {
      const m = /^\s*(type|version|ports)=(.*)$/.exec(f.text);
      if (!m) continue;
      if (m[1] === 'type') typ = m[2]!.toLowerCase();
      else if (m[1] === 'version') version = parseInt(m[2]!, 10) || 0;
      else ports = parseInt(m[2]!, 10) || 0;
    }
    if (typ === 'auto') typ = ctx.type === 'hvm' ? 'devicemodel' : 'pv';
    let problem: string | undefined;
    if (typ === 'pv' || typ === 'qusb') {
      if (version !== 1 && version !== 2) problem = `a ${typ} USB controller is version 1 or 2, not ${version}`;
      else if (ports !== undefined && (ports < 1 || ports > 31)) problem = `a ${typ} USB controller has 1 to 31 ports, not ${ports}`;
    } else if (typ === 'devicemodel') {
      const want: Record<number, string> = { 1: 'exactly 2', 2: 'exactly 6', 3: '1 to 15' };
      if (own(want, String(version)) === undefined) problem = `an emulated USB controller is version 1, 2 or 3, not ${version}`;
      else if (ports !== undefined && ((version === 1 && ports !== 2) || (version === 2 && ports !== 6) || (version === 3 && (ports < 1 || ports > 15)))) {
        problem = `an emulated USB ${version}.0 controller has ${want[version]} ports, not ${ports}`;
      }
    }
    if (problem !== undefined) {
      ctx.report(diag('error', 'XL451', v.range, `${problem}: xl accepts the spec, but libxl refuses the controller when the domain is created`));
    }
  }
};

/**
 * The rules that look at one statement at a time, so they still make sense on the
 * statements recovered from a file that failed to parse.
 */
export const LOCAL_LINT_RULES: ReadonlySet<Rule> = new Set([unknownKeys, numbers, octalEscapes, nestedLists, repeatedKeys, archKeys]);

/**
 * Every XL4xx rule, in the order they run. Each is independent of the others and of
 * xl's processing order, so one run reports every problem even where xl would stop at
 * its first fatal error.
 */
export const LINT_RULES: readonly Rule[] = [
  unknownKeys,
  numbers,
  octalEscapes,
  nestedLists,
  repeatedKeys,
  memoryAndVcpus,
  typeRules,
  archKeys,
  kernelRules,
  diskRules,
  vifRules,
  vfbRules,
  manPageTraps,
  libxlRules,
  deviceRefusals,
  firmwareAndPassthrough,
];

