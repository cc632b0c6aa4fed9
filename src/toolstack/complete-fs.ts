/**
 * The file-system half of completion (complete.ts is pure): directory listings for
 * `<ConfigFile>`/`<CheckpointFile>` operands and the named emulated hosts for `migrate`.
 * The REPL, `xlsim __complete` and the dashboard's `:` palette all build their
 * `CompletionSources` here, so they complete alike.
 */
import { readdirSync } from 'node:fs';
import { hostsRoot } from './commands/migrate.js';
import type { CompletionSources } from './complete.js';
import { commandNames } from './program.js';

/** Entries of `dir` with whether each is a directory; [] when it cannot be read. Never throws. */
export function listDir(dir: string): { name: string; dir: boolean }[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return [];
  }
}

/**
 * Completion sources over the real command table and file system. `domains` gives the
 * host's domain names and domids (as strings); `stateDir` is the host's state directory
 * (its named hosts for `migrate` are listed from `hostsRoot`), undefined for an in-memory
 * host (then only `localhost`).
 */
export function fsSources(domains: () => readonly string[], stateDir: string | undefined): CompletionSources {
  return {
    commands: commandNames(),
    domains,
    readdir: listDir,
    hosts: () => (stateDir === undefined ? [] : listDir(hostsRoot(stateDir)).filter((e) => e.dir).map((e) => e.name)),
  };
}
