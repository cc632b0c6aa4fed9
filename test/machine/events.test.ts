import { describe, expect, test } from 'vitest';
import { Host } from '../../src/machine/host.js';
import { VirtualClock } from '../../src/machine/clock.js';
import type { HostEvent } from '../../src/machine/api.js';
import { guestConfig, runUntil, T0 } from './helpers.js';

const noConsole = (es: HostEvent[]) => es.filter((e) => e.kind !== 'console' && e.kind !== 'device');

describe('event log', () => {
  test('records lifecycle transitions in order with their virtual times', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain(guestConfig('vm'), { paused: true });
    host.advanceTo(T0 + 1000);
    host.unpause(id);
    host.advanceTo(T0 + 2000);
    host.pause(id);
    host.destroy(id);
    expect(noConsole(host.events())).toEqual([
      { kind: 'created', at: T0, domid: id, name: 'vm' },
      { kind: 'unpaused', at: T0 + 1000, domid: id },
      { kind: 'paused', at: T0 + 2000, domid: id },
      { kind: 'dying', at: T0 + 2000, domid: id },
      { kind: 'destroyed', at: T0 + 2000, domid: id },
    ]);
  });

  test('shutdown carries the reason; the monitor\'s action follows', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain(guestConfig('vm'));
    const since = host.eventCount();
    host.requestShutdown(id, 'poweroff');
    const down = runUntil(host, () => host.domain(id) === undefined);
    expect(noConsole(host.events(since))).toEqual([
      { kind: 'shutdown', at: down, domid: id, reason: 0 },
      { kind: 'action', at: down, domid: id, action: 'destroy' },
      { kind: 'dying', at: down, domid: id },
      { kind: 'destroyed', at: down, domid: id },
    ]);
  });

  test('events(since) and onEvent give the same stream; console output reaches listeners only', () => {
    const host = Host.create(new VirtualClock(T0));
    const seen: [HostEvent, number][] = [];
    const stop = host.onEvent((e, i) => seen.push([e, i]));
    host.onEvent(() => { throw new Error('a broken listener'); });
    const start = host.eventCount();
    const id = host.createDomain(guestConfig('vm', { disks: [{ vdev: 'xvda', target: '/x' }] }));
    host.advanceTo(T0 + 30_000);
    const logged = seen.filter(([e]) => e.kind !== 'console');
    expect(logged.map(([e]) => e)).toEqual(host.events(start));
    expect(logged.map(([, i]) => i)).toEqual(logged.map((_, k) => start + k));
    expect(host.events(start).some((e) => e.kind === 'console')).toBe(false);
    const printed = seen.filter(([e]) => e.kind === 'console').map(([e]) => (e as { text: string }).text).join('');
    expect(printed).not.toBe('');
    expect(host.consoleLog(id).endsWith(printed.slice(-200))).toBe(true);
    const n = seen.length;
    stop();
    host.destroy(id);
    expect(seen.length).toBe(n);
  });
});
