/**
 * The emulated Xen host's public surface (DESIGN.md "The machine"): import from here in
 * the toolstack and the TUI. The contract types live in `api.ts`.
 */
export * from './api.js';
export { Host, HostError, DEFAULT_SEED, MAX_DOMID, DOMID_REUSE_TIMEOUT_MS, RESTART_DELAY_MS, CONSOLE_MAX, EVENT_LOG_MAX, vdevToDevid } from './host.js';
export type { CreateOptions, DeviceInfo, EventChannelInfo } from './host.js';
export type { HostSeed, HostState, DomainRecord, DeviceRecord, EventChannelRecord, PendingRestart } from './state.js';
export { VirtualClock, WallClock } from './clock.js';
export { XenStore } from './xenstore.js';
export { toSnapshot, fromSnapshot, SNAPSHOT_VERSION } from './snapshot.js';
export type { HostSnapshot } from './snapshot.js';
export { guestOs, bootPlan, printkStamp, shutdownDelayMs, shutdownText } from './guest/bootlog.js';
export type { BootLine, BootContext, GuestOs } from './guest/bootlog.js';
export { CONRING_SIZE, conringAppend, xenBootLog, xenCommandLine } from './dmesg.js';
