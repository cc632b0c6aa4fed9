/**
 * The key table (xl-cfg-format.md §3.1–§3.11) and "did you mean".
 */
import { describe, expect, test } from 'vitest';
import { KEYS, XL_CONF_KEYS, editDistance, keyAppliesTo, lookupKey, suggestKey } from '../../src/parser/keys.js';

describe('KEYS', () => {
  test('names are unique and lower-case libxlu identifiers', () => {
    const names = KEYS.map((k) => k.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][._0-9a-z]*$/);
  });

  test('holds every key of §3.1–§3.10 (sample across sections)', () => {
    for (const n of [
      'name', 'type', 'builder', 'vcpus', 'maxvcpus', 'cpus', 'cpus_soft', 'cpu_weight', 'cap', 'memory', 'maxmem',
      'vnuma', 'on_poweroff', 'on_soft_reset', 'kernel', 'cmdline', 'firmware', 'pvshim_extra', 'uuid',
      'max_grant_version', 'passthrough', 'disk', 'vif', 'vtpm', 'p9', 'pvcalls', 'vfb', 'channel', 'rdm', 'usbctrl',
      'usbdev', 'pci', 'pci_power_mgmt', 'gfx_passthru', 'dtdev', 'ioports', 'iomem', 'irqs', 'vdispl', 'vsnd', 'vkb',
      'virtio', 'tee', 'bootloader', 'bootloader_args', 'e820_host', 'boot', 'hdtype', 'hap', 'oos', 'shadow_memory',
      'bios', 'acpi', 'altp2m', 'altp2mhvm', 'cpuid', 'smbios', 'ms_vm_genid', 'tsc_mode', 'timer_mode', 'mmio_hole',
      'viridian', 'videoram', 'stdvga', 'vga', 'vnc', 'spice_streaming_video', 'serial', 'usbdevice', 'vendor_device',
      'device_model_version', 'device_model_args_hvm', 'gic_version', 'vuart', 'sve', 'llc_colors', 'nr_spis',
      'mca_caps', 'msr_relaxed', 'period', 'firmware_override', 'opengl', 'device_model', 'vncviewer', 'vif2',
    ]) {
      expect(lookupKey(n), n).toBeDefined();
    }
  });

  test('types, guest types and versions as the sheet gives them', () => {
    expect(lookupKey('memory')).toMatchObject({ type: 'MB', for: 'all', since: '4.0', file: 'cfg' });
    expect(lookupKey('boot')).toMatchObject({ type: 'STR', for: ['hvm'] });
    expect(lookupKey('timer_mode')!.for).toEqual(['hvm', 'pvh']);
    expect(lookupKey('e820_host')!.for).toEqual(['pv']);
    expect(lookupKey('pvshim')!.for).toEqual(['pvh']);
    expect(lookupKey('cpus')!.type).toBe('STR|LIST');
    expect(lookupKey('vnuma')!.type).toBe('LIST_OF_LISTS');
    expect(lookupKey('vmtrace_buf_kb')!.type).toBe('KB');
    expect(lookupKey('llc_colors')!.since).toBe('4.20');
    expect(lookupKey('period')!.undocumented).toBe(true);
  });

  test('deprecated aliases point at their replacement', () => {
    expect(lookupKey('builder')!.deprecated?.use).toBe('type');
    expect(lookupKey('altp2mhvm')!.deprecated?.use).toBe('altp2m');
    expect(lookupKey('stdvga')!.deprecated?.use).toBe('vga');
    expect(lookupKey('device_model')!.deprecated?.use).toBe('device_model_override');
    expect(lookupKey('vifscript', 'xl.conf')!.deprecated?.use).toBe('vif.default.script');
    expect(lookupKey('memory')!.deprecated).toBeUndefined();
  });

  test('unknown and removed keys are not in the table', () => {
    expect(lookupKey('pvh')).toBeUndefined();
    expect(lookupKey('memroy')).toBeUndefined();
    expect(lookupKey('Memory')).toBeUndefined();
  });

  test('xl.conf keys are a separate table', () => {
    expect(lookupKey('autoballoon')).toBeUndefined();
    expect(lookupKey('autoballoon', 'xl.conf')).toMatchObject({ file: 'xl.conf' });
    expect(XL_CONF_KEYS.map((k) => k.name)).toContain('vif.default.bridge');
    expect(lookupKey('vif.default.script', 'xl.conf')).toBeDefined();
  });

  test('keyAppliesTo follows the For column', () => {
    expect(keyAppliesTo('boot', 'hvm')).toBe(true);
    expect(keyAppliesTo('boot', 'pv')).toBe(false);
    expect(keyAppliesTo('timer_mode', 'pv')).toBe(false);
    expect(keyAppliesTo('memory', 'pvh')).toBe(true);
    expect(keyAppliesTo('nosuch', 'pv')).toBe(false);
  });
});

describe('suggestKey', () => {
  test.each([
    ['memroy', 'memory'],
    ['vpcus', 'vcpus'],
    ['Memory', 'memory'],
    ['kernal', 'kernel'],
    ['on_reboto', 'on_reboot'],
    ['bootlaoder', 'bootloader'],
    ['maxvcpu', 'maxvcpus'],
    ['disks', 'disk'],
  ] as const)('%s → %s', (typo, key) => {
    expect(suggestKey(typo)).toBe(key);
  });

  test('no suggestion for a known key or a far-off word', () => {
    expect(suggestKey('memory')).toBeUndefined();
    expect(suggestKey('install-method')).toBeUndefined();
    expect(suggestKey('home')).toBeUndefined();
  });

  test('xl.conf table', () => {
    expect(suggestKey('autobaloon', 'xl.conf')).toBe('autoballoon');
  });

  test('editDistance counts a transposition as one edit', () => {
    expect(editDistance('memroy', 'memory')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('parser barrel (src/parser/index.ts)', () => {
  test('re-exports the public API of the parser layer', async () => {
    const parser = await import('../../src/parser/index.js');
    for (const name of [
      'parseConfig', 'ConfigFile', 'getString', 'getLong', 'getList', 'listItem', 'buildDomainConfig', 'readXlConf',
      'KEYS', 'lookupKey', 'suggestKey', 'parseDiskSpecs', 'parseNicSpec',
      'parseCpuList', 'formatCpumap', 'parsePciSpec', 'vdevToDevid', 'generateMac', 'parseUuid',
    ]) {
      expect(parser, name).toHaveProperty(name);
    }
    // libxl's JSON printer is output formatting: it moved to the toolstack (issue 9)
    const json = await import('../../src/toolstack/format/libxl-json.js');
    for (const name of ['domainConfigJson', 'yajlStringify']) expect(json, name).toHaveProperty(name);
  });
});

describe('KEYS covers what buildDomainConfig reads', () => {
  test('every key name read in domain-config.ts is in the table', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    // the builder is domain-config/, one module per part of xl_parse.c (xl.conf apart)
    const dir = new URL('../../src/parser/domain-config/', import.meta.url);
    const src = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'xl-conf.ts')
      .map((f) => readFileSync(new URL(f, dir), 'utf8'))
      .join('\n');
    const read = new Set<string>();
    for (const m of src.matchAll(/\b(?:str|long|defbool|list|listItems|has|setting|get)\('([a-z0-9_.]+)'/g)) read.add(m[1]!);
    for (const m of src.matchAll(/\b(?:getStringList|getBoundedLong)\(b\.cfg, '([a-z0-9_.]+)'/g)) read.add(m[1]!);
    for (const m of src.matchAll(/\[\s*'(on_[a-z_]+|device_model_args[a-z_]*)', '/g)) read.add(m[1]!);
    for (const m of src.matchAll(/\b(?:each|grantLimit|affinity|stringOrList)\((?:b, )?'([a-z0-9_.]+)'/g)) read.add(m[1]!);
    expect(read.size).toBeGreaterThan(155);
    const missing = [...read].filter((k) => lookupKey(k) === undefined);
    expect(missing).toEqual([]);
    // and the other way: every key of xl 4.20 or older is read (4.21+ keys are not, as in xl 4.20)
    const minor = (v: string) => Number(v.split('.')[1]);
    const unread = KEYS.filter((k) => minor(k.since) <= 20 && !read.has(k.name)).map((k) => k.name);
    expect(unread).toEqual([]);
    const newer = KEYS.filter((k) => minor(k.since) > 20).map((k) => k.name);
    expect(newer.filter((k) => read.has(k))).toEqual([]);
  });
});
