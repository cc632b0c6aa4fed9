import { describe, expect, test } from 'vitest';
import { Host } from '../../src/machine/host.js';
import { VirtualClock } from '../../src/machine/clock.js';
import type { HostEvent } from '../../src/machine/api.js';
import { guestConfig, T0 } from './helpers.js';

const noConsole = (es: HostEvent[]) => es.filter((e) => e.kind !== 'console');

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
      { kind: 'destroyed', at: T0 + 2000, domid: id },
    ]);
  });

  test('shutdown carries the reason; the monitor\'s action follows', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain(guestConfig('vm'));
    host.requestShutdown(id, 'poweroff');
    const ack = host.shutdownAckTime(id)!;
    host.advanceTo(ack + 10);
    expect(noConsole(host.events(1))).toEqual([
      { kind: 'shutdown', at: ack, domid: id, reason: 0 },
      { kind: 'action', at: ack, domid: id, action: 'destroy' },
      { kind: 'destroyed', at: ack, domid: id },
    ]);
  });

  test('events(since) and onEvent give the same stream; console events add up to the console log', () => {
    const host = Host.create(new VirtualClock(T0));
    const seen: [HostEvent, number][] = [];
    const stop = host.onEvent((e, i) => seen.push([e, i]));
    host.onEvent(() => { throw new Error('a broken listener'); });
    const start = host.eventCount();
    const id = host.createDomain(guestConfig('vm', { disks: [{ vdev: 'xvda', target: '/x' }] }));
    host.advanceTo(T0 + 30_000);
    expect(seen.map(([e]) => e)).toEqual(host.events(start));
    expect(seen.map(([, i]) => i)).toEqual(seen.map((_, k) => start + k));
    const text = host.events().filter((e) => e.kind === 'console' && e.domid === id).map((e) => (e as { text: string }).text).join('');
    expect(text).toBe(host.consoleLog(id));
    stop();
    host.destroy(id);
    expect(seen.at(-1)![0].kind).toBe('console');
  });
});
