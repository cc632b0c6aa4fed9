/**
 * `xl remus [-i MS] [-u] [-s sshcommand] [-e] [-N netbufscript] [-F] [-b] [-n] [-d] [-c] [-p]
 * <Domain> [<host>]`: Remus high availability — the domain keeps running here while a
 * paused copy on `<host>` is brought up to date every checkpoint, and takes over when this
 * side goes away (Xen 4.20.0 tools/xl/xl_migrate.c `main_remus`, xl_cmdtable.c,
 * docs/man/xl.1.pod.in "remus"; libxl's part in saverestore/remus.ts).
 *
 * xl's checks, in its order: getopt wants two operands (`<host>` is needed even with
 * `-b`); `-i` is C `atoi`, and 0 (or none) means 200 ms; `-p` without `-c` prints
 * `Option -p must be used in conjunction with -c` (no newline) and exits 255; with `-c`,
 * any of `-i`, `-b`, `-n`, `-d` prints perror's `option -c is conflict with -i, -d, -n or
 * -b: Success` and exits 255, and without `-u` perror's `COLO can't be used with memory
 * compression. Disable memory checkpoint compression now...: Success` (a warning). COLO
 * itself is not emulated: after those checks `-c` is refused with a message, exit 1.
 * `-u` changes nothing (libxl 4.20 has no checkpoint compression); `-N` names the netbuf
 * script (default: xl.conf's `remus.default.netbufscript`, else libxl's
 * `/etc/xen/scripts/remus-netbuf-setup`), which xlsim never runs: what the script would
 * leave in xenstore is modelled instead (machine ha.ts).
 *
 * Transport: `-b` writes the stream nowhere (`/dev/null`: no backup, no handshake).
 * Otherwise the backup runs `migrate-receive -r` as for `xl migrate` (migrate.ts
 * `startPeer`): `-s CMD` runs xl's exact `sh -c "exec CMD <host> xlsim migrate-receive -r
 * "` (` -e` added for `-e`; xl passes no `-t`/`-v` here), `-s ''` runs `<host>`, and without
 * `-s` `<host>` names an emulated host (`localhost` is this one). The backup is started in
 * a session of its own, as a remote xl under sshd is out of reach of our terminal's
 * Ctrl-C. After the banner, xl's header (`Saving to migration stream new xl format …`),
 * then libxl's Remus.
 *
 * How it ends (after libxl returned; see the backup's side in migrate-receive.ts):
 * - the primary domain is gone (`xl destroy` forces a failover): `Remus: Primary domain
 *   has been destroyed.`, exit 0; the backup's copy takes over under the domain's name;
 * - the suspend timed out: `Failed to suspend domain at primary.`, exit 1;
 * - anything else (the backup went away, the device checks failed):
 *   `Remus: Backup failed? resuming domain at primary.`, the domain is resumed, exit 1;
 * - interrupted (SIGINT/SIGTERM in the CLI, Ctrl-C at the prompt): exit 130 (143 for
 *   SIGTERM). A checkpoint in progress is undone (the primary runs on as before) and the
 *   network buffers are torn down; the stream to the backup ends, which the backup takes
 *   for a failed primary: it fails over, as it would when real xl is killed. On
 *   `localhost` the name is then still taken, so the copy runs on as
 *   `<name>--incoming` (xl's `Failed to rename domain` line).
 * When the stream to the backup ends, xlsim waits (at most 2 s) for the backup to finish,
 * so that its lines come before ours ends (docs/compat.md).
 */
import type { Clock, DomainInfo } from '../../machine/api.js';
import type { CommandContext, XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine } from '../format/log.js';
import { CancelledError, endsItselfOnSignal, unlessCancelled } from '../io.js';
import { refuseDomain0, saveCoreBegin } from '../saverestore/config.js';
import { encodeXlHeader, savingLine } from '../saverestore/format.js';
import { BANNER, childReport, readFixed } from '../saverestore/protocol.js';
import { remusStart, teardownDevices, XEN_SCRIPT_DIR, type RemusInfo } from '../saverestore/remus.js';
import { RC, SUSPEND_SITES } from '../saverestore/suspend.js';
import { settle, type ByteSink, type ByteSource, type Peer } from '../saverestore/transport.js';
import { minLevel, XtlStdio } from '../saverestore/xtl.js';
import { loadXlConf } from '../xl-conf.js';
import { atoi } from './device-util.js';
import { receiveMigration } from './migrate-receive.js';
import { startPeer } from './migrate.js';

/**
 * The transport command line of `xl remus -s <ssh>` (xl_migrate.c `main_remus`:
 * `"exec %s %s xl migrate-receive %s %s"` with `-r` and `""` or `" -e"`, so a trailing
 * space, or two spaces before `-e`), with `xlsim` where xl runs `xl`; `<host>` itself when
 * `ssh` is empty.
 */
export function remusRune(ssh: string, host: string, daemonize: boolean): string {
  if (ssh === '') return host;
  return `exec ${ssh} ${host} xlsim migrate-receive -r ${daemonize ? '' : ' -e'}`;
}

/** A sink that keeps nothing (`/dev/null`, for `-b`). */
const NULL_SINK: ByteSink = { write: async () => undefined, end: () => undefined };

/** `clock` whose cancelled sleeps simply end: an in-process backup is another host, and our Ctrl-C is not its. */
function uncancelled(clock: Clock): Clock {
  return {
    now: () => clock.now(),
    sleepUntil: (ms) => clock.sleepUntil(ms).catch((e: unknown) => {
      if (!(e instanceof CancelledError)) throw e;
    }),
  };
}

/** A peer whose reads and writes end with `CancelledError` when `signal` fires. */
function cancellablePeer(peer: Peer, signal: AbortSignal | undefined): { from: ByteSource; to: ByteSink } {
  return {
    from: { read: (n) => unlessCancelled(signal, peer.from.read(n)) },
    to: { write: (b) => unlessCancelled(signal, peer.to.write(b)), end: () => peer.to.end() },
  };
}

/** Ends the stream to the backup and gives it (at most 2 s of real time) to finish, then lets it run on by itself. */
async function letBackupGo(peer: Peer): Promise<void> {
  peer.to.end();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 2000);
  });
  await Promise.race([peer.exited, late]);
  clearTimeout(timer);
  await settle();
  peer.release();
}

/** `xl remus`: see the module comment. */
export const remusCommand: XlCommandModule = {
  name: 'remus',
  minArgs: 2,
  options: (cmd) =>
    cmd.option('-F').option('-b').option('-u').option('-n').option('-d').option('-i <ms>').option('-s <sshcommand>')
      .option('-N <netbufscript>').option('-e').option('-c').option('-p'),
  async run(ctx) {
    const o = ctx.opts as { F?: boolean; b?: boolean; u?: boolean; n?: boolean; d?: boolean; i?: string; s?: string; N?: string; e?: boolean; c?: boolean; p?: boolean };
    const [dom, hostArg] = ctx.args as [string, string];
    const facts = await ctx.readHost((host) => host.facts());
    const conf = await loadXlConf(ctx.env, facts, ctx.err);
    if (!conf.ok) return conf.status;
    const domid = await ctx.readHost((host) => findDomain(host, dom, ctx.err));
    let interval = o.i === undefined ? 0 : atoi(o.i);
    const colo = o.c === true;
    if (!colo && !interval) interval = 200;
    if (o.p && !colo) {
      ctx.err('Option -p must be used in conjunction with -c');
      return 255;
    }
    if (colo) {
      if (interval || o.b || o.n || o.d) {
        ctx.err('option -c is conflict with -i, -d, -n or -b: Success\n');
        return 255;
      }
      if (!o.u) ctx.err("COLO can't be used with memory compression. Disable memory checkpoint compression now...: Success\n");
      ctx.err('xlsim: COLO (xl remus -c) is not emulated: it needs QEMU block replication and the COLO proxy; use Remus (without -c)\n');
      return 1;
    }
    if (domid === 0) {
      refuseDomain0(ctx.err, 'protected by Remus');
      return 1;
    }
    const r: RemusInfo = {
      interval,
      allowUnsafe: o.F === true,
      blackhole: o.b === true,
      netbuf: o.n !== true,
      netbufscript: o.N ?? conf.conf.remusNetbufscript ?? `${XEN_SCRIPT_DIR}/remus-netbuf-setup`,
      diskbuf: o.d !== true,
    };
    const daemonize = o.e !== true;
    const signal = ctx.env.signal;
    const release = endsItselfOnSignal();
    let peer: Peer | undefined;
    let sink = NULL_SINK;
    try {
      let info: DomainInfo | undefined;
      let cpuMhz = 0;
      if (r.blackhole) {
        const found = await ctx.readHost((host) => ({ info: host.domain(domid), cpuMhz: host.info().cpuMhz }));
        info = found.info;
        cpuMhz = found.cpuMhz;
      } else {
        const begin = await saveCoreBegin(ctx, dom, undefined, false, 'protected by Remus');
        if (typeof begin === 'number') return begin;
        info = begin.info;
        cpuMhz = begin.cpuMhz;
        const started = await startPeer(ctx, hostArg, o.s, {
          rune: (ssh) => remusRune(ssh, hostArg, daemonize),
          args: ['migrate-receive', '-r', ...(daemonize ? [] : ['-e'])],
          globals: [],
          shownGlobals: '',
          receive: (sub, input, output) => receiveMigration(
            { ...sub, env: { ...sub.env, clock: uncancelled(sub.env.clock), signal: undefined } },
            input, output, { debug: false, monitor: daemonize, pauseAfter: false, checkpointed: true }),
          detached: true,
        });
        if (!started) return 1;
        peer = started.peer;
        const io = cancellablePeer(peer, signal);
        sink = io.to;
        // migrate_do_preamble: the banner, then the xl header.
        if (!(await readFixed(io.from, BANNER, 'banner', started.rune, ctx.err))) {
          peer.to.end();
          await childReport(peer, ctx.err);
          peer.release();
          return 1;
        }
        const header = encodeXlHeader(begin.json);
        try {
          await sink.write(header.bytes);
        } catch (e) {
          if (e instanceof CancelledError) throw e;
          ctx.err('xl: fatal error: xl_saverestore.c:113: Broken pipe: libxl_write_exactly( ctx, fd, &hdr, sizeof(hdr), source, "header")\n');
          peer.to.end();
          peer.release();
          return 1;
        }
        ctx.err(savingLine('migration stream', header));
      }
      if (!info) {
        // A domid that names no domain (find_domain does not check numbers): libxl__domain_type fails.
        ctx.err(libxlLine('error', SUSPEND_SITES.domainType, domid, 'unable to get dominfo', 'No such process'));
        return await remusEnded(ctx, domid, RC.FAIL, peer);
      }
      const xtl = new XtlStdio(ctx.err, { minLevel: minLevel(ctx.verbose), useCr: ctx.env.isTTY });
      const rc = await remusStart({ ctx, domid, info, cpuMhz, r, sink, xtl });
      return await remusEnded(ctx, domid, rc, peer);
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      // Interrupted: the primary runs on as it was, the backup takes over (see the module comment).
      await ctx.withHost(async (host) => {
        host.ha.abortCheckpoint(domid);
        return 0;
      });
      await teardownDevices(ctx, domid);
      if (peer) await letBackupGo(peer);
      throw e;
    } finally {
      release();
    }
  },
};

/** xl_migrate.c `main_remus` after `libxl_domain_remus_start` returned `rc`; returns the exit status. */
async function remusEnded(ctx: CommandContext, domid: number, rc: number, peer: Peer | undefined): Promise<number> {
  const exists = await ctx.readHost((host) => host.domain(domid) !== undefined);
  if (!exists) {
    ctx.err('Remus: Primary domain has been destroyed.\n');
    if (peer) await letBackupGo(peer);
    return 0;
  }
  if (rc === RC.GUEST_TIMEDOUT) {
    ctx.err('Failed to suspend domain at primary.\n');
  } else {
    ctx.err('Remus: Backup failed? resuming domain at primary.\n');
    await ctx.withHost(async (host) => {
      if (host.domain(domid)) host.resumeDomain(domid);
      return 0;
    });
  }
  if (peer) await letBackupGo(peer);
  return 1;
}
