import { describe, expect, it } from 'vitest';
import { CMD_TABLE, commandHelp, fullHelp, lookupCommand } from '../../src/toolstack/cmdtable.js';
import { COMMANDS } from '../../src/toolstack/program.js';
import { harness } from './helpers.js';

const LIST_HELP =
  'Usage: xl [-vtT] list [options] [Domain]\n' +
  '\n' +
  '\n' +
  'List information about all/some domains.\n' +
  '\n' +
  'Options:\n' +
  '\n' +
  '-l, --long              Output all VM details\n' +
  '-v, --verbose           Prints out UUIDs and security context\n' +
  '-Z, --context           Prints out security context\n' +
  '-c, --cpupool           Prints the cpupool the domain is in\n' +
  '-n, --numa              Prints out NUMA node affinity\n';

const PAUSE_HELP = 'Usage: xl [-vtTf] pause <Domain>\n\nPause execution of a domain.\n\n';

describe('command lookup (xl.c cmdtable_lookup)', () => {
  it('accepts unambiguous prefixes and prefers exact names', () => {
    expect(lookupCommand('li')?.name).toBe('list');
    expect(lookupCommand('vcpu-l')?.name).toBe('vcpu-list');
    expect(lookupCommand('cr')?.name).toBe('create');
    expect(lookupCommand('sh')).toBeUndefined(); // shutdown, sharing
    expect(lookupCommand('vcpu')).toBeUndefined();
    expect(lookupCommand('info')?.name).toBe('info');
  });
  it('knows the 4.20 x86 table with unique names', () => {
    const names = CMD_TABLE.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(0, 6)).toEqual(['create', 'config-update', 'list', 'destroy', 'shutdown', 'reboot']);
  });
});

describe('help texts', () => {
  it('full help: no colon after Usage, names in 19 columns, long names wrap', () => {
    const h = fullHelp();
    expect(h.startsWith('Usage xl [-vfNtT] <subcommand> [args]\n\nxl full list of subcommands:\n\n')).toBe(true);
    expect(h).toContain('\n create              Create a domain from config file <filename>\n');
    expect(h).toContain('\n list                List information about all/some domains\n');
    // printf(" %-19s ", name) keeps its trailing space before the newline.
    expect(h).toContain('\n pci-assignable-remove \n                     Remove a device from being assignable\n');
  });
  it('per-command help shows f for modifying commands and N for dry-run ones', () => {
    expect(commandHelp(lookupCommand('list')!)).toBe(LIST_HELP);
    expect(commandHelp(lookupCommand('pause')!)).toBe(PAUSE_HELP);
    expect(commandHelp(lookupCommand('create')!).startsWith('Usage: xl [-vtTfN] create <ConfigFile> [options] [vars]\n\nCreate a domain from config file <filename>.\n\nOptions:\n\n-h ')).toBe(true);
  });
});

describe('runXl global behaviour', () => {
  it('no subcommand: full help on stdout, exit 1; `help`: exit 0', async () => {
    const h = harness();
    expect(await h.run([])).toEqual({ code: 1, out: fullHelp(), err: '' });
    expect(await h.run('help')).toEqual({ code: 0, out: fullHelp(), err: '' });
  });
  it('help <cmd> prints that command, unknown names are reported on stdout with exit 0', async () => {
    const h = harness();
    expect(await h.run('help list')).toEqual({ code: 0, out: LIST_HELP, err: '' });
    expect(await h.run('help li')).toEqual({ code: 0, out: LIST_HELP, err: '' });
    expect(await h.run('help --long')).toEqual({ code: 0, out: 'command "--long" not implemented\n', err: '' });
  });
  it('unknown or ambiguous command: `command not implemented`, exit 1', async () => {
    const h = harness();
    expect(await h.run('frobnicate')).toEqual({ code: 1, out: '', err: 'command not implemented\n' });
    expect(await h.run('sh 1')).toEqual({ code: 1, out: '', err: 'command not implemented\n' });
  });
  it('unknown global option: exit 1', async () => {
    const h = harness();
    expect(await h.run('-x list')).toEqual({ code: 1, out: '', err: 'unknown global option\n' });
  });
  it('-N on a command that cannot dry-run', async () => {
    const h = harness();
    expect(await h.run('-N list')).toEqual({ code: 1, out: '', err: 'command does not implement -N (dryrun) option\n' });
  });
  it('global options stop at the subcommand (getopt "+")', async () => {
    const h = harness();
    const r = await h.run('-v li -v');
    expect(r.code).toBe(0);
    expect(r.out).toContain('UUID');
  });
});

describe('per-command getopt behaviour', () => {
  it('-h / --help print the command help, exit 0', async () => {
    const h = harness();
    expect(await h.run('list -h')).toEqual({ code: 0, out: LIST_HELP, err: '' });
    expect(await h.run('pause --help')).toEqual({ code: 0, out: PAUSE_HELP, err: '' });
  });
  it('unknown option letter: exit 2', async () => {
    const h = harness();
    expect(await h.run('list -x')).toEqual({ code: 2, out: '', err: "option `x' not supported.\n" });
    expect(await h.run('list -lx')).toEqual({ code: 2, out: '', err: "option `x' not supported.\n" });
    expect(await h.run('list --bogus')).toEqual({ code: 2, out: '', err: "option `\0' not supported.\n" });
  });
  it('options are taken in order: an error before -h wins, -h before an error wins', async () => {
    const h = harness();
    expect((await h.run('list -x -h')).code).toBe(2);
    expect(await h.run('list -h -x')).toEqual({ code: 0, out: LIST_HELP, err: '' });
  });
  it('a missing option argument is reported like an unknown option', async () => {
    const h = harness();
    expect(await h.run('create -f')).toEqual({ code: 2, out: '', err: "option `f' not supported.\n" });
  });
  it('too few operands: message, blank line, help on stdout, exit 2', async () => {
    const h = harness();
    expect(await h.run('pause')).toEqual({ code: 2, out: PAUSE_HELP, err: "'xl pause' requires at least 1 argument.\n\n" });
    expect(await h.run('dom')).toEqual({ code: 1, out: '', err: 'command not implemented\n' });
    const r = await h.run('domid');
    expect(r.code).toBe(2);
    expect(r.err).toBe("'xl domid' requires at least 1 argument.\n\n");
  });
  it('list takes at most one domain: help on stdout, exit 1', async () => {
    const h = harness();
    expect(await h.run('list 0 1')).toEqual({ code: 1, out: LIST_HELP, err: '' });
  });
  it('every subcommand of xl 4.20\'s table has a module: nothing answers "not emulated"', async () => {
    expect(CMD_TABLE.filter((s) => !COMMANDS.has(s.name)).map((s) => s.name)).toEqual([]);
    for (const s of CMD_TABLE) expect(COMMANDS.get(s.name)!.name).toBe(s.name);
    // `xl top` is the dashboard, which the CLI starts itself; through the program it says where it is.
    const h = harness();
    const r = await h.run('top');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^xlsim: 'xl top' is the xentop dashboard, which needs a terminal: run 'xlsim top'/);
    expect(r.err).not.toMatch(/not emulated/);
  });
});
