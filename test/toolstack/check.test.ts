import { describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

const CLEAN = 'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 512\n';
const TYPO = 'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemroy = 512\n';
const BAD = 'name = "web"\nmemory = hvm\n';

function files() {
  return { 'clean.cfg': CLEAN, 'typo.cfg': TYPO, 'bad.cfg': BAD, './dir/bad.cfg': BAD };
}

describe('xlsim check', () => {
  it('a clean file: no output, exit 0', async () => {
    const h = harness(files());
    expect(await h.run('check clean.cfg')).toEqual({ code: 0, out: '', err: '' });
  });
  it('gcc / plain text: file:line:col: severity: message [CODE]', async () => {
    const h = harness(files());
    const r = await h.run('check bad.cfg typo.cfg');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^bad\.cfg:2:10: error: .*hvm.* \[XL002\]$/);
    expect(lines[1]).toMatch(/^typo\.cfg:4:1: warning: .*memroy.* \[XL401\]$/);
    expect((await h.run('check --format gcc bad.cfg typo.cfg')).out).toBe(r.out);
  });
  it('warnings pass unless --strict; --quiet reports errors only', async () => {
    const h = harness(files());
    expect((await h.run('check typo.cfg')).code).toBe(0);
    expect((await h.run('check --strict typo.cfg')).code).toBe(1);
    expect(await h.run('check --quiet typo.cfg')).toEqual({ code: 0, out: '', err: '' });
    const q = await h.run('check --quiet bad.cfg typo.cfg');
    expect(q.out.split('\n').filter(Boolean)).toHaveLength(1);
  });
  it('on a terminal, text adds a code frame with carets and a summary', async () => {
    const h = harness(files(), { isTTY: true });
    const r = await h.run('check bad.cfg');
    expect(r.code).toBe(1);
    const plain = r.out.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^bad\.cfg:2:10: error: .* \[XL002\]\n/);
    expect(plain).toContain('memory = hvm\n');
    expect(plain).toMatch(/\n\s+\| {10}\^\^\^\n/);
    expect(plain.endsWith('1 error, 0 warnings in 1 file\n')).toBe(true);
  });
  it('json: one object per file with located diagnostics and resolved settings', async () => {
    const h = harness(files());
    const r = await h.run('check --format json typo.cfg bad.cfg');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as Array<Record<string, unknown>>;
    expect(json).toHaveLength(2);
    expect(json[0]).toEqual({
      file: 'typo.cfg',
      ok: true,
      diagnostics: [
        { line: 4, column: 1, endLine: 4, endColumn: 7, severity: 'warning', code: 'XL401', message: expect.stringContaining('memroy') },
      ],
      settings: { name: 'web', type: 'pvh', kernel: '/boot/vmlinuz', memroy: '512' },
    });
    expect(json[1]).toMatchObject({ file: 'bad.cfg', ok: false, diagnostics: [{ line: 2, column: 10, severity: 'error', code: 'XL002' }] });
  });
  it('json settings keep lists as nested arrays of strings', async () => {
    const h = harness({ 'l.cfg': `${CLEAN}disk = [ "phy:/dev/vg/x,xvda,w" ]\ncpus = [ "0", "1" ]\n` });
    const json = JSON.parse((await h.run('check --format json l.cfg')).out) as Array<{ settings: Record<string, unknown> }>;
    expect(json[0]!.settings.disk).toEqual(['phy:/dev/vg/x,xvda,w']);
    expect(json[0]!.settings.cpus).toEqual(['0', '1']);
  });
  it('sarif: a SARIF 2.1.0 log GitHub code scanning accepts', async () => {
    const h = harness(files());
    const r = await h.run('check --format sarif ./dir/bad.cfg typo.cfg');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.out) as {
      version: string;
      $schema: string;
      runs: Array<{
        tool: { driver: { name: string; rules: Array<{ id: string }> } };
        results: Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }> }>;
      }>;
    };
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toContain('sarif-2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('xlsim');
    expect(run.results.map((x) => [x.ruleId, x.level])).toEqual([['XL002', 'error'], ['XL401', 'warning']]);
    const first = run.results[0]!;
    expect(run.tool.driver.rules[first.ruleIndex]!.id).toBe('XL002');
    expect(first.locations[0]!.physicalLocation.artifactLocation.uri).toBe('dir/bad.cfg');
    expect(first.locations[0]!.physicalLocation.region).toEqual({ startLine: 2, startColumn: 10, endLine: 2, endColumn: 13 });
  });
  it('an unreadable file: strerror on stderr, exit 2', async () => {
    const h = harness(files());
    const r = await h.run('check clean.cfg missing.cfg');
    expect(r).toEqual({ code: 2, out: '', err: 'missing.cfg: error: cannot read file: No such file or directory\n' });
    const j = await h.run('check --format json missing.cfg');
    expect(j.code).toBe(2);
    expect(JSON.parse(j.out)).toEqual([{ file: 'missing.cfg', ok: false, error: 'No such file or directory', diagnostics: [], settings: {} }]);
  });
  it('bad arguments exit 2', async () => {
    const h = harness(files());
    expect(await h.run('check --format xml clean.cfg')).toEqual({
      code: 2,
      out: '',
      err: "xlsim check: unknown format 'xml' (expected text, gcc, json or sarif)\n",
    });
    expect((await h.run('check')).code).toBe(2);
    expect((await h.run('check --bogus clean.cfg')).code).toBe(2);
  });
  it('is matched by its exact name only, so xl prefixes stay as in xl', async () => {
    const h = harness(files());
    expect(await h.run('chec clean.cfg')).toEqual({ code: 1, out: '', err: 'command not implemented\n' });
  });
});

describe('xlsim check help', () => {
  it('prints its own usage line', async () => {
    const h = harness();
    const r = await h.run('check -h');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('Usage: xlsim check [options] <ConfigFile|-> [<ConfigFile> ...]\n\nCheck xl domain config files')).toBe(true);
    expect(r.out).toContain('\n--format FORMAT ');
    expect((await h.run('help check')).out).toBe(r.out);
  });
});
