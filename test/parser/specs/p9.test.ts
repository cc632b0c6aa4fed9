import { describe, expect, it } from 'vitest';
import { parseP9Spec } from '../../../src/parser/specs/p9.js';

describe('parseP9Spec (xl-cfg-format.md §4.6)', () => {
  it('parses a qemu share, trimming keys and values', () => {
    const r = parseP9Spec(' tag = share ,path=/srv/share,security_model=none,backend=dom0', 'vm1');
    expect(r.messages).toEqual([]);
    expect(r.value).toEqual({ backend_domname: 'dom0', tag: 'share', path: '/srv/share', security_model: 'none' });
    expect(Object.keys(r.value!)).toEqual(['backend_domname', 'tag', 'path', 'security_model']);
  });

  it('fills xen_9pfsd defaults from the domain name', () => {
    const r = parseP9Spec('type=XEN_9PFSD,security_model=none', 'web01');
    expect(r.value).toEqual({
      tag: 'Xen',
      path: '/var/log/xen/guests/web01',
      security_model: 'none',
      type: 'xen_9pfsd',
      max_open_files: 5,
    });
  });

  it('keeps explicit xen_9pfsd values and reads the max-* numbers', () => {
    expect(
      parseP9Spec('type=xen_9pfsd,tag=t,path=/p,max-space=64,max-files=100,max-open-files=7,auto-delete=1', 'x').value,
    ).toEqual({ tag: 't', path: '/p', type: 'xen_9pfsd', max_space: 64, max_files: 100, max_open_files: 7, auto_delete: true });
  });

  it('prints a bad field without a trailing newline', () => {
    const r = parseP9Spec('tag=a,readonly', 'vm');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['failed to parse 9pfs configuration: readonly']);
    expect(r.messages[0]!.code).toBe('XL307');
  });

  it('rejects a bad type', () => {
    expect(parseP9Spec('type=virtfs', 'vm').messages.map((m) => m.text)).toEqual(['failed to parse 9pfs type: virtfs\n']);
  });

  it('rejects non-numbers in max-* (parse_ulong), tolerating trailing junk', () => {
    const r = parseP9Spec('max-files=lots', 'vm');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['xl: failed to convert "lots" to number\n']);
    expect(parseP9Spec('max-files=-1', 'vm').messages[0]!.text).toBe('xl: failed to convert "-1" to number\n');
    expect(parseP9Spec('max-files=10k', 'vm').value).toEqual({ max_files: 10 });
  });

  it('rejects unknown keys', () => {
    const r = parseP9Spec('tag=a,mode=ro', 'vm');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(["Unknown 9pfs parameter 'mode'\n"]);
  });

  it('leaves type out when unset or unknown (libxl defaults it to qemu)', () => {
    expect(parseP9Spec('tag=a,type=unknown', 'vm').value).toEqual({ tag: 'a' });
  });
});
