/**
 * `xl block-attach <Domain> <disk-spec-component(s)>...` and
 * `xl block-detach [-f] <Domain> <DevId>` (tools/xl/xl_block.c `main_blockattach`,
 * `main_blockdetach`, tools/xl/xl_parse.c `parse_disk_config_multistring`;
 * xl-commands.md §2.1 "block-attach", "block-detach"; xl-cfg-format.md §4.1).
 */
import { HostError } from '../../machine/errors.js';
import { vdevToDevid } from '../../parser/specs/vdev.js';
import type { XlCommandModule } from '../command.js';
import { findDomain, qualifierToDomid } from '../domain-arg.js';

/** `xl block-attach`: the components form one disk spec; `-N` prints `disk: <json>` instead. */
export const blockAttachCommand: XlCommandModule = {
  name: 'block-attach',
  minArgs: 2,
  async run(ctx) {
    const [{ parseDiskSpecs }, { yajlStringify }] = await Promise.all([
      import('../../parser/specs/disk.js'),
      import('../format/libxl-json.js'),
    ]);
    return ctx.withHost(async (host) => {
      const domid = qualifierToDomid(host, ctx.args[0]!);
      if (domid === undefined) {
        ctx.err(`${ctx.args[0]!} is an invalid domain identifier\n`);
        return 1;
      }
      const parsed = parseDiskSpecs(ctx.args.slice(1), 'command line');
      for (const m of parsed.messages) ctx.err(m.text);
      if (!parsed.value || parsed.exitCode !== undefined) return parsed.exitCode ?? 1;
      if (ctx.dryRun) {
        ctx.out(`disk: ${yajlStringify(parsed.value)}\n`);
        return 0;
      }
      try {
        host.attachDisk(domid, parsed.value);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        ctx.err('libxl_device_disk_add failed.\n');
        return 1;
      }
      return 0;
    });
  },
};

/** `xl block-detach`: removes the vbd named by vdev (`xvdb`) or device number (`51728`). */
export const blockDetachCommand: XlCommandModule = {
  name: 'block-detach',
  minArgs: 2,
  options: (cmd) => cmd.option('-f, --force'),
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const domid = findDomain(host, ctx.args[0]!, ctx.err);
      const vdev = ctx.args[1]!;
      const devid = vdevToDevid(vdev);
      const present = devid !== undefined && host.devices(domid).some((d) => d.kind === 'vbd' && d.devid === devid);
      if (!present) {
        ctx.err(`Error: Device ${vdev} not connected.\n`);
        return 1;
      }
      try {
        host.detachDisk(domid, devid);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        ctx.err(ctx.opts.force === true ? 'libxl_device_disk_destroy failed.\n' : 'libxl_device_disk_safe_remove failed.\n');
        return 1;
      }
      return 0;
    }),
};
