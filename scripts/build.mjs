// Compiles and bundles the TypeScript sources into dist/ with esbuild:
// - dist/cli.cjs: the CLI (every xl command, the REPL, the machine, the store), one
//   minified CommonJS file that bin/xlsim loads with V8's code cache (dist/cache/*.cache,
//   written here by running commands), so start-up skips parsing and compiling
//   (shared/reference/stack-notes.md §C5);
// - dist/list.cjs, dist/config.cjs: `xlsim list`, and `xlsim create -n` and `check`, alone
//   (src/toolstack/quick-list.ts, quick-config.ts), which bin/xlsim tries before loading the CLI;
// - dist/tui.mjs: the dashboard, an ES module (Ink and React have top-level await), loaded
//   only by `xlsim top`/`demo`; what it needs from the machine and toolstack comes from
//   dist/cli.cjs (src/kernel.ts), so the two never hold two copies of the host code;
// - dist/bench/bench.js (and its chunks): `npm run bench`.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  logLevel: 'warning',
};

// The CommonJS bundles bin/xlsim loads (dist/cli.cjs, list.cjs, config.cjs): minified; import.meta.url
// (modules that find files beside themselves) is the bundle's own URL, made on first use
// (node's URL code costs ~0.4 ms of a start-up that needs none); import.meta.dirname is its
// directory. Bundled libraries take their production paths. (The dashboard's React and Ink
// stay outside its bundle and read NODE_ENV at run time: src/tui/main.ts sets it.)
const commonJs = {
  format: 'cjs',
  define: { 'process.env.NODE_ENV': '"production"', 'import.meta.url': '__xlsimModule.url', 'import.meta.dirname': '__dirname' },
  banner: { js: "var __xlsimModule={get url(){return require('node:url').pathToFileURL(__filename).href}};" },
  minify: true,
  sourcemap: 'linked',
};

// commander requires node:child_process at load time for executable subcommands, which
// xlsim never uses; loading it costs every command start-up, so the CLI bundle loads it
// on first use instead. The build fails if commander's line changes.
const lazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const line = "const childProcess = require('node:child_process');";
      if (!text.includes(line)) throw new Error(`${args.path}: commander no longer has "${line}"`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: text.replace(line, lazy), loader: 'js' };
    });
  },
};

// The chevrotain parser loads on first use: src/parser/grammar/chevrotain-side.ts imports
// it statically (the sources and tests), the CLI bundle `require`s it on the first call,
// which esbuild turns into a module initialised then. A `create` or `check` of a file the
// fast path reads without chevrotain (most files) no longer loads chevrotain and builds its
// parser (~10 ms). The build fails if the file changes shape.
const lazyChevrotain = {
  name: 'lazy-chevrotain-parser',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]parser[\\/]grammar[\\/]chevrotain-side\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const imp = "import * as side from './parser.js';";
      const fn = 'export function chevrotainSide(): typeof side {\n  return side;\n}';
      if (!text.includes(imp) || !text.includes(fn)) throw new Error(`${args.path}: no longer has the import and function the build rewrites`);
      const lazy = "let side: typeof import('./parser.js') | undefined;\nexport function chevrotainSide(): typeof import('./parser.js') {\n  return (side ??= require('./parser.js'));\n}";
      return { contents: text.replace(imp, '').replace(fn, lazy), loader: 'ts', resolveDir: dirname(args.path) };
    });
  },
};

// The CLI.
await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: join(dist, 'cli.cjs'),
  ...commonJs,
  // better-sqlite3's JavaScript is bundled (its native addon is found by path at run time).
  plugins: [lazyChildProcess, lazyChevrotain],
});

// The quick `xlsim list`, `xlsim create -n` and `xlsim check` (src/toolstack/quick-list.ts,
// quick-config.ts): bin/xlsim runs them before loading the CLI bundle, which it needs only
// when they decline. Same settings as the CLI.
await build({
  ...common,
  entryPoints: ['src/toolstack/quick-list.ts'],
  outfile: join(dist, 'list.cjs'),
  ...commonJs,
});
await build({
  ...common,
  entryPoints: ['src/toolstack/quick-config.ts'],
  outfile: join(dist, 'config.cjs'),
  ...commonJs,
  plugins: [lazyChevrotain],
});

// bin/xlsim reads the bundles as latin1 (no UTF-8 decoding at start-up): esbuild escapes
// every non-ASCII character (its default charset), and this makes sure of it.
for (const name of ['cli.cjs', 'list.cjs', 'config.cjs']) {
  const bytes = readFileSync(join(dist, name));
  const at = bytes.findIndex((b) => b > 0x7f);
  if (at >= 0) throw new Error(`dist/${name} has a non-ASCII byte at offset ${at}: bin/xlsim reads it as latin1`);
}

// The dashboard: machine and toolstack imports resolve to the CLI bundle's exports.
const tuiDir = join(root, 'src', 'tui');
const kernelImports = new Set();
const toCli = {
  name: 'kernel-from-cli',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(tuiDir)) return undefined;
      const target = resolve(dirname(args.importer), args.path);
      if (target.startsWith(tuiDir + '/')) return undefined;
      kernelImports.add(relative(root, target));
      return { path: './cli.cjs', external: true };
    });
  },
};
await build({
  ...common,
  entryPoints: ['src/tui/main.ts'],
  outfile: join(dist, 'tui.mjs'),
  format: 'esm',
  external: ['ink', 'react', 'react/jsx-runtime', 'react-devtools-core'],
  plugins: [toCli],
});
// Every name the dashboard imports from the CLI bundle must exist there.
const cli = createRequire(import.meta.url)(join(dist, 'cli.cjs'));
const tui = readFileSync(join(dist, 'tui.mjs'), 'utf8');
for (const m of tui.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']\.\/cli\.cjs["']/g)) {
  for (const part of m[1].split(',')) {
    const name = part.trim().split(/\s+as\s+/)[0];
    if (name && !(name in cli)) {
      throw new Error(`dist/tui.mjs imports ${name} from the CLI bundle, which does not export it: add it to src/kernel.ts (imported from ${[...kernelImports].join(', ')})`);
    }
  }
}

// The benchmarks (their own copy of the sources; they measure the CLI as a process).
await build({
  ...common,
  entryPoints: { bench: 'bench/bench.ts', 'tui-main': 'bench/tui-main.ts' },
  outdir: join(dist, 'bench'),
  format: 'esm',
  // The dashboard part (tui-main.js, its own process) loads React only after choosing
  // React's production build: its modules are a chunk imported after that line.
  splitting: true,
  external: ['better-sqlite3', 'ink', 'react', 'react/jsx-runtime', 'react-devtools-core'],
  banner: {
    js: "import { createRequire as __xlsimCreateRequire } from 'node:module'; const require = __xlsimCreateRequire(import.meta.url);",
  },
});

// The code caches: bin/xlsim loads dist/cache/<command>.cache for `list`, `create` and
// `check`, and quick-list.cache / quick-config.cache for dist/list.cjs / config.cjs (what
// scripts call most; a cache holds what its warm-up ran, and V8 reads all of it at every
// start-up), and dist/cache/all.cache for everything else (the commands people run most,
// in one process: a piped script). Each is written by bin/xlsim at the exit of
// its warm-up (a run that loaded a cache writes it back with what it compiled besides).
const home = mkdtempSync(join(tmpdir(), 'xlsim-build-'));
try {
  const cfg = join(home, 'warm.cfg');
  writeFileSync(cfg, 'name = "warm"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 256\nvcpus = 2\ndisk = [ "/dev/vg/warm,raw,xvda,rw" ]\nvif = [ "bridge=xenbr0" ]\n');
  const env = { ...process.env, XLSIM_HOME: join(home, 'state'), CI: 'true' };
  const xlsim = (args, input, write, extra = {}) =>
    execFileSync(process.execPath, [join(root, 'bin', 'xlsim'), ...args], {
      input,
      env: { ...env, ...extra, ...(write ? { XLSIM_WRITE_CODE_CACHE: '1' } : {}) },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
  mkdirSync(join(dist, 'cache'));
  const script = ['list', 'info', `create -n ${cfg}`, `check ${cfg}`, `create -q ${cfg}`, 'list', 'vcpu-list', 'list -l', 'uptime', 'block-list warm', 'network-list warm', 'pause warm', 'unpause warm', 'destroy warm', 'dmesg'].join('\n');
  xlsim(['-k'], `${script}\n`, true);
  xlsim(['check', cfg], '', true, { XLSIM_QUICK: '0' });
  // `create` both ways in the CLI: a dry run (the JSON printer; for when dist/config.cjs
  // declines), then a real one (the machine's create path), which loads the first run's
  // cache and writes it back with what it added; then the quick dry run and check.
  xlsim(['create', '-n', cfg], '', true, { XLSIM_QUICK: '0' });
  xlsim(['create', '-q', cfg], '', true);
  xlsim(['create', '-n', cfg], '', true);
  xlsim(['check', cfg], '', true);
  // `list` both ways: the full CLI's (for when dist/list.cjs declines), then the quick one.
  xlsim(['list'], '', true, { XLSIM_QUICK: '0' });
  xlsim(['list'], '', true);
} catch {
  // No cache (or not all of them): bin/xlsim compiles what it has none for.
} finally {
  rmSync(home, { recursive: true, force: true });
}
