// Compiles and bundles the TypeScript sources into dist/ with esbuild.
// The CLI bundle is split so that Ink and React are only loaded by the
// commands that draw (top, demo, console); `xlsim list` stays light
// (see shared/reference/stack-notes.md §C5).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts', bench: 'bench/bench.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  jsx: 'automatic',
  // Ink and React stay in node_modules: they are imported lazily and only by the TUI.
  external: ['ink', 'react', 'react/jsx-runtime', 'react-devtools-core', 'better-sqlite3'],
  banner: {
    // CommonJS dependencies (sorted-btree, commander) expect require, __filename and __dirname.
    js: [
      "import { createRequire as __xlsimCreateRequire } from 'node:module';",
      "import { fileURLToPath as __xlsimFileURLToPath } from 'node:url';",
      "import { dirname as __xlsimDirname } from 'node:path';",
      'const require = __xlsimCreateRequire(import.meta.url);',
      'const __filename = __xlsimFileURLToPath(import.meta.url);',
      'const __dirname = __xlsimDirname(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
});
