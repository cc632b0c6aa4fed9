/**
 * Golden tests of `xl save`, `restore`, `migrate`, `migrate-receive`, `suspend`,
 * `resume` and `dump-core` over an in-memory host and a VirtualClock. Expected bytes
 * come from the Xen 4.20 sources (tools/xl/xl_saverestore.c, xl_migrate.c,
 * xl_vmcontrol.c, xl_cmdtable.c, xl.h; libxl_utils.c, libxl_dom_suspend.c,
 * libxl_stream_*.c; libxc xg_sr_*.c, xtl_logger_stdio.c, xg_core.c) and
 * shared/reference/xl-commands.md §7; see each test.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationRune } from '../../src/toolstack/commands/migrate.js';
import { harness } from './helpers.js';

const CFG = 'name="web"\ntype="pv"\nkernel="/boot/vmlinuz"\nmemory=128\nvcpus=2\nvif=["bridge=xenbr0"]\ndisk=["/dev/vg/web,raw,xvda,rw"]\n';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xlsim-sr-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A host with `web` (128 MiB, 2 vCPUs, PV) created and booted for 30 s. */
async function withWeb(extra: Record<string, string> = {}) {
  const h = harness({ '/etc/xen/web.cfg': CFG, ...extra });
  expect((await h.run('create /etc/xen/web.cfg')).code).toBe(0);
  h.clock.advance(30_000);
  /** The host itself, advanced to the clock (as every command does first). */
  const host = () => {
    const x = h.store.memoryHost(h.clock)!;
    x.sync();
    return x;
  };
  return { ...h, host };
}

/** `xl list` rows by name: [domid, state]. */
async function rows(h: { run: (l: string) => Promise<{ out: string }> }): Promise<Record<string, [number, string]>> {
  const out: Record<string, [number, string]> = {};
  for (const l of (await h.run('list')).out.split('\n').slice(1, -1)) {
    const f = l.split(/\s+/);
    out[f[0]!] = [Number(f[1]), f[4]!];
  }
  return out;
}

/**
 * libxc's `Frames` progress for 32768 pages through xtl_logger_stdio.c without CR: a step
 * every 1024 pages (xg_sr_save.c send_dirty_pages), printed at ≥ 5 points above the last
 * printed percent (smaller rises are `detail`, hidden at the default level).
 */
const FRAMES_128M =
  'xc: progress: Frames: 2048/32768    6%\n' +
  'xc: progress: Frames: 4096/32768   12%\n' +
  'xc: progress: Frames: 6144/32768   18%\n' +
  'xc: progress: Frames: 8192/32768   25%\n' +
  'xc: progress: Frames: 10240/32768   31%\n' +
  'xc: progress: Frames: 12288/32768   37%\n' +
  'xc: progress: Frames: 14336/32768   43%\n' +
  'xc: progress: Frames: 16384/32768   50%\n' +
  'xc: progress: Frames: 18432/32768   56%\n' +
  'xc: progress: Frames: 20480/32768   62%\n' +
  'xc: progress: Frames: 22528/32768   68%\n' +
  'xc: progress: Frames: 24576/32768   75%\n' +
  'xc: progress: Frames: 26624/32768   81%\n' +
  'xc: progress: Frames: 28672/32768   87%\n' +
  'xc: progress: Frames: 30720/32768   93%\n' +
  'xc: progress: Frames: 32768/32768  100%\n';

describe('xl save', () => {
  it('help and operand errors (xl_cmdtable.c, xl.c help, SWITCH_FOREACH_OPT)', async () => {
    const h = harness();
    const help = 'Usage: xl [-vtTf] save [options] <Domain> <CheckpointFile> [<ConfigFile>]\n\nSave a domain state to restore later.\n\n' +
      'Options:\n\n-h  Print this help.\n-c  Leave domain running after creating the snapshot.\n' +
      '-p  Leave domain paused after creating the snapshot.\n-D  Store the domain id in the configuration.\n';
    expect(await h.run('save -h')).toEqual({ code: 0, out: help, err: '' });
    expect(await h.run('save web')).toEqual({ code: 2, out: help, err: "'xl save' requires at least 2 arguments.\n\n" });
    expect(await h.run('save a b c d')).toEqual({ code: 1, out: help, err: '' });
    expect(await h.run('save -x a b')).toEqual({ code: 2, out: '', err: "option `x' not supported.\n" });
    expect(await h.run('save nosuch /tmp/x')).toEqual({ code: 1, out: '', err: 'nosuch is an invalid domain identifier (rc=-6)\n' });
  });

  it('a domid that names no domain: libxl_retrieve_domain_configuration fails', async () => {
    const h = harness();
    const r = await h.run(['save', '99', join(dir, 'x')]);
    expect(r).toEqual({
      code: 1, out: '',
      err: 'libxl: error: libxl_domain.c:354:libxl_domain_info: Domain 99:Getting domain info: No such process\n' +
        'libxl: error: libxl_dom.c:1244:libxl__userdata_path: unable to find domain info for domain 99: No such process\n' +
        'libxl: error: libxl_internal.c:527:libxl__get_domain_configuration: Domain 99:failed to retrieve domain configuration\n' +
        'libxl: error: libxl_domain.c:2337:retrieve_domain_configuration_lock_acquired: Domain 99:Fail to get domain configuration\n' +
        'unable to retrieve domain configuration\n',
    });
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect(await h.run(['save', '0', join(dir, 'x')])).toEqual({ code: 1, out: '', err: 'xlsim: Domain-0 is the host itself and is not saved through xl\n' });
  });

  it('a file that cannot be opened: xl says so and the domain keeps running', async () => {
    const h = await withWeb();
    const r = await h.run(['save', 'web', join(dir, 'no/such/dir')]);
    expect(r).toEqual({ code: 1, out: '', err: `Failed to open temp file ${join(dir, 'no/such/dir')} for writing\n` });
    expect((await rows(h)).web![1]).toMatch(/^-b----|^r-----/);
  });

  it('writes xl\'s layout, suspends the guest, prints libxc\'s progress and destroys the domain', async () => {
    const h = await withWeb();
    const file = join(dir, 'web.save');
    const r = await h.run(['save', 'web', file]);
    const bytes = readFileSync(file);
    const optlen = bytes.readUInt32LE(44);
    expect(r).toEqual({
      code: 0, out: '',
      err: `Saving to ${file} new xl format (info 0x3/0x0/${optlen})\n` +
        'xc: info: Saving domain 1, type x86 PV\n' + FRAMES_128M + 'xc: progress: End of stream: 0/0    0%\n',
    });
    // xl.h: 32-byte magic, then byte order 0x01020304, mandatory 0x3, optional 0, optlen (native = LE).
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('Xen saved domain');
    expect(bytes.subarray(0, 32).toString('latin1')).toBe('Xen saved domain, xl format\n \0 \r');
    expect([...bytes.subarray(32, 44)]).toEqual([4, 3, 2, 1, 3, 0, 0, 0, 0, 0, 0, 0]);
    const len = bytes.readUInt32LE(48);
    expect(optlen).toBe(4 + len);
    expect(bytes[48 + 4 + len - 1]).toBe(0);
    const json = JSON.parse(bytes.subarray(52, 52 + len - 1).toString('utf8'));
    expect(json.c_info.name).toBe('web');
    expect(json.c_info.domid).toBeUndefined();
    // libxl stream v2: "LibxlFmt", version 2, options 0 (big-endian), then LIBXC_CONTEXT.
    const s = 48 + optlen;
    expect(bytes.subarray(s, s + 8).toString('latin1')).toBe('LibxlFmt');
    expect(bytes.readUInt32BE(s + 8)).toBe(2);
    expect(bytes.readUInt32LE(s + 16)).toBe(1);
    expect(bytes.readUInt32BE(s + 24 + 8)).toBe(0x58454e46);
    expect(Object.keys(await rows(h))).toEqual(['Domain-0']);
  });

  it('-D keeps the domid in the config; -c leaves it running, -p paused', async () => {
    const h = await withWeb();
    expect((await h.run(['save', '-c', '-D', 'web', join(dir, 'a')])).code).toBe(0);
    const a = readFileSync(join(dir, 'a'));
    expect(JSON.parse(a.subarray(52, 52 + a.readUInt32LE(48) - 1).toString()).c_info.domid).toBe(1);
    expect((await rows(h)).web).toEqual([1, expect.stringMatching(/^[r-][b-]----$/)]);
    expect(h.host().consoleLog(1)).toMatch(/Freezing user space processes \.\.\. \(elapsed 0\.00\d seconds\) done\.\r\n.*OOM killer enabled\.\r\n.*Restarting tasks \.\.\. done\.\r\n$/s);
    expect((await h.run(['save', '-p', 'web', join(dir, 'b')])).code).toBe(0);
    expect((await rows(h)).web![1]).toBe('--p---');
  });

  it('a guest that never acknowledges: libxl cancels, xl resumes, exit 1', async () => {
    const h = await withWeb();
    h.host().injectFault({ kind: 'ignore-shutdown', domid: 1, on: true });
    const r = await h.run(['save', 'web', join(dir, 'x')]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n').slice(2).join('\n')).toBe(
      "libxl: error: libxl_dom_suspend.c:270:domain_suspend_common_pvcontrol_suspending: Domain 1:guest didn't acknowledge suspend, cancelling request\n" +
      'xc: error: save callback suspend() failed: 0: Internal error\n' +
      'xc: error: Save failed (0 = Success): Internal error\n' +
      'libxl: error: libxl_stream_write.c:350:libxl__xc_domain_save_done: Domain 1:saving domain: domain did not respond to suspend request: Success\n' +
      'Failed to save domain, resuming domain\n');
    expect(h.host().xenstoreRead('/local/domain/1/control/shutdown')).toBe('');
    expect((await rows(h)).web![1]).toMatch(/^[r-][b-]----$/);
  });
});

describe('xl restore', () => {
  it('help and operand errors', async () => {
    const h = harness();
    const r = await h.run('restore');
    expect(r.code).toBe(2);
    expect(r.err).toBe("'xl restore' requires at least 1 argument.\n\n");
    expect(r.out).toContain('-A, --vncviewer-autopass Pass VNC password to viewer via stdin.\n');
    expect((await h.run('restore a b c')).code).toBe(1);
    expect(await h.run(['restore', join(dir, 'none')])).toEqual({ code: 1, out: '', err: "Can't open restore file: No such file or directory\n" });
  });

  it('carries the guest on with a new domid: uptime, CPU time, console, shell', async () => {
    const h = await withWeb();
    h.host().consoleInput(1, 'root\rpw\recho hello\r');
    const before = h.host().domain(1)!;
    const log = h.host().consoleLog(1);
    const up = (await h.run('uptime web')).out;
    const file = join(dir, 'web.save');
    expect((await h.run(['save', 'web', file])).code).toBe(0);
    h.clock.advance(60_000);
    const optlen = readFileSync(file).readUInt32LE(44);
    const r = await h.run(['restore', file]);
    expect(r).toEqual({
      code: 0, out: '',
      err: `Loading new save file ${file} (new xl fmt info 0x3/0x0/${optlen})\n` +
        ' Savefile contains xl domain config in JSON format\n' +
        'Parsing config from <saved>\n' +
        'xc: info: Found x86 PV domain from Xen 4.20\n' +
        'xc: info: Restoring domain\n' +
        'xc: info: Restore successful\n' +
        'xc: info: XenStore: mfn 0xfeffc, dom 0, evt 1\n' +
        'xc: info: Console: mfn 0xfeffd, dom 0, evt 2\n',
    });
    const d = h.host().domain(2)!;
    expect([d.name, d.uuid, d.startTime]).toEqual(['web', before.uuid, before.startTime]);
    expect(d.cpuTimeNs).toBeGreaterThanOrEqual(before.cpuTimeNs);
    expect(h.host().consoleLog(2).startsWith(log)).toBe(true);
    // xl uptime goes on from the domain's creation (docs/compat.md)
    const secs = (s: string) => s.split('\n')[1]!.trim().split(/\s+/).pop()!;
    expect(secs((await h.run('uptime web')).out) > secs(up)).toBe(true);
    h.clock.advance(1000);
    h.host().consoleInput(2, 'echo again\r');
    expect(h.host().consoleLog(2)).toMatch(/echo again\r\nagain\r\n.*# $/);
    expect(h.host().devices(2).map((x) => x.state)).toEqual([4, 4]);
  });

  it('-p leaves it paused, -e without monitor; a config file replaces the saved one', async () => {
    const h = await withWeb({ '/etc/xen/other.cfg': CFG.replace('"web"', '"copy"') });
    const file = join(dir, 'web.save');
    expect((await h.run(['save', '-c', 'web', file])).code).toBe(0);
    const r = await h.run(['restore', '-p', '-e', '/etc/xen/other.cfg', file]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('Savefile contains xl domain config in JSON format\nParsing config from /etc/xen/other.cfg\nxc: info: Found');
    expect((await rows(h)).copy![1]).toBe('--p---');
  });

  it('a name in use fails as libxl__domain_rename does; nothing changes', async () => {
    const h = await withWeb();
    const file = join(dir, 'web.save');
    expect((await h.run(['save', '-c', 'web', file])).code).toBe(0);
    const before = h.host().exportTables();
    const r = await h.run(['restore', file]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n').slice(3).join('\n')).toBe(
      'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 1:Domain with name "web" already exists.\n' +
      'libxl: error: libxl_create.c:1276:initiate_domain_create: Domain 1:cannot make domain: -6\n');
    expect(h.host().exportTables()).toEqual(before);
  });

  it('truncated and foreign files get xl\'s errors and change nothing', async () => {
    const h = await withWeb();
    const file = join(dir, 'web.save');
    expect((await h.run(['save', 'web', file])).code).toBe(0);
    const whole = readFileSync(file);
    const before = h.host().exportTables();
    // `head -c 16`: libxl_read_exactly's short read, then CHK_ERRNOVAL (xl_vmcontrol.c).
    writeFileSync(join(dir, 'short'), whole.subarray(0, 16));
    expect(await h.run(['restore', join(dir, 'short')])).toEqual({
      code: 1, out: '',
      err: `libxl: error: libxl_utils.c:507:libxl_read_exactly: file/stream truncated reading header from ${join(dir, 'short')}\n` +
        'xl: fatal error: xl_vmcontrol.c:753: Protocol error: libxl_read_exactly( ctx, restore_fd, &hdr, sizeof(hdr), restore_source, "header")\n',
    });
    writeFileSync(join(dir, 'foreign'), Buffer.from('#!/bin/sh\necho this is not a saved domain at all, not even close\n'));
    expect(await h.run(['restore', join(dir, 'foreign')])).toEqual({ code: 1, out: '', err: 'File has wrong magic number - corrupt or for a different tool?\n' });
    const swapped = Buffer.from(whole);
    swapped.writeUInt32BE(0x01020304, 32);
    writeFileSync(join(dir, 'be'), swapped);
    expect(await h.run(['restore', join(dir, 'be')])).toEqual({ code: 1, out: '', err: 'File has wrong byte order\n' });
    const flags = Buffer.from(whole);
    flags.writeUInt32LE(7, 36);
    writeFileSync(join(dir, 'flags'), flags);
    const optlen = whole.readUInt32LE(44);
    expect((await h.run(['restore', join(dir, 'flags')])).err).toBe(
      `Loading new save file ${join(dir, 'flags')} (new xl fmt info 0x7/0x0/${optlen})\nSavefile has mandatory flag(s) 0x4 which are not supported; need newer xl\n`);
    // Cut inside libxc's records: libxc's read_record, then libxl's restore callbacks.
    const mid = join(dir, 'mid');
    writeFileSync(mid, whole.subarray(0, whole.length - 200));
    const r = await h.run(['restore', mid]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Loading new save file .*\n Savefile contains xl domain config in JSON format\nParsing config from <saved>\nxc: info: Found x86 PV domain from Xen 4\.20\nxc: info: Restoring domain\n/);
    expect(r.err).toMatch(/xc: error: Failed to read \d+ bytes of data for record \(0x80786c02, Reserved\) \(0 = Success\): Internal error\n/);
    expect(r.err.endsWith(
      'xc: error: Restore failed (0 = Success): Internal error\n' +
      'libxl: error: libxl_stream_read.c:850:libxl__xc_domain_restore_done: restoring domain: Success\n' +
      'libxl: error: libxl_create.c:1693:domcreate_rebuild_done: cannot (re-)build domain: -3\n')).toBe(true);
    // Right after the config: libxl's stream header is missing (stream_header_done).
    writeFileSync(join(dir, 'nostream'), whole.subarray(0, 48 + optlen));
    expect((await h.run(['restore', join(dir, 'nostream')])).err).toContain(
      'libxl: error: libxl_stream_read.c:342:stream_header_done: Invalid ident: expected 0x4c6962786c466d74, got 0x0000000000000000\n');
    expect(h.host().exportTables()).toEqual(before);
  });
});

describe('xl migrate', () => {
  it('help text (xl_cmdtable.c) and xl\'s transport command line (xl_migrate.c main_migrate)', async () => {
    const h = harness();
    const r = await h.run('migrate -h');
    expect(r.out).toBe('Usage: xl [-vtTf] migrate [options] <Domain> <host>\n\nMigrate a domain to another host.\n\nOptions:\n\n' +
      '-h              Print this help.\n' +
      '-C <config>     Send <config> instead of config file from creation.\n' +
      '-s <sshcommand> Use <sshcommand> instead of ssh.  String will be passed\n' +
      '                to sh. If empty, run <host> instead of ssh <host> xl\n' +
      '                migrate-receive [-d -e]\n' +
      '-e              Do not wait in the background (on <host>) for the death\n' +
      '                of the domain.\n' +
      '--debug         Print huge (!) amount of debug during the migration process.\n' +
      '-p              Do not unpause domain after migrating it.\n' +
      '-D              Preserve the domain id\n');
    const o = { tty: false, verbose: 0, daemonize: true, debug: false, pause: false };
    expect(migrationRune('ssh', 'hostb', o)).toBe('exec ssh hostb xlsim migrate-receive');
    expect(migrationRune('ssh -p 2222', 'hostb', { ...o, tty: true, verbose: 2, daemonize: false, debug: true, pause: true }))
      .toBe('exec ssh -p 2222 hostb xlsim -t -vv migrate-receive -e -d -p');
    expect(migrationRune('', 'XLSIM_HOME=/h xlsim migrate-receive', o)).toBe('XLSIM_HOME=/h xlsim migrate-receive');
    expect((await h.run('migrate web')).err).toBe("'xl migrate' requires at least 2 arguments.\n\n");
    expect((await h.run('migrate 0 localhost')).err).toBe('xlsim: Domain-0 is the host itself and is not migrated through xl\n');
  });

  it('to localhost: the handshake of §7.3 on both sides, a new domid, the guest carries on', async () => {
    const h = await withWeb();
    const before = h.host().domain(1)!;
    const r = await h.run('migrate web localhost');
    const optlen = /info 0x3\/0x0\/(\d+)/.exec(r.err)![1];
    expect(r.code).toBe(0);
    expect(r.err.replace(/\nxlsim: migration: .*\n/, '\nSUMMARY\n')).toBe(
      'migration target: Ready to receive domain.\n' +
      `Saving to migration stream new xl format (info 0x3/0x0/${optlen})\n` +
      'xc: info: Saving domain 1, type x86 PV\n' +
      `Loading new save file <incoming migration stream> (new xl fmt info 0x3/0x0/${optlen})\n` +
      ' Savefile contains xl domain config in JSON format\n' +
      'Parsing config from <saved>\n' +
      'xc: info: Found x86 PV domain from Xen 4.20\n' +
      'xc: info: Restoring domain\n' +
      'xc: info: Restore successful\n' +
      'xc: info: XenStore: mfn 0xfeffc, dom 0, evt 1\n' +
      'xc: info: Console: mfn 0xfeffd, dom 0, evt 2\n' +
      'migration target: Transfer complete, requesting permission to start domain.\n' +
      'migration sender: Target has acknowledged transfer.\n' +
      'migration sender: Giving target permission to start.\n' +
      'migration target: Got permission, starting domain.\n' +
      'migration target: Domain started successsfully.\n' +
      'migration sender: Target reports successful startup.\n' +
      'SUMMARY\n' +
      'Migration successful.\n');
    // 32768 pages at 1 GiB/s: iteration 0 takes 125 ms, an idle guest dirties ~31 pages meanwhile (< 50: stop).
    expect(r.err).toMatch(/\nxlsim: migration: 2 pre-copy iterations and a stop-and-copy sent 328\d\d pages \(128\.\d MiB\) of 32768; downtime \d+ ms\n/);
    const d = h.host().domain(2)!;
    expect([d.name, d.uuid, d.startTime]).toEqual(['web', before.uuid, before.startTime]);
    expect(h.host().xenstoreRead(`/vm/${d.uuid}/name`)).toBe('web');
    expect(Object.keys(await rows(h))).toEqual(['Domain-0', 'web']);
  });

  it('--debug shows each pre-copy iteration; a busy guest needs more of them', async () => {
    const h = await withWeb();
    h.host().consoleInput(1, 'root\rpw\rstress --vm 1 --vm-bytes 64M\r');
    const r = await h.run('migrate --debug web localhost');
    expect(r.code).toBe(0);
    const iters = r.err.match(/^xc: progress: Frames iteration (\d+): (\d+)\/\2  100%$/gm)!;
    // xg_sr_save.c: iterations 0..4 live (the working set never gets below 50 pages), then stop-and-copy as iteration 5.
    expect(iters.map((l) => /iteration (\d+)/.exec(l)![1])).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(r.err).toMatch(/xlsim: migration: stop-and-copy: \d+ pages sent in \d+ ms with the guest suspended\n/);
    expect(h.host().domain(2)!.cpuTimeNs).toBeGreaterThan(0);
  });

  it('records each step in the sending host\'s event log, for the dashboard: start, the rounds, stop-and-copy, done', async () => {
    const h = await withWeb();
    h.host().consoleInput(1, 'root\rpw\rstress --vm 1 --vm-bytes 64M\r');
    const from = h.host().events().length;
    const r = await h.run('migrate --debug web localhost');
    expect(r.code).toBe(0);
    const steps = h.host().events(from).filter((e) => e.kind === 'migration');
    expect(steps.map((e) => e.phase)).toEqual(['start', 'round', 'round', 'round', 'round', 'round', 'stop-and-copy', 'done']);
    expect(steps.every((e) => e.domid === 1 && e.name === 'web' && e.to === 'localhost' && e.from === h.host().seed().hostname)).toBe(true);
    // The pages each round sent are what --debug printed for that iteration.
    const printed = [...r.err.matchAll(/^xc: progress: Frames iteration (\d+): (\d+)\/\2  100%$/gm)].map((m) => Number(m[2]));
    expect(steps.filter((e) => e.phase === 'round').map((e) => e.sentPages)).toEqual(printed.slice(0, 5));
    expect(steps.find((e) => e.phase === 'stop-and-copy')!.sentPages).toBe(printed[5]);
    // Each round's dirty pages are what the next one sends.
    const rounds = steps.filter((e) => e.phase === 'round');
    rounds.slice(0, -1).forEach((e, i) => expect(e.dirtyPages).toBe(rounds[i + 1]!.sentPages));
  });

  it('a migration that fails after its rounds (the guest never suspends) ends its steps with failed', async () => {
    const h = await withWeb();
    h.host().injectFault({ kind: 'ignore-shutdown', domid: 1, on: true });
    const from = h.host().events().length;
    expect((await h.run('migrate web localhost')).code).toBe(1);
    const steps = h.host().events(from).filter((e) => e.kind === 'migration').map((e) => e.phase);
    expect(steps[0]).toBe('start');
    expect(steps.slice(1, -1).every((p) => p === 'round')).toBe(true);
    expect(steps[steps.length - 1]).toBe('failed');
  });

  it('to another host whose name is taken: the target gives it back and the guest keeps running here', async () => {
    const h = await withWeb({ '/etc/xen/web2.cfg': CFG });
    expect((await h.run('migrate web hostb')).code).toBe(0);
    expect((await h.run('create /etc/xen/web2.cfg')).code).toBe(0);
    h.clock.advance(30_000);
    const r = await h.run('migrate web hostb');
    expect(r.code).toBe(1);
    const tail = r.err.slice(r.err.indexOf('migration target: Transfer complete'));
    expect(tail).toBe(
      'migration target: Transfer complete, requesting permission to start domain.\n' +
      'migration sender: Target has acknowledged transfer.\n' +
      'migration sender: Giving target permission to start.\n' +
      'migration target: Got permission, starting domain.\n' +
      'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 2:Domain with name "web" already exists.\n' +
      'migration target: Failure, destroying our copy.\n' +
      'migration target: Cleanup OK, granting sender permission to resume.\n' +
      'migration sender: Target reports startup failure (status code 6).\n' +
      'migration sender: Trying to resume at our end.\n' +
      'migration sender: Resumed OK.\n' +
      'Migration failed due to problems at target.\n');
    expect((await rows(h)).web).toEqual([2, expect.stringMatching(/^[r-][b-]----$/)]);
  });

  it('to a host without the memory: the target refuses before the transfer; the guest never stopped', async () => {
    const h = harness({
      '/etc/xen/a.cfg': 'name="a"\nkernel="/boot/vmlinuz"\nmemory=20000\n',
      '/etc/xen/b.cfg': 'name="b"\nkernel="/boot/vmlinuz"\nmemory=10000\n',
    });
    expect((await h.run('create /etc/xen/a.cfg')).code).toBe(0);
    h.clock.advance(30_000);
    expect((await h.run('migrate a hostb')).code).toBe(0);
    expect((await h.run('create /etc/xen/b.cfg')).code).toBe(0);
    h.clock.advance(30_000);
    const r = await h.run('migrate b hostb');
    expect(r.code).toBe(1);
    expect(r.err.replace(/\[\d+\]/, '[PID]')).toBe(
      'migration target: Ready to receive domain.\n' +
      `Saving to migration stream new xl format (info 0x3/0x0/${/0x3\/0x0\/(\d+)/.exec(r.err)![1]})\n` +
      'xc: info: Saving domain 2, type x86 PV\n' +
      `Loading new save file <incoming migration stream> (new xl fmt info 0x3/0x0/${/0x3\/0x0\/(\d+)/.exec(r.err)![1]})\n` +
      ' Savefile contains xl domain config in JSON format\n' +
      'Parsing config from <saved>\n' +
      'failed to free memory for the domain\n' +
      'migration target: Domain creation failed (code -3).\n' +
      'xc: error: Failed to write page data to stream (32 = Broken pipe): Internal error\n' +
      'xc: error: Save failed (32 = Broken pipe): Internal error\n' +
      'libxl: error: libxl_stream_write.c:350:libxl__xc_domain_save_done: Domain 2:saving domain: domain did not respond to suspend request: Broken pipe\n' +
      'migration sender: libxl_domain_suspend failed (rc=-8)\n' +
      'libxl: info: libxl_exec.c:118:libxl_report_child_exitstatus: migration transport process [PID] exited with error status 1\n' +
      'Migration failed, failed to suspend at sender.\n');
    expect((await rows(h)).b![1]).toMatch(/^[r-][b-]----$/);
  });
});

describe('xl suspend / resume', () => {
  it('suspend leaves ---ss-, resume brings it back; both exit 0 even when libxl fails', async () => {
    const h = await withWeb();
    expect(await h.run('suspend web')).toEqual({ code: 0, out: '', err: '' });
    expect((await rows(h)).web![1]).toBe('---ss-');
    expect(await h.run('resume web')).toEqual({ code: 0, out: '', err: '' });
    expect((await rows(h)).web![1]).toMatch(/^[r-][b-]----$/);
    expect(await h.run('suspend 99')).toEqual({ code: 0, out: '', err: 'libxl: error: libxl_dom.c:37:libxl__domain_type: Domain 99:unable to get dominfo: No such process\n' });
    expect(await h.run('resume 99')).toEqual({ code: 0, out: '', err: 'libxl: error: libxl_dom.c:37:libxl__domain_type: Domain 99:unable to get dominfo: No such process\n' });
    expect((await h.run('suspend nosuch')).code).toBe(1);
    expect((await h.run('resume')).err).toBe("'xl resume' requires at least 1 argument.\n\n");
  });
});

describe('xl dump-core', () => {
  it('an ELF64 core with Xen\'s sections; .xen_pages as large as the domain\'s memory', async () => {
    const h = await withWeb();
    const file = join(dir, 'web.core');
    expect(await h.run(['dump-core', 'web', file])).toEqual({ code: 0, out: '', err: '' });
    const b = readFileSync(file);
    expect([...b.subarray(0, 9)]).toEqual([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 1]);
    expect(b.readUInt16LE(16)).toBe(4); // ET_CORE
    expect(b.readUInt16LE(18)).toBe(62); // EM_X86_64
    expect(b.readBigUInt64LE(32)).toBe(0n); // e_phoff: no program headers
    expect(b.readBigUInt64LE(40)).toBe(64n); // e_shoff: right after the ELF header
    const shnum = b.readUInt16LE(60);
    const shstrndx = b.readUInt16LE(62);
    const sh = (i: number) => ({
      name: b.readUInt32LE(64 + i * 64), type: b.readUInt32LE(68 + i * 64),
      off: Number(b.readBigUInt64LE(88 + i * 64)), size: Number(b.readBigUInt64LE(96 + i * 64)), entsize: Number(b.readBigUInt64LE(120 + i * 64)),
    });
    const str = sh(shstrndx);
    const nameOf = (i: number) => b.subarray(str.off + sh(i).name).toString('latin1').split('\0')[0];
    expect(Array.from({ length: shnum }, (_, i) => nameOf(i))).toEqual(['', '.shstrtab', '.note.Xen', '.xen_prstatus', '.xen_shared_info', '.xen_pages', '.xen_p2m']);
    expect(sh(5)).toMatchObject({ size: 32768 * 4096, entsize: 4096 });
    expect(sh(5).off % 4096).toBe(0);
    expect(sh(6)).toMatchObject({ off: sh(5).off + 32768 * 4096, size: 32768 * 16, entsize: 16 });
    expect(sh(3)).toMatchObject({ size: 2 * 5168, entsize: 5168 });
    expect(statSync(file).size).toBe(str.off + str.size);
    // The notes: "Xen" name, types 0x2000000..3; the header's magic, vCPUs, pages, page size.
    const n = sh(2).off;
    expect([b.readUInt32LE(n), b.readUInt32LE(n + 4), b.readUInt32LE(n + 8), b.subarray(n + 12, n + 16).toString('latin1')]).toEqual([4, 0, 0x2000000, 'Xen\0']);
    expect([b.readUInt32LE(n + 24), b.readBigUInt64LE(n + 32), b.readBigUInt64LE(n + 40), b.readBigUInt64LE(n + 48), b.readBigUInt64LE(n + 56)])
      .toEqual([0x2000001, 0xf00febedn, 2n, 32768n, 4096n]);
    expect((await rows(h)).web![1]).toMatch(/^[r-][b-]----$/);
  });

  it('a domid that names no domain leaves an empty file and libxc\'s and libxl\'s errors', async () => {
    const h = harness();
    const file = join(dir, 'c');
    expect(await h.run(['dump-core', '99', file])).toEqual({
      code: 1, out: '',
      err: 'xc: error: Could not get info for dom99 (3 = No such process): Internal error\n' +
        `libxl: error: libxl_domain.c:599:libxl_domain_core_dump: Domain 99:Core dumping domain to ${file}: No such process\n` +
        'core dump failed (rc=-3)\n',
    });
    expect(statSync(file).size).toBe(0);
    expect((statSync(file).mode & 0o777) & ~0o600).toBe(0);
    const bad = join(dir, 'no/dir/c');
    expect((await h.run(['dump-core', '0', bad])).err).toBe(
      `xc: error: Could not open corefile ${bad} (2 = No such file or directory): Internal error\n` +
      `libxl: error: libxl_domain.c:599:libxl_domain_core_dump: Core dumping domain to ${bad}: No such file or directory\n` +
      'core dump failed (rc=-3)\n');
  });
});
