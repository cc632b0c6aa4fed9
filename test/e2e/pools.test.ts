/**
 * End-to-end: the built `bin/xlsim` as a script would drive issue 7's commands, against
 * a state directory in a temp dir, on the real wall clock: vcpu-set, vcpu-pin and
 * vcpu-list, sched-credit2 -w, cpupool-create / migrate / destroy, sysrq on a booted guest,
 * debug-keys into dmesg. Waits are for observable conditions (the guest's console), not
 * for fixed times.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/xlsim');
let home: string;
let cfg: string;

function xlsim(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, XLSIM_HOME: home, CI: 'true' },
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Polls `xlsim console <dom>` until its output contains `text` (an observable condition, bounded). */
async function consoleShows(dom: string, text: string, ms = 60_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const out = xlsim('console', dom).out;
    if (out.includes(text)) return out;
    if (Date.now() > until) throw new Error(`console of ${dom} never showed ${JSON.stringify(text)}; got ${JSON.stringify(out.slice(-300))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'xlsim-e2e-pools-'));
  cfg = join(home, 'pool-vm.cfg');
  writeFileSync(cfg, 'name = "pool-vm"\ntype = "pvh"\nkernel = "/boot/vmlinuz-6.1.0-21-amd64"\nmemory = 256\nvcpus = 2\nmaxvcpus = 4\n');
}, 120_000);

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('bin/xlsim: pinning, schedulers, cpupools, guest controls', () => {
  it('vcpu-set and vcpu-pin show in list and vcpu-list; sched-credit2 -w sets the weight', () => {
    expect(xlsim('create', '-q', cfg)).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('vcpu-set', 'pool-vm', '3')).toEqual({ code: 0, out: '', err: '' });
    const row = xlsim('list', 'pool-vm').out.split('\n')[1]!;
    expect(row.slice(52, 58)).toBe('     3');
    expect(xlsim('vcpu-pin', 'pool-vm', 'all', '2-3', '3')).toEqual({ code: 0, out: '', err: '' });
    const vl = xlsim('vcpu-list', 'pool-vm').out.split('\n');
    expect(vl.slice(1, 5).map((r) => r.slice(67))).toEqual(['2-3 / 3', '2-3 / 3', '2-3 / 3', '2-3 / 3']);
    expect(vl[4]!.slice(44, 56)).toBe('    -   --p ');
    expect(xlsim('sched-credit2', '-d', 'pool-vm', '-w', '512')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('sched-credit2', '-d', 'pool-vm').out).toBe('Name                                ID Weight  Cap\npool-vm                              1    512    0\n');
  });

  it('cpupool-create, cpupool-migrate and cpupool-destroy move pCPUs and the domain', () => {
    expect(xlsim('cpupool-cpu-remove', 'Pool-0', '6-7').code).toBe(0);
    expect(xlsim('info', 'free_cpus').out).toBe('2\n');
    expect(xlsim('cpupool-create', 'name="e2e"', 'sched="credit"', 'cpus="6-7"')).toEqual({
      code: 0,
      out: 'Using config file "command line"\ncpupool name:   e2e\nscheduler:      credit\nnumber of cpus: 2\n',
      err: '',
    });
    expect(xlsim('cpupool-migrate', 'pool-vm', 'e2e')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('list', '-c', 'pool-vm').out.split('\n')[1]!.endsWith('             e2e')).toBe(true);
    expect(xlsim('sched-credit').out).toBe(
      'Cpupool e2e: tslice=30ms ratelimit=1000us migration-delay=0us\nName                                ID Weight  Cap\npool-vm                              1    256    0\n');
    expect(xlsim('cpupool-destroy', 'e2e')).toEqual({ code: 1, out: '', err: "Can't destroy cpupool 'e2e'\n" });
    expect(xlsim('cpupool-migrate', 'pool-vm', 'Pool-0').code).toBe(0);
    expect(xlsim('cpupool-destroy', 'e2e')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('cpupool-list').out).toBe('Name               CPUs   Sched     Active   Domain count\nPool-0               6   credit2       y          2\n');
    expect(xlsim('cpupool-cpu-add', 'Pool-0', '6-7').code).toBe(0);
    expect(xlsim('info', 'free_cpus').out).toBe('0\n');
  });

  it('sysrq reaches the booted guest\'s kernel; debug-keys output lands in dmesg', async () => {
    await consoleShows('pool-vm', 'login: ');
    expect(xlsim('sysrq', 'pool-vm', 's')).toEqual({ code: 0, out: '', err: '' });
    await consoleShows('pool-vm', 'Emergency Sync complete');
    expect(xlsim('debug-keys', 'q')).toEqual({ code: 0, out: '', err: '' });
    const d = xlsim('dmesg').out;
    expect(d).toMatch(/\(XEN\) 'q' pressed -> dumping domain info \(now = \d+\)\n\(XEN\) General information for domain 0:\n/);
    expect(d).toContain('(XEN) General information for domain 1:\n');
    expect(xlsim('sysrq', 'pool-vm', 'c')).toEqual({ code: 0, out: '', err: '' });
    expect(xlsim('list', 'pool-vm').code).toBe(1);
  });
});
