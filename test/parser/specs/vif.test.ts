/** vif specs and rates as xl reads them (xl-cfg-format.md §4.2, xl_parse.c parse_nic_config, libxlu_vif.c). */
import { describe, expect, it } from 'vitest';
import { parseNicSpec, parseNicTokens, type NicParseOptions } from '../../../src/parser/specs/vif.js';
import { parseVifRate } from '../../../src/parser/specs/rate.js';
import { generateMac } from '../../../src/parser/specs/mac.js';

const cfg = (devid = 0): NicParseOptions => ({ source: 'vm.cfg', mode: 'config', devid });
const attach: NicParseOptions = { source: 'command line', mode: 'attach', devid: -1 };

describe('parseNicSpec in a domain config', () => {
  it('reads common fields into libxl order', () => {
    const r = parseNicSpec('bridge=xenbr1, mac=00:16:3e:01:02:0a,type=ioemu,model=e1000,vifname=web0,ip=10.0.0.2', cfg(2));
    expect(r.value).toEqual({
      devid: 2, model: 'e1000', mac: '00:16:3e:01:02:0a', ip: '10.0.0.2', bridge: 'xenbr1', ifname: 'web0', nictype: 'vif_ioemu',
    });
    expect(Object.keys(r.value!)).toEqual(['devid', 'model', 'mac', 'ip', 'bridge', 'ifname', 'nictype']);
    expect(r.messages).toEqual([]);
  });

  it('drops empty fields, skips leading spaces and keeps trailing ones', () => {
    expect(parseNicSpec(',,  bridge=xenbr0 ,,', cfg()).value).toEqual({ devid: 0, bridge: 'xenbr0 ' });
  });

  it('gives an empty string a NIC with only defaults', () => {
    const r = parseNicSpec('', { ...cfg(1), defaults: { bridge: 'br0', script: 'vif-route', backend: 'dd', gatewaydev: 'eth1' } });
    expect(r.value).toEqual({ backend_domname: 'dd', devid: 1, bridge: 'br0', script: 'vif-route', gatewaydev: 'eth1' });
  });

  it('lets fields override xl.conf defaults, last one winning', () => {
    expect(parseNicSpec('bridge=a,bridge=b', { ...cfg(), defaults: { bridge: 'br0' } }).value).toEqual({ devid: 0, bridge: 'b' });
  });

  it('only prints for a bad type, mac or unknown field and keeps the NIC', () => {
    const r = parseNicSpec('type=pv,mac=00:16:3e:zz:00:01,foo=bar,bridge=xenbr0', cfg());
    expect(r.messages.map((m) => m.text)).toEqual(["Invalid parameter `type'.\n", "Invalid parameter `mac'.\n", "unrecognized argument `foo=bar'\n"]);
    expect(r.messages.every((m) => m.severity === 'warning' && m.code === 'XL212')).toBe(true);
    expect(r.exitCode).toBeUndefined();
    // the mac keeps the three bytes read before the bad group
    expect(r.value).toEqual({ devid: 0, mac: '00:16:3e:00:00:00', bridge: 'xenbr0' });
  });

  it('accepts any single separator in a mac and reads a short one into the next field like C', () => {
    expect(parseNicSpec('mac=00-16-3E-aa-bb-cc', cfg()).value!.mac).toBe('00:16:3e:aa:bb:cc');
    // strtok left "bridge=..." after the NUL; strtoul(…,16) reads the "b".
    const r = parseNicSpec('mac=00:16:3e:00:00,bridge=xenbr0', cfg());
    expect(r.value).toEqual({ devid: 0, mac: '00:16:3e:00:00:0b', bridge: 'xenbr0' });
    expect(r.messages).toEqual([]);
    expect(parseNicSpec('mac=00:16:3e:00:00', cfg()).messages.map((m) => m.text)).toEqual(["Invalid parameter `mac'.\n"]);
    expect(parseNicSpec('mac=100:16:3e:00:00:01', cfg()).messages.map((m) => m.text)).toEqual(["Invalid parameter `mac'.\n"]);
  });

  it('prints the netdev and accel notices', () => {
    const r = parseNicSpec('netdev=eth0,accel=x', cfg());
    expect(r.messages.map((m) => m.text)).toEqual([
      'the netdev parameter is deprecated, please use gatewaydev instead\n',
      'the accel parameter for vifs is currently not supported\n',
    ]);
    expect(r.value).toEqual({ devid: 0, gatewaydev: 'eth0' });
  });

  it('reads devid, mtu, vlan, trusted and COLO fields', () => {
    expect(parseNicSpec('devid=7,mtu=9000,vlan=10p/20,untrusted,forwarddev=eth9,colo_compare_out=c', cfg()).value).toEqual({
      devid: 7, mtu: 9000, coloft_forwarddev: 'eth9', colo_compare_out: 'c', trusted: 'False', vlan: '10p/20',
    });
    // strtoul tolerates trailing junk
    expect(parseNicSpec('mtu=1400abc', cfg()).value).toEqual({ devid: 0, mtu: 1400 });
  });

  it('exits 1 on a bad devid or mtu even in a config', () => {
    const r = parseNicSpec('devid=x1,bridge=b', cfg());
    expect(r.messages.map((m) => m.text)).toEqual(['xl: failed to convert "x1" to number\n']);
    expect(r.exitCode).toBe(1);
    expect(r.value).toBeUndefined();
    expect(parseNicSpec('mtu=-1', cfg()).messages.map((m) => m.text)).toEqual(['xl: failed to convert "-1" to number\n']);
  });

  it('reads a rate and exits 1 on a bad one', () => {
    expect(parseNicSpec('rate=10Mb/s', cfg()).value).toEqual({ devid: 0, rate_bytes_per_interval: 62500, rate_interval_usecs: 50000 });
    const r = parseNicSpec('rate=10MB,bridge=b', cfg());
    expect(r.messages.map((m) => m.text)).toEqual(["vm.cfg: config parsing error in vif: invalid rate in `10MB'\n"]);
    expect(r.exitCode).toBe(1);
    expect(r.messages[0]!.span).toEqual([5, 9]);
  });

  it('prints unrecognized argument for a field of spaces', () => {
    expect(parseNicSpec('  ', cfg()).messages.map((m) => m.text)).toEqual(["unrecognized argument `'\n"]);
  });
});

describe('network-attach', () => {
  it('fails at the first bad field', () => {
    const r = parseNicSpec('type=pv,foo', attach);
    expect(r.messages.map((m) => m.text)).toEqual(["Invalid parameter `type'.\n"]);
    expect(r.messages[0]).toMatchObject({ severity: 'error', code: 'XL211' });
    expect(r.exitCode).toBe(1);
    const t = parseNicTokens(['foo', 'rate=bad'], attach);
    expect(t.messages.map((m) => m.text)).toEqual(["unrecognized argument `foo'\n"]);
    expect(t.exitCode).toBe(1);
  });

  it('does not split an argument at commas', () => {
    expect(parseNicTokens(['bridge=a,b', ' ip=1.2.3.4'], attach).exitCode).toBe(1);
    expect(parseNicTokens(['bridge=a,b', 'mac=00:16:3e:0:0:1'], attach).value).toEqual({ mac: '00:16:3e:00:00:01', bridge: 'a,b' });
  });

  it('applies xl.conf defaults and leaves devid unset', () => {
    expect(parseNicTokens([], { ...attach, defaults: { bridge: 'xenbr1' } }).value).toEqual({ bridge: 'xenbr1' });
  });
});

describe('parseVifRate', () => {
  const err = (what: string, q: string) => [`command line: config parsing error in vif: ${what} in \`${q}'\n`];
  const bad = (t: string) => parseVifRate(t, 'command line');
  it.each([
    ['10Mb/s', 62500, 50000],
    ['1MB/s@20ms', 20000, 20000],
    ['100Kb/s@1s', 12500, 1000000],
    ['8B/s@250000us', 2, 250000],
    ['010B/s', 0, 50000],
    ['1B/s@2', 2, 2000000],
    ['1GB/s@1u', 1000, 1],
  ])('%s → %i bytes per %i µs', (t, b, u) => {
    expect(parseVifRate(t, 'x')).toEqual({ value: { bytesPerInterval: b, intervalUsecs: u }, messages: [] });
  });

  it('quotes the right part of the value in each error', () => {
    expect(bad('').messages.map((m) => m.text)).toEqual(err('no rate specified', ''));
    expect(bad('@50ms').messages.map((m) => m.text)).toEqual(err('no rate specified', '@50ms'));
    expect(bad('10kB/s@50ms').messages.map((m) => m.text)).toEqual(err('invalid rate', '10kB/s'));
    expect(bad('08B/s').messages.map((m) => m.text)).toEqual(err('rate overflow', '08B/s'));
    expect(bad('4294967296B/s').messages.map((m) => m.text)).toEqual(err('rate overflow', '4294967296B/s'));
    expect(bad('1MB/s@5ns').messages.map((m) => m.text)).toEqual(err('invalid replenishment interval', '5ns'));
    expect(bad('1MB/s@4295s').messages.map((m) => m.text)).toEqual(err('replenishment interval overflow', '4295s'));
    expect(bad('1MB/s@0ms').messages.map((m) => m.text)).toEqual(err('replenishment interval overflow', '0ms'));
    expect(bad('4296MB/s@4294s').messages.map((m) => m.text)).toEqual(err('rate overflow', '4296MB/s@4294s'));
    for (const t of ['', '10MB', '4296MB/s@4294s']) {
      expect(bad(t).exitCode).toBe(1);
      expect(bad(t).messages[0]!.code).toBe('XL213');
    }
  });
});

describe('generateMac', () => {
  it('uses the Xen OUI and clears the top bit of the 4th byte', () => {
    const seq = [0.999, 0.5, 0];
    let i = 0;
    expect(generateMac(() => seq[i++]!)).toBe('00:16:3e:7f:80:00');
    expect(generateMac(() => 0.25)).toBe('00:16:3e:40:40:40');
  });
});

describe('vif properties', () => {
  it('reads back any MAC it formats, and never throws on junk', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }), (bytes) => {
        const mac = bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
        const r = parseNicSpec(`mac=${mac}`, cfg());
        expect(r.messages).toEqual([]);
        if (bytes.some((b) => b !== 0)) expect(r.value!.mac).toBe(mac);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom<'config' | 'attach'>('config', 'attach'), (spec, mode) => {
        const r = parseNicSpec(spec, { source: 'x', mode, devid: 0 });
        expect(r.value === undefined).toBe(r.exitCode === 1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('vlan= (passed on unchecked by xl)', () => {
  it.each(['10', '10p/20/30', '10p/20-30u', '10p/100+10x5', '4094'])('%s is well formed', (v) => {
    expect(parseNicSpec(`vlan=${v}`, cfg()).messages).toEqual([]);
  });
  it.each([
    ['0', 'outside'],
    ['4095', 'outside'],
    ['20-10', 'backwards'],
    ['10/20', 'none is marked'],
    ['10p/20p', 'more than one'],
    ['10q', 'not a VLAN term'],
    ['4000+50x2p', 'outside'],
  ])('%s gets an xlsim warning and is kept', (v, why) => {
    const r = parseNicSpec(`vlan=${v}`, cfg());
    expect(r.value).toEqual({ devid: 0, vlan: v });
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ text: '', severity: 'warning', code: 'XL214' });
    expect(r.messages[0]!.message).toContain(why);
  });
});
