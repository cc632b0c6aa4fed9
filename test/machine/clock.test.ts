import { describe, expect, test } from 'vitest';
import { VirtualClock, WallClock } from '../../src/machine/clock.js';
import { HostError } from '../../src/machine/errors.js';

describe('VirtualClock', () => {
  test('set and advance move time forward', () => {
    const c = new VirtualClock(1000);
    c.advance(250);
    expect(c.now()).toBe(1250);
    c.set(5000);
    expect(c.now()).toBe(5000);
  });

  test('refuses to go backwards and stays where it was', () => {
    const c = new VirtualClock(1000);
    expect(() => c.set(999)).toThrow(HostError);
    expect(() => c.advance(-1)).toThrow(/non-negative/);
    expect(c.now()).toBe(1000);
    try {
      c.set(10);
    } catch (e) {
      expect((e as HostError).code).toBe('INVALID_ARGUMENT');
    }
  });

  test('sleepUntil advances the clock itself and resolves at once', async () => {
    const c = new VirtualClock(0);
    await c.sleepUntil(86_400_000);
    expect(c.now()).toBe(86_400_000);
    await c.sleepUntil(5);
    expect(c.now()).toBe(86_400_000);
  });
});

describe('WallClock', () => {
  test('reports real time and never goes backwards', async () => {
    const w = new WallClock();
    const before = Date.now();
    const a = w.now();
    const b = w.now();
    expect(a).toBeGreaterThanOrEqual(before);
    expect(b).toBeGreaterThanOrEqual(a);
    await w.sleepUntil(a - 1000);
    expect(w.now()).toBeGreaterThanOrEqual(a);
  });
});
