/**
 * A whole host as plain data and back (DESIGN.md "The machine": the same inputs give the
 * same host, byte for byte). A snapshot is every row of every table, keys ascending;
 * it is what determinism tests compare and what an in-memory host is forked from.
 */
import type { Clock } from './api.js';
import { HostError } from './errors.js';
import { Host } from './host.js';
import { SCHEMA_VERSION } from './records.js';
import { MemoryBackend, TABLES } from './tables.js';

/** The current snapshot format version (the table layout's, records.ts `SCHEMA_VERSION`). */
export const SNAPSHOT_VERSION = SCHEMA_VERSION;

/** A host snapshot: the layout version and every table's rows as `[key, row]`, keys ascending. */
export interface HostSnapshot {
  version: number;
  tables: Record<string, [string, unknown][]>;
}

/** Serialises a host (a deep copy; later changes to the host do not affect it). */
export function toSnapshot(host: Host): HostSnapshot {
  return { version: SNAPSHOT_VERSION, tables: host.exportTables() };
}

/**
 * A new in-memory host holding exactly the rows of `snap`. Throws
 * `HostError('INVALID_ARGUMENT')` with a message naming the problem: not an object, an
 * unknown version, a table or row of the wrong shape, no host in the tables.
 */
export function fromSnapshot(snap: unknown, clock: Clock): Host {
  if (typeof snap !== 'object' || snap === null || Array.isArray(snap)) throw new HostError('INVALID_ARGUMENT', 'invalid snapshot: not an object');
  const version = (snap as HostSnapshot).version;
  if (version !== SNAPSHOT_VERSION) {
    throw new HostError('INVALID_ARGUMENT', `unsupported snapshot version ${JSON.stringify(version) ?? 'undefined'} (this xlsim reads version ${SNAPSHOT_VERSION})`);
  }
  const raw = (snap as HostSnapshot).tables;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HostError('INVALID_ARGUMENT', 'invalid snapshot: missing tables');
  const rows: Record<string, [string, string][]> = {};
  for (const t of TABLES) {
    const list = raw[t] ?? [];
    if (!Array.isArray(list)) throw new HostError('INVALID_ARGUMENT', `invalid snapshot: table ${t} is not a list`);
    rows[t] = list.map((r, i) => {
      if (!Array.isArray(r) || typeof r[0] !== 'string') throw new HostError('INVALID_ARGUMENT', `invalid snapshot: ${t}[${i}] is not a [key, row] pair`);
      return [r[0], JSON.stringify(r[1])];
    });
  }
  try {
    return Host.over(MemoryBackend.fromSnapshot(rows), clock);
  } catch (e) {
    if (e instanceof HostError) throw new HostError('INVALID_ARGUMENT', `invalid snapshot: ${e.message}`);
    throw e;
  }
}
