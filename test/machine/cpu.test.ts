import { describe, expect, test } from 'vitest';
import { Host } from '../../src/machine/host.js';
import { VirtualClock } from '../../src/machine/clock.js';
import { guestConfig, T0 } from './helpers.js';

const SEC = 1e9;

function total(host: Host, ids: number[]): number {
  return ids.reduce((a, id) => a + host.domain(id)!.cpuTimeNs, 0);
}

describe('CPU time and the scheduler', () => {
  test('a booting guest burns far more CPU than the same guest idling afterwards', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain(guestConfig('vm', { vcpus: 2 }));
    host.advanceTo(T0 + 2000);
    const boot = host.domain(id)!.cpuTimeNs;
    host.advanceTo(T0 + 60_000);
    const mid = host.domain(id)!.cpuTimeNs;
    host.advanceTo(T0 + 62_000);
    const idle = host.domain(id)!.cpuTimeNs - mid;
    expect(boot).toBeGreaterThan(1 * SEC);
    expect(idle).toBeGreaterThan(0);
    expect(idle * 20).toBeLessThan(boot);
    const d = host.domain(id)!;
    expect(d.cpuTimeNs).toBe(d.vcpus!.reduce((a, v) => a + v.timeNs, 0));
  });

  test('Domain-0 has a small steady load and its vCPU0 is running (xl runs there)', () => {
    const host = Host.create(new VirtualClock(T0));
    host.advanceTo(T0 + 3_600_000);
    const d0 = host.domain(0)!;
    expect(d0.cpuTimeNs).toBeGreaterThan(0);
    expect(d0.cpuTimeNs).toBeLessThan(0.1 * 4 * 3600 * SEC);
    expect(d0.vcpus![0].running).toBe(true);
    expect(d0.state.running).toBe(true);
    expect(d0.vcpus!.map((v) => v.cpu)).toEqual([0, 1, 2, 3]);
  });

  test('paused and shut-down domains accrue nothing', () => {
    const host = Host.create(new VirtualClock(T0));
    const p = host.createDomain(guestConfig('p'));
    const s = host.createDomain(guestConfig('s', { onPoweroff: 'preserve' }));
    host.advanceTo(T0 + 10_000);
    host.pause(p);
    host.requestShutdown(s, 'poweroff');
    host.advanceTo(T0 + 60_000);
    const a = [host.domain(p)!.cpuTimeNs, host.domain(s)!.cpuTimeNs];
    host.advanceTo(T0 + 86_400_000);
    expect([host.domain(p)!.cpuTimeNs, host.domain(s)!.cpuTimeNs]).toEqual(a);
    expect(host.domain(p)!.vcpus![0].running).toBe(false);
  });

  test('when demand exceeds 8 pCPUs they are shared by weight and fully used', () => {
    const host = Host.create(new VirtualClock(T0));
    const heavy: number[] = [];
    const light: number[] = [];
    for (let i = 0; i < 6; i++) {
      heavy.push(host.createDomain(guestConfig(`h${i}`, { vcpus: 4, memoryMiB: 256, weight: 512 })));
      light.push(host.createDomain(guestConfig(`l${i}`, { vcpus: 4, memoryMiB: 256 })));
    }
    host.advanceTo(T0 + 1000);
    const all = [0, ...heavy, ...light];
    const used = total(host, all);
    expect(used).toBeLessThanOrEqual(8 * 1 * SEC);
    expect(used).toBeGreaterThan(0.999 * 8 * SEC);
    expect(total(host, heavy)).toBeGreaterThan(1.3 * total(host, light));
    for (const id of all) {
      for (const v of host.domain(id)!.vcpus!) expect(v.timeNs).toBeLessThanOrEqual(1 * SEC);
    }
  });

  test('a cap limits a domain to that share of one pCPU', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain(guestConfig('capped', { vcpus: 4, cap: 25 }));
    host.advanceTo(T0 + 2000);
    const cpu = host.domain(id)!.cpuTimeNs;
    expect(cpu).toBeLessThanOrEqual(0.25 * 2 * SEC);
    expect(cpu).toBeGreaterThan(0.24 * 2 * SEC);
  });

  test('hard affinity pins where vCPUs run; offline vCPUs have no pCPU', () => {
    const host = Host.create(new VirtualClock(T0));
    const cfg = guestConfig('pin', { vcpus: 2, maxVcpus: 3 });
    cfg.b_info.vcpu_hard_affinity = [[2, 3], [5]];
    const id = host.createDomain(cfg);
    for (let t = 1; t <= 20; t++) {
      host.advanceTo(T0 + t * 3700);
      const v = host.domain(id)!.vcpus!;
      expect([2, 3]).toContain(v[0].cpu);
      expect(v[0].hardAffinity).toEqual([2, 3]);
      expect(v[2]).toMatchObject({ online: false, running: false, blocked: false, timeNs: 0 });
      expect(v[2].cpu).toBeUndefined();
    }
  });

  test('running vCPUs never share a pCPU', () => {
    const host = Host.create(new VirtualClock(T0));
    for (let i = 0; i < 10; i++) host.createDomain(guestConfig(`g${i}`, { vcpus: 2, memoryMiB: 128 }));
    for (let t = 1; t <= 10; t++) {
      host.advanceTo(T0 + t * 150);
      const busy = host.listDomains({ vcpus: true }).flatMap((d) => d.vcpus!.filter((v) => v.running).map((v) => v.cpu));
      expect(new Set(busy).size).toBe(busy.length);
      expect(busy.length).toBeLessThanOrEqual(8);
    }
  });

  test('advancing in many small steps gives exactly the same host as one big step', () => {
    const mk = () => {
      const host = Host.create(new VirtualClock(T0));
      host.createDomain(guestConfig('a', { vcpus: 2, nics: [{}], disks: [{ vdev: 'xvda', target: '/d' }] }));
      host.createDomain(guestConfig('b', { type: 'hvm', vcpus: 4, memoryMiB: 2048 }));
      return host;
    };
    const one = mk();
    const many = mk();
    one.advanceTo(T0 + 7 * 86_400_000 + 123);
    for (let t = T0; t < T0 + 7 * 86_400_000; t += 997_531) many.advanceTo(t);
    many.advanceTo(T0 + 7 * 86_400_000 + 123);
    expect(many.exportTables()).toEqual(one.exportTables());
    expect(many.listDomains()).toEqual(one.listDomains());
  });

  test('a year of idle time is accounted without stepping (and stays plausible)', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain(guestConfig('long', { vcpus: 2, nics: [{}] }));
    const year = 365 * 86_400_000;
    host.advanceTo(T0 + year);
    const d = host.domain(id)!;
    expect(d.cpuTimeNs).toBeGreaterThan(0.001 * year * 1e6);
    expect(d.cpuTimeNs).toBeLessThan(0.05 * 2 * year * 1e6);
    expect(d.nets![0]!.rxBytes).toBeGreaterThan(0);
    const calls = host.hypercalls(id)!;
    host.advanceTo(T0 + year + 86_400_000);
    expect(host.hypercalls(id)!).toBeGreaterThan(calls);
    expect(host.hypercalls(999)).toBeUndefined();
  });

  test('contended and capped periods also give the same result in small steps or one step', () => {
    const mk = () => {
      const host = Host.create(new VirtualClock(T0), { nrCpus: 2 });
      for (let i = 0; i < 4; i++) host.createDomain(guestConfig(`g${i}`, { vcpus: 2, memoryMiB: 128, weight: 128 * (i + 1) }));
      host.createDomain(guestConfig('capped', { vcpus: 2, cap: 1 }));
      return host;
    };
    const one = mk();
    const many = mk();
    const end = T0 + 30 * 86_400_000 + 77;
    one.advanceTo(end);
    for (let t = T0; t < end; t += 104_729) many.advanceTo(t);
    many.advanceTo(end);
    expect(many.exportTables()).toEqual(one.exportTables());
    const capped = one.domain(one.domidByName('capped')!)!;
    expect(capped.cpuTimeNs).toBeLessThanOrEqual(0.01 * (end - T0) * 1e6);
  });
});
