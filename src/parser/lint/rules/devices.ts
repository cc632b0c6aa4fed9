/**
 * Lint rules — Devices: duplicate MACs and vdevs (XL416, XL417), disk spec traps (XL428, XL434), vif (XL433), vfb (XL432).
 *
 * Each rule is one {@link LintRule} record (codes with their severity, scope, check);
 * facts and sources are cited per rule (see `rule.ts` for the shared helpers).
 */
import { parseDiskSpecs } from '../../specs/disk.js';
import { BOOL_WORDS, readItems, specFields } from '../values.js';
import { own, diag, inside, quote, type LintRule } from './rule.js';

// devices: XL416 duplicate MAC, XL417 duplicate vdev, XL428 disk positional format,
// XL434 disk target= not last, XL433 vif trailing space, XL432 vfb atoi booleans

const DISK_FORMATS = new Set(['raw', 'qcow', 'qcow2', 'vhd', 'qed', 'empty']);
const DISK_PREFIX = /^(raw|qcow2?|vhd|iscsi|nbd|enbd|drbd|tapdisk|tap2?|aio|ioemu|file|phy):/;

/** Disk traps: duplicate vdev (XL417), the second positional field read as a format (XL428), `target=` not last (XL434). */
export const diskRules: LintRule = {
  name: 'disk-rules',
  codes: { XL417: 'error', XL428: 'error', XL434: 'error' },
  scope: 'file',
  check: (ctx) => {
    const items = readItems(ctx.get('disk'));
    items.forEach((v) => {
      const fields = v.value.split(',');
      let pos = 0;
      let positional = 0;
      let deprecated = false;
      for (let fi = 0; fi < fields.length; fi++) {
        const f = fields[fi]!;
        const start = pos;
        pos += f.length + 1;
        const t = f.replace(/^[ \t\n]+/, '');
        if (/^target=/.test(t)) {
          if (fi < fields.length - 1 && fields.slice(fi + 1).some((x) => x.trim() !== '')) {
            ctx.report(
              diag('XL434', inside(ctx, v, start, v.value.length), 'disk `target=` takes the whole rest of the spec, commas included, so the settings after it become part of the target path; put target= last'),
            );
          }
          return;
        }
        if (t.includes('=')) continue;
        if (['cdrom', 'direct-io-safe', 'discard', 'no-discard', 'trusted', 'untrusted', 'colo', 'no-colo'].includes(t)) continue;
        if (DISK_PREFIX.test(t)) deprecated = true;
        positional++;
        if (positional === 2 && !deprecated && t !== '' && !DISK_FORMATS.has(t)) {
          // Confirm with the disk grammar itself (it knows the xend empty-CD-ROM form
          // ",hdc:cdrom,r" and a format= given earlier).
          const parsed = parseDiskSpecs([v.value], ctx.source);
          const err = parsed.messages.find((m) => m.severity === 'error');
          if (err === undefined || !err.text.includes('unknown value for format')) return;
          const rest = fields.slice(fi + 1);
          const fixed = [...fields.slice(0, fi), '', f, ...rest].join(',');
          ctx.report(
            diag('XL428', inside(ctx, v, start, start + f.length), `the second positional field of a disk spec is the format, not the vdev: xl rejects ${quote(t)} as a format; write ${quote(fixed)} (empty format field) or name it vdev=${t}`, {
              xl: err.text.replace(/\n$/, ''),
              fix: { description: 'insert an empty format field', edits: [{ range: v.range, text: quote(fixed) }] },
            }),
          );
          return;
        }
      }
    });
    // Duplicate vdevs, from the builder's disks when available, else from vdev= fields.
    const seen = new Map<string, number>();
    items.forEach((v, i) => {
      const vdev = ctx.disks?.[i]?.vdev ?? parseDiskSpecs([v.value], ctx.source).value?.vdev;
      if (vdev === undefined || vdev === '') return;
      const first = seen.get(vdev);
      if (first !== undefined) {
        ctx.report(
          diag('XL417', v.range, `vdev ${vdev} is already used by disk ${first + 1} of this list: libxl cannot add a second device with the same virtual device name; give each disk its own vdev`),
        );
      } else seen.set(vdev, i);
    });
  },
};

/** vif traps: duplicate MACs (XL416), a trailing space in a value (XL433). */
export const vifRules: LintRule = {
  name: 'vif-rules',
  codes: { XL416: 'warning', XL433: 'warning' },
  scope: 'file',
  check: (ctx) => {
    const items = readItems(ctx.get('vif'));
    const macs = new Map<string, number>();
    items.forEach((v, i) => {
      let mac: string | undefined = ctx.nics?.[i]?.mac;
      for (const f of specFields(v.value)) {
        const lead = f.text.length - f.text.replace(/^ +/, '').length;
        const body = f.text.slice(lead);
        if (/ +$/.test(body) && body.includes('=')) {
          const trimmed = body.replace(/ +$/, '');
          ctx.report(
            diag('XL433', inside(ctx, v, f.start + lead + trimmed.length, f.start + f.text.length), `xl keeps trailing spaces in vif fields: the value of ${trimmed.slice(0, trimmed.indexOf('='))} is ${quote(trimmed.slice(trimmed.indexOf('=') + 1) + body.slice(trimmed.length))}; remove the spaces before the comma`),
          );
        }
        if (mac === undefined && body.startsWith('mac=')) mac = body.slice(4).trim();
      }
      if (mac === undefined) return;
      const key = mac.toLowerCase();
      const first = macs.get(key);
      if (first !== undefined) {
        ctx.report(
          diag('XL416', v.range, `MAC ${mac} is also used by vif ${first + 1}: xl accepts it, but two NICs with one MAC address confuse the bridge and the guest; give each vif its own mac=`),
        );
      } else macs.set(key, i);
    });
  },
};

const VFB_ATOI = ['vnc', 'sdl', 'opengl', 'vncunused', 'vncdisplay'];

/** vfb keys xl reads with atoi, so "yes"/"true" mean 0 (XL432). */
export const vfbRules: LintRule = {
  name: 'vfb-rules',
  codes: { XL432: 'warning' },
  scope: 'file',
  check: (ctx) => {
    for (const v of readItems(ctx.get('vfb'))) {
      for (const f of specFields(v.value)) {
        const body = f.text.replace(/^ +/, '');
        const eq = body.indexOf('=');
        if (eq < 0) continue;
        const k = body.slice(0, eq);
        const val = body.slice(eq + 1);
        if (!VFB_ATOI.includes(k) || /^\s*[+-]?\d/.test(val)) continue;
        const off = f.start + (f.text.length - body.length) + eq + 1;
        const word = own(BOOL_WORDS, val.trim().toLowerCase());
        ctx.report(
          diag('XL432', inside(ctx, v, off, off + val.length), `vfb ${k}= is read with atoi, so ${quote(val)} counts as 0${k === 'vnc' || k === 'sdl' ? ` and ${k} is switched off` : ''}; write ${word ?? 'a number'}`),
        );
      }
    }
  },
};
