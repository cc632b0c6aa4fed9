import { describe, expect, it } from 'vitest';
import { parseMemSizeKb } from '../../src/toolstack/commands/mem.js';
import { harness } from './helpers.js';

const WEB =
  'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 512\nmaxmem = 1024\nvcpus = 2\nmaxvcpus = 4\n' +
  'disk = [ "format=raw, vdev=xvda, access=rw, target=/dev/vg0/web" ]\nvif = [ "mac=00:16:3e:00:00:01, bridge=xenbr0" ]\n';

describe('parse_mem_size_kb', () => {
  it('defaults to MiB and knows b/k/m/g/t in either case', () => {
    expect(parseMemSizeKb('512')).toBe(512 * 1024);
    expect(parseMemSizeKb('512m')).toBe(512 * 1024);
    expect(parseMemSizeKb('1G')).toBe(1024 * 1024);
    expect(parseMemSizeKb('1t')).toBe(1024 * 1024 * 1024);
    expect(parseMemSizeKb('2048k')).toBe(2048);
    expect(parseMemSizeKb('1048576b')).toBe(1024);
  });
  it('refuses long or unknown suffixes', () => {
    expect(parseMemSizeKb('512MB')).toBeUndefined();
    expect(parseMemSizeKb('12x')).toBeUndefined();
    expect(parseMemSizeKb('abc')).toBeUndefined();
  });
});

describe('more xl commands', () => {
  it('rename, and refusing a name in use', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    await h.run(['create', '-q', 'web.cfg', 'name="db"']);
    expect(await h.run('rename web www')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('domid www')).out).toBe('1\n');
    expect(await h.run('rename www db')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 1:Domain with name "db" already exists.\n' +
        "Can't rename domain 'www'.\n",
    });
  });
  it('vm-list includes Domain-0', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    const lines = (await h.run('vm-list')).out.split('\n');
    expect(lines[0]).toBe('UUID                                  ID    name');
    expect(lines[1]).toBe(`00000000-0000-0000-0000-000000000000  0    ${'Domain-0'.padEnd(30)}`);
    expect(lines[2]).toMatch(/^[0-9a-f-]{36} {2}1 {4}web {27}$/);
  });
  it('block-list and network-list print their tables', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    h.clock.advance(30_000);
    const b = await h.run('block-list web nosuch');
    expect(b.code).toBe(0);
    expect(b.err).toBe('nosuch is an invalid domain identifier\n');
    const bl = b.out.split('\n');
    expect(bl[0]).toBe('Vdev  BE  handle state evt-ch ring-ref BE-path                       ');
    expect(bl[1]).toMatch(/^51712 0   1      4     \d+ +\d+ +\/local\/domain\/0\/backend\/vbd\/1\/51712 *$/);
    const n = await h.run('network-list web');
    const nl = n.out.split('\n');
    expect(nl[0]).toBe('Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path                       ');
    expect(nl[1]).toMatch(/^0   0  00:16:3e:00:00:01     0     4 +\d+ +\d+\/\d+ +\/local\/domain\/0\/backend\/vif\/1\/0 *$/);
  });
  it('mem-set changes the list Mem column; above maxmem is refused', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    expect(await h.run('mem-set web 768')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('list web')).out.split('\n')[1]!.slice(46, 52)).toBe('   768');
    expect(await h.run('mem-set web 2g')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_mem.c:279:libxl_set_memory_target: Domain 1:memory_dynamic_max must be less than or equal to memory_static_max\n\n' +
        'cannot set domid 1 dynamic max memory to : 2g\n',
    });
    expect(await h.run('mem-set web 12q')).toEqual({ code: 1, out: '', err: 'invalid memory size: 12q\n' });
  });
  it('mem-max below the target is refused', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    expect(await h.run('mem-max web 256')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_mem.c:60:libxl_domain_setmaxmem: Domain 1:memory_static_max must be greater than or or equal to memory_dynamic_max\n' +
        'cannot set domid 1 static max memory to : 256\n',
    });
    expect((await h.run('mem-max web 2048')).code).toBe(0);
  });
  it('vcpu-set changes the VCPUs column and checks its argument', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    expect(await h.run('vcpu-set web 3')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('list web')).out.split('\n')[1]!.slice(52, 58)).toBe('     3');
    expect(await h.run('vcpu-set web two')).toEqual({ code: 1, out: '', err: 'Error: Invalid argument.\n' });
    expect(await h.run('vcpu-set web 16')).toEqual({
      code: 1,
      out: '',
      err: 'You are overcommmitting! You have 8 physical CPUs and want 16 vCPUs! Aborting, use --ignore-host to continue\n',
    });
    const r = await h.run('vcpu-set -i web 16');
    expect(r.code).toBe(1);
    expect(r.err).toContain('Requested 16 VCPUs, however maxcpus is 4!\n');
    expect(r.err.endsWith('libxl_set_vcpuonline failed domid=1 max_vcpus=16, rc: -3\n')).toBe(true);
  });
});

describe('scheduler commands on the default credit2 host', () => {
  it('sched-credit2 lists the pool, then weight and cap per domain', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    expect(await h.run('sched-credit2')).toEqual({
      code: 0,
      out:
        'Cpupool Pool-0: ratelimit=1000us\n' +
        'Name                                ID Weight  Cap\n' +
        'Domain-0                             0    256    0\n' +
        'web                                  1    256    0\n',
      err: '',
    });
  });
  it('sched-credit2 -d D -w W -c C sets, -d D shows one domain', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    expect(await h.run('sched-credit2 -d web -w 512 -c 50')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('sched-credit2 -d web')).toEqual({
      code: 0,
      out: 'Name                                ID Weight  Cap\nweb                                  1    512   50\n',
      err: '',
    });
    expect(await h.run('sched-credit2 -d web -w 0')).toEqual({ code: 1, out: '', err: 'libxl_domain_sched_params_set failed.\n' });
    expect(await h.run('sched-credit2 -w 10')).toEqual({ code: 1, out: '', err: 'Must specify a domain.\n' });
    expect(await h.run('sched-credit2 -p Pool-0 -d web')).toEqual({
      code: 1,
      out: '',
      err: 'Specifying a cpupool is not allowed with other options.\n',
    });
  });
  it('sched-credit prints nothing on a credit2 host and refuses per-domain queries', async () => {
    const h = harness();
    expect(await h.run('sched-credit')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('sched-credit -d 0')).toEqual({
      code: 1,
      out: 'Name                                ID Weight  Cap\n',
      err: 'libxl_domain_sched_params_get returned credit2 not credit.\n',
    });
  });
});

describe('claims, sharing, cpupool-list', () => {
  it('claims appends the Claimed column to the list layout', async () => {
    const h = harness();
    const r = await h.run('claims');
    expect(r.code).toBe(0);
    const [head, dom0] = r.out.split('\n');
    expect(head).toBe('Name                                        ID   Mem VCPUs\tState\tTime(s)  Claimed');
    expect(dom0).toMatch(/^Domain-0 {37}0  4096     4     [-rbp]{2}----  +\d+\.\d     0$/);
  });
  it('sharing prints Mem and Shared per domain', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    expect((await h.run('sharing web')).out).toBe(
      `Name${' '.repeat(40)}ID   Mem Shared\nweb${' '.repeat(37)}     1   512      0\n`,
    );
    expect((await h.run('sharing 0 1')).code).toBe(1);
  });
  it('cpupool-list shows Pool-0 with every pCPU and domain', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    expect(await h.run('cpupool-list')).toEqual({
      code: 0,
      out: 'Name               CPUs   Sched     Active   Domain count\nPool-0               8   credit2       y          2\n',
      err: '',
    });
    expect((await h.run('cpupool-list -c')).out).toBe('Name               CPU list\nPool-0             0,1,2,3,4,5,6,7\n');
    expect(await h.run('cpupool-list Pool-9')).toEqual({ code: 1, out: '', err: "Pool 'Pool-9' does not exist\n" });
  });
});

describe('device hot-plug', () => {
  it('block-attach adds a vbd, block-detach removes it', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    h.clock.advance(30_000);
    expect(await h.run(['block-attach', 'web', 'format=raw, vdev=xvdb, access=rw, target=/dev/vg0/data'])).toEqual({ code: 0, out: '', err: '' });
    // At once the backend waits (InitWait) and the frontend has not connected: xl shows state 1, no ring yet.
    expect((await h.run('block-list web')).out).toMatch(/\n51728 0   1      1     -1     -1       \/local\/domain\/0\/backend\/vbd\/1\/51728\n/);
    h.clock.advance(20);
    expect((await h.run('block-list web')).out).toMatch(/\n51728 0   1      4 .*\/local\/domain\/0\/backend\/vbd\/1\/51728/);
    expect(await h.run('block-detach web xvdb')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('block-list web')).out).not.toContain('51728');
    expect(await h.run('block-detach web xvdq')).toEqual({ code: 1, out: '', err: 'Error: Device xvdq not connected.\n' });
    expect(await h.run(['block-attach', 'nosuch', 'xvdc'])).toEqual({ code: 1, out: '', err: 'nosuch is an invalid domain identifier\n' });
  });
  it('block-attach reports libxlu disk-spec errors and refuses a second xvda', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    const bad = await h.run(['block-attach', 'web', 'format=raw, vdev=xvdb, access=sideways, target=/x']);
    expect(bad.code).toBe(1);
    expect(bad.err.startsWith('command line: config parsing error in disk specification')).toBe(true);
    expect(await h.run(['block-attach', 'web', 'phy:/dev/vg0/other,xvda,w'])).toEqual({ code: 1, out: '', err: 'libxl_device_disk_add failed.\n' });
  });
  it('-N block-attach prints the disk JSON and attaches nothing', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    const r = await h.run(['-N', 'block-attach', 'web', 'phy:/dev/vg0/data,xvdc,w']);
    expect(r.code).toBe(0);
    expect(r.out.startsWith('disk: {\n    "pdev_path": "/dev/vg0/data",\n    "vdev": "xvdc",\n')).toBe(true);
    expect(r.out.endsWith('}\n\n')).toBe(true);
    expect((await h.run('block-list web')).out).not.toContain('51744');
  });
  it('network-attach adds a vif with the next devid, network-detach by devid or MAC', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    expect(await h.run(['network-attach', 'web', 'mac=00:16:3e:00:00:02', 'bridge=xenbr1'])).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('network-list web')).out).toMatch(/\n1   0  00:16:3e:00:00:02     1 /);
    expect(await h.run('network-detach web 00:16:3E:00:00:02')).toEqual({ code: 0, out: '', err: '' });
    expect(await h.run('network-detach web 0')).toEqual({ code: 0, out: '', err: '' });
    expect((await h.run('network-list web')).out.split('\n')).toHaveLength(2);
    expect(await h.run('network-detach web 7')).toEqual({ code: 1, out: '', err: 'Unknown device 7.\n' });
    const bad = await h.run(['network-attach', 'web', 'type=bogus']);
    expect(bad).toEqual({ code: 1, out: '', err: "Invalid parameter `type'.\n" });
  });
});
