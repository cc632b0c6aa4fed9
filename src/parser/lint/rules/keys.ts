/**
 * Lint rules — Keys: unknown, obsolete and deprecated keys (XL401–XL403), repeated keys (XL411), keys of the other architecture.
 *
 * Each rule is one {@link LintRule} record (codes with their severity, scope, check);
 * facts and sources are cited per rule (see `rule.ts` for the shared helpers).
 */
import type { Setting } from '../../types.js';
import { printable } from '../../grammar/messages.js';
import { firstOfEachKey, own, diag, type LintRule } from './rule.js';

// XL401 unknown key, XL402 obsolete key, XL403 deprecated key

/** Keys xl no longer reads (or reads only to print "ignoring"), with what to do instead (§3.10, §5.2). */
export const OBSOLETE_KEYS: Readonly<Record<string, string>> = {
  pvh: 'the PVHv1 switch of Xen 4.4–4.8 is no longer read; write type = "pvh"',
  device_model:
    'xl prints "WARNING: ignoring device_model directive." and uses the default device model; use device_model_override (with device_model_version)',
  vncviewer: 'xl ignores it; use "xl create -V" to start a VNC viewer',
  vif2: 'netchannel2 is not supported by xl; use vif',
  on_xend_start: 'an xend (xm) setting; xl never reads it',
  on_xend_stop: 'an xend (xm) setting; xl never reads it',
  bootargs: 'an xend (xm) setting; xl never reads it; use bootloader_args',
  cpu_cap: 'an xend (xm) setting; xl never reads it; use cap',
};

/** Deprecated keys xl still honours, with the modern spelling (§3.2, §3.6). */
export const DEPRECATED_KEYS: Readonly<Record<string, { instead: string; xl?: string }>> = {
  builder: { instead: 'type = "hvm" / "pv" (builder is deprecated since Xen 4.10)' },
  altp2mhvm: {
    instead: 'altp2m = "mixed" (or another altp2m mode)',
    xl: 'WARNING: Specifying "altp2mhvm" is deprecated. Please use "altp2m" instead.',
  },
  stdvga: { instead: 'vga = "stdvga" (stdvga is only consulted when vga is absent)' },
};

/** xm/xend-era keys xl does not read, with what to write instead (§3.10). */
export const XM_KEYS: Readonly<Record<string, string>> = {
  initrd: 'xl calls it ramdisk',
  vcpu_avail: 'xl takes vcpus (online at boot) and maxvcpus instead of a bitmap',
  cdrom: 'xl has no cdrom key: add the image to disk, e.g. disk = [ "/path.iso,,hdc,cdrom" ]',
  parallel: 'xl has no parallel-port key; pass it to QEMU with device_model_args_hvm',
  hostname: 'xm passed it on the kernel command line; xl does not: put ip=… or hostname in extra/cmdline',
  dhcp: 'xm passed it on the kernel command line; xl does not: put ip=dhcp in extra/cmdline',
  ip: 'xm passed it on the kernel command line; xl does not: put ip=… in extra/cmdline (or ip= in a vif spec for the hotplug script)',
  netmask: 'xm passed it on the kernel command line; xl does not: use extra/cmdline',
  gateway: 'xm passed it on the kernel command line; xl does not: use extra/cmdline',
  nics: 'xl creates one NIC per vif entry; remove nics',
  vscsi: 'xl does not support PV SCSI',
  vncconsole: 'xl ignores it; use "xl create -V" to start a VNC viewer',
};

/** Unknown (XL401, with "did you mean" within bounds), obsolete (XL402) and deprecated (XL403) keys. */
export const unknownKeys: LintRule = {
  name: 'unknown-keys',
  codes: { XL401: 'warning', XL402: 'warning', XL403: 'info' },
  scope: 'statement',
  check: (ctx) => {
    for (const s of firstOfEachKey(ctx.statements)) {
      if (own(OBSOLETE_KEYS, s.name) !== undefined) {
        ctx.report(
          diag('XL402', s.nameRange, `obsolete key \`${s.name}': ${own(OBSOLETE_KEYS, s.name)}`),
        );
        continue;
      }
      const dep = own(DEPRECATED_KEYS, s.name);
      if (dep !== undefined) {
        ctx.report(diag('XL403', s.nameRange, `\`${s.name}' is deprecated; write ${dep.instead}`, dep.xl ? { xl: dep.xl } : {}));
        continue;
      }
      if (ctx.keyFacts(s.name).known) continue;
      const xm = own(XM_KEYS, s.name);
      const guess = xm !== undefined || ctx.isXlConfKey(s.name) || ctx.atLimit() ? undefined : ctx.suggestKey(s.name);
      const msg =
        `unknown key \`${printable(s.name, 64)}': xl silently ignores it` +
        (xm !== undefined
          ? ` (an xm/xend key; ${xm})`
          : ctx.isXlConfKey(s.name)
            ? '; it is an xl.conf setting (/etc/xen/xl.conf), not a domain config key'
            : guess !== undefined
              ? `; did you mean \`${guess}'?`
              : '');
      ctx.report(
        diag('XL401', s.nameRange, msg, guess !== undefined
          ? { fix: { description: `rename to ${guess}`, edits: [{ range: s.nameRange, text: guess }] } }
          : {}),
      );
    }
  },
};


/** A key set more than once with `=` (XL411): xl keeps the last. */
export const repeatedKeys: LintRule = {
  name: 'repeated-keys',
  codes: { XL411: 'warning' },
  scope: 'statement',
  check: (ctx) => {
    const pending = new Map<string, Setting[]>();
    for (const s of ctx.statements) {
      const prev = pending.get(s.name) ?? [];
      if (s.op === '=' && prev.length > 0) {
        for (const p of prev) {
          ctx.report(
            diag('XL411', p.nameRange, `\`${s.name}' is assigned again on line ${s.range.start.line}; xl keeps only the last assignment, so this one is silently dropped`),
          );
        }
        pending.set(s.name, [s]);
      } else {
        prev.push(s);
        pending.set(s.name, prev);
      }
    }
  },
};


/** Keys of the other architecture (XL448), which xl reads and libxl ignores. */
export const archKeys: LintRule = {
  name: 'arch-keys',
  codes: { XL448: 'warning' },
  scope: 'statement',
  check: (ctx) => {
    for (const s of firstOfEachKey(ctx.statements)) {
      const arch = ctx.keyFacts(s.name).arch;
      if (arch === undefined || arch === ctx.facts.arch) continue;
      ctx.report(
        diag('XL448', s.nameRange, `\`${s.name}' only means something on ${arch === 'arm' ? 'Arm' : 'x86'} hosts; this host is ${ctx.facts.arch === 'arm' ? 'Arm' : 'x86'}, so it has no effect (or libxl refuses it at create)`),
      );
    }
  },
};
