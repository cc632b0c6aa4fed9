/**
 * Adapter from the key table (`keys.ts`, xl-cfg-format.md §3) to the few facts the lint
 * rules need about a key: is it known, how xl reads its value, for which guest types.
 */
import { lookupKey, suggestKey } from '../keys.js';
import type { KeyFacts } from './rules/rule.js';

const UNKNOWN: KeyFacts = { known: false, numeric: false, bool: false, list: false, scalar: false, nested: false };

/**
 * Facts about domain-config key `name`. Unknown keys get `known: false` and every
 * other flag false. `numeric` covers NUM, BOOL, MB and KB (read only with
 * `xlu_cfg_get_long`); `list` covers LIST, SPEC_LIST and LIST_OF_LISTS; `scalar` covers
 * STR, SPEC and the numeric types; the either-shape types (`STR|LIST`, `NUM|STR`,
 * `LIST|BOOL`) set neither.
 */
export function keyFacts(name: string): KeyFacts {
  const k = lookupKey(name);
  if (k === undefined) return UNKNOWN;
  const t = k.type;
  const numeric = t === 'NUM' || t === 'BOOL' || t === 'MB' || t === 'KB';
  const facts: KeyFacts = {
    known: true,
    numeric,
    bool: t === 'BOOL',
    list: t === 'LIST' || t === 'SPEC_LIST' || t === 'LIST_OF_LISTS',
    scalar: numeric || t === 'STR' || t === 'SPEC',
    nested: t === 'LIST_OF_LISTS',
  };
  if (k.for !== 'all') facts.types = k.for;
  if (k.arch !== undefined) facts.arch = k.arch;
  return facts;
}

/** The closest known domain-config key to a misspelt `name` ("did you mean"), if any. */
export function suggestKeyName(name: string): string | undefined {
  return suggestKey(name);
}

/** True when `name` is a key of `/etc/xen/xl.conf` (xl-cfg-format.md §3.11), not of a domain config. */
export function isXlConfKey(name: string): boolean {
  return lookupKey(name, 'xl.conf') !== undefined && lookupKey(name) === undefined;
}
