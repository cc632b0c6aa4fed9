/**
 * The parser part of `npm run bench` (issue 9): throughput of the parser layer and its
 * worst cases, measured on this machine. Nothing is asserted; the figures go into notes.
 *
 * 1. Parse to `ConfigFile` (`parseConfigBytes`: bytes in, as libxlu reads them) and parse +
 *    `buildDomainConfig`, in MB/s, over the real-world corpus (`shared/corpus` beside the
 *    repository root, found as the tests find it) and over 1,000 generated configs.
 * 2. With `XLU_BENCH=path/to/driver`, the same bytes parsed by libxlu's C parser
 *    (`xlu_cfg_readdata`) in rounds interleaved with xlsim's, and the ratio (for parse +
 *    build too, to libxlu's parse alone: each xlsim round against the libxlu round after it). The driver is
 *    any program called as `driver PASSES FILE…` that parses each file PASSES times after
 *    one warm-up pass and prints a line containing `mbps <MB/s>` (and `cpu_mbps <MB/s>`,
 *    by CPU time, for `XLSIM_BENCH_CLOCK=cpu`; docs/parser.md says how to build one from
 *    the Xen sources; none of Xen's code is in this repository).
 * 3. Worst cases: hostile inputs — tens of thousands of unknown keys, 50 MB files, a
 *    10 MB string, deep and long lists, huge vCPU counts — each through `lintBytes`
 *    in-process and through the built CLI's `xlsim check`, with wall times.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigBytes } from '../src/parser/config-file.js';
import { buildDomainConfig } from '../src/parser/domain-config.js';
import { lintBytes } from '../src/parser/lint/lint.js';
import type { HostFacts } from '../src/parser/libxl.js';
import { generateConfigs } from './generate.js';
import { repoRoot } from './root.js';

const FACTS: HostFacts = { nrCpus: 8, nrNodes: 1, arch: 'x86' };

/** The corpus files (paths), from `shared/corpus` beside the repository root (as the tests look for it), or inside it. */
export function corpusFiles(root = repoRoot()): string[] {
  const dir = [join(root, '..', 'shared', 'corpus'), join(root, 'shared', 'corpus')].find((d) => existsSync(join(d, 'MANIFEST.tsv')));
  if (dir === undefined) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (!e.endsWith('.md') && !e.endsWith('.tsv')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * `XLSIM_BENCH_CLOCK=cpu`: measure CPU time (this process's, GC and compiler threads
 * included; the driver's CLOCK_PROCESS_CPUTIME_ID) instead of wall time, for a machine
 * shared with other work, where wall time mostly measures the neighbours.
 */
const CPU_CLOCK = process.env.XLSIM_BENCH_CLOCK === 'cpu';

/** Milliseconds on the chosen clock (wall, or this process's CPU time). */
function now(): number {
  if (!CPU_CLOCK) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** MB/s of `fn` over every input, repeated for at least `ms` (after a warm-up pass). */
function xlsimRound(inputs: Uint8Array[], fn: (b: Uint8Array) => void, ms: number): number {
  const bytes = inputs.reduce((n, b) => n + b.length, 0);
  let passes = 0;
  const t0 = now();
  let elapsed = 0;
  do {
    for (const b of inputs) fn(b);
    passes++;
    elapsed = now() - t0;
  } while (elapsed < ms);
  return (bytes * passes) / 1e6 / (elapsed / 1000);
}

/** One libxlu round: the driver parses `files` `passes` times; its own MB/s. */
function xluRound(driver: string, files: string[], passes: number): number {
  const r = spawnSync(driver, [String(passes), ...files], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const m = (CPU_CLOCK ? /cpu_mbps\s+([0-9.]+)/ : /(?:^|\s)mbps\s+([0-9.]+)/).exec(r.stdout ?? '');
  if (r.status !== 0 || !m) throw new Error(`XLU_BENCH driver failed (${r.status}): ${r.stderr || r.stdout}`);
  return Number(m[1]);
}

interface Row {
  label: string;
  xlsim: number[];
  xlu?: number[];
}

function printRow(r: Row, files: number, bytes: number): void {
  const x = median(r.xlsim);
  let line = `${r.label.padEnd(44)} xlsim ${x.toFixed(1).padStart(6)} MB/s`;
  if (r.xlu) {
    const c = median(r.xlu);
    // each round's xlsim figure against the libxlu round right after it: the median of
    // those ratios is robust to a machine whose load changes between rounds
    const ratios = r.xlsim.map((v, i) => v / r.xlu![i]!);
    line += `   libxlu ${c.toFixed(1).padStart(6)} MB/s   ratio ${median(ratios).toFixed(2)} (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
  }
  console.log(`${line}   [${files} files, ${(bytes / 1024).toFixed(0)} KiB]`);
}

/**
 * Runs `fn` over `inputs` for `rounds` rounds of ~`ms` each; with a driver, each round is
 * followed by a libxlu round over the same bytes (`files`) lasting about as long.
 */
function compare(label: string, inputs: Uint8Array[], files: string[], fn: (b: Uint8Array) => void, driver: string | undefined, rounds: number, ms: number): Row {
  const row: Row = { label, xlsim: [] };
  for (const b of inputs) fn(b); // warm-up
  let passes = 0;
  if (driver) {
    row.xlu = [];
    const bytes = inputs.reduce((n, b) => n + b.length, 0);
    const probe = xluRound(driver, files, 20);
    passes = Math.max(20, Math.round((probe * 1e6 * (ms / 1000)) / bytes));
  }
  for (let i = 0; i < rounds; i++) {
    row.xlsim.push(xlsimRound(inputs, fn, ms));
    if (driver) row.xlu!.push(xluRound(driver, files, passes));
  }
  return row;
}

/** A hostile input for `check`: a name and a generator of its bytes. */
interface Hostile {
  name: string;
  make: () => Buffer;
}

const MB = 1 << 20;
const HEAD = 'name = "h"\nkernel = "/boot/vmlinuz"\n';

/** Repeats `line` until the text reaches `size` bytes (after HEAD). */
function fill(line: string, size: number, head = HEAD): Buffer {
  return Buffer.from(head + line.repeat(Math.floor((size - head.length) / line.length)));
}

/** The worst-case inputs of issue 9 (and issue 6's vCPU counts). */
export function hostileInputs(): Hostile[] {
  return [
    { name: '40,000 unknown keys', make: () => Buffer.from(HEAD + Array.from({ length: 40000 }, (_, i) => `unknownkey${i} = 1\n`).join('')) },
    { name: '50 MB, one 5 MB key name, then comments', make: () => fill('# a comment line of forty-something characters\n', 50 * MB, HEAD + 'k'.repeat(5 * MB) + ' = 1\n') },
    { name: '10 MB quoted string', make: () => Buffer.from(HEAD + `extra = "${'x'.repeat(10 * MB)}"\n`) },
    { name: '50 MB quoted string', make: () => Buffer.from(HEAD + `extra = "${'x'.repeat(50 * MB)}"\n`) },
    { name: '50 MB unterminated string', make: () => Buffer.from(HEAD + `extra = "${'x'.repeat(50 * MB)}\n`) },
    { name: '50 MB of one repeated key', make: () => fill('memory = 512\n', 50 * MB) },
    { name: '50 MB of distinct unknown keys', make: () => Buffer.from(HEAD + Array.from({ length: Math.floor((50 * MB) / 17) }, (_, i) => `k${String(i).padStart(8, '0')} = "v"\n`).join('')) },
    { name: '50 MB of += on one list', make: () => fill('disk += [ "phy:/dev/vg/d,xvda,w" ]\n', 50 * MB) },
    { name: '50 MB of lexical errors', make: () => fill('X\n', 50 * MB) },
    { name: '50 MB of syntax errors', make: () => fill('a = = 1\n', 50 * MB) },
    { name: '50 MB of comments', make: () => fill('# a comment line of forty-something characters\n', 50 * MB) },
    { name: '50 MB of control characters', make: () => fill('\u001b[2J\u0007\n', 50 * MB) },
    { name: 'list nested 100,000 deep', make: () => Buffer.from(HEAD + 'disk = ' + '['.repeat(100000) + ']'.repeat(100000) + '\n') },
    { name: '50 MB list of 5 million disks', make: () => Buffer.from(HEAD + 'disk = [ ' + '"xvda",'.repeat(Math.floor((50 * MB) / 7)) + ' ]\n') },
    { name: 'vcpus = 14294967296', make: () => Buffer.from(HEAD + 'vcpus = 14294967296\n') },
    { name: 'maxvcpus = 200000000 with cpus=', make: () => Buffer.from(HEAD + 'maxvcpus = 200000000\ncpus = "0-3"\n') },
  ];
}

/**
 * For each hostile input: the wall time of `lintBytes` in this process (the parser
 * layer's whole `check` work: parse, build, rules, any size) and of `xlsim check FILE` as
 * a user runs it (one process, output discarded; the toolstack refuses files over its
 * input limit before the parser sees them).
 */
function worstCases(root: string): void {
  const cli = join(root, 'bin', 'xlsim');
  const dir = mkdtempSync(join(tmpdir(), 'xlsim-hostile-'));
  try {
    console.log('worst cases (target ≤ 2 s for any 50 MB file): lintBytes in-process | xlsim check FILE');
    for (const h of hostileInputs()) {
      const file = join(dir, 'hostile.cfg');
      const bytes = h.make();
      const t = performance.now();
      const lint = lintBytes(bytes, 'hostile.cfg', { facts: FACTS });
      const inproc = (performance.now() - t) / 1000;
      const errors = lint.diagnostics.filter((d) => d.severity === 'error').length;
      writeFileSync(file, bytes);
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [cli, 'check', file], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000, env: { ...process.env, XLSIM_HOME: dir } });
      const secs = (performance.now() - t0) / 1000;
      const how = r.error ? `did not finish: ${r.error.message}` : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
      console.log(
        `  ${h.name.padEnd(42)} ${(bytes.length / MB).toFixed(1).padStart(6)} MB ${inproc.toFixed(2).padStart(6)} s (${String(lint.diagnostics.length).padStart(4)} diagnostics, ${String(errors).padStart(4)} errors) | ${secs.toFixed(2).padStart(6)} s ${how}`,
      );
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Prints the parser figures: corpus and generated-config throughput (side by side with
 * libxlu when `XLU_BENCH` names a driver; skipped when `XLSIM_BENCH_THROUGHPUT=0`), then
 * the worst cases (skipped when `XLSIM_BENCH_WORST=0`). `rounds` rounds of `ms` milliseconds each per figure.
 */
export function runParserBench(opts: { rounds?: number; ms?: number } = {}): void {
  const rounds = opts.rounds ?? 7;
  const ms = opts.ms ?? 1000;
  const root = repoRoot();
  if (process.env.XLSIM_BENCH_THROUGHPUT === '0') {
    worstCases(root);
    return;
  }
  const driver = process.env.XLU_BENCH || undefined;
  const corpusPaths = corpusFiles(root);
  const corpus = corpusPaths.map((p) => readFileSync(p) as Uint8Array);
  const generated = generateConfigs(1000).map((t) => Buffer.from(t) as Uint8Array);
  const tmp = mkdtempSync(join(tmpdir(), 'xlsim-bench-gen-'));
  try {
    const genPaths = generated.map((b, i) => {
      const p = join(tmp, `g${i}.cfg`);
      writeFileSync(p, b);
      return p;
    });
    console.log(
      driver
        ? `parser: xlsim and libxlu (${driver}) over the same bytes, ${rounds} interleaved rounds of ~${ms} ms (${CPU_CLOCK ? 'CPU' : 'wall'} time), medians`
        : `parser: xlsim alone (set XLU_BENCH=path/to/driver for libxlu side by side), ${rounds} rounds of ~${ms} ms (${CPU_CLOCK ? 'CPU' : 'wall'} time), medians`,
    );
    if (corpus.length === 0) console.log('  (shared/corpus not found beside the repository root: corpus figures skipped)');
    const parse = (b: Uint8Array) => {
      parseConfigBytes(b, 'bench.cfg');
    };
    const parseBuild = (b: Uint8Array) => {
      const r = parseConfigBytes(b, 'bench.cfg');
      if (r.ok) buildDomainConfig(r.file, { facts: FACTS, source: 'bench.cfg' });
    };
    const sets: Array<[string, Uint8Array[], string[]]> = [];
    if (corpus.length) sets.push(['shared/corpus', corpus, corpusPaths]);
    sets.push(['1,000 generated configs', generated, genPaths]);
    for (const [name, inputs, paths] of sets) {
      const row = compare(`parse → ConfigFile, ${name}`, inputs, paths, parse, driver, rounds, ms);
      printRow(row, inputs.length, inputs.reduce((n, b) => n + b.length, 0));
    }
    for (const [name, inputs, paths] of sets) {
      // libxlu's parse alone, in rounds interleaved with these too: the ratio is the median
      // of each round's against the libxlu round right after it, as for the parse rows
      const row = compare(`parse + build → DomainConfig, ${name}`, inputs, paths, parseBuild, driver, rounds, ms);
      let line = `${row.label.padEnd(44)} xlsim ${median(row.xlsim).toFixed(1).padStart(6)} MB/s`;
      if (row.xlu) {
        const ratios = row.xlsim.map((v, i) => v / row.xlu![i]!);
        line += `   = ${median(ratios).toFixed(2)} × libxlu's parse alone (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}; libxlu ${median(row.xlu).toFixed(1)} MB/s)`;
      }
      console.log(`${line}   [${inputs.length} files]`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (process.env.XLSIM_BENCH_WORST !== '0') worstCases(root);
}
