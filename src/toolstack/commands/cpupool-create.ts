/**
 * `xl cpupool-create [-n] [-f FILE] [<ConfigFile>] [Variable=value ...]`
 * (tools/xl/xl_cpupool.c `main_cpupoolcreate`, tools/libs/light/libxl_cpupool.c
 * `libxl_cpupool_create`; docs/man/xlcpupool.cfg.5.pod).
 *
 * The config (a file, `key=value` operands appended after it, or only the operands,
 * source "command line") is parsed by libxlu: `name` (default: the file's basename),
 * `sched` (default: the hypervisor's boot scheduler), and the pCPUs as `nodes` (a list
 * of NUMA nodes: their free pCPUs), or `cpus` (a list of pCPU numbers, or a CPU-list
 * string as `vcpu-pin` takes). The summary goes to stdout; with `-n` / global `-N`
 * nothing is created. Every failure exits 1 with xl's message: `Missing cpupool name!`,
 * `Pool name "<n>" already exists`, `Unknown scheduler`, `no free cpu found`, `cpu N
 * illegal or not free`, `error on creating cpupool` (after libxl's `Could not create
 * cpupool` for a scheduler Xen was not built with).
 */
import type { Host } from '../../machine/host.js';
import type { SchedulerName } from '../../machine/pools.js';
import { XenError } from '../../machine/xen-error.js';
import type { ConfigFile } from '../../parser/config-file.js';
import { parseCpuList } from '../../parser/specs/cpumap.js';
import { commandHelp } from '../cmdtable.js';
import type { CommandContext, XlCommandModule } from '../command.js';
import { cpupoolByName } from '../cpupool-arg.js';
import { libxlLine } from '../format/log.js';
import { MORE_SITES as S } from '../format/log-sites.js';
import { readFileBytes } from '../io.js';
import { strtol10 } from './domid.js';

/** libxl_scheduler names (libxl_types.idl), matched without regard to case as `libxl_scheduler_from_string`. */
const SCHEDULERS = ['unknown', 'sedf', 'credit', 'credit2', 'arinc653', 'rtds', 'null'];

/** C `atoi`. */
function atoi(s: string): number {
  return Number(BigInt.asIntN(32, strtol10(s).value));
}

/** NUMA node of pCPU `cpu` (node k owns the k-th nrCpus/nrNodes pCPUs, the last the rest; as `xl info -n`). */
export function nodeOf(cpu: number, nrCpus: number, nrNodes: number): number {
  const per = Math.max(1, Math.floor(nrCpus / Math.max(1, nrNodes)));
  return Math.min(nrNodes - 1, Math.floor(cpu / per));
}

/** The pCPUs the config asks for, or an exit status after xl's message. */
function chooseCpus(ctx: CommandContext, host: Host, cfg: ConfigFile, lists: typeof import('../../parser/getters.js')): number[] | number {
  const report = (t: string): void => ctx.err(t);
  const free = new Set(host.freeCpus());
  const facts = host.facts();
  const nodes = lists.getList(cfg, 'nodes', report);
  if (nodes) {
    const out: number[] = [];
    for (let i = 0; ; i++) {
      const item = lists.listItem(nodes, i);
      if (item === undefined) break;
      const n = atoi(item);
      for (let c = 0; c < facts.nrCpus; c++) if (nodeOf(c, facts.nrCpus, facts.nrNodes) === n && free.has(c) && !out.includes(c)) out.push(c);
    }
    if (out.length === 0) {
      ctx.err('no free cpu found\n');
      return 1;
    }
    return out;
  }
  const list = lists.getList(cfg, 'cpus');
  if (list) {
    const out: number[] = [];
    for (let i = 0; ; i++) {
      const item = lists.listItem(list, i);
      if (item === undefined) break;
      const c = atoi(item);
      if (c < 0 || !free.has(c)) {
        ctx.err(`cpu ${c} illegal or not free\n`);
        return 1;
      }
      out.push(c);
    }
    return out;
  }
  const text = lists.getString(cfg, 'cpus', report);
  if (text !== undefined) {
    const r = parseCpuList(text, { nrCpus: facts.nrCpus, nrNodes: facts.nrNodes });
    for (const m of r.messages) ctx.err(m.text);
    if (r.exitCode) return 1;
    for (const c of r.value ?? []) {
      if (!free.has(c)) {
        ctx.err(`cpu ${c} illegal or not free\n`);
        return 1;
      }
    }
    return r.value ?? [];
  }
  return [];
}

/** `xl cpupool-create`: make a cpupool from a cpupool config. */
export const cpupoolCreateCommand: XlCommandModule = {
  name: 'cpupool-create',
  minArgs: 0,
  options: (cmd) => cmd.option('-f, --defconfig <file>').option('-n, --dryrun'),
  async run(ctx) {
    const o = ctx.opts as { defconfig?: string; dryrun?: boolean };
    const dryRun = o.dryrun === true || ctx.dryRun;
    let file = o.defconfig;
    let extra = '';
    for (const a of ctx.args) {
      if (a.includes('=')) extra += `\n${a}`;
      else if (file === undefined) file = a;
      else {
        ctx.out(commandHelp(ctx.spec));
        return 1;
      }
    }
    let bytes: Uint8Array = new Uint8Array();
    if (file !== undefined) {
      const read = await (ctx.env.readFile ?? readFileBytes)(file);
      if (!read.ok) {
        ctx.err(`Failed to read config file: ${file}: ${read.strerror}\n`);
        return 1;
      }
      bytes = read.bytes;
    }
    const source = file ?? 'command line';
    if (extra !== '') {
      const tail = new TextEncoder().encode(`${extra}\n`);
      const all = new Uint8Array(bytes.length + tail.length);
      all.set(bytes, 0);
      all.set(tail, bytes.length);
      bytes = all;
    }
    const [{ parseConfigBytes }, getters] = await Promise.all([import('../../parser/config-file.js'), import('../../parser/getters.js')]);
    const parsed = parseConfigBytes(bytes, source);
    if (!parsed.ok) {
      ctx.err(`${parsed.xlErrors}Failed to parse config file: Invalid argument\n`);
      return 1;
    }
    const cfg = parsed.file;
    const report = (t: string): void => ctx.err(t);
    return (dryRun ? ctx.readHost : ctx.withHost)(async (host: Host) => {
      let name = getters.lookupString(cfg, 'name', report).value;
      if (name === undefined) {
        if (file === undefined) {
          ctx.err('Missing cpupool name!\n');
          return 1;
        }
        name = file.slice(file.lastIndexOf('/') + 1);
      }
      if (cpupoolByName(host.cpupools(), name)) {
        ctx.err(`Pool name "${name}" already exists\n`);
        return 1;
      }
      let sched: string = host.info().scheduler;
      const given = getters.lookupString(cfg, 'sched', report);
      if (given.status === 'ok') {
        const s = SCHEDULERS.find((x) => x === given.value.toLowerCase());
        if (!s) {
          ctx.err('Unknown scheduler\n');
          return 1;
        }
        sched = s;
      }
      const cpus = chooseCpus(ctx, host, cfg, getters);
      if (typeof cpus === 'number') return cpus;
      ctx.out(`Using config file "${source}"\ncpupool name:   ${name}\nscheduler:      ${sched}\nnumber of cpus: ${cpus.length}\n`);
      if (dryRun) return 0;
      try {
        host.createCpupool(name, sched as SchedulerName, cpus);
      } catch (e) {
        if (!(e instanceof XenError)) throw e;
        // xc_cpupool_create returns -1 to libxl's LOGEV, so no strerror follows.
        ctx.err(libxlLine('error', e.errno === 'ENOENT' || e.errno === 'ENOSPC' ? S.poolCreate : S.poolCreateCpu, undefined,
          e.errno === 'ENOENT' || e.errno === 'ENOSPC' ? 'Could not create cpupool' : 'Error moving cpu to cpupool'));
        ctx.err('error on creating cpupool\n');
        return 1;
      }
      return 0;
    });
  },
};
