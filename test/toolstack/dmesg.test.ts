/** `xl dmesg [-c|--clear]` (xl-commands.md §2.1): the Xen console ring on stdout, exit 0. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import { xenBootLog } from '../../src/machine/dmesg.js';
import { DEFAULT_SEED } from '../../src/machine/host.js';
import type { XlEnv } from '../../src/toolstack/io.js';
import { runXl } from '../../src/toolstack/program.js';
import { HostStore } from '../../src/toolstack/store.js';
import { harness, T0 } from './helpers.js';

describe('xl dmesg', () => {
  test('prints the hypervisor boot log of the host, exit 0', async () => {
    const h = harness();
    const r = await h.run('dmesg');
    expect(r).toEqual({ code: 0, out: xenBootLog(DEFAULT_SEED), err: '' });
    expect(r.out.split('\n')[1]).toMatch(/^\(XEN\) Xen version 4\.20\.0 \(/);
  });

  test('agrees with xl info: version, pCPUs, memory, scheduler, Xen command line', async () => {
    const h = harness();
    const info = (await h.run('info')).out;
    const val = (key: string): string => new RegExp(`^${key} +: (.*)$`, 'm').exec(info)![1]!;
    const log = (await h.run('dmesg')).out;
    expect(log).toContain(`(XEN) Xen version ${val('xen_version')} (`);
    expect(log).toContain(`(XEN) Brought up ${val('nr_cpus')} CPUs\n`);
    expect(log).toContain(`(XEN) System RAM: ${val('total_memory')}MB (`);
    expect(log).toContain(`(XEN) Command line: ${val('xen_commandline')}\n`);
    expect(log).toContain(`(XEN) Detected ${val('cpu_mhz')} MHz processor.\n`);
    expect(val('xen_scheduler')).toBe('credit2');
    expect(log).toContain('(XEN) Initializing Credit2 scheduler\n');
  });

  test('-c and --clear print the ring, then clear it', async () => {
    const h = harness();
    for (const flag of ['-c', '--clear']) {
      await h.store.reset(h.clock);
      const first = await h.run(`dmesg ${flag}`);
      expect(first.code).toBe(0);
      expect(first.out).toBe(xenBootLog(DEFAULT_SEED));
      expect(await h.run('dmesg')).toEqual({ code: 0, out: '', err: '' });
    }
  });

  test('guests coming and going add nothing at the default log level', async () => {
    const h = harness({ '/etc/xen/a.cfg': 'name = "a"\nkernel = "/boot/vmlinuz"\nmemory = 256\n' });
    expect((await h.run('create /etc/xen/a.cfg')).code).toBe(0);
    h.clock.advance(30_000);
    expect((await h.run('destroy a')).code).toBe(0);
    expect((await h.run('dmesg')).out).toBe(xenBootLog(DEFAULT_SEED));
  });

  test('a bad option → getopt error, exit 2; -h → help, exit 0', async () => {
    const h = harness();
    expect(await h.run('dmesg -x')).toEqual({ code: 2, out: '', err: "option `x' not supported.\n" });
    const help = await h.run('dmesg -h');
    expect(help.code).toBe(0);
    expect(help.out).toBe(
      'Usage: xl [-vtT] dmesg [-c]\n\nRead and/or clear dmesg buffer.\n\nOptions:\n\n  -c                        Clear dmesg buffer as well as printing it\n',
    );
  });

  test('the clear is saved in the state directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsim-dmesg-'));
    try {
      let out = '';
      const env: XlEnv = {
        stdout: (s) => {
          out += s;
        },
        stderr: () => undefined,
        store: HostStore.open(dir),
        clock: new VirtualClock(T0),
        isTTY: false,
      };
      expect(await runXl(['dmesg', '-c'], env)).toBe(0);
      expect(out).toBe(xenBootLog(DEFAULT_SEED));
      out = '';
      const again: XlEnv = { ...env, store: HostStore.open(dir) };
      expect(await runXl(['dmesg'], again)).toBe(0);
      expect(out).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
