import { afterEach, describe, expect, it, vi } from 'vitest';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { TopApp } from '../../src/tui/app.js';
import { exposeGc, idleScavenger, type GcFunction, type IdleScavenger } from '../../src/tui/idle-gc.js';
import { dom, dom0, FakeSource, waitForFrame, waitForInputReady } from './fixtures.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('idle scavenger', () => {
  it('scavenges once, the delay after the last poke', () => {
    vi.useFakeTimers();
    const calls: unknown[] = [];
    const gc: GcFunction = (o) => void calls.push(o);
    const s = idleScavenger(100, () => gc);
    s.poke();
    vi.advanceTimersByTime(60);
    s.poke(); // more work: start the wait again
    vi.advanceTimersByTime(99);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual([{ type: 'minor' }]);
    vi.advanceTimersByTime(1000);
    expect(calls).toHaveLength(1);
  });

  it('stop cancels a pending scavenge; without a gc function a poke does nothing', () => {
    vi.useFakeTimers();
    let n = 0;
    const s = idleScavenger(100, () => () => void n++);
    s.poke();
    s.stop();
    vi.advanceTimersByTime(500);
    expect(n).toBe(0);
    const none = idleScavenger(100, () => null);
    none.poke();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reaches V8's gc without putting it on the process's global", () => {
    const before = (globalThis as { gc?: unknown }).gc;
    const gc = exposeGc();
    expect(typeof gc).toBe('function');
    expect(() => gc!({ type: 'minor' })).not.toThrow();
    expect((globalThis as { gc?: unknown }).gc).toBe(before);
  });

  it('the dashboard pokes it after each refresh and stops it when it quits', async () => {
    const events: string[] = [];
    const scavenger: IdleScavenger = { poke: () => void events.push('poke'), stop: () => void events.push('stop') };
    const src = new FakeSource([dom0(), dom({ domid: 3, name: 'web' })]);
    const r = render(<TopApp source={src} columns={100} rows={30} utc scavenger={scavenger} />);
    await waitForFrame(r.lastFrame, (f) => f.includes('web'));
    await waitForInputReady();
    expect(events).toEqual(['poke']);
    r.stdin.write('\x0c'); // Ctrl-L: refresh now
    await vi.waitFor(() => expect(events).toEqual(['poke', 'poke']));
    r.unmount();
    expect(events).toEqual(['poke', 'poke', 'stop']);
  });
});
