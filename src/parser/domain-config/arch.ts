/**
 * xl_parse.c: architecture options (Arm `gic_version`, `tee`, `sve`, `nr_spis`; x86 `msr_relaxed`, `vpmu`) and the last keys xl reads.
 */
import { enumFromString, u32, Builder, setIf } from './builder.js';

/** Step 34: Arm options (`gic_version`, `tee`, `sve`, `nr_spis`). */
export function arm(b: Builder): void {
  const { b_info } = b;
  // step 34: Arm
  {
    const gic = b.str('gic_version', true);
    if (gic !== undefined) {
      const g = enumFromString(gic, ['default', 'v2', 'v3']);
      if (g === undefined) b.fatal(`Unknown gic_version "${gic}" specified\n`, 'XL128', 3, 'gic_version');
      if (g !== 'default') b_info.arch_arm.gic_version = g;
    }
    const tee = b.str('tee', true);
    if (tee !== undefined) {
      const t = enumFromString(tee, ['none', 'optee', 'ffa']);
      if (t === undefined) b.fatal(`Unknown tee "${tee}" specified\n`, 'XL128', 3, 'tee');
      if (t !== 'none') b_info.tee = t;
    }
    const sve = b.str('sve', true);
    if (sve !== undefined) {
      const names = ['hw', 'disabled', ...Array.from({ length: 16 }, (_, i) => String((i + 1) * 128))];
      const s = enumFromString(sve, names);
      if (s === undefined) b.fatal(`Unknown sve "${sve}" specified\n`, 'XL128', 1, 'sve');
      if (s !== 'disabled') b_info.arch_arm.sve_vl = s;
    }
    const spis = b.long('nr_spis');
    if (spis !== undefined && u32(spis) !== 0xffffffff) b_info.arch_arm.nr_spis = u32(spis);
  }
}

/** Step 36: `xend_suspend_evtchn_compat`, `msr_relaxed`, `vpmu`. */
export function lastOptions(b: Builder): void {
  const { c_info, b_info } = b;
  // step 36
  setIf(c_info, 'xend_suspend_evtchn_compat', b.defbool('xend_suspend_evtchn_compat'));
  const msr = b.defbool('msr_relaxed');
  if (msr !== undefined) {
    b_info.arch_x86.msr_relaxed = msr;
    b.say(
      'WARNING: msr_relaxed will be removed in future versions.\n' +
        'If it fixes an issue you are having please report to xen-devel@lists.xenproject.org.\n',
      'warning',
      'XL161',
      'msr_relaxed',
    );
  }
  setIf(b_info, 'vpmu', b.defbool('vpmu'));
}
