/**
 * The config-file commands without the rest of xlsim: `xlsim create -n FILE [KEY=VALUE …]`
 * (the dry run scripts and editors call to see a config's libxl JSON) and `xlsim check
 * FILE…` (the linter CI runs), issue 7's start-up targets (≤ 1.6× `node -e 0`).
 * `bin/xlsim` runs `quickConfigMain` (bundled alone as dist/config.cjs: the parser, the
 * domain-config builder, the lint rules, the libxl JSON printer and a read of the host's
 * database; no commander, no machine) for those command lines, and the full CLI only when
 * it declines.
 *
 * - `quickDryRun` answers exactly what `create` (commands/create.ts) prints: the same
 *   steps (`loadXlConf`, `readCreateConfig`, the `create-n` JSON) in the same order, on
 *   the host's facts read from its database (`hostFacts`, as `Host.facts`). It declines,
 *   having printed nothing, when the command line has any other shape (any option but the
 *   leading `-n`/`--dryrun`, an operand starting with `-`, no file or two), or the host
 *   cannot be read as it is (no database yet, another layout version: the store creates
 *   or upgrades it first).
 * - `quickCheck` is `runCheck` (commands/check.ts) itself, for operands that are all file
 *   names (no option, no `-` for standard input); it declines anything else.
 */
import { join } from 'node:path';
import { hostFacts } from '../machine/records.js';
import { readCreateConfig, splitCreateOperands } from './create-config.js';
import { domainConfigJson, yajlStringify } from './format/libxl-json.js';
import { runCheck } from './commands/check.js';
import { fdWriter, isTerminal, setExitStatus, wantsColor } from './stdio.js';
import { defaultStateDir, XL_CONF_FILE } from './store/paths.js';
import { peekHost } from './store/peek.js';
import { loadXlConf } from './xl-conf.js';

/**
 * Runs `xlsim create <args…>` (`args` after the word `create`) as a dry run against the
 * host in state directory `dir`, writing to `out` and `err`, and resolves to xl's exit
 * status; or resolves to undefined, having written nothing, when the full CLI must run it
 * (see the module comment). Never rejects once it has written: an unexpected failure then
 * ends as the CLI ends one (`xlsim: internal error: …`, status 1).
 */
export async function quickDryRun(dir: string, args: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number | undefined> {
  if (args[0] !== '-n' && args[0] !== '--dryrun') return undefined;
  const operands = args.slice(1);
  if (operands.some((a) => a.startsWith('-'))) return undefined;
  const { file, extras, tooMany } = splitCreateOperands(args, operands, undefined);
  if (file === undefined || tooMany) return undefined;
  const facts = peekHost(dir, (_, meta) => hostFacts(meta.seed));
  if (facts === undefined) return undefined;
  try {
    const xlConf = await loadXlConf({ store: { xlConfPath: join(dir, XL_CONF_FILE) } }, facts, err);
    if (!xlConf.ok) return xlConf.status;
    const built = await readCreateConfig({ file, extras, quiet: false, ignoreGlobalAffinityMasks: false, facts, xlConf: xlConf.conf }, err);
    if (!built.ok) return built.status;
    out(yajlStringify(domainConfigJson(built.config, { for: 'create-n' })));
    return 0;
  } catch (e) {
    err(`xlsim: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/**
 * Runs `xlsim check <args…>` (`args` after the word `check`) when every operand is a file
 * name (no option, no `-`; at least one), writing to `out` and `err` as the command does
 * on a terminal when `isTTY`; resolves to its exit status, or to undefined, having written
 * nothing, for any other command line.
 */
export async function quickCheck(args: readonly string[], io: { out: (s: string) => void; err: (s: string) => void; isTTY: boolean }): Promise<number | undefined> {
  if (args.length === 0 || args.some((a) => a.startsWith('-'))) return undefined;
  return runCheck({}, args, { ...io, color: wantsColor(io.isTTY) });
}

/**
 * The command line `args` (after the program name) as `bin/xlsim` calls it (the entry of
 * dist/config.cjs): `quickDryRun` for `create …` on the state directory
 * `defaultStateDir()`, `quickCheck` for `check …`, writing to standard output and error.
 * Resolves to true once it has answered (the exit status is set, `setExitStatus`), or
 * false, having written nothing, when the full CLI must run the command.
 */
export async function quickConfigMain(args: readonly string[]): Promise<boolean> {
  const out = fdWriter(1);
  const err = fdWriter(2);
  let status: number | undefined;
  if (args[0] === 'create') status = await quickDryRun(defaultStateDir(), args.slice(1), out, err);
  else if (args[0] === 'check') status = await quickCheck(args.slice(1), { out, err, isTTY: isTerminal(1) });
  if (status === undefined) return false;
  setExitStatus(status);
  return true;
}
