/**
 * Cpupools, pinning and per-pool scheduler parameters through the `Host` API under a
 * VirtualClock (pools.ts; xen/common/sched/cpupool.c rules).
 */
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import { Host } from '../../src/machine/host.js';
import { XenError } from '../../src/machine/xen-error.js';
import { guestConfig, T0 } from './helpers.js';

const SEC = 1e9;

/** A host with one booted guest running `stress -c <workers>` on `vcpus` vCPUs. */
function busy(name: string, vcpus: number, host = Host.create(new VirtualClock(T0)), workers = vcpus) {
  const id = host.createDomain(guestConfig(name, { vcpus, memoryMiB: 256 }));
  host.advanceTo(Math.max(host.now(), T0) + 20_000);
  host.consoleInput(id, 'root\rpw\r');
  host.consoleInput(id, `stress -c ${workers}\r`);
  return { host, id };
}

/** The XenError `fn` throws (fails the test when it throws nothing). */
function xenError(fn: () => void): XenError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XenError) return e;
    throw e;
  }
  throw new Error('expected a XenError');
}

describe('cpupools', () => {
  test('pCPUs move from Pool-0 to a new pool and back; free_cpus agrees', () => {
    const host = Host.create(new VirtualClock(T0));
    expect(host.cpupools().map((p) => [p.id, p.name, p.scheduler, p.cpus, p.domains])).toEqual([[0, 'Pool-0', 'credit2', [0, 1, 2, 3, 4, 5, 6, 7], 1]]);
    host.cpupoolRemoveCpu(0, 6);
    host.cpupoolRemoveCpu(0, 7);
    expect(host.freeCpus()).toEqual([6, 7]);
    const id = host.createCpupool('batch', 'credit', [6, 7]);
    expect(id).toBe(1);
    expect(host.freeCpus()).toEqual([]);
    expect(host.cpupools()[1]).toMatchObject({ id: 1, name: 'batch', scheduler: 'credit', cpus: [6, 7], domains: 0, params: { tsliceMs: 30, ratelimitUs: 1000, migrDelayUs: 0 } });
    expect(host.xenstoreRead('/local/pool/1/name')).toBe('batch');
    host.renameCpupool(1, 'hpc');
    expect(host.xenstoreRead('/local/pool/1/name')).toBe('hpc');
    host.destroyCpupool(1);
    expect(host.freeCpus()).toEqual([6, 7]);
    expect(host.xenstoreRead('/local/pool/1/name')).toBeUndefined();
    host.cpupoolAddCpu(0, 7);
    expect(host.cpupools()[0]!.cpus).toEqual([0, 1, 2, 3, 4, 5, 7]);
  });

  test('a domain moved to a 2-pCPU pool gets at most 2 pCPUs of CPU time, default scheduling and affinity', () => {
    const { host, id } = busy('hog', 4);
    host.setSchedParams(id, { weight: 512 });
    host.pinVcpu(id, 0, [0, 1, 2, 3]);
    const t0 = host.domain(id)!.cpuTimeNs;
    host.advanceTo(host.now() + 10_000);
    expect(host.domain(id)!.cpuTimeNs - t0).toBeGreaterThan(3.9 * 10 * SEC);
    host.cpupoolRemoveCpu(0, 4);
    host.cpupoolRemoveCpu(0, 5);
    const pool = host.createCpupool('small', 'credit2', [4, 5]);
    host.moveToCpupool(id, pool);
    const d = host.domain(id)!;
    expect(d.pool).toBe('small');
    expect(host.schedParams(id)).toEqual({ weight: 256, cap: 0 });
    expect(d.vcpus!.every((v) => v.hardAffinity.length === 8 && v.softAffinity.length === 8)).toBe(true);
    expect(d.vcpus!.filter((v) => v.online).every((v) => v.cpu === undefined || [4, 5].includes(v.cpu))).toBe(true);
    const t1 = d.cpuTimeNs;
    host.advanceTo(host.now() + 10_000);
    const used = host.domain(id)!.cpuTimeNs - t1;
    expect(used).toBeLessThanOrEqual(2 * 10 * SEC);
    expect(used).toBeGreaterThan(1.99 * 10 * SEC);
    expect(host.cpupools()[1]!.domains).toBe(1);
    // The pool's pCPUs follow: with one more pCPU the domain gets three.
    host.cpupoolRemoveCpu(0, 6);
    host.cpupoolAddCpu(pool, 6);
    const t2 = host.domain(id)!.cpuTimeNs;
    host.advanceTo(host.now() + 10_000);
    expect(host.domain(id)!.cpuTimeNs - t2).toBeGreaterThan(2.99 * 10 * SEC);
  });

  test('invalid operations are typed errors with Xen\'s errno and change nothing', () => {
    const { host, id } = busy('g', 1);
    host.cpupoolRemoveCpu(0, 7);
    const pool = host.createCpupool('p1', 'credit2', [7]);
    host.moveToCpupool(id, pool);
    const before = JSON.stringify(host.exportTables());
    const cases: [() => void, string, string][] = [
      [() => host.destroyCpupool(0), 'INVALID_STATE', 'EBUSY'],
      [() => host.destroyCpupool(pool), 'INVALID_STATE', 'EBUSY'],
      [() => host.destroyCpupool(9), 'INVALID_ARGUMENT', 'ENOENT'],
      [() => host.cpupoolRemoveCpu(0, 0), 'INVALID_ARGUMENT', 'EINVAL'],
      [() => host.cpupoolRemoveCpu(pool, 7), 'INVALID_STATE', 'EBUSY'],
      [() => host.cpupoolRemoveCpu(pool, 3), 'INVALID_ARGUMENT', 'EADDRNOTAVAIL'],
      [() => host.cpupoolRemoveCpu(0, 8), 'INVALID_ARGUMENT', 'EINVAL'],
      [() => host.cpupoolAddCpu(pool, 1), 'INVALID_STATE', 'ENODEV'],
      [() => host.moveToCpupool(0, pool), 'DOMAIN_0', 'EPERM'],
      [() => host.moveToCpupool(77, pool), 'NO_SUCH_DOMAIN', 'ESRCH'],
      [() => host.createCpupool('x', 'sedf' as never, []), 'INVALID_ARGUMENT', 'ENOENT'],
      [() => host.createCpupool('x', 'credit', [1]), 'INVALID_STATE', 'ENODEV'],
      [() => host.setCpupoolSchedParams(0, { ratelimitUs: 50 }), 'INVALID_ARGUMENT', 'EINVAL'],
      [() => host.setCpupoolSchedParams(0, { tsliceMs: 10 }), 'INVALID_ARGUMENT', 'EINVAL'],
    ];
    for (const [fn, code, errno] of cases) {
      const e = xenError(fn);
      expect([e.code, e.errno]).toEqual([code, errno]);
    }
    // An empty pool cannot take a domain (ENOENT).
    const empty = host.createCpupool('empty', 'credit2', []);
    const after = JSON.stringify(host.exportTables());
    expect(xenError(() => host.moveToCpupool(id, empty)).errno).toBe('ENOENT');
    expect(JSON.stringify(host.exportTables())).toBe(after);
    host.destroyCpupool(empty);
    expect(JSON.stringify(host.exportTables())).not.toBe(before); // the PRNG moved (UUID)
    expect(host.cpupools().map((p) => p.name)).toEqual(['Pool-0', 'p1']);
  });

  test('pool parameters are stored per pool; credit2 has only a ratelimit', () => {
    const host = Host.create(new VirtualClock(T0));
    host.setCpupoolSchedParams(0, { ratelimitUs: 2000 });
    expect(host.cpupools()[0]!.params).toEqual({ ratelimitUs: 2000 });
    host.cpupoolRemoveCpu(0, 3);
    const c = host.createCpupool('c1', 'credit', [3]);
    host.setCpupoolSchedParams(c, { tsliceMs: 10, ratelimitUs: 500, migrDelayUs: 100 });
    expect(host.cpupools()[1]!.params).toEqual({ tsliceMs: 10, ratelimitUs: 500, migrDelayUs: 100 });
    expect(xenError(() => host.setCpupoolSchedParams(0, { tsliceMs: 5 })).errno).toBe('EINVAL');
    expect(xenError(() => host.setCpupoolSchedParams(c, { ratelimitUs: 20000 })).errno).toBe('EINVAL');
  });

  test('RTDS: a vCPU without extratime gets budget/period of a pCPU', () => {
    const { host, id } = busy('rt', 1);
    host.cpupoolRemoveCpu(0, 7);
    const rt = host.createCpupool('rt', 'rtds', [7]);
    host.moveToCpupool(id, rt);
    expect(host.rtdsParams(id)).toEqual([{ period: 10000, budget: 4000, extratime: true }]);
    host.setRtdsParams(id, [{ vcpu: 0, period: 10000, budget: 2500, extratime: false }]);
    const t = host.domain(id)!.cpuTimeNs;
    host.advanceTo(host.now() + 10_000);
    expect(host.domain(id)!.cpuTimeNs - t).toBeLessThanOrEqual(0.25 * 10 * SEC);
    expect(host.domain(id)!.cpuTimeNs - t).toBeGreaterThan(0.24 * 10 * SEC);
    expect(xenError(() => host.setRtdsParams(id, [{ vcpu: 0, period: 100, budget: 200, extratime: true }])).errno).toBe('EINVAL');
    expect(xenError(() => host.setRtdsParams(id, [{ vcpu: 3, period: 100, budget: 50, extratime: true }])).errno).toBe('EINVAL');
  });
});

describe('pinning', () => {
  test('4 vCPUs pinned to one pCPU never get more than one pCPU of CPU time', () => {
    const { host, id } = busy('pinned', 4);
    host.pinVcpu(id, 'all', [5]);
    const d = host.domain(id)!;
    expect(d.vcpus!.map((v) => v.hardAffinity)).toEqual([[5], [5], [5], [5]]);
    const t = d.cpuTimeNs;
    for (let i = 1; i <= 10; i++) {
      host.advanceTo(host.now() + 1000);
      expect(host.domain(id)!.cpuTimeNs - t).toBeLessThanOrEqual(i * SEC);
    }
    expect(host.domain(id)!.cpuTimeNs - t).toBeGreaterThan(0.99 * 10 * SEC);
    const running = host.listDomains({ vcpus: true }).find((x) => x.domid === id)!.vcpus!.filter((v) => v.running);
    expect(running.length).toBeLessThanOrEqual(1);
    expect(running.every((v) => v.cpu === 5)).toBe(true);
  });

  test('a hard affinity outside the domain\'s cpupool is refused; a soft one may be empty', () => {
    const { host, id } = busy('p', 2);
    host.cpupoolRemoveCpu(0, 7);
    expect(() => host.pinVcpu(id, 0, [7])).toThrow(/cpupool/);
    host.pinVcpu(id, 1, undefined, []);
    expect(host.domain(id)!.vcpus![1]!.softAffinity).toEqual([]);
  });
});
