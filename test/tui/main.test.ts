import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../src/machine/clock.js';
import { HostStore } from '../../src/toolstack/store.js';
import { SqliteBackend } from '../../src/toolstack/store/sqlite.js';
import { runXl } from '../../src/toolstack/program.js';
import { findExamplesDir, parseTopArgs, runTop, TOP_USAGE } from '../../src/tui/main.js';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLES = join(ROOT, 'examples', 'etc-xen');
const HEADER =
  '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID';

function capture(isTTY = false) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s), isTTY } };
}

/** The `name = "…"` of every example config, as xentop shows it (first 10 characters). */
function exampleNames(): string[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.cfg'))
    .map((f) => /^name\s*=\s*"([^"]+)"/m.exec(readFileSync(join(EXAMPLES, f), 'utf8'))![1]!.slice(0, 10));
}

describe('runTop --batch', () => {
  it('demo boots every example config and prints header + rows per iteration', async () => {
    const { out, io } = capture();
    const code = await runTop({ demo: true, args: ['-b', '-i', '2', '-d', '1'], io, clock: new VirtualClock(T0) });
    expect(code).toBe(0);
    expect(out.stderr).toBe('');
    const lines = out.stdout.split('\n');
    expect(lines[lines.length - 1]).toBe('');
    const names = exampleNames();
    expect(names.length).toBeGreaterThan(0);
    const per = names.length + 2; // header + Domain-0 + guests
    expect(lines).toHaveLength(2 * per + 1);
    expect(lines[0]).toBe(HEADER);
    expect(lines[per]).toBe(HEADER);
    const shown = lines.slice(1, per).map((l) => l.slice(0, 10).trim());
    expect(shown).toEqual(['Domain-0', ...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    // no previous sample on the first iteration: every CPU(%) is 0.0
    expect(lines.slice(1, per).every((l) => l.slice(28, 35) === '    0.0')).toBe(true);
    // Domain-0 has no max-memory limit
    expect(lines.find((l) => l.startsWith('  Domain-0'))!.slice(54, 74)).toBe('  no limit       n/a');
  });

  it('without a terminal and without -b prints one batch iteration and exits 0', async () => {
    const { out, io } = capture(false);
    const code = await runTop({ demo: true, io, clock: new VirtualClock(T0) });
    expect(code).toBe(0);
    expect(out.stdout.split('\n').filter((l) => l === HEADER)).toHaveLength(1);
    expect(out.stdout).not.toContain('xentop -');
  });

  it('reads the persistent store, so a domain created by another xlsim shows up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsim-top-'));
    try {
      const clock = new VirtualClock(T0);
      const store = HostStore.open(dir);
      let err = '';
      const rc = await runXl(['create', join(EXAMPLES, 'debian-pv.cfg')], {
        stdout: () => undefined,
        stderr: (s) => void (err += s),
        store,
        clock,
        isTTY: false,
      });
      expect(rc, err).toBe(0);
      const seq = (): number => {
        const db = SqliteBackend.open(join(dir, 'host.db'), { readonly: true });
        try {
          return db.lastChangeSeq();
        } finally {
          db.close();
        }
      };
      const saved = seq();
      clock.advance(5000);
      const { out, io } = capture();
      // Another process holds the write lock: the dashboard only reads, so it neither
      // waits nor writes, and the database is as the create left it.
      const other = SqliteBackend.open(join(dir, 'host.db'));
      await other.beginWrite({ waitMs: 0 });
      try {
        expect(await runTop({ demo: false, store: HostStore.open(dir), io, clock })).toBe(0);
      } finally {
        other.rollback();
        other.close();
      }
      const rows = out.stdout.split('\n').slice(1, -1);
      expect(rows.map((l) => l.slice(0, 10).trim())).toEqual(['debian-pv', 'Domain-0']);
      expect(rows[0]!.slice(36, 46)).toBe('   2097152');
      expect(seq()).toBe(saved);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an unreadable store as one xlsim: line, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsim-top-'));
    try {
      writeFileSync(join(dir, 'host.db'), 'x'.repeat(4096));
      const { out, io } = capture();
      expect(await runTop({ demo: false, store: HostStore.open(dir), io, clock: new VirtualClock(T0) })).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/^xlsim: .*host\.db: .*; run 'xlsim --reset'/);
      expect(out.stderr.split('\n')).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('-n -x -v print detail lines under each domain', async () => {
    const { out, io } = capture();
    await runTop({ demo: true, args: ['-b', '-i', '1', '-nxv'], io, clock: new VirtualClock(T0) });
    const lines = out.stdout.split('\n');
    const i = lines.findIndex((l) => l.startsWith(' debian-pv'));
    expect(lines[i + 1]!.startsWith('VCPUs(sec):   0:          0s  1:          0s')).toBe(true);
    expect(lines[i + 2]!.startsWith('Net0 RX: ')).toBe(true);
    expect(lines[i + 3]).toMatch(/^VBD BlkBack 51712 \[ca: 0\]  OO: /);
    expect(lines[i + 4]).toMatch(/^VBD BlkBack 51728 \[ca:10\]  OO: /);
  });
});

describe('options', () => {
  it('-h prints xentop usage on stdout, exit 0', async () => {
    const { out, io } = capture();
    expect(await runTop({ demo: true, args: ['-h'], io })).toBe(0);
    expect(out.stdout).toBe(TOP_USAGE);
  });
  it('a bad option prints getopt’s complaint and the usage, exit 0 as xentop', async () => {
    const { out, io } = capture();
    expect(await runTop({ demo: true, args: ['-k'], io })).toBe(0);
    expect(out.stderr).toBe("xentop: invalid option -- 'k'\n");
    expect(out.stdout).toBe(TOP_USAGE);
  });
  it('parses clustered short options and long options with prefixes', () => {
    const a = parseTopArgs(['-bi3', '--del=5', '--full', '-z']);
    expect(a).toMatchObject({ batch: true, iterations: 3, delaySec: 5, opts: { fullName: true, dom0First: true } });
    expect(parseTopArgs(['-d', '7x']).delaySec).toBe(7);
    expect(parseTopArgs(['--iterations']).error).toBe("xentop: option '--iterations' requires an argument\n");
    expect(parseTopArgs(['--v']).error).toBe("xentop: option '--v' is ambiguous\n");
  });
});

describe('findExamplesDir', () => {
  it('finds examples/etc-xen from src/tui and from dist/', () => {
    expect(findExamplesDir(join(ROOT, 'src', 'tui'))).toBe(EXAMPLES);
    expect(findExamplesDir(join(ROOT, 'dist'))).toBe(EXAMPLES);
  });
});
