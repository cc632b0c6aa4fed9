import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpuSeconds, formatFixed, formatFixedExact } from '../../src/toolstack/format/printf.js';
import { formatList, listHeader, listRow, stateLetters } from '../../src/toolstack/format/list.js';
import { uptimeHeader, uptimeRow, uptimeShortRow, uptimeString } from '../../src/toolstack/format/uptime.js';
import { formatBitmap, vcpuListHeader, vcpuRow } from '../../src/toolstack/format/vcpu-list.js';
import { libxlLine, SITES } from '../../src/toolstack/format/log.js';
import { ShutdownReason } from '../../src/machine/api.js';
import { dom } from './helpers.js';

describe('glibc %.1f', () => {
  it('rounds exact binary ties to even, unlike toFixed', () => {
    expect(formatFixed(0.25, 1)).toBe('0.2');
    expect((0.25).toFixed(1)).toBe('0.3');
    expect(formatFixed(0.75, 1)).toBe('0.8');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(3.5, 0)).toBe('4');
  });
  it('uses the exact binary value of non-ties', () => {
    // 0.35 is 0.34999999999999997779… and 0.45 is 0.45000000000000001110… in binary.
    expect(formatFixed(0.35, 1)).toBe('0.3');
    expect(formatFixed(0.45, 1)).toBe('0.5');
    expect(formatFixed(1.05, 1)).toBe('1.1');
    expect(formatFixed(0, 1)).toBe('0.0');
    expect(formatFixed(-0.25, 1)).toBe('-0.2');
    expect(formatFixed(1234.56, 1)).toBe('1234.6');
  });
  it('agrees with exact decimal rounding except at ties, where it picks the even digit', () => {
    // A tie for one decimal is x = k + 0.25 or k + 0.75 (the only dyadic halves of 0.1);
    // toFixed is exact and rounds ties up, so elsewhere the two must agree.
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), (x) => {
        const q = x * 4;
        if (Number.isInteger(q) && q % 2 === 1) {
          const text = formatFixed(x, 1);
          expect(Number(text.at(-1)) % 2).toBe(0);
          expect(Math.abs(Number(text) - x)).toBeCloseTo(0.05, 9);
        } else {
          expect(formatFixed(x, 1)).toBe(x.toFixed(1));
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000 }), (k) => {
        const x = k + 0.25;
        expect(formatFixed(x, 1)).toBe(`${k}.2`);
        expect(formatFixed(k + 0.75, 1)).toBe(`${k}.8`);
      }),
      { numRuns: 500 },
    );
  });
  it('converts the CPU-time counter to a C float before dividing', () => {
    // 100049999999 ns is 100.049999999 s, but as a float it is 100050001920.
    expect(cpuSeconds(100_049_999_999)).toBe('100.1');
    expect(cpuSeconds(250_000_000)).toBe('0.2');
    expect(cpuSeconds(0)).toBe('0.0');
  });
});

describe('xl list format', () => {
  it('prints the header with two literal TABs', () => {
    expect(listHeader()).toBe('Name                                        ID   Mem VCPUs\tState\tTime(s)\n');
    expect(listHeader({ verbose: true })).toBe(
      'Name                                        ID   Mem VCPUs\tState\tTime(s)   UUID                            Reason-Code\tSecurity Label\n',
    );
    expect(listHeader({ context: true })).toBe(
      'Name                                        ID   Mem VCPUs\tState\tTime(s)   Security Label\n',
    );
  });
  it('prints rows with spaces only, Mem in MiB and the float-rounded time', () => {
    const d0 = dom({
      domid: 0,
      name: 'Domain-0',
      memKiB: 4194304,
      onlineVcpus: 4,
      cpuTimeNs: 1_234_500_000_000,
      state: { running: true, blocked: false, paused: false, shutdown: false, dying: false },
    });
    const vm = dom({ domid: 3, name: 'vm1', memKiB: 1048575 + 1024, onlineVcpus: 2, cpuTimeNs: 56_700_000_000 });
    expect(formatList([d0, vm])).toBe(
      'Name                                        ID   Mem VCPUs\tState\tTime(s)\n' +
        'Domain-0                                     0  4096     4     r-----    1234.5\n' +
        'vm1                                          3  1024     2     -b----      56.7\n',
    );
  });
  it('lets long names push the row right', () => {
    const d = dom({ domid: 7, name: 'a-very-long-domain-name-that-exceeds-forty-chars', memKiB: 524288,
      state: { running: false, blocked: false, paused: true, shutdown: false, dying: false } });
    expect(listRow(d)).toBe('a-very-long-domain-name-that-exceeds-forty-chars     7   512     1     --p---       0.0\n');
  });
  it('shows the shutdown reason letter', () => {
    const st = (shutdownReason: ShutdownReason) => ({ running: false, blocked: false, paused: false, shutdown: true, dying: false, shutdownReason });
    expect(stateLetters({ state: st(ShutdownReason.Poweroff) })).toBe('---s--');
    expect(stateLetters({ state: st(ShutdownReason.Reboot) })).toBe('---sr-');
    expect(stateLetters({ state: st(ShutdownReason.Crash) })).toBe('---sc-');
    expect(stateLetters({ state: st(ShutdownReason.Watchdog) })).toBe('---sw-');
    expect(stateLetters({ state: st(ShutdownReason.SoftReset) })).toBe('---sS-');
    expect(stateLetters({ state: st(9 as ShutdownReason) })).toBe('---s?-');
  });
  it('-v appends UUID, hex reason code and security label', () => {
    const up = dom({ domid: 0, name: 'Domain-0', memKiB: 4194304, onlineVcpus: 4, cpuTimeNs: 1_234_500_000_000,
      state: { running: true, blocked: false, paused: false, shutdown: false, dying: false } });
    const down = dom({ domid: 3, name: 'vm1', uuid: '4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f', onlineVcpus: 2, cpuTimeNs: 12e9,
      state: { running: false, blocked: false, paused: false, shutdown: true, dying: false, shutdownReason: ShutdownReason.Crash } });
    expect(listRow(up, { verbose: true })).toBe(
      'Domain-0                                     0  4096     4     r-----    1234.5 00000000-0000-0000-0000-000000000000        -                -\n',
    );
    expect(listRow(down, { verbose: true })).toBe(
      'vm1                                          3  1024     2     ---sc-      12.0 4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f        3                -\n',
    );
  });
  it('-c appends the pool name right-aligned in 16 columns without a separating space', () => {
    expect(listHeader({ cpupool: true })).toBe('Name                                        ID   Mem VCPUs\tState\tTime(s)         Cpupool\n');
    expect(listRow(dom({ domid: 1, name: 'a' }), { cpupool: true }).endsWith('     0.0          Pool-0\n')).toBe(true);
  });
});

describe('xl uptime format', () => {
  it('formats days, one day and less than a day', () => {
    expect(uptimeString(3 * 86400 + 4 * 3600 + 5 * 60 + 6, false)).toBe('3 days,  4:05:06');
    expect(uptimeString(86400 + 59, false)).toBe('1 day,  0:00:59');
    expect(uptimeString(12 * 60 + 34, false)).toBe(' 0:12:34');
    expect(uptimeString(3 * 86400 + 4 * 3600 + 5 * 60 + 6, true)).toBe('3 days,  4:05');
    expect(uptimeString(23 * 3600 + 59 * 60, true)).toBe('23:59');
  });
  it('prints the long header and rows (%-33s %4s %s)', () => {
    // xl-commands.md §3.8 states L33 / R4; its rendered sample disagrees with its own text.
    expect(uptimeHeader() + uptimeRow('Domain-0', 0, 3 * 86400 + 4 * 3600 + 5 * 60 + 6) + uptimeRow('vm1', 3, 754)).toBe(
      'Name' + ' '.repeat(29) + '   ID Uptime\n' +
        'Domain-0' + ' '.repeat(25) + '    0 3 days,  4:05:06\n' +
        'vm1' + ' '.repeat(30) + '    3  0:12:34\n',
    );
  });
  it('prints the short row', () => {
    expect(uptimeShortRow('14:03:12', 'Domain-0', 0, 3 * 86400 + 4 * 3600 + 5 * 60)).toBe(
      ' 14:03:12 up 3 days,  4:05, Domain-0 (0)\n',
    );
  });
});

describe('xl vcpu-list format', () => {
  it('prints the header and rows offset by one column in the middle', () => {
    const d = { name: 'Domain-0', domid: 0 };
    const v = { id: 0, online: true, cpu: 0, running: true, blocked: false, timeNs: 100.2e9, hardAffinity: [0, 1, 2, 3, 4, 5, 6, 7], softAffinity: [0, 1, 2, 3, 4, 5, 6, 7] };
    expect(vcpuListHeader() + vcpuRow(d, v, 8)).toBe(
      'Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)\n' +
        'Domain-0                             0     0    0   r--     100.2  all / all\n',
    );
    const vm = { name: 'vm1', domid: 3 };
    expect(vcpuRow(vm, { ...v, id: 0, cpu: 2, running: false, blocked: true, timeNs: 5.1e9, hardAffinity: [2, 3] }, 8)).toBe(
      'vm1                                  3     0    2   -b-       5.1  2-3 / all\n',
    );
    expect(vcpuRow(vm, { ...v, id: 1, online: false, cpu: undefined, running: false, timeNs: 0 }, 8)).toBe(
      'vm1                                  3     1    -   --p       0.0  all / all\n',
    );
  });
  it('formats bitmaps as all, none or ranges', () => {
    expect(formatBitmap([0, 1, 2, 3, 6, 8, 9], 10)).toBe('0-3,6,8-9');
    expect(formatBitmap([], 8)).toBe('none');
    expect(formatBitmap([0, 1, 2, 3], 4)).toBe('all');
    expect(formatBitmap([5], 8)).toBe('5');
  });
});

describe('libxl log lines', () => {
  it('adds Domain <id>: only for guest domids', () => {
    expect(libxlLine('error', SITES.pause, 99, 'Pausing domain', 'No such process')).toBe(
      'libxl: error: libxl_domain.c:583:libxl_domain_pause: Domain 99:Pausing domain: No such process\n',
    );
    expect(libxlLine('error', SITES.pause, 0, 'Pausing domain')).toBe(
      'libxl: error: libxl_domain.c:583:libxl_domain_pause: Pausing domain\n',
    );
    expect(libxlLine('error', SITES.pause, 40000, 'Pausing domain')).toBe(
      'libxl: error: libxl_domain.c:583:libxl_domain_pause: Pausing domain\n',
    );
  });
});

describe('formatFixed fast path', () => {
  it('agrees with the exact glibc rounding for every double, ties included', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), fc.integer({ min: -4000, max: 4000 }).map((k) => k / 4)), (x) => {
        expect(formatFixed(x, 1)).toBe(formatFixedExact(x, 1));
      }),
      { numRuns: 5000 },
    );
    expect(formatFixed(0.25, 1)).toBe('0.2');
    expect(formatFixed(0.75, 1)).toBe('0.8');
    expect(formatFixed(2.35, 1)).toBe('2.4');
  });
});
