import { describe, expect, it } from 'vitest';
import { applyCompletion, complete, optionsIn, xlCompletionContext, type CompletionContext } from '../../src/tui/complete.js';

const FILES: Record<string, { name: string; dir: boolean }[]> = {
  '.': [
    { name: 'etc', dir: true },
    { name: 'web.cfg', dir: false },
    { name: '.hidden', dir: false },
  ],
  'etc/': [
    { name: 'xen', dir: true },
    { name: 'hosts', dir: false },
  ],
};
const ctx: CompletionContext = {
  commands: ['create', 'console', 'list', 'pause', 'unpause', 'vcpu-list', 'vcpu-pin'],
  usageOf: (c) =>
    ({
      create: { usage: '<ConfigFile> [options] [vars]', options: '-h                      Print this help.\n-p                      Leave paused.\n-f FILE, --defconfig=FILE\n    Use it.\n-q, --quiet             Quiet.' },
      pause: { usage: '<Domain>' },
      list: { usage: '[options] [Domain]\n', options: '-l, --long              Output all.\n-v, --verbose           Verbose.' },
    })[c],
  domains: [
    { name: 'Domain-0', domid: 0 },
    { name: 'web', domid: 3 },
    { name: 'webmail', domid: 12 },
  ],
  listDir: (d) => FILES[d] ?? [],
};

describe('palette completion', () => {
  it('completes command names at the start, after an optional xl', () => {
    expect(complete('vc', 2, ctx)).toMatchObject({ start: 0, candidates: ['vcpu-list', 'vcpu-pin'], common: 'vcpu-' });
    expect(complete('xl un', 5, ctx).candidates).toEqual(['unpause']);
    expect(applyCompletion('xl un', complete('xl un', 5, ctx))).toEqual({ line: 'xl unpause ', cursor: 11 });
  });
  it("completes the command's own options from its help", () => {
    expect(complete('list -', 6, ctx).candidates).toEqual(['--long', '--verbose', '-l', '-v']);
    expect(complete('create --d', 10, ctx).candidates).toEqual(['--defconfig']);
    expect(optionsIn('-f FILE, --defconfig=FILE\n-h   Help.')).toEqual(['-f', '--defconfig', '-h']);
  });
  it('completes domain names and domids where the usage takes a Domain', () => {
    expect(complete('pause we', 8, ctx)).toMatchObject({ candidates: ['web', 'webmail'], common: 'web' });
    expect(complete('pause 1', 7, ctx).candidates).toEqual(['12']);
    expect(applyCompletion('pause webm', complete('pause webm', 10, ctx)).line).toBe('pause webmail ');
  });
  it('completes file paths where the usage takes a file, directories with a slash', () => {
    expect(complete('create ', 7, ctx).candidates).toEqual(['etc/', 'web.cfg']);
    expect(complete('create e', 8, ctx).candidates).toEqual(['etc/']);
    expect(applyCompletion('create e', complete('create e', 8, ctx)).line).toBe('create etc/');
    expect(complete('create etc/h', 12, ctx).candidates).toEqual(['etc/hosts']);
  });
  it('offers nothing it cannot back, and keeps the word', () => {
    const c = complete('frobnicate', 10, ctx);
    expect(c.candidates).toEqual([]);
    expect(applyCompletion('frobnicate', c).line).toBe('frobnicate');
  });
  it("works over the real command table: xl's commands and options", () => {
    const real = xlCompletionContext([{ name: 'web', domid: 3 }]);
    expect(complete('vcpu-', 5, real).candidates).toEqual(expect.arrayContaining(['vcpu-list', 'vcpu-pin', 'vcpu-set']));
    expect(complete('list --l', 8, real).candidates).toEqual(['--long']);
    expect(complete('shutdown w', 10, real).candidates).toEqual(['web']);
  });
});
