/**
 * Host descriptions (`xlsim host init --host FILE`): the physical machine an emulated
 * host starts from, as JSON a person writes:
 *
 * ```json
 * { "cpus": { "nodes": 2, "sockets": 2, "cores": 8, "threads": 2 },
 *   "memory_mib": 131072,
 *   "dom0": { "memory_mib": 4096, "vcpus": 4 },
 *   "xen_version": "4.20.0", "scheduler": "credit2", "cpu_mhz": 2900,
 *   "hostname": "xen01",
 *   "pci": [ { "bdf": "0000:03:00.0", "description": "Ethernet controller: Intel I350" } ] }
 * ```
 *
 * `sockets` counts all sockets of the machine (a multiple of `nodes`; each node gets an
 * equal share), `cores` are per socket and `threads` per core, so the host has
 * sockets × cores × threads pCPUs, node k owning the k-th equal slice (as `xl info -n`
 * shows). Everything but `cpus`, `memory_mib` and `dom0` is optional.
 */
import { HostError } from './errors.js';
import type { HostPciDevice, HostSeed } from './records.js';

/** The JSON shape of a host description (see the module comment). */
export interface HostDescription {
  cpus: { nodes: number; sockets: number; cores: number; threads: number };
  memory_mib: number;
  dom0: { memory_mib: number; vcpus: number };
  xen_version?: string;
  scheduler?: 'credit' | 'credit2';
  cpu_mhz?: number;
  hostname?: string;
  /** Memory Xen keeps for itself, MiB (default 188). */
  xen_reserved_mib?: number;
  pci?: HostPciDevice[];
  /** Seed of the host's PRNG (UUIDs, MACs): the same description and commands give the same host. */
  rng_seed?: number;
}

const KNOWN = new Set(['cpus', 'memory_mib', 'dom0', 'xen_version', 'scheduler', 'cpu_mhz', 'hostname', 'xen_reserved_mib', 'pci', 'rng_seed']);
const BDF_RE = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$/;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks a parsed host description and turns it into a `HostSeed`. Throws
 * `HostError('INVALID_ARGUMENT')` whose message names the field and what is wrong
 * (`cpus.sockets must be a multiple of cpus.nodes`, `unknown key "memroy"` …).
 */
export function seedFromDescription(desc: unknown): Partial<HostSeed> {
  const bad = (msg: string): never => {
    throw new HostError('INVALID_ARGUMENT', `host description: ${msg}`);
  };
  if (!isObj(desc)) bad('must be a JSON object');
  const d = desc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!KNOWN.has(k)) bad(`unknown key "${k}" (known: ${[...KNOWN].join(', ')})`);
  const posInt = (v: unknown, name: string, max: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) bad(`${name} must be a whole number from 1 to ${max}`);
    return v as number;
  };
  if (!isObj(d.cpus)) bad('cpus must be an object { nodes, sockets, cores, threads }');
  const c = d.cpus as Record<string, unknown>;
  const nodes = posInt(c.nodes, 'cpus.nodes', 64);
  const sockets = posInt(c.sockets, 'cpus.sockets', 64);
  const cores = posInt(c.cores, 'cpus.cores', 256);
  const threads = posInt(c.threads, 'cpus.threads', 8);
  if (sockets % nodes !== 0) bad('cpus.sockets must be a multiple of cpus.nodes');
  const nrCpus = sockets * cores * threads;
  if (nrCpus > 4096) bad(`that is ${nrCpus} pCPUs; at most 4096`);
  const memory = posInt(d.memory_mib, 'memory_mib', 2 ** 32);
  if (!isObj(d.dom0)) bad('dom0 must be an object { memory_mib, vcpus }');
  const dom0 = d.dom0 as Record<string, unknown>;
  const dom0Mem = posInt(dom0.memory_mib, 'dom0.memory_mib', memory);
  const dom0Vcpus = posInt(dom0.vcpus, 'dom0.vcpus', 512);
  const seed: Partial<HostSeed> = {
    nrCpus, nrNodes: nodes, coresPerSocket: cores, threadsPerCore: threads,
    totalMemoryMiB: memory, dom0MemoryMiB: dom0Mem, dom0Vcpus,
  };
  if (d.xen_version !== undefined) {
    const m = typeof d.xen_version === 'string' ? /^(\d+)\.(\d+)(.*)$/.exec(d.xen_version) : null;
    if (!m) bad('xen_version must look like "4.20.0"');
    seed.xenMajor = Number(m![1]);
    seed.xenMinor = Number(m![2]);
    seed.xenExtra = m![3] ?? '';
  }
  if (d.scheduler !== undefined) {
    if (d.scheduler !== 'credit' && d.scheduler !== 'credit2') bad('scheduler must be "credit" or "credit2"');
    seed.scheduler = d.scheduler as 'credit' | 'credit2';
  }
  if (d.cpu_mhz !== undefined) {
    if (typeof d.cpu_mhz !== 'number' || !(d.cpu_mhz > 0 && d.cpu_mhz < 100_000)) bad('cpu_mhz must be a number of MHz');
    seed.cpuMhz = d.cpu_mhz as number;
  }
  if (d.hostname !== undefined) {
    if (typeof d.hostname !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(d.hostname)) bad('hostname must be a host name');
    seed.hostname = d.hostname as string;
  }
  if (d.xen_reserved_mib !== undefined) {
    if (typeof d.xen_reserved_mib !== 'number' || !Number.isInteger(d.xen_reserved_mib) || d.xen_reserved_mib < 0) bad('xen_reserved_mib must be a whole number');
    seed.xenReservedMiB = d.xen_reserved_mib as number;
  }
  if (d.rng_seed !== undefined) {
    if (typeof d.rng_seed !== 'number' || !Number.isInteger(d.rng_seed)) bad('rng_seed must be a whole number');
    seed.rngSeed = d.rng_seed as number;
  }
  if (d.pci !== undefined) {
    if (!Array.isArray(d.pci)) bad('pci must be a list of { bdf, description }');
    const seen = new Set<string>();
    seed.pci = (d.pci as unknown[]).map((p, i) => {
      if (!isObj(p) || typeof p.bdf !== 'string' || !BDF_RE.test(p.bdf.toLowerCase())) bad(`pci[${i}].bdf must look like "0000:03:00.0"`);
      const bdf = String((p as Record<string, unknown>).bdf).toLowerCase();
      if (seen.has(bdf)) bad(`pci[${i}]: ${bdf} is listed twice`);
      seen.add(bdf);
      const desc = (p as Record<string, unknown>).description;
      return { bdf, description: typeof desc === 'string' ? desc : 'PCI device' };
    });
  }
  if (dom0Mem + (seed.xenReservedMiB ?? 188) > memory) bad('dom0.memory_mib does not fit in memory_mib');
  return seed;
}
