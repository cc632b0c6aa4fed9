/**
 * xl.conf (xl-cfg-format.md §3.11): values read as xl's parse_global_config does, and
 * their effect on a domain build.
 */
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/parser/config-file.js';
import { applyGlobalAffinityMasks, readXlConf } from '../../src/parser/domain-config/xl-conf.js';
import { FACTS, PV, at, build, json } from './domain-config.helpers.js';

function read(text: string) {
  const p = parseConfig(text, '/etc/xen/xl.conf');
  expect(p.ok).toBe(true);
  return readXlConf(p.file, FACTS);
}
const err = (r: ReturnType<typeof read>) => r.messages.map((m) => m.text).join('');

describe('readXlConf', () => {
  test('the shipped example values', () => {
    const r = read(
      'autoballoon="off"\nrun_hotplug_scripts=1\nlockfile="/var/lock/xl"\nvif.default.script="vif-bridge"\n' +
        'vif.default.bridge="xenbr0"\nvif.default.backend="0"\nvif.default.gatewaydev="eth0"\noutput_format="sxp"\n' +
        'blkdev_start="xvdb"\nclaim_mode=0\nmax_grant_frames=64\nmax_maptrack_frames=1024\nmax_grant_version=1\n' +
        'vm.cpumask="0-3"\nvm.hvm.cpumask="nodes:1"\nvm.pv.cpumask="all,^0"\ndomid_policy="random"\nbootloader_restrict=1\n' +
        'remus.default.netbufscript="remus-netbuf-setup"\ncolo.default.proxyscript="colo-proxy-setup"\n',
    );
    expect(err(r)).toBe('');
    expect(r.exitCode).toBeUndefined();
    expect(r.conf).toEqual({
      autoballoon: 'off',
      runHotplugScripts: true,
      lockfile: '/var/lock/xl',
      vifDefaultScript: 'vif-bridge',
      vifDefaultBridge: 'xenbr0',
      vifDefaultGatewaydev: 'eth0',
      vifDefaultBackend: '0',
      outputFormat: 'sxp',
      blkdevStart: 'xvdb',
      claimMode: false,
      remusNetbufscript: 'remus-netbuf-setup',
      coloProxyscript: 'colo-proxy-setup',
      maxGrantFrames: 64,
      maxMaptrackFrames: 1024,
      maxGrantVersion: 1,
      vmCpumask: [0, 1, 2, 3],
      vmHvmCpumask: [4, 5, 6, 7],
      vmPvCpumask: [1, 2, 3, 4, 5, 6, 7],
      domidPolicy: 'random',
      bootloaderRestrict: true,
    });
  });

  test('autoballoon accepts 1/0 spellings', () => {
    expect(read('autoballoon="1"\n').conf.autoballoon).toBe('on');
    expect(read('autoballoon=0\n').conf.autoballoon).toBe('off');
  });

  test('deprecated vifscript/defaultbridge win over the new names, with a notice', () => {
    const r = read('vif.default.script="a"\nvifscript="b"\ndefaultbridge="br9"\n');
    expect(err(r)).toBe(
      'the global config option vifscript is deprecated, please switch to vif.default.script\n' +
        'the global config option defaultbridge is deprecated, please switch to vif.default.bridge\n',
    );
    expect(r.conf.vifDefaultScript).toBe('b');
    expect(r.conf.vifDefaultBridge).toBe('br9');
  });

  test('bad autoballoon / domid_policy: message without newline, not fatal', () => {
    const r = read('autoballoon="maybe"\ndomid_policy="next"\noutput_format="xml"\n');
    expect(err(r)).toBe('invalid autoballoon option' + 'invalid default output format "xml"\n' + 'invalid domid_policy option');
    expect(r.exitCode).toBeUndefined();
    expect(r.conf).toEqual({});
  });

  test('bad max_grant_frames: silent exit 1', () => {
    const r = read('max_grant_frames="-1"\n');
    expect(err(r)).toBe('');
    expect(r.exitCode).toBe(1);
  });

  test('getter warnings use the xl.conf name', () => {
    expect(err(read('claim_mode="yes"\n'))).toBe("/etc/xen/xl.conf:1: warning: parameter `claim_mode' is not a valid number\n");
  });

  test('the values reach the domain build', () => {
    const conf = read('vif.default.bridge="xenbr1"\nclaim_mode=0\n').conf;
    const j = json(build(PV + 'vif=[""]\n', { xlConf: conf }));
    expect(at(j, 'nics')).toEqual([{ devid: 0, bridge: 'xenbr1' }]);
    expect(at(j, 'b_info.claim_mode')).toBe('False');
  });
});

describe('applyGlobalAffinityMasks (xl create without -i)', () => {
  const cfgOf = (text: string) => build(text).config!;
  test('no affinity in the config: every vCPU gets the global mask', () => {
    const c = cfgOf(PV + 'vcpus=2\n');
    expect(applyGlobalAffinityMasks(c, { vmCpumask: [0, 1, 2, 3], vmPvCpumask: [2, 3, 4] }, 8)).toBeUndefined();
    expect(c.b_info.vcpu_hard_affinity).toEqual([[2, 3], [2, 3]]);
  });
  test('the HVM mask does not apply to PV', () => {
    const c = cfgOf(PV);
    applyGlobalAffinityMasks(c, { vmHvmCpumask: [1] }, 8);
    expect(c.b_info.vcpu_hard_affinity).toBeUndefined();
  });
  test('config affinity is narrowed; empty result is xl\'s error', () => {
    const c = cfgOf('name="h"\ntype="hvm"\ncpus="0-1"\n');
    const m = applyGlobalAffinityMasks(c, { vmHvmCpumask: [4, 5] }, 8);
    expect(m?.text).toBe('vcpu hard affinity map is empty\n');
  });
});
