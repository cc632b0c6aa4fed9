/**
 * Cpupool argument resolution (tools/libs/light/libxl_utils.c `qualifier_to_id`,
 * `libxl_cpupool_qualifier_to_cpupoolid`, `libxl_name_to_cpupoolid`,
 * `libxl_cpupoolid_is_valid`): a non-empty all-digit argument is a pool id, anything else
 * a pool name (the first pool, by id, with that name).
 */
import type { PoolInfo } from '../machine/pools.js';

/** The pool named exactly `name` (lowest id first), as `libxl_name_to_cpupoolid`. */
export function cpupoolByName(pools: readonly PoolInfo[], name: string): PoolInfo | undefined {
  return pools.find((p) => p.name === name);
}

/**
 * The pool a qualifier names (`libxl_cpupool_qualifier_to_cpupoolid` followed by
 * `libxl_cpupoolid_is_valid`), or undefined: xl then prints `unknown cpupool '<q>'`.
 */
export function cpupoolByQualifier(pools: readonly PoolInfo[], q: string): PoolInfo | undefined {
  if (/^[0-9]+$/.test(q)) {
    const big = BigInt(q);
    const id = big > 0xffffffffn ? 0xffffffff : Number(big);
    return pools.find((p) => p.id === id);
  }
  return cpupoolByName(pools, q);
}
