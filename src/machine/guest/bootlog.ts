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
import type { DomainConfig } from '../../parser/libxl.js';
import { hash32 } from '../prng.js';

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

/** Kernel release from a `vmlinuz-<release>` style path, or `fallback` (the flavour's stock kernel). */
function kernelRelease(config: DomainConfig, fallback = DEFAULT_KVER): string {
  const kernel = typeof config.b_info?.kernel === 'string' ? config.b_info.kernel : '';
  const m = /vmlinu[xz]-(\d.*)$/.exec(kernel.split('/').pop() ?? '');
  return m ? m[1] : fallback;
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

/** The Linux distribution a guest seems to run, from its name, kernel, ramdisk and disk paths. */
export type LinuxFlavour = 'debian' | 'ubuntu' | 'fedora' | 'alpine';

/** Guesses the distribution (Debian when nothing says otherwise); drives the init system and banner. */
export function linuxFlavour(config: DomainConfig): LinuxFlavour {
  const texts = [String(config.c_info.name ?? ''), String(config.b_info?.kernel ?? ''), String(config.b_info?.ramdisk ?? '')];
  for (const d of config.disks ?? []) if (typeof d.pdev_path === 'string') texts.push(d.pdev_path);
  const all = texts.join(' ').toLowerCase();
  if (/alpine|-virt\b|-lts\b/.test(all)) return 'alpine';
  if (/fedora|\.fc\d/.test(all)) return 'fedora';
  if (/ubuntu/.test(all)) return 'ubuntu';
  return 'debian';
}

/** Banner and kernel build line per flavour (what /etc/issue and `uname -v` say on a stock install). */
const FLAVOURS: Record<LinuxFlavour, { issue: string; kver: string; build: string }> = {
  debian: {
    issue: 'Debian GNU/Linux 12',
    kver: DEFAULT_KVER,
    build: '(debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)',
  },
  ubuntu: {
    issue: 'Ubuntu 24.04.1 LTS',
    kver: '6.8.0-49-generic',
    build: '(buildd@lcy02-amd64-103) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #49-Ubuntu SMP PREEMPT_DYNAMIC',
  },
  fedora: {
    issue: 'Fedora Linux 41 (Server Edition)',
    kver: '6.11.4-301.fc41.x86_64',
    build: '(mockbuild@a4a3ec1a3a2e4d2a8a1d2ce9d0ed2b2a) (gcc (GCC) 14.2.1 20240912 (Red Hat 14.2.1-3), GNU ld version 2.43.1-2.fc41) #1 SMP PREEMPT_DYNAMIC',
  },
  alpine: {
    issue: 'Welcome to Alpine Linux 3.20',
    kver: '6.6.58-0-virt',
    build: '(buildozer@build-3-20-x86_64) (gcc (Alpine 13.2.1_git20240309) 13.2.1 20240309, GNU ld (GNU Binutils) 2.42) #1-Alpine SMP PREEMPT_DYNAMIC',
  },
};

/** The kernel release a Linux guest runs: from its kernel path, else its distribution's stock kernel. */
export function guestKernelRelease(config: DomainConfig): string {
  return kernelRelease(config, FLAVOURS[linuxFlavour(config)].kver);
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
  const flavour = linuxFlavour(config);
  const fl = FLAVOURS[flavour];
  const kver = kernelRelease(config, fl.kver);
  const stock = kver === fl.kver || (flavour === 'debian' && /amd64|cloud/.test(kver));
  const console = hvm ? 'ttyS0' : 'hvc0';
  const disks = diskNames(config);
  const cmdline = typeof config.b_info.cmdline === 'string' ? config.b_info.cmdline : undefined;
  const rootArg = cmdline !== undefined ? /(?:^|\s)root=(\S+)/.exec(cmdline)?.[1] : undefined;
  const root = rootArg ?? (hvm ? '/dev/xvda1' : disks.length ? `/dev/${disks[0]}1` : '/dev/xvda1');
  const shownCmdline = cmdline ?? `root=${root} ro console=${console}`;
  let lastUs = -1;
  const k = (ms: number, msg: string): void => {
    const us = Math.max(lastUs + 1 + (hash32('us', ctx.uuid, lines.length) % 40), ms * 1000 + (hash32('us', ctx.uuid, lines.length) % 1000));
    lastUs = us;
    at(t0 + Math.floor(us / 1000), `${printkStamp(us)} ${msg}${NL}`);
  };
  const build = stock ? fl.build : '(builder@localhost) (gcc (GCC) 13.2.1, GNU ld version 2.41) #1 SMP PREEMPT_DYNAMIC';
  k(0, `Linux version ${kver} ${build}`);
  k(0, `Command line: ${shownCmdline}`);
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
  const rootDev = root.startsWith('/dev/') ? root.slice('/dev/'.length) : root;
  k(1500 + jitter(i++, 200), `EXT4-fs (${rootDev}): mounted filesystem with ordered data mode. Quota mode: none.`);
  k(1800 + jitter(i++, 200), `Run /sbin/init as init process`);
  if (flavour === 'alpine') {
    // OpenRC, as Alpine boots: one line per service with its status on the right.
    const rc = (ms: number, msg: string): void => at(t0 + ms, ` * ${msg} ...${' '.repeat(Math.max(1, 60 - msg.length))}[ ok ]${NL}`);
    at(t0 + 2000 + jitter(i++, 200), `${NL}   OpenRC 0.54 is starting up Linux ${kver} (x86_64)${NL}${NL}`);
    rc(2200 + jitter(i++, 200), 'Mounting /proc');
    rc(2400 + jitter(i++, 200), 'Remounting root filesystem read/write');
    if (ctx.nics > 0) rc(2900 + jitter(i++, 300), 'Starting networking');
    rc(3300 + jitter(i++, 300), 'Starting sshd');
    at(t0 + 3700 + jitter(i++, 300), `${NL}${fl.issue}${NL}Kernel ${kver} on an x86_64 (/dev/${console})${NL}${NL}${ctx.name} login: `);
    return lines;
  }
  k(2100 + jitter(i++, 200), `systemd[1]: Hostname set to <${ctx.name}>.`);
  const u = (ms: number, msg: string): void => at(t0 + ms, `[  OK  ] ${msg}${NL}`);
  u(2600 + jitter(i++, 200), 'Started systemd-journald.service - Journal Service.');
  u(2900 + jitter(i++, 200), 'Reached target local-fs.target - Local File Systems.');
  if (ctx.nics > 0) {
    u(3300 + jitter(i++, 300), flavour === 'debian' ? 'Started networking.service - Raise network interfaces.' : 'Started NetworkManager.service - Network Manager.');
  }
  u(3600 + jitter(i++, 300), flavour === 'debian' ? 'Started ssh.service - OpenBSD Secure Shell server.' : 'Started sshd.service - OpenSSH server daemon.');
  u(3800 + jitter(i++, 300), 'Reached target multi-user.target - Multi-User System.');
  const issue = stock ? fl.issue : 'Linux';
  const banner = flavour === 'fedora' && stock ? `${issue}${NL}Kernel ${kver} on an x86_64 (${console})` : `${issue} ${ctx.name} ${console}`;
  at(t0 + 4200 + jitter(i++, 400), `${NL}${banner}${NL}${NL}${ctx.name} login: `);
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
