import { describe, expect, test } from 'vitest';
import { Host } from '../../src/machine/host.js';
import { VirtualClock } from '../../src/machine/clock.js';
import { guestOs, printkStamp } from '../../src/machine/guest/bootlog.js';
import { T0, guestConfig, runUntil } from './helpers.js';

function bootOf(cfg: ReturnType<typeof guestConfig>, ms = 120_000) {
  const host = Host.create(new VirtualClock(T0));
  const id = host.createDomain(cfg);
  host.advanceTo(T0 + ms);
  return { host, id, log: host.consoleLog(id) };
}

describe('guest console boot logs', () => {
  test('printk timestamps look like the kernel\'s', () => {
    expect(printkStamp(0)).toBe('[    0.000000]');
    expect(printkStamp(1_234_567)).toBe('[    1.234567]');
    expect(printkStamp(12_345_000_001)).toBe('[12345.000001]');
  });

  test('a PV Linux guest: kernel release from the kernel path, hvc0, ends at the login prompt', () => {
    const { log } = bootOf(guestConfig('web1', { kernel: '/boot/vmlinuz-6.12.9-amd64', vcpus: 2, disks: [{ vdev: 'xvda', target: '/d' }] }));
    expect(log.startsWith('[    0.000')).toBe(true);
    expect(log).toContain('] Linux version 6.12.9-amd64 ');
    expect(log).toContain('] Hypervisor detected: Xen PV\r\n');
    expect(log).toContain('] smp: Brought up 1 node, 2 CPUs\r\n');
    expect(log).toContain('] blkfront: xvda: ');
    expect(log.endsWith('\r\nDebian GNU/Linux 12 web1 hvc0\r\n\r\nweb1 login: ')).toBe(true);
    const stamps = [...log.matchAll(/^\[\s*(\d+)\.(\d{6})\]/gm)].map((m) => Number(m[1]) * 1e6 + Number(m[2]));
    expect(stamps.length).toBeGreaterThan(10);
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
  });

  test('the log appears over time, not all at once', () => {
    const host = Host.create(new VirtualClock(T0));
    const id = host.createDomain(guestConfig('slow'));
    host.advanceTo(T0 + 500);
    const early = host.consoleLog(id);
    expect(early).toContain('Linux version');
    expect(early).not.toContain('login:');
    host.advanceTo(T0 + 10_000);
    expect(host.consoleLog(id).startsWith(early)).toBe(true);
    expect(host.consoleLog(id)).toContain('slow login: ');
  });

  test('HVM Linux boots through SeaBIOS on ttyS0; Windows prints only the BIOS; unikernels are brief', () => {
    const hvm = bootOf(guestConfig('deb', { type: 'hvm' }));
    expect(hvm.log.startsWith('SeaBIOS (version ')).toBe(true);
    expect(hvm.log).toContain('Booting from Hard Disk...\r\n');
    expect(hvm.log).toContain('Hypervisor detected: Xen HVM');
    expect(hvm.log.endsWith('deb login: ')).toBe(true);
    const winCfg = guestConfig('win2022', { type: 'hvm', disks: [{ vdev: 'hda', target: '/images/windows-2022.qcow2' }] });
    expect(guestOs(winCfg)).toBe('windows');
    const win = bootOf(winCfg);
    expect(win.log).not.toContain('Linux');
    expect(win.log.trimEnd().endsWith('Booting from Hard Disk...')).toBe(true);
    const mirage = bootOf(guestConfig('dns', { kernel: '/srv/unikernels/dns.xen', memoryMiB: 32 }));
    expect(mirage.log.startsWith('Xen Minimal OS (pv)!\r\n')).toBe(true);
    expect(mirage.log).toContain('MirageOS booting...');
  });

  test('shutdown messages follow the reason', () => {
    const { host, id } = bootOf(guestConfig('vm', { onReboot: 'preserve' }), 20_000);
    host.requestShutdown(id, 'reboot');
    runUntil(host, () => host.domain(id)!.state.shutdown);
    expect(host.consoleLog(id)).toMatch(/\] reboot: Restarting system\r\n$/);
  });
});

describe('the distribution shows in the boot log', () => {
  test('Alpine boots with OpenRC and its own banner; root= from the command line names the root device', () => {
    const cfg = guestConfig('alpine-pv', { kernel: '/var/lib/xen/images/alpine/vmlinuz-virt', disks: [{ vdev: 'xvda', target: '/d' }] });
    cfg.b_info.cmdline = 'root=/dev/xvda modules=ext4 console=hvc0';
    const { log } = bootOf(cfg);
    expect(log).toContain('] EXT4-fs (xvda): mounted filesystem');
    expect(log).toContain('OpenRC 0.54 is starting up Linux 6.6.58-0-virt (x86_64)');
    expect(log).not.toContain('systemd');
    expect(log.endsWith('Welcome to Alpine Linux 3.20\r\nKernel 6.6.58-0-virt on an x86_64 (/dev/hvc0)\r\n\r\nalpine-pv login: ')).toBe(true);
  });

  test('Fedora and Ubuntu print their own /etc/issue', () => {
    const fedora = bootOf(guestConfig('fedora-pvh', { kernel: '/var/lib/xen/images/fedora/vmlinuz', type: 'pvh' })).log;
    expect(fedora).toContain('Linux version 6.11.4-301.fc41.x86_64 ');
    expect(fedora).toContain('Started sshd.service');
    expect(fedora.endsWith('Fedora Linux 41 (Server Edition)\r\nKernel 6.11.4-301.fc41.x86_64 on an x86_64 (hvc0)\r\n\r\nfedora-pvh login: ')).toBe(true);
    const ubuntu = bootOf(guestConfig('ubuntu-hvm', { type: 'hvm' })).log;
    expect(ubuntu.endsWith('Ubuntu 24.04.1 LTS ubuntu-hvm ttyS0\r\n\r\nubuntu-hvm login: ')).toBe(true);
  });
});
