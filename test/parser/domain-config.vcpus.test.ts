/**
 * Issue 6 (parser side): vCPU counts beyond what Xen allows never size a per-vCPU array.
 * `vcpus` above INT_MAX gives xl's own errors (tools/xl/xl_parse.c: the long handed to
 * libxl_cpu_bitmap_alloc's int, then `max_vcpus < vcpus`); counts above MAX_VIRT_CPUS
 * give a located XL144 in check, create -n and create.
 */
import { describe, expect, it } from 'vitest';
import { lintConfig } from '../../src/parser/lint/lint.js';
import { harness } from '../toolstack/helpers.js';
import { at, build, FACTS, json, PV, stderr } from './domain-config.helpers.js';

const HUGE_VCPUS = PV + 'vcpus=14294967296\n';
const HUGE_MAX = PV + 'maxvcpus=200000000\ncpus="0-3"\n';

describe('vcpus / maxvcpus beyond what Xen allows', () => {
  it('vcpus=14294967296 fails as xl does: maxvcpus < vcpus', () => {
    const r = build(HUGE_VCPUS);
    expect(stderr(r)).toBe('xl: maxvcpus < vcpus\n');
    expect(r.exitCode).toBe(1);
    expect(r.messages.at(-1)!.setting?.name).toBe('vcpus');
  });
  it('vcpus wrapping to a negative C int: Unable to allocate cpumap', () => {
    const r = build(PV + 'vcpus=2147483648\n');
    expect(stderr(r)).toBe(
      'libxl: error: libxl_utils.c:812:libxl_cpu_bitmap_alloc: invalid number of cpus provided\nUnable to allocate cpumap\n',
    );
    expect(r.exitCode).toBe(1);
  });
  it('vcpus=4294967296 (0 as a C int) also ends in maxvcpus < vcpus', () => {
    expect(stderr(build(PV + 'vcpus=4294967296\n'))).toBe('xl: maxvcpus < vcpus\n');
  });
  it('maxvcpus=200000000 with cpus=: a located XL144, no affinity array', () => {
    const r = build(HUGE_MAX);
    expect(r.exitCode).toBe(1);
    expect(r.config).toBeUndefined();
    const m = r.messages.at(-1)!;
    expect(m.code).toBe('XL144');
    expect(m.setting?.name).toBe('maxvcpus');
    expect(m.text).toBe('t.cfg:3: maxvcpus = 200000000: Xen allows at most 8192 vCPUs per guest (MAX_VIRT_CPUS; HVM and PVH guests 128)\n');
  });
  it('vcpus above 8192 but within an int: XL144 at vcpus', () => {
    const r = build(PV + 'vcpus=2000000000\n');
    expect(r.messages.map((m) => m.code)).toEqual(['XL144']);
    expect(r.messages[0]!.setting?.name).toBe('vcpus');
  });
  it('8192 vCPUs is still accepted, with every vCPU available', () => {
    const j = json(build(PV + 'vcpus=8192\n'));
    expect(at(j, 'b_info.max_vcpus')).toBe(8192);
    expect((at(j, 'b_info.avail_vcpus') as number[]).length).toBe(8192);
  });
  it('check reports both inputs as located errors', () => {
    const a = lintConfig(HUGE_VCPUS, 'a.cfg', { facts: FACTS });
    const e1 = a.diagnostics.filter((d) => d.severity === 'error');
    expect(e1.map((d) => d.code)).toEqual(['XL114']);
    expect(e1[0]!.range.start.line).toBe(3);
    const b = lintConfig(HUGE_MAX, 'b.cfg', { facts: FACTS });
    const e2 = b.diagnostics.filter((d) => d.severity === 'error');
    expect(e2.map((d) => d.code)).toEqual(['XL144']);
    expect(e2[0]!.range.start).toMatchObject({ line: 3, column: 10 });
  });
  it('create and create -n fail with the message and exit 1', async () => {
    const h = harness({ 'a.cfg': HUGE_VCPUS, 'b.cfg': HUGE_MAX });
    for (const cmd of ['create -n a.cfg', 'create a.cfg']) {
      expect(await h.run(cmd)).toEqual({ code: 1, out: '', err: 'Parsing config from a.cfg\nxl: maxvcpus < vcpus\n' });
    }
    for (const cmd of ['create -n b.cfg', 'create b.cfg']) {
      const r = await h.run(cmd);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe('Parsing config from b.cfg\nb.cfg:3: maxvcpus = 200000000: Xen allows at most 8192 vCPUs per guest (MAX_VIRT_CPUS; HVM and PVH guests 128)\n');
    }
    const list = await h.run('list');
    expect(list.out.split('\n').filter(Boolean)).toHaveLength(2); // header + Domain-0
  });
});

describe('llc_colors beyond what Xen has', () => {
  it('a range of 4 billion colours is a located XL129, not an array of them', () => {
    const r = build(PV + 'llc_colors = [ "0-4294967295" ]\n');
    expect(r.exitCode).toBe(1);
    expect(stderr(r)).toBe('t.cfg:3: llc_colors: more than 1024 colours; no Xen build has more (NR_LLC_COLORS, LLC_COLORS_ORDER at most 10)\n');
    expect(r.messages.at(-1)!.setting?.name).toBe('llc_colors');
  });
  it('1,024 colours are still read', () => {
    expect(build(PV + 'llc_colors = [ "0-511", "512-1023" ]\n').exitCode).toBeUndefined();
  });
});
