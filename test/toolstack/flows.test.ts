import { resolve } from 'node:path';
import { libxlLine, SITES } from '../../src/toolstack/format/log.js';
import { describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

const WEB = 'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 512\nvcpus = 2\n';
const HEADER = 'Name                                        ID   Mem VCPUs\tState\tTime(s)\n';

/** The list row of `name` with everything but the time checked exactly. */
function row(out: string, name: string): { id: number; mem: number; vcpus: number; state: string } | undefined {
  const line = out.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) return undefined;
  const m = /^(.{40}) ([ \d]{5}) ([ \d]{5}) ([ \d]{5})     ([-a-zS?]{6})  ([ \d]{6}\.\d)$/.exec(line);
  expect(m, `row layout: ${JSON.stringify(line)}`).not.toBeNull();
  return { id: Number(m![2]), mem: Number(m![3]), vcpus: Number(m![4]), state: m![5]! };
}

describe('create', () => {
  it('creates a running domain and lists it', async () => {
    const h = harness({ 'web.cfg': WEB });
    expect(await h.run('create web.cfg')).toEqual({ code: 0, out: '', err: 'Parsing config from web.cfg\n' });
    h.clock.advance(30_000);
    const r = await h.run('list');
    expect(r.code).toBe(0);
    expect(r.out.startsWith(HEADER)).toBe(true);
    expect(row(r.out, 'Domain-0')?.id).toBe(0);
    const web = row(r.out, 'web')!;
    expect(web.id).toBe(1);
    expect(web.vcpus).toBe(2);
    expect(web.state.slice(2)).toBe('----');
    expect(web.mem).toBeGreaterThanOrEqual(510);
    expect(web.mem).toBeLessThanOrEqual(512);
  });
  it('the host records which cfg file a domain came from (the dashboard shows it), as an absolute path', async () => {
    const h = harness({ 'web.cfg': WEB });
    expect((await h.run('create web.cfg')).code).toBe(0);
    expect(h.store.memoryHost(h.clock)!.domain(1)!.configFile).toBe(resolve('web.cfg'));
    expect(h.store.memoryHost(h.clock)!.domain(0)!.configFile).toBeUndefined();
  });
  it('-q is silent, -p leaves the domain paused', async () => {
    const h = harness({ 'web.cfg': WEB });
    expect(await h.run('create -q -p web.cfg')).toEqual({ code: 0, out: '', err: '' });
    expect(row((await h.run('list web')).out, 'web')!.state).toBe('--p---');
  });
  it('a bare word on the command line is config text, so xl rejects it', async () => {
    const h = harness({ 'web.cfg': WEB });
    const r = await h.run('create web.cfg name=web2');
    expect(r.code).toBe(1);
    expect(r.err).toContain("web.cfg:7: config parsing error near `web2': syntax error, unexpected IDENT, expecting STRING or NUMBER or '['\n");
  });
  it('appends key=value operands after the file so they win', async () => {
    const h = harness({ 'web.cfg': WEB });
    expect((await h.run(['create', 'web.cfg', 'name="web2"', 'vcpus=3'])).code).toBe(0);
    const out = (await h.run('list')).out;
    expect(row(out, 'web')).toBeUndefined();
    expect(row(out, 'web2')!.vcpus).toBe(3);
  });
  it('reports unreadable files with glibc strerror text, exit 3', async () => {
    const h = harness();
    expect(await h.run('create nope.cfg')).toEqual({ code: 3, out: '', err: 'Failed to read config file: nope.cfg: No such file or directory\n' });
    expect(await h.run('create /etc/xen/')).toEqual({ code: 3, out: '', err: 'Failed to read config file: /etc/xen/: Is a directory\n' });
  });
  it('without a config file: exit 6', async () => {
    const h = harness();
    expect(await h.run('create name=x')).toEqual({ code: 6, out: '', err: 'Config file not specified and none in save file\n' });
  });
  it('a second bare operand prints the help, exit 2', async () => {
    const h = harness({ 'web.cfg': WEB });
    const r = await h.run('create web.cfg other.cfg');
    expect(r.code).toBe(2);
    expect(r.out.startsWith('Usage: xl [-vtTfN] create <ConfigFile> [options] [vars]\n')).toBe(true);
  });
  it('prints libxlu parse errors and xl\'s trailer, exit 1', async () => {
    const h = harness({ 'bad.cfg': 'name = "x"\nmemory = hvm\n' });
    expect(await h.run('create bad.cfg')).toEqual({
      code: 1,
      out: '',
      err:
        'Parsing config from bad.cfg\n' +
        "bad.cfg:2: config parsing error near `hvm': syntax error, unexpected IDENT, expecting STRING or NUMBER or '['\n" +
        'Failed to parse config: Invalid argument\n',
    });
    expect(row((await h.run('list')).out, 'x')).toBeUndefined();
  });
  it('prints the builder\'s fatal message with its exit code', async () => {
    const h = harness({ 'noname.cfg': 'memory = 256\n' });
    expect(await h.run('create noname.cfg')).toEqual({
      code: 1,
      out: '',
      err: 'Parsing config from noname.cfg\nDomain name must be specified.\n',
    });
  });
  it('refuses a name already in use, exit 3', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create web.cfg');
    const r = await h.run('create web.cfg');
    expect(r.code).toBe(3);
    expect(r.err).toContain(':libxl__domain_rename: ');
    expect(r.err).toContain('Domain with name "web" already exists.\n');
  });
  it('-n prints the config as yajl JSON and creates nothing', async () => {
    const h = harness({ 'web.cfg': WEB });
    const r = await h.run('create -n web.cfg');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { c_info: { name: string; type: string }; b_info: { max_vcpus: number; target_memkb: number } };
    expect(json.c_info).toMatchObject({ name: 'web', type: 'pvh' });
    expect(json.b_info).toMatchObject({ max_vcpus: 2, target_memkb: 524288 });
    expect(r.out).toContain('\n    "c_info": {\n        "type": "pvh",\n');
    expect(r.out.endsWith('}\n')).toBe(true);
    expect(row((await h.run('list')).out, 'web')).toBeUndefined();
    const noUuid = (s: string) => s.replace(/"uuid": "[0-9a-f-]{36}"/, '"uuid": U');
    expect(noUuid((await h.run('-N create web.cfg')).out)).toBe(noUuid(r.out));
  });
});

describe('domain lifecycle', () => {
  it('pause and unpause change the p flag', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create web.cfg');
    expect(await h.run('pause web')).toEqual({ code: 0, out: '', err: '' });
    expect(row((await h.run('list')).out, 'web')!.state[2]).toBe('p');
    expect(await h.run('unpause 1')).toEqual({ code: 0, out: '', err: '' });
    expect(row((await h.run('list')).out, 'web')!.state[2]).toBe('-');
  });
  it('pause: a bad name exits 1, a missing numeric id exits 0 after libxl\'s error', async () => {
    const h = harness();
    expect(await h.run('pause nosuch')).toEqual({ code: 1, out: '', err: 'nosuch is an invalid domain identifier (rc=-6)\n' });
    expect(await h.run('pause 99')).toEqual({
      code: 0,
      out: '',
      err: 'libxl: error: libxl_domain.c:583:libxl_domain_pause: Domain 99:Pausing domain: No such process\n',
    });
  });
  it('shutdown asks the guest, returns after its ack, and the guest goes away', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create web.cfg');
    h.clock.advance(60_000);
    expect(await h.run('shutdown web')).toEqual({ code: 0, out: '', err: 'Shutting down domain 1\n' });
    h.clock.advance(60_000);
    expect(row((await h.run('list')).out, 'web')).toBeUndefined();
  });
  it('shutdown -w waits for the shutdown, -w -w for the death', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create web.cfg');
    expect(await h.run('shutdown -w web')).toEqual({
      code: 0,
      out: '',
      err: 'Shutting down domain 1\nWaiting for 1 domains\nDomain 1 has been shut down, reason code 0\n',
    });
    await h.run('create web.cfg');
    const r = await h.run('shutdown -ww web');
    expect(r).toEqual({
      code: 0,
      out: '',
      err:
        'Shutting down domain 2\nWaiting for 1 domains\nDomain 2 has been shut down, reason code 0\n' +
        'Domain 2 continue waiting for death\nDomain 2 has been destroyed\n',
    });
  });
  it('shutdown without a domain or -a', async () => {
    const h = harness();
    expect(await h.run('shutdown')).toEqual({ code: 1, out: '', err: 'You must specify -a or a domain id.\n\n' });
  });
  it('shutdown -a asks every guest but not Domain-0', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create web.cfg');
    expect((await h.run(['create', 'web.cfg', 'name="db"'])).code).toBe(0);
    const r = await h.run('shutdown -a -w');
    expect(r.code).toBe(0);
    expect(r.err.split('\n').slice(0, 3)).toEqual(['Shutting down domain 1', 'Shutting down domain 2', 'Waiting for 2 domains']);
  });
  it('reboot brings the domain back under a new domid with the same name and UUID', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create web.cfg');
    const uuidBefore = (await h.run('list -v web')).out.split('\n')[1]!.slice(80, 116);
    const r = await h.run('reboot -w -w web');
    expect(r.err).toBe(
      'Rebooting domain 1\nWaiting for 1 domains\nDomain 1 has been shut down, reason code 1\n' +
        'Domain 1 continue waiting for death\nDomain 1 has been destroyed\n',
    );
    h.clock.advance(10_000);
    const after = await h.run('list -v web');
    expect(after.code).toBe(0);
    const line = after.out.split('\n')[1]!;
    expect(line.slice(0, 46)).toBe('web                                          2');
    expect(line.slice(80, 116)).toBe(uuidBefore);
  });
  it('destroy: Domain-0 needs -f, a missing id gives libxl\'s chain, a guest disappears', async () => {
    const h = harness({ 'web.cfg': WEB });
    expect(await h.run('destroy 0')).toEqual({
      code: 1,
      out: '',
      err: 'Not destroying domain 0; use -f to force.\nThis can only be done when using a disaggregated hardware domain and toolstack.\n\n',
    });
    expect(await h.run('destroy 7')).toEqual({
      code: 1,
      out: '',
      err:
        'libxl: error: libxl_domain.c:1179:libxl__destroy_domid: Domain 7:Non-existant domain\n' +
        'libxl: error: libxl_domain.c:1133:domain_destroy_callback: Domain 7:Unable to destroy guest\n' +
        'libxl: error: libxl_domain.c:1060:domain_destroy_cb: Domain 7:Destruction of domain failed\n' +
        'destroy failed (rc=-21)\n',
    });
    await h.run('create web.cfg');
    expect(await h.run('destroy web')).toEqual({ code: 0, out: '', err: '' });
    expect(row((await h.run('list')).out, 'web')).toBeUndefined();
  });
  it('list <domain>: a missing numeric id is reported, exit 1', async () => {
    const h = harness();
    expect(await h.run('list 5')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_domain.c:354:libxl_domain_info: Domain 5:Getting domain info: No such process\n' +
        "Error: Domain '5' does not exist.\n",
    });
  });
  it('domid and domname convert both ways', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create web.cfg');
    expect(await h.run('domid web')).toEqual({ code: 0, out: '1\n', err: '' });
    expect(await h.run('domname 1')).toEqual({ code: 0, out: 'web\n', err: '' });
    expect(await h.run('domname 1abc')).toEqual({ code: 0, out: 'web\n', err: '' });
    expect(await h.run('domname abc')).toEqual({ code: 1, out: '', err: 'Invalid domain id.\n\n' });
    expect(await h.run('domname 9')).toEqual({
      code: 1,
      out: '',
      err: "Can't get domain name of domain id '9', maybe this domain does not exist.\n",
    });
    expect(await h.run('domid nope')).toEqual({
      code: 1,
      out: '',
      err: "Can't get domid of domain name 'nope', maybe this domain does not exist.\n",
    });
  });
  it('uptime counts whole seconds since creation', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create web.cfg');
    h.clock.advance(3 * 86400_000 + 4 * 3600_000 + 5 * 60_000 + 6_000);
    const r = await h.run('uptime web');
    expect(r.out).toBe(`${'Name'.padEnd(33)}   ID Uptime\n${'web'.padEnd(33)}    1 3 days,  4:05:06\n`);
    const s = await h.run('uptime -s web');
    expect(s.out).toBe(' 04:05:06 up 3 days,  4:05, web (1)\n');
  });
  it('vcpu-list prints one row per vCPU', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create web.cfg');
    const r = await h.run('vcpu-list web');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)');
    expect(lines.slice(1, 3).map((l) => l.slice(0, 44))).toEqual([
      'web                                  1     0',
      'web                                  1     1',
    ]);
    expect(lines).toHaveLength(4);
  });
  it('info prints the host and filters by prefix', async () => {
    const h = harness();
    const all = await h.run('info');
    expect(all.out).toMatch(/^host {19}: \S+\n/);
    expect(all.out).toContain('\nxen_version            : 4.20.0\n');
    expect(all.out).toContain('\nxend_config_format     : 4\n');
    const free = await h.run('info free');
    const lines = free.out.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('0');
    expect(free.out).toBe(`${/free_memory {12}: (\d+)\n/.exec(all.out)![1]}\n0\n`);
  });
  it('list -l prints the yajl JSON array with the real domid', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create web.cfg');
    const r = await h.run('list -l web');
    expect(r.out.endsWith(']\n\n')).toBe(true);
    const json = JSON.parse(r.out) as Array<{ domid: number; config: { c_info: { name: string; domid: number } } }>;
    expect(json).toHaveLength(1);
    expect(json[0]!.domid).toBe(1);
    expect(json[0]!.config.c_info).toMatchObject({ name: 'web', domid: 4294967295 });
  });
});

describe('shutdown -a that fails part-way (xl_vmcontrol.c main_shutdown_or_reboot)', () => {
  it('asks every guest in domid order; one that never answers fails the command after 60 s, the others still go', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    // The guest of the second run is already shut down with on_poweroff=preserve: libxl times out.
    expect((await h.run(['create', '-q', 'web.cfg', 'name="keep"', 'on_poweroff="preserve"'])).code).toBe(0);
    await h.run('shutdown -w keep');
    const start = h.clock.now();
    const r = await h.run('shutdown -a');
    expect(r.code).toBe(1);
    expect(r.err).toBe(`Shutting down domain 1\nShutting down domain 2\n${libxlLine('error', SITES.pvcontrol, 2, "guest didn't acknowledge control request: -9")}shutdown failed (rc=-9)\n`);
    expect(h.clock.now()).toBeGreaterThanOrEqual(start + 60_000);
    const list = (await h.run('list')).out;
    expect(row(list, 'web')).toBeUndefined();
    expect(row(list, 'keep')?.state).toBe('---s--');
  });
  it('takes back a request a paused guest never acknowledged, so unpausing it later does not shut it down', async () => {
    const h = harness({ 'web.cfg': WEB });
    await h.run('create -q web.cfg');
    h.clock.advance(30_000);
    await h.run('pause web');
    const r = await h.run('shutdown web');
    expect(r.code).toBe(1);
    expect(r.err).toContain("guest didn't acknowledge control request: -9");
    await h.run('unpause web');
    h.clock.advance(30_000);
    expect(row((await h.run('list')).out, 'web')?.state).not.toMatch(/s/);
  });
});
