/**
 * `xl config-update <Domain> [<ConfigFile>] [-f FILE] [-d] [key=value ...]`
 * (tools/xl/xl_misc.c `main_config_update`; xl-commands.md §2.1 "config-update").
 *
 * Always warns first (`WARNING: xl now has better capability to manage domain
 * configuration, avoid using this command when possible`), resolves the domain from the
 * first argument as xl does (before option parsing), reads and parses the config like
 * `xl create` (extra `key=value` settings appended), prints it as JSON with `-d` or global
 * `-N` (`{"domid": null, "config": …}`), and unless dry-running prints `setting dom<id>
 * configuration` and stores it: the domain is rebuilt from it at its next restart
 * (machine controls.ts `updateConfig`, used by the monitor); `xl list -l` still shows the
 * running config. Exit codes: 0; 1 (no domain, no file, bad config); 2 (a second bare
 * operand: create's help); 253 (unreadable file: libxl's ERROR_FAIL returned as is).
 */
import { XenError } from '../../machine/xen-error.js';
import { domainConfigJson, yajlStringify } from '../format/libxl-json.js';
import { CMD_TABLE, commandHelp } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { readFileBytes } from '../io.js';
import { loadXlConf } from '../xl-conf.js';
import { appendExtraConfig, PARSE_FAILED } from '../create-config.js';

/** `xl config-update`: store a config for the domain's next reboot. */
export const configUpdateCommand: XlCommandModule = {
  name: 'config-update',
  minArgs: 0,
  options: (cmd) => cmd.option('-d').option('-q').option('-f, --defconfig <file>'),
  async run(ctx) {
    const raw = ctx.rawArgs ?? ctx.args;
    if (raw.length === 0) {
      ctx.err('xl config-update requires a domain argument\n');
      ctx.out(commandHelp(ctx.spec));
      return 1;
    }
    ctx.err('WARNING: xl now has better capability to manage domain configuration, avoid using this command when possible\n');
    const dom = raw[0]!;
    const domid = await ctx.readHost((host) => findDomain(host, dom, ctx.err));
    const o = ctx.opts as { d?: boolean; defconfig?: string };
    let file: string | undefined;
    const operands = [...ctx.args];
    const drop = (v: string): void => {
      const i = operands.indexOf(v);
      if (i >= 0) operands.splice(i, 1);
    };
    drop(dom);
    const second = raw[1];
    if (second !== undefined && !second.startsWith('-') && !second.includes('=')) {
      file = second;
      drop(second);
    }
    if (o.defconfig !== undefined) file = o.defconfig;
    const extras: string[] = [];
    for (const a of operands) {
      if (a.includes('=')) extras.push(a);
      else if (file === undefined) file = a;
      else {
        ctx.out(commandHelp(CMD_TABLE.find((s) => s.name === 'create')!));
        return 2;
      }
    }
    if (file === undefined) {
      ctx.err('Config file not specified\n');
      return 1;
    }
    const read = await (ctx.env.readFile ?? readFileBytes)(file);
    if (!read.ok) {
      ctx.err(`Failed to read config file: ${file}: ${read.strerror}\n`);
      return 253;
    }
    const facts = await ctx.readHost((host) => host.facts());
    const xlConf = await loadXlConf(ctx.env, facts, ctx.err);
    if (!xlConf.ok) return xlConf.status;
    const [{ parseConfigBytes }, { buildDomainConfig }] = await Promise.all([
      import('../../parser/config-file.js'),
      import('../../parser/domain-config.js'),
    ]);
    const parsed = parseConfigBytes(appendExtraConfig(read.bytes, extras), file);
    if (!parsed.ok) {
      ctx.err(parsed.xlErrors.endsWith(PARSE_FAILED) ? parsed.xlErrors : parsed.xlErrors + PARSE_FAILED);
      return 1;
    }
    const built = buildDomainConfig(parsed.file, { facts, source: file, xlConf: xlConf.conf });
    for (const m of built.messages) ctx.err(m.text);
    if (!built.config || (built.exitCode !== undefined && built.exitCode !== 0)) return built.exitCode ?? 1;
    const config = built.config;
    if (o.d || ctx.dryRun) ctx.out(yajlStringify({ domid: null, config: domainConfigJson(config, { for: 'create-n' }) }));
    if (ctx.dryRun) return 0;
    ctx.err(`setting dom${domid} configuration\n`);
    return ctx.withHost(async (host) => {
      try {
        host.updateConfig(domid, config);
      } catch (e) {
        if (!(e instanceof XenError)) throw e;
        ctx.err('failed to update configuration\n');
        return 1;
      }
      return 0;
    });
  },
};
