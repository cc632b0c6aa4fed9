/**
 * PCI passthrough: `xl pci-assignable-add [-n NAME] <BDF>`, `xl pci-assignable-remove
 * [-r] <BDF>|NAME`, `xl pci-assignable-list [-n]`, `xl pci-attach <Domain>
 * <PCI_SPEC_STRING>`, `xl pci-detach [-f] <Domain> <PCI_SPEC_STRING>`, `xl pci-list
 * <Domain>` (tools/xl/xl_pci.c, Xen 4.20.0; libxl_pci.c; the BDF and PCI_SPEC_STRING
 * grammars are the parser's, libxlu_pci.c).
 *
 * xl prints nothing of its own on success or libxl failure: libxl's lines
 * (format/device-log.ts) then exit 1. A malformed argument: `pci-attach: malformed
 * PCI_SPEC_STRING "<s>"` (libxlu's reason, if any, first and without a newline, as
 * libxlu prints it), `pci-detach: …` likewise, `pci-assignable-add: malformed BDF "<s>"`,
 * `pci-assignable-remove: malformed BDF '<s>'` — each exit 2. pci-assignable-remove tries
 * its argument as a name first (libxl's name2bdf), then as a BDF. pci-list prints
 * `Vdev Device` and a `%02x.%01x %04x:%02x:%02x.%01x` row per device (nothing at all
 * for none); pci-assignable-list a `%04x:%02x:%02x.%01x %s` row per assignable device,
 * its name only with `-n`.
 */
import { DeviceError } from '../../machine/device-errors.js';
import { HostError } from '../../machine/errors.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { addrmLine, DEVICE_SITES, ERROR_FAIL, noDomainLines, pciAddLines, shortBdf } from '../format/device-log.js';
import { libxlLine } from '../format/log.js';

/** `dddd:bb:ss.f` (PCI_BDF). */
function bdfString(p: { domain: number; bus: number; dev: number; func: number }): string {
  return `${p.domain.toString(16).padStart(4, '0')}:${p.bus.toString(16).padStart(2, '0')}:${p.dev.toString(16).padStart(2, '0')}.${p.func.toString(16)}`;
}

/** Parses a PCI_SPEC_STRING as xl's pciattach/pcidetach do; undefined after printing the failure. */
async function parseSpec(spec: string, cmd: 'pci-attach' | 'pci-detach', err: (s: string) => void): Promise<Record<string, unknown> | undefined> {
  const { parsePciSpec } = await import('../../parser/specs/pci.js');
  const r = parsePciSpec(spec, {});
  if (r.value && r.exitCode === undefined) return r.value;
  // libxlu's own complaint (no newline: XLU__PCI_ERR prints it bare), then xl's line.
  for (const m of r.messages) if (!m.text.startsWith('unable to parse PCI_SPEC_STRING')) err(m.text);
  err(`${cmd}: malformed PCI_SPEC_STRING "${spec}"\n`);
  return undefined;
}

/** `xl pci-attach`. */
export const pciAttachCommand: XlCommandModule = {
  name: 'pci-attach',
  minArgs: 2,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const pci = await parseSpec(ctx.args[1]!, 'pci-attach', ctx.err);
      if (!pci) return 2;
      try {
        host.dev.pciAttach(domid, pci);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        if (e instanceof DeviceError && e.reason === 'pci-domain-0') {
          ctx.err(libxlLine('error', DEVICE_SITES.pciAssign, 0, 'xc_assign_device failed', 'Invalid argument'));
          ctx.err(pciAddLines(new DeviceError('INVALID_ARGUMENT', 'pci-no-device', '', 0, { bdf: bdfString(numbers(pci)) }), 0));
        } else if (e instanceof DeviceError) {
          ctx.err(pciAddLines(e, domid));
        } else {
          if (e.code === 'NO_SUCH_DOMAIN') ctx.err(noDomainLines(domid));
          ctx.err(libxlLine('error', DEVICE_SITES.pciAddFailed, domid, `libxl__device_pci_add failed for PCI device ${shortBdf(bdfString(numbers(pci)))} (rc ${ERROR_FAIL})`));
        }
        ctx.err(addrmLine('add'));
        return 1;
      }
      return 0;
    }),
};

/** The BDF numbers of a parsed libxl_device_pci (0 where left out). */
function numbers(p: Record<string, unknown>): { domain: number; bus: number; dev: number; func: number } {
  const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
  return { domain: n(p.domain), bus: n(p.bus), dev: n(p.dev), func: n(p.func) };
}

/** `xl pci-detach [-f]`. */
export const pciDetachCommand: XlCommandModule = {
  name: 'pci-detach',
  minArgs: 2,
  options: (cmd) => cmd.option('-f'),
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const pci = await parseSpec(ctx.args[1]!, 'pci-detach', ctx.err);
      if (!pci) return 2;
      const force = ctx.opts.f === true;
      try {
        host.dev.pciDetach(domid, pci);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        const reason = e instanceof DeviceError ? e.reason : undefined;
        if (e.code === 'NO_SUCH_DOMAIN') ctx.err(noDomainLines(domid));
        if (reason === 'pci-not-attached') ctx.err(libxlLine('error', DEVICE_SITES.pciNotAttached, domid, 'PCI device not attached to this domain'));
        if (force && (reason === 'pci-not-attached' || reason === 'pci-none-attached')) {
          // -f goes on regardless: Xen refuses to deassign what the domain does not own, and
          // libxl then finds nothing to remove from xenstore; the command still succeeds.
          ctx.err(libxlLine('error', DEVICE_SITES.pciDeassign, domid, 'xc_deassign_device failed', 'No such device'));
          if (reason === 'pci-not-attached') ctx.err(libxlLine('error', DEVICE_SITES.pciNotOnXenstore, domid, "Couldn't find the device on xenstore"));
          return 0;
        }
        ctx.err(addrmLine('remove'));
        return 1;
      }
      return 0;
    }),
};

/** `xl pci-list`. */
export const pciListCommand: XlCommandModule = {
  name: 'pci-list',
  minArgs: 1,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const list = host.dev.pciList(domid);
      if (list.length === 0) return 0;
      let out = 'Vdev Device\n';
      for (const p of list) {
        out += `${((p.vdevfn >> 3) & 0x1f).toString(16).padStart(2, '0')}.${(p.vdevfn & 7).toString(16)} ${bdfString(p)}\n`;
      }
      ctx.out(out);
      return 0;
    }),
};

/** `xl pci-assignable-add [-n NAME] <BDF>` (rebind on: xl always asks libxl to remember the driver). */
export const pciAssignableAddCommand: XlCommandModule = {
  name: 'pci-assignable-add',
  minArgs: 1,
  options: (cmd) => cmd.option('-n, --name <name>'),
  async run(ctx) {
    const { parsePciBdf } = await import('../../parser/specs/pci.js');
    const arg = ctx.args[0]!;
    const p = parsePciBdf(arg);
    if (!p) {
      ctx.err(`pci-assignable-add: malformed BDF "${arg}"\n`);
      return 2;
    }
    const bdf = bdfString(p);
    const name = typeof ctx.opts.name === 'string' ? ctx.opts.name : undefined;
    return ctx.withHost(async (host) => {
      const warnPciback = (): void => ctx.err(libxlLine('warning', DEVICE_SITES.pciAlreadyPciback, undefined, `${bdf} already assigned to pciback`));
      try {
        const r = host.dev.pciAssignableAdd(bdf, name);
        if (r.alreadyAssigned) warnPciback();
        if (r.unboundRebindTo) ctx.err(libxlLine('info', DEVICE_SITES.pciUnboundRebind, undefined, `${bdf} not bound to a driver, will be rebound to ${r.unboundRebindTo}`));
        else if (r.unboundRebindTo === null) ctx.err(libxlLine('warning', DEVICE_SITES.pciUnboundNoRebind, undefined, `${bdf} not bound to a driver, will not be rebound.`));
      } catch (e) {
        if (!(e instanceof DeviceError)) throw e;
        if (e.reason === 'pci-name-too-long') ctx.err(libxlLine('error', DEVICE_SITES.pciNameTooLong, undefined, 'Name too long'));
        else if (e.reason === 'pci-name-unprintable') ctx.err(libxlLine('error', DEVICE_SITES.pciNameUnprintable, undefined, 'Names may only include printable characters'));
        else if (e.reason === 'pci-no-device') ctx.err(libxlLine('error', DEVICE_SITES.pciLstat, undefined, `Couldn't lstat /sys/bus/pci/devices/${bdf}`, 'No such file or directory'));
        else if (e.reason === 'pci-assigned-elsewhere') {
          warnPciback();
          ctx.err(libxlLine('error', DEVICE_SITES.pciQuarantine, undefined, `failed to quarantine ${bdf}`));
        }
        return 1;
      }
      return 0;
    });
  },
};

/** `xl pci-assignable-remove [-r] <BDF>|NAME`. */
export const pciAssignableRemoveCommand: XlCommandModule = {
  name: 'pci-assignable-remove',
  minArgs: 1,
  options: (cmd) => cmd.option('-r'),
  async run(ctx) {
    const { parsePciBdf } = await import('../../parser/specs/pci.js');
    const ident = ctx.args[0]!;
    const rebind = ctx.opts.r === true;
    let malformed = false;
    const status = await ctx.withHost(async (host) => {
      let r;
      try {
        try {
          r = host.dev.pciAssignableRemove({ name: ident }, rebind);
        } catch (e) {
          if (!(e instanceof DeviceError) || e.reason !== 'pci-name-unknown') throw e;
          const p = parsePciBdf(ident);
          if (!p) {
            malformed = true;
            return 2;
          }
          r = host.dev.pciAssignableRemove({ bdf: bdfString(p) }, rebind);
        }
      } catch (e) {
        if (!(e instanceof DeviceError)) throw e;
        ctx.err(libxlLine('error', DEVICE_SITES.pciDequarantine, undefined, `failed to de-quarantine ${String(e.facts.bdf ?? ident)}`));
        return 1;
      }
      if (r.notBound) ctx.err(libxlLine('warning', DEVICE_SITES.pciNotPciback, undefined, 'Not bound to pciback'));
      if (typeof r.rebound === 'string') ctx.err(libxlLine('info', DEVICE_SITES.pciRebinding, undefined, `Rebinding to driver at ${r.rebound}`));
      else if (r.rebound === null) ctx.err(libxlLine('warning', DEVICE_SITES.pciNoDriverPath, undefined, "Couldn't find path for original driver; not rebinding"));
      return 0;
    });
    if (malformed) ctx.err(`pci-assignable-remove: malformed BDF '${ident}'\n`);
    return status;
  },
};

/** `xl pci-assignable-list [-n]`. */
export const pciAssignableListCommand: XlCommandModule = {
  name: 'pci-assignable-list',
  minArgs: 0,
  options: (cmd) => cmd.option('-n, --show-names'),
  run: (ctx) =>
    ctx.readHost(async (host) => {
      const names = ctx.opts.showNames === true;
      let out = '';
      for (const p of host.dev.pciAssignable()) out += `${p.bdf} ${names ? (p.name ?? '') : ''}\n`;
      ctx.out(out);
      return 0;
    }),
};
