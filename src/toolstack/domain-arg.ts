/**
 * Domain argument resolution used by almost every command (tools/xl/xl_utils.c
 * `find_domain`, libxl `libxl_domain_qualifier_to_domid`; xl-commands.md §1.5).
 */
import type { Host } from '../machine/host.js';
import { XlExit } from './io.js';

/**
 * getopt-free qualifier parsing: a string of only digits (the empty string included, as in
 * libxl) is a domid taken as is — no existence check — converted like
 * `(uint32_t)strtoul(s, NULL, 10)`; anything else is a name to look up.
 */
export function qualifierToDomid(host: Host, qualifier: string): number | undefined {
  if (/^[0-9]*$/.test(qualifier)) {
    if (qualifier === '') return 0;
    let v = BigInt(qualifier);
    const ulongMax = (1n << 64n) - 1n;
    if (v > ulongMax) v = ulongMax;
    return Number(v & 0xffffffffn);
  }
  return host.domidByName(qualifier);
}

/**
 * xl's `find_domain`: the domid for `qualifier`, or — for a name no domain has — prints
 * `<arg> is an invalid domain identifier (rc=-6)` via `err` and throws `XlExit(1)`.
 */
export function findDomain(host: Host, qualifier: string, err: (s: string) => void): number {
  const domid = qualifierToDomid(host, qualifier);
  if (domid === undefined) {
    err(`${qualifier} is an invalid domain identifier (rc=-6)\n`);
    throw new XlExit(1);
  }
  return domid;
}
