import { describe, expect, it } from 'vitest';
import { lintBytes, lintConfig } from '../../src/parser/lint/lint.js';

const facts = { nrCpus: 8, nrNodes: 2, arch: 'x86' as const };
const lint = (t: string) => lintConfig(t, 'web.cfg', { facts });
const brief = (t: string) => lint(t).diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}`);
const at = (t: string, code: string) => {
  const d = lint(t).diagnostics.find((x) => x.code === code)!;
  return t.slice(d.range.start.offset, d.range.end.offset);
};

const MANY = [
  'name = "a"',
  'type = "hvm"',
  'uuid = "1234"',
  'on_crash = "reboot"',
  'vga = "vmware"',
  'disk = [ "/a.img,,xvda", "/b.img,,xvdb,foo=bar" ]',
  'vif = [ "brige=xenbr0", "mtu=jumbo" ]',
  'cpus = "3-1"',
  '',
].join('\n');

describe('xlsim check pipeline', () => {
  it('lists every fatal problem in one run where xl stops at the first', () => {
    expect(brief(MANY)).toEqual([
      '3:8 XL113',
      '4:12 XL115',
      '5:7 XL125',
      '6:40 XL201',
      '7:10 XL212',
      '7:30 XL211',
      '8:9 XL221',
    ]);
  });

  it('keeps xl\'s exact lines next to xlsim\'s explanations', () => {
    const d = lint(MANY).diagnostics.find((x) => x.code === 'XL201')!;
    expect(d.xl).toBe("web.cfg: config parsing error in disk specification: unknown parameter: near `foo=b' in `/b.img,,xvdb,foo=bar'");
    expect(lint(MANY).diagnostics.find((x) => x.code === 'XL113')!.xl).toBe('Failed to parse UUID: 1234');
  });

  it('locates sub-grammar messages inside the right list item', () => {
    expect(at(MANY, 'XL201')).toBe('foo');
    expect(at(MANY, 'XL211')).toBe('jumbo');
    expect(at(MANY, 'XL212')).toBe('brige=xenbr0');
  });

  it('adds a placeholder name so a missing name does not hide later errors', () => {
    expect(brief('type = "hvm"\nvga = "vmware"\n')).toEqual(['1:1 XL112', '2:7 XL125']);
  });

  it('stops re-running at a bad type, since every later check depends on it', () => {
    expect(lint('name = "a"\ntype = "HVM"\nvga = "vmware"\n').diagnostics.map((d) => d.code)).toEqual(['XL110']);
  });

  it('a lint rule that restates xl\'s message replaces it and keeps xl\'s line', () => {
    const r = lint('name = "a"\nkernel = "/k"\nvcpus = 4\nmaxvcpus = 2\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['XL414']);
    expect(r.diagnostics[0]!.xl).toBe('xl: maxvcpus < vcpus');
    const g = lint('name = "a"\nkernel = "/k"\nmemory = "lots"\n');
    expect(g.diagnostics.map((d) => [d.code, d.xl])).toEqual([['XL406', "web.cfg:3: warning: parameter `memory' is not a valid number"]]);
  });

  it('when the file does not parse: parse errors, per-statement rules, no xl processing', () => {
    const r = lint('memroy = 1024\ntype = hvm\nvga = "vmware"\n');
    expect(r.diagnostics.map((d) => `${d.range.start.line} ${d.code}`)).toEqual(['1 XL401', '2 XL002']);
    expect(r.settings).toEqual({});
  });

  it('sorts diagnostics by position', () => {
    const r = lint(MANY + 'memroy = 1\n');
    const offs = r.diagnostics.map((d) => d.range.start.offset);
    expect([...offs].sort((a, b) => a - b)).toEqual(offs);
  });

  it('a clean config has no diagnostics', () => {
    const clean = 'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 1024\nvcpus = 2\n' +
      'disk = [ "/dev/vg/web,raw,xvda,rw" ]\nvif = [ "bridge=xenbr0,mac=00:16:3e:12:34:56" ]\n';
    expect(lint(clean).diagnostics).toEqual([]);
  });

  it('lintBytes warns about a Latin-1 byte and still checks the rest', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('name = "caf'), 0xe9, ...new TextEncoder().encode('"\nmemroy = 1\n')]);
    const r = lintBytes(bytes, 'l1.cfg', { facts });
    expect(r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}`)).toEqual(['1:1 XL418', '1:12 XL006', '2:1 XL401']);
    expect(r.text.charAt(11)).toBe('é');
  });
});
