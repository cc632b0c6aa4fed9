/**
 * Lint rules — Memory and vCPU relations (XL413, XL414, XL415, XL430), as xl_parse.c's memory and vCPU section reads them.
 *
 * Each rule is one {@link LintRule} record (codes with their severity, scope, check);
 * facts and sources are cited per rule (see `rule.ts` for the shared helpers).
 */
import { diag, num, type LintRule } from './rule.js';

// memory / vCPU relations: XL413, XL414, XL415, XL430


export const memoryAndVcpus: LintRule = {
  name: 'memory-and-vcpus',
  codes: { XL413: 'warning', XL414: 'error', XL415: 'warning', XL430: 'warning' },
  scope: 'file',
  check: (ctx) => {
    const mem = num(ctx, 'memory');
    const maxmem = num(ctx, 'maxmem');
    if (mem && maxmem && mem.n > maxmem.n) {
      ctx.report(
        diag('XL413', mem.s.value.range, `memory (${mem.n} MiB) is above maxmem (${maxmem.n} MiB): xl does not check this; the domain's ceiling is maxmem, so it can never reach its memory target; raise maxmem or lower memory`),
      );
    }
    if (maxmem && ctx.get('memory') === undefined && ctx.get('vnuma') === undefined) {
      ctx.report(
        diag('XL415', maxmem.s.nameRange, `maxmem without memory: xl sets memory = maxmem (${maxmem.n} MiB), so the domain starts with all of it (not the 32 MiB default, and not ballooned); add memory = … to start smaller`),
      );
    }
    const vcpus = num(ctx, 'vcpus');
    const maxv = num(ctx, 'maxvcpus');
    if (vcpus && vcpus.n < 1) {
      ctx.report(
        diag('XL430', vcpus.s.value.range, `vcpus = ${vcpus.n}: xl silently turns values below 1 into 1`, {
          fix: { description: 'write 1', edits: [{ range: vcpus.s.value.range, text: '1' }] },
        }),
      );
    }
    if (vcpus && maxv && maxv.n !== 0 && maxv.n < Math.max(1, vcpus.n)) {
      ctx.report(
        diag('XL414', maxv.s.value.range, `maxvcpus (${maxv.n}) is below vcpus (${vcpus.n}): xl refuses the config; maxvcpus must be at least vcpus`, {
          xl: 'xl: maxvcpus < vcpus',
        }),
      );
    }
  },
};
