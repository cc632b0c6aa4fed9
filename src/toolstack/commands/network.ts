/**
 * `xl network-attach <Domain> [key=value ...]` and `xl network-detach <Domain> <DevId|mac>`
 * (tools/xl/xl_nic.c `main_networkattach`, `main_networkdetach`, tools/xl/xl_parse.c
 * `parse_nic_config`; xl-commands.md §2.1 "network-attach", "network-detach";
 * xl-cfg-format.md §4.2).
 */
import { HostError } from '../../machine/errors.js';
import type { XlCommandModule } from '../command.js';
import type { NicDefaults } from '../../parser/specs/vif.js';
import { findDomain } from '../domain-arg.js';
import { loadXlConf } from '../xl-conf.js';

/**
 * `xl network-attach`: each argument is one vif field, applied over the xl.conf
 * `vif.default.script`/`bridge`/`backend`/`gatewaydev` values (`set_default_nic_values`
 * in tools/xl/xl_parse.c; a broken xl.conf → exit 1 first); `-N` prints `vif: <json>` instead.
 */
export const networkAttachCommand: XlCommandModule = {
  name: 'network-attach',
  minArgs: 1,
  async run(ctx) {
    const [{ parseNicTokens }, { yajlStringify }] = await Promise.all([
      import('../../parser/specs/vif.js'),
      import('../format/libxl-json.js'),
    ]);
    return ctx.withHost(async (host) => {
      const xlConf = await loadXlConf(ctx.env, host.facts(), ctx.err);
      if (!xlConf.ok) return xlConf.status;
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const c = xlConf.conf;
      const defaults: NicDefaults = {};
      if (c.vifDefaultBridge !== undefined) defaults.bridge = c.vifDefaultBridge;
      if (c.vifDefaultScript !== undefined) defaults.script = c.vifDefaultScript;
      if (c.vifDefaultBackend !== undefined) defaults.backend = c.vifDefaultBackend;
      if (c.vifDefaultGatewaydev !== undefined) defaults.gatewaydev = c.vifDefaultGatewaydev;
      const parsed = parseNicTokens(ctx.args.slice(1), { source: 'command line', mode: 'attach', devid: -1, defaults });
      for (const m of parsed.messages) ctx.err(m.text);
      if (!parsed.value || parsed.exitCode !== undefined) return parsed.exitCode ?? 1;
      if (ctx.dryRun) {
        ctx.out(`vif: ${yajlStringify(parsed.value)}\n`);
        return 0;
      }
      try {
        host.attachNic(domid, parsed.value);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        ctx.err('libxl_device_nic_add failed.\n');
        return 1;
      }
      return 0;
    });
  },
};

/** C `atoi`: optional blanks and sign, then digits; 0 when none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(BigInt.asIntN(32, BigInt(m[1]!))) : 0;
}

/** `xl network-detach`: an argument with `:` is a MAC address, anything else a devid (`atoi`). */
export const networkDetachCommand: XlCommandModule = {
  name: 'network-detach',
  minArgs: 2,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const which = ctx.args[1]!;
      const vifs = host.devices(domid).filter((d) => d.kind === 'vif');
      const dev = which.includes(':')
        ? vifs.find((d) => d.mac !== undefined && d.mac.toLowerCase() === which.toLowerCase())
        : vifs.find((d) => d.devid === atoi(which));
      if (!dev) {
        ctx.err(`Unknown device ${which}.\n`);
        return 1;
      }
      try {
        host.detachNic(domid, dev.devid);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        ctx.err('libxl_device_nic_del failed.\n');
        return 1;
      }
      return 0;
    }),
};
