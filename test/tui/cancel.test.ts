import { describe, expect, it } from 'vitest';
import { VirtualClock, WallClock } from '../../src/machine/clock.js';
import { Host } from '../../src/machine/host.js';
import { HostStore } from '../../src/toolstack/store.js';
import { bootExamples, cancellableClock, storeSource } from '../../src/tui/main.js';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'etc-xen');

describe('cancelling a command that waits', () => {
  it('a wall-clock wait ends at once when cancelled, clearing its timer', async () => {
    const ac = new AbortController();
    const c = cancellableClock(new WallClock(), ac.signal);
    const wait = c.sleepUntil(Date.now() + 3_600_000);
    ac.abort();
    await expect(wait).rejects.toThrow('cancelled');
    await expect(c.sleepUntil(Date.now() + 1000)).rejects.toThrow('cancelled');
  });

  it('a virtual clock still advances itself when not cancelled', async () => {
    const v = new VirtualClock(1000);
    await cancellableClock(v, new AbortController().signal).sleepUntil(5000);
    expect(v.now()).toBe(5000);
  });

  it('xl shutdown of a paused guest, cancelled, reports cancelled and takes the request back', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const store = HostStore.inMemory({ host: Host.create(clock) });
    expect(await bootExamples(store, clock, EXAMPLES)).toEqual([]);
    clock.advance(60_000);
    const host = store.memoryHost(clock)!;
    const id = host.domidByName('alpine-pv')!;
    host.pause(id);
    const src = storeSource(store, clock);
    const ac = new AbortController();
    ac.abort();
    const r = await src.run(['shutdown', String(id)], { signal: ac.signal });
    expect(r.cancelled).toBe(true);
    expect(host.xenstoreRead(`/local/domain/${id}/control/shutdown`)).toBe('poweroff');
    await src.withdrawShutdown(id);
    expect(store.memoryHost(clock)!.xenstoreRead(`/local/domain/${id}/control/shutdown`) ?? '').toBe('');
    // and without a cancel, xl waits its 60 s (virtual) and says the guest did not acknowledge
    const r2 = await src.run(['shutdown', String(id)]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain("guest didn't acknowledge control request");
  });
});
