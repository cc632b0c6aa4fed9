/**
 * The drill-down, the architecture view, the consoles and the palette over a real
 * emulated host (the demo's example configs on a virtual clock): what a learner sees.
 * Time moves only when a test moves the clock; frames are awaited, never timed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import React from 'react';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, render } from 'ink-testing-library';
import { VirtualClock } from '../../src/machine/clock.js';
import { Host } from '../../src/machine/host.js';
import { HostStore } from '../../src/toolstack/store.js';
import { TopApp } from '../../src/tui/app.js';
import { bootExamples, storeSource } from '../../src/tui/main.js';
import { KEY, waitForFrame, waitForInputReady } from './fixtures.js';

afterEach(() => cleanup());

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'etc-xen');
const lines = (f: string) => f.split('\n').map((l) => l.trimEnd());

async function demo(columns = 120, rows = 36) {
  const clock = new VirtualClock(Date.UTC(2026, 10, 21, 9, 15, 0));
  const store = HostStore.inMemory({ host: Host.create(clock) });
  const cfgPaths = new Map<string, string>();
  expect(await bootExamples(store, clock, EXAMPLES, cfgPaths)).toEqual([]);
  clock.advance(60_000); // every guest has booted to its login prompt
  const host = store.memoryHost(clock)!;
  const r = render(<TopApp source={storeSource(store, clock, cfgPaths)} columns={columns} rows={rows} utc animateMs={0} consolePollMs={50} />);
  await waitForFrame(r.lastFrame, (f) => f.includes('debian-pv'));
  await waitForInputReady();
  const refresh = async (ms: number, pred: (f: string) => boolean) => {
    clock.advance(ms);
    r.stdin.write('\x0c'); // Ctrl-L
    return waitForFrame(r.lastFrame, pred);
  };
  const select = async (name: string) => {
    r.stdin.write(KEY.home);
    for (let i = 0; i < 10 && !r.lastFrame()!.includes(`[${name} (domid`); i++) {
      r.stdin.write(KEY.down);
      await waitForInputReady();
    }
    await waitForFrame(r.lastFrame, (x) => x.includes(`[${name} (domid`));
  };
  return { ...r, clock, store, host, refresh, select, id: (name: string) => host.domidByName(name)! };
}

describe('drill-down (Enter)', () => {
  it('overview: cfg path, memory target/max/actual, vCPUs with pCPU and affinity, libxl view', async () => {
    const t = await demo();
    await t.select('alpine-pv');
    t.stdin.write(KEY.enter);
    const f = await waitForFrame(t.lastFrame, (x) => x.includes('libxl\'s view of the config'));
    const l = lines(f);
    expect(l).toContain(`Config      ${join(EXAMPLES, 'alpine-pv-kernel.cfg')}`);
    expect(l.find((x) => x.startsWith('Memory'))).toBe('Memory      target 512 MiB · max 513 MiB · actual 512 MiB (524,288 KiB)');
    expect(l).toContain('  vCPU  pCPU  state     hard affinity    soft affinity      time (s)');
    expect(l.some((x) => /^ {5}0 {5}\d  (running|blocked) +all +all +\d+\.\d$/.test(x))).toBe(true);
    expect(l).toContain('  c_info.name = alpine-pv');
    t.stdin.write(KEY.escape);
    await waitForFrame(t.lastFrame, (x) => x.includes('      NAME  STATE'));
  });

  it('devices: both ends of each split driver, vif<domid>.0 in Domain-0, XenbusStates, ports, grants, I/O', async () => {
    const t = await demo();
    const id = t.id('debian-pv');
    await t.select('debian-pv');
    t.stdin.write(KEY.enter);
    t.stdin.write('2');
    const f = await waitForFrame(t.lastFrame, (x) => x.includes(`vif${id}.0`));
    const l = lines(f);
    const at = l.findIndex((x) => x.startsWith('vif 0 — network: netback in Domain-0 ⇄ xen-netfront in debian-pv'));
    expect(at).toBeGreaterThan(0);
    expect(l[at + 1]).toBe(`  backend   Domain-0 (dom 0) · netback · vif${id}.0 on bridge xenbr0`);
    expect(l[at + 2]).toMatch(new RegExp(`^ {12}XenbusState 4 Connected · event channel port \\d+ · /local/domain/0/backend/vif/${id}/0$`));
    expect(l[at + 3]).toMatch(/^ {2}frontend {2}debian-pv \(dom \d+\) · xen-netfront · eth0 · mac 00:16:3e:/);
    expect(l[at + 4]).toMatch(new RegExp(`^ {12}XenbusState 4 Connected · event channel port \\d+ · /local/domain/${id}/device/vif/0$`));
    expect(l[at + 5]).toMatch(/^ {2}rings {5}tx-ring-ref \d+ · rx-ring-ref \d+ \(granted to dom 0\) · event channel \d+:\d+ ⇄ 0:\d+$/);
    expect(l[at + 6]).toMatch(/^ {2}I\/O {7}rx [\d,]+ pkts · tx [\d,]+ pkts$/);
    expect(l.some((x) => x.startsWith('vbd 51712 — block: blkback in Domain-0 ⇄ xen-blkfront in debian-pv'))).toBe(true);
    // The devices' own channels are not listed again among the others.
    const others = l.indexOf('other event channels');
    expect(others).toBeGreaterThan(at);
    expect(l.slice(others + 1).filter((x) => x.startsWith('  port '))).not.toEqual([]);
    for (const x of l.slice(others + 1).filter((y) => y.startsWith('  port '))) expect(x).not.toMatch(/ (vif|vbd|vkbd|vfb) \d+/);
    // a refresh later the I/O has a rate
    const g = await t.refresh(3000, (x) => /rx [\d,]+ pkts \(\+[\d.]+\/s\)/.test(x));
    expect(g).toContain('event channel port');
  });

  it('an HVM guest shows its QEMU device model in Domain-0 and its ioreq channels', async () => {
    const t = await demo();
    await t.select('ubuntu-hvm');
    t.stdin.write(KEY.enter);
    t.stdin.write('2');
    await waitForFrame(t.lastFrame, (x) => x.includes('ubuntu-hvm (domid'));
    // The device model comes after the guest's devices: scroll to the end of the tab.
    t.stdin.write(KEY.end);
    const f = await waitForFrame(t.lastFrame, (x) => x.includes('device model — QEMU'));
    expect(f).toContain("device model — QEMU (qemu-xen) in Domain-0 emulates ubuntu-hvm's platform devices: running");
    expect(lines(f).some((x) => /^ {2}ioreq {5}event channels (\d+⇄\d+, ){3}\d+⇄\d+ \(one per vCPU\)$/.test(x))).toBe(true);
    // Its virtual keyboard counts ring messages, not block requests, and its channel is not listed again.
    t.stdin.write(KEY.home);
    let g = '';
    for (let i = 0; i < 12 && !/I\/O {7}[\d,]+ ring messages/.test(g); i++) {
      t.stdin.write(KEY.pageDown);
      g = await waitForFrame(t.lastFrame, (x) => x.includes('ubuntu-hvm (domid'));
    }
    expect(g).toMatch(/I\/O {7}[\d,]+ ring messages/);
    expect(f).not.toMatch(/port +\d+ ⇄ dom 0 port \d+ +vkbd/);
  });

  it('calls: hypercalls per second beside an HVM guest’s VM exits, [ ] changes the other domain', async () => {
    const t = await demo();
    await t.select('fedora-pvh');
    t.stdin.write(KEY.enter);
    t.stdin.write('3');
    let f = await waitForFrame(t.lastFrame, (x) => x.includes('fedora-pvh (PVH) — hypercalls') && x.includes('(HVM) — VM exits and ioreqs'));
    expect(f).toMatch(/sched_op +[\d,]+ /);
    expect(f).toMatch(/exit:HLT +[\d,]+ /);
    expect(f).toContain('since boot');
    f = await t.refresh(3000, (x) => /total +[\d.]+ \/s/.test(x));
    expect(f).toMatch(/vcpu_op +\d+\.\d /);
    t.stdin.write(']');
    await waitForFrame(t.lastFrame, (x) => !x.includes('(HVM) — VM exits') || x.includes('│'));
  });

  it('charts: CPU, memory, network and disk over the refreshes', async () => {
    const t = await demo();
    await t.select('win2022');
    t.stdin.write(KEY.enter);
    t.stdin.write('4');
    for (let i = 0; i < 3; i++) await t.refresh(3000, () => true);
    const f = await waitForFrame(t.lastFrame, (x) => /Net tx +[▁▂▃▄▅▆▇█ ]*[▁▂▃▄▅▆▇█]/.test(x));
    expect(f).toMatch(/CPU +[ ▁▂▃▄▅▆▇█]+ {2}now [\d.]+ %, max [\d.]+ %/);
    expect(f).toMatch(/Memory +[ ▁▂▃▄▅▆▇█]+ {2}now 8191\.0 MiB/);
    expect(f).toMatch(/Disk reads/);
  });

  it('xenstore: the domain’s subtree, opened and closed with Enter', async () => {
    const t = await demo();
    const id = t.id('alpine-pv');
    await t.select('alpine-pv');
    t.stdin.write(KEY.enter);
    t.stdin.write('5');
    let f = await waitForFrame(t.lastFrame, (x) => x.includes(`▾ /local/domain/${id}`));
    // each node with its value and permissions
    expect(lines(f).some((x) => /^ {4}name = alpine-pv {2}\(\w+(,\w+)*\)$/.test(x))).toBe(true);
    // move to "device" and open it
    const rows = lines(f).slice(lines(f).indexOf(lines(f).find((x) => x.includes(`▾ /local/domain/${id}`))!));
    const down = rows.findIndex((x) => x.includes('▸ device'));
    for (let i = 0; i < down; i++) t.stdin.write(KEY.down);
    t.stdin.write(KEY.enter);
    f = await waitForFrame(t.lastFrame, (x) => x.includes('▾ device'));
    expect(f).toContain('▸ vbd');
    expect(f).toContain('▸ vif');
    t.stdin.write(KEY.enter);
    await waitForFrame(t.lastFrame, (x) => x.includes('▸ device'));
  });
});

describe('architecture view (A)', () => {
  it('draws Domain-0 with its backends, every guest with its frontends, the links and the hypervisor (120×36)', async () => {
    const t = await demo(120, 36);
    t.stdin.write('A');
    const f = await t.refresh(1000, (x) => x.includes('Xen 4.20.0 hypervisor') && x.includes('pCPUs'));
    for (const n of ['alpine-pv', 'debian-pv', 'fedora-pvh', 'mirage-www', 'ubuntu-hvm', 'win2022']) expect(f).toContain(n);
    expect(f).toContain('Domain-0: backends');
    expect(f).toContain('xenstored  xenconsoled');
    expect(f).toMatch(/netback vif\d+\.0 xenbr0/);
    expect(f).toMatch(/◄[═●○]+ ev \d+:\d+ [═●○]+►/);
    expect(f).toMatch(/xen-netfront eth0 +Connected/);
    expect(f).toMatch(/ pCPUs {2}0:(d\d+v\d+|idle)/);
  });

  it('folds the guests into a scrollable list at 80×24; Down moves, Enter drills down', async () => {
    const t = await demo(80, 24);
    t.stdin.write('A');
    let f = await t.refresh(1000, (x) => x.includes('Xen 4.20.0') && x.includes('▸ '));
    expect(lines(f).every((l) => l.length <= 80)).toBe(true);
    for (let i = 0; i < 5; i++) t.stdin.write(KEY.down);
    f = await waitForFrame(t.lastFrame, (x) => /┌─ win2022 · dom \d+ · HVM/.test(x));
    expect(f).toContain('qemu-dm for dom');
    t.stdin.write(KEY.enter);
    await waitForFrame(t.lastFrame, (x) => x.includes('win2022 (domid') && x.includes('1 Overview'));
    t.stdin.write(KEY.escape); // back to the architecture view it came from
    await waitForFrame(t.lastFrame, (x) => x.includes('Xen 4.20.0 hypervisor'));
  });
});

describe('consoles', () => {
  it('take keyboard input: log in, uname -a answers; Ctrl-] returns to the table; Tab comes back', async () => {
    const t = await demo();
    await t.select('alpine-pv');
    t.stdin.write('c');
    await waitForFrame(t.lastFrame, (x) => x.includes('alpine-pv login:'));
    t.stdin.write('root\r');
    await waitForFrame(t.lastFrame, (x) => x.includes('Password:'));
    t.stdin.write('secret\r');
    await waitForFrame(t.lastFrame, (x) => x.includes('alpine-pv:~#'));
    t.stdin.write('uname -a\r');
    const f = await waitForFrame(t.lastFrame, (x) => x.includes('Linux alpine-pv 6.6.58-0-virt'));
    expect(f).toContain('alpine-pv:~# uname -a');
    t.stdin.write(KEY.ctrlBracket);
    await waitForFrame(t.lastFrame, (x) => x.includes('      NAME  STATE'));
    t.stdin.write(KEY.tab);
    await waitForFrame(t.lastFrame, (x) => x.includes('Linux alpine-pv'));
  });

  it('several consoles: Tab and Alt-<n> switch, Alt-s splits side by side, Ctrl-F searches', async () => {
    const t = await demo(120, 30);
    await t.select('alpine-pv');
    t.stdin.write('c');
    await waitForFrame(t.lastFrame, (x) => x.includes('alpine-pv login:'));
    t.stdin.write(KEY.ctrlBracket);
    await t.select('debian-pv');
    t.stdin.write('c');
    let f = await waitForFrame(t.lastFrame, (x) => x.includes('1:alpine-pv') && x.includes('2:debian-pv') && x.includes('debian-pv login:'));
    t.stdin.write(KEY.tab);
    await waitForFrame(t.lastFrame, (x) => x.includes('alpine-pv (domid') && x.includes('alpine-pv login:'));
    t.stdin.write('\u001B2'); // Alt-2
    await waitForFrame(t.lastFrame, (x) => x.includes('debian-pv login:') && !x.includes('alpine-pv login:'));
    t.stdin.write('\u001Bs'); // Alt-s
    f = await waitForFrame(t.lastFrame, (x) => x.includes('alpine-pv login:') && x.includes('debian-pv login:'));
    expect(lines(f).some((l) => l.includes('│'))).toBe(true);
    t.stdin.write('\x06'); // Ctrl-F
    await waitForFrame(t.lastFrame, (x) => x.includes('search: _'));
    t.stdin.write('blkfront');
    t.stdin.write(KEY.enter);
    const m = await waitForFrame(t.lastFrame, (x) => /rows \d+-\d+ of \d+/.test(x) && x.includes('blkfront') && /match \d+ of \d+/.test(x));
    // Which match of how many: Enter steps to older ones, the newest first.
    const [, k, n] = /match (\d+) of (\d+)/.exec(m)!;
    expect(Number(k)).toBe(Number(n));
    t.stdin.write(KEY.enter);
    if (Number(n) > 1) await waitForFrame(t.lastFrame, (x) => x.includes(`match ${Number(n) - 1} of ${n}`));
    t.stdin.write(KEY.escape);
    await waitForFrame(t.lastFrame, (x) => !x.includes('search:'));
  });
});

describe('command palette (:)', () => {
  it('Tab completes commands and domain names; Ctrl-U clears; output in the pane', async () => {
    const t = await demo();
    t.stdin.write(':');
    t.stdin.write('pau');
    await waitForFrame(t.lastFrame, (x) => x.includes(':pau_'));
    t.stdin.write(KEY.tab);
    await waitForFrame(t.lastFrame, (x) => x.includes(':pause _'));
    t.stdin.write('d');
    t.stdin.write(KEY.tab);
    await waitForFrame(t.lastFrame, (x) => x.includes(':pause debian-pv _'));
    t.stdin.write('\x15'); // Ctrl-U
    await waitForFrame(t.lastFrame, (x) => lines(x).some((l) => l === ':_'));
    t.stdin.write('vcpu-');
    t.stdin.write(KEY.tab);
    const f = await waitForFrame(t.lastFrame, (x) => x.includes('completions (Tab again after typing more)'));
    expect(f).toMatch(/vcpu-list +vcpu-pin +vcpu-set/);
    t.stdin.write('list\r');
    await waitForFrame(t.lastFrame, (x) => x.includes('$ xl vcpu-list') && x.includes('Domain-0'));
  });
});

describe('cfg path of a domain created from the palette', () => {
  it('shows in its drill-down overview', async () => {
    const t = await demo();
    const cfg = join(EXAMPLES, 'mirage-unikernel.cfg');
    t.stdin.write(':');
    t.stdin.write(`create -q ${cfg} 'name="mirage-two"'`);
    t.stdin.write(KEY.enter);
    const out = await waitForFrame(t.lastFrame, (x) => x.includes("$ xl create"));
    expect(out).not.toContain("exit status");
    t.stdin.write(KEY.escape);
    await waitForFrame(t.lastFrame, (x) => x.includes('mirage-two'));
    await t.select('mirage-two');
    t.stdin.write(KEY.enter);
    await waitForFrame(t.lastFrame, (x) => lines(x).includes(`Config      ${cfg}`));
  });
});

describe('narrow terminals', () => {
  it('the drill-down wraps long lines at 80 columns and the key bar shows whole labels only', async () => {
    const t = await demo(80, 24);
    await t.select('alpine-pv');
    t.stdin.write(KEY.enter);
    t.stdin.write('2');
    const f = await waitForFrame(t.lastFrame, (x) => x.includes('vif 0 — network'));
    const l = lines(f);
    expect(l.every((x) => x.length <= 80)).toBe(true);
    const at = l.findIndex((x) => x.startsWith('            XenbusState 4 Connected · event channel port'));
    expect(l[at + 1]).toMatch(/^ {12}\S/); // the path goes on, indented
    expect(l[l.length - 1]).toBe('  Esc/q back  Tab/1-5 tabs  Up/Down scroll  Enter open  [ ] compare  c console');
    t.stdin.write(KEY.escape);
    const g = await waitForFrame(t.lastFrame, (x) => x.includes('      NAME  STATE'));
    expect(lines(g)[lines(g).length - 2]).toBe('  Enter detail  A arch  / filter  c console  : command  p pause  h halt  ? help');
  });
});
