import { describe, expect, it } from 'vitest';
import { lintBytes, lintConfig } from '../../src/parser/lint/lint.js';
import { codeFrame } from '../../src/toolstack/format/codeframe.js';

const facts = { nrCpus: 4, nrNodes: 1, arch: 'x86' as const };
const enc = new TextEncoder();
const lint = (b: Uint8Array) => lintBytes(b, 'in.cfg', { facts });

/** Every diagnostic has a sane 1-based location inside the decoded text. */
function expectLocated(r: ReturnType<typeof lint>): void {
  for (const d of r.diagnostics.slice(0, 200)) {
    expect(d.range.start.line).toBeGreaterThanOrEqual(1);
    expect(d.range.start.column).toBeGreaterThanOrEqual(1);
    expect(d.range.start.offset).toBeGreaterThanOrEqual(0);
    expect(d.range.end.offset).toBeGreaterThanOrEqual(d.range.start.offset);
    expect(d.range.end.offset).toBeLessThanOrEqual(r.text.length);
    expect(d.code).toMatch(/^XL\d{3}$/);
    expect(d.code).not.toBe('XL499');
    // A code frame can always be drawn for it.
    expect(codeFrame(r.text, d.range).length).toBeGreaterThan(0);
  }
}

describe('unreadable input through lintBytes', () => {
  it('binary data: located errors, no settings', () => {
    const bytes = new Uint8Array(4096);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      bytes[i] = x >>> 24;
    }
    const r = lint(bytes);
    expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(r.settings).toEqual({});
    expectLocated(r);
  });

  it('a NUL byte is an error at its line and column', () => {
    const r = lint(enc.encode('name = "a"\nmem\u0000ory = 1\n'));
    const err = r.diagnostics.find((d) => d.severity === 'error');
    expect(err).toBeDefined();
    expect(err!.range.start.line).toBe(2);
    expect(err!.range.start.column).toBe(4);
    expectLocated(r);
  });

  it('invalid UTF-8 inside a string is accepted like xl (8-bit clean), outside it is an error', () => {
    const inside = new Uint8Array([...enc.encode('name = "a'), 0xff, 0xfe, ...enc.encode('"\nkernel = "/k"\n')]);
    const ok = lint(inside);
    expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(typeof ok.settings['name']).toBe('string');
    const outside = new Uint8Array([...enc.encode('name = "a"\n'), 0xc3, 0x28, ...enc.encode(' = 1\n')]);
    const bad = lint(outside);
    const e = bad.diagnostics.find((d) => d.severity === 'error');
    expect(e?.range.start.line).toBe(2);
    expectLocated(bad);
  });

  it('a file of several megabytes with one error at the end reports that line', () => {
    const line = 'extra = "' + 'x'.repeat(1000) + '"\n';
    const body = line.repeat(6000); // ~6 MB
    const r = lint(enc.encode('name = "big"\nkernel = "/k"\n' + body + 'oops\n'));
    const e = r.diagnostics.find((d) => d.severity === 'error');
    expect(e).toBeDefined();
    expect(e!.range.start.line).toBe(6003);
    expectLocated(r);
  });

  it('lists nested thousands deep: deeper than bison allows is a located error, not a crash', () => {
    const depth = 6000;
    const r = lint(enc.encode('name = "n"\nkernel = "/k"\nx = ' + '['.repeat(depth) + ']'.repeat(depth) + '\n'));
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.range.start.line === 3)).toBe(true);
    expectLocated(r);
  });

  it('lists nested 4000 deep parse, and settings hold the nested arrays', () => {
    const depth = 4000;
    const r = lint(enc.encode('name = "n"\nkernel = "/k"\nx = ' + '['.repeat(depth) + '"v"' + ']'.repeat(depth) + '\n'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    let v: unknown = r.settings['x'];
    let n = 0;
    while (Array.isArray(v)) {
      v = v[0];
      n++;
    }
    expect(n).toBe(depth);
    expect(v).toBe('v');
    expectLocated(r);
  });

  it('an empty file and a CR-LF file', () => {
    const empty = lint(new Uint8Array());
    // xl stops at the missing name; the linter goes on and also reports the missing boot source.
    expect(empty.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.xl])).toEqual([
      ['XL112', 'Domain name must be specified.'],
      ['XL418', 'Neither kernel nor bootloader specified'],
    ]);
    const crlf = lint(enc.encode('name = "a"\r\nkernel = "/k"\r\n'));
    const errs = crlf.diagnostics.filter((d) => d.severity === 'error');
    expect(errs.map((d) => d.range.start.line)).toEqual([1, 2]);
    expectLocated(crlf);
  });
});

describe('lintConfig on arbitrary text (property)', () => {
  it('never throws, never reports an internal error, and keeps every range inside the text', async () => {
    const fc = await import('fast-check');
    const pieces = fc.constantFrom(
      'name = "a"\n', 'type = "hvm"\n', 'kernel = "/k"\n', 'memory = ', 'maxmem = 010\n', 'vcpus = 0\n',
      'disk = [ "/x,xvda,w", ["n"], ', 'vif = [ "mac=00:16:3e:00:00:01 ,type=ioemu" ]\n', '"\\101"', '"true"', '[', ']', ',',
      '+=', '=', ';', '\n', '# xlsim: ignore=XL401\n', 'memroy', '"', "'", '\\', '\r', '\u0000', 'é', '-', '0x1F', ' ',
      'pci = [ "36:00.0@20" ]\n', 'constructor = "constructor"\n', 'vga = "constructor"\n', '# xlsim: ignore=constructor\n', 'channel = [ "connection=PTY" ]\n', 'rdm = "strategy=host,policy=strict"\n',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), fc.constantFrom('x86', 'arm'), (parts, arch) => {
        const text = parts.join('');
        const r = lintConfig(text, 'p.cfg', { facts: { nrCpus: 4, nrNodes: 1, arch: arch as 'x86' | 'arm' } });
        for (const d of [...r.diagnostics, ...r.suppressed]) {
          if (d.code === 'XL499') return false;
          if (d.range.start.offset < 0 || d.range.end.offset > text.length || d.range.end.offset < d.range.start.offset) return false;
        }
        return true;
      }),
      { numRuns: 300, seed: 4242 },
    );
  });
});

describe('messages about binary input are safe to print on a terminal', () => {
  it('escapes control characters and cuts long tokens in lexical-error messages', () => {
    // ESC [ 2 J would clear the user's screen if a message echoed it raw.
    const bytes = new Uint8Array([0x1b, 0x5b, 0x32, 0x4a, 0x07, ...enc.encode('X'.repeat(100)), 0x0a]);
    const r = lint(bytes);
    const lexical = r.diagnostics.filter((d) => d.code === 'XL001');
    expect(lexical.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) expect(d.message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(lexical[0]!.message).toContain('\\x1b');
    expect(lexical.every((d) => d.message.length < 300)).toBe(true);
  });
});
