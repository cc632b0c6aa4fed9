/**
 * The xl monitor: what `xl create` leaves running in the background to act on a guest's
 * shutdown (tools/xl/xl_vmcontrol.c `handle_domain_death`, xl-commands.md §5.3). It is
 * not part of the hypervisor: the hypervisor only marks the domain shut down with a
 * reason; the monitor reads the config's `on_poweroff` / `on_reboot` / `on_crash` /
 * `on_watchdog` / `on_soft_reset` and destroys, restarts, renames-and-restarts,
 * preserves or soft-resets the domain. A domain created with `xl create -e` has no
 * monitor, so it just stays shut down.
 */
import type { DomainConfig } from '../parser/libxl.js';
import { ShutdownReason } from './api.js';
import type { Ctx } from './ctx.js';
import type { DomainRecord } from './records.js';
import { numKey } from './tables.js';

/** The monitor sleeps this long between destroy and re-create on restart, ms (xl_vmcontrol.c). */
export const RESTART_DELAY_MS = 2000;

/** xl's names for libxl_action_on_shutdown values, as its log and `action` events print them. */
export const ACTION_NAMES: Readonly<Record<string, string>> = {
  destroy: 'destroy',
  restart: 'restart',
  restart_rename: 'rename-restart',
  preserve: 'preserve',
  coredump_destroy: 'coredump-destroy',
  coredump_restart: 'coredump-restart',
  soft_reset: 'soft-reset',
};

/** What the monitor needs from the host to act (host.ts supplies them; avoids an import cycle). */
export interface MonitorOps {
  destroy(ctx: Ctx, rec: DomainRecord): void;
  /** Reboots the same domain in place (soft reset). */
  softReset(ctx: Ctx, rec: DomainRecord, config: DomainConfig): void;
  rename(ctx: Ctx, rec: DomainRecord, name: string): void;
  freshUuid(ctx: Ctx): string;
}

/** `YYYYMMDDTHHMMZ` of a virtual time (UTC), xl's rename-restart suffix. */
export function renameSuffix(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}Z`;
}

/** The configured action for `reason` (libxl defaults: reboot → restart, soft reset → soft_reset, others destroy). */
export function actionFor(config: DomainConfig, reason: ShutdownReason): string {
  switch (reason) {
    case ShutdownReason.Poweroff:
      return config.on_poweroff ?? 'destroy';
    case ShutdownReason.Reboot:
      return config.on_reboot ?? 'restart';
    case ShutdownReason.Crash:
      return config.on_crash ?? 'destroy';
    case ShutdownReason.Watchdog:
      return config.on_watchdog ?? 'destroy';
    case ShutdownReason.SoftReset:
      return config.on_soft_reset ?? 'soft_reset';
    default:
      return 'none';
  }
}

/** The `configFile` of `rec` as a restart event's data (empty when it has none). */
function cfgFile(rec: DomainRecord): { configFile?: string } {
  return rec.configFile === undefined ? {} : { configFile: rec.configFile };
}

/**
 * The domain `rec` has just shut down with `reason`: if it has a monitor, run the
 * configured action (a suspended domain is left to whoever suspended it, as xl save
 * does). Restarts are queued `RESTART_DELAY_MS` later as `restart` events.
 */
export function onShutdown(ctx: Ctx, rec: DomainRecord, reason: ShutdownReason, ops: MonitorOps): void {
  if (!rec.monitor || reason === ShutdownReason.Suspend) return;
  const config = ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
  if (!config) return;
  const configured = actionFor(config, reason);
  ctx.emit({ kind: 'action', at: ctx.now, domid: rec.domid, action: ACTION_NAMES[configured] ?? 'destroy' });
  switch (configured) {
    case 'preserve':
      return;
    case 'restart':
    case 'coredump_restart': {
      // xl reloads a config stored by `xl config-update` (userdata "xl") for the restart.
      const saved = structuredClone(rec.pendingConfig ?? config);
      ops.destroy(ctx, rec);
      ctx.schedule(ctx.now + RESTART_DELAY_MS, 'restart', rec.domid, { name: rec.name, config: saved, ...cfgFile(rec) });
      return;
    }
    case 'restart_rename': {
      const oldName = rec.name;
      const saved = structuredClone(rec.pendingConfig ?? config);
      const newName = `${rec.name}-${renameSuffix(ctx.now)}`;
      if (ctx.domidByName(newName) !== undefined) {
        ops.destroy(ctx, rec);
      } else {
        ops.rename(ctx, rec, newName);
      }
      ctx.schedule(ctx.now + RESTART_DELAY_MS, 'restart', rec.domid, { name: oldName, config: saved, ...cfgFile(rec) });
      return;
    }
    case 'soft_reset':
      ops.softReset(ctx, rec, config);
      return;
    default:
      ops.destroy(ctx, rec);
  }
}
