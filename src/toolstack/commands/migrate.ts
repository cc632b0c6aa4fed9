/**
 * `xl migrate [-C cfg] [-s sshcmd] [-e] [-F] [-p] [-D] [--debug] [--live] <Domain> <host>`
 * (tools/xl/xl_migrate.c `main_migrate`, `migrate_domain`, `create_migration_child`,
 * `migrate_do_preamble`; libxl_domain_suspend with LIBXL_SUSPEND_LIVE → libxc
 * xg_sr_save.c `send_domain_memory_live`; xl-commands.md §7.3).
 *
 * The transport is a real child process with pipes on its stdin and stdout, its stderr
 * copied to ours:
 * - `-s CMD`: exactly xl's `sh -c "exec CMD <host> xlsim[ -t][ -v…] migrate-receive[ -e][ -d][ -p]"`
 *   (`xlsim` where xl runs `xl`); `-s ''` runs `<host>` itself as the command;
 * - otherwise (xl would use ssh) `<host>` names an emulated host: `localhost` is this
 *   one; any other name is the state directory `$XLSIM_HOSTS/<host>` (default
 *   `hosts/<host>` beside this host's directory), made on first use as a default host
 *   with that hostname; `xlsim migrate-receive` runs there. For a host kept in memory
 *   (tests, the demo) the receiver runs in this process over in-memory pipes.
 *
 * Live migration: after xl's handshake (banner; header `Saving to migration stream new
 * xl format (info 0x3/0x0/N)`), libxc sends every page, then in up to 5 pre-copy
 * iterations the pages the guest dirtied meanwhile (machine migration.ts: idle guests
 * dirty little, `stress` much more), until fewer than 50 are left; then the guest is
 * suspended and the rest sent (stop-and-copy). Each iteration takes the modelled link
 * time (saverestore/link.ts). As in xl, libxc's progress is hidden while the stream goes;
 * `--debug` shows each iteration, and xlsim prints one summary line with the downtime
 * (docs/compat.md). Then the acknowledgements of xl_migrate.c, the source renamed
 * `<name>--migratedaway`, the target's report, and the source destroyed: `Migration
 * successful.`, exit 0.
 *
 * Every failure leaves the guest at the source: before the suspend it never stopped
 * (`Migration failed, failed to suspend at sender.`), after it the guest is resumed
 * (`Migration failed, resuming at sender.`, or `Migration failed due to problems at
 * target.` after the target took it back); only a broken final handshake leaves both
 * sides for the user to check, with xl's warning. All failures exit 1.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Host } from '../../machine/host.js';
import type { MigrationProgress } from '../../machine/api.js';
import type { CommandContext, XlCommandModule } from '../command.js';
import { libxlLine } from '../format/log.js';
import { HostStore } from '../store.js';
import { saveCoreBegin } from '../saverestore/config.js';
import {
  concat, dhdrType, dhdrTypeName, encodeXlHeader, savingLine, SR_SITES, staticRecords, streamEnd, streamStart,
} from '../saverestore/format.js';
import { linkBytesPerSec } from '../saverestore/link.js';
import { liveSaveFailed, precopy, stopAndCopy, type LiveSender } from '../saverestore/live.js';
import { BANNER, childReport, GO, msgBytes, READY, readFixed, REPORT } from '../saverestore/protocol.js';
import { RC, saveSuspendFailed, suspendGuest } from '../saverestore/suspend.js';
import { memoryPeer, settle, spawnPeer, type ByteSink, type ByteSource, type Peer } from '../saverestore/transport.js';
import { minLevel, XTL, XtlStdio } from '../saverestore/xtl.js';
import { receiveMigration } from './migrate-receive.js';

/** In-memory hosts other than this one, by name, for in-memory stores (tests, the demo). */
const MEMORY_HOSTS = new WeakMap<HostStore, Map<string, HostStore>>();

/**
 * The state directory of emulated host `name`: `$XLSIM_HOSTS/<name>`, else
 * `<dirname(state dir)>/hosts/<name>`.
 */
export function hostDir(stateDir: string, name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(hostsRoot(stateDir, env), name);
}

/** Where the named emulated hosts live: `$XLSIM_HOSTS`, else `hosts/` beside the state directory `stateDir`. */
export function hostsRoot(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.XLSIM_HOSTS || join(dirname(stateDir), 'hosts');
}

/** How to start this xlsim again: node and the `bin/xlsim` of this package (found from this module's file). */
export function selfCommand(): [string, string] {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const bin = join(dir, 'bin', 'xlsim');
    if (existsSync(bin)) return [process.execPath, bin];
    dir = dirname(dir);
  }
  return [process.execPath, process.argv[1] ?? 'xlsim'];
}

/**
 * The command line xl runs for the transport (xl_migrate.c `main_migrate`): with an ssh
 * command, `exec <ssh> <host> xlsim[ -t][ -v…] migrate-receive[ -e][ -d][ -p]` (`xlsim`
 * where xl names itself `xl`; ` -t` when stderr is a terminal, one `v` per global `-v`,
 * ` -e` when the sender has `-e` or `-F`); with an empty one, `<host>` itself.
 */
export function migrationRune(ssh: string, host: string, o: { tty: boolean; verbose: number; daemonize: boolean; debug: boolean; pause: boolean }): string {
  if (ssh === '') return host;
  const n = Math.min(Math.max(0, o.verbose), XTL.PROGRESS);
  return `exec ${ssh} ${host} xlsim${o.tty ? ' -t' : ''}${n > 0 ? ` -${'v'.repeat(n)}` : ''} ${receiveArgs(o).join(' ')}`;
}

/** `migrate-receive` and its flags as the sender passes them. */
function receiveArgs(o: { daemonize: boolean; debug: boolean; pause: boolean }): string[] {
  return ['migrate-receive', ...(o.daemonize ? [] : ['-e']), ...(o.debug ? ['-d'] : []), ...(o.pause ? ['-p'] : [])];
}

/**
 * How to start the receiving end of a migration stream (`xl migrate`, `xl remus`): the
 * shell command line xl builds for `-s`, `migrate-receive`'s arguments, and the receiver
 * to run in this process for an in-memory host.
 */
export interface PeerPlan {
  /** The transport command line for an ssh command (`-s`; '' = the host itself). */
  rune: (ssh: string) => string;
  /** `migrate-receive` and its options. */
  args: string[];
  /** Global options for a child `xlsim` on an emulated host (`-v…`). */
  globals: string[];
  /** Those options as messages show that child's command line (` -t`, ` -v…`). */
  shownGlobals: string;
  /** The receiver, for an in-memory host: reads `input`, answers on `output`, resolves to its exit status. */
  receive: (sub: CommandContext, input: ByteSource, output: ByteSink) => Promise<number>;
  /** Start a child in a session of its own, out of our terminal's reach (a Remus backup outlives an interrupted primary). */
  detached?: boolean;
}

/**
 * Starts the receiving end (see the module comment) on `hostArg` as `plan` says; returns
 * it and the command line xl would name in messages, or undefined after printing why
 * `hostArg` names no emulated host.
 */
export async function startPeer(ctx: CommandContext, hostArg: string, ssh: string | undefined, plan: PeerPlan): Promise<{ peer: Peer; rune: string } | undefined> {
  if (ssh !== undefined) {
    const rune = plan.rune(ssh);
    return { peer: spawnPeer('sh', ['-c', rune], process.env, ctx.err, { detached: plan.detached }), rune };
  }
  const tail = plan.args.join(' ');
  if (hostArg !== 'localhost' && (hostArg === '' || hostArg.includes('/') || hostArg.startsWith('.'))) {
    ctx.err(`xlsim: '${hostArg}' is not a host name: emulated hosts are named like directories (no '/', not starting with '.')\n`);
    return undefined;
  }
  const store = ctx.env.store;
  if (store.dir === undefined) {
    let target = store;
    if (hostArg !== 'localhost') {
      const others = MEMORY_HOSTS.get(store) ?? new Map<string, HostStore>();
      MEMORY_HOSTS.set(store, others);
      target = others.get(hostArg) ?? HostStore.inMemory({ seed: { hostname: hostArg } });
      others.set(hostArg, target);
    }
    const env = { ...ctx.env, store: target, stdout: () => undefined };
    const sub: CommandContext = {
      ...ctx, env, args: [], opts: {}, out: () => undefined,
      withHost: (fn) => target.withHost(env.clock, fn),
      readHost: (fn) => target.read(env.clock, fn),
    };
    const rune = `xlsim ${tail}   (in-memory host ${hostArg})`;
    return { peer: memoryPeer((input, output) => plan.receive(sub, input, output)), rune };
  }
  const dir = hostArg === 'localhost' ? store.dir : hostDir(store.dir, hostArg);
  if (hostArg !== 'localhost') {
    // Made on first use: a default host that calls itself <host>.
    const there = HostStore.open(dir, { seed: { hostname: hostArg } });
    try {
      await there.read(ctx.env.clock, () => 0);
    } finally {
      there.close();
    }
  }
  const [node, bin] = selfCommand();
  const rune = `XLSIM_HOME=${dir} xlsim${plan.shownGlobals} ${tail}`;
  return { peer: spawnPeer(node, [bin, ...plan.globals, ...plan.args], { ...process.env, XLSIM_HOME: dir }, ctx.err, { detached: plan.detached }), rune };
}

/** `xl migrate`: see the module comment. */
export const migrateCommand: XlCommandModule = {
  name: 'migrate',
  minArgs: 2,
  options: (cmd) =>
    cmd.option('-F').option('-C <config>').option('-s <sshcommand>').option('-e').option('-p').option('-D').option('--debug').option('--live'),
  async run(ctx) {
    const o = ctx.opts as { F?: boolean; C?: string; s?: string; e?: boolean; p?: boolean; D?: boolean; debug?: boolean };
    const [dom, hostArg] = ctx.args as [string, string];
    const begin = await saveCoreBegin(ctx, dom, o.C, o.D === true, 'migrated');
    if (typeof begin === 'number') return begin;
    const { domid, info, json } = begin;
    const daemonize = !(o.F || o.e);
    const f = { tty: ctx.env.isTTY, verbose: ctx.verbose, daemonize, debug: o.debug === true, pause: o.p === true };
    const verbose = Math.min(ctx.verbose, XTL.PROGRESS);
    const started = await startPeer(ctx, hostArg, o.s, {
      rune: (ssh) => migrationRune(ssh, hostArg, f),
      args: receiveArgs(f),
      globals: verbose > 0 ? [`-${'v'.repeat(verbose)}`] : [],
      shownGlobals: `${f.tty ? ' -t' : ''}${verbose > 0 ? ` -${'v'.repeat(verbose)}` : ''}`,
      receive: (sub, input, output) => receiveMigration(sub, input, output, { debug: f.debug, monitor: daemonize, pauseAfter: f.pause }),
    });
    if (!started) return 1;
    const { peer, rune } = started;
    const name = info.name;
    const xtl = new XtlStdio(ctx.err, { minLevel: minLevel(ctx.verbose), useCr: ctx.env.isTTY });
    const clock = ctx.env.clock;
    // Each step goes into this host's event log, where the dashboard draws the migration.
    // `start` is recorded with the first round (no wait of its own between the stream's
    // header and libxc's first line); a failure before it records nothing.
    const from = (await ctx.readHost((host) => host.seed())).hostname;
    let recorded = false;
    const note = (host: Host, phase: MigrationProgress['phase'], more: Partial<MigrationProgress> = {}): void => {
      if (!recorded && phase !== 'failed') host.noteMigration({ domid, name, from, to: hostArg, phase: 'start' });
      if (recorded || phase !== 'failed') host.noteMigration({ domid, name, from, to: hostArg, phase, ...more });
      recorded = true;
    };
    const progress = (phase: MigrationProgress['phase'], more: Partial<MigrationProgress> = {}): Promise<number> =>
      recorded || phase !== 'failed'
        ? ctx.withHost(async (host) => {
            note(host, phase, more);
            return 0;
          })
        : Promise.resolve(0);

    // migrate_do_preamble: the banner, then the xl header.
    if (!(await readFixed(peer.from, BANNER, 'banner', rune, ctx.err))) {
      peer.to.end();
      await childReport(peer, ctx.err);
      return 1;
    }
    const header = encodeXlHeader(json);
    try {
      await peer.to.write(header.bytes);
    } catch {
      ctx.err(libxlLine('error', SR_SITES.writeExactly, undefined, 'failed to write header from migration stream', 'Broken pipe'));
      ctx.err('xl: fatal error: xl_saverestore.c:113: Broken pipe: libxl_write_exactly( ctx, fd, &hdr, sizeof(hdr), source, "header")\n');
      peer.to.end();
      return 1;
    }
    ctx.err(savingLine('migration stream', header));
    xtl.hideProgress = true;

    // libxl_domain_suspend(LIVE): libxc's live save.
    const dtype = dhdrType(info.type);
    const link = linkBytesPerSec();
    const pages = Math.floor(info.memKiB / 4);
    let suspended = false;
    let responded = false;
    let suspendedAt = 0;
    let sent = 0;
    let rounds = 0;
    const send = async (bytes: Uint8Array): Promise<void> => peer.to.write(bytes);
    const live: LiveSender = {
      ctx, domid, pages, link, xtl, send,
      debug: (s) => {
        if (o.debug) ctx.err(s);
      },
      onRound: (iteration, sentPages, dirtyPages) => progress('round', { round: iteration + 1, sentPages, dirtyPages }),
      onStopAndCopy: (sentPages) => progress('stop-and-copy', { sentPages }),
    };
    let failed = false;
    let suspendRc: number = RC.FAIL;
    try {
      xtl.message(XTL.INFO, 'xc', `Saving domain ${domid}, type ${dhdrTypeName(dtype)}`);
      const seed = await ctx.readHost((host) => host.seed());
      await send(concat([streamStart(dtype, seed.xenMajor, seed.xenMinor), staticRecords(dtype, begin.cpuMhz * 1000, 0n)]));
      const pre = await precopy(live);
      sent = pre.sent;
      rounds = pre.rounds;
      // suspend_and_send_dirty: suspend, then the pages dirtied since the last iteration.
      const s = await suspendGuest(ctx, domid);
      if (!s.ok) {
        responded = s.responded;
        suspendRc = s.responded ? s.rc : RC.GUEST_TIMEDOUT;
        saveSuspendFailed(ctx, domid, s);
        failed = true;
      } else {
        suspended = true;
        responded = true;
        suspendedAt = s.at;
        sent += await stopAndCopy(live, pre, s.at);
        const image = await ctx.readHost((host) => host.exportImage(domid));
        await send(streamEnd(image));
      }
    } catch (e) {
      suspendRc = liveSaveFailed(ctx, domid, e, responded);
      failed = true;
    }

    const resumeHere = () => ctx.withHost(async (host) => {
      if (host.domain(domid)) host.resumeDomain(domid);
      return 0;
    });
    const failedResume = async (): Promise<number> => {
      await progress('failed');
      peer.to.end();
      await childReport(peer, ctx.err);
      ctx.err('Migration failed, resuming at sender.\n');
      await resumeHere();
      return 1;
    };
    if (failed) {
      ctx.err(`migration sender: libxl_domain_suspend failed (rc=${suspendRc})\n`);
      if (suspendRc === RC.GUEST_TIMEDOUT) {
        await progress('failed');
        peer.to.end();
        await childReport(peer, ctx.err);
        ctx.err('Migration failed, failed to suspend at sender.\n');
        if (suspended) await resumeHere();
        return 1;
      }
      return failedResume();
    }
    if (!(await readFixed(peer.from, READY, 'ready message', rune, ctx.err))) return failedResume();
    xtl.hideProgress = false;
    ctx.err('migration sender: Target has acknowledged transfer.\n');
    const away = `${name}--migratedaway`;
    const renamed = await ctx.withHost(async (host) => {
      try {
        host.rename(domid, away);
        return 0;
      } catch {
        return 1;
      }
    });
    if (renamed !== 0) return failedResume();
    ctx.err('migration sender: Giving target permission to start.\n');
    const failedBadly = async (): Promise<number> => {
      await progress('failed');
      ctx.err(
        '** Migration failed during final handshake **\n' +
        'Domain state is now undefined !\n' +
        'Please CHECK AT BOTH ENDS for running instances, before renaming and\n' +
        ' resuming at most one instance.  Two simultaneous instances of the domain\n' +
        ' would probably result in SEVERE DATA LOSS and it is now your\n' +
        ' responsibility to avoid that.  Sorry.\n');
      peer.to.end();
      await childReport(peer, ctx.err);
      return 1;
    };
    try {
      await send(msgBytes(GO));
    } catch {
      ctx.err(libxlLine('error', SR_SITES.writeExactly, undefined, 'failed to write GO message from migration stream', 'Broken pipe'));
      return failedBadly();
    }
    if (!(await readFixed(peer.from, REPORT, 'success/failure report message', rune, ctx.err))) return failedBadly();
    const status = await peer.from.read(1);
    await settle();
    if (status.length < 1) {
      ctx.err(libxlLine('error', SR_SITES.readExactly, undefined, 'file/stream truncated reading success/failure status from migration ack stream'));
      return failedBadly();
    }
    const code = status[0]! > 127 ? status[0]! - 256 : status[0]!;
    if (code !== 0) {
      ctx.err(`migration sender: Target reports startup failure (status code ${code}).\n`);
      if (!(await readFixed(peer.from, GO, 'permission for sender to resume', rune, ctx.err))) return failedBadly();
      ctx.err('migration sender: Trying to resume at our end.\n');
      await ctx.withHost(async (host) => {
        if (!host.domain(domid)) return 1;
        host.rename(domid, name);
        host.resumeDomain(domid);
        return 0;
      });
      ctx.err('migration sender: Resumed OK.\n');
      await progress('failed');
      ctx.err('Migration failed due to problems at target.\n');
      peer.to.end();
      await peer.exited;
      return 1;
    }
    ctx.err('migration sender: Target reports successful startup.\n');
    const downtime = Math.max(0, clock.now() - suspendedAt);
    await ctx.withHost(async (host) => {
      if (host.domain(domid)) host.destroyMigrated(domid);
      note(host, 'done', { sentPages: sent });
      return 0;
    });
    ctx.err(`xlsim: migration: ${rounds} pre-copy iteration${rounds === 1 ? '' : 's'} and a stop-and-copy sent ${sent} pages ` +
      `(${(sent / 256).toFixed(1)} MiB) of ${pages}; downtime ${Math.round(downtime)} ms\n`);
    ctx.err('Migration successful.\n');
    peer.to.end();
    await peer.exited;
    await settle();
    return 0;
  },
};
