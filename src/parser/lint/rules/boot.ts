/**
 * Lint rules — Kernel command line and HVM direct boot (XL421, XL422, XL437).
 *
 * Each rule is one {@link LintRule} record (codes with their severity, scope, check);
 * facts and sources are cited per rule (see `rule.ts` for the shared helpers).
 */
import { scalar } from '../values.js';
import { diag, type LintRule } from './rule.js';

// kernel command line and HVM direct boot: XL421, XL422, XL437

export const kernelRules: LintRule = {
  name: 'kernel-rules',
  codes: { XL421: 'warning', XL422: 'warning', XL437: 'error' },
  scope: 'file',
  check: (ctx) => {
    const cmdline = ctx.get('cmdline');
    if (cmdline !== undefined) {
      for (const k of ['root', 'extra']) {
        const s = ctx.get(k);
        if (s === undefined) continue;
        ctx.report(
          diag('XL421', s.nameRange, `\`${k}' is ignored because cmdline is set (xl prints "Warning: ignoring root= and extra= in favour of cmdline="); put everything in cmdline`, {
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
          diag('XL422', ctx.get('kernel')!.nameRange, 'an HVM guest does not boot hvmloader through kernel =: xl warns and drops the kernel setting; remove it (hvmloader is the default) or use firmware_override', {
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
          diag('XL437', s.nameRange, `\`${k}' is a direct-boot setting, but this HVM guest has no kernel =: libxl refuses to create the domain ("direct boot parameters specified but kernel missing")`),
        );
        break;
      }
    }
  },
};
