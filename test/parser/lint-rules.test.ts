import { describe, expect, it } from 'vitest';
import { lintConfig } from '../../src/parser/lint/lint.js';
import type { LintDiagnostic } from '../../src/parser/lint/checks.js';

const facts = { nrCpus: 8, nrNodes: 2, arch: 'x86' as const };

function lint(text: string) {
  return lintConfig(text, 'guest.cfg', { facts });
}
function codes(text: string): string[] {
  return lint(text).diagnostics.map((d) => d.code);
}
function only(text: string, code: string): LintDiagnostic[] {
  return lint(text).diagnostics.filter((d) => d.code === code);
}
/** The source text a diagnostic's range covers. */
function covered(text: string, d: LintDiagnostic): string {
  return text.slice(d.range.start.offset, d.range.end.offset);
}

const PV = 'name = "g"\nkernel = "/boot/vmlinuz"\n';
const HVM = 'name = "g"\ntype = "hvm"\n';

/**
 * One failing and one passing config per rule, and the exact text the diagnostic must
 * point at in the failing one.
 */
const CASES: Array<{ code: string; bad: string; at: string; good: string; severity: 'error' | 'warning' | 'info' }> = [
  { code: 'XL401', bad: PV + 'memroy = 1024\n', at: 'memroy', good: PV + 'memory = 1024\n', severity: 'warning' },
  { code: 'XL402', bad: PV + 'pvh = 1\n', at: 'pvh', good: 'name = "g"\ntype = "pvh"\nkernel = "/k"\n', severity: 'warning' },
  { code: 'XL403', bad: 'name = "g"\nbuilder = "hvm"\n', at: 'builder', good: HVM, severity: 'info' },
  { code: 'XL404', bad: HVM + 'acpi = "true"\n', at: '"true"', good: HVM + 'acpi = 1\n', severity: 'warning' },
  { code: 'XL405', bad: PV + 'memory = "512"\n', at: '"512"', good: PV + 'memory = 512\n', severity: 'info' },
  { code: 'XL406', bad: PV + 'memory = "512M"\n', at: '"512M"', good: PV + 'memory = 512\n', severity: 'warning' },
  { code: 'XL407', bad: PV + 'vcpus = 010\n', at: '010', good: PV + 'vcpus = 10\n', severity: 'warning' },
  { code: 'XL408', bad: 'name = "a\\101b"\nkernel = "/k"\n', at: '\\101', good: 'name = "aAb"\nkernel = "/k"\n', severity: 'warning' },
  { code: 'XL409', bad: PV + 'disk = "/a.img,,xvda"\n', at: '"/a.img,,xvda"', good: PV + 'disk = [ "/a.img,,xvda" ]\n', severity: 'warning' },
  { code: 'XL410', bad: PV + 'disk = [ "/a,,xvda", ["x"], "/b,,xvdb" ]\n', at: '["x"]', good: PV + 'disk = [ "/a,,xvda", "/b,,xvdb" ]\n', severity: 'warning' },
  { code: 'XL411', bad: PV + 'memory = 1024\nmemory = 512\n', at: 'memory', good: PV + 'memory = 1024\n', severity: 'warning' },
  { code: 'XL412', bad: PV + 'memory += 512\n', at: 'memory', good: PV + 'memory = 512\n', severity: 'warning' },
  { code: 'XL413', bad: PV + 'memory = 2048\nmaxmem = 1024\n', at: '2048', good: PV + 'memory = 1024\nmaxmem = 2048\n', severity: 'warning' },
  { code: 'XL414', bad: PV + 'vcpus = 4\nmaxvcpus = 2\n', at: '2', good: PV + 'vcpus = 2\nmaxvcpus = 4\n', severity: 'error' },
  { code: 'XL415', bad: PV + 'maxmem = 4096\n', at: 'maxmem', good: PV + 'memory = 1024\nmaxmem = 4096\n', severity: 'warning' },
  {
    code: 'XL416',
    bad: PV + 'vif = [ "mac=00:16:3e:00:00:01", "bridge=xenbr1,mac=00:16:3E:00:00:01" ]\n',
    at: '"bridge=xenbr1,mac=00:16:3E:00:00:01"',
    good: PV + 'vif = [ "mac=00:16:3e:00:00:01", "bridge=xenbr1,mac=00:16:3e:00:00:02" ]\n',
    severity: 'warning',
  },
  { code: 'XL417', bad: PV + 'disk = [ "/a,,xvda", "/b,,xvda" ]\n', at: '"/b,,xvda"', good: PV + 'disk = [ "/a,,xvda", "/b,,xvdb" ]\n', severity: 'error' },
  { code: 'XL418', bad: 'name = "g"\nmemory = 512\n', at: '', good: 'name = "g"\nbootloader = "pygrub"\n', severity: 'error' },
  { code: 'XL419', bad: PV + 'boot = "c"\n', at: 'boot', good: HVM + 'boot = "c"\n', severity: 'warning' },
  { code: 'XL420', bad: PV + 'timer_mode = "delay_for_missed_ticks"\n', at: 'timer_mode', good: HVM + 'timer_mode = "delay_for_missed_ticks"\n', severity: 'error' },
  { code: 'XL421', bad: PV + 'cmdline = "ro"\nroot = "/dev/xvda1"\n', at: 'root', good: PV + 'cmdline = "root=/dev/xvda1 ro"\n', severity: 'warning' },
  { code: 'XL422', bad: HVM + 'kernel = "/usr/lib/xen/boot/hvmloader"\n', at: 'kernel', good: HVM, severity: 'warning' },
  { code: 'XL423', bad: HVM + 'rdm = "strategy=host,policy=relaxed"\n', at: 'policy=relaxed', good: HVM + 'rdm = "strategy=host"\n', severity: 'warning' },
  { code: 'XL424', bad: HVM + 'mca_caps = [ "default" ]\n', at: '"default"', good: HVM + 'mca_caps = [ "lmce" ]\n', severity: 'error' },
  { code: 'XL425', bad: HVM + 'channel = [ "name=a,connection=PTY" ]\n', at: 'PTY', good: HVM + 'channel = [ "name=a,connection=pty" ]\n', severity: 'error' },
  {
    code: 'XL426',
    bad: HVM + "vsnd = [ [ 'CARD, short-name=M', 'PCM, name=M, sample-formats=s16_le;float_le', 'STREAM, unique-id=0, type=p' ] ]\n",
    at: 'float_le',
    good: HVM + "vsnd = [ [ 'CARD, short-name=M', 'PCM, name=M, sample-formats=s16_le;f32_le', 'STREAM, unique-id=0, type=p' ] ]\n",
    severity: 'error',
  },
  { code: 'XL427', bad: HVM + 'pci = [ "36:00.0@20,seize=1" ]\n', at: '@20', good: HVM + 'pci = [ "36:00.0@1f,seize=1" ]\n', severity: 'error' },
  { code: 'XL428', bad: PV + 'disk = [ "/dev/sdb,xvdb,w" ]\n', at: 'xvdb', good: PV + 'disk = [ "/dev/sdb,,xvdb,w" ]\n', severity: 'error' },
  { code: 'XL429', bad: 'name = "g"\ntype = "h"\n', at: '"h"', good: HVM, severity: 'warning' },
  { code: 'XL430', bad: PV + 'vcpus = 0\n', at: '0', good: PV + 'vcpus = 1\n', severity: 'warning' },
  { code: 'XL431', bad: PV + 'on_crash = "coredump_restart"\n', at: '"coredump_restart"', good: PV + 'on_crash = "coredump-restart"\n', severity: 'error' },
  { code: 'XL432', bad: PV + 'vfb = [ "vnc=yes,vnclisten=0.0.0.0" ]\n', at: 'yes', good: PV + 'vfb = [ "vnc=1,vnclisten=0.0.0.0" ]\n', severity: 'warning' },
  { code: 'XL433', bad: PV + 'vif = [ "bridge=xenbr0  , mac=00:16:3e:00:00:01" ]\n', at: '  ', good: PV + 'vif = [ "bridge=xenbr0, mac=00:16:3e:00:00:01" ]\n', severity: 'warning' },
  { code: 'XL434', bad: PV + 'disk = [ "target=/a.img,vdev=xvda" ]\n', at: 'target=/a.img,vdev=xvda', good: PV + 'disk = [ "vdev=xvda,target=/a.img" ]\n', severity: 'error' },
  {
    code: 'XL435',
    bad: HVM + 'memory = 1024\nmaxmem = 2048\npci = [ "03:00.0" ]\n',
    at: 'memory',
    good: HVM + 'memory = 2048\nmaxmem = 2048\npci = [ "03:00.0" ]\n',
    severity: 'error',
  },
  { code: 'XL436', bad: PV + 'vnuma = [ [ "pnode=0", "size=512", "vcpus=0", "vdistances=10" ] ]\n', at: 'vnuma', good: 'name = "g"\ntype = "pvh"\nkernel = "/k"\nvnuma = [ [ "pnode=0", "size=512", "vcpus=0", "vdistances=10" ] ]\n', severity: 'error' },
  { code: 'XL437', bad: HVM + 'extra = "console=ttyS0"\n', at: 'extra', good: HVM + 'kernel = "/k"\nextra = "console=ttyS0"\n', severity: 'error' },
  { code: 'XL438', bad: HVM + 'bios = "rombios"\n', at: '"rombios"', good: HVM + 'bios = "seabios"\n', severity: 'error' },
  { code: 'XL439', bad: PV + 'tsc_mode = "native_paravirt"\n', at: '"native_paravirt"', good: PV + 'tsc_mode = "default"\n', severity: 'error' },
  { code: 'XL440', bad: HVM + 'usb = 1\nusbversion = 2\n', at: 'usbversion', good: HVM + 'usbversion = 2\n', severity: 'error' },
  { code: 'XL441', bad: HVM + 'nestedhvm = 1\naltp2mhvm = 1\n', at: 'altp2mhvm', good: HVM + 'nestedhvm = 1\n', severity: 'error' },
  { code: 'XL442', bad: PV + 'vif = [ "bridge=xenbr0,type=ioemu" ]\n', at: 'type=ioemu', good: HVM + 'vif = [ "bridge=xenbr0,type=ioemu" ]\n', severity: 'error' },
  { code: 'XL443', bad: PV + 'channel = [ "connection=pty" ]\n', at: '"connection=pty"', good: PV + 'channel = [ "name=a,connection=pty" ]\n', severity: 'error' },
  { code: 'XL444', bad: HVM + 'videoram = 4\n', at: '4', good: HVM + 'videoram = 8\n', severity: 'error' },
  { code: 'XL445', bad: PV + 'ioports = [ "3ff-3f8" ]\n', at: '"3ff-3f8"', good: PV + 'ioports = [ "3f8-3ff" ]\n', severity: 'warning' },
  { code: 'XL446', bad: PV + 'memory = "-512"\n', at: '"-512"', good: PV + 'memory = 512\n', severity: 'warning' },
  { code: 'XL447', bad: PV + 'p9 = [ "tag=s,path=/srv" ]\n', at: '"tag=s,path=/srv"', good: PV + 'p9 = [ "tag=s,path=/srv,security_model=none" ]\n', severity: 'error' },
  { code: 'XL448', bad: PV + 'vuart = "sbsa_uart"\n', at: 'vuart', good: PV, severity: 'warning' },
  { code: 'XL449', bad: 'name = "g"\nfirmware = "pvgrub"\n', at: '"pvgrub"', good: 'name = "g"\nfirmware = "pvgrub64"\n', severity: 'warning' },
  { code: 'XL450', bad: HVM + 'passthrough = "disabled"\npci = [ "03:00.0" ]\n', at: '"disabled"', good: HVM + 'pci = [ "03:00.0" ]\n', severity: 'error' },
  { code: 'XL451', bad: PV + 'usbctrl = [ "type=qusb,ports=32" ]\n', at: '"type=qusb,ports=32"', good: PV + 'usbctrl = [ "type=qusb,ports=31" ]\n', severity: 'error' },
];

describe('lint rules: one failing and one passing config each', () => {
  for (const c of CASES) {
    it(`${c.code} fires on the bad config at ${JSON.stringify(c.at)}`, () => {
      const hits = only(c.bad, c.code);
      expect(hits.length, JSON.stringify(lint(c.bad).diagnostics, null, 1)).toBeGreaterThan(0);
      expect(hits[0]!.severity).toBe(c.severity);
      expect(covered(c.bad, hits[0]!)).toBe(c.at);
    });
    it(`${c.code} stays quiet on the good config`, () => {
      expect(codes(c.good)).not.toContain(c.code);
    });
  }
});

describe('lint messages say what xl will do', () => {
  it('suggests the nearest key for a typo and offers a rename fix', () => {
    const [d] = only(PV + 'memroy = 1024\n', 'XL401');
    expect(d!.message).toBe("unknown key `memroy': xl silently ignores it; did you mean `memory'?");
    expect(d!.range.start).toEqual({ line: 3, column: 1, offset: 36 });
    expect(d!.fix?.edits[0]?.text).toBe('memory');
  });

  it('does not offer to unquote what the lexer cannot read unquoted', () => {
    expect(codes(PV + 'rtc_timeoffset = "-5"\n')).not.toContain('XL405');
    const [d] = only(PV + 'rtc_timeoffset = "-010"\n', 'XL407');
    expect(d!.fix?.edits[0]?.text).toBe('"-10"');
  });

  it('explains octal numbers with the value xl reads', () => {
    const [d] = only(PV + 'memory = 010\n', 'XL407');
    expect(d!.message).toContain('`memory\' = 8, not 10');
    const [e] = only(PV + 'memory = 0800\n', 'XL407');
    expect(e!.message).toContain('not a valid number');
    expect(e!.xl).toBe("guest.cfg:3: warning: parameter `memory' is not a valid number");
  });

  it('tells that an octal escape vanishes and shows the string xl reads', () => {
    const [d] = only('name = "a\\101b"\nkernel = "/k"\n', 'XL408');
    expect(d!.message).toContain('reads as "ab"');
    expect(d!.range.start.column).toBe(10);
  });

  it('finds octal escapes exactly as libxlu swallows them (strtoul leniency included)', () => {
    const text = 'name = "a\\0123b\\1 23c\\\\101"\nkernel = "/k"\n';
    const ds = only(text, 'XL408');
    expect(ds.map((d) => covered(text, d))).toEqual(['\\0123', '\\1 23']);
    expect(lint(text).settings['name']).toBe('abc\\101');
  });

  it('reports the dropped assignment of a repeated key, naming the line that wins', () => {
    const text = PV + 'memory = 1024\nvcpus = 1\nmemory = 512\n';
    const [d] = only(text, 'XL411');
    expect(d!.range.start.line).toBe(3);
    expect(d!.message).toContain('assigned again on line 5');
  });

  it('does not call an earlier value dropped when += appends to it', () => {
    expect(codes(PV + 'extra = "a"\nextra += " b"\n')).not.toContain('XL411');
    expect(lint(PV + 'extra = "a"\nextra += " b"\n').settings['extra']).toBe('a b');
  });

  it('counts the items a nested list drops', () => {
    const [d] = only(PV + 'disk = [ "/a,,xvda", ["x"], "/b,,xvdb" ]\n', 'XL410');
    expect(d!.message).toContain('this item and the 1 after it are silently dropped');
  });

  it('does not flag nested lists where xl reads them (vnuma)', () => {
    const text = 'name = "g"\ntype = "hvm"\nvnuma = [ [ "pnode=0", "size=512", "vcpus=0", "vdistances=10" ] ]\n';
    expect(codes(text)).not.toContain('XL410');
  });

  it('offers the disk spec with an empty format field', () => {
    const [d] = only(PV + 'disk = [ "/dev/sdb,xvdb,w" ]\n', 'XL428');
    expect(d!.fix?.edits[0]?.text).toBe('"/dev/sdb,,xvdb,w"');
  });

  it('accepts the old prefixed positional form phy:/dev/sdb,xvdb,w', () => {
    expect(codes(PV + 'disk = [ "phy:/dev/sdb,xvdb,w" ]\n')).not.toContain('XL428');
  });

  it('treats "yes"/"on" like "true" for boolean keys and offers 1/0', () => {
    for (const w of ['yes', 'on', 'True']) {
      const [d] = only(HVM + `hpet = "${w}"\n`, 'XL404');
      expect(d!.fix?.edits[0]?.text).toBe('1');
    }
    const [off] = only(HVM + 'hpet = "off"\n', 'XL404');
    expect(off!.fix?.edits[0]?.text).toBe('0');
  });

  it('for a size or count, "true" is just not a number (XL406), with no boolean advice', () => {
    const c = codes(PV + 'memory = "true"\n');
    expect(c).toContain('XL406');
    expect(c).not.toContain('XL404');
  });

  it('names the guest type a key is ignored for', () => {
    const [d] = only(HVM + 'e820_host = 1\n', 'XL419');
    expect(d!.message).toBe("`e820_host' is read only for PV guests; this is a HVM guest, so xl silently ignores it");
  });

  it('points out a missing type when a PV guest without kernel sets HVM-only keys', () => {
    const [d] = only('name = "g"\nboot = "c"\nacpi_s3 = 1\n', 'XL418');
    expect(d!.message).toContain('sets HVM-only keys (boot, acpi_s3) but no type');
  });

  it('explains xm keys and xl.conf keys instead of guessing', () => {
    expect(only(PV + 'initrd = "/boot/initrd"\n', 'XL401')[0]!.message).toBe(
      "unknown key `initrd': xl silently ignores it (an xm/xend key; xl calls it ramdisk)",
    );
    expect(only(PV + 'autoballoon = "off"\n', 'XL401')[0]!.message).toBe(
      "unknown key `autoballoon': xl silently ignores it; it is an xl.conf setting (/etc/xen/xl.conf), not a domain config key",
    );
  });

  it('does not mistake the xend empty CD-ROM form for a misplaced vdev', () => {
    expect(codes(HVM + 'disk = [ "/a.img,,hda,w", ",hdc:cdrom,r" ]\n')).not.toContain('XL428');
  });

  it('explains HVM firmware prefixes and case', () => {
    expect(only(HVM + 'firmware = ""\n', 'XL449')[0]!.message).toContain('is read as "uefi" (OVMF)');
    expect(only(HVM + 'firmware = "UEFI"\n', 'XL449')[0]!.message).toContain('read as the path of a firmware file');
    expect(codes(HVM + 'firmware = "uefi"\n')).not.toContain('XL449');
    expect(codes(HVM + 'firmware = "seabios"\n')).not.toContain('XL449');
  });

  it('knows the USB controller default type and the PoD + altp2m refusal', () => {
    expect(codes(HVM + 'usbctrl = [ "version=1,ports=6" ]\n')).toContain('XL451');
    expect(codes(HVM + 'usbctrl = [ "version=1,ports=2" ]\n')).not.toContain('XL451');
    expect(only(HVM + 'memory = 512\nmaxmem = 1024\naltp2m = "mixed"\n', 'XL435')[0]!.message).toContain('ALTP2M');
  });

  it('judges architecture-specific keys against the host', () => {
    const arm = lintConfig(PV + 'vuart = "sbsa_uart"\ncpuid = "host"\n', 'guest.cfg', { facts: { ...facts, arch: 'arm' } });
    expect(arm.diagnostics.filter((d) => d.code === 'XL448').map((d) => d.message)).toEqual([
      "`cpuid' only means something on x86 hosts; this host is Arm, so it has no effect (or libxl refuses it at create)",
    ]);
  });

  it('is not fooled by keys and values named like Object.prototype members', () => {
    const r = lint(HVM + 'constructor = "constructor"\nacpi = "constructor"\nvga = "constructor"\n');
    expect(r.diagnostics.filter((d) => d.code === 'XL401').map((d) => d.message)).toEqual([
      "unknown key `constructor': xl silently ignores it",
    ]);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('XL404');
  });

  it('reports an HVM guest without kernel as fine (no XL418)', () => {
    expect(codes(HVM)).not.toContain('XL418');
  });
});

describe('settings: what xl would read', () => {
  it('resolves last-wins, += and nested lists', () => {
    const text = 'name = "g"\nkernel = "/k"\nmemory = 1\nmemory = 2\ndisk = ["a"]\ndisk += ["b"]\nvnuma = [["pnode=0"], []]\n';
    expect(lint(text).settings).toEqual({
      name: 'g',
      kernel: '/k',
      memory: '2',
      disk: ['a', 'b'],
      vnuma: [['pnode=0'], []],
    });
  });
});

describe('fixes', () => {
  it('each fix offered on a failing config makes its diagnostic go away', async () => {
    const { applyFixes } = await import('../../src/parser/lint/fix.js');
    let withFix = 0;
    for (const c of CASES) {
      const hits = only(c.bad, c.code).filter((d) => d.fix !== undefined);
      if (hits.length === 0) continue;
      withFix++;
      const fixed = applyFixes(c.bad, hits);
      expect(fixed.skipped, c.code).toEqual([]);
      expect(codes(fixed.text), `${c.code} after fix: ${fixed.text}`).not.toContain(c.code);
    }
    expect(withFix).toBeGreaterThanOrEqual(8);
  });

  it('applies several fixes in one pass and skips overlapping ones', async () => {
    const { applyFixes } = await import('../../src/parser/lint/fix.js');
    const text = PV + 'memroy = "512"\nvcpus = 010\nacpi = "yes"\n';
    const r = lint(text);
    const out = applyFixes(text, r.diagnostics);
    expect(out.text).toBe(PV + 'memory = "512"\nvcpus = 10\nacpi = 1\n');
    const twice = applyFixes(text, [...r.diagnostics, ...r.diagnostics]);
    expect(twice.text).toBe(out.text);
    expect(twice.skipped.length).toBe(out.applied.length);
  });
});
