/**
 * Real-world configs (shared/corpus beside the checkout, MANIFEST.tsv): every file upstream libxlu
 * accepts goes through buildDomainConfig as data — a config or an xl exit, never an
 * internal error — and a few known files give exactly what xl gives.
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/parser/config-file.js';
import { buildDomainConfig } from '../../src/parser/domain-config.js';
import { domainConfigJson, yajlStringify } from '../../src/toolstack/format/libxl-json.js';
import { FACTS, at, seeded } from './domain-config.helpers.js';
import { sharedPath } from '../shared-dir.js';

const CORPUS = sharedPath('corpus').path;
const manifest = existsSync(`${CORPUS}/MANIFEST.tsv`)
  ? readFileSync(`${CORPUS}/MANIFEST.tsv`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'))
      .filter((r) => r[4] === 'accepted')
      .map((r) => r[0]!)
  : [];

function buildFile(file: string) {
  const p = parseConfig(readFileSync(`${CORPUS}/${file}`, 'latin1'), file);
  expect(p.ok).toBe(true);
  return buildDomainConfig(p.file, { facts: FACTS, source: file, random: seeded() });
}

describe.skipIf(manifest.length === 0)('corpus', () => {
  test.each(manifest)('%s builds as data', (file) => {
    const r = buildFile(file);
    expect(r.messages.some((m) => m.code === 'XL199')).toBe(false);
    if (r.exitCode === undefined) {
      const out = yajlStringify(domainConfigJson(r.config!, { for: 'create-n' }));
      expect(out.startsWith('{\n    "c_info": {\n')).toBe(true);
    }
  });

  test('xlexample.pvlinux', () => {
    const r = buildFile('xen-project__xen/xlexample.pvlinux');
    expect(r.messages).toEqual([]);
    const j = domainConfigJson(r.config!, { for: 'create-n' });
    expect(at(j, 'c_info.name')).toBe('example.pvlinux');
    expect(at(j, 'b_info.cmdline')).toBe('root=/dev/xvda1');
    expect(at(j, 'b_info.target_memkb')).toBe(128 * 1024);
    expect(at(j, 'b_info.avail_vcpus')).toEqual([0, 1]);
    expect(at(j, 'nics')).toEqual([{ devid: 0 }]);
    expect(at(j, 'disks')).toEqual([{ pdev_path: '/dev/vg/guest-volume', vdev: 'xvda', format: 'raw', readwrite: 1 }]);
  });

  test('xmexample.hvm: the old xm example gives three warnings and an HVM guest', () => {
    const r = buildFile('xen-project__xen/xmexample.hvm');
    expect(r.messages.map((m) => m.text).join('')).toBe(
      'WARNING: specifying "tsc_mode" as an integer is deprecated. Please use the named parameter variant. e.g. tsc_mode="default"\n' +
        'WARNING: you seem to be using "kernel" directive to override HVM guest firmware. Ignore that. Use "firmware_override" instead if you really want a non-default firmware\n' +
        'WARNING: ignoring device_model directive.\nWARNING: Use "device_model_override" instead if you really want a non-default device_model\n',
    );
    const j = domainConfigJson(r.config!, { for: 'create-n' });
    expect(at(j, 'c_info.type')).toBe('hvm');
    expect(at(j, 'b_info.kernel')).toBeUndefined();
    expect(at(j, 'b_info.type.hvm.vga')).toEqual({ kind: 'cirrus' });
    expect(at(j, 'b_info.type.hvm.serial')).toBe('pty');
    expect(at(j, 'disks.1')).toMatchObject({ vdev: 'hdc', format: 'empty', is_cdrom: 1 });
  });
});
