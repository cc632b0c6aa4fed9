/**
 * Helpers shared by the domain-config tests: parse a config text, build the domain
 * config as xl would, and look at what a user sees (stderr bytes, exit code, the JSON
 * `xl create -n` prints).
 */
import { expect } from 'vitest';
import { parseConfig } from '../../src/parser/config-file.js';
import { buildDomainConfig, type BuildOptions, type BuildResult } from '../../src/parser/domain-config.js';
import { domainConfigJson } from '../../src/toolstack/format/libxl-json.js';
import type { HostFacts } from '../../src/parser/libxl.js';

export const FACTS: HostFacts = { nrCpus: 8, nrNodes: 2, arch: 'x86' };

/** A deterministic random source (a small LCG), so generated UUIDs are reproducible. */
export function seeded(seed = 1): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Builds `text` (which must parse) as file `t.cfg`. */
export function build(text: string, opts: Partial<BuildOptions> = {}): BuildResult {
  const p = parseConfig(text, 't.cfg');
  expect(p.xlErrors).toBe('');
  return buildDomainConfig(p.file, { facts: FACTS, source: 't.cfg', random: seeded(), ...opts });
}

/** What xl writes to stderr while building (all messages, in order). */
export function stderr(r: BuildResult): string {
  return r.messages.map((m) => m.text).join('');
}

/** The create -n JSON object of a successful build. */
export function json(r: BuildResult): Record<string, unknown> {
  expect(r.exitCode, stderr(r)).toBeUndefined();
  expect(r.config).toBeDefined();
  return domainConfigJson(r.config!, { for: 'create-n' }) as Record<string, unknown>;
}

/** Reads a dotted path (`b_info.type.hvm.vga` — the `type.X` member counts as one step). */
export function at(obj: unknown, path: string): unknown {
  const parts: string[] = [];
  const raw = path.split('.');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 'type' && (raw[i + 1] === 'hvm' || raw[i + 1] === 'pv' || raw[i + 1] === 'pvh') && parts[parts.length - 1] === 'b_info') {
      parts.push(`type.${raw[i + 1]}`);
      i++;
    } else {
      parts.push(raw[i]!);
    }
  }
  let cur: unknown = obj;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Base configs: a minimal valid guest of each type. */
export const PV = 'name="t"\nkernel="/boot/vmlinuz"\n';
export const PVH = 'name="t"\ntype="pvh"\nkernel="/boot/vmlinuz"\n';
export const HVM = 'name="t"\ntype="hvm"\n';
