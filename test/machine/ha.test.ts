/**
 * The machine's part of Remus and devd (machine/ha.ts) through `Host.ha` under a
 * VirtualClock: checkpoints applied to a paused backup copy (xg_sr_restore.c
 * `handle_checkpoint`), an interrupted checkpoint undone, remus-netbuf-setup's xenstore
 * record, and the devd's watch on /local/domain/0/backend (libxl_device.c
 * `libxl_device_events_handler`).
 */
import { describe, expect, it } from 'vitest';
import { ShutdownReason } from '../../src/machine/api.js';
import { VirtualClock } from '../../src/machine/clock.js';
import { Host } from '../../src/machine/host.js';
import { guestConfig, runUntil, T0 } from './helpers.js';

function bootedHost() {
  const clock = new VirtualClock(T0);
  const host = Host.create(clock);
  const domid = host.createDomain(guestConfig('web', {
    memoryMiB: 256, vcpus: 1, disks: [{ vdev: 'xvda', target: '/dev/vg/web' }],
    nics: [{ mac: '00:16:3e:00:00:01', bridge: 'xenbr0' }, { mac: '00:16:3e:00:00:02', bridge: 'xenbr1' }],
  }));
  runUntil(host, () => /login: $/.test(host.consoleLog(domid)));
  return { clock, host, domid };
}

const isSuspended = (host: Host, domid: number) => {
  const d = host.domain(domid);
  return d !== undefined && d.state.shutdown && d.state.shutdownReason === ShutdownReason.Suspend;
};

/** Suspends `domid` the way libxl does and returns its image. */
function checkpoint(host: Host, domid: number) {
  host.requestSuspend(domid);
  runUntil(host, () => isSuspended(host, domid));
  host.noteSuspended(domid);
  const img = host.exportImage(domid);
  host.resumeDomain(domid);
  return img;
}

describe('Remus checkpoints on the backup', () => {
  it('the paused copy takes each checkpoint: run time, shell, console; it runs on from the last one when unpaused', () => {
    const { host, domid } = bootedHost();
    host.consoleInput(domid, 'root\rpw\r');
    host.advanceTo(host.now() + 5000);
    const first = checkpoint(host, domid);
    const backup = host.importImage(first, { name: 'web--incoming', paused: true, monitor: true });
    host.consoleInput(domid, 'echo second checkpoint\r');
    host.advanceTo(host.now() + 20_000);
    const second = checkpoint(host, domid);
    expect(second.runMs).toBeGreaterThan(first.runMs + 19_000);
    host.setMemoryTarget(domid, 128 * 1024);
    const third = checkpoint(host, domid);
    host.ha.applyCheckpoint(backup, second);
    host.ha.applyCheckpoint(backup, third);
    const copy = host.domain(backup)!;
    expect(copy.state.paused).toBe(true);
    // memory size changes at the primary are not replicated (docs/compat.md)
    expect(host.domain(domid)!.targetKiB).toBe(128 * 1024);
    expect(copy.targetKiB).toBe(256 * 1024);
    expect(host.consoleLog(backup)).toContain('second checkpoint');
    expect(host.consoleLog(backup)).toMatch(/Restarting tasks \.\.\. done\.\r\n$/);
    // failover: the copy carries on with the shell logged in
    host.destroy(domid);
    host.rename(backup, 'web');
    host.unpause(backup);
    host.consoleInput(backup, 'echo after failover\r');
    expect(host.consoleLog(backup)).toMatch(/after failover\r\n.*# $/);
  });

  it('refuses a running domain, another domain\'s image, Domain-0 and a missing domain', () => {
    const { host, domid } = bootedHost();
    const img = checkpoint(host, domid);
    expect(() => host.ha.applyCheckpoint(domid, img)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    const config = { ...img.config, c_info: { ...img.config.c_info, uuid: '11111111-2222-3333-4444-555555555555' } };
    const other = host.importImage(img, { config, name: 'other', paused: true, monitor: true });
    expect(() => host.ha.applyCheckpoint(other, img)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => host.ha.applyCheckpoint(0, img)).toThrow(expect.objectContaining({ code: 'DOMAIN_0' }));
    expect(() => host.ha.applyCheckpoint(99, img)).toThrow(expect.objectContaining({ code: 'NO_SUCH_DOMAIN' }));
    expect(() => host.ha.applyCheckpoint(other, { ...img, version: 7 })).toThrow(/version 7/);
  });
});

describe('an interrupted checkpoint', () => {
  it('is undone at each stage: request pending, guest going down, guest suspended', () => {
    const { host, domid } = bootedHost();
    const shutdownNode = `/local/domain/${domid}/control/shutdown`;
    host.requestSuspend(domid);
    expect(host.ha.abortCheckpoint(domid)).toBe('cancelled');
    expect(host.xenstoreRead(shutdownNode)).toBe('');
    host.advanceTo(host.now() + 5000);
    expect(isSuspended(host, domid)).toBe(false);

    host.requestSuspend(domid);
    runUntil(host, () => host.xenstoreRead(shutdownNode) === '');
    expect(isSuspended(host, domid)).toBe(false);
    expect(host.ha.abortCheckpoint(domid)).toBe('cancelled');
    host.advanceTo(host.now() + 5000);
    expect(isSuspended(host, domid)).toBe(false);
    host.consoleInput(domid, 'root\rpw\r');
    expect(host.consoleLog(domid)).toMatch(/# $/);

    host.requestSuspend(domid);
    runUntil(host, () => isSuspended(host, domid));
    expect(host.ha.abortCheckpoint(domid)).toBe('resumed');
    expect(host.domain(domid)!.state.shutdown).toBe(false);
    expect(host.ha.abortCheckpoint(domid)).toBe('none');
    expect(host.ha.abortCheckpoint(0)).toBe('none');
    expect(host.ha.abortCheckpoint(77)).toBe('none');
  });
});

describe('network buffers', () => {
  it('an IFB device per vif, the first free ones; teardown removes the record', () => {
    const { host, domid } = bootedHost();
    expect(host.ha.netbufSetup(domid)).toEqual([
      { devid: 0, vif: `vif${domid}.0`, ifb: 'ifb0' },
      { devid: 1, vif: `vif${domid}.1`, ifb: 'ifb1' },
    ]);
    expect(host.xenstoreRead(`/libxl/${domid}/remus/netbuf/1/ifb`)).toBe('ifb1');
    const two = host.createDomain(guestConfig('db', { memoryMiB: 128, nics: [{ mac: '00:16:3e:00:00:03', bridge: 'xenbr0' }] }));
    expect(host.ha.netbufSetup(two)).toEqual([{ devid: 0, vif: `vif${two}.0`, ifb: 'ifb2' }]);
    host.ha.netbufTeardown(domid);
    expect(host.xenstoreList(`/libxl/${domid}`)).not.toContain('remus');
    expect(host.ha.netbufSetup(domid).map((n) => n.ifb)).toEqual(['ifb0', 'ifb1']);
    expect(() => host.ha.netbufSetup(0)).toThrow(expect.objectContaining({ code: 'DOMAIN_0' }));
  });
});

describe('devd', () => {
  it('records Domain-0\'s watch on its backend directory per devd, and forgets it', () => {
    const { host } = bootedHost();
    expect(host.ha.devds()).toEqual([]);
    host.ha.devdStart(4242);
    host.ha.devdStart(17);
    expect(host.ha.devds()).toEqual([17, 4242]);
    expect(host.xenstoreWatchers('/local/domain/0/backend/vif/1/0/state')).toContainEqual({ domid: 0, path: '/local/domain/0/backend', token: 'xldevd/4242' });
    host.ha.devdStop(4242);
    host.ha.devdStop(4242);
    expect(host.ha.devds()).toEqual([17]);
    expect(() => host.ha.devdStart(0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
