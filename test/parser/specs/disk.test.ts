/** Disk specs as xl reads them (xl-cfg-format.md §4.1, libxlu_disk_l.l). */
import { describe, expect, it } from 'vitest';
import { parseDiskSpecs } from '../../../src/parser/specs/disk.js';
import { vdevToDevid } from '../../../src/parser/specs/vdev.js';

const disk = (spec: string) => parseDiskSpecs([spec], 'vm.cfg');
const texts = (spec: string) => disk(spec).messages.map((m) => m.text);
const E = (what: string, spec: string) => `vm.cfg: config parsing error in disk specification: ${what} in \`${spec}'\n`;

describe('accepted disk specs', () => {
  it('reads the four positional fields target, format, vdev, access', () => {
    const r = disk('/images/vm.qcow2,qcow2,xvda,ro');
    expect(r.value).toEqual({ pdev_path: '/images/vm.qcow2', vdev: 'xvda', format: 'qcow2' });
    expect(r.messages).toEqual([]);
    expect(r.exitCode).toBeUndefined();
  });

  it('keeps libxl JSON key order', () => {
    const r = disk('script=block-foo,backendtype=qdisk,target=/x,vdev=xvdb');
    // target= eats the rest, so vdev=xvdb is inside the path: no vdev.
    expect(r.exitCode).toBe(1);
    const ok = disk('script=block-foo,vdev=xvdb,backend=dom1,backendtype=qdisk,specification=xen,direct-io-safe,target=/x');
    expect(Object.keys(ok.value!)).toEqual([
      'backend_domname', 'pdev_path', 'vdev', 'backend', 'format', 'script', 'readwrite', 'direct_io_safe', 'specification',
    ]);
    expect(ok.value).toMatchObject({ backend_domname: 'dom1', backend: 'qdisk', script: 'block-foo', direct_io_safe: true, specification: 'xen' });
  });

  it('skips white space before a field but keeps it inside or after a value', () => {
    expect(disk(' /x , , xvda').value).toEqual({ pdev_path: '/x ', vdev: 'xvda', format: 'raw', readwrite: 1 });
  });

  it('chains deprecated prefixes and switches to the xm positional order', () => {
    expect(disk('tap:aio:/images/a.img,xvda,w').value).toEqual({ pdev_path: '/images/a.img', vdev: 'xvda', format: 'raw', readwrite: 1 });
    expect(disk('tap2:vhd:/x.vhd,xvdb,r').value).toEqual({ pdev_path: '/x.vhd', vdev: 'xvdb', format: 'vhd' });
    expect(disk('phy:/dev/sdb,xvdb,w').value).toEqual({ pdev_path: '/dev/sdb', vdev: 'xvdb', format: 'raw', readwrite: 1 });
    expect(disk('nbd:host:1234,xvdc').value).toEqual({ pdev_path: 'host:1234', vdev: 'xvdc', format: 'raw', script: 'block-nbd', readwrite: 1 });
  });

  it('reads a word: followed by a digit as part of the target', () => {
    expect(disk('myhost:1234,,xvda').value).toEqual({ pdev_path: 'myhost:1234', vdev: 'xvda', format: 'raw', readwrite: 1 });
  });

  it('skips the format slot when format= came first', () => {
    expect(disk('format=raw,/x,xvda,ro').value).toEqual({ pdev_path: '/x', vdev: 'xvda', format: 'raw' });
  });

  it('lets a flag word win over a positional of the same text but not a longer one', () => {
    expect(disk('discard.img,,xvda').value).toEqual({ pdev_path: 'discard.img', vdev: 'xvda', format: 'raw', readwrite: 1 });
    expect(disk('/x,,xvda,discard').value).toEqual({ pdev_path: '/x', vdev: 'xvda', format: 'raw', readwrite: 1, discard_enable: 'True' });
  });

  it('makes a cdrom read-only even with access=rw, and empty without a target', () => {
    expect(disk('access=rw,devtype=cdrom,vdev=hdc,target=/iso').value).toEqual({
      pdev_path: '/iso', vdev: 'hdc', format: 'raw', removable: 1, is_cdrom: 1,
    });
    expect(disk('phy:/dev/sr0,hdc:cdrom,r').value).toEqual({ pdev_path: '/dev/sr0', vdev: 'hdc', format: 'raw', removable: 1, is_cdrom: 1 });
  });

  it('lets an empty string field be overwritten, and the same format be repeated', () => {
    expect(disk('vdev=,vdev=xvda,format=raw,format=raw,target=/x').value).toEqual({ pdev_path: '/x', vdev: 'xvda', format: 'raw', readwrite: 1 });
  });

  it('reads COLO and virtio settings', () => {
    expect(disk('colo,colo-host=h,colo-port=9000,colo-export=e,active-disk=/a,hidden-disk=/h,grant_usage=0,vdev=xvda,target=/x').value).toEqual({
      pdev_path: '/x', vdev: 'xvda', format: 'raw', readwrite: 1, colo_enable: 'True', colo_host: 'h', colo_port: 9000,
      colo_export: 'e', active_disk: '/a', hidden_disk: '/h', grant_usage: 'False',
    });
  });

  it('carries state across block-attach arguments', () => {
    expect(parseDiskSpecs(['/x', 'qcow2', 'xvda'], 'command line').value).toEqual({ pdev_path: '/x', vdev: 'xvda', format: 'qcow2', readwrite: 1 });
    // the deprecated-prefix switch to xm order persists into the next argument
    expect(parseDiskSpecs(['phy:/x', 'xvda', 'r'], 'command line').value).toEqual({ pdev_path: '/x', vdev: 'xvda', format: 'raw' });
    // without a prefix the 2nd argument is the format
    expect(parseDiskSpecs(['/x', 'xvda'], 'command line').messages.map((m) => m.text)).toEqual([
      "command line: config parsing error in disk specification: unknown value for format: near `xvda' in `xvda'\n",
    ]);
  });

  it('warns (xlsim only) when target= swallowed later settings', () => {
    const r = disk('vdev=xvda,target=/x,access=ro');
    expect(r.value).toEqual({ pdev_path: '/x,access=ro', vdev: 'xvda', format: 'raw', readwrite: 1 });
    expect(r.exitCode).toBeUndefined();
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ text: '', severity: 'warning', code: 'XL202', span: [17, 29] });
    expect(r.messages[0]!.message).toContain('move target= to the end');
  });
});

describe('rejected disk specs', () => {
  it('rejects the xm-style "/dev/sdb,xvdb,w" and says how to fix it', () => {
    const r = disk('/dev/sdb,xvdb,w');
    expect(r.exitCode).toBe(1);
    expect(r.value).toBeUndefined();
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]!.text).toBe(E('unknown value for format: near `xvdb\'', '/dev/sdb,xvdb,w'));
    expect(r.messages[0]!.code).toBe('XL201');
    expect(r.messages[0]!.span).toEqual([9, 13]);
    expect(r.messages[0]!.message).toContain('"/dev/sdb,,xvdb,w"');
    expect(r.messages[0]!.message).toContain('vdev=xvdb');
  });

  it('shows only one value character for an unknown parameter', () => {
    expect(texts('foo=bar,/x,,xvda')).toEqual([E("unknown parameter: near `foo=b'", 'foo=bar,/x,,xvda')]);
    expect(texts('foo=b,/x,,xvda')).toEqual([E("unknown parameter: near `foo=b,'", 'foo=b,/x,,xvda')]);
  });

  it('reports a missing vdev when target= ate it', () => {
    expect(texts('target=/a,vdev=xvda')).toEqual([E('no vdev specified', 'target=/a,vdev=xvda')]);
  });

  it('reports a missing target for a plain disk', () => {
    expect(texts('vdev=xvda')).toEqual([E('no target specified (and device not removable)', 'vdev=xvda')]);
  });

  it('stops at an unknown deprecated prefix', () => {
    expect(texts('myhost:/p,,xvda')).toEqual([E("unknown deprecated disk prefix: near `myhost:'", 'myhost:/p,,xvda')]);
  });

  it('quotes the yytext of devtype= with its comma', () => {
    expect(texts('devtype=floppy,/x,,xvda')).toEqual([E("unknown value for type: near `devtype=floppy,'", 'devtype=floppy,/x,,xvda')]);
  });

  it('keeps processing named settings after an error', () => {
    expect(texts('access=x,access=y')).toEqual([
      E("unknown value for access: near `x'", 'access=x,access=y'),
      E("unknown value for access: near `y'", 'access=x,access=y'),
    ]);
  });

  it('rejects conflicting settings', () => {
    expect(texts('format=raw,format=qcow2,/x,xvda')).toEqual([E("format respecified: near `qcow2'", 'format=raw,format=qcow2,/x,xvda')]);
    expect(texts('vdev=xvda,vdev=xvdb,target=/x')).toEqual([E("vdev respecified: near `xvdb'", 'vdev=xvda,vdev=xvdb,target=/x')]);
    expect(texts('backendtype=phy,backendtype=qdisk,vdev=xvda,target=/x')).toEqual([
      E("backend respecified: near `qdisk'", 'backendtype=phy,backendtype=qdisk,vdev=xvda,target=/x'),
    ]);
    expect(texts('format=raw,qcow2:/x,xvda')).toEqual([E("format respecified: near `qcow2'", 'format=raw,qcow2:/x,xvda')]);
    expect(texts('script=s,iscsi:t,xvda')).toEqual([E("script respecified: near `block-iscsi'", 'script=s,iscsi:t,xvda')]);
  });

  it('rejects unknown enum values', () => {
    expect(texts('backendtype=xen,vdev=xvda,target=/x')).toEqual([E("unknown value for backendtype: near `xen'", 'backendtype=xen,vdev=xvda,target=/x')]);
    expect(texts('specification=kvm,vdev=xvda,target=/x')).toEqual([E("unknown value for specification: near `kvm'", 'specification=kvm,vdev=xvda,target=/x')]);
    expect(texts('colo-port=abc,vdev=xvda,target=/x')).toEqual([E("unknown value for colo_port: near `abc'", 'colo-port=abc,vdev=xvda,target=/x')]);
    expect(texts('/x,,hdc:floppy')).toEqual([E("unknown deprecated type: near `floppy'", '/x,,hdc:floppy')]);
  });

  it('turns an upper-case or underscore key into a positional and then bad syntax', () => {
    expect(texts('Vdev=hdb,/x')).toEqual([E("bad disk syntax: near `='", 'Vdev=hdb,/x')]);
    expect(texts('/x,,xvda,Vdev=hdb')).toEqual([E("unknown value for access: near `Vdev'", '/x,,xvda,Vdev=hdb'), E("bad disk syntax: near `='", '/x,,xvda,Vdev=hdb')]);
    expect(texts('grant_usage=2,vdev=xvda,target=/x')).toEqual([E("bad disk syntax: near `='", 'grant_usage=2,vdev=xvda,target=/x')]);
  });

  it('stops after too many positional fields', () => {
    expect(texts('/x,raw,xvda,w,extra,more')).toEqual([E("too many positional parameters: near `extra'", '/x,raw,xvda,w,extra,more')]);
  });

  it('ignores later arguments once one block-attach argument failed', () => {
    const r = parseDiskSpecs(['foo=1', 'bar=2'], 'command line');
    expect(r.messages.map((m) => m.text)).toEqual([
      "command line: config parsing error in disk specification: unknown parameter: near `foo=1' in `foo=1'\n",
    ]);
    expect(r.exitCode).toBe(1);
  });

  it('never throws on odd input', () => {
    for (const s of ['', ',', '=', '\n', 'target=', ':', 'a:', '\t,\t', 'x'.repeat(5000)]) {
      expect(() => disk(s)).not.toThrow();
    }
  });
});

describe('vdevToDevid', () => {
  it.each([
    ['xvda', 51712], ['xvdb', 51728], ['xvda1', 51713], ['xvdp15', 51967], ['xvdq', 268439552], ['xvdaa', 268442112],
    ['xvda16', 268435472], ['d0p0', 51712], ['d1p2', 51730], ['hda', 768], ['hdb', 832], ['hdc', 5632], ['hdd', 5696],
    ['hda63', 831], ['sda', 2048], ['sdb', 2064], ['sda1', 2049], ['sdp15', 2303], ['51712', 51712], ['0x10', 16],
  ])('%s → %i', (vdev, n) => expect(vdevToDevid(vdev)).toBe(n));

  it.each(['xvda0', 'xvda256', 'hde', 'hda64', 'sdq', 'sda16', 'foo', 'xvd', '2147483648', 'xvdA', 'cdrom'])('%s is invalid', (vdev) => {
    expect(vdevToDevid(vdev)).toBeUndefined();
  });
});

describe('disk properties', () => {
  it('never throws, and fails exactly when it has no value', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom(...'abcdrwxv:=,/ \t\n-_0123456789'.split('')), maxLength: 30 }), { maxLength: 3 }), (specs) => {
        const r = parseDiskSpecs(specs, 'vm.cfg');
        expect(r.value === undefined).toBe(r.exitCode === 1);
        for (const m of r.messages) {
          if (m.severity === 'error') expect(m.text).toMatch(/^vm\.cfg: config parsing error in disk specification: [\s\S]* in `[\s\S]*'\n$/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any plain path and xvd name through "PATH,,VDEV,ro"', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.stringMatching(/^\/[A-Za-z0-9._/-]{0,20}$/), fc.stringMatching(/^xvd[a-z]{1,2}$/), (path, vdev) => {
        expect(parseDiskSpecs([`${path},,${vdev},ro`], 'vm.cfg')).toEqual({ value: { pdev_path: path, vdev, format: 'raw' }, messages: [] });
      }),
      { numRuns: 200 },
    );
  });
});

describe('backend name conflicts', () => {
  it('reports backend= given twice', () => {
    expect(texts('backend=d1,backend=d2,vdev=xvda,target=/x')).toEqual([E("backend respecified: near `d2'", 'backend=d1,backend=d2,vdev=xvda,target=/x')]);
  });
});

describe('no spec at all', () => {
  it('prints glibc\'s (null) for the missing spec string', () => {
    expect(parseDiskSpecs([], 'command line').messages.map((m) => m.text)).toEqual([
      "command line: config parsing error in disk specification: no vdev specified in `(null)'\n",
    ]);
  });
});
