/**
 * viridian= in the domain config (xl_parse.c, xl-cfg-format.md §4.19) as `xl create -n`
 * prints it: `defaults` (and the number form) set the `type.hvm` `viridian` defbool and
 * leave the groups to libxl; `all` sets every bit of the 64-bit viridian_enable bitmap;
 * named groups set or clear single bits.
 */
import { describe, expect, test } from 'vitest';
import { domainConfigJson, yajlStringify } from '../../src/toolstack/format/libxl-json.js';
import { HVM, build, stderr } from './domain-config.helpers.js';

/** What `xl create -n` prints for `text`. */
function createN(text: string): string {
  const r = build(text);
  expect(r.exitCode, stderr(r)).toBeUndefined();
  return yajlStringify(domainConfigJson(r.config!, { for: 'create-n' }));
}

/** The lines of the printed `type.hvm` object before its `vga` struct (where the viridian fields sit). */
function viridianLines(out: string): string {
  const start = out.indexOf('        "type.hvm": {\n');
  const end = out.indexOf('            "vga": {\n');
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return out.slice(start, end);
}

/** A yajl array of integers at the indent of a `type.hvm` member. */
function bitList(bits: number[]): string {
  return '[\n' + bits.map((b) => `                ${b}`).join(',\n') + '\n            ]';
}

const WIN = 'name="win"\ntype="hvm"\nuuid="6f1b7c52-2a5e-4d0b-9c1a-3e4f5a6b7c8d"\nmemory=2048\nvcpus=2\n';

describe('viridian → xl create -n JSON', () => {
  test('viridian=["defaults"] sets the defbool and no bitmap', () => {
    expect(createN(WIN + 'viridian=["defaults"]\n')).toBe(`{
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

            },
            "sdl": {

            },
            "spice": {

            },
            "rdm": {

            }
        },
        "arch_arm": {

        },
        "arch_x86": {

        }
    },
    "on_reboot": "restart",
    "on_soft_reset": "soft_reset"
}
`);
  });

  test('viridian=1 prints the same as ["defaults"]', () => {
    const numeric = createN(WIN + 'viridian=1\n');
    expect(viridianLines(numeric)).toBe('        "type.hvm": {\n            "viridian": "True",\n');
    expect(numeric).toBe(createN(WIN + 'viridian=["defaults"]\n'));
  });

  test('viridian=0 sets the defbool to False', () => {
    expect(viridianLines(createN(WIN + 'viridian=0\n'))).toBe('        "type.hvm": {\n            "viridian": "False",\n');
  });

  test('viridian=["all"] sets all 64 bits of viridian_enable, not the defbool', () => {
    const all = Array.from({ length: 64 }, (_, i) => i);
    expect(viridianLines(createN(HVM + 'viridian=["all"]\n'))).toBe(
      `        "type.hvm": {\n            "viridian_enable": ${bitList(all)},\n`,
    );
  });

  test('a "!group" after all clears that bit and sets it in viridian_disable', () => {
    const enable = Array.from({ length: 64 }, (_, i) => i).filter((i) => i !== 8); // stimer is bit 8
    expect(viridianLines(createN(HVM + 'viridian=["all", "!stimer"]\n'))).toBe(
      `        "type.hvm": {\n            "viridian_enable": ${bitList(enable)},\n            "viridian_disable": ${bitList([8])},\n`,
    );
  });

  test('viridian=["base","!freq"]: bit 0 enabled, bit 1 disabled', () => {
    expect(viridianLines(createN(HVM + 'viridian=["base","!freq"]\n'))).toBe(
      '        "type.hvm": {\n' +
        '            "viridian_enable": [\n                0\n            ],\n' +
        '            "viridian_disable": [\n                1\n            ],\n',
    );
  });

  test('defaults with groups: the defbool and the bitmaps together', () => {
    expect(viridianLines(createN(HVM + 'viridian=["defaults", "hcall_ipi", "!crash_ctl"]\n'))).toBe(
      '        "type.hvm": {\n' +
        '            "viridian": "True",\n' +
        '            "viridian_enable": [\n                9\n            ],\n' +
        '            "viridian_disable": [\n                6\n            ],\n',
    );
  });

  test('an empty list sets nothing', () => {
    expect(viridianLines(createN(HVM + 'viridian=[]\n'))).toBe('        "type.hvm": {\n');
  });
});
