/**
 * Numbers as xl stores them (xl-cfg-format.md §2.2): MiB → KiB in uint64 fields, C
 * `int`/`uint32_t` wrapping, strtol(…, 0) notation, and the shadow / IOMMU overheads
 * xl computes (libxl_get_required_shadow_memory, libxl_get_required_iommu_memory in
 * tools/libs/light/libxl_utils.c). The builder takes plain-number shortcuts where the
 * arithmetic is exact; these tests hold it to the 64-bit C results on both sides of
 * those shortcuts.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { PV, at, build, json } from './domain-config.helpers.js';

const U64 = (1n << 64n) - 1n;

/** libxl_get_required_shadow_memory(maxmem_kb, smp_cpus), uint64 KiB. */
function shadowRef(maxKb: bigint, vcpus: bigint): bigint {
  return BigInt.asUintN(64, 4n * (256n * vcpus + 2n * (maxKb / 1024n)));
}

/** libxl_get_required_iommu_memory(maxmem_kb), uint64 KiB. */
function iommuRef(maxKb: bigint): bigint {
  let pages = maxKb / 4n;
  let total = 0n;
  for (let level = 0; level < 4; level++) {
    pages = (pages + 511n) / 512n;
    total += pages;
  }
  return BigInt.asUintN(64, total * 4n);
}

/** A uint64 as the JSON printer gets it: exact JS number when safe, else bigint. */
function jsonInt(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

describe('memory, shadow and IOMMU overheads', () => {
  test('memory=<MiB> for any value gives the uint64 results of the C code', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 1 << 20 }),
          fc.bigInt({ min: 0n, max: 1n << 44n }).map(Number),
          fc.bigInt({ min: 1n << 40n, max: 1n << 62n }).map(Number),
          fc.integer({ min: -(1 << 20), max: -1 }),
        ),
        fc.integer({ min: 1, max: 512 }),
        (mib, vcpus) => {
          const text = PV + `memory="${BigInt(mib)}"\nvcpus=${vcpus}\n`; // quoted: a bare NUMBER has no sign
          const b = at(json(build(text)), 'b_info') as Record<string, unknown>;
          const maxKb = BigInt.asUintN(64, BigInt(mib) * 1024n);
          expect(b.max_memkb).toEqual(jsonInt(maxKb));
          expect(b.target_memkb).toEqual(jsonInt(maxKb));
          expect(b.shadow_memkb).toEqual(jsonInt(shadowRef(maxKb, BigInt(vcpus))));
          expect(b.iommu_memkb).toEqual(jsonInt(iommuRef(maxKb)));
        },
      ),
      { numRuns: 300, seed: 20 },
    );
  });

  test('2 GiB, 2 vCPUs: 18432 KiB shadow, 4112 KiB IOMMU tables', () => {
    const b = at(json(build(PV + 'memory=2048\nvcpus=2\n')), 'b_info') as Record<string, unknown>;
    expect([b.max_memkb, b.shadow_memkb, b.iommu_memkb]).toEqual([2097152, 18432, 4112]);
  });

  test('no memory at all: the arithmetic runs on LIBXL_MEMKB_DEFAULT (~0)', () => {
    const b = at(json(build(PV)), 'b_info') as Record<string, unknown>;
    expect(b.shadow_memkb).toBe(144115188075856888n);
    expect(b.iommu_memkb).toBe(36099303470530560n);
  });
});

describe('number notation (strtol base 0)', () => {
  const cases: [string, number][] = [
    ['8', 8 * 1024],
    ['010', 8 * 1024], // octal
    ['0x10', 16 * 1024],
    ['0', 0],
    [' 12', 12 * 1024], // leading blanks allowed
    ['+12', 12 * 1024],
  ];
  test.each(cases)('memory=%j', (value, kib) => {
    expect(at(json(build(PV + `memory="${value}"\n`)), 'b_info.max_memkb')).toBe(kib);
  });

  test('15 and 16 digits: KiB beyond 2^53 printed exactly', () => {
    expect(at(json(build(PV + 'memory=123456789012345\n')), 'b_info.max_memkb')).toBe(123456789012345n * 1024n);
    expect(at(json(build(PV + 'memory=1234567890123456\n')), 'b_info.max_memkb')).toBe(1234567890123456n * 1024n);
  });

  test('a negative MiB count wraps in the uint64 KiB field', () => {
    expect(at(json(build(PV + 'memory="-1"\n')), 'b_info.max_memkb')).toBe(U64 - 1023n);
  });

  test('"12 " (trailing blank) and "00x1" are not numbers: warned, left at the default', () => {
    const r = build(PV + 'memory="12 "\nmaxmem="00x1"\n');
    expect(r.messages.map((m) => m.text)).toEqual([
      "t.cfg:3: warning: parameter `memory' is not a valid number\n",
      "t.cfg:4: warning: parameter `maxmem' is not a valid number\n",
    ]);
    expect(at(json(r), 'b_info.max_memkb')).toBeUndefined();
  });

  test('C int fields wrap: cpu_weight=4294967297 is weight 1, cap=2147483648 is -2147483648', () => {
    const sp = at(json(build(PV + 'cpu_weight=4294967297\ncap=2147483648\n')), 'b_info.sched_params');
    expect(sp).toEqual({ weight: 1, cap: -2147483648 });
  });

  test('uint32 fields wrap: rtc_timeoffset=-1 is 4294967295', () => {
    expect(at(json(build(PV + 'rtc_timeoffset="-1"\n')), 'b_info.rtc_timeoffset')).toBe(4294967295);
  });
});
