/** PCI_SPEC strings as xl reads them (xl-cfg-format.md §4.11, libxlu_pci.c). */
import { describe, expect, it } from 'vitest';
import { parsePciSpec } from '../../../src/parser/specs/pci.js';

const pci = (s: string) => parsePciSpec(s, {});
const unable = (s: string) => `unable to parse PCI_SPEC_STRING \`${s}' for passthrough\n`;

describe('accepted PCI specs', () => {
  it.each([
    ['0000:03:00.0', { bus: 3, vfunc_mask: 1 }],
    ['03:00.0', { bus: 3, vfunc_mask: 1 }],
    ['0001:0A:1f.7', { func: 7, dev: 31, bus: 10, domain: 1, vfunc_mask: 1 }],
    ['03:10.1@05', { func: 1, dev: 16, bus: 3, vdevfn: 40, vfunc_mask: 1 }],
    ['03:00.*', { bus: 3, vfunc_mask: 4294967295 }],
    ['03:00.0,', { bus: 3, vfunc_mask: 1 }],
    ['03:00.0,seize=1,permissive=yes,msitranslate=2,power_mgmt=1,', { bus: 3, vfunc_mask: 1, msitranslate: true, power_mgmt: true, seize: true }],
    ['bdf=03:00.0,vslot=1f,rdm_policy=RELAXED', { bus: 3, vdevfn: 248, vfunc_mask: 1, rdm_policy: 'relaxed' }],
    ['name=gpu0', { name: 'gpu0' }],
    ['name=gpu0,vslot=2', { vdevfn: 16, name: 'gpu0' }],
  ] as const)('%s', (spec, value) => {
    const r = pci(spec);
    expect(r).toEqual({ value, messages: [] });
    expect(Object.keys(r.value!)).toEqual(Object.keys(value));
  });

  it('applies the pci_* and rdm defaults, which fields can override', () => {
    expect(parsePciSpec('03:00.0,permissive=0', { permissive: true, seize: true, rdm_policy: 'strict' }).value).toEqual({
      bus: 3, vfunc_mask: 1, seize: true, rdm_policy: 'strict',
    });
  });
});

describe('rejected PCI specs', () => {
  it.each([
    '36:00.0@20,seize=1', // man page example: vslot 0x20 > 0x1f
    '03:00',
    '03:00.8',
    '100:00.0',
    '03:20.0',
    '1:2:3:4.0',
    '0300.0',
    '03:00.0 ,seize=1',
    '03:00.0,seize',
    'name=a,bdf=03:00.0',
    'seize=1',
    '',
    'bdf=3',
  ])('%j is invalid (exit 6)', (spec) => {
    const r = pci(spec);
    expect(r.value).toBeUndefined();
    expect(r.exitCode).toBe(6);
    expect(r.messages.map((m) => m.text)).toEqual([unable(spec)]);
    expect(r.messages[0]!.code).toBe('XL231');
  });

  it('prints libxlu lines without a newline before xl\'s line', () => {
    const a = pci('03:00.0,foo=1');
    expect(a.messages.map((m) => m.text)).toEqual(['Unknown PCI_SPEC_STRING option: foo', unable('03:00.0,foo=1')]);
    expect(a.exitCode).toBe(6);
    // empty fields are not skipped: the key becomes ",seize"
    expect(pci('03:00.0,,seize=1').messages.map((m) => m.text)).toEqual(['Unknown PCI_SPEC_STRING option: ,seize', unable('03:00.0,,seize=1')]);
    const b = pci('03:00.0,rdm_policy=lax');
    expect(b.messages.map((m) => m.text)).toEqual(['Unknown RDM policy: lax', unable('03:00.0,rdm_policy=lax')]);
    expect(b.exitCode).toBe(3);
    expect(b.messages[0]!.span).toEqual([19, 22]);
  });

  it('uses pci-attach\'s wording and exit status there', () => {
    const r = parsePciSpec('03:00', {}, { context: 'attach' });
    expect(r.messages.map((m) => m.text)).toEqual(['pci-attach: malformed BDF specification "03:00"\n']);
    expect(r.exitCode).toBe(1);
  });
});

describe('PCI properties', () => {
  it('reads any in-range BDF written in hex', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0, max: 7 }),
        (domain, bus, dev, func) => {
          const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
          const r = pci(`${h(domain, 4)}:${h(bus, 2)}:${h(dev, 2)}.${func}`);
          expect(r.exitCode).toBeUndefined();
          expect(r.value).toMatchObject({ vfunc_mask: 1 });
          expect(r.value!.func ?? 0).toBe(func);
          expect(r.value!.dev ?? 0).toBe(dev);
          expect(r.value!.bus ?? 0).toBe(bus);
          expect(r.value!.domain ?? 0).toBe(domain);
        },
      ),
      { numRuns: 200 },
    );
  });
});
