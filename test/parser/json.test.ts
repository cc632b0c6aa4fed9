/**
 * libxl JSON as xl 4.20 prints it (yajl, xl-commands.md §3.4): the generator's format
 * details, and whole `xl create -n` documents for a PV, a PVH and an HVM guest.
 */
import { describe, expect, test } from 'vitest';
import { domainConfigJson, yajlEscape, yajlStringify } from '../../src/toolstack/format/libxl-json.js';
import { build } from './domain-config.helpers.js';
import { requiredIommuKb, requiredShadowKb } from '../../src/parser/domain-config.js';
import type { DomainConfig } from '../../src/parser/libxl.js';

describe('yajlStringify: yajl beautified output with libxl settings', () => {
  test('empty object: brace, newline, blank line, brace; final newline', () => {
    expect(yajlStringify({})).toBe('{\n\n}\n');
  });
  test('empty array likewise', () => {
    expect(yajlStringify([])).toBe('[\n\n]\n');
  });
  test('4-space indent, "key": value, one element per line', () => {
    expect(yajlStringify({ a: 1, b: [2, 3], c: { d: 'x' }, e: {} })).toBe(
      '{\n    "a": 1,\n    "b": [\n        2,\n        3\n    ],\n    "c": {\n        "d": "x"\n    },\n    "e": {\n\n    }\n}\n',
    );
  });
  test('empty struct nested two levels deep is indented to its level', () => {
    expect(yajlStringify({ x: { y: {} } })).toBe('{\n    "x": {\n        "y": {\n\n        }\n    }\n}\n');
  });
  test('string escapes as yajl_string_encode: quote, backslash, named controls, \\u00XX upper-case; / untouched', () => {
    expect(yajlEscape('a"b\\c\b\f\n\r\t\u0001\u001f/é\u007f')).toBe('a\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001F/é\u007f');
    expect(yajlStringify('/boot/vmlinuz')).toBe('"/boot/vmlinuz"\n');
  });
  test('keys are escaped too', () => {
    expect(yajlStringify({ 'a"b': 1 })).toBe('{\n    "a\\"b": 1\n}\n');
  });
  test('integers, negative numbers, 64-bit values as bigint, booleans, null', () => {
    expect(yajlStringify([0, -1, 4294967295, 18446744073709551615n, true, false, null])).toBe(
      '[\n    0,\n    -1,\n    4294967295,\n    18446744073709551615,\n    true,\n    false,\n    null\n]\n',
    );
  });
  test('undefined properties are skipped', () => {
    expect(yajlStringify({ a: undefined, b: 1 })).toBe('{\n    "b": 1\n}\n');
  });
});

const PV_CFG = `name = "vm1"
uuid = "4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f"
memory = 1024
vcpus = 2
kernel = "/boot/vmlinuz-6.1.0-21-amd64"
ramdisk = "/boot/initrd.img-6.1.0-21-amd64"
root = "/dev/xvda1 ro"
disk = [ 'phy:/dev/vg0/vm1-disk,xvda,w' ]
vif = [ 'mac=00:16:3e:5a:1b:2c,bridge=xenbr0' ]
on_crash = "restart"
`;

const PV_JSON = `{
    "c_info": {
        "type": "pv",
        "name": "vm1",
        "uuid": "4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f",
        "run_hotplug_scripts": "True"
    },
    "b_info": {
        "max_vcpus": 2,
        "avail_vcpus": [
            0,
            1
        ],
        "max_memkb": 1048576,
        "target_memkb": 1048576,
        "shadow_memkb": 10240,
        "iommu_memkb": 2060,
        "sched_params": {

        },
        "claim_mode": "True",
        "kernel": "/boot/vmlinuz-6.1.0-21-amd64",
        "cmdline": "root=/dev/xvda1 ro",
        "ramdisk": "/boot/initrd.img-6.1.0-21-amd64",
        "type.pv": {

        },
        "arch_arm": {

        },
        "arch_x86": {

        }
    },
    "disks": [
        {
            "pdev_path": "/dev/vg0/vm1-disk",
            "vdev": "xvda",
            "format": "raw",
            "readwrite": 1
        }
    ],
    "nics": [
        {
            "devid": 0,
            "mac": "00:16:3e:5a:1b:2c",
            "bridge": "xenbr0"
        }
    ],
    "on_reboot": "restart",
    "on_crash": "restart",
    "on_soft_reset": "soft_reset"
}
`;

const PVH_CFG = `name="pvh1"
type="pvh"
uuid="00000000-0000-4000-8000-000000000001"
memory=512
maxmem=1024
maxvcpus=2
kernel="/boot/vmlinuz"
cmdline="console=hvc0"
pvshim=1
cpu_weight=512
on_poweroff="preserve"
on_soft_reset="destroy"
`;

const PVH_JSON = `{
    "c_info": {
        "type": "pvh",
        "name": "pvh1",
        "uuid": "00000000-0000-4000-8000-000000000001",
        "run_hotplug_scripts": "True"
    },
    "b_info": {
        "max_vcpus": 2,
        "max_memkb": 1048576,
        "target_memkb": 524288,
        "shadow_memkb": 10240,
        "iommu_memkb": 2060,
        "sched_params": {
            "weight": 512
        },
        "claim_mode": "True",
        "kernel": "/boot/vmlinuz",
        "cmdline": "console=hvc0",
        "type.pvh": {
            "pvshim": "True"
        },
        "arch_arm": {

        },
        "arch_x86": {

        }
    },
    "on_poweroff": "preserve",
    "on_reboot": "restart"
}
`;

const HVM_CFG = `type = "hvm"
name = "win"
uuid = "6f1b7c52-2a5e-4d0b-9c1a-3e4f5a6b7c8d"
memory = 2048
vcpus = 2
disk = [ '/srv/win.img,raw,hda,rw', '/srv/win.iso,raw,hdc,r,devtype=cdrom' ]
vif = [ 'type=ioemu,model=e1000' ]
vnc = 1
vnclisten = "0.0.0.0"
boot = "dc"
viridian = 1
serial = "pty"
usbdevice = "tablet"
on_poweroff = "preserve"
`;

const HVM_JSON = `{
    "c_info": {
        "type": "hvm",
        "name": "win",
        "uuid": "6f1b7c52-2a5e-4d0b-9c1a-3e4f5a6b7c8d",
        "run_hotplug_scripts": "True"
    },
    "b_info": {
        "max_vcpus": 2,
        "avail_vcpus": [
            0,
            1
        ],
        "max_memkb": 2097152,
        "target_memkb": 2097152,
        "shadow_memkb": 18432,
        "iommu_memkb": 4112,
        "sched_params": {

        },
        "claim_mode": "True",
        "type.hvm": {
            "viridian": "True",
            "vga": {

            },
            "vnc": {
                "enable": "True",
                "listen": "0.0.0.0"
            },
            "sdl": {

            },
            "spice": {

            },
            "serial": "pty",
            "boot": "dc",
            "usbdevice": "tablet",
            "rdm": {

            }
        },
        "arch_arm": {

        },
        "arch_x86": {

        }
    },
    "disks": [
        {
            "pdev_path": "/srv/win.img",
            "vdev": "hda",
            "format": "raw",
            "readwrite": 1
        },
        {
            "pdev_path": "/srv/win.iso",
            "vdev": "hdc",
            "format": "raw",
            "removable": 1,
            "is_cdrom": 1
        }
    ],
    "nics": [
        {
            "devid": 0,
            "model": "e1000",
            "nictype": "vif_ioemu"
        }
    ],
    "on_poweroff": "preserve",
    "on_reboot": "restart",
    "on_soft_reset": "soft_reset"
}
`;

function createN(cfg: string): string {
  const r = build(cfg);
  expect(r.exitCode).toBeUndefined();
  return yajlStringify(domainConfigJson(r.config!, { for: 'create-n' }));
}

describe('xl create -n output (yajl, IDL key order, defaults left out)', () => {
  test('PV guest', () => {
    expect(createN(PV_CFG)).toBe(PV_JSON);
  });
  test('PVH guest', () => {
    expect(createN(PVH_CFG)).toBe(PVH_JSON);
  });
  test('HVM guest: type.hvm always has vga, vnc, sdl, spice, rdm', () => {
    expect(createN(HVM_CFG)).toBe(HVM_JSON);
  });
  test('keys come out in IDL order whatever order the config used', () => {
    const a = createN('vcpus=2\nkernel="/k"\nmemory=64\nname="x"\nuuid="00000000-0000-4000-8000-000000000002"\non_crash="preserve"\non_poweroff="restart"\n');
    const b = createN('on_poweroff="restart"\non_crash="preserve"\nuuid="00000000-0000-4000-8000-000000000002"\nname="x"\nmemory=64\nkernel="/k"\nvcpus=2\n');
    expect(a).toBe(b);
    expect(a.indexOf('"on_poweroff"')).toBeLessThan(a.indexOf('"on_crash"'));
    expect(a.indexOf('"max_vcpus"')).toBeLessThan(a.indexOf('"max_memkb"'));
  });
  test('only the union member of the guest type is printed', () => {
    const out = createN(PV_CFG);
    expect(out).toContain('"type.pv"');
    expect(out).not.toContain('"type.hvm"');
    expect(out).not.toContain('"type.pvh"');
  });
});

describe('xl list -l view of the same config', () => {
  test('adds INVALID_DOMID, nictype, video_memkb, msr_relaxed as libxl fills them', () => {
    const r = build(PV_CFG);
    const j = domainConfigJson(r.config!, { for: 'list-l' }) as Record<string, Record<string, unknown>>;
    expect(Object.keys(j.c_info!)).toEqual(['type', 'name', 'domid', 'uuid', 'run_hotplug_scripts']);
    expect(j.c_info!.domid).toBe(4294967295);
    expect((j.nics as unknown as Record<string, unknown>[])[0]).toEqual({
      devid: 0,
      mac: '00:16:3e:5a:1b:2c',
      bridge: 'xenbr0',
      nictype: 'vif',
    });
    expect(j.b_info!.video_memkb).toBe(0);
    expect(j.b_info!.arch_x86).toEqual({ msr_relaxed: 'False' });
  });
  test('HVM: nictype vif_ioemu default and pirq False', () => {
    const r = build('type="hvm"\nname="h"\nvif=[""]\n');
    const j = domainConfigJson(r.config!, { for: 'list-l' }) as Record<string, Record<string, unknown>>;
    expect((j.nics as unknown as Record<string, unknown>[])[0]!.nictype).toBe('vif_ioemu');
    expect((j.b_info!['type.hvm'] as Record<string, unknown>).pirq).toBe('False');
    expect(j.b_info!.target_memkb).toBe(32768);
  });
  test('Domain-0 stub config: domid 0 is the init value and is not printed', () => {
    const cfg: DomainConfig = { c_info: { type: 'pv', name: 'Domain-0', domid: 0 }, b_info: { sched_params: {}, arch_arm: {}, arch_x86: {} } };
    const j = domainConfigJson(cfg, { for: 'list-l' }) as Record<string, Record<string, unknown>>;
    expect(Object.keys(j.c_info!)).toEqual(['type', 'name']);
  });
});

describe('memory overheads xl computes', () => {
  test('iommu_memkb: 4-level, 512-entry page table over maxmem', () => {
    expect(requiredIommuKb(1048576n)).toBe(2060n);
    expect(requiredIommuKb(4n * 1024n * 1024n * 1024n)).toBe(4n * (2097152n + 4096n + 8n + 1n));
  });
  test('shadow_memkb: 1 MiB per vCPU + 8 KiB per MiB', () => {
    expect(requiredShadowKb(1048576n, 2)).toBe(10240n);
  });
  test('no memory= and no maxmem=: computed from LIBXL_MEMKB_DEFAULT like xl, printed as uint64', () => {
    const out = yajlStringify(domainConfigJson(build('name="n"\nkernel="/k"\n').config!, { for: 'create-n' }));
    expect(out).toContain('"shadow_memkb": 144115188075856888,\n');
    expect(out).not.toContain('"max_memkb"');
  });
});

describe('cpuid in the JSON', () => {
  test('xend form prints libxl leaf policies', () => {
    const r = build('type="hvm"\nname="c"\ncpuid=["0x80000001,0:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0"]\n');
    const j = domainConfigJson(r.config!, { for: 'create-n' }) as Record<string, Record<string, unknown>>;
    expect(j.b_info!.cpuid).toEqual({ cpuid: [{ leaf: 0x80000001, subleaf: 0, ecx: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0' }] });
  });
  test('libxl form is kept in the config but not printed (not expanded to leaves)', () => {
    const r = build('type="hvm"\nname="c"\ncpuid="host,sse3=0"\n');
    expect(r.config!.b_info.cpuid).toBeDefined();
    const out = yajlStringify(domainConfigJson(r.config!, { for: 'create-n' }));
    expect(out).not.toContain('"cpuid"');
  });
});
