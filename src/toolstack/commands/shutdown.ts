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
/** How often a wait re-reads the host when it has nothing scheduled to wait for, ms. */
const POLL_MS = 200;

type What = 'shutdown' | 'reboot';

/**
 * Asks one domain to power off / reboot (`-F`, the ACPI fallback, is accepted but never
 * needed: every emulated guest has PV drivers). Prints xl's line first; on failure
 * prints xl's error and throws `XlExit(1)`. Domain-0 is refused at once: on a real host
 * the request would shut the whole machine down (docs/compat.md).
 */
function requestOne(ctx: CommandContext, host: Host, domid: number, what: What): 'sent' | 'dead' {
  ctx.err(what === 'shutdown' ? `Shutting down domain ${domid}\n` : `Rebooting domain ${domid}\n`);
  const fail = (rc: number): never => {
    ctx.err(`${what} failed (rc=${rc})\n`);
    throw new XlExit(1);
  };
  try {
    host.requestShutdown(domid, what === 'shutdown' ? 'poweroff' : 'reboot');
    return 'sent';
  } catch (e) {
    if (!(e instanceof HostError)) throw e;
    if (e.code === 'NO_SUCH_DOMAIN') {
      ctx.err(libxlLine('error', SITES.domainType, undefined, `unable to get domain type for domid=${domid}`));
      fail(-3);
    }
    if (e.code === 'DOMAIN_0') {
      ctx.err(`xlsim: Domain-0 is the host itself and is not ${what === 'shutdown' ? 'shut down' : 'rebooted'} through xl\n`);
      fail(-3);
    }
    // A guest that is already shut down never clears the control node: libxl times out.
    if (e.code === 'INVALID_STATE') return 'dead';
    return fail(-3);
  }
}

/**
 * Waits, without holding the host, until `probe` says done or `deadline` (host ms)
 * passes: each round reads a fresh snapshot of the host advanced to now. `probe`
 * returns whether it is done and, if it knows, when to look again.
 */
async function waitUntil(ctx: CommandContext, deadline: number, probe: (host: Host) => { done: boolean; next?: number }): Promise<boolean> {
  for (;;) {
    const r = await ctx.readHost((host) => ({ ...probe(host), now: host.now() }));
    if (r.done) return true;
    if (r.now >= deadline) return false;
    const t = Math.min(deadline, Math.max(r.now + 1, r.next ?? r.now + POLL_MS));
    await ctx.env.clock.sleepUntil(t);
  }
}

/**
 * libxl's pvcontrol wait: each guest must acknowledge its request (clear
 * `control/shutdown`) within ACK_TIMEOUT_MS, else `guest didn't acknowledge control
 * request: -9` and `<what> failed (rc=-9)`, exit 1.
 */
async function awaitAcks(ctx: CommandContext, targets: Map<number, 'sent' | 'dead'>, what: What, start: number): Promise<void> {
  const deadline = start + ACK_TIMEOUT_MS;
  for (const [domid, sent] of targets) {
    const acked = await waitUntil(ctx, deadline, (host) => {
      if (sent === 'dead') return { done: false, next: deadline };
      const node = host.xenstoreRead(`/local/domain/${domid}/control/shutdown`);
      if (!node || !host.domain(domid)) return { done: true };
      return { done: false, next: host.shutdownAckTime(domid) };
    });
    if (!acked) {
      ctx.err(libxlLine('error', SITES.pvcontrol, domid, "guest didn't acknowledge control request: -9"));
      ctx.err(`${what} failed (rc=-9)\n`);
      // Unlike xl, take back the request nobody acknowledged, so a paused guest does not
      // shut down by surprise when it is unpaused later (docs/compat.md).
      if (sent === 'sent') await ctx.withHost(async (host) => (host.withdrawShutdown(domid), 0));
      throw new XlExit(1);
    }
  }
}

/**
 * xl's `wait_for_domain_deaths`: follows the host and reports, from its event log
 * (starting at event index `since`), each target's shutdown and death.
 * `shutdownOrDeath` (`-w` once) stops at a domain's shutdown; `-w -w` waits for its death.
 */
async function waitForDeaths(ctx: CommandContext, domids: number[], since: number, shutdownOrDeath: boolean): Promise<void> {
  ctx.err(`Waiting for ${domids.length} domains\n`);
  const pending = new Set(domids);
  let index = since;
  await waitUntil(ctx, Number.MAX_SAFE_INTEGER, (host) => {
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
    // Nothing will ever happen to a domain that has nothing queued: stop rather than hang.
    const next = host.nextEventTime();
    return { done: pending.size === 0 || next === undefined, next };
  });
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
      const targets = new Map<number, 'sent' | 'dead'>();
      let since = 0;
      let start = 0;
      const status = await ctx.withHost(async (host) => {
        const ids = o.all ? host.listDomains().filter((d) => d.domid !== 0).map((d) => d.domid) : [findDomain(host, ctx.args[0]!, ctx.err)];
        since = host.eventCount();
        start = host.now();
        for (const id of ids) targets.set(id, requestOne(ctx, host, id, what));
        return 0;
      });
      if (status !== 0) return status;
      await awaitAcks(ctx, targets, what, start);
      if (o.wait > 0) await waitForDeaths(ctx, [...targets.keys()], since, o.wait === 1);
      return 0;
    },
  };
}

/** `xl shutdown`: `Shutting down domain <id>` per target, then wait for the guest's ack. */
export const shutdownCommand: XlCommandModule = module('shutdown');
/** `xl reboot`: `Rebooting domain <id>` per target, then wait for the guest's ack. */
export const rebootCommand: XlCommandModule = module('reboot');
