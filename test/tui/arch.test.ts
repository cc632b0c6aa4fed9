import { describe, expect, it } from 'vitest';
import { archLines, layoutGuests } from '../../src/tui/arch.js';
import { initialState, reduce } from '../../src/tui/state.js';
import type { ArchData, MigrationProgress } from '../../src/tui/source.js';
import { makeTheme } from '../../src/tui/theme.js';
import type { DeviceInfo } from '../../src/machine/host.js';
import { dom, dom0, HOST } from './fixtures.js';

const text = (l: { text: string }[][]) => l.map((x) => x.map((s) => s.text).join('').trimEnd());

function vif(domid: number, devid = 0, io = 0): DeviceInfo {
  return {
    kind: 'vif', devid, backendDomid: 0, frontendDomid: domid, frontendPath: `/local/domain/${domid}/device/vif/${devid}`, backendPath: `/local/domain/0/backend/vif/${domid}/${devid}`,
    state: 4, backendState: 4, evtch: 3, backendEvtch: 30 + domid, ringRef: 8, rxRingRef: 9, grants: [8, 9], backendKind: 'vif', driver: 'netback', ifname: `vif${domid}.${devid}`, bridge: 'xenbr0',
    io: { rxPackets: io, txPackets: io, rdReq: 0, wrReq: 0 },
  };
}

function data(n: number, nowMs = 0, io = 0): ArchData {
  const guests = Array.from({ length: n }, (_, i) => dom({ domid: i + 1, name: `g${i + 1}`, type: i === 0 ? 'hvm' : 'pv' }));
  return {
    nowMs,
    host: HOST,
    pools: [{ id: 0, name: 'Pool-0', scheduler: 'credit2', cpus: [0, 1, 2, 3, 4, 5, 6, 7] }],
    domains: [dom0(), ...guests],
    pcpus: [[0, 0], [1, 0], undefined, undefined, undefined, undefined, undefined, undefined],
    devices: new Map(guests.map((g) => [g.domid, [vif(g.domid, 0, io)]])),
    deviceModels: new Map([[1, 'running']]),
    calls: new Map([[0, 1000 + io], [1, 5000 + io * 10]]),
    daemons: ['xenstored', 'xenconsoled'],
  };
}

const theme = makeTheme(false);

describe('architecture diagram', () => {
  it('draws every guest expanded when there is room: backends, links with ports, frontends, the hypervisor', () => {
    const out = archLines({ data: data(2), width: 120, height: 30, first: 0, tick: 0, theme });
    const t = text(out.lines);
    expect(out.shown).toEqual([1, 2]);
    expect(t.some((l) => /│ netback vif2\.0 xenbr0 +│◄═+ ev 32:3 ═+►│ xen-netfront eth0  Connected +│/.test(l))).toBe(true);
    expect(t.some((l) => l.includes('qemu-dm for dom1: running') && l.includes('emulated devices (ioreqs)'))).toBe(true);
    expect(t.some((l) => l.startsWith('═ Xen 4.20.0 hypervisor · credit scheduler') || l.startsWith('═ Xen 4.20.0 hypervisor · credit2 scheduler'))).toBe(true);
    expect(t).toContain(' pCPUs  0:d0v0 │ 1:d1v0 │ 2:idle │ 3:idle │ 4:idle │ 5:idle │ 6:idle │ 7:idle');
    expect(t.every((l) => l.length <= 120)).toBe(true);
  });

  it('moves traffic along a link between two reads with I/O, and shows the call rate', () => {
    const prev = data(1, 0, 0);
    const cur = data(1, 1000, 50);
    const t = text(archLines({ data: cur, prev, width: 100, height: 30, first: 0, tick: 3, theme }).lines);
    expect(t.some((l) => /◄[═●○ ev\d:]*[●○][═●○ ev\d:]*►/.test(l))).toBe(true);
    expect(t.some((l) => l.includes('500 VM exits/s to Xen'))).toBe(true);
  });

  it('folds guests to one line when they do not fit, keeping the selected one open', () => {
    const d = data(12);
    const { guests, expanded } = layoutGuests({ data: d, height: 18, first: 0, selected: 3 });
    expect(expanded.has(3)).toBe(true);
    expect(guests.length).toBeGreaterThan(3);
    const out = archLines({ data: d, width: 80, height: 18, first: 0, selected: 3, tick: 0, theme });
    expect(out.lines.length).toBeLessThanOrEqual(18);
    expect(text(out.lines).some((l) => l.includes('▸ g4 · dom 4 · PV'))).toBe(true);
    expect(out.below).toBeGreaterThan(0);
  });

  it('lists the XenbusState changes of the last minute under the hypervisor (a learner watches the handshake)', () => {
    let s = initialState(120, 36);
    s = reduce(s, { type: 'feed', events: [{ kind: 'device', at: 500, domid: 2, device: 'vif/1', side: 'frontend', state: 3 }, { kind: 'device', at: 900, domid: 2, device: 'vif/1', side: 'backend', state: 4 }] });
    const t = text(archLines({ data: data(2, 1000), width: 120, height: 36, first: 0, tick: 0, theme, recent: s.arch.recent }).lines);
    expect(t).toContain(' xenbus  g2 vif 1 backend → 4 Connected · g2 vif 1 frontend → 3 Initialised');
    const later = text(archLines({ data: data(2, 120_000), width: 120, height: 36, first: 0, tick: 0, theme, recent: s.arch.recent }).lines);
    expect(later.some((l) => l.startsWith(' xenbus'))).toBe(false);
  });

  it('follows a migration from migration events: the two hosts and the pre-copy rounds', () => {
    let s = initialState(120, 36);
    const ev = (p: Partial<MigrationProgress>): MigrationProgress => ({ kind: 'migration', at: 0, domid: 2, name: 'g2', from: 'xenhost', to: 'host-b', phase: 'round', ...p });
    s = reduce(s, { type: 'feed', events: [ev({ phase: 'start' }), ev({ round: 1, sentPages: 262144, dirtyPages: 9000 }), ev({ round: 2, sentPages: 9000, dirtyPages: 310 })] });
    expect(s.arch.migration).toMatchObject({ domid: 2, from: 'xenhost', to: 'host-b', phase: 'round' });
    expect(s.arch.migration!.rounds).toHaveLength(2);
    const t = text(archLines({ data: data(2), width: 120, height: 36, first: 0, tick: 0, theme, migration: s.arch.migration }).lines);
    expect(t.some((l) => l.startsWith('═ migration of g2 (dom 2): host xenhost ══► host host-b · pre-copy round 2: sent 9000 pages, 310 dirtied'))).toBe(true);
    expect(t.some((l) => /^ rounds {2}r1 █+ 262144 {2}r2 █ 9000$/.test(l))).toBe(true);
    s = reduce(s, { type: 'feed', events: [ev({ phase: 'done' })] });
    expect(s.arch.migration!.phase).toBe('done');
  });
});
