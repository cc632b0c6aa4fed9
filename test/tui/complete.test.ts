import { describe, expect, it } from 'vitest';
import { complete as replComplete, type CompletionSources } from '../../src/toolstack/complete.js';
import { applyCompletion, complete, xlCompletionContext } from '../../src/tui/complete.js';
import { commandNames } from '../../src/toolstack/program.js';

const FILES: Record<string, { name: string; dir: boolean }[]> = {
  '.': [
    { name: 'etc', dir: true },
    { name: 'web.cfg', dir: false },
    { name: '.hidden', dir: false },
  ],
  etc: [
    { name: 'xen', dir: true },
    { name: 'hosts', dir: false },
  ],
};

/** The real command table, a fixed host and file system. */
const ctx: CompletionSources = {
  commands: commandNames(),
  domains: () => ['Domain-0', '0', 'web', '3', 'webmail', '12'],
  readdir: (d) => FILES[d] ?? [],
  hosts: () => ['hostb'],
};

describe('palette completion (the REPL’s completion, shaped for the palette)', () => {
  it('completes command names at the start, after an optional xl', () => {
    expect(complete('vcpu-', 5, ctx)).toMatchObject({ start: 0, end: 5, candidates: ['vcpu-list', 'vcpu-pin', 'vcpu-set'], common: 'vcpu-' });
    expect(complete('xl unp', 6, ctx).candidates).toEqual(['unpause ']);
    expect(applyCompletion('xl unp', complete('xl unp', 6, ctx))).toEqual({ line: 'xl unpause ', cursor: 11 });
  });
  it("completes the command's own options from xl's help", () => {
    expect(complete('list -', 6, ctx).candidates).toEqual(expect.arrayContaining(['-l', '--long', '-v', '--verbose']));
    expect(complete('create --d', 10, ctx).candidates).toEqual(['--defconfig', '--dryrun']);
  });
  it('completes domain names and domids where the usage takes a Domain', () => {
    expect(complete('pause we', 8, ctx)).toMatchObject({ candidates: ['web', 'webmail'], common: 'web' });
    expect(complete('pause 1', 7, ctx).candidates).toEqual(['12 ']);
    expect(applyCompletion('pause webm', complete('pause webm', 10, ctx)).line).toBe('pause webmail ');
  });
  it('completes file paths where the usage takes a file, directories with a slash', () => {
    expect(complete('create ', 7, ctx).candidates).toEqual(['etc/', 'web.cfg']);
    expect(applyCompletion('create e', complete('create e', 8, ctx)).line).toBe('create etc/');
    expect(applyCompletion('create etc/h', complete('create etc/h', 12, ctx)).line).toBe('create etc/hosts ');
  });
  it('completes migration targets: localhost and the named hosts', () => {
    expect(complete('migrate web ', 12, ctx).candidates).toEqual(['localhost', 'hostb']);
  });
  it('offers nothing it cannot back, and keeps the word', () => {
    const c = complete('frobnicate x', 12, ctx);
    expect(c.candidates).toEqual([]);
    expect(applyCompletion('frobnicate x', c).line).toBe('frobnicate x');
  });
  it('completes only the text before the cursor, and keeps what follows it', () => {
    const c = complete('pause we 3', 8, ctx);
    expect(c).toMatchObject({ start: 6, end: 8, candidates: ['web', 'webmail'] });
    expect(applyCompletion('pause we 3', c)).toEqual({ line: 'pause web 3', cursor: 9 });
  });
  it('gives the REPL’s candidates for every line', () => {
    for (const line of ['', 'v', 'cpupool-', 'list -', 'destroy w', 'create ', 'create e', 'migrate web ', 'sched-credit2 -']) {
      expect(complete(line, line.length, ctx).candidates).toEqual(replComplete(line, ctx).candidates);
    }
  });
  it('works over the real file system and a host’s domains', () => {
    const real = xlCompletionContext([{ name: 'web', domid: 3 }]);
    expect(complete('shutdown w', 10, real).candidates).toEqual(['web ']);
    expect(complete('shutdown 3', 10, real).candidates).toEqual(['3 ']);
    expect(complete('migrate web ', 12, real).candidates).toEqual(['localhost ']);
  });
});
