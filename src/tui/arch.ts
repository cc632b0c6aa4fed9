/**
 * The architecture view as lines of styled text: the live host drawn the way the Xen
 * documentation draws the split-driver model (xen.org "Xen Project Software Overview",
 * the PV drivers diagram). Pure: data in, lines out (the `ArchView` component draws them).
 *
 * ```
 *  ┌ Domain-0 ─────────────┐                    ┌ alpine-pv · dom 1 · PV · r ──┐
 *  │ xenstored xenconsoled │◄─ xenbus ev 16:1 ─►│ xenbus + console             │
 *  │ netback vif1.0 xenbr0 │◄═●═ ev 43:4 ══════►│ netfront eth0      Connected │
 *  │ blkback xvda          │◄═══ ev 42:3 ══════►│ blkfront xvda      Connected │
 *  │                       │                    │ ⇣ 120 hypercalls/s           │
 *  └───────────────────────┘                    └──────────────────────────────┘
 *  ══ Xen 4.20.0 · credit2 scheduler · Pool-0 ═══════════════════════════════════
 *   pCPU 0 d0v0 │ 1 d1v0 │ 2 idle …
 * ```
 *
 * Domain-0 is on the left with a backend per device (netback per vif with its
 * `vif<domid>.<n>` interface, blkback or qdisk per disk, a QEMU device model per HVM
 * guest) and its daemons; each guest on the right with its frontends; between them one
 * link per ring, labelled with its event channel ports, on which traffic moves (a dot
 * per refresh with I/O); the hypervisor underneath with its scheduler and what each pCPU
 * runs. Guests that do not fit are folded to one line, and the list scrolls.
 */
import type { DomainInfo } from '../machine/api.js';
import type { DeviceInfo } from '../machine/host.js';
import { netbackIfname } from '../machine/devices.js';
import { xenbusStateName } from '../machine/host.js';
import type { Segment } from './components/clip.js';
import type { ArchData } from './source.js';
import type { MigrationView } from './state.js';
import type { Theme } from './theme.js';
import { stateLetters, typeLabel } from './xentop.js';

/** What the diagram is drawn from. */
export interface ArchInput {
  data: ArchData;
  /** The previous read (traffic and call rates need two). */
  prev?: ArchData;
  width: number;
  height: number;
  /** The highlighted guest. */
  selected?: number;
  /** Index of the first guest drawn. */
  first: number;
  /** Animation frame. */
  tick: number;
  migration?: MigrationView;
  /** Recent XenbusState changes (from `device` events), newest last, drawn under the hypervisor. */
  recent?: { key: string; at: number; text: string }[];
  theme: Theme;
}

/** The diagram and which guests it drew. */
export interface ArchOutput {
  lines: Segment[][];
  /** Guests drawn (expanded or folded), in order. */
  shown: number[];
  /** Guests before and after the drawn ones. */
  above: number;
  below: number;
}

/** The column widths at a screen width: Domain-0, the links, the guests. */
export function archColumns(width: number): { d0: number; link: number; guest: number } {
  const d0 = Math.max(22, Math.floor(width * 0.34));
  const link = Math.max(14, Math.floor(width * 0.22));
  return { d0, link, guest: Math.max(20, width - d0 - link) };
}

function fit(s: string, w: number): string {
  if (w <= 0) return '';
  return s.length > w ? `${s.slice(0, Math.max(0, w - 1))}…` : s.padEnd(w);
}

function boxTop(label: string, w: number): string {
  const inner = `─ ${label} `;
  return `┌${fit(inner + '─'.repeat(Math.max(0, w - 2 - inner.length)), w - 2).replace(/ +$/, (m) => '─'.repeat(m.length))}┐`;
}

function boxLine(text: string, w: number): string {
  return `│${fit(` ${text}`, w - 2)}│`;
}

function boxBottom(w: number): string {
  return `└${'─'.repeat(Math.max(0, w - 2))}┘`;
}

/** Rate per second of a counter between two reads; 0 without both. */
function rate(cur: number | undefined, prev: number | undefined, dtMs: number): number {
  if (cur === undefined || prev === undefined || dtMs <= 0) return 0;
  return Math.max(0, ((cur - prev) * 1000) / dtMs);
}

function ioTotal(d: DeviceInfo): number {
  return d.io.rxPackets + d.io.txPackets + d.io.rdReq + d.io.wrReq;
}

/** The guest's driver for a device kind and the device's name inside the guest. */
export function frontendOf(d: DeviceInfo, guest: DomainInfo, nicIndex: number): { driver: string; name: string } {
  const windows = /win/i.test(guest.name);
  if (d.kind === 'vif') return { driver: windows ? 'xenvif' : 'xen-netfront', name: windows ? `Ethernet ${nicIndex}` : `eth${nicIndex}` };
  if (d.kind === 'vbd') return { driver: windows ? 'xenvbd' : 'xen-blkfront', name: d.vdev ?? String(d.devid) };
  return { driver: `${d.kind}front`, name: String(d.devid) };
}

/** The backend's driver and its Domain-0 side name: `netback vif1.0`, `blkback xvda`, `qdisk …`. */
export function backendOf(d: DeviceInfo): { driver: string; name: string } {
  if (d.kind === 'vif') return { driver: d.driver ?? 'netback', name: `${d.ifname ?? netbackIfname(d.frontendDomid, d.devid)}${d.bridge ? ` ${d.bridge}` : ''}` };
  if (d.kind === 'vbd') return { driver: d.driver ?? d.backendKind, name: d.params ? d.params.split('/').pop()! : (d.vdev ?? String(d.devid)) };
  return { driver: d.driver ?? d.backendKind, name: String(d.devid) };
}

/** One row of a guest's band: what Domain-0, the link and the guest show on it. */
interface BandRow {
  left: Segment[];
  link: Segment[];
  right: string;
  rightStyle?: Omit<Segment, 'text'>;
}

function linkSegs(label: string, w: number, moving: boolean, tick: number, th: Theme, double: boolean): Segment[] {
  const bar = double ? '═' : '─';
  const inner = Math.max(0, w - 2);
  const lab = label.length + 2 <= inner ? ` ${label} ` : '';
  const left = Math.max(1, Math.floor((inner - lab.length) / 2));
  const chars = (bar.repeat(left) + lab + bar.repeat(Math.max(0, inner - left - lab.length))).split('');
  if (moving && inner > 0) {
    // Two dots travelling in opposite directions: requests one way, responses the other.
    const a = tick % inner;
    const b = inner - 1 - ((tick + Math.floor(inner / 2)) % inner);
    if (chars[a] === bar) chars[a] = '●';
    if (chars[b] === bar) chars[b] = '○';
  }
  const style = moving ? th.active : th.dim;
  return [{ text: '◄', ...style }, { text: chars.join(''), ...style }, { text: '►', ...style }];
}

function guestBand(g: DomainInfo, input: ArchInput, cols: ReturnType<typeof archColumns>, dt: number): BandRow[] {
  const { data, prev, tick, theme: th } = input;
  const devs = data.devices.get(g.domid) ?? [];
  const prevDevs = new Map((prev?.devices.get(g.domid) ?? []).map((d) => [`${d.kind}/${d.devid}`, d]));
  const rows: BandRow[] = [];
  const none: Segment[] = [];
  rows.push({ left: [{ text: '', ...th.dim }], link: linkSegs('xenbus · console', cols.link, false, tick, th, false), right: 'xenstore ring + console ring' });
  let nic = 0;
  let k = 0;
  for (const d of devs) {
    k++;
    const fe = frontendOf(d, g, d.kind === 'vif' ? nic++ : 0);
    const be = backendOf(d);
    const p = prevDevs.get(`${d.kind}/${d.devid}`);
    const moving = p !== undefined && ioTotal(d) > ioTotal(p);
    const ok = d.state === 4 && d.backendState === 4;
    const stateStyle = ok ? th.good : th.warn;
    rows.push({
      left: [{ text: `${be.driver} ${be.name}` }, { text: ok ? '' : ` ${xenbusStateName(d.backendState)}`, ...stateStyle }],
      // Each ring's traffic starts at its own place, so the links do not move in step.
      link: linkSegs(`ev ${d.backendEvtch}:${d.evtch}`, cols.link, moving, tick + g.domid * 5 + k * 3, th, true),
      right: `${fe.driver} ${fe.name}  ${xenbusStateName(d.state)}`,
      rightStyle: ok ? undefined : th.warn,
    });
  }
  const hvm = g.type === 'hvm';
  const dm = data.deviceModels.get(g.domid);
  if (hvm || dm !== undefined) {
    const io = rate(data.calls.get(g.domid), prev?.calls.get(g.domid), dt);
    rows.push({
      left: [{ text: `qemu-dm for dom${g.domid}: ${dm ?? 'absent'}` }],
      link: linkSegs('ioreq', cols.link, io > 0 && g.state.running !== false, tick, th, false),
      right: 'emulated devices (ioreqs)',
    });
  }
  const calls = rate(data.calls.get(g.domid), prev?.calls.get(g.domid), dt);
  const arrow = calls > 0 ? (tick % 2 === 0 ? '⇣' : '↓') : '·';
  rows.push({ left: none, link: [{ text: ' '.repeat(cols.link) }], right: `${arrow} ${Math.round(calls)} ${hvm ? 'VM exits/s' : 'hypercalls/s'} to Xen` });
  return rows;
}

/** Lines a guest takes expanded: box top, its rows, box bottom. */
function bandHeight(g: DomainInfo, data: ArchData): number {
  const devs = data.devices.get(g.domid)?.length ?? 1;
  const dm = g.type === 'hvm' || data.deviceModels.has(g.domid) ? 1 : 0;
  return 2 + 1 + devs + dm + 1;
}

/** The guests (domid order) the view lists. */
export function guestsOf(data: ArchData): DomainInfo[] {
  return data.domains.filter((d) => d.domid !== 0 && d.name !== '');
}

/** Lines under the guest bands: Domain-0's bottom, the hypervisor (3), and a migration (2). */
function footerHeight(input: Pick<ArchInput, 'migration' | 'recent' | 'data'>): number {
  return 1 + 3 + (input.migration ? 2 : 0) + (recentChanges(input).length ? 1 : 0);
}

/** XenbusState changes of the last minute of host time. */
function recentChanges(input: Pick<ArchInput, 'recent' | 'data'>): { key: string; at: number; text: string }[] {
  return (input.recent ?? []).filter((r) => input.data.nowMs - r.at <= 60_000);
}

/**
 * Which guests fit from index `first` in `height` lines: all expanded if they fit, else
 * only the selected one expanded and the others folded to one line each.
 */
export function layoutGuests(input: Pick<ArchInput, 'data' | 'height' | 'first' | 'selected' | 'migration' | 'recent'>): { guests: DomainInfo[]; expanded: Set<number> } {
  const all = guestsOf(input.data);
  const avail = Math.max(1, input.height - 3 - footerHeight(input));
  const from = Math.min(Math.max(0, input.first), Math.max(0, all.length - 1));
  const out: DomainInfo[] = [];
  let used = 0;
  for (let i = from; i < all.length; i++) {
    const h = bandHeight(all[i]!, input.data);
    if (used + h > avail) break;
    out.push(all[i]!);
    used += h;
  }
  if (out.length === all.length - from && out.length > 0) return { guests: out, expanded: new Set(out.map((g) => g.domid)) };
  // Fold: every guest of the page on one line, then expand the selected one and as many
  // of the others, in order, as the room allows.
  const folded: DomainInfo[] = [];
  for (let i = from; i < all.length && folded.length < avail; i++) folded.push(all[i]!);
  const sel = input.selected;
  const selGuest = folded.find((g) => g.domid === sel);
  if (selGuest) {
    // Make room for the selected guest's band: fewer folded guests after it.
    const extra = bandHeight(selGuest, input.data) - 1;
    while (folded.length > 1 && folded.length + extra > avail && folded[folded.length - 1]!.domid !== sel) folded.pop();
    while (folded.length > 1 && folded.length + extra > avail) folded.shift();
  }
  used = folded.length;
  const expanded = new Set<number>();
  const order = [...folded.filter((g) => g.domid === sel), ...folded.filter((g) => g.domid !== sel)];
  for (const g of order) {
    const extra = bandHeight(g, input.data) - 1;
    if (used + extra > avail) continue;
    expanded.add(g.domid);
    used += extra;
  }
  return { guests: folded, expanded };
}

/** The whole diagram for `input`. */
export function archLines(input: ArchInput): ArchOutput {
  const { data, prev, width, theme: th } = input;
  const cols = archColumns(width);
  const dt = prev ? data.nowMs - prev.nowMs : 0;
  const lines: Segment[][] = [];
  const all = guestsOf(data);
  const { guests, expanded } = layoutGuests(input);
  const first = all.findIndex((g) => g.domid === guests[0]?.domid);
  const above = Math.max(0, first);
  const below = Math.max(0, all.length - above - guests.length);
  const dom0 = data.domains.find((d) => d.domid === 0);

  // The guests' heading says which of them are shown, and that Up/Down scroll when not all
  // are, in as many words as the column has room for.
  const range = all.length === 0 ? 'no guests' : `${above + 1}-${above + guests.length} of ${all.length}`;
  // Words go before the hint does: the long heading, then the short one, with each hint.
  const hints = above || below ? [' (Up/Down scrolls)', ' (Up/Down)', ' ↑↓'] : [''];
  const heads = [` Guests: frontends — ${all.length ? `guests ${range}` : range}`, ` Guests — ${range}`];
  const heading = [...heads.flatMap((h) => hints.map((x) => h + x)), ...heads].find((x) => x.length <= cols.guest) ?? heads[1]!;
  lines.push([
    { text: fit(' Domain-0: backends', cols.d0), ...th.title },
    { text: fit(cols.link >= 24 ? ' rings · event channels' : ' rings · evtchns', cols.link), ...th.title },
    { text: fit(heading, cols.guest), ...th.title },
  ]);
  const d0Label = dom0 ? `Domain-0 · ${dom0.maxVcpus} vCPUs · ${stateLetters(dom0)}` : 'Domain-0';
  lines.push([{ text: boxTop(d0Label, cols.d0) }]);
  lines.push([{ text: boxLine(data.daemons.join('  '), cols.d0) }, { text: ' '.repeat(cols.link) }, { text: '' }]);

  for (const g of guests) {
    const sel = g.domid === input.selected;
    const gStyle = sel ? th.selected : {};
    const label = `${g.name} · dom ${g.domid} · ${typeLabel(g)} · ${stateLetters(g)}`;
    if (!expanded.has(g.domid)) {
      const n = data.devices.get(g.domid)?.length;
      lines.push([
        { text: boxLine('', cols.d0) },
        { text: ' '.repeat(cols.link) },
        { text: fit(`▸ ${label}${n !== undefined ? ` · ${n} device${n === 1 ? '' : 's'}` : ''}`, cols.guest), ...gStyle },
      ]);
      continue;
    }
    lines.push([{ text: boxLine(`· for ${g.name} ·`, cols.d0), ...th.dim }, { text: ' '.repeat(cols.link) }, { text: boxTop(label, cols.guest), ...gStyle }]);
    for (const r of guestBand(g, input, cols, dt)) {
      const leftText = r.left.map((x) => x.text).join('');
      const leftSegs: Segment[] = [{ text: '│ ' }, ...r.left.map((x) => ({ ...x, text: x.text })), { text: fit('', Math.max(0, cols.d0 - 3 - leftText.length)) }, { text: '│' }];
      if (leftText.length > cols.d0 - 3) {
        leftSegs.splice(1, r.left.length + 1, { text: fit(leftText, cols.d0 - 3) });
      }
      lines.push([...leftSegs, ...r.link, { text: boxLine(r.right, cols.guest), ...(r.rightStyle ?? {}), ...(sel ? th.selected : {}) }]);
    }
    lines.push([{ text: boxLine('', cols.d0) }, { text: ' '.repeat(cols.link) }, { text: boxBottom(cols.guest), ...gStyle }]);
  }
  lines.push([{ text: boxBottom(cols.d0) }]);

  // The hypervisor.
  const pool = data.pools[0];
  const sched = pool?.scheduler ?? data.host.scheduler;
  const title = `═ Xen ${data.host.xenMajor}.${data.host.xenMinor}${data.host.xenExtra} hypervisor · ${sched} scheduler · ${data.pools.map((p) => `${p.name} (${p.cpus.length} pCPUs)`).join(', ')} `;
  lines.push([{ text: fit(title + '═'.repeat(Math.max(0, width - title.length)), width), ...th.title }]);
  const cpuCells = data.pcpus.map((p, i) => `${i}:${p ? `d${p[0]}v${p[1]}` : 'idle'}`);
  lines.push([{ text: fit(` pCPUs  ${cpuCells.join(' │ ')}`, width) }]);
  const callRates = [0, ...guests.map((g) => g.domid)]
    .map((id) => {
      const d = data.domains.find((x) => x.domid === id);
      const r = Math.round(rate(data.calls.get(id), prev?.calls.get(id), dt));
      return d ? `${d.name} ${r}${d.domid !== 0 && d.type === 'hvm' ? ' exits' : ''}` : '';
    })
    .filter((x) => x !== '');
  lines.push([{ text: fit(` calls/s  ${callRates.join(' · ')}`, width), ...th.dim }]);

  const changes = recentChanges(input);
  if (changes.length) {
    const name = (key: string) => data.domains.find((d) => `${d.domid}` === key.split('/')[0])?.name ?? `dom ${key.split('/')[0]}`;
    const text = changes
      .slice(-4)
      .reverse()
      .map((c) => `${name(c.key)} ${c.text}`)
      .join(' · ');
    lines.push([{ text: fit(` xenbus  ${text}`, width), ...th.warn }]);
  }
  if (input.migration) lines.push(...migrationLines(input.migration, width, th));
  return { lines, shown: guests.map((g) => g.domid), above, below };
}

/** Two lines for a migration in progress: the two hosts and the pre-copy rounds. */
export function migrationLines(m: MigrationView, width: number, th: Theme): Segment[][] {
  const last = m.rounds[m.rounds.length - 1];
  const phase =
    m.phase === 'round' && last
      ? `pre-copy round ${last.round}: sent ${last.sentPages} pages, ${last.dirtyPages} dirtied`
      : m.phase === 'stop-and-copy'
        ? 'stop-and-copy: guest paused, last dirty pages sent'
        : m.phase;
  const head = `═ migration of ${m.name} (dom ${m.domid}): host ${m.from} ══► host ${m.to} · ${phase} `;
  const max = Math.max(1, ...m.rounds.map((r) => r.sentPages));
  const bars = m.rounds.map((r) => `r${r.round} ${'█'.repeat(Math.max(1, Math.round((r.sentPages / max) * 8)))} ${r.sentPages}`).join('  ');
  return [
    [{ text: fit(head + '═'.repeat(Math.max(0, width - head.length)), width), ...(m.phase === 'failed' ? th.bad : th.active) }],
    [{ text: fit(` rounds  ${bars || '(starting)'}`, width) }],
  ];
}
