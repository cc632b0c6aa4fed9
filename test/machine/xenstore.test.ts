import { describe, expect, test } from 'vitest';
import { Ctx } from '../../src/machine/ctx.js';
import { Host, initHost } from '../../src/machine/host.js';
import { MemoryBackend, Tx } from '../../src/machine/tables.js';
import {
  xsAccess, xsList, xsNode, xsRead, xsRm, xsUnwatchTree, xsWatch, xsWatchersOf, xsWrite,
} from '../../src/machine/xenstore.js';
import { VirtualClock } from '../../src/machine/clock.js';
import { guestConfig, T0 } from './helpers.js';

/** A context over a fresh host's tables, for driving the xenstore module directly. */
function ctxOver(): Ctx {
  const backend = new MemoryBackend();
  const tx = Tx.over(backend);
  initHost(tx, new VirtualClock(T0));
  return Ctx.open(tx);
}

describe('xenstore (a tree in the xenstore table)', () => {
  test('write creates parents; list gives children numbers first; rm removes a subtree', () => {
    const ctx = ctxOver();
    xsWrite(ctx, '/local/domain/10/name', 'b');
    xsWrite(ctx, '/local/domain/2/name', 'a');
    xsWrite(ctx, '/local/domain/2/memory/target', '524288');
    xsWrite(ctx, '/local/domain/2-x', 'sibling');
    expect(xsRead(ctx, '/local/domain/2')).toBe('');
    expect(xsList(ctx, '/local/domain')).toEqual(['0', '2', '10', '2-x']);
    expect(xsList(ctx, '/local/domain/2')).toEqual(['memory', 'name']);
    xsRm(ctx, '/local/domain/2');
    expect(xsRead(ctx, '/local/domain/2/name')).toBeUndefined();
    expect(xsRead(ctx, '/local/domain/2-x')).toBe('sibling');
    expect(xsRead(ctx, '/local/domain/10/name')).toBe('b');
  });

  test('malformed paths read as absent and are not written', () => {
    const ctx = ctxOver();
    xsWrite(ctx, 'relative/path', 'x');
    xsWrite(ctx, '/a//b', 'x');
    expect(xsRead(ctx, 'relative/path')).toBeUndefined();
    expect(xsList(ctx, '/')).not.toContain('a');
  });

  test('permissions: new nodes inherit their parent\'s; owner and Domain-0 may do anything', () => {
    const ctx = ctxOver();
    xsWrite(ctx, '/local/domain/5', '', ['n0', 'r5']);
    xsWrite(ctx, '/local/domain/5/name', 'web');
    xsWrite(ctx, '/local/domain/5/data', '', ['n5']);
    expect(xsNode(ctx, '/local/domain/5/name')!.p).toEqual(['n0', 'r5']);
    const name = xsNode(ctx, '/local/domain/5/name')!;
    expect(xsAccess(name, 5)).toEqual({ read: true, write: false });
    expect(xsAccess(name, 6)).toEqual({ read: false, write: false });
    expect(xsAccess(name, 0)).toEqual({ read: true, write: true });
    expect(xsAccess(xsNode(ctx, '/local/domain/5/data')!, 5)).toEqual({ read: true, write: true });
  });

  test('watches fire for writes at or below their path; removing a subtree removes its watches', () => {
    const ctx = ctxOver();
    xsWatch(ctx, 0, '/local/domain/5/device', 'be');
    xsWatch(ctx, 5, '/local/domain/0/backend/vbd/5/51712/state', 'fe');
    expect(xsWatchersOf(ctx, '/local/domain/5/device/vbd/51712/state').map((w) => w.token)).toEqual(['be']);
    expect(xsWatchersOf(ctx, '/local/domain/0/backend/vbd/5/51712/state').map((w) => w.token)).toEqual(['fe']);
    expect(xsWatchersOf(ctx, '/local/domain/6/device')).toEqual([]);
    xsUnwatchTree(ctx, '/local/domain/5');
    expect(xsWatchersOf(ctx, '/local/domain/5/device/vbd/51712/state')).toEqual([]);
  });
});

describe('host xenstore layout', () => {
  const uuid = '4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f';
  const make = () => {
    const clock = new VirtualClock(T0 + 1234);
    const host = Host.create(clock);
    const id = host.createDomain(guestConfig('vm1', {
      uuid, memoryMiB: 1024, vcpus: 2, maxVcpus: 3,
      disks: [{ vdev: 'xvda', target: '/dev/vg0/vm1-disk' }, { vdev: 'xvdb', target: '/srv/data.img' }],
      nics: [{ mac: '00:16:3e:5a:1b:2c', bridge: 'xenbr0' }],
    }));
    return { host, id };
  };

  test('per-domain nodes as libxl writes them', () => {
    const { host, id } = make();
    expect(host.xenstoreRead(`/local/domain/${id}/name`)).toBe('vm1');
    expect(host.xenstoreRead(`/local/domain/${id}/domid`)).toBe(String(id));
    expect(host.xenstoreRead(`/local/domain/${id}/vm`)).toBe(`/vm/${uuid}`);
    expect(host.xenstoreRead(`/local/domain/${id}/memory/target`)).toBe('1048576');
    expect(host.xenstoreRead(`/local/domain/${id}/memory/static-max`)).toBe('1048576');
    expect(host.xenstoreRead(`/local/domain/${id}/cpu/1/availability`)).toBe('online');
    expect(host.xenstoreRead(`/local/domain/${id}/cpu/2/availability`)).toBe('offline');
    expect(host.xenstoreRead(`/vm/${uuid}/start_time`)).toBe(`${Math.floor((T0 + 1234) / 1000)}.23`);
    expect(host.xenstoreRead(`/local/domain/${id}/console/tty`)).toMatch(/^\/dev\/pts\/\d+$/);
    expect(host.xenstoreRead('/local/domain/0/name')).toBe('Domain-0');
  });

  test('split-driver devices: frontends in the guest, backends in Domain-0', () => {
    const { host, id } = make();
    host.advanceTo(T0 + 10_000); // booted: the frontends have connected
    expect(host.xenstoreList(`/local/domain/${id}/device/vbd`)).toEqual(['51712', '51728']);
    expect(host.xenstoreRead(`/local/domain/${id}/device/vbd/51712/backend`)).toBe(`/local/domain/0/backend/vbd/${id}/51712`);
    expect(host.xenstoreRead(`/local/domain/0/backend/vbd/${id}/51712/params`)).toBe('/dev/vg0/vm1-disk');
    expect(host.xenstoreRead(`/local/domain/0/backend/vbd/${id}/51712/state`)).toBe('4');
    expect(host.xenstoreRead(`/local/domain/0/backend/vif/${id}/0/mac`)).toBe('00:16:3e:5a:1b:2c');
    expect(host.xenstoreRead(`/local/domain/0/backend/vif/${id}/0/bridge`)).toBe('xenbr0');
    const devs = host.devices(id);
    expect(devs.map((d) => [d.kind, d.devid])).toEqual([['vbd', 51712], ['vbd', 51728], ['vif', 0]]);
    const vif = devs[2]!;
    expect(vif.ifname).toBe(`vif${id}.0`);
    // each frontend has an event channel whose other end is in Domain-0
    for (const d of devs) {
      expect(host.xenstoreRead(`${d.frontendPath}/event-channel`)).toBe(String(d.evtch));
      const end = host.eventChannels(id).find((e) => e.port === d.evtch);
      expect(end?.remoteDomid).toBe(0);
      const back = host.eventChannels(0).find((e) => e.port === end?.remotePort);
      expect(back?.remotePort).toBe(d.evtch);
    }
  });

  test('control/shutdown is written on request and cleared when the guest answers', () => {
    const { host, id } = make();
    host.requestShutdown(id, 'poweroff');
    expect(host.xenstoreRead(`/local/domain/${id}/control/shutdown`)).toBe('poweroff');
    host.advanceTo(host.shutdownAckTime(id)! - 1);
    expect(host.xenstoreRead(`/local/domain/${id}/control/shutdown`)).toBe('poweroff');
  });

  test('destroy removes the domain, its backends, /vm and event channels', () => {
    const { host, id } = make();
    host.destroy(id);
    expect(host.xenstoreList(`/local/domain/${id}`)).toEqual([]);
    expect(host.xenstoreRead(`/vm/${uuid}/name`)).toBeUndefined();
    expect(host.xenstoreList(`/local/domain/0/backend/vbd`)).toEqual([]);
    expect(host.xenstoreList(`/local/domain/0/backend/vif`)).toEqual([]);
    expect(host.eventChannels()).toEqual([]);
  });

  test('HVM guests get a device model in Domain-0 and videoram', () => {
    const clock = new VirtualClock(T0);
    const host = Host.create(clock);
    const cfg = guestConfig('hvm1', { type: 'hvm', memoryMiB: 2048, vcpus: 2 });
    cfg.b_info.video_memkb = 8192;
    const id = host.createDomain(cfg);
    expect(host.xenstoreRead(`/local/domain/0/device-model/${id}/state`)).toBe('running');
    expect(host.xenstoreRead(`/local/domain/${id}/memory/videoram`)).toBe('8192');
    expect(host.xenstoreRead(`/local/domain/${id}/memory/target`)).toBe(String(2048 * 1024 - 8192));
    expect(host.eventChannels(0).filter((e) => e.remoteDomid === id && e.purpose.startsWith('ioreq')).length).toBe(2);
  });
});
