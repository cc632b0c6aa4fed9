import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runRepl, splitShellWords } from '../../src/toolstack/repl.js';
import { harness, ScriptClock, T0 } from './helpers.js';

describe('splitShellWords', () => {
  it('splits on blanks and honours quotes and backslashes like sh', () => {
    expect(splitShellWords('  list   -v  ')).toEqual({ ok: true, words: ['list', '-v'] });
    expect(splitShellWords(`create web.cfg 'name="a b"' vcpus=2`)).toEqual({ ok: true, words: ['create', 'web.cfg', 'name="a b"', 'vcpus=2'] });
    expect(splitShellWords('create web.cfg name=\\"x\\"')).toEqual({ ok: true, words: ['create', 'web.cfg', 'name="x"'] });
    expect(splitShellWords('a "b \\"c\\" \\n" d')).toEqual({ ok: true, words: ['a', 'b "c" \\n', 'd'] });
    expect(splitShellWords("a''b \"\"")).toEqual({ ok: true, words: ['ab', ''] });
    expect(splitShellWords('list # a comment')).toEqual({ ok: true, words: ['list'] });
    expect(splitShellWords('a#b')).toEqual({ ok: true, words: ['a#b'] });
  });
  it('reports unterminated quotes', () => {
    expect(splitShellWords("pause 'web")).toEqual({ ok: false, error: 'unterminated single quote' });
    expect(splitShellWords('pause "web')).toEqual({ ok: false, error: 'unterminated double quote' });
  });
});

describe('runRepl', () => {
  it('runs each line through the xl program until exit', async () => {
    const h = harness({ 'web.cfg': 'name = "web"\ntype = "pvh"\nkernel = "/k"\nmemory = 256\n' });
    let out = '';
    let err = '';
    h.env.stdout = (s) => void (out += s);
    h.env.stderr = (s) => void (err += s);
    const input = new PassThrough();
    const output = new PassThrough();
    let prompts = '';
    output.on('data', (b: Buffer) => (prompts += b.toString()));
    const done = runRepl({ env: h.env, input, output, prompt: 'xl> ' });
    input.end('xl create -q web.cfg\n\nlist web\npause "web\ndomid web\nexit\nlist\n');
    expect(await done).toBe(0);
    expect(out).toContain('\nweb                                          1 ');
    expect(out.endsWith('1\n')).toBe(true);
    expect(out.match(/^Name/gm)).toHaveLength(1);
    expect(err).toBe('xlsim: unterminated double quote\n');
    // The prompt after the failing line shows its exit status, as `[2]`.
    expect(prompts).toBe('xl> xl> xl> xl> xl [2]> xl> ');
  });
  it('the process\'s own cancel (SIGTERM to the prompt) cancels the running command', async () => {
    const clock = new ScriptClock(T0);
    const outer = new AbortController();
    const h = harness({}, { clock, signal: outer.signal });
    h.env.stderr = () => undefined;
    clock.at(T0 + 600_000, () => outer.abort());
    const input = new PassThrough();
    const done = runRepl({ env: h.env, input, output: new PassThrough() });
    input.end('devd -F\nexit\n');
    expect(await done).toBe(130);
    expect(h.store.memoryHost(clock)!.ha.devds()).toEqual([]);
  });
  it('returns the last status at end of input', async () => {
    const h = harness();
    h.env.stderr = () => undefined;
    const input = new PassThrough();
    const done = runRepl({ env: h.env, input, output: new PassThrough() });
    input.end('pause nosuch\n');
    expect(await done).toBe(1);
  });
  it('appends each command to the history file, creating its directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xlsim-repl-'));
    try {
      const h = harness();
      h.env.stdout = () => undefined;
      const historyFile = join(dir, 'state', 'history');
      const input = new PassThrough();
      const done = runRepl({ env: h.env, input, output: new PassThrough(), historyFile });
      input.end('list\n\ndomid Domain-0\nexit\n');
      expect(await done).toBe(0);
      expect(await readFile(historyFile, 'utf8')).toBe('list\ndomid Domain-0\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
