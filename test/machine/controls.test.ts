/**
 * Guest controls through the `Host` API under a VirtualClock (controls.ts): sysrq and
 * triggers as the guest's console and lifecycle show them, config-update at the next
 * reboot, debug keys in the hypervisor ring, runtime parameters.
 */
import { describe, expect, test } from 'vitest';
import { ShutdownReason } from '../../src/machine/api.js';
import { VirtualClock } from '../../src/machine/clock.js';
import { Host } from '../../src/machine/host.js';
import { XenError } from '../../src/machine/xen-error.js';
import { guestConfig, runUntil, T0 } from './helpers.js';

/** A host with one booted guest (`over` as guestConfig takes it). */
function booted(name: string, over: Parameters<typeof guestConfig>[1] = {}) {
  const host = Host.create(new VirtualClock(T0));
  const id = host.createDomain(guestConfig(name, over));
  host.advanceTo(T0 + 60_000);
  return { host, id };
}

/** The console text the call adds. */
function added(host: Host, id: number, fn: () => void): string {
  const before = host.consoleLog(id).length;
  fn();
  return host.consoleLog(id).slice(before);
}

function errnoOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof XenError) return `${e.code}/${e.errno}`;
    throw e;
  }
  return 'none';
}

const STAMP = '\\[ +\\d+\\.\\d{6}\\] ';

describe('sysrq', () => {
  test('s syncs, h prints the help line; the guest clears control/sysrq', () => {
    const { host, id } = booted('web');
    const s = added(host, id, () => host.sendSysrq(id, 's'));
    expect(s).toMatch(new RegExp(`^${STAMP}sysrq: Emergency Sync\\r\\n${STAMP}Emergency Sync complete\\r\\n$`));
    expect(host.xenstoreRead(`/local/domain/${id}/control/sysrq`)).toBe('');
    const h = added(host, id, () => host.sendSysrq(id, 'h'));
    expect(h).toMatch(new RegExp(`^${STAMP}sysrq: HELP : loglevel\\(0-9\\) reboot\\(b\\) crash\\(c\\) .* dump-ftrace-buffer\\(z\\) \\r\\n$`));
    expect(added(host, id, () => host.sendSysrq(id, '7'))).toMatch(/sysrq: Changing Loglevel\r\n.*sysrq: Loglevel set to 7\r\n$/);
    expect(host.domain(id)!.state.shutdown).toBe(false);
  });

  test('b resets at once: shutdown reason reboot, and on_reboot restarts the guest', () => {
    const { host, id } = booted('web');
    const from = host.eventCount();
    host.sendSysrq(id, 'b');
    // The domain is gone at once (on_reboot destroys it before the restart): read its last words.
    expect(host.consoleSince(id, 0)!.text).toMatch(new RegExp(`login: ${STAMP}sysrq: Resetting\\r\\n$`));
    expect(host.events(from).find((e) => e.kind === 'shutdown')).toMatchObject({ domid: id, reason: ShutdownReason.Reboot });
    runUntil(host, () => host.domidByName('web') !== undefined && host.domidByName('web') !== id);
    expect(host.domidByName('web')).toBe(id + 1);
  });

  test('c panics the kernel (on_crash: preserve keeps it, shut down with reason crash)', () => {
    const { host, id } = booted('web');
    const cfg = guestConfig('crashy');
    cfg.on_crash = 'preserve';
    const c = host.createDomain(cfg);
    host.advanceTo(host.now() + 60_000);
    const text = added(host, c, () => host.sendSysrq(c, 'c'));
    expect(text).toMatch(new RegExp(`^${STAMP}sysrq: Trigger a crash\\r\\n${STAMP}Kernel panic - not syncing: sysrq triggered crash\\r\\n$`));
    expect(host.domain(c)!.state).toMatchObject({ shutdown: true, shutdownReason: ShutdownReason.Crash });
    expect(host.domain(id)!.state.shutdown).toBe(false);
  });

  test('o powers off (on_poweroff destroy: the domain goes)', () => {
    const { host, id } = booted('web');
    host.sendSysrq(id, 'o');
    expect(host.consoleSince(id, 0)!.text).toMatch(/sysrq: Power Off\r\n.*reboot: Power down\r\n$/);
    expect(host.domain(id)).toBeUndefined();
  });

  test('a guest still booting leaves the request in xenstore; Domain-0 refuses b, c and o', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain(guestConfig('early'));
    host.sendSysrq(id, 's');
    expect(host.xenstoreRead(`/local/domain/${id}/control/sysrq`)).toBe('s');
    for (const k of ['b', 'c', 'o']) expect(errnoOf(() => host.sendSysrq(0, k))).toBe('DOMAIN_0/EPERM');
    host.sendSysrq(0, 's');
    expect(host.domain(0)!.state.shutdown).toBe(false);
    expect(errnoOf(() => host.sendSysrq(id, 'ab'))).toBe('INVALID_ARGUMENT/EINVAL');
  });
});

describe('triggers', () => {
  test('nmi: a Linux guest logs it and carries on; a Windows guest bugchecks', () => {
    const { host, id } = booted('web', { vcpus: 2 });
    expect(added(host, id, () => host.sendTrigger(id, 'nmi', 1))).toMatch(
      new RegExp(`^${STAMP}Uhhuh\\. NMI received for unknown reason 00 on CPU 1\\.\\r\\n${STAMP}Dazed and confused, but trying to continue\\r\\n$`));
    expect(host.domain(id)!.state.shutdown).toBe(false);
    const win = guestConfig('win10', { type: 'hvm' });
    win.on_crash = 'preserve';
    const w = host.createDomain(win);
    host.advanceTo(host.now() + 120_000);
    host.sendTrigger(w, 'nmi');
    expect(host.domain(w)!.state).toMatchObject({ shutdown: true, shutdownReason: ShutdownReason.Crash });
  });

  test('power: an HVM guest shuts down cleanly; PV guests have no ACPI buttons; init/reset are not implemented on x86', () => {
    const { host, id } = booted('hvm', { type: 'hvm', onPoweroff: 'preserve' });
    host.advanceTo(host.now() + 60_000);
    host.sendTrigger(id, 'power');
    runUntil(host, () => host.domain(id)!.state.shutdown);
    expect(host.domain(id)!.state.shutdownReason).toBe(ShutdownReason.Poweroff);
    expect(host.consoleLog(id)).toMatch(/reboot: Power down\r\n$/);
    const pv = host.createDomain(guestConfig('pv'));
    expect(errnoOf(() => host.sendTrigger(pv, 'power'))).toBe('INVALID_ARGUMENT/EINVAL');
    expect(errnoOf(() => host.sendTrigger(pv, 'reset'))).toBe('INVALID_ARGUMENT/ENOSYS');
    expect(errnoOf(() => host.sendTrigger(pv, 'init'))).toBe('INVALID_ARGUMENT/ENOSYS');
    expect(errnoOf(() => host.sendTrigger(pv, 'nmi', 3))).toBe('INVALID_ARGUMENT/ESRCH');
    expect(errnoOf(() => host.sendTrigger(99, 'nmi'))).toBe('NO_SUCH_DOMAIN/ESRCH');
    expect(errnoOf(() => host.sendTrigger(pv, 's3resume'))).toBe('INVALID_ARGUMENT/EINVAL');
    expect(errnoOf(() => host.sendTrigger(0, 'power'))).toBe('INVALID_ARGUMENT/EINVAL');
  });

  test('sleep suspends an HVM guest to RAM: its CPU time stops until s3resume', () => {
    const { host, id } = booted('hvm', { type: 'hvm' });
    host.advanceTo(host.now() + 60_000);
    expect(added(host, id, () => host.sendTrigger(id, 'sleep'))).toMatch(/PM: suspend entry \(deep\)\r\n(.*\r\n)*.*printk: Suspending console\(s\) \(use no_console_suspend to debug\)\r\n$/);
    const t = host.domain(id)!.cpuTimeNs;
    host.advanceTo(host.now() + 60_000);
    expect(host.domain(id)!.cpuTimeNs).toBe(t);
    expect(added(host, id, () => host.sendTrigger(id, 's3resume'))).toMatch(/ACPI: PM: Low-level resume complete\r\n(.*\r\n)*.*PM: suspend exit\r\n$/);
    host.advanceTo(host.now() + 60_000);
    expect(host.domain(id)!.cpuTimeNs).toBeGreaterThan(t);
  });
});

describe('config-update, debug keys, runtime parameters', () => {
  test('the stored config is used at the next reboot; the running config is unchanged', () => {
    const { host, id } = booted('web', { memoryMiB: 512 });
    host.updateConfig(id, guestConfig('web', { memoryMiB: 768, vcpus: 2 }));
    expect(host.domainConfig(id)!.b_info.target_memkb).toBe(512 * 1024);
    host.requestShutdown(id, 'reboot');
    runUntil(host, () => (host.domidByName('web') ?? id) !== id);
    const next = host.domain(host.domidByName('web')!)!;
    expect(next.targetKiB).toBe(768 * 1024);
    expect(next.maxVcpus).toBe(2);
    expect(host.pendingConfig(next.domid)).toBeUndefined();
  });

  test('debug keys print into the hypervisor ring from the real state; R is refused', () => {
    const { host, id } = booted('web', { vcpus: 2 });
    host.pinVcpu(id, 1, [3]);
    const before = host.dmesg().length;
    host.debugKeys('qx');
    const text = host.dmesg().slice(before);
    expect(text.startsWith("(XEN) 'q' pressed -> dumping domain info (now = ")).toBe(true);
    expect(text).toContain('(XEN) General information for domain 0:\n');
    expect(text).toContain(`(XEN) General information for domain ${id}:\n`);
    expect(text).toContain('(XEN)   UNIT1 affinities: hard={3} soft={0-7}\n');
    expect(text).toContain(`(XEN) Notifying guest ${id}:1 (virq 1, port 0)\n`);
    expect(text.endsWith("(XEN) 'x' pressed - Dumping all livepatch patches\n")).toBe(true);
    host.cpupoolRemoveCpu(0, 7);
    host.debugKeys('r');
    expect(host.dmesg()).toContain('(XEN) Free Cpus: 7\n');
    expect(host.dmesg()).toContain('(XEN) Cpupool 0:\n(XEN) Cpus: 0-6\n(XEN) Scheduling granularity: cpu, 1 CPU per sched-resource\n(XEN) Scheduler: SMP Credit Scheduler rev2 (credit2)\n');
    const len = host.dmesg().length;
    expect(errnoOf(() => host.debugKeys('hR'))).toBe('DOMAIN_0/EPERM');
    expect(host.dmesg().length).toBe(len);
    host.debugKeys('Ly');
    expect(host.dmesg().length).toBe(len);
  });

  test('runtime parameters: runtime ones accepted, boot-only ones ENOENT, bad values refused', () => {
    const host = Host.create(new VirtualClock(T0));
    host.setParameter('loglvl', 'all/debug');
    host.setParameter('global-pages', 'no');
    host.setParameter('gnttab_max_frames', '128');
    expect(errnoOf(() => host.setParameter('dom0_mem', '1G'))).toBe('INVALID_ARGUMENT/ENOENT');
    expect(errnoOf(() => host.setParameter('loglvl', 'loud'))).toBe('INVALID_ARGUMENT/EINVAL');
    expect(errnoOf(() => host.setParameter('global-pages', 'maybe'))).toBe('INVALID_ARGUMENT/EDOM');
    expect(errnoOf(() => host.setParameter('conswitch', 'abc'))).toBe('INVALID_ARGUMENT/ENOSPC');
  });
});
