/**
 * Golden tests of vcpu-pin, sched-credit/credit2/rtds and the cpupool commands: exact
 * stdout, stderr and exit status, written from tools/xl/xl_vcpu.c, xl_sched.c,
 * xl_cpupool.c, tools/libs/light/libxl_sched.c, libxl_cpupool.c (Xen 4.20.0 line numbers)
 * and xl-commands.md §3.6, §3.9, §3.10.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Host } from '../../src/machine/host.js';
import { HostStore } from '../../src/toolstack/store.js';
import { harness } from './helpers.js';
import { sharedPath } from '../shared-dir.js';

const WEB = 'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 512\nvcpus = 4\n';
const SCHED_HEADER = 'Name                                ID Weight  Cap\n';
const RTDS_HEADER = 'Name                                ID    Period    Budget  Extratime\n';
const RTDS_VCPU_HEADER = 'Name                                ID VCPU    Period    Budget  Extratime\n';

/** A harness with `web` (4 vCPUs) created and booted. */
async function withWeb(files: Record<string, string> = {}) {
  const h = harness({ 'web.cfg': WEB, ...files });
  await h.run('create -q web.cfg');
  h.clock.advance(30_000);
  return h;
}

/** `withWeb`, its vCPUs pinned to the pCPUs `pin` and `stress -c 4` started on its console. */
async function stressedWeb(pin: string) {
  const h = await withWeb();
  await h.run(`vcpu-pin web all ${pin}`);
  await h.run(['console', 'web']);
  const host = h.env.store.memoryHost(h.clock)!;
  host.sync();
  host.consoleInput(1, 'root\rpw\rstress -c 4\r');
  return { h, host };
}

/** A harness over a host of `nrCpus` pCPUs in `nrNodes` NUMA nodes. */
function harnessOn(nrCpus: number, nrNodes: number) {
  const h = harness();
  h.env.store = HostStore.inMemory({ host: Host.create(h.clock, { nrCpus, nrNodes, coresPerSocket: nrCpus / 2, threadsPerCore: 2 }) });
  return h;
}

describe('vcpu-pin', () => {
  it('pins every vCPU and vcpu-list shows the hard affinity; soft affinity from the fourth argument', async () => {
    const h = await withWeb();
    expect(await h.run('vcpu-pin web all 2')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('vcpu-pin web 1 3-5 4')).toEqual({ code: 0, out: '', err: '' });
    const rows = (await h.run('vcpu-list web')).out.split('\n');
    expect(rows[0]).toBe('Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)');
    expect(rows.slice(1, 5).map((r) => r.slice(67))).toEqual(['2 / all', '3-5 / 4', '2 / all', '2 / all']);
    expect(rows.slice(1, 5).map((r) => r.slice(44, 49))).toEqual(['    2', '    4', '    2', '    2']);
  });

  const vectors = sharedPath('reference/peer-tests/check-xl-vcpupin-parse.tsv');
  it.skipIf(!vectors.present)('-N prints the cpumap (the peer vectors of tools/xl/check-xl-vcpupin-parse)', async () => {
    const tsv = readFileSync(vectors.path, 'utf8');
    const rows = tsv.trim().split('\n').slice(1).map((l) => l.split('\t'));
    const any = harness();
    const big = harnessOn(16, 2);
    for (const [input, rc, stdout, topology] of rows) {
      const h = topology === 'any' ? any : big;
      const r = await h.run(['-N', 'vcpu-pin', '0', 'all', input!]);
      // 255 in the committed sample predates xl's switch to exit status 1 (README of the vectors).
      expect(r.code).toBe(rc === '255' ? 1 : Number(rc));
      expect(r.out).toBe(stdout === '' ? '' : `${stdout}\n`);
    }
    expect(await any.run('-N vcpu-pin 0 0 - 0-3')).toEqual({ code: 0, out: 'cpumap: - 0-3\n', err: '' });
  });

  it('argument errors are xl\'s, exit 1 (2 for too few operands)', async () => {
    const h = await withWeb();
    expect(await h.run('vcpu-pin web x 1')).toEqual({ code: 1, out: '', err: 'Error: Invalid argument x as VCPU.\n' });
    expect(await h.run('vcpu-pin -f web all 1')).toEqual({ code: 1, out: '', err: "Error: --force and 'all' as VCPU not allowed.\n" });
    expect(await h.run('vcpu-pin web 0 foo')).toEqual({ code: 1, out: '', err: 'Invalid pcpu range: foo.\n' });
    expect(await h.run('vcpu-pin web 0 ^all')).toEqual({ code: 1, out: '', err: 'Can\'t combine "^" and "all".\n' });
    expect(await h.run('vcpu-pin nosuch 0 1')).toEqual({ code: 1, out: '', err: 'nosuch is an invalid domain identifier (rc=-6)\n' });
    expect((await h.run('vcpu-pin web 0')).code).toBe(2);
    expect(await h.run('vcpu-pin 7 0 1')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_domain.c:354:libxl_domain_info: Domain 7:Getting domain info: No such process\nCould not get domain info\n',
    });
  });

  it('Xen\'s refusals: a vCPU past the domain\'s, a hard affinity outside its cpupool; `all` still exits 0', async () => {
    const h = await withWeb();
    expect(await h.run('vcpu-pin web 9 1')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_sched.c:62:libxl__set_vcpuaffinity: Domain 1:Setting vcpu affinity: Invalid argument\n' +
        "Could not set affinity for vcpu `9'.\n",
    });
    await h.run('cpupool-cpu-remove Pool-0 7');
    expect(await h.run('vcpu-pin web 0 7')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_sched.c:62:libxl__set_vcpuaffinity: Domain 1:Setting vcpu affinity: Invalid argument\n' +
        "Could not set affinity for vcpu `0'.\n",
    });
    const all = await h.run('vcpu-pin web all 7');
    expect(all.code).toBe(0);
    expect(all.err).toBe(
      [0, 1, 2, 3].map((i) =>
        'libxl: error: libxl_sched.c:62:libxl__set_vcpuaffinity: Domain 1:Setting vcpu affinity: Invalid argument\n' +
        `libxl: warning: libxl_sched.c:124:libxl_set_vcpuaffinity_all: Domain 1:Failed to set affinity for ${i}\n`).join('') +
      'Could not set affinity.\n',
    );
    expect(await h.run('vcpu-pin web 2 - 7')).toEqual({
      code: 0,
      out: '',
      err: 'libxl: warning: libxl_sched.c:84:libxl__set_vcpuaffinity: Domain 1:All cpus in soft affinity of vcpu 2 are unreachable. ' +
        'Only hard affinity will be considered for scheduling\n',
    });
  });

  it('four vCPUs pinned to one pCPU get one pCPU of CPU time between them', async () => {
    const { h, host } = await stressedWeb('3');
    const t0 = host.domain(1)!.cpuTimeNs;
    h.clock.advance(20_000);
    const rows = (await h.run('vcpu-list web')).out.split('\n').slice(1, 5);
    const secs = rows.reduce((a, r) => a + Number(r.slice(56, 65)), 0);
    expect(secs - t0 / 1e9).toBeLessThanOrEqual(20.2);
    expect(secs - t0 / 1e9).toBeGreaterThan(19.5);
  });
});

describe('vcpu-list of a named domain', () => {
  it('never shows two running vCPUs on one pCPU, and shows what the whole list shows for it', async () => {
    const { h } = await stressedWeb('0-1');
    let running = 0;
    for (let i = 0; i < 40; i++) {
      h.clock.advance(137);
      const named = (await h.run('vcpu-list web')).out.split('\n').slice(1, 5);
      const all = (await h.run('vcpu-list')).out.split('\n').filter((r) => r.startsWith('web '));
      expect(named).toEqual(all);
      const cpus = named.map((r) => r.split(/ +/)).filter((f) => f[4] === 'r--').map((f) => f[3]!);
      expect(new Set(cpus).size).toBe(cpus.length);
      for (const c of cpus) expect(['0', '1']).toContain(c);
      running += cpus.length;
    }
    expect(running).toBeGreaterThan(20); // not vacuous: the pinned vCPUs ran (pCPU 0 is mostly Domain-0 vCPU 0's)
  });
});

describe('sched-credit, sched-credit2 with cpupools', () => {
  it('lists each pool of its scheduler with its domains; -s shows and sets pool parameters', async () => {
    const h = await withWeb();
    await h.run('cpupool-cpu-remove Pool-0 6,7');
    await h.run(['cpupool-create', 'name="batch"', 'sched="credit"', 'cpus="6-7"']);
    expect(await h.run('cpupool-migrate web batch')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('sched-credit')).toEqual({
      code: 0,
      out: 'Cpupool batch: tslice=30ms ratelimit=1000us migration-delay=0us\n' + SCHED_HEADER +
        'web                                  1    256    0\n',
      err: '',
    });
    expect(await h.run('sched-credit2')).toEqual({
      code: 0,
      out: `Cpupool Pool-0: ratelimit=1000us\n${SCHED_HEADER}Domain-0                             0    256    0\n`,
      err: '',
    });
    expect(await h.run('sched-credit -s -p batch -t 10 -r 2000 -m 100')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('sched-credit -s -p 1')).toEqual({ code: 0, out: 'Cpupool batch: tslice=10ms ratelimit=2000us migration-delay=100us\n', err: '' });
    expect(await h.run('sched-credit2 -s -r 500')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('sched-credit2 -s')).toEqual({ code: 0, out: 'Cpupool Pool-0: ratelimit=500us\n', err: '' });
    expect(await h.run('sched-credit -d web -w 300 -c 150')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('sched-credit -d web')).toEqual({ code: 0, out: `${SCHED_HEADER}web                                  1    300  150\n`, err: '' });
  });

  it('refuses what xl and libxl refuse, with their messages', async () => {
    const h = await withWeb();
    const fail = (err: string, out = '') => ({ code: 1, out, err });
    expect(await h.run('sched-credit -t 10')).toEqual(fail('Must specify schedparam to set schedule parameter values.\n'));
    expect(await h.run('sched-credit -s -d web')).toEqual(fail('Specifying a cpupool or schedparam is not allowed with domain options.\n'));
    expect(await h.run('sched-credit2 -p nosuch')).toEqual(fail("unknown cpupool 'nosuch'\n"));
    expect(await h.run('sched-credit -s')).toEqual({
      code: 0,
      out: 'Cpupool Pool-0: [sched params unavailable]\n',
      err: 'libxl: error: libxl_sched.c:285:libxl_sched_credit_params_get: getting Credit scheduler parameters: Invalid argument\n' +
        'libxl_sched_credit_params_get failed.\n',
    });
    expect(await h.run('sched-credit2 -s -r 50')).toEqual(fail(
      'libxl: error: libxl_sched.c:268:sched_ratelimit_check: Ratelimit out of range, valid range is from 100 to 500000\n' +
      'libxl_sched_credit2_params_set failed.\n'));
    expect(await h.run('sched-credit2 -d web -c 500')).toEqual(fail(
      'libxl: error: libxl_sched.c:451:sched_credit2_domain_set: Domain 1:Cpu cap out of range, valid range is from 0 to 400 for specified number of vcpus\n' +
      'libxl_domain_sched_params_set failed.\n'));
    expect(await h.run('sched-credit -d web -w 10')).toEqual(fail(
      'libxl: error: libxl_sched.c:230:sched_credit_domain_set: Domain 1:Getting domain sched credit: Invalid argument\n' +
      'libxl_domain_sched_params_set failed.\n'));
    expect(await h.run('sched-credit2 -d 9')).toEqual(fail(
      'libxl: error: libxl_dom.c:76:libxl__domain_cpupool: Domain 9:get domaininfo failed: No such process\n' +
      'libxl: error: libxl_sched.c:901:libxl_domain_sched_params_get: Domain 9:Unknown scheduler\n' +
      'libxl_domain_sched_params_get failed.\n', SCHED_HEADER));
    await h.run('cpupool-cpu-remove Pool-0 7');
    await h.run(['cpupool-create', 'name="c"', 'sched="credit"', 'cpus=["7"]']);
    expect(await h.run('sched-credit -s -p c -t 10 -r 20000')).toEqual(fail(
      'libxl: error: libxl_sched.c:319:libxl_sched_credit_params_set: Ratelimit cannot be greater than timeslice\n' +
      'libxl_sched_credit_params_set failed.\n'));
    await h.run('cpupool-migrate web c');
    expect(await h.run('sched-credit2 -d web')).toEqual(fail('libxl_domain_sched_params_get returned credit not credit2.\n', SCHED_HEADER));
  });
});

describe('sched-rtds', () => {
  it('lists RTDS pools with defaults, shows and sets period/budget/extratime per vCPU', async () => {
    const h = await withWeb();
    expect(await h.run('sched-rtds')).toEqual({ code: 0, out: '', err: '' });
    await h.run('cpupool-cpu-remove Pool-0 5');
    await h.run(['cpupool-create', 'name="rt"', 'sched="rtds"', 'cpus="5"']);
    await h.run('cpupool-migrate web rt');
    expect(await h.run('sched-rtds')).toEqual({
      code: 0,
      out: `Cpupool rt: sched=RTDS\n${RTDS_HEADER}web                                  1     10000      4000        yes\n`,
      err: '',
    });
    expect(await h.run('sched-rtds -d web -v 1 -p 20000 -b 5000 -e 0 -v 3 -p 30000 -b 30000 -e 1')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('sched-rtds -d web -v all')).toEqual({
      code: 0,
      out: RTDS_VCPU_HEADER +
        'web                                  1    0     10000      4000        yes\n' +
        'web                                  1    1     20000      5000         no\n' +
        'web                                  1    2     10000      4000        yes\n' +
        'web                                  1    3     30000     30000        yes\n',
      err: '',
    });
    expect(await h.run('sched-rtds -d web -v all -p 1000 -b 100 -e 0')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('sched-rtds -v all')).out).toBe(
      `Cpupool rt: sched=RTDS\n${RTDS_VCPU_HEADER}` +
      [0, 1, 2, 3].map((i) => `web                                  1    ${i}      1000       100         no\n`).join(''));
    expect(await h.run('sched-rtds -d web')).toEqual({ code: 0, out: `${RTDS_HEADER}web                                  1     10000      4000        yes\n`, err: '' });
  });

  it('refuses what xl and libxl refuse', async () => {
    const h = await withWeb();
    const fail = (err: string, out = '') => ({ code: 1, out, err });
    expect(await h.run('sched-rtds -d web -e 2')).toEqual(fail('Invalid extratime.\n'));
    expect(await h.run('sched-rtds -v 1')).toEqual(fail('Missing parameters.\n'));
    expect(await h.run('sched-rtds -d web -p 100')).toEqual(fail('Must specify VCPU.\n'));
    expect(await h.run('sched-rtds -d web -v all -v 1')).toEqual(fail('Incorrect VCPU IDs.\n'));
    expect(await h.run('sched-rtds -d web -v 0 -p 20000 -b 5000')).toEqual(fail('Incorrect number of period, budget and extratime\n'));
    expect(await h.run('sched-rtds --cpupool=Pool-0 -d web')).toEqual(fail('Specifying a cpupool is not allowed with other options.\n'));
    expect(await h.run('sched-rtds -d 0 -v all')).toEqual(fail(
      'libxl: error: libxl_sched.c:960:libxl_vcpu_sched_params_get_all: per-VCPU parameter getting not supported for this scheduler\n' +
      'libxl_vcpu_sched_params_get_all failed.\n', RTDS_VCPU_HEADER));
    await h.run('cpupool-cpu-remove Pool-0 5');
    await h.run(['cpupool-create', 'name="rt"', 'sched="rtds"', 'cpus="5"']);
    await h.run('cpupool-migrate web rt');
    expect(await h.run('sched-rtds -d web -v 0 -p 100 -b 200 -e 1')).toEqual(fail(
      'libxl: error: libxl_sched.c:485:sched_rtds_validate_params: VCPU budget must be smaller than or equal to period, but 200 > 100\n' +
      'libxl_vcpu_sched_params_set failed.\n'));
    expect(await h.run('sched-rtds -d web -v 0 -p 5 -b 5 -e 1')).toEqual(fail(
      'libxl: error: libxl_sched.c:649:sched_rtds_vcpu_set: Domain 1:Setting vcpu sched rtds: Invalid argument\n' +
      'libxl_vcpu_sched_params_set failed.\n'));
    expect(await h.run('sched-rtds -d web -v 7 -p 100 -b 50 -e 1')).toEqual(fail(
      'libxl: error: libxl_sched.c:623:sched_rtds_vcpu_set: Domain 1:Invalid VCPU 7: valid range is [0, 3]\n' +
      'libxl_vcpu_sched_params_set failed.\n'));
  });
});

describe('cpupools', () => {
  it('create, list, migrate, rename, destroy; list -c and info free_cpus agree', async () => {
    const h = await withWeb({ 'p.cfg': 'sched = "credit2"\ncpus = [ "6", "7" ]\n' });
    expect(await h.run('cpupool-cpu-remove Pool-0 6-7')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('info free_cpus')).toEqual({ code: 0, out: '2\n', err: '' });
    expect(await h.run('cpupool-create -n p.cfg')).toEqual({
      code: 0,
      out: 'Using config file "p.cfg"\ncpupool name:   p.cfg\nscheduler:      credit2\nnumber of cpus: 2\n',
      err: '',
    });
    expect((await h.run('cpupool-list')).out).toBe('Name               CPUs   Sched     Active   Domain count\nPool-0               6   credit2       y          2\n');
    expect((await h.run('cpupool-create p.cfg name="hpc"')).code).toBe(0);
    expect(await h.run('info free_cpus')).toEqual({ code: 0, out: '0\n', err: '' });
    expect(await h.run('cpupool-migrate web hpc')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('cpupool-list')).toEqual({
      code: 0,
      out: 'Name               CPUs   Sched     Active   Domain count\n' +
        'Pool-0               6   credit2       y          1\n' +
        'hpc                  2   credit2       y          1\n',
      err: '',
    });
    expect(await h.run('cpupool-list -c hpc')).toEqual({ code: 0, out: 'Name               CPU list\nhpc                6,7\n', err: '' });
    const list = (await h.run('list -c')).out.split('\n');
    expect(list[0]!.endsWith('\tTime(s)         Cpupool')).toBe(true);
    expect(list[2]!.endsWith('             hpc')).toBe(true);
    expect(list[1]!.endsWith('          Pool-0')).toBe(true);
    const rows = (await h.run('vcpu-list web')).out.split('\n').slice(1, 5);
    expect(rows.every((r) => r.slice(67) === 'all / all')).toBe(true);
    expect(await h.run('cpupool-rename hpc batch')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('cpupool-destroy batch')).toEqual({ code: 1, out: '', err: "Can't destroy cpupool 'batch'\n" });
    expect(await h.run('cpupool-migrate web 0')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('cpupool-destroy 1')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('info free_cpus')).toEqual({ code: 0, out: '2\n', err: '' });
    // node:0 names every pCPU; those already in Pool-0 are refused one by one (ENODEV), the free ones join.
    expect(await h.run('cpupool-cpu-add Pool-0 node:0')).toEqual({
      code: 0,
      out: '',
      err: [0, 1, 2, 3, 4, 5].map((c) => `libxl: error: libxl_cpupool.c:302:libxl_cpupool_cpuadd: Error moving cpu ${c} to cpupool: No such device\n`).join('') +
        'some cpus may not have been added to Pool-0\n',
    });
    expect((await h.run('cpupool-list -c')).out).toBe('Name               CPU list\nPool-0             0,1,2,3,4,5,6,7\n');
  });

  it('refusals: names, schedulers, pCPUs, Pool-0 and Domain-0', async () => {
    const h = await withWeb();
    const fail = (err: string, out = '') => ({ code: 1, out, err });
    expect(await h.run('cpupool-list 0')).toEqual(fail("Pool '0' does not exist\n"));
    expect(await h.run('cpupool-create sched="credit"')).toEqual(fail('Missing cpupool name!\n'));
    expect(await h.run('cpupool-create name="Pool-0"')).toEqual(fail('Pool name "Pool-0" already exists\n'));
    expect(await h.run('cpupool-create name="x" sched="bogus"')).toEqual(fail('Unknown scheduler\n'));
    expect(await h.run('cpupool-create name="x" cpus="3"')).toEqual(fail('cpu 3 illegal or not free\n'));
    expect(await h.run('cpupool-create name="x" nodes=["0"]')).toEqual(fail('no free cpu found\n'));
    expect(await h.run('cpupool-create name="x" sched="sedf"')).toEqual(fail(
      'libxl: error: libxl_cpupool.c:157:libxl_cpupool_create: Could not create cpupool\nerror on creating cpupool\n',
      'Using config file "command line"\ncpupool name:   x\nscheduler:      sedf\nnumber of cpus: 0\n'));
    expect(await h.run('cpupool-create nosuch.cfg')).toEqual(fail('Failed to read config file: nosuch.cfg: No such file or directory\n'));
    expect(await h.run('cpupool-destroy Pool-0')).toEqual(fail("Can't destroy cpupool 'Pool-0'\n"));
    expect(await h.run('cpupool-destroy nosuch')).toEqual(fail("unknown cpupool 'nosuch'\n"));
    expect(await h.run('cpupool-rename 5 x')).toEqual(fail("unknown cpupool '5'\n"));
    expect(await h.run('cpupool-cpu-remove Pool-0 0')).toEqual({
      code: 0,
      out: '',
      err: 'libxl: error: libxl_cpupool.c:365:libxl_cpupool_cpuremove: Error removing cpu 0 from cpupool: Invalid argument\n' +
        "Some cpus may have not or only partially been removed from 'Pool-0'.\n" +
        "If a cpu can't be added to another cpupool, add it to 'Pool-0' again and retry.\n",
    });
    expect(await h.run('cpupool-cpu-add Pool-0 1')).toEqual({
      code: 0,
      out: '',
      err: 'libxl: error: libxl_cpupool.c:302:libxl_cpupool_cpuadd: Error moving cpu 1 to cpupool: No such device\n' +
        'some cpus may not have been added to Pool-0\n',
    });
    expect(await h.run('cpupool-cpu-add Pool-0 x')).toEqual(fail('Invalid pcpu range: x.\n'));
    expect(await h.run('cpupool-create name="empty"')).toEqual({
      code: 0,
      out: 'Using config file "command line"\ncpupool name:   empty\nscheduler:      credit2\nnumber of cpus: 0\n',
      err: '',
    });
    expect(await h.run('cpupool-cpu-remove empty 3')).toEqual({
      code: 0,
      out: '',
      err: 'libxl: error: libxl_cpupool.c:365:libxl_cpupool_cpuremove: Error removing cpu 3 from cpupool: Cannot assign requested address\n' +
        "Some cpus may have not or only partially been removed from 'empty'.\n" +
        "If a cpu can't be added to another cpupool, add it to 'empty' again and retry.\n",
    });
    expect(await h.run('cpupool-migrate web empty')).toEqual(fail('libxl: error: libxl_cpupool.c:437:libxl_cpupool_movedomain: Domain 1:Error moving domain to cpupool\n'));
    expect(await h.run('cpupool-migrate 0 empty')).toEqual(fail('libxl: error: libxl_cpupool.c:437:libxl_cpupool_movedomain: Error moving domain to cpupool\n'));
    expect(await h.run('cpupool-migrate 9 Pool-0')).toEqual(fail("unknown domain '9'\n"));
    expect(await h.run('cpupool-migrate web nosuch')).toEqual(fail("unknown cpupool 'nosuch'\n"));
    expect(await h.run('cpupool-numa-split')).toEqual(fail('splitting not possible, already cpupools in use\n'));
  });

  it('cpupool-numa-split makes one pool per NUMA node', async () => {
    const one = harness();
    expect(await one.run('cpupool-numa-split')).toEqual({ code: 0, out: '', err: '' });
    expect((await one.run('cpupool-list')).out).toBe('Name               CPUs   Sched     Active   Domain count\nPool-node0           8   credit2       y          1\n');
    const two = harnessOn(8, 2);
    expect(await two.run('cpupool-numa-split')).toEqual({ code: 0, out: '', err: '' });
    expect((await two.run('cpupool-list -c')).out).toBe('Name               CPU list\nPool-node0         0,1,2,3\nPool-node1         4,5,6,7\n');
  });
});
