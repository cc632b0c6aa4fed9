/**
 * `xl shutdown [-a] [-w] [-F] <-a|Domain>` and `xl reboot …` (tools/xl/xl_vmcontrol.c
 * `main_shutdown_or_reboot`, `shutdown_domain`, `reboot_domain`,
 * `wait_for_domain_deaths`; xl-commands.md §2.1 "shutdown / reboot", §5.3).
 *
 * xl writes the request to the guest's control node and returns once the guest has
 * acknowledged it (up to 60 s), not when the domain has stopped — unless `-w`: once =
 * wait for shutdown or death, twice = wait for death.
 */
import { HostError } from '../../machine/errors.js';
import type { Host } from '../../machine/host.js';
import { countFlag, type CommandContext, type XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine, SITES } from '../format/log.js';
import { XlExit } from '../io.js';

/** libxl's ack timeout for a control request, ms (libxl_domain.c `pvcontrol`). */
export const ACK_TIMEOUT_MS = 60_000;

type What = 'shutdown' | 'reboot';

/**
 * Asks one domain to power off / reboot and waits for the guest's acknowledgement
 * (`-F`, the ACPI fallback, is accepted but never needed: every emulated guest has PV
 * drivers). Exits 1 on failure.
 */
async function requestOne(ctx: CommandContext, host: Host, domid: number, what: What): Promise<void> {
  ctx.err(what === 'shutdown' ? `Shutting down domain ${domid}\n` : `Rebooting domain ${domid}\n`);
  const fail = (rc: number): never => {
    ctx.err(`${what} failed (rc=${rc})\n`);
    throw new XlExit(1);
  };
  const noAck = async (): Promise<never> => {
    const until = host.now() + ACK_TIMEOUT_MS;
    await ctx.env.clock.sleepUntil(until);
    host.advanceTo(until);
    ctx.err(libxlLine('error', SITES.pvcontrol, domid, "guest didn't acknowledge control request: -9"));
    return fail(-9);
  };
  try {
    host.requestShutdown(domid, what === 'shutdown' ? 'poweroff' : 'reboot');
  } catch (e) {
    if (!(e instanceof HostError)) throw e;
    if (e.code === 'NO_SUCH_DOMAIN') {
      ctx.err(libxlLine('error', SITES.domainType, undefined, `unable to get domain type for domid=${domid}`));
      fail(-3);
    }
    // Domain-0 and an already shut down guest never clear the control node: libxl times out.
    if (e.code === 'DOMAIN_0' || e.code === 'INVALID_STATE') await noAck();
    fail(-3);
  }
  const ack = host.shutdownAckTime(domid);
  const deadline = host.now() + ACK_TIMEOUT_MS;
  const until = ack === undefined || ack > deadline ? deadline : ack;
  await ctx.env.clock.sleepUntil(until);
  host.advanceTo(Math.max(until, host.now()));
  if (ack === undefined || ack > deadline) {
    ctx.err(libxlLine('error', SITES.pvcontrol, domid, "guest didn't acknowledge control request: -9"));
    fail(-9);
  }
}

/**
 * xl's `wait_for_domain_deaths`: follows the host's time and reports, from the host's
 * event log (starting at event index `since`), each target's shutdown and death.
 * `shutdownOrDeath` (`-w` once) stops at a domain's shutdown; `-w -w` waits for its death.
 */
async function waitForDeaths(ctx: CommandContext, host: Host, domids: number[], since: number, shutdownOrDeath: boolean): Promise<void> {
  ctx.err(`Waiting for ${domids.length} domains\n`);
  const pending = new Set(domids);
  let index = since;
  const drain = (): void => {
    for (const ev of host.events(index)) {
      if (!pending.has(ev.domid)) continue;
      if (ev.kind === 'shutdown') {
        ctx.err(`Domain ${ev.domid} has been shut down, reason code ${ev.reason}\n`);
        if (shutdownOrDeath) pending.delete(ev.domid);
        else ctx.err(`Domain ${ev.domid} continue waiting for death\n`);
      } else if (ev.kind === 'destroyed') {
        ctx.err(`Domain ${ev.domid} has been destroyed\n`);
        pending.delete(ev.domid);
      }
    }
    index = host.eventCount();
  };
  drain();
  while (pending.size > 0) {
    const next = host.nextEventTime();
    if (next === undefined) break;
    const t = Math.max(next, host.now());
    await ctx.env.clock.sleepUntil(t);
    host.advanceTo(t);
    drain();
  }
}

function module(what: What): XlCommandModule {
  return {
    name: what,
    minArgs: 0,
    options: (cmd) => cmd.option('-a, --all').option('-w, --wait', '', countFlag, 0).option('-F'),
    async run(ctx) {
      const o = ctx.opts as { all?: boolean; wait: number; F?: boolean };
      if (ctx.args[0] === undefined && !o.all) {
        ctx.err('You must specify -a or a domain id.\n\n');
        return 1;
      }
      return ctx.withHost(async (host) => {
        const targets = o.all
          ? host.listDomains().filter((d) => d.domid !== 0).map((d) => d.domid)
          : [findDomain(host, ctx.args[0]!, ctx.err)];
        const since = host.eventCount();
        for (const id of targets) await requestOne(ctx, host, id, what);
        if (o.wait > 0) await waitForDeaths(ctx, host, targets, since, o.wait === 1);
        return 0;
      });
    },
  };
}

/** `xl shutdown`: `Shutting down domain <id>` per target, then wait for the guest's ack. */
export const shutdownCommand: XlCommandModule = module('shutdown');
/** `xl reboot`: `Rebooting domain <id>` per target, then wait for the guest's ack. */
export const rebootCommand: XlCommandModule = module('reboot');
