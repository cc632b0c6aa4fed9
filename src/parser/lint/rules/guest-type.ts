/**
 * Lint rules — Guest type: boot source (XL418), keys ignored for the type (XL419), timer_mode on PV (XL420), type prefixes (XL429).
 *
 * Each rule is one {@link LintRule} record (codes with their severity, scope, check);
 * facts and sources are cited per rule (see `rule.ts` for the shared helpers).
 */
import type { DomainType, HostFacts } from '../../libxl.js';
import type { Setting } from '../../types.js';
import { scalar } from '../values.js';
import { diag, quote, type LintRule } from './rule.js';

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

/** Guest-type rules: no boot source (XL418), keys the type ignores (XL419), timer_mode on PV (XL420), type prefixes (XL429). */
export const typeRules: LintRule = {
  name: 'type-rules',
  codes: { XL418: 'error', XL419: 'warning', XL420: 'error', XL429: 'warning' },
  scope: 'file',
  check: (ctx) => {
    for (const key of ['type', 'builder'] as const) {
      const v = scalar(ctx.get(key));
      if (v === undefined) continue;
      const words = key === 'type' ? ['hvm', 'pv', 'pvh'] : ['hvm', 'generic'];
      if (words.includes(v.value)) continue;
      const hit = words.find((w) => w.startsWith(v.value));
      if (hit === undefined) continue; // xl rejects: the builder reports "Invalid domain type".
      ctx.report(
        diag('XL429', v.range, `xl matches ${key} as a prefix, so ${quote(v.value)} means ${quote(hit)}; write it out`, {
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
          diag('XL418', t ? t.range : { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }, `a ${type.toUpperCase()} guest needs kernel =, bootloader = or firmware = (pvgrub): xl refuses the config${hint}`, {
            xl: 'Neither kernel nor bootloader specified',
          }),
        );
      }
    }
    if (type === 'pv' && ctx.get('timer_mode') !== undefined) {
      const s = ctx.get('timer_mode')!;
      ctx.report(
        diag('XL420', s.nameRange, 'timer_mode is not supported for PV guests: xl refuses the config; remove it', {
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
        diag('XL419', s.nameRange, `\`${s.name}' is read only for ${only} guests; this is a ${type.toUpperCase()} guest, so xl silently ignores it`),
      );
    }
  },
};
