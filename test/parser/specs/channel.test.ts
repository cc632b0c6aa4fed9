import { describe, expect, it } from 'vitest';
import { parseChannelSpec } from '../../../src/parser/specs/channel.js';

describe('parseChannelSpec (xl-cfg-format.md §4.4)', () => {
  it('parses a pty channel, trimming keys and values', () => {
    const r = parseChannelSpec(' name = org.qemu.guest_agent.0 , connection=pty,backend=dom0');
    expect(r.messages).toEqual([]);
    expect(r.value).toEqual({ backend_domname: 'dom0', name: 'org.qemu.guest_agent.0', connection: 'pty' });
  });

  it('parses a socket channel with its path (a value may contain "=")', () => {
    expect(parseChannelSpec('name=c,connection=socket,path=/var/run/a=b.sock').value).toEqual({
      name: 'c',
      connection: 'socket',
      path: '/var/run/a=b.sock',
    });
  });

  it('drops path for pty', () => {
    expect(parseChannelSpec('connection=pty,path=/x').value).toEqual({ connection: 'pty' });
  });

  it('rejects the man page upper-case PTY with a clear explanation', () => {
    const r = parseChannelSpec('name=a,connection=PTY');
    expect(r.value).toBeUndefined();
    expect(r.exitCode).toBe(1);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]!.text).toBe("unknown channel connection 'PTY'\n");
    expect(r.messages[0]!.message).toContain("xl only accepts lower-case `pty` or `socket`; the man page's upper-case spelling is rejected");
  });

  it('prints the field without a trailing newline when it has no "=" or no value', () => {
    const a = parseChannelSpec('name=a,pty');
    expect(a.exitCode).toBe(1);
    expect(a.messages[0]).toMatchObject({ text: 'failed to parse channel configuration: pty', code: 'XL303', span: [7, 10] });
    expect(parseChannelSpec('name=,connection=pty').messages[0]!.text).toBe('failed to parse channel configuration: name=');
    expect(parseChannelSpec('connection=pty, ').messages[0]!.text).toBe('failed to parse channel configuration:  ');
  });

  it('warns about unknown keys and goes on', () => {
    const r = parseChannelSpec('name=a,Type=x,connection=pty');
    expect(r.exitCode).toBeUndefined();
    expect(r.value).toEqual({ name: 'a', connection: 'pty' });
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ text: "unknown channel parameter 'Type', ignoring\n", severity: 'warning' });
  });

  it('requires a connection', () => {
    const r = parseChannelSpec('name=a,foo=1');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual([
      "unknown channel parameter 'foo', ignoring\n",
      "channel has unknown 'connection'\n",
    ]);
  });

  it('requires path for socket', () => {
    const r = parseChannelSpec('name=a,connection=socket');
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(["channel connection 'socket' requires path=..\n"]);
  });

  it('does not require a name (libxl checks that later)', () => {
    expect(parseChannelSpec('connection=pty').value).toEqual({ connection: 'pty' });
  });

  it('drops empty fields', () => {
    expect(parseChannelSpec(',,connection=pty,,').value).toEqual({ connection: 'pty' });
  });
});
