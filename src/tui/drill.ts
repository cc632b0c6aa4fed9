/**
 * The drill-down's tabs as lines of styled text (pure; the `DrillDown` component draws
 * them). One tab per question a learner asks about a domain:
 *
 * 1. overview — its config as parsed (cfg path and libxl's view), memory target / max /
 *    actual, scheduler, each vCPU with its pCPU, state, affinity and CPU time;
 * 2. devices — each split driver with both ends: the backend in Domain-0 (netback,
 *    blkback, qdisk, the `vif<domid>.<n>` interface, the QEMU device model) and the
 *    frontend in the guest (its driver and device name), the XenbusState of each side,
 *    the event channel ports, the grant references of the rings, live I/O;
 * 3. calls — hypercalls per second by kind (PV, PVH) or VM exits by reason and emulated
 *    I/O (HVM), side by side with another domain;
 * 4. charts — CPU%, memory, network and disk throughput over the last minutes;
 * 5. xenstore — the domain's subtree and its backends, browsable.
 */
import type { DomainInfo } from '../machine/api.js';
import { netbackIfname } from '../machine/devices.js';
import { xenbusStateName } from '../machine/host.js';
import type { Segment } from './components/clip.js';
import { backendOf, frontendOf } from './arch.js';
import { sparkline, SERIES_UNITS, type HistoryStore, type SeriesName } from './history.js';
import type { DrillData } from './source.js';
import { visibleXenstore, type DrillState, type DrillTab } from './state.js';
import type { Theme } from './theme.js';
import { stateLetters, typeLabel } from './xentop.js';

/** Titles of the tabs (keys 1–5). */
export const TAB_TITLES: Record<DrillTab, string> = {
  overview: 'Overview',
  devices: 'Devices',
  calls: 'Calls',
  charts: 'Charts',
  xenstore: 'Xenstore',
};

/**
 * A styled line cut into rows of at most `width` characters, at a blank where there is
 * one in the row's last two-thirds (a word longer than that is cut). Rows after the
 * first start with as many spaces as the line's value column: 12 after a label of the
 * reading view (`Memory      …`), the line's own leading blanks otherwise (prose: none).
 */
export function wrapLine(line: Segment[], width: number): Segment[][] {
  const text = line.map((x) => x.text).join('');
  const len = text.length;
  const lead = text.length - text.trimStart().length;
  const head = text.slice(0, 12);
  const label = lead === 0 && text.length > 12 && text[12] !== ' ' && (/ {2}$/.test(head) || /^\S+ $/.test(head));
  const indent = label ? 12 : lead;
  if (len <= width || width <= indent + 10) return [line];
  /** The segments of `line` between characters `from` and `to`. */
  const slice = (from: number, to: number): Segment[] => {
    const out: Segment[] = [];
    let at = 0;
    for (const seg of line) {
      const end = at + seg.text.length;
      if (end > from && at < to) out.push({ ...seg, text: seg.text.slice(Math.max(0, from - at), Math.min(seg.text.length, to - at)) });
      at = end;
    }
    return out;
  };
  const rows: Segment[][] = [];
  let from = 0;
  while (from < len) {
    const room = rows.length === 0 ? width : width - indent;
    let to = Math.min(len, from + room);
    if (to < len && text[to] !== ' ') {
      const blank = text.lastIndexOf(' ', to - 1);
      if (blank > from + Math.floor(room / 3)) to = blank;
    }
    rows.push(rows.length === 0 ? slice(from, to) : [{ text: ' '.repeat(indent) }, ...slice(from, to)]);
    from = to;
    while (from < len && text[from] === ' ') from++;
  }
  return rows;
}

type Line = Segment[];
const t = (text: string, style: Omit<Segment, 'text'> = {}): Segment => ({ text, ...style });

/** `12345` → `12,345`. */
function num(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function mib(kib: number | undefined): string {
  return kib === undefined ? 'no limit' : `${num(kib / 1024)} MiB`;
}

function cpuList(cpus: readonly number[], nr: number): string {
  if (cpus.length >= nr) return 'all';
  const out: string[] = [];
  for (let i = 0; i < cpus.length; i++) {
    let j = i;
    while (j + 1 < cpus.length && cpus[j + 1] === cpus[j]! + 1) j++;
    out.push(j > i ? `${cpus[i]}-${cpus[j]}` : String(cpus[i]));
    i = j;
  }
  return out.join(',');
}

function stateWords(d: DomainInfo): string {
  const w: string[] = [];
  if (d.state.dying) w.push('dying');
  if (d.state.shutdown) w.push('shut down');
  if (d.state.paused) w.push('paused');
  if (d.state.running) w.push('running');
  if (d.state.blocked) w.push('blocked');
  return w.join(', ') || 'no state';
}

/** Flatten a libxl config into `path = value` lines (`disks[0].vdev = xvda`), in key order. */
export function flattenConfig(v: unknown, prefix = ''): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) {
    if (v.length === 0) return [];
    if (v.every((x) => typeof x !== 'object' || x === null)) return [`${prefix} = [${v.map((x) => JSON.stringify(x)).join(', ')}]`];
    return v.flatMap((x, i) => flattenConfig(x, `${prefix}[${i}]`));
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return [];
    return entries.flatMap(([k, x]) => flattenConfig(x, prefix ? `${prefix}.${k}` : k));
  }
  return [`${prefix} = ${typeof v === 'string' ? v : JSON.stringify(v)}`];
}

function overview(d: DrillData, nrCpus: number, th: Theme): Line[] {
  const i = d.info;
  const out: Line[] = [];
  out.push([t(`${i.name}`, th.title), t(` · domid ${i.domid} · ${typeLabel(i)} · ${stateLetters(i)} (${stateWords(i)}) · pool ${i.pool} · up ${uptime(d.nowMs - i.startTime)}`)]);
  out.push([t('UUID        ', th.dim), t(i.uuid)]);
  out.push([t('Config      ', th.dim), t(d.cfgPath ?? (i.domid === 0 ? '(Domain-0 is built by Xen at boot, not from a cfg file)' : '(not created from a cfg file on this host: restored, migrated in or made by the API)'))]);
  const maxKiB = i.maxMemKiB;
  out.push([t('Memory      ', th.dim), t(`target ${mib(i.targetKiB)} · max ${mib(maxKiB)} · actual ${mib(i.memKiB)} (${num(i.memKiB)} KiB)`)]);
  if (d.sched) out.push([t('Scheduler   ', th.dim), t(`weight ${d.sched.weight} · cap ${d.sched.cap === 0 ? '0 (none)' : `${d.sched.cap}% of a pCPU`}`)]);
  out.push([t('vCPUs       ', th.dim), t(`${i.onlineVcpus} online of ${i.maxVcpus} · CPU time ${(i.cpuTimeNs / 1e9).toFixed(1)} s`)]);
  out.push([t('  vCPU  pCPU  state     hard affinity    soft affinity      time (s)', th.dim)]);
  for (const v of i.vcpus ?? []) {
    const st = !v.online ? 'offline' : v.running ? 'running' : v.blocked ? 'blocked' : i.state.paused ? 'paused' : '-';
    out.push([
      t(
        `  ${String(v.id).padStart(4)}  ${(v.cpu === undefined ? '-' : String(v.cpu)).padStart(4)}  ${st.padEnd(8)}  ${cpuList(v.hardAffinity, nrCpus).padEnd(15)}  ${cpuList(v.softAffinity, nrCpus).padEnd(15)}  ${(v.timeNs / 1e9).toFixed(1).padStart(10)}`,
      ),
    ]);
  }
  out.push([]);
  out.push([t("libxl's view of the config (libxl_domain_config, as xl parsed it)", th.title)]);
  for (const l of flattenConfig(i.config ?? {})) out.push([t(`  ${l}`)]);
  return out;
}

function uptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number): string => String(n).padStart(2, '0');
  const days = Math.floor(s / 86400);
  return `${days ? `${days}d ` : ''}${p(Math.floor((s % 86400) / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
}

function perSec(cur: number, prev: number | undefined, dtMs: number): string {
  if (prev === undefined || dtMs <= 0) return '';
  return ` (+${((Math.max(0, cur - prev) * 1000) / dtMs).toFixed(1)}/s)`;
}

function devices(d: DrillData, prev: DrillData | undefined, names: ReadonlyMap<number, string>, th: Theme): Line[] {
  const out: Line[] = [];
  const i = d.info;
  const dt = prev ? d.nowMs - prev.nowMs : 0;
  const prevDev = new Map((prev?.devices ?? []).map((x) => [`${x.kind}/${x.devid}`, x]));
  const nameOf = (id: number): string => names.get(id) ?? (id === 0 ? 'Domain-0' : `dom ${id}`);
  const state = (s: number): Segment => t(`XenbusState ${s} ${xenbusStateName(s)}`, s === 4 ? th.good : th.warn);
  if (d.devices.length === 0) out.push([t(i.domid === 0 ? 'Domain-0 runs the backends of every guest; it has no split-driver frontends of its own.' : 'No split-driver devices.', th.dim)]);
  let nic = 0;
  for (const dev of d.devices) {
    const fe = frontendOf(dev, i, dev.kind === 'vif' ? nic++ : 0);
    const be = backendOf(dev);
    const what = dev.kind === 'vif' ? 'network' : dev.kind === 'vbd' ? 'block' : dev.kind;
    out.push([t(`${dev.kind} ${dev.devid}`, th.title), t(` — ${what}: ${be.driver} in ${nameOf(dev.backendDomid)} ⇄ ${fe.driver} in ${i.name}`)]);
    const beName = dev.kind === 'vif' ? `${dev.ifname ?? netbackIfname(i.domid, dev.devid)}${dev.bridge ? ` on bridge ${dev.bridge}` : ''}` : dev.params ? `${dev.params}` : be.name;
    out.push([t('  backend   ', th.dim), t(`${nameOf(dev.backendDomid)} (dom ${dev.backendDomid}) · ${be.driver} · ${beName}`)]);
    out.push([t('            '), state(dev.backendState), t(` · event channel port ${dev.backendEvtch < 0 ? '-' : dev.backendEvtch} · ${dev.backendPath}`, th.dim)]);
    const feExtra = dev.kind === 'vif' && dev.mac ? ` · mac ${dev.mac}` : '';
    out.push([t('  frontend  ', th.dim), t(`${i.name} (dom ${i.domid}) · ${fe.driver} · ${fe.name}${feExtra}`)]);
    out.push([t('            '), state(dev.state), t(` · event channel port ${dev.evtch < 0 ? '-' : dev.evtch} · ${dev.frontendPath}`, th.dim)]);
    const rings =
      dev.kind === 'vif'
        ? `tx-ring-ref ${dev.ringRef} · rx-ring-ref ${dev.rxRingRef ?? -1}`
        : `ring-ref ${dev.ringRef}`;
    out.push([t('  rings     ', th.dim), t(`${rings} (granted to dom ${dev.backendDomid}) · event channel ${i.domid}:${dev.evtch} ⇄ ${dev.backendDomid}:${dev.backendEvtch}`)]);
    const p = prevDev.get(`${dev.kind}/${dev.devid}`);
    // Packets for a vif, block requests for a vbd, ring messages for the others (vkbd, vfb, …).
    const msgs = dev.io.rdReq + dev.io.wrReq;
    const io =
      dev.kind === 'vif'
        ? `rx ${num(dev.io.rxPackets)} pkts${perSec(dev.io.rxPackets, p?.io.rxPackets, dt)} · tx ${num(dev.io.txPackets)} pkts${perSec(dev.io.txPackets, p?.io.txPackets, dt)}`
        : dev.kind === 'vbd'
          ? `read ${num(dev.io.rdReq)} req${perSec(dev.io.rdReq, p?.io.rdReq, dt)} · write ${num(dev.io.wrReq)} req${perSec(dev.io.wrReq, p?.io.wrReq, dt)}`
          : `${num(msgs)} ring messages${perSec(msgs, p ? p.io.rdReq + p.io.wrReq : undefined, dt)}`;
    out.push([t('  I/O       ', th.dim), t(io)]);
    out.push([]);
  }
  if (d.deviceModel !== undefined || (i.type === 'hvm' && i.domid !== 0)) {
    const ioreq = d.channels.filter((c) => c.purpose?.startsWith('ioreq'));
    out.push([t('device model', th.title), t(` — QEMU (qemu-xen) in Domain-0 emulates ${i.name}'s platform devices: ${d.deviceModel ?? 'not running'}`)]);
    if (ioreq.length) out.push([t('  ioreq     ', th.dim), t(`event channels ${ioreq.map((c) => `${c.port}⇄${c.remotePort ?? '-'}`).join(', ')} (one per vCPU)`)]);
    const pio = d.counters['ioreq:pio'];
    const mmio = d.counters['ioreq:mmio'];
    if (pio !== undefined || mmio !== undefined) out.push([t('  emulated  ', th.dim), t(`${num(pio ?? 0)} port I/O and ${num(mmio ?? 0)} MMIO requests since boot`)]);
    out.push([]);
  }
  // The devices' own channels are shown with each device above.
  const kinds = new Set<string>(d.devices.map((x) => x.kind));
  const others = d.channels.filter((c) => !c.purpose?.startsWith('ioreq') && !kinds.has((c.purpose ?? '').split(' ')[0]!));
  if (others.length) {
    out.push([t('other event channels', th.title)]);
    for (const c of others) out.push([t(`  port ${String(c.port).padStart(3)} ⇄ ${c.remoteDomid === undefined ? '' : `dom ${c.remoteDomid} port ${c.remotePort}`}  ${c.purpose ?? ''}`)]);
  }
  if (d.grants.length) out.push([t('grants      ', th.dim), t(d.grants.map((g) => `${g.ref}→dom${g.toDomid}${g.readonly ? ' ro' : ''} (${g.purpose})`).join(' · '))]);
  return out;
}

/** Per-second rates by kind between two reads of a domain's counters, descending. */
export function callRates(cur: DrillData | undefined, prev: DrillData | undefined): { kind: string; rate: number; total: number }[] {
  if (!cur) return [];
  const dt = prev && prev.info.domid === cur.info.domid ? cur.nowMs - prev.nowMs : 0;
  return Object.entries(cur.counters)
    .map(([kind, total]) => ({ kind, total, rate: dt > 0 ? (Math.max(0, total - (prev!.counters[kind] ?? 0)) * 1000) / dt : 0 }))
    .sort((a, b) => b.rate - a.rate || b.total - a.total || (a.kind < b.kind ? -1 : 1));
}

function callColumn(d: DrillData | undefined, prev: DrillData | undefined, width: number, th: Theme): Line[] {
  if (!d) return [[t('(reading…)', th.dim)]];
  const i = d.info;
  const hvm = i.type === 'hvm' && i.domid !== 0;
  const rates = callRates(d, prev);
  const haveRates = prev !== undefined && prev.info.domid === i.domid && d.nowMs > prev.nowMs;
  const out: Line[] = [[t(`${i.name} (${typeLabel(i)})`, th.title), t(hvm ? ' — VM exits and ioreqs' : ' — hypercalls')]];
  const max = Math.max(1e-9, ...rates.map((r) => (haveRates ? r.rate : r.total)));
  const labelW = Math.min(24, Math.max(...rates.map((r) => r.kind.length), 5));
  const barW = Math.max(4, width - labelW - 14);
  for (const r of rates) {
    const v = haveRates ? r.rate : r.total;
    const bar = '█'.repeat(Math.round((v / max) * barW));
    out.push([t(`${r.kind.padEnd(labelW)} ${(haveRates ? r.rate.toFixed(1) : num(r.total)).padStart(9)} `), t(bar, th.active)]);
  }
  const total = rates.reduce((a, r) => a + (haveRates ? r.rate : r.total), 0);
  out.push([t(`${'total'.padEnd(labelW)} ${(haveRates ? total.toFixed(1) : num(total)).padStart(9)} ${haveRates ? '/s' : 'since boot'}`, th.dim)]);
  return out;
}

function calls(s: DrillState, width: number, th: Theme): Line[] {
  const half = Math.max(20, Math.floor((width - 3) / 2));
  const left = callColumn(s.data, s.prev, half, th);
  const right = callColumn(s.compareData, s.comparePrev, half, th);
  const out: Line[] = [[t('Per second over the last refresh (totals since boot until two reads exist). PV and PVH guests call Xen by hypercalls;', th.dim)]];
  out.push([t('an HVM guest traps to Xen (VM exits) and its emulated devices become ioreqs to QEMU. [ ] compares with another domain.', th.dim)]);
  out.push([]);
  for (let k = 0; k < Math.max(left.length, right.length); k++) {
    const l = left[k] ?? [];
    const len = l.reduce((a, x) => a + x.text.length, 0);
    out.push([...l, t(' '.repeat(Math.max(0, half - len))), t(' │ ', th.dim), ...(right[k] ?? [])]);
  }
  return out;
}

const CHARTS: { name: SeriesName; label: string }[] = [
  { name: 'cpu', label: 'CPU' },
  { name: 'mem', label: 'Memory' },
  { name: 'netTx', label: 'Net tx' },
  { name: 'netRx', label: 'Net rx' },
  { name: 'vbdRd', label: 'Disk reads' },
  { name: 'vbdWr', label: 'Disk writes' },
];

function charts(domid: number, history: HistoryStore, width: number, delaySec: number, th: Theme): Line[] {
  const w = Math.max(10, width - 44);
  const out: Line[] = [[t(`The last ${Math.round((w * delaySec) / 60)} minutes at most, one point per refresh (${delaySec} s); newest on the right.`, th.dim)], []];
  for (const c of CHARTS) {
    const pts = history.get(domid, c.name);
    const last = pts[pts.length - 1];
    const max = pts.length ? Math.max(...pts) : 0;
    const unit = SERIES_UNITS[c.name];
    out.push([
      t(`${c.label.padEnd(12)}`, th.title),
      t(sparkline(pts, w, c.name === 'cpu' ? Math.max(100, max) : undefined), th.active),
      t(`  now ${last === undefined ? '-' : last.toFixed(1)} ${unit}, max ${max.toFixed(1)} ${unit}`),
    ]);
    out.push([]);
  }
  return out;
}

function xenstore(s: DrillState, th: Theme): Line[] {
  const nodes = visibleXenstore(s);
  const open = new Set(s.xsOpen);
  return nodes.map((n, k) => {
    const name = n.depth === 0 ? n.path : n.path.slice(n.path.lastIndexOf('/') + 1);
    const mark = n.hasChildren ? (open.has(n.path) ? '▾ ' : '▸ ') : '  ';
    const style = k === s.xsCursor ? th.selected : {};
    const value = n.value === '' ? '' : ` = ${n.value}`;
    return [t(`${'  '.repeat(n.depth)}${mark}${name}`, style), t(value), t(`  (${n.perms.join(',')})`, th.dim)];
  });
}

/** The lines of one tab of the drill-down (before scrolling). */
export function drillLines(s: DrillState, tab: DrillTab, opts: { width: number; nrCpus: number; names: ReadonlyMap<number, string>; history: HistoryStore; delaySec: number; theme: Theme }): Line[] {
  const d = s.data;
  if (!d) return [[t(s.gone ? `${s.name} (domid ${s.domid}) is gone.` : `Reading ${s.name} (domid ${s.domid})…`, opts.theme.dim)]];
  switch (tab) {
    case 'overview':
      return overview(d, opts.nrCpus, opts.theme);
    case 'devices':
      return devices(d, s.prev, opts.names, opts.theme);
    case 'calls':
      return calls(s, opts.width, opts.theme);
    case 'charts':
      return charts(s.domid, opts.history, opts.width, opts.delaySec, opts.theme);
    case 'xenstore':
      return xenstore(s, opts.theme);
  }
}
