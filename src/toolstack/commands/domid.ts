/**
 * `xl domid <DomainName>` and `xl domname <DomainId>` (tools/xl/xl_info.c `main_domid`,
 * `main_domname`; xl-commands.md §3.10).
 */
import type { XlCommandModule } from '../command.js';

/** `xl domid`: name → id on stdout. */
export const domidCommand: XlCommandModule = {
  name: 'domid',
  minArgs: 1,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const name = ctx.args[0]!;
      const domid = host.domidByName(name);
      if (domid === undefined) {
        ctx.err(`Can't get domid of domain name '${name}', maybe this domain does not exist.\n`);
        return 1;
      }
      ctx.out(`${domid}\n`);
      return 0;
    }),
};

/**
 * C `strtol(s, &end, 10)` as xl uses it: leading white space, an optional sign, then
 * digits. Returns the value (saturated to the C long range) and whether any digit was read.
 */
export function strtol10(s: string): { value: bigint; digits: boolean } {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)/.exec(s)!;
  if (m[2] === '') return { value: 0n, digits: false };
  let v = BigInt(m[2]!);
  if (m[1] === '-') v = -v;
  const max = (1n << 63n) - 1n;
  const min = -(1n << 63n);
  if (v > max) v = max;
  if (v < min) v = min;
  return { value: v, digits: true };
}

/** `xl domname`: id → name on stdout. The id is `strtol`'d, so `3abc` means 3. */
export const domnameCommand: XlCommandModule = {
  name: 'domname',
  minArgs: 1,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const { value, digits } = strtol10(ctx.args[0]!);
      if (!digits) {
        ctx.err('Invalid domain id.\n\n');
        return 1;
      }
      const domid = Number(BigInt.asUintN(32, value));
      const d = host.domain(domid);
      if (!d) {
        ctx.err(`Can't get domain name of domain id '${domid}', maybe this domain does not exist.\n`);
        return 1;
      }
      ctx.out(`${d.name}\n`);
      return 0;
    }),
};
