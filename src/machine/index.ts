/**
 * The emulated Xen host's public surface (DESIGN.md "The machine"): import from here in
 * the toolstack and the TUI. The contract types live in `api.ts`.
 */
export * from './api.js';
export {
  Host, HostError, DEFAULT_SEED, MAX_DOMID, DOMID_REUSE_TIMEOUT_MS, RESTART_DELAY_MS, CONSOLE_MAX, EVENT_LOG_MAX,
  initHost, completeSeed, xenbusStateName,
} from './host.js';
export type { CreateOptions, DeviceInfo, EventChannelInfo, ListOptions } from './host.js';
export type { HostSeed, DomainRecord, DeviceRecord, EventChannelRecord, GrantRecord, XsNode } from './records.js';
export { XenbusState, SCHEMA_VERSION } from './records.js';
export { netbackIfname } from './devices.js';
export { VirtualClock, WallClock } from './clock.js';
export { MemoryBackend, Tx, TABLES } from './tables.js';
export type { TableBackend, TableName } from './tables.js';
export { toSnapshot, fromSnapshot, SNAPSHOT_VERSION } from './snapshot.js';
export type { HostSnapshot } from './snapshot.js';
export { guestOs, bootPlan, printkStamp, shutdownDelayMs, shutdownText } from './guest/bootlog.js';
export type { BootLine, BootContext, GuestOs } from './guest/bootlog.js';
export { CONRING_SIZE, conringAppend, xenBootLog, xenCommandLine } from './dmesg.js';
