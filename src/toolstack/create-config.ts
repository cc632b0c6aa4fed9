/**
 * The first half of `xl create`: from the config file's name to a built libxl domain
 * config, with every message xl prints on the way (tools/xl/xl_vmcontrol.c
 * `create_domain`, tools/xl/xl_parse.c `parse_config_data`; xl-commands.md §5.1). Shared
 * by the `create` command (commands/create.ts) and the quick dry run `xlsim create -n FILE`
 * (quick-config.ts), so both print the same bytes. Needs neither the machine nor the store.
 */
import type { DomainConfig, HostFacts } from '../parser/libxl.js';
import type { XlConfFull } from '../parser/domain-config/xl-conf.js';
import { readFileBytes, type ReadResult } from './io.js';

/** The trailer xl prints after any parse error (`parse_config_data`, strerror(EINVAL)). */
export const PARSE_FAILED = 'Failed to parse config: Invalid argument\n';

/**
 * How xl splits create's operands (before and after getopt): a first raw argument that
 * is not an option and has no `=` is the config file; `-f FILE` overrides it; later
 * operands with `=` are extra settings; a bare operand names the file if none is set yet,
 * and a second one is an error (`help`, exit 2).
 */
export function splitCreateOperands(
  rawArgs: readonly string[],
  operands: readonly string[],
  defconfig: string | undefined,
): { file?: string; extras: string[]; tooMany: boolean } {
  let file: string | undefined;
  let rest = [...operands];
  const first = rawArgs[0];
  if (first !== undefined && !first.startsWith('-') && !first.includes('=')) {
    file = first;
    const at = rest.indexOf(first);
    if (at >= 0) rest.splice(at, 1);
  }
  if (defconfig !== undefined) file = defconfig;
  const extras: string[] = [];
  for (const arg of rest) {
    if (arg.includes('=')) extras.push(arg);
    else if (file === undefined) file = arg;
    else return { file, extras, tooMany: true };
  }
  return { file, extras, tooMany: false };
}

/** File bytes + `"\n" + each extra followed by "\n" + "\n"`, as `create_domain` builds the text it parses. */
export function appendExtraConfig(bytes: Uint8Array, extras: readonly string[]): Uint8Array {
  if (extras.length === 0) return bytes;
  const tail = new TextEncoder().encode(`\n${extras.map((e) => `${e}\n`).join('')}\n`);
  const out = new Uint8Array(bytes.length + tail.length);
  out.set(bytes, 0);
  out.set(tail, bytes.length);
  return out;
}

/** What `readCreateConfig` is given. */
export interface CreateConfigInput {
  /** The config file's name as given (`-` is standard input, through `readFile`). */
  file: string;
  /** `key=value` settings given after the file, appended to its text. */
  extras: readonly string[];
  /** `-q`: no `Parsing config from` line. */
  quiet: boolean;
  /** `-i`: xl.conf's `vm*.cpumask` masks are not applied. */
  ignoreGlobalAffinityMasks: boolean;
  /** The host's pCPU and NUMA node counts. */
  facts: HostFacts;
  /** The host's xl.conf as `loadXlConf` read it. */
  xlConf: XlConfFull;
  /** Reads the file (default `readFileBytes`). */
  readFile?: (path: string) => Promise<ReadResult>;
}

/**
 * Reads, parses and builds the domain config `input.file` names, writing xl's messages to
 * `err` in xl's order: `Failed to read config file: <file>: <strerror>` (status 3); unless
 * quiet, `Parsing config from <file>`; libxlu's parse errors and `Failed to parse config:
 * Invalid argument` (status 1); the builder's warnings and errors (its status); an empty
 * vCPU hard affinity after xl.conf's masks (status 1). Returns the built config, or the
 * exit status xl ends with. Never throws.
 */
export async function readCreateConfig(input: CreateConfigInput, err: (s: string) => void): Promise<{ ok: true; config: DomainConfig } | { ok: false; status: number }> {
  const { file } = input;
  const read = await (input.readFile ?? readFileBytes)(file);
  if (!read.ok) {
    err(`Failed to read config file: ${file}: ${read.strerror}\n`);
    return { ok: false, status: 3 };
  }
  const bytes = appendExtraConfig(read.bytes, input.extras);
  // The parser (chevrotain) loads only when a command needs it, keeping `xlsim list` quick to start.
  const [{ parseConfigBytes }, { buildDomainConfig }, { applyGlobalAffinityMasks }] = await Promise.all([
    import('../parser/config-file.js'),
    import('../parser/domain-config.js'),
    import('../parser/domain-config/xl-conf.js'),
  ]);
  if (!input.quiet) err(`Parsing config from ${file}\n`);
  const parsed = parseConfigBytes(bytes, file);
  if (!parsed.ok) {
    err(parsed.xlErrors.endsWith(PARSE_FAILED) ? parsed.xlErrors : parsed.xlErrors + PARSE_FAILED);
    return { ok: false, status: 1 };
  }
  const built = buildDomainConfig(parsed.file, { facts: input.facts, source: file, xlConf: input.xlConf });
  for (const m of built.messages) err(m.text);
  if (!built.config || (built.exitCode !== undefined && built.exitCode !== 0)) return { ok: false, status: built.exitCode ?? 1 };
  if (!input.ignoreGlobalAffinityMasks) {
    const empty = applyGlobalAffinityMasks(built.config, input.xlConf, input.facts.nrCpus);
    if (empty) {
      err(empty.text);
      return { ok: false, status: 1 };
    }
  }
  return { ok: true, config: built.config };
}
