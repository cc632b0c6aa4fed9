/**
 * Golden tests of `xl remus` and of `xl migrate-receive -r`, its backup end, over
 * in-memory hosts and a scripted virtual clock (nothing sleeps; checkpoints happen in
 * virtual time). Expected texts come from the Xen 4.20.0 sources: tools/xl/xl_cmdtable.c
 * (help), xl_migrate.c `main_remus` and `migrate_receive` (xl's messages and exit codes),
 * libxl_domain.c `libxl_domain_remus_start`, libxl_remus.c, libxl_checkpoint_device.c,
 * libxl_exec.c, libxl_netbuffer.c (libxl's lines and their source lines), xg_sr_save.c and
 * xg_sr_restore.c (libxc's progress and info lines), xtl_logger_stdio.c (how progress
 * prints), block-drbd-probe (exit status 1 for a disk that is not DRBD).
 */
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/toolstack/saverestore/transport.js';
import {
  checkpointEnd, concat, libxlCheckpointEnd, pagesRecord, readStream, staticRecords, streamStart,
} from '../../src/toolstack/saverestore/format.js';
import { remusRune } from '../../src/toolstack/commands/remus.js';
import { runXl } from '../../src/toolstack/program.js';
import { harness, ScriptClock, T0 } from './helpers.js';

const DRBD = 'name="web"\ntype="pv"\nkernel="/boot/vmlinuz"\nmemory=128\nvcpus=1\nvif=["bridge=xenbr0"]\ndisk=["/dev/drbd0,raw,xvda,rw"]\n';
const PLAIN = DRBD.replace('/dev/drbd0', '/dev/vg/web');

/** xl_cmdtable.c 4.20.0 "remus" (XEN_SCRIPT_DIR = /etc/xen/scripts). */
const REMUS_HELP =
  'Usage: xl [-vtTf] remus [options] <Domain> [<host>]\n' +
  '\n' +
  'Enable Remus HA for domain.\n' +
  '\n' +
  'Options:\n' +
  '\n' +
  '-i MS                   Checkpoint domain memory every MS milliseconds (def. 200ms).\n' +
  '-u                      Disable memory checkpoint compression.\n' +
  '-s <sshcommand>         Use <sshcommand> instead of ssh.  String will be passed\n' +
  '                        to sh. If empty, run <host> instead of \n' +
  '                        ssh <host> xl migrate-receive -r [-e]\n' +
  '-e                      Do not wait in the background (on <host>) for the death\n' +
  '                        of the domain.\n' +
  '-N <netbufscript>       Use netbufscript to setup network buffering instead of the\n' +
  '                        default script (/etc/xen/scripts/remus-netbuf-setup).\n' +
  '-F                      Enable unsafe configurations [-b|-n|-d flags]. Use this option\n' +
  '                        with caution as failover may not work as intended.\n' +
  '-b                      Replicate memory checkpoints to /dev/null (blackhole).\n' +
  '                        Works only in unsafe mode.\n' +
  '-n                      Disable network output buffering. Works only in unsafe mode.\n' +
  '-d                      Disable disk replication. Works only in unsafe mode.\n' +
  '-c                      Enable COLO HA. It is conflict with -i and -b, and memory\n' +
  '                        checkpoint must be disabled.\n' +
  '-p                      Use COLO userspace proxy.\n';

/** A host with `web` (PV, 128 MiB, one vif, one disk) booted, a scripted clock and a cancel switch. */
async function booted(cfg = DRBD) {
  const clock = new ScriptClock(T0);
  const abort = new AbortController();
  const h = harness({ '/etc/xen/web.cfg': cfg }, { clock, signal: abort.signal });
  expect((await h.run('create /etc/xen/web.cfg')).code).toBe(0);
  clock.advance(30_000);
  /** The host itself, advanced to the clock. */
  const host = () => {
    const x = h.store.memoryHost(clock)!;
    x.sync();
    return x;
  };
  /** Runs another xl command meanwhile (as a second terminal would), with its own output. */
  const side = async (line: string) => {
    let err = '';
    let out = '';
    const code = await runXl(line.split(' '), { ...h.env, signal: undefined, stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
    return { code, out, err };
  };
  /** `xl list` rows by name: [domid, state]. */
  const rows = async () => Object.fromEntries((await side('list')).out.split('\n').slice(1, -1).map((l) => {
    const f = l.split(/\s+/);
    return [f[0]!, [Number(f[1]), f[4]!]];
  }));
  return { ...h, clock, abort, host, side, rows };
}

/** The lines of `text` that are not libxc's per-checkpoint progress and info. */
const withoutCheckpoints = (text: string) => text.split('\n').filter((l) =>
  !/^xc: progress: (Domain now suspended|Checkpointed save|Frames iteration)/.test(l) && !/^xc: info: All records (buffered|processed)$/.test(l)).join('\n');

describe('xl remus: help and xl\'s checks (xl_cmdtable.c, xl_migrate.c main_remus)', () => {
  it('help; two operands are needed, <host> too', async () => {
    const h = await booted();
    expect(await h.run('remus -h')).toEqual({ code: 0, out: REMUS_HELP, err: '' });
    expect(await h.run('remus web')).toEqual({ code: 2, out: REMUS_HELP, err: "'xl remus' requires at least 2 arguments.\n\n" });
    expect(await h.run('remus -x web h')).toEqual({ code: 2, out: '', err: "option `x' not supported.\n" });
    expect(await h.run('remus -i')).toEqual({ code: 2, out: '', err: "option `i' not supported.\n" });
    expect(await h.run('remus nosuch h')).toEqual({ code: 1, out: '', err: 'nosuch is an invalid domain identifier (rc=-6)\n' });
  });

  it('-p needs -c; -c conflicts with -i, -b, -n, -d (perror, exit -1); COLO itself is not emulated', async () => {
    const h = await booted();
    expect(await h.run('remus -p web h')).toEqual({ code: 255, out: '', err: 'Option -p must be used in conjunction with -c' });
    for (const o of ['-b', '-n', '-d', '-i 100']) {
      expect(await h.run(`remus -c ${o} web h`)).toEqual({ code: 255, out: '', err: 'option -c is conflict with -i, -d, -n or -b: Success\n' });
    }
    const colo = await h.run('remus -c -i 0 web h');
    expect(colo.code).toBe(1);
    expect(colo.err).toBe(
      "COLO can't be used with memory compression. Disable memory checkpoint compression now...: Success\n" +
      'xlsim: COLO (xl remus -c) is not emulated: it needs QEMU block replication and the COLO proxy; use Remus (without -c)\n');
    expect((await h.run('remus -c -u -p web h')).err).toMatch(/^xlsim: COLO \(xl remus -c\) is not emulated/);
    expect(await h.run('remus 0 h')).toEqual({ code: 1, out: '', err: 'xlsim: Domain-0 is the host itself and is not protected by Remus through xl\n' });
    expect((await h.rows()).web![1]).toMatch(/^[r-][b-]----$/);
  });

  it('the transport command line: xl\'s "exec %s %s xl migrate-receive %s %s" with -r', () => {
    expect(remusRune('ssh', 'hostb', true)).toBe('exec ssh hostb xlsim migrate-receive -r ');
    expect(remusRune('ssh -p 2222', 'hostb', false)).toBe('exec ssh -p 2222 hostb xlsim migrate-receive -r  -e');
    expect(remusRune('', 'XLSIM_HOME=/b xlsim migrate-receive -r', true)).toBe('XLSIM_HOME=/b xlsim migrate-receive -r');
  });

  it('without -F: blackhole, -n and -d are refused by libxl_domain_remus_start', async () => {
    const h = await booted();
    const b = await h.run('remus -b web nowhere');
    expect(b).toEqual({
      code: 1, out: '',
      err: 'libxl: error: libxl_domain.c:445:libxl_domain_remus_start: Domain 1:Unsafe mode must be enabled to replicate to /dev/null,disable network buffering and disk replication\n' +
        'Remus: Backup failed? resuming domain at primary.\n',
    });
    // With a backup, the handshake and xl's header come first; the backup then finds no stream.
    const n = await h.run('remus -n web localhost');
    expect(n.code).toBe(1);
    // (the in-process backup's lines interleave with ours, in an order real processes do not promise)
    expect(n.err.replace(/0x3\/0x0\/\d+/g, 'INFO')).toBe(
      'migration target: Ready to receive domain.\n' +
      'Loading new save file <incoming migration stream> (new xl fmt info INFO)\n' +
      'Saving to migration stream new xl format (info INFO)\n' +
      ' Savefile contains xl domain config in JSON format\n' +
      'libxl: error: libxl_domain.c:445:libxl_domain_remus_start: Domain 1:Unsafe mode must be enabled to replicate to /dev/null,disable network buffering and disk replication\n' +
      'Parsing config from <saved>\n' +
      'Remus: Backup failed? resuming domain at primary.\n' +
      'libxl: error: libxl_stream_read.c:342:stream_header_done: Invalid ident: expected 0x4c6962786c466d74, got 0x0000000000000000\n' +
      'libxl: error: libxl_create.c:1693:domcreate_rebuild_done: cannot (re-)build domain: -3\n' +
      'migration target: Domain creation failed (code -3).\n');
    expect(Object.keys(await h.rows())).toEqual(['Domain-0', 'web']);
  });

  it('disk replication needs DRBD: block-drbd-probe fails for any other disk and setup fails with rc -19', async () => {
    const h = await booted(PLAIN);
    const r = await h.run('remus -F -b web nowhere');
    expect(r.code).toBe(1);
    expect(r.err.replace(/\[\d+\]/, '[PID]')).toBe(
      'libxl: error: libxl_exec.c:118:libxl_report_child_exitstatus: /etc/xen/scripts/block-drbd-probe /dev/vg/web [PID] exited with error status 1\n' +
      'libxl: error: libxl_checkpoint_device.c:156:device_setup_iterate: device not handled by checkpoint (device=vbd:0/51712)\n' +
      'libxl: error: libxl_remus.c:134:remus_setup_done: Domain 1:Remus: failed to setup device, rc -19\n' +
      'Remus: Backup failed? resuming domain at primary.\n');
    // The vif's network buffer set up meanwhile was torn down again.
    expect(h.host().xenstoreList('/libxl/1')).not.toContain('remus');
  });
});

describe('xl remus to a backup', () => {
  it('localhost: the first checkpoint is a live migration, then one every -i ms; destroying the primary fails over', async () => {
    // A fixed UUID: the guest's dirty pages, and so where each checkpoint falls, derive from it.
    const h = await booted(`${DRBD}uuid="6a3b1f0e-2c4d-4e5f-8a9b-0c1d2e3f4a5b"\n`);
    const seen: Record<string, unknown> = {};
    h.clock.at(T0 + 35_000, async () => {
      seen.rows = await h.rows();
      seen.ifb = h.host().xenstoreRead('/libxl/1/remus/netbuf/0/ifb');
      h.host().consoleInput(1, 'root\rpw\recho checkpointed\r');
    });
    // At 37 s, between two checkpoints (the primary running, no suspend asked of it), so
    // that the next checkpoint is the one that finds the primary gone.
    const betweenCheckpoints = async (): Promise<void> => {
      const d = h.host().domain(1);
      if (!d || d.state.shutdown || h.host().xenstoreRead('/local/domain/1/control/shutdown')) {
        h.clock.at(h.clock.now() + 1, betweenCheckpoints);
        return;
      }
      // typed after the last checkpoint: the backup never sees it
      h.host().consoleInput(1, 'echo lost\r');
      seen.destroy = await h.side('destroy web');
    };
    h.clock.at(T0 + 37_000, betweenCheckpoints);
    const r = await h.run('remus -i 500 web localhost');
    expect(r.code).toBe(0);
    expect(seen.rows).toEqual({ 'Domain-0': [0, 'r-----'], web: [1, expect.stringMatching(/^[r-][b-]----$/)], 'web--incoming': [2, '--p---'] });
    expect(seen.ifb).toBe('ifb0');
    expect(seen.destroy).toMatchObject({ code: 0 });
    const optlen = /info 0x3\/0x0\/(\d+)/.exec(r.err)![1];
    // libxc's progress is not hidden by xl remus: a line per 5% of iteration 0, then the small iterations.
    expect(r.err).toMatch(/^xc: progress: Frames iteration 0: 2048\/32768    6%\n/m);
    expect(r.err).toMatch(/^xc: progress: Frames iteration 0: 32768\/32768  100%\n/m);
    // Each later checkpoint: the suspend (0/0, a drop to 0% prints), the dirty pages at 100%, the backup's two info lines.
    const checkpoints = r.err.match(/^xc: progress: Checkpointed save: (\d+)\/\1  100%$/gm)!;
    expect(r.err.match(/^xc: info: All records buffered\nxc: info: All records processed$/gm)).toHaveLength(checkpoints.length);
    // 7 s of checkpoints every 500 ms plus the suspend and transfer: a dozen.
    expect(checkpoints.length).toBeGreaterThanOrEqual(10);
    expect(checkpoints.length).toBeLessThanOrEqual(14);
    expect(r.err.match(/^xc: progress: Domain now suspended: 0\/0    0%$/gm)).toHaveLength(checkpoints.length + 1);
    expect(withoutCheckpoints(r.err)).toBe(
      'migration target: Ready to receive domain.\n' +
      `Loading new save file <incoming migration stream> (new xl fmt info 0x3/0x0/${optlen})\n` +
      `Saving to migration stream new xl format (info 0x3/0x0/${optlen})\n` +
      ' Savefile contains xl domain config in JSON format\n' +
      'Parsing config from <saved>\n' +
      'xc: info: Saving domain 1, type x86 PV\n' +
      'xc: info: Found x86 PV domain from Xen 4.20\n' +
      'xc: info: Restoring domain\n' +
      // at the checkpoint after `xl destroy`: libxl finds no domain to suspend
      'libxl: error: libxl_dom.c:37:libxl__domain_type: Domain 1:unable to get dominfo: No such process\n' +
      'xc: error: save callback suspend() failed: 0: Internal error\n' +
      'xc: error: Save failed (0 = Success): Internal error\n' +
      'libxl: error: libxl_stream_write.c:350:libxl__xc_domain_save_done: Domain 1:saving domain: domain did not respond to suspend request: Success\n' +
      'libxl: warning: libxl_remus.c:169:libxl__remus_teardown: Domain 1:Remus: Domain suspend terminated with rc -8, teardown Remus devices...\n' +
      'Remus: Primary domain has been destroyed.\n' +
      // the backup: the stream broke after complete checkpoints, so libxc fails over to the last one
      'xc: error: Failed to read Record Header from stream (0 = Success): Internal error\n' +
      'xc: info: Restore successful\n' +
      'xc: info: XenStore: mfn 0xfeffc, dom 0, evt 1\n' +
      'xc: info: Console: mfn 0xfeffd, dom 0, evt 2\n' +
      'migration target: Remus Failover for domain 2\n');
    expect(await h.rows()).toEqual({ 'Domain-0': [0, 'r-----'], web: [2, expect.stringMatching(/^[r-][b-]----$/)] });
    const log = h.host().consoleLog(2);
    expect(log).toContain('checkpointed');
    expect(log).not.toContain('lost');
    // The guest carries on at the backup: its shell is still logged in.
    h.host().consoleInput(2, 'echo alive\r');
    expect(h.host().consoleLog(2)).toMatch(/alive\r\n.*# $/);
  });

  it('interrupted (Ctrl-C): exit 130, the primary runs on; the backup takes the end of the stream for a failure and takes over', async () => {
    const h = await booted();
    h.clock.at(T0 + 32_000, () => h.abort.abort());
    const r = await h.run('remus web localhost');
    expect(r.code).toBe(130);
    expect(r.err).not.toMatch(/Remus: /);
    expect(r.err.slice(r.err.indexOf('xc: error: Failed to read Record Header'))).toBe(
      'xc: error: Failed to read Record Header from stream (0 = Success): Internal error\n' +
      'xc: info: Restore successful\n' +
      'xc: info: XenStore: mfn 0xfeffc, dom 0, evt 1\n' +
      'xc: info: Console: mfn 0xfeffd, dom 0, evt 2\n' +
      'migration target: Remus Failover for domain 2\n' +
      // on one host the name is taken: the copy keeps running under its other name (split brain, as with xl)
      'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 2:Domain with name "web" already exists.\n' +
      'migration target (Remus): Failed to rename domain from web--incoming to web:-6\n');
    const rows = await h.rows();
    expect(rows.web![1]).toMatch(/^[r-][b-]----$/);
    expect(rows['web--incoming']![1]).toMatch(/^[r-][b-]----$/);
    expect(h.host().xenstoreList('/libxl/1')).not.toContain('remus');
  });

  it('interrupted in the middle of a checkpoint: the suspend is called off and the primary runs on', async () => {
    const h = await booted();
    let checkpoints = 0;
    h.clock.onSleep = () => {
      // the guest is suspended for the 5th time (the checkpoint's pages are on their way): Ctrl-C
      if (h.host().domain(1)!.state.shutdown && ++checkpoints === 5) h.abort.abort();
    };
    const r = await h.run('remus -F -b -n web nowhere');
    expect(r.code).toBe(130);
    h.clock.onSleep = undefined;
    h.clock.advance(5000);
    expect(checkpoints).toBe(5);
    const d = h.host().domain(1)!;
    expect(d.state.shutdown).toBe(false);
    expect(h.host().xenstoreRead('/local/domain/1/control/shutdown')).toBe('');
    h.host().consoleInput(1, 'root\rpw\r');
    expect(h.host().consoleLog(1)).toMatch(/# $/);
  });

  it('the backup goes away: libxc cannot write, Remus is torn down and the primary is resumed (exit 1)', async () => {
    const h = await booted();
    h.clock.at(T0 + 33_000, async () => {
      expect((await h.side('destroy web--incoming')).code).toBe(0);
    });
    const r = await h.run('remus web localhost');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'xlsim: the backup copy (domain 2) is gone; the checkpoint cannot be applied\n' +
      'xc: error: Restore failed (0 = Success): Internal error\n' +
      'libxl: error: libxl_stream_read.c:850:libxl__xc_domain_restore_done: restoring domain: Success\n' +
      'libxl: error: libxl_create.c:1693:domcreate_rebuild_done: cannot (re-)build domain: -3\n' +
      'migration target: Domain creation failed (code -3).\n');
    expect(r.err.slice(r.err.indexOf('xc: error: Failed to write'))).toMatch(new RegExp(
      '^xc: error: Failed to write page data to stream \\(32 = Broken pipe\\): Internal error\n' +
      'xc: error: Save failed \\(32 = Broken pipe\\): Internal error\n' +
      'libxl: error: libxl_stream_write.c:350:libxl__xc_domain_save_done: Domain 1:saving domain: domain responded to suspend request: Broken pipe\n' +
      'libxl: warning: libxl_remus.c:169:libxl__remus_teardown: Domain 1:Remus: Domain suspend terminated with rc -3, teardown Remus devices...\n' +
      'Remus: Backup failed\\? resuming domain at primary.\n$'));
    expect(Object.keys(await h.rows())).toEqual(['Domain-0', 'web']);
    expect((await h.rows()).web![1]).toMatch(/^[r-][b-]----$/);
  });

  it('-b: checkpoints to /dev/null, no backup; -vvv shows the network buffer; -i -1 stops after the first checkpoint', async () => {
    const h = await booted();
    h.clock.at(T0 + 34_000, () => h.side('destroy web'));
    const r = await h.run('-vvv remus -F -b -d -N /usr/local/bin/netbuf web nowhere');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^libxl: debug: libxl_netbuffer.c:403:netbuf_setup_script_cb: Domain 1:ifb0 will buffer packets from vif vif1.0\n/);
    expect(r.err).not.toMatch(/migration target|Saving to migration stream|All records/);
    expect(r.err.match(/^xc: progress: Checkpointed save/gm)!.length).toBeGreaterThan(10);
    expect(r.err).toMatch(/Remus: Primary domain has been destroyed\.\n$/);

    const g = await booted();
    g.clock.at(T0 + 60_000, () => g.abort.abort());
    const once = await g.run('remus -F -b -d -i -1 web nowhere');
    expect(once.code).toBe(130);
    expect(once.err.match(/^xc: progress: Domain now suspended/gm)).toHaveLength(1);
    expect(once.err).not.toMatch(/Checkpointed save/);
  });
});

describe('the checkpointed stream (libxl_stream_write.c, xg_sr_restore.c)', () => {
  const image = async () => {
    const h = await booted();
    const host = h.host();
    host.requestSuspend(1);
    h.clock.advance(2000);
    return h.host().exportImage(1);
  };
  const start = concat([streamStart(1, 4, 20), staticRecords(1, 2900000, 0n), pagesRecord(0, 32768)]);

  it('a plain stream with a CHECKPOINT record fails as libxc fails it', async () => {
    const img = await image();
    const r = await readStream(new BufferSource(concat([start, checkpointEnd(img), libxlCheckpointEnd()])));
    expect(r).toEqual({
      ok: false,
      lines: [
        'xc: error: Found checkpoint in non-checkpointed stream: Internal error\n',
        'xc: error: Restore failed (0 = Success): Internal error\n',
        'libxl: error: libxl_stream_read.c:850:libxl__xc_domain_restore_done: restoring domain: Success\n',
      ],
    });
  });

  it('checkpoints reach the hook; a break after the first is a failover to the last complete one', async () => {
    const img = await image();
    const later = { ...img, runMs: img.runMs + 1000 };
    const partial = { ...img, runMs: img.runMs + 2000 };
    const seen: number[] = [];
    const info: string[] = [];
    const r = await readStream(new BufferSource(concat([
      start, checkpointEnd(img), libxlCheckpointEnd(), pagesRecord(1, 50), checkpointEnd(later), libxlCheckpointEnd(), pagesRecord(2, 60), checkpointEnd(partial),
    ])), { info: (m) => info.push(m), checkpoint: async (i, n) => void seen.push(n, i.runMs) });
    expect(seen).toEqual([1, img.runMs, 2, img.runMs + 1000]);
    expect(info).toEqual(['Found x86 PV domain from Xen 4.20', 'Restoring domain', 'All records buffered', 'All records processed']);
    expect(r.ok && r.image.runMs).toBe(img.runMs + 1000);
    expect(r.ok && r.failover).toEqual({ checkpoints: 2, lines: ['xc: error: Failed to read Record Header from stream (0 = Success): Internal error\n'] });
    // broken before the first checkpoint completed: no consistent state, the restore fails
    const early = await readStream(new BufferSource(concat([start, checkpointEnd(img)])), { checkpoint: async () => undefined });
    expect(early.ok).toBe(false);
  });

  it('migrate-receive --colo is refused', async () => {
    const h = await booted();
    expect(await h.run('migrate-receive --colo')).toEqual({ code: 1, out: '', err: 'xlsim: COLO checkpointed streams (migrate-receive --colo) are not emulated\n' });
  });
});
