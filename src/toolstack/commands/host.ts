/**
 * `xlsim host …`: xlsim's own commands about the emulated machine itself (not an xl
 * subcommand; matched by its exact name only).
 *
 * - `host init [--host FILE]`: start a fresh host from a host description (hostdesc.ts),
 *   or the default host; the previous host is kept as the backup, as `--reset` does.
 * - `host show`: the machine as a host description (JSON), plus what is running (domains,
 *   free memory, faults, a running `xl devd`).
 * - `host restore-backup`: bring back the host `init`/`--reset` kept (the current one
 *   becomes the backup).
 * - `host fault fail-creates N | ignore-shutdown DOMAIN [on|off] | crash-after DOMAIN SECONDS | clear`:
 *   rehearse what scripts do when things go wrong.
 *
 * Exit status: 0 done, 1 the host refused (an unknown domain …), 2 a bad argument or an
 * unreadable description.
 */
import { HostError } from '../../machine/errors.js';
import { seedFromDescription } from '../../machine/hostdesc.js';
import type { CmdSpec } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { liveDevds } from './devd.js';
import { readFileBytes } from '../io.js';
import { StoreError } from '../store.js';

/** Help-table row of `host` (printed by `xlsim host -h` / `xlsim help host`). */
export const HOST_SPEC: CmdSpec = {
  name: 'host',
  desc: 'Manage the emulated host itself (xlsim extension)',
  usage: 'init [--host FILE] | show | restore-backup | fault <fail-creates N|ignore-shutdown DOMAIN [on|off]|crash-after DOMAIN SECONDS|clear>',
  options:
    '--host FILE             init: a JSON host description: cpus {nodes, sockets,\n' +
    '                        cores, threads}, memory_mib, dom0 {memory_mib, vcpus};\n' +
    '                        optional xen_version, scheduler, cpu_mhz, hostname, pci.\n' +
    '-h, --help              Print this help.',
  modifies: true,
  canDryrun: false,
};

/** Largest host description file read, bytes. */
const MAX_DESC_BYTES = 1 << 20;

/** `xlsim host`. */
export const hostCommand: XlCommandModule = {
  name: 'host',
  minArgs: 1,
  options: (cmd) => cmd.option('--host <file>'),
  async run(ctx) {
    const [verb, ...rest] = ctx.args;
    const o = ctx.opts as { host?: string };
    const usage = (msg: string): number => {
      ctx.err(`xlsim host: ${msg}\n`);
      return 2;
    };
    switch (verb) {
      case 'init': {
        let seed = {};
        if (o.host !== undefined) {
          const read = await (ctx.env.readFile ?? readFileBytes)(o.host);
          if (!read.ok) return usage(`cannot read ${o.host}: ${read.strerror}`);
          if (read.bytes.length > MAX_DESC_BYTES) return usage(`${o.host}: a host description is at most 1 MiB`);
          let json: unknown;
          try {
            json = JSON.parse(new TextDecoder().decode(read.bytes));
          } catch (e) {
            return usage(`${o.host}: not JSON (${e instanceof Error ? e.message : String(e)})`);
          }
          try {
            seed = seedFromDescription(json);
          } catch (e) {
            if (e instanceof HostError) return usage(`${o.host}: ${e.message}`);
            throw e;
          }
        }
        if (rest.length) return usage(`init takes no operands (got ${rest.join(' ')})`);
        const backup = await ctx.env.store.reset(ctx.env.clock, seed);
        const info = await ctx.readHost((h) => h.info());
        ctx.out(`host ${info.hostname}: ${info.nrCpus} pCPUs in ${info.nrNodes} node(s), ${info.totalMemoryMiB} MiB, Xen ${info.xenMajor}.${info.xenMinor}${info.xenExtra}, ${info.scheduler}\n`);
        if (backup) ctx.err(`xlsim: the previous host is kept in ${backup} ('xlsim host restore-backup' brings it back)\n`);
        return 0;
      }
      case 'show':
        return ctx.readHost((h) => {
          const s = h.seed();
          const desc = {
            hostname: s.hostname,
            cpus: { nodes: s.nrNodes, sockets: Math.max(1, Math.round(s.nrCpus / (s.coresPerSocket * s.threadsPerCore))), cores: s.coresPerSocket, threads: s.threadsPerCore },
            memory_mib: s.totalMemoryMiB,
            dom0: { memory_mib: s.dom0MemoryMiB, vcpus: s.dom0Vcpus },
            xen_version: `${s.xenMajor}.${s.xenMinor}${s.xenExtra}`,
            scheduler: s.scheduler,
            cpu_mhz: s.cpuMhz,
            xen_reserved_mib: s.xenReservedMiB,
            ...(s.pci?.length ? { pci: s.pci } : {}),
          };
          ctx.out(`${JSON.stringify(desc, null, 2)}\n`);
          ctx.out(`domains: ${h.domainCount()}, free memory: ${Math.floor(h.freeKiB() / 1024)} MiB, faults: ${JSON.stringify(h.faults())}\n`);
          for (const pid of liveDevds(h.ha.devds(), ctx.env.store.dir === undefined)) ctx.out(`xl devd: pid ${pid}, watching /local/domain/0/backend\n`);
          return 0;
        });
      case 'restore-backup':
        try {
          await ctx.env.store.restoreBackup();
        } catch (e) {
          if (e instanceof StoreError && e.code === 'NO_BACKUP') {
            ctx.err(`xlsim: ${e.message}\n`);
            return 1;
          }
          throw e;
        }
        ctx.err('xlsim: the backup host is back; the host it replaced is now the backup\n');
        return 0;
      case 'fault':
        return fault(ctx, rest, usage);
      default:
        return usage(verb === undefined ? 'which: init, show, restore-backup or fault?' : `unknown verb '${verb}' (init, show, restore-backup or fault)`);
    }
  },
};

async function fault(ctx: Parameters<XlCommandModule['run']>[0], args: string[], usage: (m: string) => number): Promise<number> {
  const [what, a, b] = args;
  const num = (s: string | undefined): number | undefined => (s !== undefined && /^\d+(\.\d+)?$/.test(s) ? Number(s) : undefined);
  switch (what) {
    case 'fail-creates': {
      const n = num(a);
      if (n === undefined || !Number.isInteger(n)) return usage('fault fail-creates N: N is how many of the next creates fail');
      return ctx.withHost(async (host) => (host.injectFault({ kind: 'fail-creates', count: n }), 0));
    }
    case 'clear':
      return ctx.withHost(async (host) => (host.injectFault({ kind: 'fail-creates', count: 0 }), 0));
    case 'ignore-shutdown': {
      if (a === undefined || (b !== undefined && b !== 'on' && b !== 'off')) return usage('fault ignore-shutdown DOMAIN [on|off]');
      return ctx.withHost(async (host) => guard(ctx, () => host.injectFault({ kind: 'ignore-shutdown', domid: findDomain(host, a, ctx.err), on: b !== 'off' })));
    }
    case 'crash-after': {
      const s = num(b);
      if (a === undefined || s === undefined) return usage('fault crash-after DOMAIN SECONDS');
      return ctx.withHost(async (host) => guard(ctx, () => host.injectFault({ kind: 'crash-after', domid: findDomain(host, a, ctx.err), seconds: s })));
    }
    default:
      return usage('fault fail-creates N | ignore-shutdown DOMAIN [on|off] | crash-after DOMAIN SECONDS | clear');
  }
}

/** Runs a host change, turning a refusal into one `xlsim:` line and exit 1. */
function guard(ctx: Parameters<XlCommandModule['run']>[0], fn: () => void): number {
  try {
    fn();
    return 0;
  } catch (e) {
    if (!(e instanceof HostError)) throw e;
    ctx.err(`xlsim: ${e.message}\n`);
    return 1;
  }
}
