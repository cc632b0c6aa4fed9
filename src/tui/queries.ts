/**
 * The dashboard's reads of a `Host`, one function per view, each reading only what its
 * view draws (see `source.ts`). Run inside one store snapshot by `storeSource`
 * (main.ts); pure functions of the host otherwise, so tests call them on an in-memory host.
 */
import type { DomainInfo } from '../machine/api.js';
import type { Host } from '../machine/host.js';
import type { ArchData, DrillData, HostSample, SampleRequest } from './source.js';

/** Most events one sample carries (a reader that fell further behind gets the newest). */
export const MAX_EVENTS = 200;

/**
 * One refresh of the table: `listDomains()` (every domain's core, no devices, no
 * per-vCPU objects) with, in the same pass, the devices and vCPUs of the domains in
 * `req.detail` (what `Host.domain` gives, less the config); `detail: 'all'` reads every
 * domain's devices instead.
 */
export function sampleHost(host: Host, req: SampleRequest = {}): HostSample {
  const nowMs = host.now();
  const domains: DomainInfo[] =
    req.detail === 'all'
      ? host.listDomains({ devices: true, vcpus: true })
      : host.listDomains(req.detail && req.detail.length > 0 ? { detail: new Set(req.detail) } : {});
  const out: HostSample = { nowMs, host: host.info(), domains };
  if (req.eventsFrom !== undefined) {
    const next = host.eventCount();
    const from = Math.max(req.eventsFrom, next - MAX_EVENTS);
    out.events = from < next ? host.events(from) : [];
    out.eventIndex = next;
  }
  return out;
}

/** The drill-down of one domain, or undefined when it does not exist; its xenstore only when `xenstore`. */
export function drillHost(host: Host, domid: number, cfgPath?: string, xenstore = true): DrillData | undefined {
  const info = host.domain(domid);
  if (!info) return undefined;
  const xs = xenstore ? host.xenstoreDump(`/local/domain/${domid}`) : [];
  if (domid !== 0 && xenstore) {
    for (const kind of host.xenstoreList('/local/domain/0/backend')) {
      xs.push(...host.xenstoreDump(`/local/domain/0/backend/${kind}/${domid}`));
    }
  }
  const out: DrillData = {
    nowMs: host.now(),
    info,
    devices: host.devices(domid),
    channels: host.eventChannels(domid),
    grants: host.grants(domid),
    counters: host.counters(domid) ?? {},
    xenstore: xs,
  };
  const sched = host.schedParams(domid);
  if (sched) out.sched = sched;
  const dm = host.xenstoreRead(`/local/domain/0/device-model/${domid}/state`);
  if (dm !== undefined) out.deviceModel = dm;
  // The host records the cfg file of domains made by `xl create <file>`; the dashboard
  // knows those it created itself from its palette or demo boot.
  const file = info.configFile ?? cfgPath;
  if (file !== undefined) out.cfgPath = file;
  return out;
}

/**
 * The architecture view: every domain's core and where each running vCPU sits
 * (`listDomains({ vcpus: true })` seats them on pCPUs as `xl vcpu-list` does), plus
 * devices, device model and call counts of Domain-0 and the guests in `domids`.
 */
export function archHost(host: Host, domids: readonly number[]): ArchData {
  const info = host.info();
  const domains = host.listDomains({ vcpus: true });
  const pcpus: ([number, number] | undefined)[] = Array.from({ length: info.nrCpus }, () => undefined);
  for (const d of domains) {
    for (const v of d.vcpus ?? []) if (v.running && v.cpu !== undefined && v.cpu < pcpus.length) pcpus[v.cpu] = [d.domid, v.id];
  }
  const devices = new Map<number, ReturnType<Host['devices']>>();
  const deviceModels = new Map<number, string>();
  const calls = new Map<number, number>();
  for (const id of new Set([0, ...domids])) {
    if (id !== 0) devices.set(id, host.devices(id));
    const dm = host.xenstoreRead(`/local/domain/0/device-model/${id}/state`);
    if (dm !== undefined) deviceModels.set(id, dm);
    const n = host.hypercalls(id);
    if (n !== undefined) calls.set(id, n);
  }
  const daemons = ['xenstored', 'xenconsoled'].filter((d) => (d === 'xenstored' ? host.xenstoreRead('/tool/xenstored') !== undefined : true));
  return {
    nowMs: host.now(),
    host: info,
    pools: host.pools().map((p) => ({ id: p.id, name: p.name, scheduler: p.scheduler, cpus: p.cpus })),
    domains,
    pcpus,
    devices,
    deviceModels,
    calls,
    daemons,
  };
}
