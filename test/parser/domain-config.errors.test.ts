/**
 * What xl prints and how it exits: the fatal checks of xl-cfg-format.md §3/§5.1 with
 * their exact messages and exit codes, the §5.2 warnings byte for byte, libxlu getter
 * warnings, and the processing order (the first fatal error wins).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { HVM, PV, PVH, at, build, json, stderr } from './domain-config.helpers.js';
import { KEYS } from '../../src/parser/keys.js';
import { parseConfig } from '../../src/parser/config-file.js';
import { buildDomainConfig } from '../../src/parser/domain-config.js';

type Reject = [label: string, cfg: string, stderrText: string, exit: number];

const rejects: Reject[] = [
  ['bad type', 'name="t"\ntype="xen"\n', 'Invalid domain type xen.\n', 1],
  ['type is case-sensitive', 'name="t"\ntype="HVM"\n', 'Invalid domain type HVM.\n', 1],
  ['bad builder', 'name="t"\nbuilder="linux"\n', 'Invalid domain type linux.\n', 1],
  ['builder contradicts type', 'name="t"\ntype="pv"\nbuilder="hvm"\n', 'Contradicting "builder" and "type" options specified.\n', 1],
  ['builder generic contradicts type pvh', 'name="t"\ntype="pvh"\nbuilder="generic"\n', 'Contradicting "builder" and "type" options specified.\n', 1],
  ['no name', 'kernel="/k"\n', 'Domain name must be specified.\n', 1],
  [
    'name given as a list',
    'name=["a"]\nkernel="/k"\n',
    "t.cfg:1: warning: parameter `name' is a list but should be a single value\nDomain name must be specified.\n",
    1,
  ],
  ['bad uuid', PV + 'uuid="1234"\n', 'Failed to parse UUID: 1234\n', 1],
  ['uuid with braces', PV + 'uuid="{4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f}"\n', 'Failed to parse UUID: {4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f}\n', 1],
  ['maxvcpus < vcpus', PV + 'vcpus=4\nmaxvcpus=2\n', 'xl: maxvcpus < vcpus\n', 1],
  ['bad cpus range', PV + 'cpus="3-1"\n', 'Invalid pcpu range: 3-1.\n', 1],
  ['cpus ^all', PV + 'cpus="^all"\n', 'Can\'t combine "^" and "all".\n', 1],
  ['bad cpus list element', PV + 'vcpus=2\ncpus=["1", "x"]\n', 'Invalid pcpu range: x.\n', 1],
  ['max_grant_frames negative: silent exit', PV + 'max_grant_frames="-1"\n', '', 1],
  ['max_grant_frames junk: silent exit', PV + 'max_grant_frames="lots"\n', '', 1],
  ['max_maptrack_frames too big: silent exit', PV + 'max_maptrack_frames=0x80000000\n', '', 1],
  ['max_grant_version junk: silent exit', PV + 'max_grant_version="two"\n', '', 1],
  ['unknown on_poweroff', PV + 'on_poweroff="reboot"\n', 'Unknown on_poweroff action "reboot" specified\n', 1],
  ['on_crash named like an Object member', PV + 'on_crash="toString"\n', 'Unknown on_crash action "toString" specified\n', 1],
  ['on_reboot is case-sensitive', PV + 'on_reboot="Restart"\n', 'Unknown on_reboot action "Restart" specified\n', 1],
  ['on_watchdog with underscore', PV + 'on_watchdog="coredump_destroy"\n', 'Unknown on_watchdog action "coredump_destroy" specified\n', 1],
  ['unknown on_crash', PV + 'on_crash="panic"\n', 'Unknown on_crash action "panic" specified\n', 1],
  ['unknown on_soft_reset', PV + 'on_soft_reset="x"\n', 'Unknown on_soft_reset action "x" specified\n', 1],
  ['unknown passthrough', PV + 'passthrough="yes"\n', "ERROR: unknown passthrough option 'yes'\n", 1],
  [
    'tsc_mode number out of range',
    PV + 'tsc_mode=7\n',
    'WARNING: specifying "tsc_mode" as an integer is deprecated. Please use the named parameter variant. \nERROR: invalid value 7 for "tsc_mode"\n',
    1,
  ],
  ['tsc_mode bad string', PV + 'tsc_mode="fast"\n', 'got a tsc mode string: "fast"\nERROR: invalid value "fast" for "tsc_mode"\n', 1],
  ['timer_mode on PV', PV + 'timer_mode="delay_for_missed_ticks"\n', 'ERROR: "timer_mode" option is not supported for PV guests.\n', 3],
  ['timer_mode number on PV (checked before the value)', PV + 'timer_mode=9\n', 'ERROR: "timer_mode" option is not supported for PV guests.\n', 3],
  [
    'timer_mode number out of range',
    HVM + 'timer_mode=4\n',
    'WARNING: specifying "timer_mode" as an integer is deprecated. Please use the named parameter variant. \nERROR: invalid value 4 for "timer_mode"\n',
    1,
  ],
  [
    'timer_mode -1: the enum sentinel is named, then rejected',
    HVM + 'timer_mode="-1"\n',
    'WARNING: specifying "timer_mode" as an integer is deprecated. Please use the named parameter variant. e.g. timer_mode="unknown"\nERROR: invalid value -1 for "timer_mode"\n',
    1,
  ],
  ['timer_mode bad string', PVH + 'timer_mode="none"\n', 'ERROR: invalid value "none" for "timer_mode"\n', 1],
  ['PV firmware not pvgrub', 'name="t"\nfirmware="ovmf"\n', 'ERROR: only pvgrub{32|64} supported as firmware options\n', 1],
  ['PV kernel and firmware', PV + 'firmware="pvgrub32"\n', 'ERROR: both kernel and firmware specified\n', 1],
  ['PV without kernel or bootloader', 'name="t"\n', 'Neither kernel nor bootloader specified\n', 1],
  ['PVH without kernel or bootloader', 'name="t"\ntype="pvh"\n', 'Neither kernel nor bootloader specified\n', 1],
  ['bad bios', HVM + 'bios="coreboot"\n', 'ERROR: invalid value "coreboot" for "bios"\n', 1],
  ['unknown viridian group', HVM + 'viridian=["base", "bogus"]\n', "xl: unknown viridian enlightenment 'bogus'\n", 3],
  ['mmio_hole too small', HVM + 'mmio_hole=255\n', 'ERROR: invalid value 255 for "mmio_hole"\n', 1],
  ['mmio_hole too large', HVM + 'mmio_hole=3841\n', 'ERROR: invalid value 3841 for "mmio_hole"\n', 1],
  ['ms_vm_genid bad', HVM + 'ms_vm_genid="Generate"\n', 'ERROR: "ms_vm_genid" option must be "generate" or "none"\n', 1],
  ['smbios bad type', HVM + 'smbios=["cpu_vendor=x"]\n', "xl: unknown smbios type 'cpu_vendor'\n", 1],
  ['mca_caps default (man page value xl rejects)', HVM + 'mca_caps=["default"]\n', "ERROR: unrecognized MCA capability 'default'.\n", 3],
  ['mca_caps as a string', HVM + 'mca_caps="lmce"\n', 'ERROR: unable to parse mca_caps.\n', 3],
  ['altp2m number out of range', HVM + 'altp2m=4\n', 'ERROR: invalid value 4 for "altp2m"\n', 1],
  ['altp2m bad string', PV + 'altp2m="full"\n', 'ERROR: invalid value "full" for "altp2m"\n', 1],
  ['bad ioport', PV + 'ioports=["zz"]\n', 'xl: Invalid argument parsing ioport: zz\n', 1],
  ['bad irq', PV + 'irqs=["ten"]\n', 'xl: Invalid argument parsing irq: ten\n', 1],
  [
    'bad disk (xm order without prefix)',
    PV + 'disk=["/dev/sdb,xvdb,w"]\n',
    "t.cfg: config parsing error in disk specification: unknown value for format: near `xvdb' in `/dev/sdb,xvdb,w'\n",
    1,
  ],
  ['bad vif rate', PV + 'vif=["rate=fast"]\n', "t.cfg: config parsing error in vif: invalid rate in `fast'\n", 1],
  ['bad vif devid', PV + 'vif=["devid=x"]\n', 'xl: failed to convert "x" to number\n', 1],
  ['vtpm without backend', PV + 'vtpm=["uuid=4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f"]\n', 'vtpm spec missing required backend field!\n', 1],
  ['bad channel connection', PV + 'channel=["name=c,connection=PTY"]\n', "unknown channel connection 'PTY'\n", 1],
  ['bad device_model_version', HVM + 'device_model_version="qemu-xen-traditional"\n', 'Unknown device_model_version "qemu-xen-traditional" specified\n', 1],
  [
    'device_model_args as a string',
    HVM + 'device_model_args="-d"\n',
    "t.cfg:3: warning: parameter `device_model_args' is a single value but should be a list\nxl: Unable to parse device_model_args.\n",
    3,
  ],
  [
    'device_model_args_hvm as a string',
    HVM + 'device_model_args_hvm="-d"\n',
    "t.cfg:3: warning: parameter `device_model_args_hvm' is a single value but should be a list\nxl: Unable to parse device_model_args_hvm.\n",
    3,
  ],
  ['unknown vga', HVM + 'vga="vmware"\n', 'Unknown vga "vmware" specified\n', 1],
  ['vga is case-sensitive', HVM + 'vga="STDVGA"\n', 'Unknown vga "STDVGA" specified\n', 1],
  ['vga named like an Object member', HVM + 'vga="constructor"\n', 'Unknown vga "constructor" specified\n', 1],
  ['bad hdtype', HVM + 'hdtype="scsi"\n', 'ERROR: invalid value "scsi" for "hdtype"\n', 1],
  ['bad gfx_passthru', HVM + 'gfx_passthru="nvidia"\n', 'ERROR: invalid value "nvidia" for "gfx_passthru"\n', 1],
  ['display in vnclisten and vncdisplay', HVM + 'vnclisten="0.0.0.0:1"\nvncdisplay=2\n', 'ERROR: Display specified both in vnclisten and vncdisplay!\n', 1],
  ['unknown vendor_device', HVM + 'vendor_device="acme"\n', "xl: unknown vendor_device 'acme'\n", 3],
  ['unknown gic_version', PV + 'gic_version="v4"\n', 'Unknown gic_version "v4" specified\n', 3],
  ['unknown tee', PV + 'tee="sgx"\n', 'Unknown tee "sgx" specified\n', 3],
  ['unknown sve', PV + 'sve="100"\n', 'Unknown sve "100" specified\n', 1],
  ['unknown vuart', PV + 'vuart="pl011"\n', 'ERROR: invalid value "pl011" for "vuart"\n', 1],
  ['llc_colors reversed', PV + 'llc_colors=["5-2"]\n', 'xl: Start LLC color is greater than end: 5-2\n', 1],
  ['llc_colors junk', PV + 'llc_colors=["x"]\n', 'xl: Invalid LLC color range: x\n', 1],
  ['llc_colors nested list', PV + 'llc_colors=[["1"]]\n', "xl: Can't get element 0 in LLC color list\n", 1],
  [
    'vnuma vcpus vs maxvcpus',
    HVM + 'maxvcpus=4\nvnuma=[ ["pnode=0","size=512","vcpus=0-1"] ]\n',
    'xl: vnuma vcpus and maxvcpus= mismatch\n',
    1,
  ],
  ['vnuma pnode beyond host', HVM + 'vnuma=[ ["pnode=5","size=512","vcpus=0"] ]\n', 'xl: invalid pnode number: 5\n', 1],
];

describe('fatal errors: exact stderr and exit status', () => {
  test.each(rejects)('%s', (_label, cfg, text, exit) => {
    const r = build(cfg);
    expect(r.config).toBeUndefined();
    expect(stderr(r)).toBe(text);
    expect(r.exitCode).toBe(exit);
    expect(r.messages[r.messages.length - 1]!.severity).toBe('error');
  });

  test('bad pci spec: libxlu message, then xl line, exit 6', () => {
    const r = build(HVM + 'pci=["01:00.0,bogus=1"]\n');
    expect(r.exitCode).toBe(6);
    expect(stderr(r)).toBe("Unknown PCI_SPEC_STRING option: bogusunable to parse PCI_SPEC_STRING `01:00.0,bogus=1' for passthrough\n");
  });

  test('bad pci rdm_policy exits 3', () => {
    const r = build(HVM + 'pci=["01:00.0,rdm_policy=loose"]\n');
    expect(r.exitCode).toBe(3);
    expect(stderr(r)).toContain("unable to parse PCI_SPEC_STRING `01:00.0,rdm_policy=loose' for passthrough\n");
  });

  test('the fatal message is located at its setting', () => {
    const r = build('name="t"\ntype="hvm"\n\nvga="x"\n');
    const last = r.messages[r.messages.length - 1]!;
    expect(last.code).toBe('XL125');
    expect(last.setting?.name).toBe('vga');
    expect(last.setting?.lineno).toBe(4);
  });

  test('a silent exit still explains itself to xlsim check', () => {
    const r = build(PV + 'max_grant_frames="-1"\n');
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ text: '', severity: 'error', code: 'XL120' });
    expect(r.messages[0]!.message).toMatch(/max_grant_frames/);
  });
});

type Warn = [label: string, cfg: string, stderrText: string];

const warnings: Warn[] = [
  ['root/extra ignored in favour of cmdline', PV + 'cmdline="a"\nroot="/dev/xvda1"\n', 'Warning: ignoring root= and extra= in favour of cmdline=\n'],
  ['extra ignored in favour of cmdline', PV + 'cmdline="a"\nextra="b"\n', 'Warning: ignoring root= and extra= in favour of cmdline=\n'],
  [
    'kernel hvmloader for HVM',
    HVM + 'kernel="/usr/lib/xen/boot/hvmloader"\n',
    'WARNING: you seem to be using "kernel" directive to override HVM guest firmware. Ignore that. Use "firmware_override" instead if you really want a non-default firmware\n',
  ],
  ['bios_path_override without bios', HVM + 'bios_path_override="/x.bin"\n', 'WARNING: bios_path_override given without specific bios name\n'],
  ['altp2mhvm', HVM + 'altp2mhvm=1\n', 'WARNING: Specifying "altp2mhvm" is deprecated. Please use "altp2m" instead.\n'],
  [
    'tsc_mode as an integer',
    PV + 'tsc_mode=2\n',
    'WARNING: specifying "tsc_mode" as an integer is deprecated. Please use the named parameter variant. e.g. tsc_mode="native"\n',
  ],
  ['tsc_mode as a string', PV + 'tsc_mode="always_emulate"\n', 'got a tsc mode string: "always_emulate"\n'],
  [
    'timer_mode as an integer',
    HVM + 'timer_mode=1\n',
    'WARNING: specifying "timer_mode" as an integer is deprecated. Please use the named parameter variant. e.g. timer_mode="no_delay_for_missed_ticks"\n',
  ],
  [
    'bootloader_args as a string',
    PV + 'bootloader_args="-q"\n',
    'WARNING: Specifying "bootloader_args" as a string is deprecated. Please use a list of arguments.\n',
  ],
  ['vncviewer', PV + 'vncviewer=1\n', 'WARNING: ignoring "vncviewer" option. Use "-V" option of "xl create" to automatically spawn vncviewer.\n'],
  [
    'device_model',
    HVM + 'device_model="/usr/bin/qemu-dm"\n',
    'WARNING: ignoring device_model directive.\nWARNING: Use "device_model_override" instead if you really want a non-default device_model\n',
  ],
  [
    'device_model stubdom-dm (HVM)',
    HVM + 'device_model="stubdom-dm"\n',
    'WARNING: ignoring device_model directive.\nWARNING: Use "device_model_override" instead if you really want a non-default device_model\n' +
      'WARNING: Or use "device_model_stubdomain_override" if you  want to enable stubdomains\n',
  ],
  [
    'device_model stubdom-dm (PV)',
    PV + 'device_model="/usr/lib/xen/bin/stubdom-dm"\n',
    'WARNING: ignoring device_model directive.\nWARNING: Use "device_model_override" instead if you really want a non-default device_model\n' +
      'WARNING: ignoring "device_model_stubdomain_override" directive for pv guest\n',
  ],
  ['device_model_override without version', HVM + 'device_model_override="/opt/qemu"\n', 'WARNING: device model override given without specific DM version\n'],
  ['vif2', PV + 'vif2=["bridge=xenbr0"]\n', 'WARNING: vif2: netchannel2 is deprecated and not supported by xl\n'],
  [
    'msr_relaxed',
    HVM + 'msr_relaxed=0\n',
    'WARNING: msr_relaxed will be removed in future versions.\nIf it fixes an issue you are having please report to xen-devel@lists.xenproject.org.\n',
  ],
  // libxlu getter warnings (§1.7): the key is then ignored
  ['number that is not a number', PV + 'memory="512M"\n', "t.cfg:3: warning: parameter `memory' is not a valid number\n"],
  ['true is not a boolean', PV + 'pae="true"\nnomigrate="yes"\n', "t.cfg:4: warning: parameter `nomigrate' is not a valid number\n"],
  ['list for a scalar', PV + 'vcpus=[2]\n', "t.cfg:3: warning: parameter `vcpus' is a list but should be a single value\n"],
  ['scalar for a list', PV + 'disk="/dev/sdb,,xvdb"\n', "t.cfg:3: warning: parameter `disk' is a single value but should be a list\n"],
  ['+= on a number', PV + 'memory=5\nmemory+=6\n', "t.cfg:4: warning: can't use += with numbers for parameter `memory'\n"],
  [
    'number out of range',
    PV + 'cap=99999999999999999999\n',
    "t.cfg:3: warning: parameter `cap' could not be parsed as a number: Numerical result out of range\n",
  ],
  ['octal 08 is not a number', PV + 'vcpus=08\n', "t.cfg:3: warning: parameter `vcpus' is not a valid number\n"],
  ['vnc=yes on PV: warned, no vfb', PV + 'vnc="yes"\n', "t.cfg:3: warning: parameter `vnc' is not a valid number\n"],
  ['vif unknown field is not fatal', PV + 'vif=["bridge=br0,speed=10"]\n', "unrecognized argument `speed=10'\n"],
  ['channel unknown key is not fatal', PV + 'channel=["name=a,connection=pty,colour=red"]\n', "unknown channel parameter 'colour', ignoring\n"],
];

describe('warnings (xl-cfg-format.md §5.2 and §1.7) are printed and creation goes on', () => {
  test.each(warnings)('%s', (_label, cfg, text) => {
    const r = build(cfg);
    expect(r.exitCode, stderr(r)).toBeUndefined();
    expect(r.config).toBeDefined();
    expect(stderr(r)).toBe(text);
    expect(r.messages.filter((m) => m.text !== '').every((m) => m.severity === 'warning')).toBe(true);
  });

  test('a bad memory value is ignored: libxl default stays', () => {
    expect(at(json(build(PV + 'memory="512M"\n')), 'b_info.target_memkb')).toBeUndefined();
  });

  test('kernel=hvmloader is dropped for HVM', () => {
    expect(at(json(build(HVM + 'kernel="/usr/lib/xen/boot/hvmloader"\n')), 'b_info.kernel')).toBeUndefined();
  });

  test('vncviewer that is not a number: getter warning only', () => {
    expect(stderr(build(PV + 'vncviewer="yes"\n'))).toBe("t.cfg:3: warning: parameter `vncviewer' is not a valid number\n");
  });

  test('a clean config prints nothing', () => {
    expect(stderr(build(PV + 'memory=512\nvcpus=2\nvif=[""]\ndisk=["/img,raw,xvda,rw"]\n'))).toBe('');
  });

  test('getter warnings carry their code and setting', () => {
    const r = build(PV + 'vcpus=[2]\nmemory="x"\n');
    expect(r.messages.map((m) => [m.code, m.setting?.name])).toEqual([
      ['XL103', 'memory'],
      ['XL101', 'vcpus'],
    ]);
  });
});

describe('processing order (xl-cfg-format.md §5.1): warnings in order, first fatal error wins', () => {
  test('type is checked before name', () => {
    expect(stderr(build('type="xen"\n'))).toBe('Invalid domain type xen.\n');
  });
  test('name before uuid', () => {
    expect(stderr(build('uuid="bad"\nkernel="/k"\n'))).toBe('Domain name must be specified.\n');
  });
  test('uuid before maxvcpus', () => {
    expect(stderr(build(PV + 'uuid="bad"\nvcpus=4\nmaxvcpus=1\n'))).toBe('Failed to parse UUID: bad\n');
  });
  test('maxvcpus before cpus', () => {
    expect(stderr(build(PV + 'vcpus=4\nmaxvcpus=1\ncpus="x"\n'))).toBe('xl: maxvcpus < vcpus\n');
  });
  test('on_* before pci and disk', () => {
    const r = build(PV + 'disk=["bad"]\npci=["zz"]\non_crash="x"\n');
    expect(stderr(r)).toBe('Unknown on_crash action "x" specified\n');
  });
  test('on_poweroff is checked before on_reboot', () => {
    expect(stderr(build(PV + 'on_reboot="a"\non_poweroff="b"\n'))).toBe('Unknown on_poweroff action "b" specified\n');
  });
  test('the kernel check comes before disks', () => {
    expect(stderr(build('name="t"\ndisk=["bad"]\n'))).toBe('Neither kernel nor bootloader specified\n');
  });
  test('warnings before the fatal error are kept, in xl order', () => {
    const r = build('name="t"\nmemory="x"\nroot="/dev/xvda1"\ncmdline="c"\ntsc_mode=1\n');
    expect(stderr(r)).toBe(
      "t.cfg:2: warning: parameter `memory' is not a valid number\n" +
        'WARNING: specifying "tsc_mode" as an integer is deprecated. Please use the named parameter variant. e.g. tsc_mode="always_emulate"\n' +
        'Warning: ignoring root= and extra= in favour of cmdline=\n' +
        'Neither kernel nor bootloader specified\n',
    );
    expect(r.exitCode).toBe(1);
  });
  test('disks before vifs', () => {
    const r = build(PV + 'vif=["rate=x"]\ndisk=["/a,,xvda", "bad"]\n');
    expect(stderr(r)).toMatch(/^t\.cfg: config parsing error in disk specification/);
  });
  test('HVM block 1 (bios) before HVM block 2 (vga)', () => {
    expect(stderr(build(HVM + 'vga="x"\nbios="y"\n'))).toBe('ERROR: invalid value "y" for "bios"\n');
  });
  test('device model checks before the HVM display checks', () => {
    expect(stderr(build(HVM + 'vga="x"\ndevice_model_version="old"\n'))).toBe('Unknown device_model_version "old" specified\n');
  });
  test('later steps are not reached: no warning from after the fatal error', () => {
    const r = build('name="t"\nmsr_relaxed=1\n');
    expect(stderr(r)).toBe('Neither kernel nor bootloader specified\n');
  });
});

describe('robustness: any mix of known keys and odd values never throws', () => {
  const names = KEYS.map((k) => k.name);
  const values = ['0', '1', '"x"', '""', '"-1"', '[]', '["a"]', '[["a"]]', '"0-3"', '0x10', '"host"', '99999999999999999999999', '"a=b"'];
  test('buildDomainConfig returns data for random configs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom(...values)), { maxLength: 12 }),
        fc.constantFrom('pv', 'pvh', 'hvm'),
        (settings, type) => {
          const text = `name="t"\ntype="${type}"\nkernel="/k"\n` + settings.map(([k, v]) => `${k}=${v}\n`).join('');
          const p = parseConfig(text, 'r.cfg');
          const r = buildDomainConfig(p.file, { facts: { nrCpus: 4, nrNodes: 1, arch: 'x86' }, source: 'r.cfg', random: () => 0.5 });
          expect(r.config === undefined).toBe(r.exitCode !== undefined);
          expect(r.messages.every((m) => m.code !== 'XL199')).toBe(true);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('nested-list keys', () => {
  test('a vsnd card that is not a list: libxlu warning at its line, exit 1', () => {
    const r = build(PV + 'vsnd=[\n  "CARD"\n]\n');
    expect(stderr(r)).toBe('t.cfg:4:0: warning: value is not a list\n');
    expect(r.exitCode).toBe(1);
  });
});

describe('pygrub availability', () => {
  test('an xl built without pygrub refuses bootloader="pygrub" (exit 3)', () => {
    const r = build('name="t"\nbootloader="pygrub"\n', { pygrub: false });
    expect(stderr(r)).toBe('ERROR: this instance of Xen has been built without support of "pygrub".\n');
    expect(r.exitCode).toBe(3);
  });
  test('with pygrub (the default) it is accepted', () => {
    expect(build('name="t"\nbootloader="/usr/bin/pygrub"\n').exitCode).toBeUndefined();
  });
});
