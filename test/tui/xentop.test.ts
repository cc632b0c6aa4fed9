import { describe, expect, it } from 'vitest';
import {
  cFixed1,
  computeRows,
  detailLines,
  DEFAULT_TOP_OPTIONS,
  fieldWidths,
  formatBatch,
  formatHeader,
  formatRow,
  nextSortField,
  sortRows,
  stateLetters,
  summaryLines,
  type TopSample,
} from '../../src/tui/xentop.js';
import { BLOCKED, dom, dom0, HOST, RUNNING, ShutdownReason } from './fixtures.js';

const T0 = Date.UTC(2026, 10, 21, 10, 30, 5);
const sample = (domains: ReturnType<typeof dom>[], nowMs = T0): TopSample => ({ nowMs, host: HOST, domains });

const HEADER =
  '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID';

describe('cFixed1 (glibc %.1f)', () => {
  it('rounds exact binary ties to even', () => {
    expect(cFixed1(0.25)).toBe('0.2');
    expect(cFixed1(0.75)).toBe('0.8');
    expect(cFixed1(1.25)).toBe('1.2');
    expect(cFixed1(2.5)).toBe('2.5');
    expect(cFixed1(-0.25)).toBe('-0.2');
  });
  it('rounds non-ties by their exact binary value', () => {
    // 0.15 is 0.1499999… in binary, 0.35 is 0.34999…, 0.45 is 0.4500000000000000111…
    expect(cFixed1(0.15)).toBe('0.1');
    expect(cFixed1(0.35)).toBe('0.3');
    expect(cFixed1(0.45)).toBe('0.5');
    expect(cFixed1(12.5)).toBe('12.5');
    expect(cFixed1(3.125)).toBe('3.1');
    expect(cFixed1(0)).toBe('0.0');
  });
});

describe('rows and header', () => {
  it('prints the header right-justified to the default widths', () => {
    expect(formatHeader(fieldWidths([]))).toBe(HEADER);
  });

  it('formats Domain-0 and a guest exactly as xentop', () => {
    const web = dom({
      domid: 5,
      name: 'webserver-01',
      cpuTimeNs: 57_900_000_000,
      memKiB: 1048576,
      maxMemKiB: 1049600,
      maxVcpus: 2,
      nets: [{ devid: 0, txBytes: 12 * 1024 + 100, rxBytes: 345 * 1024, txPackets: 1, rxPackets: 2 }],
      vbds: [{ devid: 51712, oo: 0, rdReq: 2211, wrReq: 1876, rdSect: 88410, wrSect: 50216 }],
    });
    const rows = computeRows(sample([dom0(), web]));
    const w = fieldWidths(rows);
    expect(formatRow(rows[0]!, w)).toBe(
      '  Domain-0 -----r       1234    0.0    4194304   12.5   no limit       n/a     4    0        0        0    0        0        0        0          0          0    0',
    );
    expect(formatRow(rows[1]!, w)).toBe(
      'webserver- --b---         57    0.0    1048576    3.1    1049600       3.1     2    1       12      345    1        0     2211     1876      88410      50216    0',
    );
  });

  it('prints NAME in full with -f, right-justified to the longest name', () => {
    const rows = computeRows(sample([dom0(), dom({ domid: 1, name: 'a-very-long-name' })]));
    const w = fieldWidths(rows, true);
    expect(formatHeader(w).startsWith('            NAME  STATE')).toBe(true);
    expect(formatRow(rows[0]!, w, true).startsWith('        Domain-0 -----r')).toBe(true);
    expect(formatRow(rows[1]!, w, true).startsWith('a-very-long-name --b---')).toBe(true);
  });

  it('grows NETTX(k) and VBD_RSECT to fit large values', () => {
    const big = dom({
      domid: 1,
      name: 'big',
      nets: [{ devid: 0, txBytes: 123456789 * 1024, rxBytes: 0, txPackets: 0, rxPackets: 0 }],
      vbds: [{ devid: 51712, oo: 0, rdReq: 0, wrReq: 0, rdSect: 12345678901, wrSect: 0 }],
    });
    const rows = computeRows(sample([big]));
    const w = fieldWidths(rows);
    expect(w['NETTX(k)']).toBe(9);
    expect(w.VBD_RSECT).toBe(11);
    expect(formatHeader(w)).toContain(' NETS  NETTX(k) NETRX(k) VBDS');
    expect(formatHeader(w)).toContain(' VBD_WR   VBD_RSECT  VBD_WSECT ');
    expect(formatRow(rows[0]!, w)).toContain(' 123456789        0    1 ');
  });
});

describe('state letters', () => {
  it('uses the d s b c p r order', () => {
    expect(stateLetters(dom0())).toBe('-----r');
    expect(stateLetters(dom({ domid: 1, name: 'x', state: BLOCKED }))).toBe('--b---');
    expect(stateLetters(dom({ domid: 1, name: 'x', state: { ...BLOCKED, blocked: false, paused: true } }))).toBe('----p-');
    const down = { running: false, blocked: false, paused: false, shutdown: true, dying: false };
    expect(stateLetters(dom({ domid: 1, name: 'x', state: { ...down, shutdownReason: ShutdownReason.Poweroff } }))).toBe('-s----');
    expect(stateLetters(dom({ domid: 1, name: 'x', state: { ...down, shutdownReason: ShutdownReason.Crash } }))).toBe('---c--');
    expect(stateLetters(dom({ domid: 1, name: 'x', state: { ...down, dying: true, shutdownReason: ShutdownReason.Reboot } }))).toBe('ds----');
  });
});

describe('CPU(%)', () => {
  it('is 0.0 on the first sample and Δns/10/Δµs afterwards', () => {
    const a = sample([dom0(10e9), dom({ domid: 2, name: 'g', cpuTimeNs: 1e9 })], T0);
    const b = sample([dom0(10e9 + 1.5e9), dom({ domid: 2, name: 'g', cpuTimeNs: 1e9 + 0.0025e9 })], T0 + 1000);
    expect(computeRows(a).map((r) => r.cpuPct)).toEqual([0, 0]);
    const rows = computeRows(b, a);
    expect(cFixed1(rows[0]!.cpuPct)).toBe('150.0');
    // 2.5 ms of CPU in 1 s = 0.25 % → glibc prints 0.2
    expect(formatRow(rows[1]!, fieldWidths(rows)).slice(29, 35)).toBe('   0.2');
  });
  it('is 0.0 for a domain that was not in the previous sample', () => {
    const a = sample([dom0()], T0);
    const b = sample([dom0(), dom({ domid: 7, name: 'new', cpuTimeNs: 5e9 })], T0 + 3000);
    expect(computeRows(b, a)[1]!.cpuPct).toBe(0);
  });
});

describe('sorting', () => {
  const doms = [
    dom0(),
    dom({ domid: 1, name: 'beta', memKiB: 2097152, cpuTimeNs: 5e9 }),
    dom({ domid: 2, name: 'Alpha', memKiB: 524288, cpuTimeNs: 50e9, state: { ...RUNNING } }),
    dom({ domid: 3, name: 'gamma', memKiB: 1048576, state: { ...BLOCKED, blocked: false, paused: true } }),
  ];
  const rows = computeRows(sample(doms));
  const names = (f: Parameters<typeof sortRows>[1], z = false) => sortRows(rows, f, z).map((r) => r.name);

  it('sorts NAME case-insensitively by default', () => {
    expect(names('NAME')).toEqual(['Alpha', 'beta', 'Domain-0', 'gamma']);
  });
  it('puts Domain-0 first with -z', () => {
    expect(names('NAME', true)).toEqual(['Domain-0', 'Alpha', 'beta', 'gamma']);
  });
  it('sorts numeric columns descending', () => {
    expect(names('MEM(k)')).toEqual(['Domain-0', 'beta', 'gamma', 'Alpha']);
    expect(names('CPU(sec)')).toEqual(['Domain-0', 'Alpha', 'beta', 'gamma']);
    // no limit sorts as the largest MAXMEM
    expect(names('MAXMEM(k)')[0]).toBe('Domain-0');
  });
  it('sorts STATE blocked before paused before running', () => {
    expect(names('STATE')).toEqual(['beta', 'gamma', 'Domain-0', 'Alpha']);
  });
  it('cycles S through all 19 columns and back to NAME', () => {
    let f: Parameters<typeof sortRows>[1] = 'NAME';
    const seen: string[] = [];
    for (let i = 0; i < 19; i++) {
      f = nextSortField(f);
      seen.push(f);
    }
    expect(seen[0]).toBe('STATE');
    expect(seen[17]).toBe('SSID');
    expect(seen[18]).toBe('NAME');
  });
});

describe('summary lines', () => {
  it('prints the three lines of do_summary', () => {
    const paused = dom({ domid: 3, name: 'p', state: { ...BLOCKED, blocked: false, paused: true } });
    const crashed = dom({
      domid: 4,
      name: 'c',
      state: { running: false, blocked: false, paused: false, shutdown: true, dying: false, shutdownReason: ShutdownReason.Crash },
    });
    const lines = summaryLines(sample([dom0(), dom({ domid: 1, name: 'b' }), paused, crashed]), true);
    expect(lines).toEqual([
      'xentop - 10:30:05   Xen 4.20.0',
      '4 domains: 1 running, 1 blocked, 1 paused, 1 crashed, 0 dying, 0 shutdown ',
      'Mem: 33554432k total, 12582912k used, 20971520k free    CPUs: 8 @ 2400MHz',
    ]);
  });
});

describe('detail lines', () => {
  it('prints the -v line wrapping before vCPU 5 and -n / -x lines', () => {
    const vcpus = Array.from({ length: 6 }, (_, id) => ({
      id,
      online: id !== 3,
      running: false,
      blocked: true,
      timeNs: id * 2e9,
      hardAffinity: [],
      softAffinity: [],
    }));
    const d = dom({
      domid: 1,
      name: 'v',
      maxVcpus: 6,
      vcpus,
      nets: [{ devid: 0, txBytes: 2048, rxBytes: 4096, txPackets: 3, rxPackets: 4 }],
      vbds: [{ devid: 51712, oo: 1, rdReq: 2, wrReq: 3, rdSect: 4, wrSect: 5 }],
    });
    expect(detailLines(d, { ...DEFAULT_TOP_OPTIONS, vcpus: true, networks: true, vbds: true })).toEqual([
      'VCPUs(sec):   0:          0s  1:          2s  2:          4s  4:          8s',
      '          5:         10s',
      'Net0 RX:     4096bytes        4pkts        0err        0drop  TX:     2048bytes        3pkts        0err        0drop',
      'VBD BlkBack 51712 [ca: 0]  OO:        1   RD:        2   WR:        3   RSECT:          4   WSECT:          5',
    ]);
  });
});

describe('batch mode', () => {
  it('prints the header and rows only, CPU(%) from the previous iteration', () => {
    const a = sample([dom({ domid: 1, name: 'g', cpuTimeNs: 0 }), dom0(0)], T0);
    const b = sample([dom({ domid: 1, name: 'g', cpuTimeNs: 0.5e9 }), dom0(3e9)], T0 + 3000);
    expect(formatBatch(a, undefined)).toBe(
      HEADER +
        '\n' +
        '  Domain-0 -----r          0    0.0    4194304   12.5   no limit       n/a     4    0        0        0    0        0        0        0          0          0    0\n' +
        '         g --b---          0    0.0    1048576    3.1    1049600       3.1     1    0        0        0    0        0        0        0          0          0    0\n',
    );
    const second = formatBatch(b, a).split('\n');
    expect(second[1]!.slice(0, 35)).toBe('  Domain-0 -----r          3  100.0');
    expect(second[2]!.slice(0, 35)).toBe('         g --b---          0   16.7');
  });
  it('repeats the header before every domain after the first with -r', () => {
    const out = formatBatch(sample([dom0(), dom({ domid: 1, name: 'g' })]), undefined, 'NAME', { ...DEFAULT_TOP_OPTIONS, repeatHeader: true });
    expect(out.split('\n').filter((l) => l === HEADER)).toHaveLength(2);
  });
  it('omits domains with no name (being destroyed)', () => {
    const out = formatBatch(sample([dom0(), dom({ domid: 9, name: '' })]), undefined);
    expect(out.split('\n')).toHaveLength(3);
  });
});
