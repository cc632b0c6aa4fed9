/**
 * Virtual NUMA topology (`vnuma=[ [ "pnode=0","size=512","vcpus=0-3","vdistances=10,20" ], … ]`,
 * Xen 4.6), as parse_vnuma_config in tools/xl/xl_parse.c reads it, including its cross
 * checks against `maxvcpus=`, `maxmem=` and the host (xl-cfg-format.md §4.12). Nodes
 * follow libxl_vnode_info (tools/libs/light/libxl_types.idl).
 */

import type { Value } from '../types.js';
import type { SpecMessage, SpecResult } from './types.js';
import { parseUlong, q, specMessage, splitKeyValue, strtok, strtoul, toUint32, ULONG_MAX } from './split.js';

/** Widest vCPU bitmap xlsim builds for a vnode (bits beyond it are counted but not listed). */
export const MAX_VCPU_BITS = 65536;

/** What parseVnuma needs to know besides the list: host facts and the keys read before it. */
export interface VnumaContext {
  /** Online pCPUs of the host (libxl_get_online_cpus); also the vCPU bitmap width when maxvcpus is unset. */
  nrCpus: number;
  /** Host NUMA nodes; `pnode` must be below this. */
  nrNodes: number;
  /** `maxvcpus=` when given (0 or undefined = not given). */
  maxvcpus?: number;
  /** `maxmem=` in MiB when given. */
  maxmemMiB?: number;
  /** Config source label, for libxlu's `value is not a list` warning; omitted → that warning is not produced. */
  source?: string;
}

/**
 * xl's parse_range (tools/xl/xl_parse.c) with its error ignored, as the vnuma `vcpus=`
 * code uses it: returns the `[start, end]` it leaves behind in every case.
 */
function parseRangeLoose(term: string): [bigint, bigint] {
  const a = strtoul(term, 10);
  if (a.end === 0 || a.value === ULONG_MAX) return [a.value, a.value];
  if (term[a.end] === '-') {
    const rest = term.slice(a.end + 1);
    const b = strtoul(rest, 10);
    return [a.value, b.value];
  }
  return [a.value, a.value];
}

/**
 * Parse the outer `vnuma` list (one element per virtual node) and run xl's cross checks.
 *
 * Each element must be a list (else libxlu's `<src>:<line>:0: warning: value is not a
 * list\n` — when `ctx.source` is given — then `xl: cannot get vnode config option list\n`,
 * exit 1). Inside, non-string items are skipped; each string is cut at its first `=`
 * and trimmed (`xl: failed to split "<s>" into pair\n`, exit 1). Keys:
 * - `pnode` — decimal (parse_ulong), must be < `ctx.nrNodes`
 *   (`xl: invalid pnode number: <n>\n`, exit 1);
 * - `size` — MiB, decimal; node memkb = size × 1024 (KiB);
 * - `vcpus` — `,`-separated `N` / `N-M`; each term's vCPUs count toward the total and set
 *   bits of the node's bitmap; malformed terms are not reported (xl ignores the range
 *   helper's error and uses what it left: `x` → vCPU 0, `3-x` → nothing);
 * - `vdistances` — `,`-separated decimals, position j = distance to vnode j; the
 *   `distances` array always has one entry per vnode (0 when not given);
 * - other keys: ignored (an XL312 warning with empty text).
 * Numbers failing parse_ulong → `xl: failed to convert "<v>" to number\n`, exit 1.
 *
 * Cross checks, after all nodes: with `maxvcpus` given the vCPU total must equal it
 * (`xl: vnuma vcpus and maxvcpus= mismatch\n`); otherwise the total must not exceed
 * `nrCpus` (`xl: vnuma specifies more vcpus than pcpus, use maxvcpus= to override this
 * check.\n`) and becomes maxvcpus. With `maxmemMiB` given the size sum must equal it
 * (`xl: maxmem and vnuma memory size mismatch\n`); otherwise it becomes maxmem. All exit 1,
 * code XL312.
 *
 * Returns `{ nodes, maxvcpus, maxmemMiB }`: nodes as libxl_vnode_info
 * `{ memkb? (KiB), distances, pnode?, vcpus? (set vCPU ids) }`. An empty list means xl
 * skips vnuma entirely: `nodes` is `[]` and maxvcpus/maxmemMiB echo `ctx` (0 when unset).
 */
export function parseVnuma(
  nodes: Value[],
  ctx: { nrCpus: number; nrNodes: number; maxvcpus?: number; maxmemMiB?: number; source?: string },
): SpecResult<{ nodes: Record<string, unknown>[]; maxvcpus: number; maxmemMiB: number }> {
  const messages: SpecMessage[] = [];
  const big = (n: number): bigint => BigInt(Number.isFinite(n) ? Math.trunc(n) : 0);
  const maxvcpusGiven = ctx.maxvcpus !== undefined && ctx.maxvcpus !== 0;
  if (nodes.length === 0) {
    return { value: { nodes: [], maxvcpus: ctx.maxvcpus ?? 0, maxmemMiB: ctx.maxmemMiB ?? 0 }, messages };
  }
  const fail = (text: string, message: string, span?: [number, number]) => {
    messages.push(specMessage('XL312', 'error', text, message, span));
    return { messages, exitCode: 1 };
  };
  const bitmapCpus = maxvcpusGiven ? ctx.maxvcpus! : ctx.nrCpus;
  // libxl_cpu_bitmap_alloc rounds up to whole bytes; xlsim caps the width at
  // MAX_VCPU_BITS so a huge maxvcpus cannot make it build a giant set.
  const bitmapBits = BigInt(Math.min(Math.ceil(Math.max(bitmapCpus, 0) / 8) * 8, MAX_VCPU_BITS));
  let totalVcpus = 0n;
  let sumKb = 0n;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.kind !== 'list') {
      if (ctx.source !== undefined) {
        messages.push(
          specMessage(
            'XL312',
            'warning',
            `${ctx.source}:${node.range.start.line}:0: warning: value is not a list\n`,
            `vnuma element ${i} must itself be a list of "key=value" strings`,
          ),
        );
      }
      return fail(
        'xl: cannot get vnode config option list\n',
        `vnuma element ${i} is a string (${q(node.value)}); each virtual node must be a list like ["pnode=0","size=512","vcpus=0-1","vdistances=10,20"]`,
      );
    }
    let memkb: bigint | undefined;
    let pnode = 0;
    const distances: number[] = new Array<number>(nodes.length).fill(0);
    const vcpus = new Set<number>();
    for (const item of node.items) {
      if (item.kind !== 'string') continue;
      const s = item.value;
      const kv = splitKeyValue(s);
      if (kv === undefined) {
        return fail(`xl: failed to split "${s}" into pair\n`, `vnuma item ${q(s)} is not key=value with a non-empty value`);
      }
      const conv = (text: string) => {
        const n = parseUlong(text);
        if (n === undefined) {
          fail(`xl: failed to convert "${text}" to number\n`, `vnuma ${kv.key} value ${q(text)} is not a decimal number`);
        }
        return n;
      };
      if (kv.key === 'pnode') {
        const n = conv(kv.value);
        if (n === undefined) return { messages, exitCode: 1 };
        if (n >= big(ctx.nrNodes)) {
          return fail(
            `xl: invalid pnode number: ${n}\n`,
            `vnuma pnode ${n} does not exist: this host has ${ctx.nrNodes} NUMA node(s) (0-${ctx.nrNodes - 1})`,
          );
        }
        pnode = toUint32(n);
      } else if (kv.key === 'size') {
        const n = conv(kv.value);
        if (n === undefined) return { messages, exitCode: 1 };
        memkb = BigInt.asUintN(64, n << 10n);
        sumKb = BigInt.asUintN(64, sumKb + memkb);
      } else if (kv.key === 'vcpus') {
        for (const term of strtok(kv.value, ',')) {
          const [s0, e] = parseRangeLoose(term.text);
          if (s0 > e) continue;
          if (e === ULONG_MAX) {
            return fail(
              '',
              `vnuma vcpus term ${q(term.text)} reaches ULONG_MAX: xl's counting loop never ends (it hangs)`,
            );
          }
          totalVcpus += e - s0 + 1n;
          const top = e < bitmapBits ? e : bitmapBits - 1n;
          for (let b = s0; b <= top; b++) vcpus.add(Number(b));
        }
      } else if (kv.key === 'vdistances') {
        const terms = strtok(kv.value, ',');
        for (let j = 0; j < terms.length; j++) {
          const n = conv(terms[j]!.text);
          if (n === undefined) return { messages, exitCode: 1 };
          if (j < distances.length) distances[j] = toUint32(n);
        }
        if (terms.length > distances.length) {
          messages.push(
            specMessage(
              'XL312',
              'warning',
              '',
              `vnuma node ${i} lists ${terms.length} vdistances for ${distances.length} vnode(s): xl writes the extra ones past the end of its array`,
            ),
          );
        }
      } else {
        messages.push(
          specMessage('XL312', 'warning', '', `unknown vnuma key ${q(kv.key)} is ignored (keys: pnode, size, vcpus, vdistances)`),
        );
      }
    }
    const rec: Record<string, unknown> = {};
    if (memkb !== undefined) rec.memkb = Number(memkb);
    rec.distances = distances;
    if (pnode !== 0) rec.pnode = pnode;
    if (vcpus.size > 0) rec.vcpus = [...vcpus].sort((a, b) => a - b);
    out.push(rec);
  }
  let maxvcpus: number;
  if (maxvcpusGiven) {
    if (big(ctx.maxvcpus!) !== totalVcpus) {
      return fail(
        'xl: vnuma vcpus and maxvcpus= mismatch\n',
        `the vnuma nodes list ${totalVcpus} vCPU(s) but maxvcpus=${ctx.maxvcpus}`,
      );
    }
    maxvcpus = ctx.maxvcpus!;
  } else {
    if (totalVcpus > big(ctx.nrCpus)) {
      return fail(
        'xl: vnuma specifies more vcpus than pcpus, use maxvcpus= to override this check.\n',
        `the vnuma nodes list ${totalVcpus} vCPU(s) but the host has ${ctx.nrCpus} pCPU(s); set maxvcpus= to allow it`,
      );
    }
    maxvcpus = Number(totalVcpus);
  }
  let maxmemMiB: number;
  if (ctx.maxmemMiB !== undefined) {
    if (BigInt.asUintN(64, big(ctx.maxmemMiB) * 1024n) !== sumKb) {
      return fail(
        'xl: maxmem and vnuma memory size mismatch\n',
        `the vnuma sizes add up to ${sumKb / 1024n} MiB but maxmem=${ctx.maxmemMiB}`,
      );
    }
    maxmemMiB = ctx.maxmemMiB;
  } else {
    maxmemMiB = Number(sumKb / 1024n);
  }
  return { value: { nodes: out, maxvcpus, maxmemMiB }, messages };
}
