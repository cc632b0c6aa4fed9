/**
 * Save/restore/migration on the machine side, through the `Host` API under a
 * VirtualClock: the suspend handshake, resume, a `DomainImage` out and back in, the
 * checks a restore makes first, and the memory-dirtying model of live migration.
 */
import { describe, expect, it } from 'vitest';
import { ShutdownReason } from '../../src/machine/api.js';
import { VirtualClock } from '../../src/machine/clock.js';
import { Host } from '../../src/machine/host.js';
import { pagesDirtied, precopyStops, transferMs } from '../../src/machine/migration.js';
import { guestConfig, runUntil, T0 } from './helpers.js';

function bootedHost(memoryMiB = 512) {
  const clock = new VirtualClock(T0);
  const host = Host.create(clock);
  const domid = host.createDomain(guestConfig('web', {
    memoryMiB, vcpus: 2, disks: [{ vdev: 'xvda', target: '/dev/vg/web' }], nics: [{ mac: '00:16:3e:00:00:01', bridge: 'xenbr0' }],
  }));
  runUntil(host, () => host.devices(domid).every((d) => d.state === 4) && /login: $/.test(host.consoleLog(domid)));
  return { clock, host, domid };
}

const suspended = (host: Host, domid: number) => {
  const d = host.domain(domid);
  return d !== undefined && d.state.shutdown && d.state.shutdownReason === ShutdownReason.Suspend;
};

describe('suspend and resume', () => {
  it('the guest acknowledges, suspends (---ss-) and resumes with its workload', () => {
    const { host, domid } = bootedHost();
    host.consoleInput(domid, 'root\rpw\rstress -c 2\r');
    expect(host.dirtyProfile(domid)!.pagesPerSec).toBeGreaterThan(5000);
    host.requestSuspend(domid);
    expect(host.xenstoreRead(`/local/domain/${domid}/control/shutdown`)).toBe('suspend');
    runUntil(host, () => suspended(host, domid));
    expect(host.xenstoreRead(`/local/domain/${domid}/control/shutdown`)).toBe('');
    expect(host.dirtyProfile(domid)!.executing).toBe(false);
    const cpuAt = host.domain(domid)!.cpuTimeNs;
    host.advanceTo(host.now() + 10_000);
    expect(host.domain(domid)!.cpuTimeNs).toBe(cpuAt);
    host.noteSuspended(domid);
    host.noteSuspended(domid);
    expect(host.consoleLog(domid).match(/Freezing user space processes/g)).toHaveLength(1);
    host.resumeDomain(domid);
    const d = host.domain(domid)!;
    expect(d.state.shutdown).toBe(false);
    expect(host.consoleLog(domid)).toMatch(/Restarting tasks \.\.\. done\.\r\n$/);
    host.advanceTo(host.now() + 1000);
    // stress kept both vCPUs busy through the resume
    expect(host.domain(domid)!.cpuTimeNs - d.cpuTimeNs).toBeGreaterThan(1.9e9);
  });

  it('cancelling an unanswered request clears control/shutdown; resuming a running domain changes nothing', () => {
    const { host, domid } = bootedHost();
    host.pause(domid);
    host.requestSuspend(domid);
    host.advanceTo(host.now() + 60_000);
    expect(suspended(host, domid)).toBe(false);
    host.cancelSuspend(domid);
    expect(host.xenstoreRead(`/local/domain/${domid}/control/shutdown`)).toBe('');
    host.unpause(domid);
    host.advanceTo(host.now() + 5000);
    expect(host.domain(domid)!.state.shutdown).toBe(false);
    host.resumeDomain(domid);
    expect(host.domain(domid)!.state.shutdown).toBe(false);
  });

  it('refuses Domain-0, missing and shut-down domains', () => {
    const { host } = bootedHost();
    expect(() => host.requestSuspend(0)).toThrow(expect.objectContaining({ code: 'DOMAIN_0' }));
    expect(() => host.requestSuspend(77)).toThrow(expect.objectContaining({ code: 'NO_SUCH_DOMAIN' }));
    expect(() => host.exportImage(1)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });
});

describe('a DomainImage out and back in', () => {
  it('carries run time, CPU time, console, shell and workload; devices re-plug through the handshake', () => {
    const { host, domid } = bootedHost();
    host.consoleInput(domid, 'root\rpw\rstress -c 1\r');
    host.advanceTo(host.now() + 30_000);
    host.requestSuspend(domid);
    runUntil(host, () => suspended(host, domid));
    host.noteSuspended(domid);
    const before = host.domain(domid)!;
    const log = host.consoleLog(domid);
    const img = host.exportImage(domid);
    expect(img.guest.workload.kind).toBe('stress');
    expect(img.guest.tty.mode).toBe('shell');
    expect(img.pages).toBe(512 * 256);
    expect(img.devices.map((d) => `${d.kind}/${d.devid}`)).toEqual(['vbd/51712', 'vif/0']);
    expect(img.devices[1]!.props.mac).toBe('00:16:3e:00:00:01');
    expect(JSON.parse(JSON.stringify(img))).toEqual(img);
    host.destroy(domid);
    host.advanceTo(host.now() + 5000);

    const back = host.importImage(img, { paused: false, monitor: true });
    expect(back).not.toBe(domid);
    const d = host.domain(back)!;
    expect(d.name).toBe('web');
    expect(d.uuid).toBe(before.uuid);
    expect(d.startTime).toBe(before.startTime);
    expect(d.cpuTimeNs).toBeGreaterThanOrEqual(before.cpuTimeNs);
    expect(host.consoleLog(back).startsWith(log)).toBe(true);
    expect(host.devices(back).map((x) => x.state)).toEqual([1, 1]);
    host.advanceTo(host.now() + 1000);
    expect(host.devices(back).map((x) => [x.state, x.backendState])).toEqual([[4, 4], [4, 4]]);
    // the shell is still logged in and stress still runs: Ctrl-C stops it and a prompt comes back
    host.consoleInput(back, '\x03');
    expect(host.consoleLog(back)).toMatch(/\^C\r\n.*# $/);
    expect(host.domain(back)!.cpuTimeNs - d.cpuTimeNs).toBeGreaterThan(0.9e9);
  });

  it('checks name and memory first; a requested domid in use fails', () => {
    const { host, domid } = bootedHost(4096);
    host.requestSuspend(domid);
    runUntil(host, () => suspended(host, domid));
    const img = host.exportImage(domid);
    expect(host.importFits(img.config, 'web')).toBe('name');
    expect(host.importFits(img.config, 'web--incoming')).toBeUndefined();
    const big = structuredClone(img.config);
    big.b_info.target_memkb = 64 * 1024 * 1024;
    expect(host.importFits(big, 'other')).toBe('memory');
    expect(() => host.importImage(img, { paused: true, monitor: true })).toThrow(expect.objectContaining({ code: 'NAME_EXISTS' }));
    const pinned = structuredClone(img.config);
    pinned.c_info.domid = domid;
    expect(() => host.importImage(img, { config: pinned, name: 'x', paused: true, monitor: true })).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    const inc = host.importImage(img, { name: 'web--incoming', paused: true, monitor: true });
    expect(host.domain(inc)!.state.paused).toBe(true);
    expect(host.domain(inc)!.uuid).toBe(host.domain(domid)!.uuid);
    // the sender's copy goes; the twin keeps its /vm/<uuid> nodes
    host.destroyMigrated(domid);
    expect(host.xenstoreRead(`/vm/${img.uuid}/name`)).toBe('web--incoming');
    expect(() => host.importImage({ ...img, version: 9 }, { paused: true, monitor: true })).toThrow(/version 9/);
  });
});

describe('the dirtying model', () => {
  it('idle guests dirty little, stress more, paused guests nothing; libxc stops after 5 rounds or < 50 pages', () => {
    const { host, domid } = bootedHost();
    const idle = host.dirtyProfile(domid)!;
    host.consoleInput(domid, 'root\rpw\rstress -m 2\r');
    const vm = host.dirtyProfile(domid)!;
    expect(vm.pagesPerSec).toBeGreaterThan(100 * idle.pagesPerSec);
    // two 256 MiB vm hogs rewrite all of a 512 MiB guest
    expect(vm.wwsPages).toBe(512 * 256);
    expect(pagesDirtied(idle, 100)).toBe(25);
    expect(pagesDirtied(vm, 10_000)).toBe(vm.wwsPages);
    host.pause(domid);
    expect(pagesDirtied(host.dirtyProfile(domid)!, 1000)).toBe(0);
    expect(precopyStops(1, -1)).toBe(false);
    expect(precopyStops(1, 49)).toBe(true);
    expect(precopyStops(4, 50)).toBe(false);
    expect(precopyStops(5, 1e6)).toBe(true);
    expect(transferMs(262144, 1024 ** 3)).toBe(1000);
  });
});
