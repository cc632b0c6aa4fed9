/**
 * Guest console text: a plausible, deterministic boot log per guest kind (Linux on PV,
 * PVH or HVM; Windows on HVM; unikernels such as MirageOS or Mini-OS on PV/PVH) and the
 * lines a guest prints when it answers a shutdown request.
 *
 * The text is what `xl console` would copy byte for byte from the guest's pty
 * (xl-commands.md §6): the PV console (`hvc0`) for PV/PVH guests and the emulated
 * serial port (`ttyS0`) for HVM guests; lines end in CR LF as a tty with ONLCR emits them.
 * Timing follows the printk timestamps (`[%5lu.%06lu]`, kernel/printk/printk.c).
 */
import type { DomainConfig } from '../parser/libxl.js';
import { hash32 } from './prng.js';

/** One line of the boot timeline: printed `atMs` ms of guest run time after boot starts. */
export interface BootLine {
  /** Guest run time (ms since the domain was first unpaused, paused time excluded). */
  atMs: number;
  /** Exact console bytes (may be empty: a silent milestone such as "boot finished"). */
  text: string;
}

/** What runs inside a guest, guessed from its config (kernel path, disks, name). */
export type GuestOs = 'linux' | 'windows' | 'unikernel';

const NL = '\r\n';
const DEFAULT_KVER = '6.1.0-28-amd64';

/**
 * Classifies the guest: `unikernel` when the PV/PVH kernel looks like one (MirageOS,
 * Unikraft, Mini-OS, XTF, Solo5, HermitCore, Rumprun, OSv, or a `*.xen` image),
 * `windows` for HVM guests whose name or disk paths mention Windows, else `linux`.
 */
export function guestOs(config: DomainConfig): GuestOs {
  const kernel = typeof config.b_info?.kernel === 'string' ? config.b_info.kernel : '';
  const base = kernel.split('/').pop() ?? '';
  if (config.c_info.type !== 'hvm' && /mirage|unikraft|mini-?os|xtf|solo5|hermit|rumprun|osv|\.xen$/i.test(base)) {
    return 'unikernel';
  }
  if (config.c_info.type === 'hvm') {
    const texts = [String(config.c_info.name ?? '')];
    for (const d of config.disks ?? []) if (typeof d.pdev_path === 'string') texts.push(d.pdev_path);
    if (texts.some((t) => /win(dows)?[-_ 0-9]|windows|win\d|\bw2k/i.test(t) || /^win/i.test(t))) return 'windows';
  }
  return 'linux';
}

/** Kernel release from a `vmlinuz-<release>` style path, or a Debian 12 default. */
function kernelRelease(config: DomainConfig): string {
  const kernel = typeof config.b_info?.kernel === 'string' ? config.b_info.kernel : '';
  const m = /vmlinu[xz]-(.+)$/.exec(kernel.split('/').pop() ?? '');
  return m ? m[1] : DEFAULT_KVER;
}

/** `[    1.234567]` for a guest uptime in µs. */
export function printkStamp(us: number): string {
  const s = Math.floor(us / 1e6);
  const frac = Math.floor(us % 1e6);
  return `[${String(s).padStart(5, ' ')}.${String(frac).padStart(6, '0')}]`;
}

/** xvda/hda/sda device name for the n-th disk from the config (vdev as given). */
function diskNames(config: DomainConfig): string[] {
  return (config.disks ?? [])
    .filter((d) => typeof d.vdev === 'string' && d.vdev !== '' && !d.is_cdrom)
    .map((d) => d.vdev as string);
}

/** Inputs for `bootPlan`. */
export interface BootContext {
  name: string;
  uuid: string;
  /** Guest RAM, KiB. */
  memKiB: number;
  /** vCPUs online at boot. */
  vcpus: number;
  nics: number;
  /** Hypervisor version the guest reports, e.g. `4.20.0`. */
  xenVersion?: string;
}

/**
 * The boot timeline of a guest: console lines with the guest run time at which each is
 * printed. The last entry marks the end of boot (the guest then idles). Deterministic in
 * (config, ctx). Offsets are ms, strictly non-decreasing, first at 0.
 */
export function bootPlan(config: DomainConfig, ctx: BootContext): BootLine[] {
  const os = guestOs(config);
  const jitter = (i: number, spread: number): number => hash32('boot', ctx.uuid, i) % spread;
  const lines: BootLine[] = [];
  let i = 0;
  const at = (ms: number, text: string): void => {
    const prev = lines.length ? lines[lines.length - 1].atMs : 0;
    lines.push({ atMs: Math.max(prev, Math.round(ms)), text });
  };
  if (os === 'unikernel') {
    const kernel = String(config.b_info.kernel ?? '');
    const mirage = /mirage|\.xen$/i.test(kernel);
    at(0, `Xen Minimal OS (${config.c_info.type})!${NL}`);
    at(2, `  start_info: ${'0x'}${(0x801000 + (hash32(ctx.uuid) % 0x1000) * 0x1000).toString(16)}(VA)${NL}`);
    at(3, `    nr_pages: 0x${Math.floor(ctx.memKiB / 4).toString(16)}${NL}`);
    at(5, `  cmd_line: ${String(config.b_info.cmdline ?? '')}${NL}`);
    if (mirage) {
      at(40 + jitter(i++, 20), `MirageOS booting...${NL}`);
      at(80 + jitter(i++, 20), `Initialising timer interface${NL}`);
      if (ctx.nics > 0) at(120 + jitter(i++, 30), `Netif: connect vif 0${NL}`);
      at(200 + jitter(i++, 40), `${ctx.name}: ready${NL}`);
    } else {
      at(60 + jitter(i++, 30), `Initialising console ... done.${NL}`);
      at(150 + jitter(i++, 40), `${ctx.name}: main loop started${NL}`);
    }
    return lines;
  }
  const hvm = config.c_info.type === 'hvm';
  let t0 = 0;
  if (hvm) {
    at(0, `SeaBIOS (version 1.16.2-debian-1.16.2-1)${NL}`);
    at(30, `Machine UUID ${ctx.uuid}${NL}`);
    at(400 + jitter(i++, 200), `Booting from Hard Disk...${NL}`);
    t0 = 1200 + jitter(i++, 400);
  }
  if (os === 'windows') {
    // Windows writes nothing to the serial port; boot ends when the desktop is up.
    at(t0 + 24000 + jitter(i++, 8000), '');
    return lines;
  }
  const kver = kernelRelease(config);
  const debian = /amd64|cloud/.test(kver) || kver === DEFAULT_KVER;
  const console = hvm ? 'ttyS0' : 'hvc0';
  const disks = diskNames(config);
  const root = hvm ? '/dev/xvda1' : disks.length ? `/dev/${disks[0]}1` : '/dev/xvda1';
  const cmdline = typeof config.b_info.cmdline === 'string' ? config.b_info.cmdline : `root=${root} ro console=${console}`;
  let lastUs = -1;
  const k = (ms: number, msg: string): void => {
    const us = Math.max(lastUs + 1 + (hash32('us', ctx.uuid, lines.length) % 40), ms * 1000 + (hash32('us', ctx.uuid, lines.length) % 1000));
    lastUs = us;
    at(t0 + Math.floor(us / 1000), `${printkStamp(us)} ${msg}${NL}`);
  };
  const memMiB = Math.floor(ctx.memKiB / 1024);
  const build = debian
    ? '(debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)'
    : '(builder@localhost) (gcc (GCC) 13.2.1, GNU ld version 2.41) #1 SMP PREEMPT_DYNAMIC';
  k(0, `Linux version ${kver} ${build}`);
  k(0, `Command line: ${cmdline}`);
  k(0, hvm ? 'Hypervisor detected: Xen HVM' : config.c_info.type === 'pvh' ? 'Hypervisor detected: Xen PVH' : 'Hypervisor detected: Xen PV');
  k(0, `Xen version: ${ctx.xenVersion ?? '4.20.0'} (preserve-AD)`);
  k(1, `Memory: ${Math.floor(ctx.memKiB * 0.94)}K/${ctx.memKiB}K available`);
  k(4, `smpboot: Allowing ${ctx.vcpus} CPUs, 0 hotplug CPUs`);
  k(60 + jitter(i++, 20), `xen:events: Using FIFO-based ABI`);
  k(180 + jitter(i++, 40), `smp: Brought up 1 node, ${ctx.vcpus} CPU${ctx.vcpus === 1 ? '' : 's'}`);
  k(420 + jitter(i++, 60), `xen:grant_table: Grant tables using version 1 layout`);
  k(460 + jitter(i++, 60), `Grant table initialized`);
  k(700 + jitter(i++, 100), `xen:balloon: Initialising balloon driver`);
  k(900 + jitter(i++, 100), `Console: switching to colour dummy device 80x25`);
  let t = 1100;
  for (const d of disks) {
    k(t + jitter(i++, 50), `blkfront: ${d}: flush diskcache: enabled; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled`);
    t += 30;
  }
  if (ctx.nics > 0) k(t + jitter(i++, 50), 'xen_netfront: Initialising Xen virtual ethernet driver');
  k(1500 + jitter(i++, 200), `EXT4-fs (${root.replace('/dev/', '')}): mounted filesystem with ordered data mode. Quota mode: none.`);
  k(1800 + jitter(i++, 200), `Run /sbin/init as init process`);
  k(2100 + jitter(i++, 200), `systemd[1]: Hostname set to <${ctx.name}>.`);
  const u = (ms: number, msg: string): void => at(t0 + ms, `[  OK  ] ${msg}${NL}`);
  u(2600 + jitter(i++, 200), 'Started systemd-journald.service - Journal Service.');
  u(2900 + jitter(i++, 200), 'Reached target local-fs.target - Local File Systems.');
  if (ctx.nics > 0) u(3300 + jitter(i++, 300), 'Started networking.service - Raise network interfaces.');
  u(3600 + jitter(i++, 300), 'Started ssh.service - OpenBSD Secure Shell server.');
  u(3800 + jitter(i++, 300), 'Reached target multi-user.target - Multi-User System.');
  const issue = debian ? 'Debian GNU/Linux 12' : 'Linux';
  at(t0 + 4200 + jitter(i++, 400), `${NL}${issue} ${ctx.name} ${console}${NL}${NL}${ctx.name} login: `);
  return lines;
}

/**
 * How long (ms of guest run time) a running guest takes to answer a shutdown request
 * written to `control/shutdown` (xl-commands.md §5.3): systemd stopping its units for
 * Linux, a few seconds for Windows, almost nothing for a unikernel. Deterministic per uuid.
 */
export function shutdownDelayMs(os: GuestOs, uuid: string): number {
  const j = hash32('shutdown', uuid);
  if (os === 'unikernel') return 20 + (j % 30);
  if (os === 'windows') return 4000 + (j % 3000);
  return 900 + (j % 600);
}

/**
 * Console bytes a guest prints as it shuts down for `reason` after `uptimeMs` of run
 * time (Linux `kernel_power_off` / `kernel_restart` messages, kernel/reboot.c; a crash
 * prints the `panic()` line, kernel/panic.c).
 */
export function shutdownText(os: GuestOs, reason: 'poweroff' | 'reboot' | 'crash', uptimeMs: number): string {
  if (reason === 'crash') {
    if (os !== 'linux') return '';
    return `${printkStamp(uptimeMs * 1000)} Kernel panic - not syncing: sysrq triggered crash${NL}`;
  }
  if (os === 'windows') return '';
  if (os === 'unikernel') return `Shutting down (${reason})${NL}`;
  const lines = [
    `[  OK  ] Stopped ssh.service - OpenBSD Secure Shell server.${NL}`,
    `[  OK  ] Reached target shutdown.target - System Shutdown.${NL}`,
    `${printkStamp(uptimeMs * 1000)} ${reason === 'poweroff' ? 'reboot: Power down' : 'reboot: Restarting system'}${NL}`,
  ];
  return lines.join('');
}
