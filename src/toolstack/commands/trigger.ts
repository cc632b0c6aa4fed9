/**
 * `xl trigger <Domain> <nmi|reset|init|power|sleep|s3resume> [<VCPU>]` and the
 * deprecated `xl button-press <Domain> <power|sleep>` (tools/xl/xl_misc.c
 * `main_trigger`, `main_button_press`; tools/libs/light/libxl_domain.c
 * `libxl_send_trigger`, `domain_s3_resume`; xen/arch/x86/domctl.c
 * XEN_DOMCTL_sendtrigger; xl-commands.md §0.9).
 *
 * xl ignores libxl's result: a refused trigger prints libxl's `Send trigger '<t>' failed:
 * <strerror>` and still exits 0 (on x86 `init`/`reset` are not implemented: ENOSYS;
 * `power`/`sleep` need an HVM guest: EINVAL). Only a name that does not resolve (1), an
 * unknown trigger or button (1) fail the command. The guest reacts as controls.ts says
 * (an NMI line on a Linux console, a clean power-off on the power button, S3 on the sleep
 * button). Domain-0 is never powered off this way: it is a PV domain (EINVAL).
 */
import type { TriggerName } from '../../machine/controls.js';
import type { Host } from '../../machine/host.js';
import { STRERROR, XenError } from '../../machine/xen-error.js';
import type { CommandContext, XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine, SITES } from '../format/log.js';
import { MORE_SITES as S } from '../format/log-sites.js';

const TRIGGERS: readonly TriggerName[] = ['unknown', 'power', 'sleep', 'nmi', 'init', 'reset', 's3resume'];

/** libxl_send_trigger with its log lines; never fails the command. */
function send(ctx: CommandContext, host: Host, domid: number, trigger: TriggerName, vcpu: number): void {
  if (trigger === 's3resume') {
    const d = host.domain(domid);
    if (!d) ctx.err(libxlLine('error', SITES.domainType, undefined, `unable to get domain type for domid=${domid}`));
    if (!d || d.type !== 'hvm') {
      ctx.err(libxlLine('error', S.s3resumeDone, domid, `Send trigger 's3resume' failed, rc=-6`));
      return;
    }
  }
  try {
    host.sendTrigger(domid, trigger, vcpu);
  } catch (e) {
    if (!(e instanceof XenError)) throw e;
    ctx.err(libxlLine('error', S.sendTrigger, domid, `Send trigger '${trigger}' failed`, STRERROR[e.errno]));
  }
}

/** `xl trigger`: send an NMI, an ACPI button or a wake-up to a domain. */
export const triggerCommand: XlCommandModule = {
  name: 'trigger',
  minArgs: 2,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const name = ctx.args[1]!;
      const trigger = TRIGGERS.find((t) => t === name.toLowerCase());
      if (!trigger) {
        ctx.err(`Invalid trigger "${name}"\n`);
        return 1;
      }
      let vcpu = 0;
      const arg = ctx.args[2];
      if (arg !== undefined) {
        const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(arg);
        vcpu = m ? Number(BigInt.asIntN(32, BigInt(m[1]!))) : 0;
        if (!m) ctx.err('Invalid vcpuid, using default vcpuid=0.\n\n');
      }
      // A negative int becomes a huge uint32_t vCPU id: Xen answers ESRCH.
      send(ctx, host, domid, trigger, vcpu < 0 ? 0xffffffff : vcpu);
      return 0;
    }),
};

/** `xl button-press`: `power` or `sleep` through `trigger`, after xl's deprecation warning. */
export const buttonPressCommand: XlCommandModule = {
  name: 'button-press',
  minArgs: 2,
  run: (ctx) => {
    ctx.err('WARNING: "button-press" is deprecated. Please use "trigger"\n');
    return ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const b = ctx.args[1]!;
      if (b !== 'power' && b !== 'sleep') {
        ctx.err(`${b} is an invalid button identifier\n`);
        return 1;
      }
      send(ctx, host, domid, b, 0);
      return 0;
    });
  },
};
