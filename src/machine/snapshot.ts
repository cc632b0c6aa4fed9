/**
 * Turns a `Host` into versioned JSON and back (DESIGN.md "The machine": `snapshot.ts`
 * is the only place that serialises). The toolstack's state store writes this to disk.
 *
 * Format: `{ "version": 1, "state": HostState }` where `HostState` (state.ts) is plain
 * JSON data. Round-trip is exact: `toSnapshot(fromSnapshot(toSnapshot(h)))` deep-equals
 * `toSnapshot(h)`, and a restored host advances exactly as the original would.
 * Version 1 snapshots written before the hypervisor console ring existed have no
 * `state.conring`; they stay valid and get the host's boot log on restore.
 */
import type { HostEvent } from './api.js';
import type { Clock } from './api.js';
import { HostError } from './errors.js';
import { Host } from './host.js';
import type { DomainRecord, HostState } from './state.js';

/** The current snapshot format version. */
export const SNAPSHOT_VERSION = 1;

/** A host snapshot: versioned plain data, safe for `JSON.stringify`. */
export interface HostSnapshot {
  version: 1;
  state: HostState;
}

/** Serialises a host (a deep copy; later changes to the host do not affect it). */
export function toSnapshot(host: Host): HostSnapshot {
  return { version: SNAPSHOT_VERSION, state: host.toState() };
}

type Check = (v: unknown) => boolean;
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const int: Check = (v) => typeof v === 'number' && Number.isInteger(v);
const str: Check = (v) => typeof v === 'string';
const bool: Check = (v) => typeof v === 'boolean';
const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (each: Check): Check => (v) => Array.isArray(v) && v.every(each);
const opt = (c: Check): Check => (v) => v === undefined || c(v);

function need(o: Record<string, unknown>, where: string, spec: Record<string, Check>): void {
  for (const [k, c] of Object.entries(spec)) {
    if (!c(o[k])) throw new HostError('INVALID_ARGUMENT', `invalid snapshot: bad ${where}.${k}`);
  }
}

const SEED_SPEC: Record<string, Check> = {
  hostname: str, nrCpus: int, nrNodes: int, coresPerSocket: int, threadsPerCore: int, cpuMhz: num,
  totalMemoryMiB: int, xenReservedMiB: int, xenMajor: int, xenMinor: int, xenExtra: str,
  scheduler: (v) => v === 'credit' || v === 'credit2', dom0Vcpus: int, dom0MemoryMiB: int, rngSeed: int,
};

const DOMAIN_SPEC: Record<string, Check> = {
  domid: int, name: str, uuid: str, type: (v) => v === 'pv' || v === 'hvm' || v === 'pvh',
  config: (v) => obj(v) && obj(v.c_info) && obj(v.b_info),
  os: (v) => v === 'linux' || v === 'windows' || v === 'unikernel',
  createdAt: num, pauseCount: int, phase: (v) => v === 'booting' || v === 'running' || v === 'shutdown',
  shutdownReason: opt(int), runMs: int,
  bootPlan: arr((l) => obj(l) && int(l.atMs) && str(l.text)), bootIndex: int,
  shutdownRequest: opt((v) => obj(v) && (v.reason === 'poweroff' || v.reason === 'reboot') && int(v.ackRunMs)),
  monitor: bool, online: arr(bool), vcpuTimeNs: arr(num), memKiB: int, targetKiB: int, maxMemKiB: opt(int),
  staticMaxKiB: opt(int), videoKiB: int, overheadKiB: int, weight: int, cap: int,
  devices: arr((d) => obj(d) && (d.kind === 'vbd' || d.kind === 'vif') && int(d.devid) && str(d.frontendPath)
    && str(d.backendPath) && int(d.state) && int(d.evtch) && int(d.backendEvtch) && int(d.ringRef) && int(d.rate)
    && int(d.backendDomid)),
  nextPort: int, nextGrant: int, hypercallBase: int, console: str, deviceModel: opt(str),
};

const EVENT_KINDS = new Set(['created', 'paused', 'unpaused', 'destroyed', 'shutdown', 'action', 'console']);

/**
 * Restores a host from `toSnapshot` output (or its JSON text parsed back). The host
 * keeps its own virtual time (`now()` is the snapshot's); call `advanceTo` to catch up.
 *
 * Throws `HostError('INVALID_ARGUMENT')` with a message naming the problem when `json`
 * is not an object, has an unknown `version`, or any field has the wrong shape.
 */
export function fromSnapshot(json: unknown, clock: Clock): Host {
  if (!obj(json)) throw new HostError('INVALID_ARGUMENT', 'invalid snapshot: not an object');
  if (json.version !== SNAPSHOT_VERSION) {
    throw new HostError('INVALID_ARGUMENT',
      `unsupported snapshot version ${JSON.stringify(json.version) ?? 'undefined'} (this xlsim reads version ${SNAPSHOT_VERSION})`);
  }
  const s = json.state;
  if (!obj(s)) throw new HostError('INVALID_ARGUMENT', 'invalid snapshot: missing state');
  need(s, 'state', {
    seed: obj, bootTime: num, now: num, rng: int, lastDomid: int,
    recentlyDestroyed: arr((p) => Array.isArray(p) && p.length === 2 && int(p[0]) && num(p[1])),
    nextPty: int, domains: Array.isArray, pendingRestarts: Array.isArray, events: Array.isArray, eventBase: int,
    evtchns: arr((e) => obj(e) && int(e.domid) && int(e.port) && str(e.purpose)), xenstore: obj,
    conring: opt(str),
  });
  need(s.seed as Record<string, unknown>, 'seed', SEED_SPEC);
  const domains = s.domains as unknown[];
  domains.forEach((d, i) => {
    if (!obj(d)) throw new HostError('INVALID_ARGUMENT', `invalid snapshot: domain ${i} is not an object`);
    need(d, `domains[${i}]`, DOMAIN_SPEC);
    const r = d as unknown as DomainRecord;
    if (r.online.length !== r.vcpuTimeNs.length || r.online.length === 0) {
      throw new HostError('INVALID_ARGUMENT', `invalid snapshot: domains[${i}] vCPU arrays disagree`);
    }
    if (i > 0 && (domains[i - 1] as DomainRecord).domid >= r.domid) {
      throw new HostError('INVALID_ARGUMENT', 'invalid snapshot: domains not in ascending domid order');
    }
  });
  if (domains.length === 0 || (domains[0] as DomainRecord).domid !== 0) {
    throw new HostError('INVALID_ARGUMENT', 'invalid snapshot: Domain-0 missing');
  }
  (s.pendingRestarts as unknown[]).forEach((p, i) => {
    if (!obj(p)) throw new HostError('INVALID_ARGUMENT', `invalid snapshot: pendingRestarts[${i}] is not an object`);
    need(p, `pendingRestarts[${i}]`, { at: num, oldDomid: int, name: str, config: DOMAIN_SPEC.config });
  });
  (s.events as unknown[]).forEach((e, i) => {
    if (!obj(e) || !EVENT_KINDS.has(e.kind as string) || !num(e.at) || !int(e.domid)) {
      throw new HostError('INVALID_ARGUMENT', `invalid snapshot: events[${i}] is malformed`);
    }
  });
  return Host.fromState(s as unknown as HostState, clock);
}

/** Re-exported for consumers that read events from a snapshot. */
export type { HostEvent };
