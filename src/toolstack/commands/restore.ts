/**
 * `xl restore [-p] [-e] [-d] [-F] [-c] [-V] [-A] [<ConfigFile>] <CheckpointFile>`
 * (tools/xl/xl_saverestore.c `main_restore` → xl_vmcontrol.c `create_domain` with
 * `restore_file`; xl-commands.md §2.1 "restore", §7.2).
 *
 * One operand is the save file, two are a config file then the save file; anything
 * else prints help and exits 1. The file is read and checked whole before anything is
 * built (saverestore/restore-core.ts): `Can't open restore file: <strerror>`, a short
 * header (`file/stream truncated reading header from <file>` + xl's fatal error), a
 * wrong magic (`File has wrong magic number - corrupt or for a different tool?`), a
 * truncated stream (libxc's and libxl's lines) all exit 1 and change nothing. Then one
 * write transaction builds the domain under a new domid; it runs unless `-p`; `-e` means
 * no monitor; `-c` attaches the console afterwards. `-F` (stay in the foreground),
 * `-V`/`-A` (vncviewer) are accepted; xlsim has no foreground monitor or VNC viewer to
 * run. Reading the guest's memory takes the modelled link time (saverestore/link.ts).
 */
import { fsPromises } from '../lazy-require.js';
import { commandHelp } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import { attachConsole } from '../console-follow.js';
import { strerror } from '../io.js';
import { restoreDomain } from '../saverestore/restore-core.js';
import { BufferSource } from '../saverestore/transport.js';

/** `xl restore`: see the module comment. */
export const restoreCommand: XlCommandModule = {
  name: 'restore',
  minArgs: 1,
  options: (cmd) =>
    cmd.option('-F').option('-c').option('-p').option('-d').option('-e').option('-V, --vncviewer').option('-A, --vncviewer-autopass'),
  async run(ctx) {
    const o = ctx.opts as { c?: boolean; p?: boolean; d?: boolean; e?: boolean };
    let file: string;
    let configFile: string | undefined;
    if (ctx.args.length === 1) file = ctx.args[0]!;
    else if (ctx.args.length === 2) [configFile, file] = ctx.args as [string, string];
    else {
      ctx.out(commandHelp(ctx.spec));
      return 1;
    }
    let bytes: Uint8Array;
    try {
      bytes = await fsPromises().readFile(file);
    } catch (e) {
      const code = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'EIO';
      ctx.err(`Can't open restore file: ${strerror(code)}\n`);
      return 1;
    }
    const r = await restoreDomain(ctx, {
      source: new BufferSource(bytes),
      sourceName: file,
      configFile,
      debug: o.d === true,
      paused: o.p === true,
      monitor: o.e !== true,
      incoming: false,
      readTime: true,
    });
    if (!r.ok) return 1;
    if (!o.c) return 0;
    const io = { store: ctx.env.store, clock: ctx.env.clock, out: ctx.out, err: ctx.err, terminal: ctx.env.terminal };
    return attachConsole(io, { domain: String(r.domid) });
  },
};
