/**
 * `xl migrate-receive [-F] [-e] [-d] [-p]` — "for internal use only": the far end of
 * `xl migrate`, reading the stream on stdin and answering on stdout
 * (tools/xl/xl_migrate.c `main_migrate_receive`, `migrate_receive`; xl-commands.md §7.3).
 *
 * It prints `migration target: Ready to receive domain.`, sends the banner, receives the
 * domain paused as `<name>--incoming` (saverestore/restore-core.ts: nothing is built
 * before the whole stream arrived), prints `migration target: Transfer complete,
 * requesting permission to start domain.` and says so; on the sender's go-ahead it
 * renames the domain to `<name>`, unpauses it (not with `-p`), prints `migration target:
 * Domain started successsfully.` (sic) and reports status 0. A failure at that point
 * (the name is taken here) reports libxl's rc, destroys its copy and gives the sender
 * permission to resume. `-e` (or the sender's `-e`/`-F`): no monitor. `-d`: the config
 * as JSON on stderr. Operands: help, exit 1.
 *
 * `-r`: the backup end of `xl remus`. The stream is checkpointed: the domain is kept,
 * paused, as `<name>--incoming` from the first checkpoint on and each checkpoint is
 * applied to it (restore-core.ts `restoreCheckpointed`). There is no handshake after the
 * banner: the receiver reads until the primary's stream breaks (the primary host failed,
 * its domain was destroyed, or `xl remus` ended) and then fails over as xl_migrate.c
 * `migrate_receive` does: `migration target: Remus Failover for domain <id>`, the copy
 * renamed to `<name>` (when that fails: `migration target (Remus): Failed to rename domain
 * from <name>--incoming to <name>:<rc>`, and it keeps running under the other name) and
 * unpaused; exit 0, or 1 when the unpause failed. COLO (`--colo`) is refused: xlsim does
 * not emulate it (docs/compat.md).
 *
 * Unlike xl, a receiver whose sender vanished after the domain was built destroys its
 * `--incoming` copy before exiting (docs/compat.md); under `-r` a vanished sender is the
 * failover instead, as in xl.
 */
import { HostError } from '../../machine/errors.js';
import { commandHelp } from '../cmdtable.js';
import type { CommandContext, XlCommandModule } from '../command.js';
import { libxlLine, SITES } from '../format/log.js';
import { SR_SITES } from '../saverestore/format.js';
import { BANNER, GO, msgBytes, READY, readFixed, REPORT } from '../saverestore/protocol.js';
import { restoreCheckpointed, restoreDomain } from '../saverestore/restore-core.js';
import { StreamSink, StreamSource, type ByteSink, type ByteSource } from '../saverestore/transport.js';

/** How the receiver was asked to run (migrate-receive's options). */
export interface ReceiveFlags {
  debug: boolean;
  /** Whether an xl monitor applies the on_* actions (not with `-e`). */
  monitor: boolean;
  /** `-p`: leave the domain paused once it is ours. */
  pauseAfter: boolean;
  /** `-r`: a Remus checkpointed stream (LIBXL_CHECKPOINTED_STREAM_REMUS). */
  checkpointed?: boolean;
}

/**
 * xl_migrate.c `migrate_receive` over `input` (the sender's stream) and `output` (our
 * answers); returns the exit status. See the module comment.
 */
export async function receiveMigration(ctx: CommandContext, input: ByteSource, output: ByteSink, f: ReceiveFlags): Promise<number> {
  const send = async (msg: Uint8Array, what: string): Promise<boolean> => {
    try {
      await output.write(msg);
      return true;
    } catch {
      ctx.err(libxlLine('error', SR_SITES.writeExactly, undefined, `failed to write ${what} from migration ack stream`, 'Broken pipe'));
      return false;
    }
  };
  ctx.err('migration target: Ready to receive domain.\n');
  if (!(await send(msgBytes(BANNER), 'banner'))) {
    ctx.err('xl: fatal error: xl_migrate.c:340: Broken pipe: libxl_write_exactly( ctx, send_fd, migrate_receiver_banner, sizeof(migrate_receiver_banner)-1, "migration ack stream", "banner")\n');
    return 1;
  }
  const req = { source: input, sourceName: '<incoming migration stream>', debug: f.debug, paused: true, monitor: f.monitor, incoming: true, readTime: false };
  if (f.checkpointed) return remusFailover(ctx, await restoreCheckpointed(ctx, req));
  const r = await restoreDomain(ctx, req);
  if (!r.ok) {
    if (!r.fatal) ctx.err(`migration target: Domain creation failed (code ${r.rc}).\n`);
    return 1;
  }
  const destroyCopy = () => ctx.withHost(async (host) => {
    if (host.domain(r.domid)) host.destroy(r.domid);
    return 0;
  });
  ctx.err('migration target: Transfer complete, requesting permission to start domain.\n');
  if (!(await send(msgBytes(READY), 'ready message'))) {
    await destroyCopy();
    return 1;
  }
  let rc = 0;
  if (!(await readFixed(input, GO, 'GO message', undefined, ctx.err))) {
    rc = 1;
  } else {
    ctx.err('migration target: Got permission, starting domain.\n');
    await ctx.withHost(async (host) => {
      try {
        host.rename(r.domid, r.commonName);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        if (e.code === 'NAME_EXISTS') ctx.err(libxlLine('error', SITES.domainRename, r.domid, `Domain with name "${r.commonName}" already exists.`));
        rc = -6;
        return 1;
      }
      if (!f.pauseAfter) host.unpause(r.domid);
      return 0;
    });
    if (rc === 0) ctx.err('migration target: Domain started successsfully.\n');
  }
  const status = new Uint8Array([-rc & 0xff]);
  if (!(await send(msgBytes(REPORT), 'success/failure report')) || !(await send(status, 'success/failure code'))) {
    if (rc) await destroyCopy();
    return 1;
  }
  if (rc) {
    ctx.err('migration target: Failure, destroying our copy.\n');
    await destroyCopy();
    ctx.err('migration target: Cleanup OK, granting sender permission to resume.\n');
    if (!(await send(msgBytes(GO), 'permission to sender to have domain back'))) return 1;
  }
  return 0;
}

/**
 * xl_migrate.c `migrate_receive` after `create_domain` returned for a Remus stream: the
 * primary has gone, so the backup's copy becomes the domain (see the module comment).
 * Returns the exit status.
 */
async function remusFailover(ctx: CommandContext, r: Awaited<ReturnType<typeof restoreCheckpointed>>): Promise<number> {
  if (!r.ok) {
    if (!r.fatal) ctx.err(`migration target: Domain creation failed (code ${r.rc}).\n`);
    return 1;
  }
  ctx.err(`migration target: Remus Failover for domain ${r.domid}\n`);
  let renameRc = 0;
  let unpauseRc = 0;
  await ctx.withHost(async (host) => {
    if (r.name !== r.commonName) {
      try {
        host.rename(r.domid, r.commonName);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        if (e.code === 'NAME_EXISTS') ctx.err(libxlLine('error', SITES.domainRename, r.domid, `Domain with name "${r.commonName}" already exists.`));
        renameRc = e.code === 'NAME_EXISTS' ? -6 : -3;
      }
    }
    try {
      host.unpause(r.domid);
    } catch (e) {
      if (!(e instanceof HostError)) throw e;
      unpauseRc = -3;
    }
    return 0;
  });
  if (renameRc) ctx.err(`migration target (Remus): Failed to rename domain from ${r.name} to ${r.commonName}:${renameRc}\n`);
  if (unpauseRc) ctx.err(`migration target (Remus): Failed to unpause domain ${r.commonName} (id: ${r.domid}):${unpauseRc}\n`);
  return unpauseRc ? 1 : 0;
}

/** `xl migrate-receive`: see the module comment. */
export const migrateReceiveCommand: XlCommandModule = {
  name: 'migrate-receive',
  minArgs: 0,
  options: (cmd) =>
    cmd.option('-F').option('-e').option('-d').option('-r').option('-p')
      .option('--colo').option('--coloft-script <script>').option('--userspace-colo-proxy'),
  async run(ctx) {
    const o = ctx.opts as { e?: boolean; d?: boolean; r?: boolean; p?: boolean; colo?: boolean };
    if (ctx.args.length !== 0) {
      ctx.out(commandHelp(ctx.spec));
      return 1;
    }
    if (o.colo) {
      ctx.err('xlsim: COLO checkpointed streams (migrate-receive --colo) are not emulated\n');
      return 1;
    }
    if (o.r) {
      // The primary's xl may be gone before we fail over (that is why we do): like xl, which
      // ignores SIGPIPE, carry on when nobody reads our stderr any more.
      process.stderr.removeAllListeners('error');
      process.stderr.on('error', () => undefined);
    }
    const output = new StreamSink(process.stdout);
    const code = await receiveMigration(ctx, new StreamSource(process.stdin), output, {
      debug: o.d === true, monitor: o.e !== true, pauseAfter: o.p === true, checkpointed: o.r === true,
    });
    process.stdin.destroy();
    return code;
  },
};
