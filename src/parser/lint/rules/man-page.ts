/**
 * Lint rules — Traps documented in xl.cfg(5): rdm, mca_caps, channel connection, vsnd, pci vslot, on_* spelling (XL423–XL427, XL431).
 *
 * Each rule is one {@link LintRule} record (codes with their severity, scope, check);
 * facts and sources are cited per rule (see `rule.ts` for the shared helpers).
 */
import { readItems, scalar, specFields } from '../values.js';
import { diag, inside, quote, type LintRule } from './rule.js';

// man-page traps: XL423 rdm, XL424 mca_caps, XL425 channel connection, XL426 vsnd,
// XL427 pci vslot, XL431 on_* spelling

export const manPageTraps: LintRule = {
  name: 'man-page-traps',
  codes: { XL423: 'warning', XL424: 'error', XL425: 'error', XL426: 'error', XL427: 'error', XL431: 'error' },
  scope: 'file',
  check: (ctx) => {
    const rdm = scalar(ctx.get('rdm'));
    if (rdm !== undefined) {
      const m = /(?:^|,)\s*policy=(strict|relaxed)\b/i.exec(rdm.value);
      if (m) {
        const at = rdm.value.indexOf(m[0]) + m[0].indexOf('policy');
        ctx.report(
          diag('XL423', inside(ctx, rdm, at, at + 'policy='.length + m[1]!.length), `because of an upstream bug (Xen ≥ 4.15) any valid rdm policy makes xl drop the whole rdm setting, silently; remove policy=${m[1]} (libxl's default policy is relaxed)`),
        );
      }
    }
    for (const v of readItems(ctx.get('mca_caps'))) {
      if (v.value === 'default') {
        ctx.report(
          diag('XL424', v.range, 'xl.cfg(5) lists "default" for mca_caps, but xl only accepts "lmce" and refuses the config; remove it', {
            xl: "ERROR: unrecognized MCA capability 'default'.",
          }),
        );
      }
    }
    for (const v of readItems(ctx.get('channel'))) {
      for (const f of specFields(v.value)) {
        const m = /^(\s*connection\s*=\s*)(\S.*?)\s*$/.exec(f.text);
        if (!m) continue;
        const val = m[2]!;
        if ((val.toLowerCase() === 'pty' || val.toLowerCase() === 'socket') && val !== val.toLowerCase()) {
          const off = f.start + m[1]!.length;
          ctx.report(
            diag('XL425', inside(ctx, v, off, off + val.length), `channel connection must be lower case: xl rejects ${quote(val)} (the man page writes it in capitals); write ${val.toLowerCase()}`, {
              xl: `unknown channel connection '${val}'`,
            }),
          );
        }
      }
    }
    const vsnd = ctx.get('vsnd');
    if (vsnd !== undefined && vsnd.value.kind === 'list') {
      for (const card of vsnd.value.items) {
        if (card.kind !== 'list') continue;
        for (const it of card.items) {
          if (it.kind !== 'string') continue;
          for (const f of specFields(it.value)) {
            const body = f.text.trim();
            const lead = f.text.length - f.text.trimStart().length;
            const mf = /^sample-formats=(.*)$/.exec(body);
            if (mf) {
              const bad = mf[1]!.split(';').find((x) => /^(float|float64)_(le|be)$/i.test(x.trim()));
              if (bad !== undefined) {
                const good = bad.trim().toLowerCase().replace(/^float64/, 'f64').replace(/^float/, 'f32');
                const off = f.start + lead + body.indexOf(bad);
                ctx.report(
                  diag('XL426', inside(ctx, it, off, off + bad.length), `the man page spells this sample format ${bad.trim()}, but xl only knows ${good} and refuses the config`, {
                    xl: `Invalid pcm format: ${bad.trim()}`,
                  }),
                );
              }
            }
            if (/^id=/.test(body)) {
              const off = f.start + lead;
              ctx.report(
                diag('XL426', inside(ctx, it, off, off + 2), 'the man page example uses id= for a vsnd stream, but xl only knows unique-id= and refuses the config', {
                  xl: `Invalid parameter: ${body.split('=')[0]}`,
                }),
              );
            }
          }
        }
      }
    }
    for (const v of readItems(ctx.get('pci'))) {
      const m = /^([^,@]*)@([0-9a-fA-F]+)(?=,|$)/.exec(v.value);
      if (m && parseInt(m[2]!, 16) > 0x1f) {
        const off = m[1]!.length;
        ctx.report(
          diag('XL427', inside(ctx, v, off, off + 1 + m[2]!.length), `the virtual slot after @ is hexadecimal and must be at most 1f: @${m[2]} = ${parseInt(m[2]!, 16)} is out of range and xl refuses the config (the man page example @20 has this bug)`),
        );
      }
    }
    for (const ev of ['on_poweroff', 'on_reboot', 'on_watchdog', 'on_crash', 'on_soft_reset']) {
      const v = scalar(ctx.get(ev));
      if (v === undefined) continue;
      const fixed = v.value.replace(/_/g, '-').replace(/^restart-rename$/, 'rename-restart');
      const ok = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart', 'soft-reset'];
      if (!ok.includes(v.value) && ok.includes(fixed)) {
        ctx.report(
          diag('XL431', v.range, `xl spells on_* actions with hyphens: ${quote(v.value)} is refused; write ${quote(fixed)}`, {
            xl: `Unknown ${ev} action "${v.value}" specified`,
            fix: { description: `write "${fixed}"`, edits: [{ range: v.range, text: quote(fixed) }] },
          }),
        );
      }
    }
  },
};
