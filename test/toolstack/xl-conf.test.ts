/**
 * The emulated host's xl.conf (xl-commands.md §1.1, §1.7; xl-cfg-format.md §3.11): read
 * before `create`, `network-attach` and `claims`, silent when absent, fatal when broken.
 */
import { describe, expect, it } from 'vitest';
import { HostStore } from '../../src/toolstack/store.js';
import { harness } from './helpers.js';

const CONF = '/etc/xen/xl.conf';
const WEB = 'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 512\nvcpus = 2\n';
const NET = `${WEB}vif = [ "mac=00:16:3e:00:00:01" ]\n`;

/** A harness whose host has an xl.conf holding `conf` (undefined: the file does not exist). */
function withConf(conf: string | undefined, files: Record<string, string> = {}) {
  const all: Record<string, string> = { 'web.cfg': WEB, 'net.cfg': NET, ...files };
  if (conf !== undefined) all[CONF] = conf;
  return harness(all, { xlConfPath: CONF });
}

interface Nic {
  bridge?: string;
  script?: string;
  mac?: string;
}

function nicsOf(out: string): Nic[] {
  return (JSON.parse(out) as { nics?: Nic[] }).nics ?? [];
}

/** The `Affinity (Hard / Soft)` column of each vcpu-list row of `name`. */
function affinities(out: string, name: string): string[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith(`${name} `))
    .map((l) => l.slice(l.lastIndexOf('  ') + 2).trim());
}

describe('where xl.conf lives', () => {
  it('is xl.conf in the state directory; an in-memory store has one only when given', () => {
    expect(HostStore.open('/var/tmp/xlsim-home').xlConfPath).toBe('/var/tmp/xlsim-home/xl.conf');
    expect(HostStore.inMemory().xlConfPath).toBeUndefined();
    expect(HostStore.inMemory({ xlConfPath: CONF }).xlConfPath).toBe(CONF);
  });
});

describe('xl.conf absent', () => {
  it('create uses xl defaults and prints nothing about xl.conf', async () => {
    const h = withConf(undefined);
    const r = await h.run('create -n net.cfg');
    expect(r.code).toBe(0);
    expect(r.err).toBe('Parsing config from net.cfg\n');
    const nics = nicsOf(r.out);
    expect(nics).toHaveLength(1);
    expect(nics[0]!.bridge).toBeUndefined();
    const json = JSON.parse(r.out) as { c_info: Record<string, unknown>; b_info: Record<string, unknown> };
    expect(json.c_info.run_hotplug_scripts).toBe('True');
    expect(json.b_info.claim_mode).toBe('True');
  });
  it('network-attach -N and claims stay silent', async () => {
    const h = withConf(undefined);
    await h.run('create web.cfg');
    expect(await h.run('-N network-attach web mac=00:16:3e:00:00:02')).toEqual({
      code: 0,
      out: 'vif: {\n    "mac": "00:16:3e:00:00:02"\n}\n\n',
      err: '',
    });
    const c = await h.run('claims');
    expect(c.code).toBe(0);
    expect(c.err).toBe('');
  });
  it('a store without any xl.conf path behaves the same', async () => {
    const h = harness({ 'net.cfg': NET });
    const r = await h.run('create -n net.cfg');
    expect(r.err).toBe('Parsing config from net.cfg\n');
    expect(nicsOf(r.out)[0]!.bridge).toBeUndefined();
  });
  it('an unreadable xl.conf (not absent) prints xl\'s read error and goes on with defaults', async () => {
    const h = harness({ 'web.cfg': WEB }, { xlConfPath: '/etc/xen/' });
    const r = await h.run('create -q web.cfg');
    expect(r).toEqual({ code: 0, out: '', err: 'Failed to read config file: /etc/xen/: Is a directory\n' });
  });
});

describe('vif.default.* values', () => {
  it('vif.default.bridge shows in create -n nics', async () => {
    const h = withConf('vif.default.bridge="br9"\n');
    const r = await h.run('create -n net.cfg');
    expect(r.code).toBe(0);
    expect(r.err).toBe('Parsing config from net.cfg\n');
    expect(nicsOf(r.out)).toEqual([expect.objectContaining({ bridge: 'br9', mac: '00:16:3e:00:00:01' })]);
    expect(r.out).toContain('"bridge": "br9"');
  });
  it('a bridge= in the vif spec still wins over the default', async () => {
    const h = withConf('vif.default.bridge="br9"\n', { 'own.cfg': `${WEB}vif = [ "bridge=xenbr1" ]\n` });
    const r = await h.run('create -n own.cfg');
    expect(nicsOf(r.out)[0]!.bridge).toBe('xenbr1');
  });
  it('vif.default.bridge and script show in network-attach -N output', async () => {
    const h = withConf('vif.default.bridge="br9"\nvif.default.script="vif-openvswitch"\n');
    expect((await h.run('create web.cfg')).code).toBe(0);
    const r = await h.run('-N network-attach web mac=00:16:3e:00:00:02');
    expect(r).toEqual({
      code: 0,
      out: 'vif: {\n    "mac": "00:16:3e:00:00:02",\n    "bridge": "br9",\n    "script": "vif-openvswitch"\n}\n\n',
      err: '',
    });
    const own = await h.run('-N network-attach web bridge=br2');
    expect(own.out).toContain('"bridge": "br2"');
    expect(own.out).not.toContain('br9');
  });
  it('deprecated defaultbridge prints xl\'s deprecation line and is used', async () => {
    const h = withConf('defaultbridge="br7"\n');
    const r = await h.run('create -n net.cfg');
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      'the global config option defaultbridge is deprecated, please switch to vif.default.bridge\nParsing config from net.cfg\n',
    );
    expect(nicsOf(r.out)[0]!.bridge).toBe('br7');
  });
});

describe('claim_mode and run_hotplug_scripts', () => {
  it('claim_mode=0 and run_hotplug_scripts=0 show in create -n and list -l', async () => {
    const h = withConf('claim_mode=0\nrun_hotplug_scripts=0\n');
    const n = await h.run('create -n web.cfg');
    const json = JSON.parse(n.out) as { c_info: Record<string, unknown>; b_info: Record<string, unknown> };
    expect(json.c_info.run_hotplug_scripts).toBe('False');
    expect(json.b_info.claim_mode).toBe('False');
    expect((await h.run('create web.cfg')).code).toBe(0);
    const l = await h.run('list -l web');
    const [entry] = JSON.parse(l.out) as { config: { c_info: Record<string, unknown>; b_info: Record<string, unknown> } }[];
    expect(entry!.config.c_info.run_hotplug_scripts).toBe('False');
    expect(entry!.config.b_info.claim_mode).toBe('False');
  });
  it('claims warns when claim_mode=0', async () => {
    const h = withConf('claim_mode=0\n');
    const r = await h.run('claims');
    expect(r.code).toBe(0);
    expect(r.err).toBe('claim_mode not enabled (see man xl.conf).\n');
    expect(r.out.startsWith('Name ')).toBe(true);
  });
});

describe('vm.cpumask', () => {
  it('becomes the vCPU hard affinity shown by vcpu-list', async () => {
    const h = withConf('vm.cpumask="0-3"\n');
    const r = await h.run('create web.cfg');
    expect(r).toEqual({ code: 0, out: '', err: 'Parsing config from web.cfg\n' });
    expect(affinities((await h.run('vcpu-list web')).out, 'web')).toEqual(['0-3 / all', '0-3 / all']);
  });
  it('create -i and --ignore-global-affinity-masks ignore it', async () => {
    const h = withConf('vm.cpumask="0-3"\n', { 'db.cfg': WEB.replace('"web"', '"db"') });
    expect((await h.run('create -i web.cfg')).code).toBe(0);
    expect((await h.run('create --ignore-global-affinity-masks db.cfg')).code).toBe(0);
    const out = (await h.run('vcpu-list')).out;
    expect(affinities(out, 'web')).toEqual(['all / all', 'all / all']);
    expect(affinities(out, 'db')).toEqual(['all / all', 'all / all']);
  });
  it('narrows a cpus= the config sets, and reaches create -n', async () => {
    const h = withConf('vm.cpumask="0-3"\n', { 'pin.cfg': `${WEB}cpus = "2-5"\n` });
    const r = await h.run('create -n pin.cfg');
    expect((JSON.parse(r.out) as { b_info: { vcpu_hard_affinity: unknown } }).b_info.vcpu_hard_affinity).toEqual([
      [2, 3],
      [2, 3],
    ]);
    expect((await h.run('create pin.cfg')).code).toBe(0);
    expect(affinities((await h.run('vcpu-list web')).out, 'web')).toEqual(['2-3 / all', '2-3 / all']);
  });
  it('vm.pv.cpumask applies to PV guests only', async () => {
    const h = withConf('vm.pv.cpumask="4-7"\n', { 'pv.cfg': WEB.replace('"pvh"', '"pv"').replace('"web"', '"pv1"') });
    expect((await h.run('create web.cfg')).code).toBe(0);
    expect((await h.run('create pv.cfg')).code).toBe(0);
    const out = (await h.run('vcpu-list')).out;
    expect(affinities(out, 'web')).toEqual(['all / all', 'all / all']);
    expect(affinities(out, 'pv1')).toEqual(['4-7 / all', '4-7 / all']);
  });
  it('an empty result prints xl\'s message, exits 1 and creates nothing', async () => {
    const h = withConf('vm.cpumask="0-3"\n', { 'pin.cfg': `${WEB}cpus = "6-7"\n` });
    const r = await h.run('create pin.cfg');
    expect(r).toEqual({ code: 1, out: '', err: 'Parsing config from pin.cfg\nvcpu hard affinity map is empty\n' });
    expect((await h.run('list')).out).not.toContain('web');
  });
});

describe('a broken xl.conf', () => {
  const BROKEN = 'claim_mode = 0\nvif.default.bridge = = "x"\n';
  const MESSAGE = `${CONF}:2: config parsing error near \`=': syntax error, unexpected '=', expecting STRING or NUMBER or '['\nFailed to parse config file: Invalid argument\n`;

  it('fails create with xl\'s message and exit 1, creating nothing', async () => {
    const h = withConf(BROKEN);
    expect(await h.run('create web.cfg')).toEqual({ code: 1, out: '', err: MESSAGE });
    expect(await h.run('create -n web.cfg')).toEqual({ code: 1, out: '', err: MESSAGE });
    const l = await h.run('list');
    expect(l.code).toBe(0);
    expect(l.out.split('\n').filter((x) => x.length > 0)).toHaveLength(2);
  });
  it('fails network-attach and claims the same way and changes nothing', async () => {
    const h = withConf(undefined);
    expect((await h.run('create web.cfg')).code).toBe(0);
    h.files[CONF] = BROKEN;
    expect(await h.run('network-attach web mac=00:16:3e:00:00:02')).toEqual({ code: 1, out: '', err: MESSAGE });
    expect(await h.run('claims')).toEqual({ code: 1, out: '', err: MESSAGE });
    expect((await h.run('network-list web')).out.split('\n').filter((x) => x.length > 0)).toHaveLength(1);
  });
  it('is checked before create\'s own operands', async () => {
    const h = withConf(BROKEN);
    expect(await h.run('create missing.cfg')).toEqual({ code: 1, out: '', err: MESSAGE });
  });
  it('does not affect commands that do not read it', async () => {
    const h = withConf(BROKEN);
    const r = await h.run('list');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
  });
  it('a bad max_grant_frames exits 1 silently', async () => {
    const h = withConf('max_grant_frames = 4294967296\n');
    expect(await h.run('create web.cfg')).toEqual({ code: 1, out: '', err: '' });
    expect((await h.run('list')).out).not.toContain('web');
  });
});

describe('xl.conf notices that are not fatal', () => {
  it('autoballoon="bogus" prints `invalid autoballoon option` with no newline and goes on', async () => {
    const h = withConf('autoballoon="bogus"\n');
    const r = await h.run('create web.cfg');
    expect(r).toEqual({ code: 0, out: '', err: 'invalid autoballoon option' + 'Parsing config from web.cfg\n' });
    expect((await h.run('list')).out).toContain('web ');
  });
  it('a max_grant_frames from xl.conf reaches the domain config', async () => {
    const h = withConf('max_grant_frames = 64\n');
    const r = await h.run('create -n web.cfg');
    expect((JSON.parse(r.out) as { b_info: { max_grant_frames: number } }).b_info.max_grant_frames).toBe(64);
  });
});

describe('xlsim check', () => {
  it('lints a domain config on its own, whatever the host xl.conf says', async () => {
    const h = withConf('vif.default.bridge = = "x"\n');
    expect(await h.run('check --format gcc web.cfg')).toEqual({ code: 0, out: '', err: '' });
  });
  it('lints a file named xl.conf against xl.conf keys and notices', async () => {
    const h = harness({
      'etc/xl.conf': 'autoballoon = "bogus"\nvif.default.bridge = "br9"\nmemory = 512\nclaim_mod = 0\n',
    });
    const r = await h.run('check --format gcc etc/xl.conf');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'etc/xl.conf:1:15: warning: autoballoon must be on, off, 1, 0 or auto, not "bogus"; xl keeps the default (auto) [XL140]\n' +
        "etc/xl.conf:3:1: warning: unknown xl.conf key `memory': xl silently ignores it; it is a domain config key, not an xl.conf setting [XL401]\n" +
        "etc/xl.conf:4:1: warning: unknown xl.conf key `claim_mod': xl silently ignores it; did you mean `claim_mode'? [XL401]\n",
    );
  });
  it('reports an xl.conf parse error and a silent max_grant_frames exit as errors', async () => {
    const h = harness({ 'xl.conf': 'max_grant_frames = 4294967296\n', 'b/xl.conf': 'x = = 1\n' });
    const r = await h.run('check --format gcc xl.conf b/xl.conf');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n').filter((l) => l !== '');
    expect(lines[0]).toBe(
      `xl.conf:1:20: error: max_grant_frames in xl.conf must be a number from 0 to 2147483647: xl exits with status 1 without a message [XL141]`,
    );
    expect(lines[1]).toMatch(/^b\/xl\.conf:1:5: error: .*\[XL00\d\]$/);
    expect(lines).toHaveLength(2);
  });
});

describe('autoballoon (xl.conf; xl_vmcontrol.c freemem)', () => {
  const BIG = 'name = "big"\ntype = "pvh"\nkernel = "/k"\nmemory = 29000\n';
  it('on: Domain-0 is ballooned down by the shortfall and the domain is built', async () => {
    const h = withConf('autoballoon="on"\n', { 'big.cfg': BIG });
    const r = await h.run('create -q big.cfg');
    expect(r).toEqual({ code: 0, out: '', err: '' });
    const list = (await h.run('list')).out;
    const dom0Mem = Number(/\nDomain-0 +0 +(\d+) /.exec(list)![1]);
    expect(dom0Mem).toBeLessThan(4096);
    expect(dom0Mem).toBeGreaterThan(128);
  });
  it('auto (the default, the host boots with dom0_mem=) and off: no ballooning, the create fails', async () => {
    for (const conf of ['', 'autoballoon="off"\n']) {
      const h = withConf(conf, { 'big.cfg': BIG });
      expect(await h.run('create -q big.cfg')).toEqual({ code: 3, out: '', err: 'failed to free memory for the domain\n' });
      expect((await h.run('list')).out).toMatch(/\nDomain-0 +0 +4096 /);
    }
  });
});
