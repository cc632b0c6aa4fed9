/**
 * A domain's summary as `xl list` prints it (tools/xl/xl_info.c `list_domains`, from
 * libxl's `libxl_dominfo`): run state, memory, vCPUs online and the CPU time accrued up to
 * a host time. A pure function of the domain's core row and its cpupool row, so the
 * host's queries (host.ts `describe`) and the quick `list` (toolstack/quick-list.ts) give
 * the same figures from the same rows.
 */
import type { DomainInfo, DomainRunState, VcpuInfo } from './api.js';
import { vcpuRunningAt, vcpuTimeAt } from './cpu.js';
import type { DomainCore, PoolRecord } from './records.js';

/**
 * Whether the guest executes at this instant: running (not building, shut down or dying)
 * and not paused. Its run time counts and its timers run only then.
 */
export function domainExecuting(rec: DomainCore): boolean {
  return rec.life.state === 'running' && rec.pauseCount === 0;
}

/**
 * The summary of domain `rec` at host time `t` (ms since the epoch): a `DomainInfo`
 * without vCPUs, config or device statistics, `ssidref` 0. `pool` is the domain's cpupool
 * row (undefined: the pool is named `Pool-0` and no share class applies). CPU time is in
 * ns, memory in KiB. `vcpus`, when the caller has already worked out each vCPU at `t`
 * (`xl vcpu-list`, `list -l`), gives each one's CPU time and whether it runs, so they
 * are not computed twice. Never throws on a well-formed row.
 */
export function domainSummary(rec: DomainCore, t: number, pool: PoolRecord | undefined, vcpus?: readonly Pick<VcpuInfo, 'timeNs' | 'running'>[]): DomainInfo {
  const executing = domainExecuting(rec);
  let running = false;
  let cpu = 0;
  let online = 0;
  for (let i = 0; i < rec.vcpus.length; i++) {
    const v = rec.vcpus[i]!;
    cpu += vcpus ? vcpus[i]!.timeNs : vcpuTimeAt(rec, i, t, pool);
    if (!v.online) continue;
    online++;
    if (!running && executing) running = vcpus ? vcpus[i]!.running : vcpuRunningAt(rec, i, t, pool);
  }
  const state: DomainRunState = {
    running,
    blocked: executing && !running,
    paused: rec.pauseCount > 0,
    shutdown: rec.life.state === 'shutdown',
    dying: rec.life.state === 'dying',
  };
  if (rec.life.state === 'shutdown') state.shutdownReason = rec.life.reason;
  const info: DomainInfo = {
    domid: rec.domid,
    name: rec.name,
    uuid: rec.uuid,
    type: rec.type,
    state,
    memKiB: rec.mem.memKiB,
    targetKiB: rec.mem.targetKiB,
    onlineVcpus: online,
    maxVcpus: rec.vcpus.length,
    cpuTimeNs: cpu,
    startTime: rec.createdAt,
    pool: pool?.name ?? 'Pool-0',
    ssidref: 0,
  };
  if (rec.mem.maxMemKiB !== undefined) info.maxMemKiB = rec.mem.maxMemKiB;
  return info;
}
