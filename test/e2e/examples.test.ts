/**
 * The shipped examples (examples/etc-xen/) as a new user meets them: every file passes
 * `xlsim check --strict` with nothing to report, and all of them boot together on the
 * default host, each showing up in `xlsim list` with the memory and vCPUs its file asks for.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/xlsim');
const DIR = join(ROOT, 'examples/etc-xen');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.cfg')).sort();
let home: string;

function xlsim(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, XLSIM_HOME: home },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** name, memory (MiB) and vcpus as the example file states them. */
function expected(file: string): { name: string; memory: number; vcpus: number; hvm: boolean } {
  const text = readFileSync(join(DIR, file), 'utf8');
  const get = (k: string) => new RegExp(`^${k}\\s*=\\s*"?([^"\\n]+)"?`, 'm').exec(text)?.[1];
  return { name: get('name')!, memory: Number(get('memory')), vcpus: Number(get('vcpus') ?? 1), hvm: get('type') === 'hvm' };
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'xlsim-examples-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('examples/etc-xen', () => {
  it('has at least six configs', () => expect(FILES.length).toBeGreaterThanOrEqual(6));

  it('every example passes `xlsim check --strict` with no diagnostics', () => {
    const r = xlsim('check', '--strict', '--format', 'json', ...FILES.map((f) => join(DIR, f)));
    expect(r.err).toBe('');
    const results = JSON.parse(r.out) as { file: string; ok: boolean; diagnostics: unknown[] }[];
    expect(results.map((x) => [x.file.split('/').pop(), x.ok, x.diagnostics])).toEqual(FILES.map((f) => [f, true, []]));
    expect(r.code).toBe(0);
  });

  it('all examples boot together on the default host', () => {
    for (const f of FILES) {
      const r = xlsim('create', join(DIR, f));
      expect({ file: f, code: r.code, err: r.err }).toEqual({ file: f, code: 0, err: `Parsing config from ${join(DIR, f)}\n` });
    }
    const list = xlsim('list').out.split('\n');
    for (const f of FILES) {
      const e = expected(f);
      const row = list.find((l) => l.startsWith(`${e.name} `));
      expect(row, `${e.name} in xl list`).toBeDefined();
      const [, , mem, vcpus, state] = row!.trim().split(/\s+/);
      // PV/PVH show exactly memory=; HVM about 1 MiB less (xl-commands.md §3.1).
      expect(Number(mem)).toBe(e.hvm ? e.memory - 1 : e.memory);
      expect(Number(vcpus)).toBe(e.vcpus);
      expect(state).toMatch(/^[r-][b-]----$/);
    }
  });
});
