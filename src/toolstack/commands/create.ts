/**
 * `xl create <ConfigFile> [options] [vars]` (tools/xl/xl_vmcontrol.c `main_create`,
 * `create_domain`; tools/xl/xl_parse.c `parse_config_data`; xl-commands.md §2.1
 * "create", §5.1; xl-cfg-format.md §1.1, §1.7).
 *
 * stderr on success: `Parsing config from <file>` (unless `-q`) plus any warnings the
 * parser and builder print. Exit codes: 0 ok; 1 parse/config error; 2 a second bare
 * operand (help printed); 3 unreadable file or a failed build; 6 no config file.
 * Before anything else the host's xl.conf is read (`loadXlConf`; a broken one → exit 1):
 * its values reach `buildDomainConfig`, and its `vm*.cpumask` masks narrow every vCPU's
 * hard affinity unless `-i`/`--ignore-global-affinity-masks` (an empty result prints
 * `vcpu hard affinity map is empty`, exit 1).
 * `-c` attaches the console client to the new domain once it is created and returns its
 * exit status (xl-commands.md §6; `console-follow.ts`).
 */
import { resolve } from 'node:path';
import { HostError } from '../../machine/errors.js';
import { xenCommandLine } from '../../machine/dmesg.js';
import type { Host } from '../../machine/host.js';
import type { DomainConfig } from '../../parser/libxl.js';
import { domainConfigJson, yajlStringify } from '../format/libxl-json.js';
import { commandHelp } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import { libxlLine, SITES } from '../format/log.js';
import { createDeviceLines } from '../format/device-log.js';
import { readCreateConfig, splitCreateOperands } from '../create-config.js';
import { attachConsole } from '../console-follow.js';
import { loadXlConf } from '../xl-conf.js';

/** libxl's floor for Domain-0's balloon target, KiB (LIBXL_MIN_DOM0_MEM, libxl_internal.h: 128 MiB). */
export const MIN_DOM0_KIB = 128 * 1024;

/**
 * Whether xl balloons Domain-0 down to make room (xl.conf `autoballoon`, tools/xl/xl.c
 * `parse_global_config`): `on`/`1` yes, `off`/`0` no, `auto` (the default) only when the
 * Xen command line gives no `dom0_mem=` — the emulated host boots with one, so `auto`
 * means no, as on a host installed that way.
 */
export function autoballoonOn(setting: 'on' | 'off' | 'auto' | undefined, host: Host): boolean {
  if (setting === 'on') return true;
  if (setting === 'off') return false;
  return !/\bdom0_mem=/.test(xenCommandLine(host.seed().dom0MemoryMiB));
}

/**
 * xl's `freemem` (tools/xl/xl_vmcontrol.c): when the new domain does not fit, lower
 * Domain-0's balloon target by the shortfall (never below MIN_DOM0_KIB); the create that
 * follows then finds the room, or fails with "failed to free memory for the domain".
 */
function freemem(host: Host, config: DomainConfig): void {
  const need = host.requiredKiB(config);
  const free = host.freeKiB();
  if (need === undefined || free >= need) return;
  const d0 = host.domain(0);
  if (!d0) return;
  const target = d0.targetKiB - (need - free);
  if (target >= MIN_DOM0_KIB) host.setMemoryTarget(0, target);
}

/** `xl create`: parse, build and start a domain (or print its JSON with `-n` / global `-N`). */
export const createCommand: XlCommandModule = {
  name: 'create',
  minArgs: 0,
  options: (cmd) =>
    cmd
      .option('-F')
      .option('-n, --dryrun')
      .option('-q, --quiet')
      .option('-f, --defconfig <file>')
      .option('-p')
      .option('-c')
      .option('-d')
      .option('-e')
      .option('-V, --vncviewer')
      .option('-A, --vncviewer-autopass')
      .option('-i, --ignore-global-affinity-masks'),
  async run(ctx) {
    const o = ctx.opts as {
      dryrun?: boolean;
      quiet?: boolean;
      defconfig?: string;
      p?: boolean;
      c?: boolean;
      d?: boolean;
      e?: boolean;
      ignoreGlobalAffinityMasks?: boolean;
    };
    const raw = ctx.rawArgs ?? ctx.args;
    const { file, extras, tooMany } = splitCreateOperands(raw, ctx.args, o.defconfig);
    const dryRun = o.dryrun === true || ctx.dryRun;
    let created: number | undefined;
    // Everything up to the built config happens before the write lock (DESIGN.md "The
    // store": inputs are read and validated before a write transaction starts): xl.conf
    // first, as xl reads it before anything else (tools/xl/xl.c `main`), then the file.
    const facts = await ctx.readHost((host) => host.facts());
    const xlConf = await loadXlConf(ctx.env, facts, ctx.err);
    if (!xlConf.ok) return xlConf.status;
    if (tooMany) {
      ctx.out(commandHelp(ctx.spec));
      return 2;
    }
    if (file === undefined) {
      ctx.err('Config file not specified and none in save file\n');
      return 6;
    }
    const built = await readCreateConfig(
      { file, extras, quiet: o.quiet === true, ignoreGlobalAffinityMasks: o.ignoreGlobalAffinityMasks === true, facts, xlConf: xlConf.conf, readFile: ctx.env.readFile },
      ctx.err,
    );
    if (!built.ok) return built.status;
    const config = built.config;
    if (dryRun) {
      ctx.out(yajlStringify(domainConfigJson(config, { for: 'create-n' })));
      return 0;
    }
    if (o.d) ctx.err(yajlStringify(domainConfigJson(config, { for: 'create-n' })));
    let injected = false;
    const status = await ctx.withHost(async (host) => {
      try {
        if (autoballoonOn(xlConf.conf.autoballoon, host)) freemem(host, config);
        created = host.createDomain(config, { paused: o.p === true, monitor: o.e !== true, ...(file === '-' ? {} : { configFile: resolve(file) }) });
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        const next = e.domid;
        if (e.code === 'NAME_EXISTS') {
          const name = String(config.c_info.name ?? '');
          ctx.err(libxlLine('error', SITES.domainRename, next, `Domain with name "${name}" already exists.`));
          ctx.err(libxlLine('error', SITES.createMake, next, 'cannot make domain: -6'));
        } else if (createDeviceLines(e, next) !== undefined) {
          ctx.err(createDeviceLines(e, next)!);
        } else if (e.code === 'OUT_OF_MEMORY') {
          ctx.err('failed to free memory for the domain\n');
        } else if (e.code === 'LIMIT') {
          // Xen refuses the domain (arch_sanitise_domain_config: -EINVAL); libxl reports it.
          ctx.err(libxlLine('error', SITES.domainMake, undefined, 'domain creation fail', 'Invalid argument'));
          ctx.err(libxlLine('error', SITES.createMake, next, 'cannot make domain: -3'));
        } else {
          if (e.code === 'INJECTED_FAULT') injected = true;
          ctx.err(libxlLine('error', SITES.createMake, next, `cannot make domain: -3`));
        }
        return 3;
      }
      return 0;
    });
    // An injected failure is used up even though the create failed (and saved nothing).
    if (injected) await ctx.withHost(async (host) => (host.consumeCreateFault(), 0));
    if (status !== 0 || created === undefined || !o.c) return status;
    // `-c`: the console client attaches to the new domain's primary console (xl-commands.md §6).
    const io = { store: ctx.env.store, clock: ctx.env.clock, out: ctx.out, err: ctx.err, terminal: ctx.env.terminal };
    return attachConsole(io, { domain: String(created) });
  },
};
