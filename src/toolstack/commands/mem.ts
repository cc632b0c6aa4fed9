/**
 * `xl mem-set <Domain> <size>` and `xl mem-max <Domain> <size>` (tools/xl/xl_mem.c
 * `set_memory_target`, `set_memory_max`, tools/xl/xl_utils.c `parse_mem_size_kb`;
 * xl-commands.md §0.8, §2.1 "mem-set", "mem-max", §5.4).
 */
import { HostError } from '../../machine/errors.js';
import type { Host } from '../../machine/host.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine, SITES } from '../format/log.js';

/**
 * xl's `parse_mem_size_kb`: `strtoll` digits then at most one suffix letter
 * (case-insensitive): `t`, `g`, `m` or none (MiB), `k`, `b` (bytes, shifted down).
 * Returns KiB, or undefined where xl returns -1 (a longer or unknown suffix).
 */
export function parseMemSizeKb(mem: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]*)(.*)$/s.exec(mem)!;
  const digits = m[1]!;
  let rest = m[2]!;
  let kb = /[0-9]/.test(digits) ? BigInt(digits) : 0n;
  if (!/[0-9]/.test(digits)) rest = mem;
  if (rest.length > 1) return undefined;
  switch (rest.toLowerCase()) {
    case 't':
      kb <<= 30n;
      break;
    case 'g':
      kb <<= 20n;
      break;
    case '':
    case 'm':
      kb <<= 10n;
      break;
    case 'k':
      break;
    case 'b':
      kb >>= 10n;
      break;
    default:
      return undefined;
  }
  kb = BigInt.asIntN(64, kb);
  return kb === -1n ? undefined : Number(kb);
}

/**
 * Builds `xl mem-set` / `xl mem-max` (xl_mem.c `set_memory_target` / `set_memory_max`):
 * parse the size (MiB when no suffix), apply it, and on a refusal print libxl's error
 * line (only for a positive size, as libxl checks) and xl's `cannot set domid …` line, exit 1.
 */
function memCommand(spec: {
  name: string;
  apply: (host: Host, domid: number, kb: number) => void;
  site: keyof typeof SITES;
  libxlMessage: string;
  what: 'dynamic max' | 'static max';
}): XlCommandModule {
  return {
    name: spec.name,
    minArgs: 2,
    run: (ctx) =>
      ctx.withHost(async (host) => {
        const domid = findDomain(host, ctx.args[0]!, ctx.err);
        const mem = ctx.args[1]!;
        const kb = parseMemSizeKb(mem);
        if (kb === undefined) {
          ctx.err(`invalid memory size: ${mem}\n`);
          return 1;
        }
        try {
          spec.apply(host, domid, kb);
        } catch (e) {
          if (!(e instanceof HostError)) throw e;
          if (e.code === 'INVALID_ARGUMENT' && kb > 0) ctx.err(libxlLine('error', SITES[spec.site], domid, spec.libxlMessage));
          ctx.err(`cannot set domid ${domid} ${spec.what} memory to : ${mem}\n`);
          return 1;
        }
        return 0;
      }),
  };
}

/** `xl mem-set`: sets the balloon target; above memory/static-max → libxl's error, exit 1. */
export const memSetCommand: XlCommandModule = memCommand({
  name: 'mem-set',
  apply: (host, domid, kb) => host.setMemoryTarget(domid, kb),
  site: 'memDynamicMax',
  // libxl's message itself ends in a newline, so xl's output has a blank line after it.
  libxlMessage: 'memory_dynamic_max must be less than or equal to memory_static_max\n',
  what: 'dynamic max',
});

/** `xl mem-max`: sets memory/static-max and Xen's max; below the target → libxl's error (sic "or or"), exit 1. */
export const memMaxCommand: XlCommandModule = memCommand({
  name: 'mem-max',
  apply: (host, domid, kb) => host.setMaxMemory(domid, kb),
  site: 'memStaticMax',
  libxlMessage: 'memory_static_max must be greater than or or equal to memory_dynamic_max',
  what: 'static max',
});
