import { describe, expect, it } from 'vitest';
import { lookupCommand } from '../../src/toolstack/cmdtable.js';
import { complete, optionsOf, slotsOf } from '../../src/toolstack/complete.js';
import { commandNames } from '../../src/toolstack/program.js';

const src = {
  commands: commandNames(),
  domains: () => ['Domain-0', '0', 'web', '3', 'db', '4'],
  readdir: (dir: string) => (dir === '/etc/xen' ? [{ name: 'web.cfg', dir: false }, { name: 'auto', dir: true }, { name: '.hidden', dir: false }] : []),
  hosts: () => ['hostb'],
};

describe('completion of xl command lines', () => {
  it('completes command names, a unique one with a trailing space', () => {
    expect(complete('vcpu-l', src)).toEqual({ start: 0, candidates: ['vcpu-list '] });
    expect(complete('sched-', src).candidates).toEqual(['sched-credit', 'sched-credit2', 'sched-rtds']);
    expect(complete('xl paus', src)).toEqual({ start: 3, candidates: ['pause '] });
    expect(complete('', src).candidates).toContain('check');
    expect(complete('', src).candidates).not.toContain('__complete');
  });

  it('completes the options of the command being typed', () => {
    expect(complete('list -', src).candidates).toEqual(['-l', '--long', '-v', '--verbose', '-Z', '--context', '-c', '--cpupool', '-n', '--numa']);
    expect(complete('shutdown --w', src).candidates).toEqual(['--wait']);
  });

  it('completes domains, files and hosts where the usage line has them', () => {
    expect(complete('pause w', src)).toEqual({ start: 6, candidates: ['web '] });
    expect(complete('vcpu-list web d', src).candidates).toEqual(['db ']); // [Domain, ...] repeats
    expect(complete('create /etc/xen/', src).candidates).toEqual(['/etc/xen/auto/', '/etc/xen/web.cfg']);
    expect(complete('save web /etc/xen/w', src).candidates).toEqual(['/etc/xen/web.cfg']);
    expect(complete('migrate web ', src).candidates).toEqual(['localhost', 'hostb']);
    expect(complete('rename web ', src).candidates).toEqual([]);
    expect(complete('nosuchcmd ', src).candidates).toEqual([]);
  });

  it('reads slots and options from xl\'s table', () => {
    expect(slotsOf(lookupCommand('cpupool-migrate')!)).toEqual({ slots: ['domain', 'other'], repeat: false });
    expect(slotsOf(lookupCommand('block-list')!)).toEqual({ slots: ['domain'], repeat: true });
    expect(slotsOf(lookupCommand('restore')!).slots).toEqual(['file', 'file']);
    expect(optionsOf(lookupCommand('create')!)).toContain('--defconfig');
  });
});
