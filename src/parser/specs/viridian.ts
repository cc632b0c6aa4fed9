/**
 * Viridian (Hyper-V) enlightenment groups for HVM guests (`viridian=[…]`), as
 * parse_config_data in tools/xl/xl_parse.c reads the list form (xl-cfg-format.md §4.19).
 * Group names are libxl_viridian_enlightenment (tools/libs/light/libxl_types.idl).
 */

import type { SpecMessage, SpecResult } from './types.js';
import { q, specMessage } from './split.js';

/** libxl_viridian_enlightenment names in enum order (index = bit number in the bitmaps). */
export const VIRIDIAN_GROUPS = [
  'base',
  'freq',
  'time_ref_count',
  'reference_tsc',
  'hcall_remote_tlb_flush',
  'apic_assist',
  'crash_ctl',
  'synic',
  'stimer',
  'hcall_ipi',
  'ex_processor_masks',
  'no_vp_limit',
  'cpu_hotplug',
] as const;

/** The groups `defaults` (and `viridian=1`) turns on. */
export const VIRIDIAN_DEFAULTS = [
  'base',
  'freq',
  'time_ref_count',
  'apic_assist',
  'crash_ctl',
  'no_vp_limit',
  'cpu_hotplug',
] as const;

/** Width of libxl's viridian_enable / viridian_disable bitmaps (LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH). */
export const VIRIDIAN_BITMAP_WIDTH = 64;

/** What a viridian list sets in libxl_domain_build_info's HVM part. */
export interface ViridianSettings {
  /** Groups named (or covered by `all`) in viridian_enable, enum order. */
  enable: string[];
  /** Groups in viridian_disable (`!name`), enum order. */
  disable: string[];
  /** `defaults` was listed: xl sets the `u.hvm.viridian` defbool, and libxl adds {@link VIRIDIAN_DEFAULTS} at build. */
  defaults: boolean;
  /** `all` was listed: xl sets every bit of viridian_enable (libxl_bitmap_set_any, {@link VIRIDIAN_BITMAP_WIDTH} bits). */
  all: boolean;
}

/**
 * Apply a viridian list to empty enable/disable sets (xl_parse.c, xl-cfg-format.md §4.19).
 *
 * Each item: a group name *(ci)* sets it in `enable` and clears it in `disable`; `!name`
 * does the opposite (the later entry wins); `all` (exact) sets every bit of the enable
 * bitmap without clearing `disable` (`enable` then lists every group and `all` is true);
 * `defaults` (exact) sets `defaults` — xl turns on the `viridian` defbool and libxl
 * enables {@link VIRIDIAN_DEFAULTS} when it builds the domain; the groups are not added
 * to `enable`. The number form (`viridian=1`) is the caller's: it equals `["defaults"]`.
 *
 * Error (code XL314, exit 3 — xl exits with `-ERROR_FAIL`):
 * `xl: unknown viridian enlightenment '<v>'\n`, where `<v>` is the item with its
 * leading `!` removed (so `!all` reports `all`).
 */
export function parseViridian(items: string[]): SpecResult<ViridianSettings> {
  const enable = new Set<string>();
  const disable = new Set<string>();
  let defaults = false;
  let all = false;
  for (const item of items) {
    if (item === 'all') {
      for (const g of VIRIDIAN_GROUPS) enable.add(g);
      all = true;
      continue;
    }
    if (item === 'defaults') {
      defaults = true;
      continue;
    }
    const neg = item.startsWith('!');
    const name = neg ? item.slice(1) : item;
    const g = VIRIDIAN_GROUPS.find((x) => x === name.toLowerCase());
    if (g === undefined) {
      const messages: SpecMessage[] = [
        specMessage(
          'XL314',
          'error',
          `xl: unknown viridian enlightenment '${name}'\n`,
          name === 'all' || name === 'defaults'
            ? `"!${name}" is not allowed: the specials all and defaults cannot be negated`
            : `unknown viridian group ${q(name)}: known groups are ${VIRIDIAN_GROUPS.join(', ')}, plus all and defaults`,
        ),
      ];
      return { messages, exitCode: 3 };
    }
    if (neg) {
      disable.add(g);
      enable.delete(g);
    } else {
      enable.add(g);
      disable.delete(g);
    }
  }
  const order = (s: Set<string>): string[] => VIRIDIAN_GROUPS.filter((g) => s.has(g));
  return { value: { enable: order(enable), disable: order(disable), defaults, all }, messages: [] };
}

/**
 * The enlightenment set libxl computes at domain build from {@link ViridianSettings}
 * (tools/libs/light/libxl_x86.c hvm_set_viridian_features): the default groups when
 * `defaults`, plus `enable`, minus `disable`. Fails, as libxl does at create, when a
 * group is both enabled and disabled or when any group is on without `base`.
 * Returns the group names in enum order, or an error sentence.
 */
export function effectiveViridian(v: ViridianSettings): { groups: string[] } | { error: string } {
  const on = new Set<string>(v.defaults ? VIRIDIAN_DEFAULTS : []);
  for (const g of v.enable) {
    if (v.disable.includes(g)) return { error: `${g} group both enabled and disabled` };
    on.add(g);
  }
  for (const g of v.disable) on.delete(g);
  if (on.size > 0 && !on.has('base')) return { error: 'base group not enabled' };
  return { groups: VIRIDIAN_GROUPS.filter((g) => on.has(g)) };
}
