/**
 * `xlsim check [--format text|gcc|json|sarif] [--strict] [--quiet] FILE…`: xlsim's own
 * linter for xl.cfg files (not an xl subcommand; matched by its exact name only).
 * Every parse diagnostic, every message xl's config processing would print and the lint
 * rules (src/parser/lint, docs/rules.md), located at file:line:column.
 *
 * A file argument `-` reads standard input (reported as `<stdin>`). A file named
 * `xl.conf` is linted as xl's global configuration (`lintXlConfBytes`), not as a domain
 * config; no other file is read alongside (a domain config is checked on its own, as
 * if there were no xl.conf).
 *
 * Exit status: 0 clean, 1 problems (errors; warnings too with `--strict`), 2 an
 * unreadable file or a bad argument.
 */
import { basename } from 'node:path';
import { DEFAULT_SEED, hostFacts } from '../../machine/records.js';
import type { CmdSpec } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import type { CheckFileResult, CheckFormat } from '../format/diagnostics.js';
import { MAX_CHECK_BYTES, readFileBytes, readStdinBytes, type XlEnv } from '../io.js';
import { XL_CONF_FILE } from '../store/paths.js';
import { lintXlConfBytes } from '../xl-conf.js';

/** Help-table row of `check` (printed by `xlsim check -h` / `xlsim help check`). */
export const CHECK_SPEC: CmdSpec = {
  name: 'check',
  desc: 'Check xl domain config files for errors and traps (xlsim extension)',
  usage: '[options] <ConfigFile|-> [<ConfigFile> ...]',
  options:
    '--format FORMAT         Report as text (default; code frames on a terminal),\n' +
    '                        gcc, json or sarif.\n' +
    '--strict                Count warnings as problems.\n' +
    '--quiet                 Report errors only.\n' +
    '-h, --help              Print this help.\n' +
    '\n' +
    'Exit status: 0 clean, 1 problems found, 2 unreadable file or bad argument.',
  modifies: false,
  canDryrun: false,
};

/** The options of `xlsim check` (see CHECK_SPEC). */
export interface CheckOptions {
  format?: string;
  strict?: boolean;
  quiet?: boolean;
}

/** Where `runCheck` reads and writes: the command's output, whether it is a terminal and in colour, and how files are read. */
export interface CheckIo {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
  color?: boolean;
  readFile?: XlEnv['readFile'];
}

/**
 * `xlsim check` with its options `o` on the operands `args` (files, `-` for standard
 * input): lints each and prints the report in the chosen format; resolves to the exit
 * status (see the module comment). Shared by the command and the quick path
 * (quick-config.ts). Never rejects for bad input.
 */
export async function runCheck(o: CheckOptions, args: readonly string[], io: CheckIo): Promise<number> {
  const format = (o.format ?? 'text') as CheckFormat;
  // The report formats and the lint catalogue load here, not at every command's start-up.
  const { CHECK_FORMATS, checkExitCode, formatGcc, formatJson, formatSarif, formatText } = await import('../format/diagnostics.js');
  if (!CHECK_FORMATS.includes(format)) {
    io.err(`xlsim check: unknown format '${o.format}' (expected text, gcc, json or sarif)\n`);
    return 2;
  }
  const policy = { strict: o.strict === true, quiet: o.quiet === true };
  const facts = hostFacts(DEFAULT_SEED);
  const { lintBytes } = await import('../../parser/lint/lint.js');
  const results: CheckFileResult[] = [];
  for (const arg of args) {
    // `-` is standard input (for editors and pipes), reported as `<stdin>`.
    const file = arg === '-' ? '<stdin>' : arg;
    const read = arg === '-' ? await readStdinBytes() : await (io.readFile ?? readFileBytes)(arg, MAX_CHECK_BYTES);
    if (!read.ok) {
      results.push({ file, readError: read.strerror, diagnostics: [], settings: {}, text: '' });
      continue;
    }
    if (basename(arg) === XL_CONF_FILE) {
      // xl's global config, not a domain config: lint it against xl.conf's keys.
      const conf = await lintXlConfBytes(read.bytes, file, facts);
      results.push({ file, ...conf });
      continue;
    }
    const lint = lintBytes(read.bytes, file, { facts });
    results.push({ file, diagnostics: lint.diagnostics, settings: lint.settings, text: lint.text });
  }
  if (format === 'json') io.out(formatJson(results, policy));
  else if (format === 'sarif') io.out(formatSarif(results, policy));
  else {
    const r = format === 'gcc' ? formatGcc(results, policy) : formatText(results, policy, { tty: io.isTTY, color: io.color ?? io.isTTY });
    io.out(r.stdout);
    io.err(r.stderr);
  }
  if (format === 'json' || format === 'sarif') {
    for (const r of results) if (r.readError !== undefined) io.err(`${r.file}: error: cannot read file: ${r.readError}\n`);
  }
  return checkExitCode(results, policy);
}

/** `xlsim check`: lint each file and print the report in the chosen format. */
export const checkCommand: XlCommandModule = {
  name: 'check',
  minArgs: 1,
  options: (cmd) => cmd.option('--format <format>').option('--strict').option('--quiet'),
  run(ctx) {
    return runCheck(ctx.opts as CheckOptions, ctx.args, { out: ctx.out, err: ctx.err, isTTY: ctx.env.isTTY, color: ctx.env.color, readFile: ctx.env.readFile });
  },
};
