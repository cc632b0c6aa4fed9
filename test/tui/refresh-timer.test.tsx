/**
 * The timed refresh comes `delaySec` after the last refresh, whatever started it: a key's
 * refresh (Ctrl-L here) starts the wait again, as xentop.c's interactive loop redraws on
 * a key or once `delay` seconds have passed since the last redraw. Timers are vitest's
 * fake ones, so time passes only when the test says so.
 */
import { afterEach, expect, it, vi } from 'vitest';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { TopApp } from '../../src/tui/app.js';
import { dom, dom0, FakeSource } from './fixtures.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Lets promises, React's scheduler and Ink's stdin handling run, without moving the fake clock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

it('a Ctrl-L refresh puts the next timed refresh a whole delay after it', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  const src = new FakeSource([dom0(), dom({ domid: 3, name: 'web' })]);
  const { lastFrame, stdin } = render(<TopApp source={src} columns={100} rows={20} delaySec={10} utc />);
  await settle();
  await vi.advanceTimersByTimeAsync(50);
  expect(lastFrame()).toContain('web');
  const atStart = src.requests.length;
  expect(atStart).toBeGreaterThan(0);

  // 5 s in, Ctrl-L refreshes at once.
  await vi.advanceTimersByTimeAsync(5_000);
  expect(src.requests.length).toBe(atStart);
  stdin.write('\x0c');
  await settle();
  expect(src.requests.length).toBe(atStart + 1);

  // 10 s after the start, no timed refresh: the wait began again at Ctrl-L.
  await vi.advanceTimersByTimeAsync(9_000);
  expect(src.requests.length).toBe(atStart + 1);
  // 10 s after Ctrl-L, the timed one.
  await vi.advanceTimersByTimeAsync(1_100);
  expect(src.requests.length).toBe(atStart + 2);
  // And every 10 s from then on.
  await vi.advanceTimersByTimeAsync(10_000);
  expect(src.requests.length).toBe(atStart + 3);
});
