/**
 * Golden tests of the guest-control and miscellaneous commands: trigger, button-press,
 * sysrq, config-update, debug-keys, set-parameters, the FLASK and PSR commands on a host
 * without them, vncviewer and qemu-monitor-command. Expected bytes come from
 * tools/xl/xl_misc.c, xl_flask.c, xl_psr.c, xl_console.c and libxl (4.20.0 line
 * numbers), and QEMU's HMP layouts.
 */
import { describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

const WEB = 'name = "web"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 512\nvcpus = 2\n';
const WIN = 'name = "hvm1"\ntype = "hvm"\nmemory = 1024\nvcpus = 2\n' +
  'disk = [ "format=raw, vdev=hda, access=rw, target=/dev/vg0/hvm1", "vdev=hdc, access=r, devtype=cdrom, target=/srv/iso/debian.iso", "format=qcow2, vdev=hdb, access=rw, target=/srv/hvm1-data.qcow2" ]\n' +
  'vif = [ "mac=00:16:3e:00:00:02, bridge=xenbr0" ]\n';

async function hosts() {
  const h = harness({ 'web.cfg': WEB, 'hvm.cfg': WIN, 'web2.cfg': WEB.replace('memory = 512', 'memory = 768') });
  await h.run('create -q web.cfg');
  await h.run('create -q hvm.cfg');
  h.clock.advance(60_000);
  return h;
}

const ok = { code: 0, out: '', err: '' };

describe('trigger and button-press', () => {
  it('xl ignores libxl\'s result: refused triggers print libxl\'s line and exit 0', async () => {
    const h = await hosts();
    expect(await h.run('trigger web nmi')).toEqual(ok);
    expect(await h.run('trigger web power')).toEqual({
      code: 0, out: '', err: "libxl: error: libxl_domain.c:2209:libxl_send_trigger: Domain 1:Send trigger 'power' failed: Invalid argument\n",
    });
    expect(await h.run('trigger web reset')).toEqual({
      code: 0, out: '', err: "libxl: error: libxl_domain.c:2209:libxl_send_trigger: Domain 1:Send trigger 'reset' failed: Function not implemented\n",
    });
    expect(await h.run('trigger web NMI 7')).toEqual({
      code: 0, out: '', err: "libxl: error: libxl_domain.c:2209:libxl_send_trigger: Domain 1:Send trigger 'nmi' failed: No such process\n",
    });
    expect(await h.run('trigger web nmi x')).toEqual({ code: 0, out: '', err: 'Invalid vcpuid, using default vcpuid=0.\n\n' });
    expect(await h.run('trigger web s3resume')).toEqual({
      code: 0, out: '', err: "libxl: error: libxl_domain.c:2164:domain_s3_resume_done: Domain 1:Send trigger 's3resume' failed, rc=-6\n",
    });
    expect(await h.run('trigger web kick')).toEqual({ code: 1, out: '', err: 'Invalid trigger "kick"\n' });
    expect(await h.run('trigger nosuch nmi')).toEqual({ code: 1, out: '', err: 'nosuch is an invalid domain identifier (rc=-6)\n' });
    expect(await h.run('trigger 0 power')).toEqual({
      code: 0, out: '', err: "libxl: error: libxl_domain.c:2209:libxl_send_trigger: Send trigger 'power' failed: Invalid argument\n",
    });
    expect(await h.run('button-press web lid')).toEqual({
      code: 1, out: '', err: 'WARNING: "button-press" is deprecated. Please use "trigger"\nlid is an invalid button identifier\n',
    });
  });

  it('the power button shuts an HVM guest down; the NMI line shows on a Linux console', async () => {
    const h = await hosts();
    expect(await h.run('button-press hvm1 power')).toEqual({ code: 0, out: '', err: 'WARNING: "button-press" is deprecated. Please use "trigger"\n' });
    h.clock.advance(60_000);
    expect((await h.run('list hvm1')).code).toBe(1);
    await h.run('trigger web nmi 1');
    const c = await h.run('console web');
    expect(c.out).toMatch(/\[ +\d+\.\d{6}\] Uhhuh\. NMI received for unknown reason 00 on CPU 1\.\r\n\[ +\d+\.\d{6}\] Dazed and confused, but trying to continue\r\n$/);
  });
});

describe('sysrq', () => {
  it('sends a letter; the guest\'s console shows the kernel\'s lines', async () => {
    const h = await hosts();
    expect(await h.run('sysrq web s')).toEqual(ok);
    expect((await h.run('console web')).out).toMatch(/sysrq: Emergency Sync\r\n\[ +\d+\.\d{6}\] Emergency Sync complete\r\n$/);
    expect(await h.run('sysrq web c')).toEqual(ok);
    expect((await h.run('list web')).code).toBe(1);
  });

  it('one letter only; never b, c or o to Domain-0', async () => {
    const h = await hosts();
    expect(await h.run('sysrq web ab')).toEqual({
      code: 1,
      out: 'Usage: xl [-vtTf] sysrq <Domain> <letter>\n\nSend a sysrq to a domain.\n\n',
      err: 'Invalid sysrq.\n\n',
    });
    expect(await h.run('sysrq 0 b')).toEqual({
      code: 1, out: '', err: "xlsim: Domain-0 is the host itself; sysrq 'b' would reset it and is not sent\n",
    });
    expect(await h.run('sysrq 0 s')).toEqual(ok);
    expect(await h.run('sysrq 42 s')).toEqual(ok);
  });
});

describe('config-update', () => {
  it('warns, stores the config for the next reboot and says so', async () => {
    const h = await hosts();
    expect(await h.run('config-update web web2.cfg')).toEqual({
      code: 0,
      out: '',
      err: 'WARNING: xl now has better capability to manage domain configuration, avoid using this command when possible\nsetting dom1 configuration\n',
    });
    expect((await h.run('list web')).out.split('\n')[1]!.slice(46, 52)).toBe('   512');
    await h.run('reboot -w web');
    h.clock.advance(60_000);
    const row = (await h.run('list web')).out.split('\n')[1]!;
    expect(row.slice(40, 52)).toBe('     3   768');
  });

  it('-d prints the config as {"domid": null, "config": …}; errors as xl', async () => {
    const h = await hosts();
    const WARN = 'WARNING: xl now has better capability to manage domain configuration, avoid using this command when possible\n';
    const r = await h.run('-N config-update web web2.cfg');
    expect(r.code).toBe(0);
    expect(r.err).toBe(WARN);
    expect(r.out.startsWith('{\n    "domid": null,\n    "config": {\n        "c_info": {\n            "type": "pvh",\n            "name": "web",\n')).toBe(true);
    expect(r.out.endsWith('\n}\n')).toBe(true);
    expect(await h.run('config-update')).toEqual({
      code: 1,
      out: 'Usage: xl [-vtTfN] config-update <Domain> <ConfigFile> [options] [vars]\n\n' +
        "Update a running domain's saved configuration, used when rebuilding the domain after reboot.\n" +
        'WARNING: xl now has better capability to manage domain configuration, avoid using this command when possible.\n\n' +
        'Options:\n\n-h                      Print this help.\n-f FILE, --defconfig=FILE\n                     Use the given configuration file.\n-d                      Enable debug messages.\n\n',
      err: 'xl config-update requires a domain argument\n',
    });
    expect(await h.run('config-update web')).toEqual({ code: 1, out: '', err: `${WARN}Config file not specified\n` });
    expect(await h.run('config-update web nosuch.cfg')).toEqual({ code: 253, out: '', err: `${WARN}Failed to read config file: nosuch.cfg: No such file or directory\n` });
    expect(await h.run('config-update nosuch web2.cfg')).toEqual({ code: 1, out: '', err: `${WARN}nosuch is an invalid domain identifier (rc=-6)\n` });
  });
});

describe('debug-keys and set-parameters', () => {
  it('debug-keys output goes to xl dmesg', async () => {
    const h = await hosts();
    expect(await h.run('debug-keys h')).toEqual(ok);
    const d = (await h.run('dmesg')).out;
    expect(d).toContain("(XEN) 'h' pressed -> showing installed handlers\n(XEN)  key '*' (ascii '2a') => print all diagnostics\n");
    expect(d).toContain("(XEN)  key 'q' (ascii '71') => dump domain (and guest debug) info\n");
    expect(d.endsWith("(XEN)  key 'z' (ascii '7a') => dump IOAPIC info\n")).toBe(true);
    expect(await h.run('debug-keys e')).toEqual(ok);
    expect((await h.run('dmesg')).out).toMatch(/\(XEN\) 'e' pressed -> dumping event-channel info\n\(XEN\) Event channel information for domain 0:\n\(XEN\) Polling vCPUs: \{\}\n\(XEN\)     port \[p\/m\/s\]\n/);
    expect(await h.run('debug-keys R')).toEqual({
      code: 1, out: '', err: "xlsim: debug key 'R' would reboot the host itself; no key was sent\ncannot send debug keys: R\n",
    });
  });

  it('set-parameters writes runtime parameters; others fail as hypfs does', async () => {
    const h = await hosts();
    expect(await h.run(['set-parameters', 'loglvl=all guest_loglvl=all noglobal-pages'])).toEqual(ok);
    expect(await h.run('set-parameters dom0_mem=1G')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl.c:656:libxl_set_parameters: setting parameters: No such file or directory\ncannot set parameters: dom0_mem=1G\n',
    });
    expect(await h.run('set-parameters console_timestamps=sometimes')).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl.c:656:libxl_set_parameters: setting parameters: Invalid argument\ncannot set parameters: console_timestamps=sometimes\n',
    });
  });
});

describe('FLASK and PSR on a host without them', () => {
  it('getenforce, setenforce, loadpolicy', async () => {
    const h = harness({ 'pol.bin': 'x' });
    expect(await h.run('getenforce')).toEqual({ code: 255, out: 'Flask XSM Disabled\n', err: '' });
    expect(await h.run('setenforce 1')).toEqual({ code: 255, out: '', err: 'Flask XSM disabled\n' });
    expect(await h.run('setenforce Permissive')).toEqual({ code: 255, out: '', err: 'Flask XSM disabled\n' });
    expect(await h.run('setenforce 2')).toEqual({
      code: 2, out: 'Usage: xl [-vtTf] setenforce <1|0|Enforcing|Permissive>\n\nSets the current enforcing mode of the Flask Xen security module.\n\n', err: '',
    });
    expect(await h.run('loadpolicy pol.bin')).toEqual({ code: 255, out: '', err: 'Flask XSM disabled\n' });
    expect(await h.run('loadpolicy none.bin')).toEqual({ code: 255, out: '', err: "Error occurred opening policy file 'none.bin': No such file or directory\n" });
  });

  it('psr-* report no RDT', async () => {
    const h = await hosts();
    expect(await h.run('psr-hwinfo')).toEqual({ code: 253, out: 'Cache Monitoring Technology (CMT):\nEnabled         : 0\n', err: '' });
    expect(await h.run('psr-hwinfo -m')).toEqual({ code: 0, out: 'Cache Monitoring Technology (CMT):\nEnabled         : 0\n', err: '' });
    expect(await h.run('psr-cmt-attach web')).toEqual({
      code: 253, out: '', err: 'libxl: error: libxl_psr.c:71:libxl__psr_cmt_log_err_msg: CMT is not supported in this system: No such device\n',
    });
    expect(await h.run('psr-cmt-show cache-occupancy')).toEqual({ code: 255, out: '', err: 'CMT is disabled in the system\n' });
    expect(await h.run('psr-cat-show web')).toEqual({ code: 253, out: '', err: 'Failed to get info\n' });
    expect(await h.run('psr-cat-show -l 4')).toEqual({ code: 1, out: '', err: 'Input lvl 4 is wrong\n' });
    expect(await h.run('psr-mba-show')).toEqual({ code: 253, out: '', err: 'Failed to get info\n' });
    expect(await h.run('psr-cat-set web 0xff')).toEqual({
      code: 253, out: '', err: 'libxl: error: libxl_psr.c:123:libxl__psr_alloc_log_err_msg: L3 CAT: is not supported in this system\n',
    });
    expect(await h.run('psr-cat-set -c -d web 0xff')).toEqual({ code: 1, out: '', err: 'Cannot handle -c and -d at the same time\n' });
    expect(await h.run('psr-mba-set web 10')).toEqual({
      code: 253, out: '', err: 'libxl: error: libxl_psr.c:123:libxl__psr_alloc_log_err_msg: MBA: is not supported in this system\n',
    });
  });
});

describe('vncviewer and qemu-monitor-command', () => {
  it('vncviewer prints the address of the HVM guest\'s VNC server and runs nothing', async () => {
    const h = await hosts();
    expect(await h.run('vncviewer hvm1')).toEqual({ code: 0, out: '127.0.0.1:0\n', err: '' });
    expect(await h.run('vncviewer web')).toEqual({
      code: 1, out: '', err: 'libxl: error: libxl_console.c:215:libxl_vncviewer_exec: Domain 1:Cannot get vnc-port\n',
    });
  });

  it('an HVM guest\'s QEMU answers info status/version/cpus/network/block', async () => {
    const h = await hosts();
    const q = (cmd: string) => h.run(['qemu-monitor-command', 'hvm1', cmd]);
    expect(await q('info status')).toEqual({ code: 0, out: 'VM status: running\r\n\n', err: '' });
    await h.run('pause hvm1');
    expect((await q('info status')).out).toBe('VM status: paused\r\n\n');
    expect(await q('info version')).toEqual({ code: 0, out: '10.0.2Debian 1:10.0.2+ds-2\r\n\n', err: '' });
    expect((await q('info cpus')).out).toMatch(/^\* CPU #0: thread_id=(\d+)\r\n {2}CPU #1: thread_id=\d+\r\n\n$/);
    expect(await q('info network')).toEqual({
      code: 0,
      out: 'nic0: index=0,type=nic,model=rtl8139,macaddr=00:16:3e:00:00:02\r\n \\ net0: index=0,type=tap,ifname=vif2.0-emu,script=no,downscript=no\r\n\n',
      err: '',
    });
    const block = (await q('info block')).out;
    expect(block).toMatch(new RegExp(
      '^ide0-hd0 \\(#block1\\d\\d\\): /dev/vg0/hvm1 \\(raw\\)\\r\\n {4}Attached to: {6}/machine/unattached/device\\[\\d+\\]\\r\\n {4}Cache mode: {7}writeback\\r\\n\\r\\n' +
      'ide-5632 \\(#block3\\d\\d\\): /srv/iso/debian\\.iso \\(raw, read-only\\)\\r\\n {4}Attached to: {6}/machine/unattached/device\\[\\d+\\]\\r\\n' +
      ' {4}Removable device: not locked, tray closed\\r\\n {4}Cache mode: {7}writeback\\r\\n\\r\\n' +
      'ide0-hd1 \\(#block5\\d\\d\\): /srv/hvm1-data\\.qcow2 \\(qcow2\\)\\r\\n {4}Attached to: {6}/machine/unattached/device\\[\\d+\\]\\r\\n {4}Cache mode: {7}writeback\\r\\n\\n$'));
    expect(await q('info registers-of-doom')).toEqual({ code: 0, out: "unknown command: 'info registers-of-doom'\r\n\n", err: '' });
    expect(await q('frobnicate now')).toEqual({ code: 0, out: "unknown command: 'frobnicate'\r\n\n", err: '' });
  });

  it('a PV guest has no device model; a third operand is refused', async () => {
    const h = await hosts();
    expect(await h.run(['qemu-monitor-command', 'web', 'info status'])).toEqual({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_qmp.c:1334:qmp_ev_lock_aquired: Domain 1:Failed to connect to QMP socket /var/run/xen/qmp-libxl-1: No such file or directory\n',
    });
    expect(await h.run(['qemu-monitor-command', 'hvm1', 'info', 'status'])).toEqual({ code: 1, out: '', err: 'Invalid arguments.\n' });
  });
});

describe('Domain-0 is never stopped from xl, and nothing waits', () => {
  it('pause, trigger, sysrq, cpupool-migrate and debug-keys R fail at once with xl\'s exit codes', async () => {
    const h = harness();
    expect(await h.run('pause 0')).toEqual({
      code: 0, out: '', err: 'libxl: error: libxl_domain.c:583:libxl_domain_pause: Pausing domain: Invalid argument\n',
    });
    expect((await h.run('trigger 0 sleep')).err).toBe("libxl: error: libxl_domain.c:2209:libxl_send_trigger: Send trigger 'sleep' failed: Invalid argument\n");
    for (const k of ['b', 'c', 'o']) expect((await h.run(`sysrq 0 ${k}`)).code).toBe(1);
    // rcu_lock_remote_domain_by_id refuses Domain-0 before the same-pool check (EPERM).
    expect(await h.run('cpupool-migrate 0 Pool-0')).toEqual({
      code: 1, out: '', err: 'libxl: error: libxl_cpupool.c:437:libxl_cpupool_movedomain: Error moving domain to cpupool\n',
    });
    expect((await h.run('debug-keys R')).code).toBe(1);
    const l = (await h.run('list 0')).out.split('\n')[1]!;
    expect(l.slice(0, 8)).toBe('Domain-0');
    expect(l.slice(63, 69)).not.toContain('p');
  });
});
