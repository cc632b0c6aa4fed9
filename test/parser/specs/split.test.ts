import { describe, expect, it } from 'vitest';
import {
  atoi,
  matchOption,
  parseUlong,
  scanResolution,
  splitFields,
  splitKeyValue,
  strtok,
  strtoul,
  trimC,
  ULONG_MAX,
} from '../../../src/parser/specs/split.js';

describe('splitFields (strtok at "," + leading-space skip)', () => {
  it('drops empty fields like strtok', () => {
    expect(splitFields('a=1,,b=2,')).toEqual([
      { text: 'a=1', start: 0 },
      { text: 'b=2', start: 5 },
    ]);
  });
  it('skips leading spaces only (not TABs) and keeps trailing spaces', () => {
    expect(splitFields('  bridge=xenbr0 ,\tx=1')).toEqual([
      { text: 'bridge=xenbr0 ', start: 2 },
      { text: '\tx=1', start: 17 },
    ]);
  });
  it('keeps a space-only field as the empty string', () => {
    expect(splitFields('a=1,   ,b')).toEqual([
      { text: 'a=1', start: 0 },
      { text: '', start: 7 },
      { text: 'b', start: 8 },
    ]);
  });
  it('returns nothing for an empty spec or only commas', () => {
    expect(splitFields('')).toEqual([]);
    expect(splitFields(',,,')).toEqual([]);
  });
});

describe('strtok', () => {
  it('splits on any of the delimiters', () => {
    expect(strtok(';a;;b', ';').map((f) => f.text)).toEqual(['a', 'b']);
  });
});

describe('splitKeyValue (first "=" + C-whitespace trim)', () => {
  it('splits at the first "=" and trims both halves', () => {
    expect(splitKeyValue(' path = /a=b \t')).toEqual({ key: 'path', value: '/a=b' });
  });
  it('fails without "=" or with nothing after it', () => {
    expect(splitKeyValue('name')).toBeUndefined();
    expect(splitKeyValue('name=')).toBeUndefined();
  });
  it('skips leading "=" like strtok, so "=x" has no pair', () => {
    expect(splitKeyValue('=x')).toBeUndefined();
    expect(splitKeyValue('==a=b')).toEqual({ key: 'a', value: 'b' });
    expect(splitKeyValue('a==b')).toEqual({ key: 'a', value: '=b' });
  });
  it('keeps a value of only blanks as the empty string', () => {
    expect(splitKeyValue('name=  ')).toEqual({ key: 'name', value: '' });
  });
  it('trimC strips C whitespace both ends', () => {
    expect(trimC('\v\f x y \r\n')).toBe('x y');
  });
});

describe('matchOption', () => {
  it('matches exactly "name="', () => {
    expect(matchOption('port', 'port=3')).toBe('3');
    expect(matchOption('port', 'ports=3')).toBeUndefined();
    expect(matchOption('backend', 'backend-type=qemu')).toBeUndefined();
    expect(matchOption('k', 'k=a=b')).toBe('a=b');
  });
});

describe('C number conversions', () => {
  it('strtoul base 0 detects hex and octal and tolerates junk', () => {
    expect(strtoul('0x1f')).toEqual({ value: 31n, end: 4, overflow: false });
    expect(strtoul('010').value).toBe(8n);
    expect(strtoul('12abc')).toEqual({ value: 12n, end: 2, overflow: false });
    expect(strtoul('0x').value).toBe(0n);
    expect(strtoul('0x').end).toBe(1);
    expect(strtoul('zz').end).toBe(0);
  });
  it('strtoul wraps negatives and saturates on overflow', () => {
    expect(strtoul('-1').value).toBe(ULONG_MAX);
    expect(strtoul(' +7').value).toBe(7n);
    const big = strtoul('99999999999999999999999');
    expect(big.value).toBe(ULONG_MAX);
    expect(big.overflow).toBe(true);
  });
  it('atoi takes the leading decimal number, 0 for junk', () => {
    expect(atoi('yes')).toBe(0);
    expect(atoi(' 12x')).toBe(12);
    expect(atoi('-3')).toBe(-3);
    expect(atoi('0x10')).toBe(0);
    expect(atoi('4294967297')).toBe(1);
  });
  it('parseUlong refuses no digits and ULONG_MAX', () => {
    expect(parseUlong('512')).toBe(512n);
    expect(parseUlong('512MB')).toBe(512n);
    expect(parseUlong('x')).toBeUndefined();
    expect(parseUlong('-1')).toBeUndefined();
    expect(parseUlong('')).toBeUndefined();
  });
  it('scanResolution behaves like sscanf("%ux%u")', () => {
    expect(scanResolution('1920x1080')).toEqual({ count: 2, width: 1920, height: 1080 });
    expect(scanResolution(' 800x600junk')).toEqual({ count: 2, width: 800, height: 600 });
    expect(scanResolution('800 x600').count).toBe(1);
    expect(scanResolution('x600').count).toBe(0);
    expect(scanResolution('-1x2')).toEqual({ count: 2, width: 4294967295, height: 2 });
  });
});

describe('no spec parser throws on any input (errors are data)', async () => {
  const fc = await import('fast-check');
  const { parseVfbSpec } = await import('../../../src/parser/specs/vfb.js');
  const { parseVkbSpec } = await import('../../../src/parser/specs/vkb.js');
  const { parseChannelSpec } = await import('../../../src/parser/specs/channel.js');
  const { parseUsbctrlSpec, parseUsbdevSpec } = await import('../../../src/parser/specs/usb.js');
  const { parseVtpmSpec } = await import('../../../src/parser/specs/vtpm.js');
  const { parseP9Spec } = await import('../../../src/parser/specs/p9.js');
  const { parsePvcallsSpec } = await import('../../../src/parser/specs/pvcalls.js');
  const { parseVdisplSpec } = await import('../../../src/parser/specs/vdispl.js');
  const { parseVirtioSpec } = await import('../../../src/parser/specs/virtio.js');
  const { parseCpuidString, parseCpuidList } = await import('../../../src/parser/specs/cpuid.js');
  const { parseViridian } = await import('../../../src/parser/specs/viridian.js');
  const { parseSmbios } = await import('../../../src/parser/specs/smbios.js');
  const { parseVsndCard } = await import('../../../src/parser/specs/vsnd.js');
  const { parseVnuma } = await import('../../../src/parser/specs/vnuma.js');
  const R = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  // Strings built from the characters the grammars care about, so the fuzzing reaches deep paths.
  const piece = fc.constantFrom(
    ',', '=', ';', ':', ' ', '-', 'x', '0', '1', '9', 'type', 'virtio', 'backend', 'connection', 'pty', 'socket',
    'path', 'vcpus', 'size', 'pnode', 'vdistances', 'host', 'eax', 'CARD', 'PCM', 'STREAM', 'connectors', '0x',
    'feature-multi-touch', 'multi-touch-width', 'backend-type', 'qemu', 'oem', '!', 'xen_9pfsd', '\t', 'uuid',
  );
  const spec = fc.array(piece, { maxLength: 12 }).map((a) => a.join(''));
  const checkResult = (r: { messages: { text: string }[]; value?: unknown; exitCode?: number }) => {
    expect(Array.isArray(r.messages)).toBe(true);
    if (r.exitCode !== undefined) expect(r.value).toBeUndefined();
  };
  it('string specs', () => {
    fc.assert(
      fc.property(spec, (s) => {
        for (const f of [parseVfbSpec, parseVkbSpec, parseChannelSpec, parseUsbctrlSpec, parseUsbdevSpec, parseVtpmSpec,
          parsePvcallsSpec, parseVdisplSpec, parseVirtioSpec, parseCpuidString]) {
          checkResult(f(s));
        }
        checkResult(parseP9Spec(s, 'vm'));
      }),
      { numRuns: 300 },
    );
  });
  it('list specs', () => {
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 5 }), (items) => {
        checkResult(parseCpuidList(items));
        checkResult(parseViridian(items));
        checkResult(parseSmbios(items));
        const values = items.map((value) => ({ kind: 'string' as const, value, token: 'STRING' as const, range: R }));
        checkResult(parseVsndCard(values));
        checkResult(parseVnuma([{ kind: 'list', items: values, range: R }], { nrCpus: 4, nrNodes: 1 }));
      }),
      { numRuns: 300 },
    );
  });
});
