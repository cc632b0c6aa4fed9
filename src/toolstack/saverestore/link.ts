/**
 * How long moving guest memory takes in xlsim: save files are written, restores read and
 * migration streams sent at one modelled rate, by default 1 GiB/s (a 10 GbE link or a
 * fast disk). `XLSIM_LINK_MIBPS` sets it in MiB/s; `0` or `inf` makes transfers take no
 * time. Commands wait on the command's clock for it, so under a `VirtualClock` nothing
 * sleeps. Guest memory contents themselves are not stored (docs/compat.md).
 */

/** Default modelled transfer rate, MiB/s. */
export const DEFAULT_LINK_MIBPS = 1024;

/**
 * The modelled transfer rate, bytes per second (`Infinity` = instant), from
 * `XLSIM_LINK_MIBPS` (a positive number of MiB/s, `0` or `inf` for instant); an
 * unusable value falls back to the default.
 */
export function linkBytesPerSec(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.XLSIM_LINK_MIBPS?.trim().toLowerCase();
  if (raw === undefined || raw === '') return DEFAULT_LINK_MIBPS * 1024 * 1024;
  if (raw === '0' || raw === 'inf' || raw === 'infinity') return Infinity;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n * 1024 * 1024 : DEFAULT_LINK_MIBPS * 1024 * 1024;
}

/**
 * Time libxl takes to finish a restored domain once its memory is in, ms: the domain's
 * xenstore entries, its vCPU contexts, and each device's backend and hotplug script
 * (15 ms plus 5 ms per device, a modest figure for a local dom0). Part of a live
 * migration's downtime, and of `xl restore`.
 */
export function restoreOverheadMs(devices: number): number {
  return 15 + 5 * Math.max(0, devices);
}
