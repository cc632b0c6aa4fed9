/**
 * The guest console's line discipline, login and small shell (guest/os.ts feeds it the
 * bytes typed into `xl console`). Pure: state in, state + output + actions out.
 *
 * What it imitates, piece by piece:
 * - the tty line discipline in cooked mode with ECHO/ECHOE/ECHOCTL/ONLCR (echo, `\b \b`
 *   erase, `^C`, CR LF line ends) and, at the shell prompt, bash's readline;
 * - agetty (busybox getty on Alpine) and login: `<host> login: `, `Password: ` without
 *   echo, the distribution's MOTD and pam_lastlog's "Last login" line;
 * - bash (busybox ash on Alpine) with the command line tools a learner reaches for in a
 *   Xen guest: coreutils/procps/util-linux/iproute2 (busybox applets on Alpine),
 *   xenstore-utils (tools/xs-clients/xenstore_client.c), stress and stress-ng, the
 *   systemd power commands and /proc/sysrq-trigger.
 *
 * Nothing here reads a clock, draws random numbers or performs I/O: everything comes from
 * the `TtyState` and the `GuestFacts` the caller passes, so the same inputs always give
 * the same console bytes. Input may be split at any point: the state carries every
 * half-finished thing (an escape sequence, a CR awaiting its LF, a partial line).
 */
import { vdevToDevid } from '../../parser/specs/vdev.js';
import { hash32 } from '../prng.js';
import { printkStamp } from './bootlog.js';

// ───────────────────────────── public types ─────────────────────────────

/**
 * A CPU-hog program running in the foreground of the console shell (`stress`,
 * `stress-ng`): the prompt stays away until it is interrupted (Ctrl-C) or runs out
 * (`stressFinished`).
 */
export interface ForegroundJob {
  /** Which program: the two print differently. */
  prog: 'stress' | 'stress-ng';
  /** Process id shown in its `[pid]` messages. */
  pid: number;
  /** Hogs by kind, as dispatched. */
  hogs: { cpu: number; io: number; vm: number; hdd: number };
  /** Total workers (the sum of `hogs`): the CPU demand handed to the machine. */
  workers: number;
  /** `-t`/`--timeout` in seconds, when given. */
  seconds?: number;
  /** Guest run time (ms) when it started, for its run-time report and the load average. */
  startMs: number;
}

/** One finished run of CPU hogs, remembered for the decaying load average (guest run time, ms). */
export interface LoadRun {
  fromMs: number;
  toMs: number;
  workers: number;
}

/** The console's login/shell state, kept in the domain row (records.ts `GuestState.tty`). */
export interface TtyState {
  /** Waiting for a user name, a password, or at a shell prompt. */
  mode: 'login' | 'password' | 'shell';
  /** Logged-in (or logging-in) user name; '' before login. */
  user: string;
  /** The line typed so far (not yet submitted with Enter). In `password` mode one `*` per character typed. */
  line: string;
  /** Shell working directory. */
  cwd: string;
  /** Part of an escape sequence seen so far (ESC, CSI `ESC [`, SS3 `ESC O`), swallowed up to its final byte. */
  esc?: 'esc' | 'csi' | 'ss3';
  /** The last byte was CR: a following LF belongs to the same Enter. */
  cr?: boolean;
  /** A program holding the terminal (the prompt comes back when it ends). */
  fg?: ForegroundJob;
  /** What was typed while `fg` ran (the tty's canonical buffer: finished lines end in `\n`); the shell reads it afterwards. */
  typeahead?: string;
  /** The rest of a command line (`stress -c 1 -t 5; echo done`) to run when `fg` ends, with its connector. */
  pending?: { op: ';' | '&&' | '||'; text: string };
  /** Next process id the shell hands out (bash forks one per external command). */
  nextPid?: number;
  /** `$?`: exit status of the last command. */
  status?: number;
  /** Host time (ms since epoch) of each user's previous login, for "Last login:". */
  lastLogin?: Record<string, number>;
  /** Recent CPU-hog runs, for `uptime`'s load average. */
  loadRuns?: LoadRun[];
  /** The shell powered the guest off, rebooted, halted or crashed it: input is ignored until the machine resets the tty. */
  halted?: boolean;
  /** Files the user wrote with `>`/`>>`/`tee`/`touch` (absolute path → content). */
  files?: Record<string, string>;
  /** Shell variables set with `NAME=value` or `export`. */
  vars?: Record<string, string>;
  /** Pid of the last foreground stress this shell saw end (so a stale `facts.stress` is not adopted again). */
  lastStressPid?: number;
}

/** The console state of a freshly booted guest: at its `login:` prompt. */
export function initialTty(): TtyState {
  return { mode: 'login', user: '', line: '', cwd: '/' };
}

/** A read-only view of the guest that the caller builds for each call. */
export interface GuestFacts {
  /** The domain name, which the guest uses as its host name. */
  hostname: string;
  domid: number;
  type: 'pv' | 'pvh' | 'hvm';
  /** Linux distribution: prompt style, MOTD, /etc/os-release, userland (GNU or busybox). */
  flavour: 'debian' | 'ubuntu' | 'fedora' | 'alpine';
  /** `uname -r`, e.g. `6.1.0-28-amd64`. */
  kernelRelease: string;
  /** Hypervisor version, e.g. `4.20.0` (/sys/hypervisor/version/*). */
  xenVersion: string;
  /** Guest run time, ms. */
  uptimeMs: number;
  /** Host virtual time, ms since the epoch (`date`, "Last login"). */
  nowMs: number;
  /** Guest RAM, KiB. */
  memKiB: number;
  vcpusOnline: number;
  /** Network frontends: eth<devid> in the guest. `ip` may hold several addresses separated by spaces, each optionally `/prefix`. */
  nics: { devid: number; mac: string; ip?: string; connected: boolean }[];
  /** Block frontends: vdev as configured (`xvda`, `hda`, `sdb`), size in 512-byte sectors. */
  disks: { vdev: string; sectors: number }[];
  /** Read access to xenstore, ABSOLUTE paths; `read` is undefined for a missing node, `list` is [] for a leaf or missing node. The guest's home is /local/domain/<domid>. */
  xenstore: { read(path: string): string | undefined; list(path: string): string[] };
  /** The kernel log so far (CR LF line ends), what `dmesg` prints. */
  dmesg: string;
  /** A running foreground `stress`, if any (the machine's Workload). */
  stress?: { workers: number; pid: number };
  /** Host CPU clock in MHz for /proc/cpuinfo (default 3192). */
  cpuMhz?: number;
}

/** What the machine must do after a call, in order. */
export type ShellAction =
  | { kind: 'poweroff' }
  | { kind: 'reboot' }
  | { kind: 'halt' }
  /** `echo c > /proc/sysrq-trigger`: a kernel panic (the machine prints the panic lines). */
  | { kind: 'panic' }
  | { kind: 'sync' }
  /** Start `workers` CPU hogs in the foreground, for `seconds` when given; `pid` is the one stress printed. */
  | { kind: 'stress'; workers: number; seconds?: number; pid?: number }
  /** Ctrl-C while stress runs: stop the hogs. */
  | { kind: 'stress-stop' };

/** Result of feeding the console: the next state, the bytes to show (CR LF line ends) and the actions to carry out. */
export interface TtyResult {
  state: TtyState;
  output: string;
  actions: ShellAction[];
}

// ───────────────────────────── distribution facts ─────────────────────────────

type Flavour = GuestFacts['flavour'];

interface FlavourInfo {
  /** Stock kernel release (bootlog.ts uses the same). */
  kver: string;
  /** /etc/issue's first line as agetty shows it. */
  issue: string;
  /** `uname -v` of the stock kernel, as bootlog's "Linux version" line ends. */
  kversion: string;
  osRelease: string;
  /** /etc/issue file content (with agetty escapes). */
  issueFile: string;
  /** `ls /`. */
  root: string[];
  /** Login shell name for error messages (`-bash`, `-ash`). */
  sh: string;
}

const FLAVOURS: Record<Flavour, FlavourInfo> = {
  debian: {
    kver: '6.1.0-28-amd64',
    issue: 'Debian GNU/Linux 12',
    kversion: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)',
    osRelease:
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\n' +
      'VERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\n' +
      'BUG_REPORT_URL="https://bugs.debian.org/"\n',
    issueFile: 'Debian GNU/Linux 12 \\n \\l\n\n',
    root: ['bin', 'boot', 'dev', 'etc', 'home', 'initrd.img', 'initrd.img.old', 'lib', 'lib64', 'lost+found', 'media', 'mnt', 'opt',
      'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr', 'var', 'vmlinuz', 'vmlinuz.old'],
    sh: '-bash',
  },
  ubuntu: {
    kver: '6.8.0-49-generic',
    issue: 'Ubuntu 24.04.1 LTS',
    kversion: '#49-Ubuntu SMP PREEMPT_DYNAMIC',
    osRelease:
      'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION="24.04.1 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\n' +
      'ID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\n' +
      'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\n' +
      'UBUNTU_CODENAME=noble\nLOGO=ubuntu-logo\n',
    issueFile: 'Ubuntu 24.04.1 LTS \\n \\l\n\n',
    root: ['bin', 'bin.usr-is-merged', 'boot', 'dev', 'etc', 'home', 'lib', 'lib.usr-is-merged', 'lib64', 'lost+found', 'media', 'mnt',
      'opt', 'proc', 'root', 'run', 'sbin', 'sbin.usr-is-merged', 'snap', 'srv', 'sys', 'tmp', 'usr', 'var'],
    sh: '-bash',
  },
  fedora: {
    kver: '6.11.4-301.fc41.x86_64',
    issue: 'Fedora Linux 41 (Server Edition)',
    kversion: '#1 SMP PREEMPT_DYNAMIC',
    osRelease:
      'NAME="Fedora Linux"\nVERSION="41 (Server Edition)"\nRELEASE_TYPE=stable\nID=fedora\nVERSION_ID=41\nVERSION_CODENAME=""\n' +
      'PLATFORM_ID="platform:f41"\nPRETTY_NAME="Fedora Linux 41 (Server Edition)"\nANSI_COLOR="0;38;2;60;110;180"\nLOGO=fedora-logo-icon\n' +
      'CPE_NAME="cpe:/o:fedoraproject:fedora:41"\nHOME_URL="https://fedoraproject.org/"\n' +
      'DOCUMENTATION_URL="https://docs.fedoraproject.org/en-US/fedora/f41/system-administrators-guide/"\n' +
      'SUPPORT_URL="https://ask.fedoraproject.org/"\nBUG_REPORT_URL="https://bugzilla.redhat.com/"\nREDHAT_BUGZILLA_PRODUCT="Fedora"\n' +
      'REDHAT_BUGZILLA_PRODUCT_VERSION=41\nREDHAT_SUPPORT_PRODUCT="Fedora"\nREDHAT_SUPPORT_PRODUCT_VERSION=41\nSUPPORT_END=2025-12-15\n' +
      'VARIANT="Server Edition"\nVARIANT_ID=server\n',
    issueFile: '\\S\nKernel \\r on an \\m (\\l)\n\n',
    root: ['afs', 'bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib64', 'lost+found', 'media', 'mnt', 'opt', 'proc', 'root', 'run',
      'sbin', 'srv', 'sys', 'tmp', 'usr', 'var'],
    sh: '-bash',
  },
  alpine: {
    kver: '6.6.58-0-virt',
    issue: 'Welcome to Alpine Linux 3.20',
    kversion: '#1-Alpine SMP PREEMPT_DYNAMIC',
    osRelease:
      'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\nHOME_URL="https://alpinelinux.org/"\n' +
      'BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n',
    issueFile: 'Welcome to Alpine Linux 3.20\nKernel \\r on an \\m (\\l)\n\n',
    root: ['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lost+found', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv',
      'sys', 'tmp', 'usr', 'var'],
    sh: '-ash',
  },
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const busybox = (f: GuestFacts): boolean => f.flavour === 'alpine';
/** The console device: the PV console for PV/PVH guests, the emulated UART for HVM. */
const consoleTty = (f: GuestFacts): string => (f.type === 'hvm' ? 'ttyS0' : 'hvc0');
const pad2 = (n: number): string => String(n).padStart(2, '0');
const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

/** True when the kernel is the flavour's stock one (bootlog.ts shows the distribution's banner only then). */
function stockKernel(f: GuestFacts): boolean {
  const fl = FLAVOURS[f.flavour];
  return f.kernelRelease === fl.kver || (f.flavour === 'debian' && /amd64|cloud/.test(f.kernelRelease));
}

/** `Linux version …` line of the running kernel (from the kernel log when it is there). */
function linuxVersionLine(f: GuestFacts): string {
  const m = /Linux version (\S+) ([^\r\n]*)/.exec(f.dmesg);
  if (m) return `Linux version ${m[1]} ${m[2]}`;
  return `Linux version ${f.kernelRelease} (builder@localhost) (gcc (GCC) 13.2.1, GNU ld version 2.41) ${unameV(f)}`;
}

/** `uname -v`: the build tag after the compiler in the "Linux version" line. */
function unameV(f: GuestFacts): string {
  const m = /Linux version \S+ [^\r\n]*?\) (#\d[^\r\n]*)/.exec(f.dmesg);
  if (m) return m[1];
  return stockKernel(f) ? FLAVOURS[f.flavour].kversion : '#1 SMP PREEMPT_DYNAMIC';
}

/** UTC calendar fields of a host time. */
function utc(ms: number) {
  const d = new Date(ms);
  return {
    y: d.getUTCFullYear(), mo: d.getUTCMonth(), d: d.getUTCDate(), wd: d.getUTCDay(),
    h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(),
    yday: Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1,
  };
}

/** A strftime subset in the C locale, time zone UTC (the guests run in UTC). */
function strftime(fmt: string, ms: number): string {
  const t = utc(ms);
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%' || i + 1 >= fmt.length) { out += c; continue; }
    const k = fmt[++i];
    switch (k) {
      case 'a': out += DAYS[t.wd]; break;
      case 'A': out += DAYS_LONG[t.wd]; break;
      case 'b': case 'h': out += MONTHS[t.mo]; break;
      case 'B': out += MONTHS_LONG[t.mo]; break;
      case 'c': out += strftime('%a %b %e %H:%M:%S %Y', ms); break;
      case 'C': out += pad2(Math.floor(t.y / 100)); break;
      case 'd': out += pad2(t.d); break;
      case 'D': out += strftime('%m/%d/%y', ms); break;
      case 'e': out += String(t.d).padStart(2, ' '); break;
      case 'F': out += strftime('%Y-%m-%d', ms); break;
      case 'H': out += pad2(t.h); break;
      case 'I': out += pad2(((t.h + 11) % 12) + 1); break;
      case 'j': out += String(t.yday).padStart(3, '0'); break;
      case 'k': out += String(t.h).padStart(2, ' '); break;
      case 'm': out += pad2(t.mo + 1); break;
      case 'M': out += pad2(t.mi); break;
      case 'n': out += '\n'; break;
      case 'N': out += String((ms % 1000) * 1e6).padStart(9, '0'); break;
      case 'p': out += t.h < 12 ? 'AM' : 'PM'; break;
      case 'R': out += strftime('%H:%M', ms); break;
      case 's': out += String(Math.floor(ms / 1000)); break;
      case 'S': out += pad2(t.s); break;
      case 't': out += '\t'; break;
      case 'T': out += strftime('%H:%M:%S', ms); break;
      case 'u': out += String(t.wd === 0 ? 7 : t.wd); break;
      case 'w': out += String(t.wd); break;
      case 'y': out += pad2(t.y % 100); break;
      case 'Y': out += String(t.y); break;
      case 'z': out += '+0000'; break;
      case 'Z': out += 'UTC'; break;
      case '%': out += '%'; break;
      default: out += '%' + k;
    }
  }
  return out;
}

// ───────────────────────────── login ─────────────────────────────

/**
 * What getty prints before the login prompt, exactly as the boot log ends (bootlog.ts):
 * CR LF, the /etc/issue line(s) with agetty's `\n` (host) and `\l` (tty) expanded, a blank
 * line and `<host> login: `. Shown at boot, after a logout and for an empty user name.
 */
export function loginBanner(facts: GuestFacts): string {
  const fl = FLAVOURS[facts.flavour];
  const tty = consoleTty(facts);
  const kver = facts.kernelRelease;
  let banner: string;
  if (facts.flavour === 'alpine') banner = `${fl.issue}\r\nKernel ${kver} on an x86_64 (/dev/${tty})`;
  else if (facts.flavour === 'fedora' && stockKernel(facts)) banner = `${fl.issue}\r\nKernel ${kver} on an x86_64 (${tty})`;
  else banner = `${stockKernel(facts) ? fl.issue : 'Linux'} ${facts.hostname} ${tty}`;
  return `\r\n${banner}\r\n\r\n${facts.hostname} login: `;
}

/** The user's home directory: /root for root, /home/<user> otherwise. */
function homeOf(user: string): string {
  return user === 'root' ? '/root' : `/home/${user}`;
}

/**
 * The shell prompt for the state's user and working directory: bash's Debian/Ubuntu
 * default `\u@\h:\w\$ `, Fedora's `[\u@\h \W]\$ `, Alpine ash's `\h:\w\$ ` (`#` for root;
 * the home directory shows as `~`).
 */
export function shellPrompt(state: TtyState, facts: GuestFacts): string {
  const host = facts.hostname.split('.')[0];
  const sig = state.user === 'root' ? '#' : '$';
  const home = homeOf(state.user);
  const cwd = state.cwd;
  const w = cwd === home ? '~' : cwd.startsWith(home + '/') ? '~' + cwd.slice(home.length) : cwd;
  if (facts.flavour === 'fedora') {
    const base = cwd === home ? '~' : cwd === '/' ? '/' : cwd.slice(cwd.lastIndexOf('/') + 1);
    return `[${state.user}@${host} ${base}]${sig} `;
  }
  if (facts.flavour === 'alpine') return `${host}:${w}${sig} `;
  return `${state.user}@${host}:${w}${sig} `;
}

/** The message of the day and "Last login" line a distribution prints after a console login (LF line ends). */
function motd(f: GuestFacts, user: string, last: number | undefined): string {
  const lastLine = last === undefined ? '' : `Last login: ${strftime('%a %b %e %H:%M:%S %Z %Y', last)} on ${consoleTty(f)}\n`;
  switch (f.flavour) {
    case 'debian':
      return `Linux ${f.hostname} ${f.kernelRelease} ${unameV(f)} x86_64\n\n` +
        'The programs included with the Debian GNU/Linux system are free software;\n' +
        'the exact distribution terms for each program are described in the\n' +
        'individual files in /usr/share/doc/*/copyright.\n\n' +
        'Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\npermitted by applicable law.\n' + lastLine;
    case 'ubuntu': {
      let s = `Welcome to Ubuntu 24.04.1 LTS (GNU/Linux ${f.kernelRelease} x86_64)\n\n` +
        ' * Documentation:  https://help.ubuntu.com\n * Management:     https://landscape.canonical.com\n' +
        ' * Support:        https://ubuntu.com/pro\n\n';
      if (last === undefined) {
        s += 'The programs included with the Ubuntu system are free software;\n' +
          'the exact distribution terms for each program are described in the\n' +
          'individual files in /usr/share/doc/*/copyright.\n\n' +
          'Ubuntu comes with ABSOLUTELY NO WARRANTY, to the extent permitted by\napplicable law.\n\n';
        if (user !== 'root') s += 'To run a command as administrator (user "root"), use "sudo <command>".\nSee "man sudo_root" for details.\n\n';
      }
      return s + lastLine;
    }
    case 'fedora': {
      const ip = firstIp(f);
      return `Web console: https://${f.hostname}:9090/${ip ? ` or https://${ip}:9090/` : ''}\n\n${lastLine}`;
    }
    case 'alpine':
      return 'Welcome to Alpine!\n\n' +
        'The Alpine Wiki contains a large amount of how-to guides and general\n' +
        'information about administrating Alpine systems.\nSee <https://wiki.alpinelinux.org/>.\n\n' +
        'You can setup the system with the command: setup-alpine\n\n' +
        'You may change this message by editing /etc/motd.\n\n';
  }
}

// ───────────────────────────── the line discipline ─────────────────────────────

/** Mutable per-call context: output pieces and actions, in order. */
interface Ctx {
  f: GuestFacts;
  out: string[];
  actions: ShellAction[];
}

const BS_ERASE = '\b \b';

/**
 * Feeds typed bytes to the guest console. `input` is what the user typed (any chunking:
 * one byte or a paste of several lines gives the same result). Returns the next state,
 * the console output (echo, program output, prompts; CR LF line ends) and the actions
 * the machine must carry out (power, panic, stress). Follows a Linux tty in cooked mode
 * under agetty/login and then bash's readline: printable characters echo; Backspace
 * (0x7f/0x08) erases with `\b \b`; CR, LF or CR LF submit; Ctrl-C prints `^C`; Ctrl-U
 * kills the line; Ctrl-D on an empty shell line logs out; Ctrl-L clears the screen;
 * escape sequences (arrow keys, function keys) are swallowed. Deterministic.
 */
export function ttyInput(state: TtyState, input: string, facts: GuestFacts): TtyResult {
  const ctx: Ctx = { f: facts, out: [], actions: [] };
  const st: TtyState = { ...state };
  // A stress the machine runs but this state does not know about (an older state): the
  // shell is waiting for it.
  if (!st.fg && !st.halted && st.mode === 'shell' && facts.stress && facts.stress.pid !== st.lastStressPid) {
    const w = facts.stress.workers;
    st.fg = { prog: 'stress', pid: facts.stress.pid, hogs: { cpu: w, io: 0, vm: 0, hdd: 0 }, workers: w, startMs: facts.uptimeMs };
  }
  feed(st, input, ctx);
  return { state: st, output: ctx.out.join(''), actions: ctx.actions };
}

/**
 * `stress -t N` (or `stress-ng --timeout N`) ran out after `seconds` seconds: prints the
 * program's completion lines (`stress: info: [pid] successful run completed in Ns`;
 * stress-ng's passed/failed summary), then the prompt, then lets the shell read whatever
 * was typed meanwhile (readline echoes it again, complete lines run). Nothing happens
 * when no stress holds the console.
 */
export function stressFinished(state: TtyState, facts: GuestFacts, seconds: number): TtyResult {
  const ctx: Ctx = { f: facts, out: [], actions: [] };
  const st: TtyState = { ...state };
  let job = st.fg;
  if (!job && facts.stress && facts.stress.pid !== st.lastStressPid && st.mode === 'shell' && !st.halted) {
    const w = facts.stress.workers;
    job = { prog: 'stress', pid: facts.stress.pid, hogs: { cpu: w, io: 0, vm: 0, hdd: 0 }, workers: w, startMs: facts.uptimeMs - seconds * 1000 };
  }
  if (!job) return { state, output: '', actions: [] };
  if (job.prog === 'stress') ctx.out.push(crlf(`stress: info: [${job.pid}] successful run completed in ${Math.round(seconds)}s\n`));
  else ctx.out.push(crlf(stressNgSummary(job, seconds)));
  endJob(st, job, facts.uptimeMs, 0);
  resumeShell(st, ctx);
  return { state: st, output: ctx.out.join(''), actions: ctx.actions };
}

/** Forgets the foreground job, remembering its run for the load average. */
function endJob(st: TtyState, job: ForegroundJob, nowMs: number, status: number): void {
  st.fg = undefined;
  st.lastStressPid = job.pid;
  st.status = status;
  const runs = [...(st.loadRuns ?? []), { fromMs: Math.min(job.startMs, nowMs), toMs: nowMs, workers: job.workers }];
  st.loadRuns = runs.slice(-4);
}

/** After a foreground job: the rest of its command line, the prompt, then the type-ahead. */
function resumeShell(st: TtyState, ctx: Ctx): void {
  const pending = st.pending;
  st.pending = undefined;
  if (pending) {
    const go = pending.op === ';' || (pending.op === '&&' ? st.status === 0 : st.status !== 0);
    runLine(st, pending.text, ctx, pending.op, go);
    if (st.fg || st.halted || st.mode !== 'shell') return;
  }
  ctx.out.push(shellPrompt(st, ctx.f));
  const ahead = st.typeahead ?? '';
  st.typeahead = undefined;
  if (ahead) {
    // The shell now reads what the tty buffered (readline echoes it again). The buffer
    // holds no escape sequences and no CRs, so the live input's esc/cr state carries over.
    const { esc, cr } = st;
    st.esc = undefined;
    st.cr = false;
    feed(st, ahead, ctx);
    st.esc = esc;
    st.cr = cr;
  }
}

/** The byte loop: escape sequences, CR LF pairing, then the mode's handler. */
function feed(st: TtyState, input: string, ctx: Ctx): void {
  for (const ch of input) {
    if (st.halted) return;
    const code = ch.codePointAt(0) as number;
    if (st.cr) {
      st.cr = false;
      if (ch === '\n') continue;
    }
    if (st.esc) {
      if (code === 0x1b) { st.esc = 'esc'; continue; }
      if (code < 0x20) {
        st.esc = undefined; // a control character aborts the sequence and acts normally
      } else if (st.esc === 'esc') {
        st.esc = ch === '[' ? 'csi' : ch === 'O' ? 'ss3' : undefined;
        continue;
      } else if (st.esc === 'csi') {
        if (code < 0x20 || code > 0x3f) st.esc = undefined; // final byte (or garbage) ends it
        continue;
      } else {
        st.esc = undefined;
        continue;
      }
    }
    if (code === 0x1b) { st.esc = 'esc'; continue; }
    if (ch === '\r') st.cr = true;
    if (st.fg) busyChar(st, ch, code, ctx);
    else if (st.mode === 'login') loginChar(st, ch, code, ctx);
    else if (st.mode === 'password') passwordChar(st, ch, code, ctx);
    else shellChar(st, ch, code, ctx);
  }
}

const isEnter = (ch: string): boolean => ch === '\r' || ch === '\n';
const isErase = (code: number): boolean => code === 0x7f || code === 0x08;
const printable = (code: number): boolean => code >= 0x20 && code !== 0x7f;

/** Removes the last character (code point) of a string. */
function dropLast(s: string): string {
  const chars = [...s];
  chars.pop();
  return chars.join('');
}

function eraseAll(s: string): string {
  return BS_ERASE.repeat([...s].length);
}

/**
 * The canonical-mode editing an echoing line shares (the login name and the shell line;
 * Linux n_tty with ICANON and ECHO): erase (DEL or ^H) removes the last character and
 * echoes "\b \b", ^U (VKILL) erases the whole line, a printable character is added and
 * echoed. Anything else is ignored.
 */
function echoEdit(st: TtyState, ch: string, code: number, ctx: Ctx): void {
  if (isErase(code)) {
    if (st.line) {
      st.line = dropLast(st.line);
      ctx.out.push(BS_ERASE);
    }
  } else if (code === 0x15) {
    ctx.out.push(eraseAll(st.line));
    st.line = '';
  } else if (printable(code)) {
    st.line += ch;
    ctx.out.push(ch);
  }
}

function loginChar(st: TtyState, ch: string, code: number, ctx: Ctx): void {
  if (isEnter(ch)) {
    ctx.out.push('\r\n');
    const name = st.line.trim();
    st.line = '';
    if (!name) { ctx.out.push(loginBanner(ctx.f)); return; }
    st.user = name;
    st.mode = 'password';
    ctx.out.push('Password: ');
  } else if (code === 0x03) {
    st.line = '';
    ctx.out.push(`^C\r\n${ctx.f.hostname} login: `);
  } else echoEdit(st, ch, code, ctx);
}

function passwordChar(st: TtyState, ch: string, code: number, ctx: Ctx): void {
  if (isEnter(ch)) {
    st.line = '';
    login(st, ctx);
  } else if (isErase(code)) {
    st.line = st.line.slice(0, -1);
  } else if (code === 0x15) {
    st.line = '';
  } else if (code === 0x03) {
    // SIGINT kills login; getty starts over.
    st.line = '';
    st.user = '';
    st.mode = 'login';
    ctx.out.push(loginBanner(ctx.f));
  } else if (printable(code)) {
    st.line += '*';
  }
}

/** A successful login: MOTD, "Last login", home directory, prompt. */
function login(st: TtyState, ctx: Ctx): void {
  const f = ctx.f;
  const last = st.lastLogin?.[st.user];
  ctx.out.push('\r\n');
  ctx.out.push(crlf(motd(f, st.user, last)));
  st.lastLogin = { ...(st.lastLogin ?? {}), [st.user]: f.nowMs };
  st.mode = 'shell';
  st.cwd = homeOf(st.user);
  st.status = 0;
  st.vars = undefined;
  if (st.nextPid === undefined) st.nextPid = 600 + (hash32('pid', f.hostname, f.domid) % 700);
  else st.nextPid += 3; // login, the shell
  ctx.out.push(shellPrompt(st, f));
}

/** Back to getty: `logout` (bash) and a fresh banner. */
function logout(st: TtyState, ctx: Ctx, say: boolean): void {
  if (say) ctx.out.push('logout\r\n');
  st.mode = 'login';
  st.user = '';
  st.line = '';
  st.cwd = '/';
  st.vars = undefined;
  st.pending = undefined;
  ctx.out.push(loginBanner(ctx.f));
}

function shellChar(st: TtyState, ch: string, code: number, ctx: Ctx): void {
  if (isEnter(ch)) {
    ctx.out.push('\r\n');
    const line = st.line;
    st.line = '';
    runLine(st, line, ctx, ';', true);
    if (!st.fg && !st.halted && st.mode === 'shell') ctx.out.push(shellPrompt(st, ctx.f));
  } else if (code === 0x03) {
    st.line = '';
    st.status = 130;
    ctx.out.push('^C\r\n' + shellPrompt(st, ctx.f));
  } else if (code === 0x04) {
    if (st.line === '') logout(st, ctx, !busybox(ctx.f));
  } else if (code === 0x0c) {
    ctx.out.push('\x1b[H\x1b[2J' + shellPrompt(st, ctx.f) + st.line);
  } else echoEdit(st, ch, code, ctx);
}

/** Input while a foreground program runs: the tty echoes and buffers it; Ctrl-C interrupts. */
function busyChar(st: TtyState, ch: string, code: number, ctx: Ctx): void {
  const job = st.fg as ForegroundJob;
  const ahead = st.typeahead ?? '';
  const partial = ahead.slice(ahead.lastIndexOf('\n') + 1);
  if (code === 0x03) {
    // SIGINT: the tty flushes its input; stress dies of it (bash then starts a new line),
    // stress-ng catches it and reports.
    st.typeahead = undefined;
    st.pending = undefined;
    ctx.actions.push({ kind: 'stress-stop' });
    if (job.prog === 'stress') {
      ctx.out.push('^C\r\n');
      endJob(st, job, ctx.f.uptimeMs, 130);
    } else {
      ctx.out.push('^C' + crlf(stressNgSummary(job, Math.max(0, ctx.f.uptimeMs - job.startMs) / 1000)));
      endJob(st, job, ctx.f.uptimeMs, 0);
    }
    resumeShell(st, ctx);
  } else if (isEnter(ch)) {
    ctx.out.push('\r\n');
    st.typeahead = ahead + '\n';
  } else if (isErase(code)) {
    if (partial) { st.typeahead = dropLast(ahead); ctx.out.push(BS_ERASE); }
  } else if (code === 0x15) {
    ctx.out.push(eraseAll(partial));
    st.typeahead = ahead.slice(0, ahead.length - partial.length);
  } else if (printable(code)) {
    st.typeahead = ahead + ch;
    ctx.out.push(ch);
  }
}

// ───────────────────────────── command line parsing ─────────────────────────────

/** A piece of a word: unquoted (0), single-quoted (1) or double-quoted (2). */
interface Part { t: string; q: 0 | 1 | 2 }
type Word = Part[];
interface Redir { fd: 0 | 1 | 2; op: '<' | '>' | '>>' | '>&1'; target?: Word }
interface SimpleCmd { words: Word[]; redirs: Redir[] }
interface ListItem { op: ';' | '&&' | '||'; pipe: SimpleCmd[]; start: number }

type Tok = { k: 'word'; w: Word; start: number } | { k: 'op'; op: string; start: number };

/** Splits a command line into words and operators, as bash does (quotes, backslashes, comments). */
function lex(line: string, sh: string): Tok[] | string {
  const toks: Tok[] = [];
  let i = 0;
  let cur: Word | null = null;
  let curStart = 0;
  const push = (t: string, q: 0 | 1 | 2): void => {
    if (!cur) { cur = []; curStart = i; }
    const last = cur[cur.length - 1];
    if (last && last.q === q) last.t += t;
    else cur.push({ t, q });
  };
  const end = (): void => {
    if (cur) toks.push({ k: 'word', w: cur, start: curStart });
    cur = null;
  };
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') { end(); i++; continue; }
    if (c === '#' && !cur) break;
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      if (j < 0) return `${sh}: unexpected EOF while looking for matching \`''\n${sh}: syntax error: unexpected end of file\n`;
      if (!cur) { cur = []; curStart = i; }
      cur.push({ t: line.slice(i + 1, j), q: 1 });
      i = j + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let t = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1])) {
          // keep escaped $ literal: mark with a single-quoted part boundary
          if (line[j + 1] === '$') {
            if (!cur) { cur = []; curStart = i; }
            if (t) cur.push({ t, q: 2 });
            cur.push({ t: '$', q: 1 });
            t = '';
          } else t += line[j + 1];
          j += 2;
          continue;
        }
        t += line[j++];
      }
      if (j >= line.length) return `${sh}: unexpected EOF while looking for matching \`"'\n${sh}: syntax error: unexpected end of file\n`;
      if (!cur) { cur = []; curStart = i; }
      cur.push({ t, q: 2 });
      i = j + 1;
      continue;
    }
    if (c === '\\') {
      if (i + 1 < line.length) push(line[i + 1], 1);
      i += 2;
      continue;
    }
    if (c === '|' || c === '&' || c === ';' || c === '>' || c === '<') {
      const w: Word | null = cur;
      // `2>` / `2>&1`: a bare 2 right before the operator is the fd.
      if (c === '>' && w && w.length === 1 && w[0].q === 0 && w[0].t === '2') {
        cur = null;
        const start = curStart;
        if (line.startsWith('>&1', i)) { toks.push({ k: 'op', op: '2>&1', start }); i += 3; continue; }
        if (line.startsWith('>>', i)) { toks.push({ k: 'op', op: '2>>', start }); i += 2; continue; }
        toks.push({ k: 'op', op: '2>', start });
        i += 1;
        continue;
      }
      end();
      const two = line.slice(i, i + 2);
      if (two === '||' || two === '&&' || two === '>>') { toks.push({ k: 'op', op: two, start: i }); i += 2; continue; }
      if (two === '&>') { toks.push({ k: 'op', op: '&>', start: i }); i += 2; continue; }
      toks.push({ k: 'op', op: c === '&' ? ';' : c, start: i }); // `cmd &`: run in the foreground
      i += 1;
      continue;
    }
    push(c, 0);
    i++;
  }
  end();
  return toks;
}

/** Parses a command line into `;`/`&&`/`||` lists of pipelines. Returns an error text on a syntax error. */
function parse(line: string, sh: string): ListItem[] | string {
  const toks = lex(line, sh);
  if (typeof toks === 'string') return toks;
  const items: ListItem[] = [];
  let op: ListItem['op'] = ';';
  let pipe: SimpleCmd[] = [];
  let cmd: SimpleCmd = { words: [], redirs: [] };
  let start = -1;
  const near = (t: string): string => `${sh}: syntax error near unexpected token \`${t}'\n`;
  const empty = (c: SimpleCmd): boolean => c.words.length === 0 && c.redirs.length === 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (start < 0) start = t.start;
    if (t.k === 'word') { cmd.words.push(t.w); continue; }
    if (['<', '>', '>>', '2>', '2>>', '2>&1', '&>'].includes(t.op)) {
      if (t.op === '2>&1') { cmd.redirs.push({ fd: 2, op: '>&1' }); continue; }
      const next = toks[i + 1];
      if (!next || next.k !== 'word') return near(next ? (next as { op: string }).op : 'newline');
      i++;
      if (t.op === '&>') {
        cmd.redirs.push({ fd: 1, op: '>', target: next.w }, { fd: 2, op: '>&1' });
      } else {
        const fd = t.op.startsWith('2') ? 2 : t.op === '<' ? 0 : 1;
        const rop = t.op === '<' ? '<' : t.op.endsWith('>>') ? '>>' : '>';
        cmd.redirs.push({ fd, op: rop, target: next.w });
      }
      continue;
    }
    if (empty(cmd)) return near(t.op);
    pipe.push(cmd);
    cmd = { words: [], redirs: [] };
    if (t.op === '|') continue;
    items.push({ op, pipe, start });
    pipe = [];
    start = -1;
    op = t.op === ';' ? ';' : (t.op as '&&' | '||');
  }
  if (empty(cmd)) {
    if (pipe.length || op !== ';') return `${sh}: syntax error: unexpected end of file\n`;
    return items;
  }
  pipe.push(cmd);
  items.push({ op, pipe, start });
  return items;
}

// ───────────────────────────── execution ─────────────────────────────

/** What a command produced: standard output, standard error, exit status. */
interface Res { out: string; err: string; status: number }

const ok = (out = ''): Res => ({ out, err: '', status: 0 });
const fail = (err: string, status = 1, out = ''): Res => ({ out, err, status });

/** The context a command runs in. */
interface Env {
  st: TtyState;
  ctx: Ctx;
  f: GuestFacts;
  /** Effective root (root logged in, or `sudo`). */
  root: boolean;
  /** Standard input: the text piped in, or undefined for the terminal. */
  stdin: string | undefined;
  /** Standard output is the console (not a pipe or a file). */
  tty: boolean;
  /** Part of a multi-command pipeline (builtins then run in a subshell and change nothing). */
  inPipe: boolean;
}

/**
 * Runs one submitted command line. `op`/`okToRun` carry the connector before it when the
 * line is the rest of an earlier one (`stress …; echo done`).
 */
function runLine(st: TtyState, line: string, ctx: Ctx, firstOp: ListItem['op'], firstOk: boolean): void {
  const sh = FLAVOURS[ctx.f.flavour].sh;
  if (line.trim() === '') return;
  const items = parse(line, sh);
  if (typeof items === 'string') {
    ctx.out.push(crlf(items));
    st.status = 2;
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const op = i === 0 ? firstOp : it.op;
    const run = i === 0 ? firstOk : op === ';' || (op === '&&' ? st.status === 0 : st.status !== 0);
    if (run) runPipeline(st, it.pipe, ctx);
    if (st.halted || st.mode !== 'shell') return;
    if (st.fg) {
      const next = items[i + 1];
      if (next) st.pending = { op: next.op, text: line.slice(next.start) };
      return;
    }
  }
}

/** Expands `$VAR`, `${VAR}`, `$?`, `$$` and a leading `~`; undefined for an unquoted word that expands to nothing. */
function expandWord(w: Word, env: Env): string | undefined {
  let s = '';
  let quoted = false;
  w.forEach((p, idx) => {
    if (p.q === 1) { s += p.t; quoted = true; return; }
    if (p.q === 2) quoted = true;
    let t = p.t;
    if (p.q === 0 && idx === 0 && (t === '~' || t.startsWith('~/'))) t = homeOf(env.st.user) + t.slice(1);
    s += t.replace(/\$(\?|\$|\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
      const n = name.startsWith('{') ? name.slice(1, -1) : name;
      return variable(n, env);
    });
  });
  if (!quoted && s === '') return undefined;
  return s;
}

function variable(name: string, env: Env): string {
  const { st, f } = env;
  switch (name) {
    case '?': return String(st.status ?? 0);
    case '$': return String((st.nextPid ?? 1000) - 1);
    case 'USER': case 'LOGNAME': return st.user;
    case 'HOME': return homeOf(st.user);
    case 'PWD': return st.cwd;
    case 'HOSTNAME': return f.hostname;
    case 'SHELL': return busybox(f) ? '/bin/ash' : '/bin/bash';
    case 'TERM': return busybox(f) ? 'linux' : 'vt220';
    case 'PATH':
      if (f.flavour === 'debian' && st.user !== 'root') return '/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games';
      return '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  }
  return st.vars?.[name] ?? '';
}

/** Runs a pipeline: each command's output feeds the next; errors go straight to the console. */
function runPipeline(st: TtyState, pipe: SimpleCmd[], ctx: Ctx): void {
  const f = ctx.f;
  const sh = FLAVOURS[f.flavour].sh;
  let stdin: string | undefined;
  let status = 0;
  let out = '';
  for (let i = 0; i < pipe.length; i++) {
    const cmd = pipe[i];
    const last = i === pipe.length - 1;
    const env: Env = { st, ctx, f, root: st.user === 'root', stdin, tty: last, inPipe: pipe.length > 1 };
    const argv = cmd.words.map((w) => expandWord(w, env)).filter((a): a is string => a !== undefined);
    // Redirections: open (check) before running, as the shell does.
    let outFile: { path: string; shown: string; append: boolean } | undefined;
    let errMode: 'tty' | 'null' | 'out' | { path: string; shown: string; append: boolean } = 'tty';
    let redirErr = '';
    for (const r of cmd.redirs) {
      if (r.op === '>&1') { errMode = 'out'; continue; }
      const shown = expandWord(r.target as Word, env) ?? '';
      const path = resolvePath(st, shown);
      if (r.op === '<') {
        const c = readFile(env, path);
        if (typeof c !== 'string') { redirErr = shErr(f, shown, c.err, 'open'); break; }
        env.stdin = c;
        continue;
      }
      const chk = writable(env, path);
      if (chk) { redirErr = shErr(f, shown, chk, 'create'); break; }
      if (r.fd === 1) { outFile = { path, shown, append: r.op === '>>' }; env.tty = false; } else errMode = path === '/dev/null' ? 'null' : { path, shown, append: r.op === '>>' };
    }
    let res: Res;
    if (redirErr) res = fail(redirErr);
    else if (argv.length === 0) res = ok();
    else res = runCommand(argv, env);
    let o = res.out;
    let e = res.err;
    if (errMode === 'out') { o += e; e = ''; } else if (errMode === 'null') e = '';
    else if (typeof errMode === 'object') { writeFile(env, errMode.path, e, errMode.append); e = ''; }
    if (outFile) {
      const w = writeFile(env, outFile.path, o, outFile.append);
      if (w) e += `${sh}: ${outFile.shown}: ${w}\n`;
      o = '';
    }
    if (e) ctx.out.push(crlf(e));
    status = res.status;
    if (last) out = o;
    stdin = o;
    if (st.halted || st.mode !== 'shell') break;
  }
  st.status = status;
  if (out) ctx.out.push(crlf(out));
}

/** The shell's own error for a redirection it could not open. */
function shErr(f: GuestFacts, shown: string, err: string, how: 'open' | 'create'): string {
  if (busybox(f)) return `-ash: can't ${how} ${shown}: ${err}\n`;
  return `-bash: ${shown}: ${err}\n`;
}

type Handler = (argv: string[], env: Env) => Res;

/** Commands every flavour has; see `missing` for what a flavour lacks. */
const COMMANDS: Record<string, Handler> = {
  cd: cmdCd, pwd: (_a, env) => ok(env.st.cwd + '\n'), echo: cmdEcho, true: () => ok(), false: () => fail('', 1),
  exit: cmdExit, logout: cmdExit, help: cmdHelp, export: cmdExport, clear: () => ok('\x1b[H\x1b[2J\x1b[3J'),
  uname: cmdUname, hostname: cmdHostname, whoami: (_a, env) => ok(`${env.root ? 'root' : env.st.user}\n`), id: cmdId,
  uptime: cmdUptime, date: cmdDate, free: cmdFree, nproc: (_a, env) => ok(`${env.f.vcpusOnline}\n`),
  cat: cmdCat, ls: cmdLs, ip: cmdIp, lsblk: cmdLsblk, dmesg: cmdDmesg,
  'xenstore-ls': cmdXsLs, 'xenstore-read': cmdXsRead, 'xenstore-list': cmdXsList, 'xenstore-exists': cmdXsExists,
  stress: cmdStress, 'stress-ng': cmdStressNg,
  poweroff: (a, env) => power(a, env, 'poweroff'), halt: (a, env) => power(a, env, 'halt'), reboot: (a, env) => power(a, env, 'reboot'),
  shutdown: cmdShutdown, systemctl: cmdSystemctl, sync: cmdSync, sudo: cmdSudo,
  head: cmdHead, tail: cmdTail, grep: cmdGrep, wc: cmdWc, tee: cmdTee, touch: cmdTouch, rm: cmdRm, less: cmdPager, more: cmdPager,
};

const BUILTINS = new Set(['cd', 'pwd', 'echo', 'true', 'false', 'exit', 'logout', 'help', 'export']);

/** Commands a flavour does not ship (Alpine's busybox base has no sudo, shutdown or systemctl). */
function missing(name: string, f: GuestFacts): boolean {
  if (f.flavour === 'alpine') return name === 'sudo' || name === 'shutdown' || name === 'systemctl';
  return false;
}

function runCommand(argv: string[], env: Env): Res {
  const [name] = argv;
  const { f, st } = env;
  const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
  if (assign.test(name)) {
    let k = 0;
    while (k < argv.length && assign.test(argv[k])) k++;
    if (k === argv.length) {
      if (!env.inPipe) for (const a of argv) { const m = assign.exec(a) as RegExpExecArray; st.vars = { ...(st.vars ?? {}), [m[1]]: m[2] }; }
      return ok();
    }
    return runCommand(argv.slice(k), env); // `VAR=x cmd`: the variable only reaches cmd's environment
  }
  const h = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!h || missing(name, f)) {
    return fail(busybox(f) ? `-ash: ${name}: not found\n` : `-bash: ${name}: command not found\n`, 127);
  }
  if (!BUILTINS.has(name)) st.nextPid = (st.nextPid ?? 1000) + 1;
  return h(argv, env);
}

// ───────────────────────────── builtins ─────────────────────────────

function cmdEcho(argv: string[]): Res {
  let args = argv.slice(1);
  let nl = true;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('n')) nl = false;
    args = args.slice(1);
  }
  return ok(args.join(' ') + (nl ? '\n' : ''));
}

function cmdExit(argv: string[], env: Env): Res {
  if (env.inPipe) return ok();
  const code = argv[1] !== undefined ? Number.parseInt(argv[1], 10) & 0xff : env.st.status ?? 0;
  env.st.status = Number.isNaN(code) ? 2 : code;
  logout(env.st, env.ctx, !busybox(env.f));
  return ok();
}

function cmdExport(argv: string[], env: Env): Res {
  if (env.inPipe) return ok();
  for (const a of argv.slice(1)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
    if (m) env.st.vars = { ...(env.st.vars ?? {}), [m[1]]: m[2] };
  }
  return ok();
}

function cmdCd(argv: string[], env: Env): Res {
  const { st, f } = env;
  const sh = FLAVOURS[f.flavour].sh;
  let target = argv[1] ?? homeOf(st.user);
  if (target === '-') {
    const old = st.vars?.OLDPWD;
    if (!old) return fail(`${sh}: cd: OLDPWD not set\n`);
    target = old;
  }
  const path = resolvePath(st, target);
  const node = lookup(env, path);
  const err = (msg: string): Res => fail(busybox(f) ? `-ash: cd: can't cd to ${target}: ${msg}\n` : `-bash: cd: ${target}: ${msg}\n`);
  if (!node) return err('No such file or directory');
  if (node.kind !== 'dir') return err('Not a directory');
  if (!canEnter(env, path)) return err('Permission denied');
  if (env.inPipe) return ok();
  st.vars = { ...(st.vars ?? {}), OLDPWD: st.cwd };
  st.cwd = path;
  return ok(argv[1] === '-' ? path + '\n' : '');
}

function cmdHelp(_argv: string[], env: Env): Res {
  const sh = busybox(env.f) ? 'ash (busybox)' : 'bash';
  return ok(
    `xlsim guest console: a small ${sh} with the tools a Xen guest has. Commands:\n` +
    '  uname [-asnrvm]  hostname  whoami  id  uptime  date [+FORMAT]  free [-h|-m|-k]  nproc\n' +
    '  cat FILE  ls [DIR]  cd [DIR]  pwd  echo ARGS  true  false  clear  sync  touch  rm  help\n' +
    '  ip addr|link|route  lsblk  dmesg\n' +
    '  xenstore-ls [PATH]  xenstore-read PATH  xenstore-list PATH  xenstore-exists PATH\n' +
    '  stress -c N [-t SECS]  stress-ng --cpu N [--timeout SECS]   (Ctrl-C stops them)\n' +
    '  poweroff  reboot  halt  shutdown -h|-r now  echo c > /proc/sysrq-trigger  (root)\n' +
    '  sudo CMD  exit  logout\n' +
    'Pipes into head, tail, grep, wc and tee; redirection with >, >>, 2> and <; ; && ||.\n' +
    'Files worth a look: /proc/xen/capabilities /proc/cpuinfo /proc/meminfo /proc/partitions\n' +
    '  /proc/version /etc/os-release /sys/hypervisor/type /sys/hypervisor/uuid\n' +
    'Leave the console with Ctrl-] (xl console).\n',
  );
}

// ───────────────────────────── the file system view ─────────────────────────────

type Node =
  | { kind: 'dir'; entries: string[] }
  | { kind: 'file'; read: () => string | { err: string } };

/** Normalises `p` against the working directory (`.`, `..`, repeated slashes). */
function resolvePath(st: TtyState, p: string): string {
  const abs = p.startsWith('/') ? p : `${st.cwd === '/' ? '' : st.cwd}/${p}`;
  const parts: string[] = [];
  for (const seg of abs.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

const parentOf = (p: string): string => (p.lastIndexOf('/') <= 0 ? '/' : p.slice(0, p.lastIndexOf('/')));
const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** Files the user wrote directly in `dir`. */
function userFiles(st: TtyState, dir: string): string[] {
  return Object.keys(st.files ?? {}).filter((p) => parentOf(p) === dir).map(baseOf);
}

/** The guest's files and directories that the shell knows (everything else does not exist). */
function lookup(env: Env, path: string): Node | undefined {
  const { st, f } = env;
  const fl = FLAVOURS[f.flavour];
  const dir = (entries: string[]): Node => ({ kind: 'dir', entries: [...new Set([...entries, ...userFiles(st, path)])].sort() });
  const file = (text: string | (() => string | { err: string })): Node => ({ kind: 'file', read: typeof text === 'string' ? () => text : text });
  const written = st.files?.[path];
  if (written !== undefined) return file(written);
  switch (path) {
    case '/': return dir(fl.root);
    case '/proc': return dir(['cpuinfo', 'loadavg', 'meminfo', 'partitions', 'sysrq-trigger', 'uptime', 'version', 'xen']);
    case '/proc/xen': return dir(['capabilities', 'privcmd', 'xenbus']);
    case '/proc/xen/capabilities': return file(''); // only Domain-0 says control_d
    case '/proc/xen/privcmd': case '/proc/xen/xenbus': return file(() => ({ err: 'Invalid argument' }));
    case '/proc/cpuinfo': return file(() => cpuinfo(f));
    case '/proc/meminfo': return file(() => meminfo(f, st));
    case '/proc/version': return file(() => linuxVersionLine(f) + '\n');
    case '/proc/partitions': return file(() => partitions(f));
    case '/proc/uptime': return file(() => procUptime(f));
    case '/proc/loadavg': {
      const [a, b, c] = loadAvg(f, st);
      return file(`${a.toFixed(2)} ${b.toFixed(2)} ${c.toFixed(2)} ${1 + (st.fg ? st.fg.workers : 0)}/${112 + f.vcpusOnline * 4} ${(st.nextPid ?? 1000) - 1}\n`);
    }
    case '/proc/sysrq-trigger': return file(() => ({ err: env.root ? 'Input/output error' : 'Permission denied' }));
    case '/sys': return dir(['block', 'bus', 'class', 'dev', 'devices', 'firmware', 'fs', 'hypervisor', 'kernel', 'module', 'power']);
    case '/sys/hypervisor': return dir(['compilation', 'guest_type', 'properties', 'type', 'uuid', 'version']);
    case '/sys/hypervisor/type': return file('xen\n');
    case '/sys/hypervisor/guest_type': return file(`${f.type.toUpperCase()}\n`);
    case '/sys/hypervisor/uuid': return file(() => `${guestUuid(f)}\n`);
    case '/sys/hypervisor/version': return dir(['extra', 'major', 'minor']);
    case '/sys/hypervisor/version/major': return file(`${f.xenVersion.split('.')[0] ?? '4'}\n`);
    case '/sys/hypervisor/version/minor': return file(`${f.xenVersion.split('.')[1] ?? '0'}\n`);
    case '/sys/hypervisor/version/extra': return file(`${f.xenVersion.split('.').length > 2 ? '.' + f.xenVersion.split('.').slice(2).join('.') : ''}\n`);
    case '/sys/hypervisor/properties': return dir(['capabilities', 'pagesize']);
    case '/sys/hypervisor/properties/capabilities': return file('xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64\n');
    case '/sys/hypervisor/properties/pagesize': return file('4096\n');
    case '/sys/hypervisor/compilation': return dir(['compile_date', 'compiled_by', 'compiler']);
    case '/etc': return dir(['hostname', 'issue', 'os-release']);
    case '/etc/hostname': return file(`${f.hostname}\n`);
    case '/etc/os-release': return file(fl.osRelease);
    case '/etc/issue': return file(fl.issueFile);
    case '/home': return dir(st.user !== 'root' && st.user ? [st.user] : []);
    case '/dev': return dir(['console', 'null', consoleTty(f), 'xen', ...f.disks.filter((d) => d.sectors > 0).map((d) => guestDiskName(d.vdev) ?? d.vdev)]);
    case '/dev/null': return file('');
  }
  if (path === homeOf(st.user) || path === '/root' || path === '/tmp') return dir([]);
  if (parentOf(path) === '/' && fl.root.includes(baseOf(path))) return dir([]);
  if (/^\/sys\/[^/]+$/.test(path) && (lookup(env, '/sys') as { entries: string[] }).entries.includes(baseOf(path))) return dir([]);
  return undefined;
}

/** Whether the user may enter/list a directory (other users' homes and /root are private). */
function canEnter(env: Env, path: string): boolean {
  if (env.root) return true;
  if (path === '/root' || path.startsWith('/root/')) return false;
  const m = /^\/home\/([^/]+)/.exec(path);
  return !m || m[1] === env.st.user;
}

function readFile(env: Env, path: string): string | { err: string } {
  const node = lookup(env, path);
  if (!node) return { err: 'No such file or directory' };
  if (!canEnter(env, parentOf(path)) && path !== '/root') return { err: 'Permission denied' };
  if (node.kind === 'dir') return { err: 'Is a directory' };
  return node.read();
}

const FILES_MAX = 64 * 1024;

/** Why `path` cannot be opened for writing (an existing or a new file), or '' when it can. */
function writable(env: Env, path: string): string {
  if (path === '/dev/null') return '';
  if (path === '/proc/sysrq-trigger') return env.root ? '' : 'Permission denied';
  const node = lookup(env, path);
  if (node?.kind === 'dir') return 'Is a directory';
  if (node && env.st.files?.[path] === undefined) return 'Permission denied';
  const parent = lookup(env, parentOf(path));
  if (!parent || parent.kind !== 'dir') return 'No such file or directory';
  const dir = parentOf(path);
  if (dir === '/proc' || dir.startsWith('/proc/')) return 'No such file or directory';
  if (dir === '/sys' || dir.startsWith('/sys/')) return 'Permission denied';
  if (!canEnter(env, dir)) return 'Permission denied';
  if (env.root || dir === '/tmp' || dir === homeOf(env.st.user) || dir.startsWith(homeOf(env.st.user) + '/')) return '';
  return 'Permission denied';
}

/** Writes (or appends) `data` to `path`; returns an error text or ''. /proc/sysrq-trigger acts on its first byte. */
function writeFile(env: Env, path: string, data: string, append: boolean): string {
  const why = writable(env, path);
  if (why) return why;
  if (path === '/dev/null') return '';
  if (path === '/proc/sysrq-trigger') {
    if (data.length) sysrq(env, data[0]);
    return '';
  }
  const st = env.st;
  const old = st.files?.[path] ?? '';
  const next = append ? old + data : data;
  const total = Object.entries(st.files ?? {}).reduce((n, [p, c]) => n + (p === path ? 0 : c.length), 0);
  if (total + next.length > FILES_MAX) return 'No space left on device';
  st.files = { ...(st.files ?? {}), [path]: next };
  return '';
}

/** The magic SysRq key as /proc/sysrq-trigger takes it (drivers/tty/sysrq.c); kernel lines go to the console. */
function sysrq(env: Env, key: string): void {
  const { ctx, f, st } = env;
  const k = (msg: string): void => { ctx.out.push(`${printkStamp(f.uptimeMs * 1000)} ${msg}\r\n`); };
  switch (key) {
    case 'c':
      k('sysrq: Trigger a crash');
      ctx.actions.push({ kind: 'panic' });
      st.halted = true;
      return;
    case 'b':
      k('sysrq: Resetting');
      ctx.actions.push({ kind: 'reboot' });
      st.halted = true;
      return;
    case 'o':
      k('sysrq: Power Off');
      ctx.actions.push({ kind: 'poweroff' });
      st.halted = true;
      return;
    case 's':
      k('sysrq: Emergency Sync');
      k('Emergency Sync complete');
      ctx.actions.push({ kind: 'sync' });
      return;
    case 'u':
      k('sysrq: Emergency Remount R/O');
      k('Emergency Remount complete');
      return;
    case 'm': k('sysrq: Show Memory'); return;
    case 't': k('sysrq: Show State'); return;
    case 'w': k('sysrq: Show Blocked State'); return;
    case 'l': k('sysrq: Show backtrace of all active CPUs'); return;
    case 'p': k('sysrq: Show Regs'); return;
    case 'q': k('sysrq: Show clockevent devices & pending hrtimers (no others)'); return;
    default:
      if (/^[0-9]$/.test(key)) {
        k('sysrq: Changing Loglevel');
        k(`sysrq: Loglevel set to ${key}`);
        return;
      }
      k('sysrq: HELP : loglevel(0-9) reboot(b) crash(c) terminate-all-tasks(e) memory-full-oom-kill(f) kill-all-tasks(i) ' +
        'thaw-filesystems(j) sak(k) show-backtrace-all-active-cpus(l) show-memory-usage(m) nice-all-RT-tasks(n) poweroff(o) ' +
        'show-registers(p) show-all-timers(q) unraw(r) sync(s) show-task-states(t) unmount(u) show-blocked-tasks(w) ' +
        'dump-ftrace-buffer(z) ');
  }
}

// ───────────────────────────── coreutils-ish ─────────────────────────────

function cmdCat(argv: string[], env: Env): Res {
  const files = argv.slice(1).filter((a) => a !== '-' && !/^-[A-Za-z]+$/.test(a));
  if (files.length === 0) return ok(env.stdin ?? '');
  let out = '';
  let err = '';
  for (const a of files) {
    const c = readFile(env, resolvePath(env.st, a));
    if (typeof c === 'string') out += c;
    else if (busybox(env.f)) err += c.err === 'Is a directory' ? 'cat: read error: Is a directory\n' : `cat: can't open '${a}': ${c.err}\n`;
    else err += `cat: ${a}: ${c.err}\n`;
  }
  return { out, err, status: err ? 1 : 0 };
}

function cmdLs(argv: string[], env: Env): Res {
  const flags = argv.slice(1).filter((a) => a.startsWith('-') && a !== '-');
  const args = argv.slice(1).filter((a) => !a.startsWith('-') || a === '-');
  const all = flags.some((a) => /^-[^-]*a/.test(a));
  const one = flags.some((a) => /^-[^-]*1/.test(a)) || !env.tty;
  const bb = busybox(env.f);
  const targets = args.length ? args : ['.'];
  let err = '';
  let status = 0;
  const fileNames: string[] = [];
  const dirs: { shown: string; entries: string[] }[] = [];
  for (const a of targets) {
    const path = resolvePath(env.st, a);
    const node = lookup(env, path);
    if (!node) {
      err += bb ? `ls: ${a}: No such file or directory\n` : `ls: cannot access '${a}': No such file or directory\n`;
      status = 2;
    } else if (node.kind === 'file') fileNames.push(a);
    else if (!canEnter(env, path)) {
      err += bb ? `ls: can't open '${a}': Permission denied\n` : `ls: cannot open directory '${a}': Permission denied\n`;
      status = 2;
    } else dirs.push({ shown: a, entries: all ? ['.', '..', ...node.entries] : node.entries });
  }
  const fmt = (names: string[]): string => (names.length === 0 ? '' : one ? names.map((n) => n + '\n').join('') : columns(names, bb));
  const parts: string[] = [];
  if (fileNames.length) parts.push(fmt(fileNames.sort()));
  const many = targets.length > 1;
  for (const d of dirs) parts.push(many ? `${d.shown}:\n${fmt(d.entries)}` : fmt(d.entries));
  return { out: parts.join(many ? '\n' : ''), err, status };
}

/**
 * `ls -C` on an 80-column terminal: GNU ls's column fitting (ls.c `calculate_columns`,
 * columns as narrow as their widest name plus two spaces, the most columns whose line
 * stays under 80), or busybox's fixed-width columns.
 */
function columns(names: string[], bb: boolean, width = 80): string {
  const n = names.length;
  const len = (s: string): number => [...s].length;
  if (bb) {
    const cw = Math.max(...names.map(len)) + 2;
    const ncols = Math.max(1, Math.floor(width / cw));
    const nrows = Math.ceil(n / ncols);
    let out = '';
    for (let r = 0; r < nrows; r++) {
      let line = '';
      for (let c = 0; c < ncols; c++) {
        const i = c * nrows + r;
        if (i >= n) continue;
        if (line) line = line.padEnd(c * cw, ' ');
        line += names[i];
      }
      out += line + '\n';
    }
    return out;
  }
  const minW = 3;
  const maxCols = Math.min(Math.floor(width / minW) + (width % minW ? 1 : 0), n);
  let chosen = 1;
  let widths: number[] = [Math.max(...names.map(len))];
  for (let cols = maxCols; cols >= 1; cols--) {
    const rows = Math.ceil(n / cols);
    const colArr = new Array<number>(cols).fill(minW);
    let lineLen = cols * minW;
    for (let fno = 0; fno < n; fno++) {
      const idx = Math.floor(fno / rows);
      const real = len(names[fno]) + (idx === cols - 1 ? 0 : 2);
      if (colArr[idx] < real) { lineLen += real - colArr[idx]; colArr[idx] = real; }
    }
    if (lineLen < width || cols === 1) { chosen = cols; widths = colArr; break; }
  }
  const rows = Math.ceil(n / chosen);
  let out = '';
  for (let r = 0; r < rows; r++) {
    let line = '';
    let pos = 0;
    for (let fno = r, col = 0; fno < n; fno += rows, col++) {
      if (line) line += ' '.repeat(Math.max(0, pos - len(line)));
      line += names[fno];
      pos += widths[col];
    }
    out += line + '\n';
  }
  return out;
}

function cmdUname(argv: string[], env: Env): Res {
  const f = env.f;
  const bb = busybox(f);
  const long: Record<string, string> = {
    '--all': 'a', '--kernel-name': 's', '--nodename': 'n', '--kernel-release': 'r', '--kernel-version': 'v',
    '--machine': 'm', '--processor': 'p', '--hardware-platform': 'i', '--operating-system': 'o',
  };
  const want = new Set<string>();
  for (const a of argv.slice(1)) {
    if (a.startsWith('--')) {
      const c = long[a];
      if (!c) return fail(bb ? `uname: unrecognized option '${a}'\n` : `uname: unrecognized option '${a}'\nTry 'uname --help' for more information.\n`);
      want.add(c);
    } else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (!'asnrvmpio'.includes(c)) return fail(bb ? `uname: invalid option -- '${c}'\n` : `uname: invalid option -- '${c}'\nTry 'uname --help' for more information.\n`);
        want.add(c);
      }
    } else {
      return fail(bb ? '' : `uname: extra operand '${a}'\nTry 'uname --help' for more information.\n`);
    }
  }
  if (want.size === 0) want.add('s');
  const fedora = f.flavour === 'fedora';
  const proc = fedora ? 'x86_64' : 'unknown';
  const fields: [string, string, boolean][] = [
    ['s', 'Linux', true], ['n', f.hostname, true], ['r', f.kernelRelease, true], ['v', unameV(f), true], ['m', 'x86_64', true],
    ['p', proc, !bb && fedora], ['i', proc, !bb && fedora], ['o', bb ? 'Linux' : 'GNU/Linux', true],
  ];
  const all = want.has('a');
  const out = fields.filter(([c, , inAll]) => want.has(c) || (all && inAll)).map(([, v]) => v);
  return ok(out.join(' ') + '\n');
}

function cmdHostname(argv: string[], env: Env): Res {
  const f = env.f;
  const a = argv[1];
  if (a === undefined || a === '-s' || a === '--short') return ok(`${a ? f.hostname.split('.')[0] : f.hostname}\n`);
  if (a === '-f' || a === '--fqdn' || a === '--long') return ok(`${f.hostname}\n`);
  if (a === '-i' || a === '--ip-address') return ok(f.flavour === 'debian' || f.flavour === 'ubuntu' ? '127.0.1.1\n' : `${firstIp(f) ?? '127.0.0.1'}\n`);
  if ((a === '-I' || a === '--all-ip-addresses') && !busybox(f)) {
    return ok(`${f.nics.filter((n) => n.connected).flatMap((n) => addrs(n.ip).map((x) => x.addr)).join(' ')} \n`);
  }
  if (a.startsWith('-')) return fail(`hostname: invalid option -- '${a.slice(1, 2)}'\n`);
  if (!env.root) return fail('hostname: you must be root to change the host name\n');
  return fail('hostname: this console keeps the domain name as the host name (xl rename changes the domain)\n');
}

function cmdId(argv: string[], env: Env): Res {
  const user = env.root ? 'root' : env.st.user;
  const uid = user === 'root' ? 0 : 1000;
  const flags = argv.slice(1).join('');
  const name = flags.includes('n');
  if (flags.includes('u')) return ok(`${name ? user : uid}\n`);
  if (flags.includes('g') && !flags.includes('G')) return ok(`${name ? user : uid}\n`);
  if (flags.includes('G')) return ok(`${name ? user : uid}\n`);
  let groups = `${uid}(${user})`;
  if (uid === 0 && busybox(env.f)) groups += ',1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)';
  return ok(`uid=${uid}(${user}) gid=${uid}(${user}) groups=${groups}\n`);
}

/** Load averages (1, 5, 15 min) from the recent stress runs: the kernel's exponential decay (fixed-point aside). */
function loadAvg(f: GuestFacts, st: TtyState): [number, number, number] {
  const now = f.uptimeMs;
  const runs = [...(st.loadRuns ?? [])];
  if (st.fg) runs.push({ fromMs: st.fg.startMs, toMs: now, workers: st.fg.workers });
  return ([60, 300, 900] as const).map((T) => {
    let l = 0;
    for (const r of runs) {
      if (r.toMs > now || r.fromMs > r.toMs) continue;
      const on = (r.toMs - r.fromMs) / 1000;
      const since = (now - r.toMs) / 1000;
      l += r.workers * (1 - Math.exp(-on / T)) * Math.exp(-since / T);
    }
    return Math.round(l * 100) / 100;
  }) as [number, number, number];
}

function cmdUptime(argv: string[], env: Env): Res {
  const { f, st } = env;
  const secs = Math.floor(f.uptimeMs / 1000);
  const days = Math.floor(secs / 86400);
  const hours = Math.floor(secs / 3600) % 24;
  const mins = Math.floor(secs / 60) % 60;
  const [l1, l5, l15] = loadAvg(f, st).map((x) => x.toFixed(2));
  if (argv[1] === '-p' || argv[1] === '--pretty') {
    const parts: string[] = [];
    const weeks = Math.floor(days / 7);
    const pl = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
    if (weeks) parts.push(pl(weeks, 'week'));
    if (days % 7) parts.push(pl(days % 7, 'day'));
    if (hours) parts.push(pl(hours, 'hour'));
    if (mins || parts.length === 0) parts.push(pl(mins, 'minute'));
    return ok(`up ${parts.join(', ')}\n`);
  }
  if (argv[1] === '-s' || argv[1] === '--since') return ok(strftime('%Y-%m-%d %H:%M:%S', f.nowMs - f.uptimeMs) + '\n');
  let s = ` ${strftime('%H:%M:%S', f.nowMs)} up `;
  if (days) s += `${days} day${days !== 1 ? 's' : ''}, `;
  if (busybox(f)) {
    s += hours ? `${String(hours).padStart(2, ' ')}:${pad2(mins)}` : `${mins} min`;
    return ok(`${s},  load average: ${l1}, ${l5}, ${l15}\n`);
  }
  s += hours ? `${String(hours).padStart(2, ' ')}:${pad2(mins)}, ` : `${mins} min, `;
  s += ' 1 user, ';
  return ok(`${s} load average: ${l1}, ${l5}, ${l15}\n`);
}

function cmdDate(argv: string[], env: Env): Res {
  const now = env.f.nowMs;
  let fmt = '%a %b %e %H:%M:%S %Z %Y';
  for (const a of argv.slice(1)) {
    if (a.startsWith('+')) fmt = a.slice(1);
    else if (a === '-u' || a === '--utc' || a === '--universal') continue;
    else if (a === '-R' || a === '--rfc-email') fmt = '%a, %d %b %Y %H:%M:%S %z';
    else if (a === '-I' || a === '--iso-8601') fmt = '%Y-%m-%d';
    else return fail(`date: invalid date '${a}'\n`);
  }
  return ok(strftime(fmt, now) + '\n');
}

// ───────────────────────────── memory, CPUs, uptime ─────────────────────────────

/** A plausible, deterministic /proc/meminfo for the guest (KiB). */
function memModel(f: GuestFacts, st: TtyState) {
  const total = Math.max(8192, Math.floor((f.memKiB * 0.955) / 4) * 4);
  const j = hash32('meminfo', f.hostname, f.domid);
  const workers = st.fg ? st.fg.workers : 0;
  const cap = (v: number, frac: number): number => Math.max(0, Math.min(Math.floor(total * frac), v));
  const anon = cap(36000 + (j % 9000) + (st.mode === 'shell' ? 3100 : 0) + workers * 260, 0.3);
  const buffers = cap(9000 + ((j >>> 8) % 6000), 0.02);
  const shmem = cap(480 + ((j >>> 4) % 700), 0.01);
  const cached = cap(120000 + ((j >>> 12) % 60000), 0.12) + shmem;
  const sreclaimable = cap(14000 + ((j >>> 16) % 5000), 0.03);
  const sunreclaim = cap(11000 + ((j >>> 20) % 4000), 0.02);
  const kernelStack = 1800 + f.vcpusOnline * 16;
  const pageTables = 900 + workers * 8;
  const free = Math.max(1024, total - anon - buffers - cached - sreclaimable - sunreclaim - kernelStack - pageTables);
  const available = Math.min(total, free + Math.floor((buffers + cached - shmem) * 0.92) + Math.floor(sreclaimable * 0.6));
  const mapped = Math.floor(anon * 0.6);
  return { total, free, available, buffers, cached, shmem, sreclaimable, sunreclaim, anon, kernelStack, pageTables, mapped };
}

function meminfo(f: GuestFacts, st: TtyState): string {
  const m = memModel(f, st);
  const activeFile = Math.floor((m.cached - m.shmem) * 0.45);
  const inactiveFile = m.cached - m.shmem - activeFile + m.buffers;
  const rows: [string, number][] = [
    ['MemTotal', m.total], ['MemFree', m.free], ['MemAvailable', m.available], ['Buffers', m.buffers], ['Cached', m.cached],
    ['SwapCached', 0], ['Active', activeFile + Math.floor(m.anon * 0.1)], ['Inactive', inactiveFile + m.anon - Math.floor(m.anon * 0.1) + m.shmem],
    ['Active(anon)', Math.floor(m.anon * 0.1)], ['Inactive(anon)', m.anon - Math.floor(m.anon * 0.1) + m.shmem],
    ['Active(file)', activeFile], ['Inactive(file)', inactiveFile], ['Unevictable', 0], ['Mlocked', 0],
    ['SwapTotal', 0], ['SwapFree', 0], ['Dirty', 64], ['Writeback', 0], ['AnonPages', m.anon], ['Mapped', m.mapped],
    ['Shmem', m.shmem], ['KReclaimable', m.sreclaimable], ['Slab', m.sreclaimable + m.sunreclaim],
    ['SReclaimable', m.sreclaimable], ['SUnreclaim', m.sunreclaim], ['KernelStack', m.kernelStack], ['PageTables', m.pageTables],
  ];
  // show_val_kb(): the label padded to 16 columns (label, colon, spaces), the value in 8, " kB".
  return rows.map(([k, v]) => `${(k + ':').padEnd(16, ' ')}${String(v).padStart(8, ' ')} kB\n`).join('');
}

/** procps-ng 4 `scale_size()` for `free -h`: the shortest of `%.1f`/`%ld` plus `Ki`/`Mi`/`Gi`… that fits 5 columns (4 with --si). */
function humanFree(kib: number, si: boolean): string {
  const bytes = kib * 1024;
  if (String(bytes).length + 1 <= 4) return `${bytes}B`;
  const up = ['B', 'K', 'M', 'G', 'T', 'P'];
  const base = si ? 1000 : 1024;
  let s = '';
  for (let i = 1; i < up.length; i++) {
    const v = Math.fround(bytes / base ** i);
    const suffix = si ? up[i] : up[i] + 'i';
    const lim = si ? 4 : 5;
    s = `${v.toFixed(1)}${suffix}`;
    if (s.length <= lim) return s;
    s = `${Math.trunc(bytes / base ** i)}${suffix}`;
    if (s.length <= lim) return s;
  }
  return s;
}

/** busybox `make_human_readable_str(v, 1024, 0)`: one decimal and K/M/G…, or a plain number below 1 KiB. */
function humanBusybox(kib: number): string {
  if (kib === 0) return '0';
  let val = kib * 1024;
  let u = 0;
  let frac = 0;
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  while (val >= 1024) {
    u++;
    frac = Math.floor((((val % 1024) * 10) + 512) / 1024);
    val = Math.floor(val / 1024);
  }
  if (frac >= 10) { val++; frac = 0; }
  return u ? `${val}.${frac}${units[u]}` : String(val);
}

function cmdFree(argv: string[], env: Env): Res {
  const m = memModel(env.f, env.st);
  if (busybox(env.f)) {
    const opt = argv[1];
    let sc = (k: number): string => String(k);
    if (opt === '-b') sc = (k) => String(k * 1024);
    else if (opt === '-m') sc = (k) => String(Math.floor((k * 1024 + (1 << 19)) / (1 << 20)));
    else if (opt === '-g') sc = (k) => String(Math.floor((k * 1024 + (1 << 29)) / (1 << 30)));
    else if (opt === '-h') sc = humanBusybox;
    else if (opt !== undefined && opt !== '-k') {
      return fail('BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: free [-bkmgh]\n\nDisplay free and used memory\n');
    }
    const cached = m.cached + m.buffers + m.sreclaimable;
    const c = (k: number): string => sc(k).padStart(12, ' ');
    return ok(
      `       ${['total', 'used', 'free', 'shared', 'buff/cache', 'available'].map((h) => h.padStart(12, ' ')).join('')}\n` +
      `Mem:   ${c(m.total)}${c(m.total - cached - m.free)}${c(m.free)}${c(m.shmem)}${c(cached)}${c(m.available)}\n` +
      `Swap:  ${c(0)}${c(0)}${c(0)}\n`,
    );
  }
  let exp = 0;
  let human = false;
  let si = false;
  let wide = false;
  let total = false;
  let units = 0;
  const unit = (e: number, s = false): void => { exp = e; si = si || s; units++; };
  for (const a of argv.slice(1)) {
    const longs: Record<string, () => void> = {
      '--bytes': () => unit(1), '--kibi': () => unit(2), '--mebi': () => unit(3), '--gibi': () => unit(4), '--tebi': () => unit(5),
      '--kilo': () => unit(2, true), '--mega': () => unit(3, true), '--giga': () => unit(4, true), '--tera': () => unit(5, true),
      '--human': () => { human = true; }, '--si': () => { si = true; }, '--wide': () => { wide = true; }, '--total': () => { total = true; },
    };
    if (a.startsWith('--')) {
      const fn = longs[a];
      if (!fn) return fail(`free: unrecognized option '${a}'\n\nUsage:\n free [options]\n`);
      fn();
      continue;
    }
    if (!a.startsWith('-')) return fail('\nUsage:\n free [options]\n');
    for (const c of a.slice(1)) {
      if (c === 'b') unit(1); else if (c === 'k') unit(2); else if (c === 'm') unit(3); else if (c === 'g') unit(4);
      else if (c === 'h') human = true; else if (c === 'w') wide = true; else if (c === 't') total = true;
      else return fail(`free: invalid option -- '${c}'\n\nUsage:\n free [options]\n`);
    }
  }
  if (units > 1) return fail("free: Multiple unit options don't make sense.\n");
  const base = si ? 1000 : 1024;
  const sc = (kib: number): string => {
    if (human) return humanFree(kib, si);
    const bytes = kib * 1024;
    if (exp === 0) return String(Math.floor(bytes / base));
    if (exp === 1) return String(bytes);
    return String(Math.floor(bytes / base ** (exp - 1)));
  };
  // free.c: row labels padded to the widest label + 2 ("Total:" → 8), columns 12 wide, right-aligned.
  const c = (k: number): string => sc(k).padStart(12, ' ');
  const used = m.total - m.available;
  const head = ['total', 'used', 'free', 'shared', ...(wide ? ['buffers', 'cache'] : ['buff/cache']), 'available'];
  let out = ' '.repeat(8) + head.map((h) => h.padStart(12, ' ')).join('') + '\n';
  out += 'Mem:'.padEnd(8, ' ') + c(m.total) + c(used) + c(m.free) + c(m.shmem) +
    (wide ? c(m.buffers) + c(m.cached + m.sreclaimable) : c(m.buffers + m.cached + m.sreclaimable)) + c(m.available) + '\n';
  out += 'Swap:'.padEnd(8, ' ') + c(0) + c(0) + c(0) + '\n';
  if (total) out += 'Total:'.padEnd(8, ' ') + c(m.total) + c(used) + c(m.free) + '\n';
  return ok(out);
}

const CPU_FLAGS_HVM =
  'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb ' +
  'rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic ' +
  'movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch cpuid_fault invpcid_single ssbd ' +
  'ibrs ibpb stibp fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid rdseed adx smap clflushopt xsaveopt xsavec xgetbv1 xsaves ' +
  'arat md_clear flush_l1d arch_capabilities';
const CPU_FLAGS_PV =
  'fpu de tsc msr pae mce cx8 apic sep mca cmov pat clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc ' +
  'rep_good nopl nonstop_tsc cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 movbe popcnt aes xsave avx f16c ' +
  'rdrand hypervisor lahf_lm abm 3dnowprefetch cpuid_fault invpcid_single ssbd ibrs ibpb stibp fsgsbase bmi1 avx2 bmi2 erms rdseed ' +
  'adx clflushopt xsaveopt xsavec xgetbv1 md_clear arch_capabilities';

/** /proc/cpuinfo: one block per online vCPU (arch/x86/kernel/cpu/proc.c layout), with the `hypervisor` flag. */
function cpuinfo(f: GuestFacts): string {
  const mhz = f.cpuMhz ?? 3192;
  const n = Math.max(1, f.vcpusOnline);
  let out = '';
  for (let i = 0; i < n; i++) {
    const apic = f.type === 'pv' ? 0 : i * 2;
    out +=
      `processor\t: ${i}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 158\n` +
      'model name\t: Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz\nstepping\t: 10\nmicrocode\t: 0xf8\n' +
      `cpu MHz\t\t: ${mhz.toFixed(3)}\ncache size\t: 12288 KB\nphysical id\t: 0\nsiblings\t: ${n}\ncore id\t\t: ${i}\n` +
      `cpu cores\t: ${n}\napicid\t\t: ${apic}\ninitial apicid\t: ${apic}\nfpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 13\n` +
      `wp\t\t: yes\nflags\t\t: ${f.type === 'pv' ? CPU_FLAGS_PV : CPU_FLAGS_HVM}\n` +
      'bugs\t\t: cpu_meltdown spectre_v1 spectre_v2 spec_store_bypass l1tf mds swapgs taa itlb_multihit srbds mmio_stale_data retbleed gds\n' +
      `bogomips\t: ${(mhz * 2).toFixed(2)}\nclflush size\t: 64\ncache_alignment\t: 64\n` +
      'address sizes\t: 39 bits physical, 48 bits virtual\npower management:\n\n';
  }
  return out;
}

function procUptime(f: GuestFacts): string {
  const up = f.uptimeMs / 1000;
  const idle = up * Math.max(1, f.vcpusOnline) * 0.97;
  return `${up.toFixed(2)} ${idle.toFixed(2)}\n`;
}

/** The domain's UUID as the guest sees it in /sys/hypervisor/uuid (its `vm` xenstore node names /vm/<uuid>). */
function guestUuid(f: GuestFacts): string {
  const vm = f.xenstore.read(`/local/domain/${f.domid}/vm`);
  const m = vm ? /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(vm) : null;
  return m ? m[1].toLowerCase() : '00000000-0000-0000-0000-000000000000';
}

// ───────────────────────────── block devices ─────────────────────────────

/**
 * The name Linux's xen-blkfront gives a vdev (`xen_translate_vdev`): xvd disks keep their
 * letters, emulated IDE disks hda–hdd become xvda–xvdd and SCSI sda… become xvde…
 * (EMULATED_SD_DISK_NAME_OFFSET = 4). Undefined for a vdev libxl would reject.
 */
function guestDiskName(vdev: string): string | undefined {
  const n = vdevToDevid(vdev);
  if (n === undefined) return undefined;
  let index: number;
  if (n & (1 << 28)) index = (n >> 8) & 0xfffff;
  else {
    const major = n >> 8;
    const minor = n & 0xff;
    if (major === 202) index = minor >> 4;
    else if (major === 3) index = minor >> 6;
    else if (major === 22) index = 2 + (minor >> 6);
    else if (major === 8) index = 4 + (minor >> 4);
    else return undefined;
  }
  let letters = '';
  let i = index;
  do {
    letters = String.fromCharCode(97 + (i % 26)) + letters;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return `xvd${letters}`;
}

interface BlockDev { name: string; major: number; minor: number; sectors: number; mount?: string; parts: BlockDev[] }

/** The guest's disks with the root partition the kernel mounted (from the boot log), as Linux lists them. */
function blockDevices(f: GuestFacts): BlockDev[] {
  const rootDev = /EXT4-fs \(([^)]+)\): mounted/.exec(f.dmesg)?.[1];
  const devs: BlockDev[] = [];
  f.disks.forEach((d, idx) => {
    if (!(d.sectors > 0)) return;
    const name = guestDiskName(d.vdev) ?? d.vdev;
    const index = name.length > 3 ? [...name.slice(3)].reduce((a, c) => a * 26 + c.charCodeAt(0) - 96, 0) - 1 : idx;
    const big = index >= 16;
    const major = big ? 259 : 202;
    const minor = big ? index : index * 16;
    const dev: BlockDev = { name, major, minor, sectors: d.sectors, parts: [] };
    let part: number | undefined;
    let whole = false;
    if (rootDev) {
      for (const cand of [d.vdev, name]) {
        if (rootDev === cand) whole = true;
        else if (rootDev.startsWith(cand) && /^\d+$/.test(rootDev.slice(cand.length))) part = Number(rootDev.slice(cand.length));
      }
    } else if (devs.length === 0) part = 1;
    if (whole) dev.mount = '/';
    if (part !== undefined && part > 0 && d.sectors > 4096) {
      dev.parts.push({ name: `${name}${part}`, major, minor: minor + (big ? 0 : part), sectors: d.sectors - 2048, mount: '/', parts: [] });
    }
    devs.push(dev);
  });
  return devs;
}

/** /proc/partitions (block/genhd.c `show_partition`): `%4d  %7d %10llu %s`, sizes in 1 KiB blocks. */
function partitions(f: GuestFacts): string {
  let out = 'major minor  #blocks  name\n\n';
  for (const d of blockDevices(f)) {
    for (const x of [d, ...d.parts]) {
      out += `${String(x.major).padStart(4, ' ')}  ${String(x.minor).padStart(7, ' ')} ${String(Math.floor(x.sectors / 2)).padStart(10, ' ')} ${x.name}\n`;
    }
  }
  return out;
}

/** util-linux `size_to_human_string()` with a one-letter suffix (lsblk's SIZE column). */
function humanLsblk(bytes: number): string {
  // get_exp(): the largest power of 1024 not above the value.
  let shft = 10;
  while (shft <= 60 && bytes >= 2 ** shft) shft += 10;
  const exp = shft - 10;
  const letters = 'BKMGTPE';
  const c = letters[exp ? exp / 10 : 0];
  let dec = exp ? Math.floor(bytes / 2 ** exp) : bytes;
  let frac = exp ? bytes % 2 ** exp : 0;
  if (frac) {
    frac = Math.floor((frac * 1000) / 2 ** exp);
    frac = Math.floor((frac + 50) / 100) * 10; // round 4/5, keep one digit
    if (frac === 100) { dec++; frac = 0; } // rounding overflowed
  }
  if (frac) {
    let s = `${dec}.${String(frac).padStart(2, '0')}`;
    if (s.endsWith('0')) s = s.slice(0, -1);
    return s + c;
  }
  return `${dec}${c}`;
}

function cmdLsblk(_argv: string[], env: Env): Res {
  const rows: string[][] = [['NAME', 'MAJ:MIN', 'RM', 'SIZE', 'RO', 'TYPE', 'MOUNTPOINTS']];
  for (const d of blockDevices(env.f)) {
    const row = (x: BlockDev, name: string, type: string): string[] =>
      [name, `${String(x.major).padStart(3, ' ')}:${String(x.minor).padEnd(3, ' ')}`, '0', humanLsblk(x.sectors * 512), '0', type, x.mount ?? ''];
    rows.push(row(d, d.name, 'disk'));
    d.parts.forEach((p, i) => rows.push(row(p, `${i === d.parts.length - 1 ? '└─' : '├─'}${p.name}`, 'part')));
  }
  // libsmartcols width hints: SIZE is at least 5 wide, TYPE 4.
  const minW = [0, 0, 0, 5, 0, 4, 0];
  const w = (col: number): number => Math.max(minW[col], ...rows.map((r) => [...r[col]].length));
  const right = new Set([2, 3, 4]);
  const out = rows.map((r) => r.map((cell, col) => {
    if (col === r.length - 1) return cell;
    const pad = w(col) - [...cell].length;
    return right.has(col) ? ' '.repeat(pad) + cell : cell + ' '.repeat(pad);
  }).join(' ')).join('\n');
  return ok(out + '\n');
}

// ───────────────────────────── network ─────────────────────────────

/** IPv4 addresses of a vif's `ip` setting: each with its prefix (/24 when not given). */
function addrs(ip: string | undefined): { addr: string; prefix: number }[] {
  if (!ip) return [];
  return ip.split(/[\s,]+/).filter(Boolean).flatMap((a) => {
    const [addr, p] = a.split('/');
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(addr)) return [];
    const prefix = p !== undefined && /^\d+$/.test(p) && Number(p) <= 32 ? Number(p) : 24;
    return [{ addr, prefix }];
  });
}

function firstIp(f: GuestFacts): string | undefined {
  for (const n of [...f.nics].sort((a, b) => a.devid - b.devid)) {
    const a = addrs(n.ip)[0];
    if (a) return a.addr;
  }
  return undefined;
}

const ipToInt = (a: string): number => a.split('.').reduce((n, o) => (n * 256 + (Number(o) & 255)) >>> 0, 0);
const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
const maskOf = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** The IPv6 link-local address from a MAC (modified EUI-64), compressed as iproute2 prints it. */
function linkLocal(mac: string): string {
  const b = mac.split(':').map((h) => Number.parseInt(h, 16) & 255);
  if (b.length !== 6 || b.some((x) => Number.isNaN(x))) return 'fe80::1';
  const e = [b[0] ^ 2, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]];
  const groups = [0, 2, 4, 6].map((i) => ((e[i] << 8) | e[i + 1]).toString(16));
  return `fe80::${groups.join(':')}`;
}

function cmdIp(argv: string[], env: Env): Res {
  const f = env.f;
  const bb = busybox(f);
  let args = argv.slice(1);
  let family: 4 | 6 | undefined;
  while (args.length && args[0].startsWith('-')) {
    if (args[0] === '-4') family = 4; else if (args[0] === '-6') family = 6;
    else return fail(`Option "${args[0]}" is unknown, try "ip -help".\n`, 255);
    args = args.slice(1);
  }
  const obj = args[0];
  if (obj === undefined) {
    return fail('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       ip [ -force ] -batch filename\n' +
      'where  OBJECT := { address | link | route | ... }\n', 255);
  }
  const is = (full: string): boolean => obj.length >= 1 && full.startsWith(obj);
  const rest = args.slice(1).filter((a) => a !== 'show' && a !== 'list' && a !== 'ls' && a !== 'dev');
  const only = rest[0];
  const nics = [...f.nics].sort((a, b) => a.devid - b.devid);
  const multi = f.vcpusOnline > 1;
  const qdiscUp = multi ? 'mq' : bb ? 'pfifo_fast' : 'fq_codel';
  const grp = bb ? '' : ' group default';
  type If = { idx: number; name: string; head: string; link: string; inet: string[] };
  const ifs: If[] = [];
  const lft = '       valid_lft forever preferred_lft forever';
  ifs.push({
    idx: 1, name: 'lo',
    head: `<LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN`,
    link: '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
    inet: [
      ...(family === 6 ? [] : ['    inet 127.0.0.1/8 scope host lo', lft]),
      ...(family === 4 ? [] : ['    inet6 ::1/128 scope host ', lft]),
    ],
  });
  nics.forEach((n, i) => {
    const name = `eth${n.devid}`;
    const up = n.connected;
    const inet: string[] = [];
    if (family !== 6) {
      for (const a of addrs(n.ip)) {
        const brd = intToIp((ipToInt(a.addr) | ~maskOf(a.prefix)) >>> 0);
        inet.push(`    inet ${a.addr}/${a.prefix}${a.prefix < 31 ? ` brd ${brd}` : ''} scope global ${name}`, lft);
      }
    }
    if (family !== 4 && up) inet.push(`    inet6 ${linkLocal(n.mac)}/64 scope link `, lft);
    ifs.push({
      idx: i + 2, name,
      head: up ? `<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc ${qdiscUp} state UP` : `<NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc ${qdiscUp} state DOWN`,
      link: `    link/ether ${n.mac.toLowerCase()} brd ff:ff:ff:ff:ff:ff`,
      inet,
    });
  });
  const pick = only ? ifs.filter((x) => x.name === only) : ifs;
  if (only && pick.length === 0 && (is('address') || is('link'))) return fail(`Device "${only}" does not exist.\n`, 1);
  if (is('address') || obj === 'a' || obj === 'addr') {
    return ok(pick.map((x) => `${x.idx}: ${x.name}: ${x.head}${grp} qlen 1000\n${x.link}\n${x.inet.map((l) => l + '\n').join('')}`).join(''));
  }
  if (is('link')) {
    return ok(pick.map((x) => `${x.idx}: ${x.name}: ${x.head}${bb ? '' : ' mode DEFAULT'}${grp} qlen 1000\n${x.link}\n`).join(''));
  }
  if (is('route')) {
    let out = '';
    for (const n of nics) {
      if (!n.connected) continue;
      for (const a of addrs(n.ip)) {
        const net = intToIp((ipToInt(a.addr) & maskOf(a.prefix)) >>> 0);
        out += `${net}/${a.prefix} dev eth${n.devid} proto kernel scope link src ${a.addr} \n`;
      }
    }
    return ok(out);
  }
  return fail(`Object "${obj}" is unknown, try "ip help".\n`, 1);
}

// ───────────────────────────── kernel log ─────────────────────────────

function cmdDmesg(_argv: string[], env: Env): Res {
  const f = env.f;
  // Debian and Ubuntu kernels restrict the log to root (kernel.dmesg_restrict=1).
  if (!env.root && (f.flavour === 'debian' || f.flavour === 'ubuntu')) return fail('dmesg: read kernel buffer failed: Operation not permitted\n');
  const text = f.dmesg.replace(/\r\n/g, '\n');
  return ok(text === '' || text.endsWith('\n') ? text : text + '\n');
}

// ───────────────────────────── xenstore-utils ─────────────────────────────

type XsErr = 'EACCES' | 'ENOENT' | 'EINVAL';
const STRERROR: Record<XsErr, string> = { EACCES: 'Permission denied', ENOENT: 'No such file or directory', EINVAL: 'Invalid argument' };

/**
 * What xenstored lets this guest see: paths relative to its home resolve to
 * /local/domain/<domid>/…; it may read its own subtree and its /vm/<uuid> (libxl gives the
 * domain read access to both); anything else is EACCES for an unprivileged domain.
 */
function xsResolve(f: GuestFacts, path: string): { abs: string } | { err: XsErr } {
  const home = `/local/domain/${f.domid}`;
  const abs = path === '' ? home : path.startsWith('/') ? path : `${home}/${path}`;
  if (abs !== '/' && (abs.endsWith('/') || abs.includes('//'))) return { err: 'EINVAL' };
  if (!/^[A-Za-z0-9\-/_@]*$/.test(abs)) return { err: 'EINVAL' };
  const vm = f.xenstore.read(`${home}/vm`);
  const inside = (base: string | undefined): boolean => !!base && (abs === base || abs.startsWith(base + '/'));
  if (!inside(home) && !inside(vm && vm.startsWith('/vm/') ? vm : undefined)) return { err: 'EACCES' };
  return { abs };
}

function xsRead(f: GuestFacts, path: string): string | { err: XsErr } {
  const r = xsResolve(f, path);
  if ('err' in r) return r;
  const v = f.xenstore.read(r.abs);
  return v === undefined ? { err: 'ENOENT' } : v;
}

function xsDirectory(f: GuestFacts, path: string): string[] | { err: XsErr } {
  const r = xsResolve(f, path);
  if ('err' in r) return r;
  if (f.xenstore.read(r.abs) === undefined) return { err: 'ENOENT' };
  return f.xenstore.list(r.abs);
}

/** xenstore_client.c `sanitise_value()`: printable ASCII as is, `\t \n \r \\` escaped, other bytes as octal/hex escapes. */
function sanitise(v: string): string {
  let out = '';
  for (const ch of v) {
    const c = ch.codePointAt(0) as number;
    if (c >= 0x20 && c <= 0x7e && ch !== '\\') { out += ch; continue; }
    if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\\') out += '\\\\';
    else if (c < 8) out += '\\' + c.toString(8).padStart(3, '0');
    else out += '\\x' + (c & 0xff).toString(16).padStart(2, '0');
  }
  return out;
}

/** Parses xenstore-* options as getopt does (bundled flags); returns the operands, or a usage error. */
function xsOpts(argv: string[], allowed: string, usage: string): { flags: Set<string>; args: string[] } | Res {
  const prog = argv[0];
  const flags = new Set<string>();
  const args: string[] = [];
  const longs: Record<string, string> = { '--help': 'h', '--flat': 'f', '--prefix': 'p', '--raw': 'R' };
  let opts = true;
  for (const a of argv.slice(1)) {
    if (opts && a === '--') { opts = false; continue; }
    if (opts && a.startsWith('--')) {
      const c = longs[a];
      if (!c) return fail(`${prog}: unrecognized option '${a}'\n${prog}: Usage: ${prog} ${usage}\n`);
      if (!allowed.includes(c) && c !== 'h') return fail(`${prog}: Usage: ${prog} ${usage}\n`);
      flags.add(c);
      continue;
    }
    if (opts && a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (!'hfspturnRd'.includes(c)) return fail(`${prog}: invalid option -- '${c}'\n${prog}: Usage: ${prog} ${usage}\n`);
        if (!allowed.includes(c) && c !== 'h') return fail(`${prog}: Usage: ${prog} ${usage}\n`);
        flags.add(c);
      }
      continue;
    }
    args.push(a);
  }
  if (flags.has('h')) return fail(`${prog}: Usage: ${prog} ${usage}\n`, 0);
  return { flags, args };
}

/** Unprivileged users cannot open /dev/xen/xenbus (mode 0600): `err(1, "xs_open")`. */
function xsOpen(argv: string[], env: Env): Res | undefined {
  return env.root ? undefined : fail(`${argv[0]}: xs_open: Permission denied\n`);
}

function cmdXsLs(argv: string[], env: Env): Res {
  const o = xsOpts(argv, 'f', '[-h] [-f] [-p] [path]');
  if ('status' in o) return o;
  const denied = xsOpen(argv, env);
  if (denied) return denied;
  const f = env.f;
  const flat = o.flags.has('f');
  // do_ls(): an 80-column console gives max_width = 78; TAG " = \"...\"" is 8 long.
  const maxWidth = flat ? Number.MAX_SAFE_INTEGER : 78;
  const TAG_LEN = 8;
  let out = '';
  const paths = o.args.length ? o.args : ['/'];
  const doLs = (path: string, depth: number): string | undefined => {
    const e = xsDirectory(f, path);
    if ('err' in e) {
      if (depth && e.err === 'ENOENT') return undefined;
      return `${argv[0]}: xs_directory (${path}): ${STRERROR[e.err]}\n`;
    }
    for (const name of e) {
      const newpath = `${path}${path.endsWith('/') ? '' : '/'}${name}`;
      let line = '';
      if (flat) line = newpath;
      else line = ' '.repeat(depth) + name.slice(0, Math.max(0, maxWidth - TAG_LEN - depth));
      const linewid = line.length;
      const val = xsRead(f, newpath);
      if (typeof val !== 'string') line += ':';
      else if (maxWidth < linewid + val.length + TAG_LEN) line += ` = "${sanitise(val).slice(0, Math.max(0, maxWidth - TAG_LEN - linewid))}\\..."`;
      else line += ` = "${sanitise(val)}"`;
      out += line + '\n';
      const err = doLs(newpath, depth + 1);
      if (err) return err;
    }
    return undefined;
  };
  for (const p of paths) {
    const err = doLs(p, 0);
    if (err) return fail(err, 1, out);
  }
  return ok(out);
}

function cmdXsRead(argv: string[], env: Env): Res {
  const o = xsOpts(argv, 'pR', '[-h] [-p] [-R] key [...]');
  if ('status' in o) return o;
  if (o.args.length === 0) return fail(`${argv[0]}: Usage: ${argv[0]} [-h] [-p] [-R] key [...]\n`);
  const denied = xsOpen(argv, env);
  if (denied) return denied;
  let out = '';
  for (const k of o.args) {
    const v = xsRead(env.f, k);
    if (typeof v !== 'string') return fail(`${argv[0]}: couldn't read path ${k}\n`, 1);
    if (o.flags.has('p')) out += `${k}: `;
    out += o.flags.has('R') ? v : sanitise(v) + '\n';
  }
  return ok(out);
}

function cmdXsList(argv: string[], env: Env): Res {
  const o = xsOpts(argv, 'p', '[-h] [-p] key [...]');
  if ('status' in o) return o;
  if (o.args.length === 0) return fail(`${argv[0]}: Usage: ${argv[0]} [-h] [-p] key [...]\n`);
  const denied = xsOpen(argv, env);
  if (denied) return denied;
  let out = '';
  for (const k of o.args) {
    const l = xsDirectory(env.f, k);
    if ('err' in l) return fail(`${argv[0]}: could not list path ${k}\n`, 1);
    const pref = k === '/' ? '' : k;
    for (const n of l) out += (o.flags.has('p') ? `${pref}/` : '') + n + '\n';
  }
  return ok(out);
}

function cmdXsExists(argv: string[], env: Env): Res {
  const o = xsOpts(argv, '', '[-h] key');
  if ('status' in o) return o;
  if (o.args.length === 0) return fail(`${argv[0]}: Usage: ${argv[0]} [-h] key\n`);
  const denied = xsOpen(argv, env);
  if (denied) return denied;
  for (const k of o.args) if (typeof xsRead(env.f, k) !== 'string') return fail('', 1);
  return ok();
}

// ───────────────────────────── stress ─────────────────────────────

const STRESS_USAGE =
  "`stress' imposes certain types of compute stress on your system\n\n" +
  'Usage: stress [OPTION [ARG]] ...\n' +
  ' -?, --help         show this help statement\n     --version      show version statement\n' +
  ' -v, --verbose      be verbose\n -q, --quiet        be quiet\n -n, --dry-run      show what would have been done\n' +
  ' -t, --timeout N    timeout after N seconds\n     --backoff N    wait factor of N microseconds before work starts\n' +
  ' -c, --cpu N        spawn N workers spinning on sqrt()\n -i, --io N         spawn N workers spinning on sync()\n' +
  ' -m, --vm N         spawn N workers spinning on malloc()/free()\n' +
  '     --vm-bytes B   malloc B bytes per vm worker (default is 256MB)\n' +
  '     --vm-stride B  touch a byte every B bytes (default is 4096)\n' +
  '     --vm-hang N    sleep N secs before free (default none, 0 is inf)\n' +
  '     --vm-keep      redirty memory instead of freeing and reallocating\n' +
  ' -d, --hdd N        spawn N workers spinning on write()/unlink()\n' +
  '     --hdd-bytes B  write B bytes per hdd worker (default is 1GB)\n\n' +
  'Example: stress --cpu 8 --io 4 --vm 2 --vm-bytes 128M --timeout 10s\n\n' +
  'Note: Numbers may be suffixed with s,m,h,d,y (time) or B,K,M,G (size).\n';

/** A stress time argument: N with an optional s/m/h/d/y suffix, in seconds. */
function parseSeconds(s: string): number | undefined {
  const m = /^(\d+)([smhdy]?)$/.exec(s);
  if (!m) return undefined;
  const mult: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400, y: 31536000 };
  return Number(m[1]) * mult[m[2]];
}

/** Starts a foreground job: the machine gets a `stress` action, the prompt stays away. */
function startJob(env: Env, prog: ForegroundJob['prog'], hogs: ForegroundJob['hogs'], seconds: number | undefined): ForegroundJob {
  const st = env.st;
  const pid = (st.nextPid ?? 1000) - 1;
  const workers = hogs.cpu + hogs.io + hogs.vm + hogs.hdd;
  st.nextPid = (st.nextPid ?? 1000) + workers;
  const job: ForegroundJob = { prog, pid, hogs, workers, startMs: env.f.uptimeMs, ...(seconds !== undefined ? { seconds } : {}) };
  st.fg = job;
  env.ctx.actions.push({ kind: 'stress', workers, pid, ...(seconds !== undefined ? { seconds } : {}) });
  return job;
}

function cmdStress(argv: string[], env: Env): Res {
  const hogs = { cpu: 0, io: 0, vm: 0, hdd: 0 };
  let seconds: number | undefined;
  const args = argv.slice(1);
  const withArg: Record<string, keyof typeof hogs | 't' | 'skip'> = {
    '-c': 'cpu', '--cpu': 'cpu', '-i': 'io', '--io': 'io', '-m': 'vm', '--vm': 'vm', '-d': 'hdd', '--hdd': 'hdd',
    '-t': 't', '--timeout': 't', '--backoff': 'skip', '--vm-bytes': 'skip', '--vm-stride': 'skip', '--vm-hang': 'skip', '--hdd-bytes': 'skip',
  };
  const pid = (env.st.nextPid ?? 1000) - 1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-?' || a === '--help') return ok(STRESS_USAGE);
    if (a === '--version') return ok('stress 1.0.7\n');
    if (['-v', '--verbose', '-q', '--quiet', '-n', '--dry-run', '--vm-keep'].includes(a)) continue;
    const k = withArg[a];
    if (!k) return fail(`stress: FAIL: [${pid}] (244) unrecognized option: ${a}\n`);
    const v = args[++i];
    if (v === undefined) return fail(`stress: FAIL: [${pid}] (244) missing argument for option: ${a}\n`);
    if (k === 'skip') continue;
    if (k === 't') {
      const s = parseSeconds(v);
      if (s === undefined) return fail(`stress: FAIL: [${pid}] (258) invalid time suffix: ${v}\n`);
      seconds = s;
      continue;
    }
    if (!/^\d+$/.test(v)) return fail(`stress: FAIL: [${pid}] (244) invalid number: ${v}\n`);
    hogs[k] = Number(v);
  }
  if (hogs.cpu + hogs.io + hogs.vm + hogs.hdd === 0) return fail(STRESS_USAGE);
  const job = startJob(env, 'stress', hogs, seconds);
  return ok(`stress: info: [${job.pid}] dispatching hogs: ${hogs.cpu} cpu, ${hogs.io} io, ${hogs.vm} vm, ${hogs.hdd} hdd\n`);
}

/** stress-ng's duration wording: `10 secs`, `1 min, 0 secs`, `1 day, 0 secs` (`%.2f secs` with fractions). */
function ngDuration(sec: number, fraction: boolean): string {
  const whole = Math.floor(sec);
  const days = Math.floor(whole / 86400);
  const hours = Math.floor(whole / 3600) % 24;
  const mins = Math.floor(whole / 60) % 60;
  const rest = sec - (days * 86400 + hours * 3600 + mins * 60);
  const parts: string[] = [];
  if (days) parts.push(`${days} day${days === 1 ? '' : 's'}`);
  if (hours) parts.push(`${hours} hour${hours === 1 ? '' : 's'}`);
  if (mins) parts.push(`${mins} min${mins === 1 ? '' : 's'}`);
  parts.push(fraction ? `${rest.toFixed(2)} secs` : `${Math.round(rest)} secs`);
  return parts.join(', ');
}

/** stress-ng's end-of-run report (0.17 wording) after `seconds` of run time. */
function stressNgSummary(job: ForegroundJob, seconds: number): string {
  const p = `stress-ng: info:  [${job.pid}]`;
  const kinds = (Object.entries(job.hogs) as [string, number][]).filter(([, n]) => n > 0);
  const passed = kinds.map(([k, n]) => `${k} (${n})`).join(' ');
  return `${p} skipped: 0\n${p} passed: ${job.workers}: ${passed}\n${p} failed: 0\n${p} metrics untrustworthy: 0\n` +
    `${p} successful run completed in ${ngDuration(seconds, true)}\n`;
}

function cmdStressNg(argv: string[], env: Env): Res {
  const hogs = { cpu: 0, io: 0, vm: 0, hdd: 0 };
  let seconds: number | undefined;
  const args = argv.slice(1);
  const withArg: Record<string, keyof typeof hogs | 't' | 'skip'> = {
    '-c': 'cpu', '--cpu': 'cpu', '-i': 'io', '--io': 'io', '-m': 'vm', '--vm': 'vm', '-d': 'hdd', '--hdd': 'hdd',
    '-t': 't', '--timeout': 't', '-l': 'skip', '--cpu-load': 'skip', '--vm-bytes': 'skip', '--cpu-method': 'skip', '--hdd-bytes': 'skip',
  };
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let v: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) { v = a.slice(eq + 1); a = a.slice(0, eq); }
    if (a === '--help' || a === '-h') return ok('Usage: stress-ng [OPTION [ARG]]\n --cpu N       start N workers spinning on CPU\n --timeout T   stop after T seconds\n');
    if (a === '--version' || a === '-V') return ok('stress-ng, version 0.17.06 (gcc 13.2, x86_64 Linux) 💻🔥\n');
    if (['-v', '--verbose', '-q', '--quiet', '--metrics', '--metrics-brief', '--times', '--vm-keep'].includes(a)) continue;
    const k = withArg[a];
    if (!k) return fail(`stress-ng: unrecognized option '${a}'\nTry 'stress-ng --help' for more information.\n`);
    v ??= args[++i];
    if (v === undefined) return fail(`stress-ng: option '${a}' requires an argument\nTry 'stress-ng --help' for more information.\n`);
    if (k === 'skip') continue;
    if (k === 't') {
      const s = parseSeconds(v);
      if (s === undefined) return fail(`stress-ng: option --timeout: invalid time '${v}'\n`);
      seconds = s;
      continue;
    }
    if (!/^-?\d+$/.test(v)) return fail(`Invalid number '${v}'\n`);
    const n = Number(v);
    hogs[k] = n <= 0 ? env.f.vcpusOnline : n; // 0 or negative: one per online CPU
  }
  const pid = (env.st.nextPid ?? 1000) - 1;
  if (hogs.cpu + hogs.io + hogs.vm + hogs.hdd === 0) return fail(`stress-ng: error: [${pid}] No stress workers invoked\n`);
  const job = startJob(env, 'stress-ng', hogs, seconds);
  const p = `stress-ng: info:  [${job.pid}]`;
  const setting = seconds === undefined ? `${p} defaulting to a 1 day, 0 secs run per stressor` : `${p} setting to a ${ngDuration(seconds, false)} run per stressor`;
  const kinds = (Object.entries(hogs) as [string, number][]).filter(([, n]) => n > 0).map(([k2, n]) => `${n} ${k2}`).join(', ');
  return ok(`${setting}\n${p} dispatching hogs: ${kinds}\n`);
}

// ───────────────────────────── power ─────────────────────────────

/** poweroff/halt/reboot (systemd's systemctl; busybox on Alpine). Root: the action; others are refused as logind/kill(1) refuse them. */
function power(argv: string[], env: Env, what: 'poweroff' | 'halt' | 'reboot'): Res {
  const f = env.f;
  if (!env.root) {
    if (busybox(f)) return fail(`${argv[0]}: Operation not permitted\n`);
    const method = what === 'poweroff' ? 'PowerOff' : what === 'reboot' ? 'Reboot' : 'Halt';
    return fail(`Call to ${method} failed: Access denied\n`);
  }
  env.ctx.actions.push({ kind: what });
  env.st.halted = true;
  return ok();
}

function cmdShutdown(argv: string[], env: Env): Res {
  let what: 'poweroff' | 'halt' | 'reboot' = 'poweroff';
  let when: string | undefined;
  for (const a of argv.slice(1)) {
    if (a === '-r' || a === '--reboot') what = 'reboot';
    else if (a === '-H' || a === '--halt') what = 'halt';
    else if (a === '-h' || a === '-P' || a === '--poweroff') what = what === 'halt' ? 'halt' : 'poweroff';
    else if (a === '-c') return env.root ? ok() : fail('Failed to cancel shutdown: Access denied\n');
    else if (a.startsWith('-')) return fail(`shutdown: invalid option -- '${a.slice(1, 2)}'\n`);
    else if (when === undefined) when = a;
  }
  if (when !== undefined && when !== 'now' && when !== '+0' && when !== '0') {
    return fail('shutdown: this console only shuts down "now" (no scheduled shutdowns)\n');
  }
  if (!env.root) {
    return fail(`Call to ${what === 'poweroff' ? 'PowerOff' : what === 'reboot' ? 'Reboot' : 'Halt'} failed: Access denied\n`);
  }
  return power([argv[0]], env, what);
}

function cmdSystemctl(argv: string[], env: Env): Res {
  const verb = argv[1];
  if (verb === 'poweroff' || verb === 'reboot' || verb === 'halt') return power([verb], env, verb);
  return fail(`systemctl: only poweroff, reboot and halt are available on this console\n`);
}

function cmdSync(_argv: string[], env: Env): Res {
  env.ctx.actions.push({ kind: 'sync' });
  return ok();
}

function cmdSudo(argv: string[], env: Env): Res {
  const rest = argv.slice(1);
  if (rest.length === 0 || rest[0].startsWith('-')) return fail('usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-u user] command\n');
  return runCommand(rest, { ...env, root: true });
}

// ───────────────────────────── filters ─────────────────────────────

/** The text a filter reads: its file operands, or standard input. Errors in head/tail's (`cannot open`) or grep/wc's wording. */
function inputOf(files: string[], env: Env, prog: string): { text: string; err: string } {
  const short = prog === 'grep' || prog === 'wc' || prog === 'less' || prog === 'more';
  if (files.length === 0) return { text: env.stdin ?? '', err: '' };
  let text = '';
  let err = '';
  for (const a of files) {
    const c = readFile(env, resolvePath(env.st, a));
    if (typeof c === 'string') text += c;
    else if (busybox(env.f)) err += `${prog}: can't open '${a}': ${c.err}\n`;
    else err += short ? `${prog}: ${a}: ${c.err}\n` : `${prog}: cannot open '${a}' for reading: ${c.err}\n`;
  }
  return { text, err };
}

const splitLines = (t: string): string[] => {
  const lines = t.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

/** `-n N`, `-nN`, `-N` line counts for head and tail; the rest are files. */
function countArgs(argv: string[]): { n: number; files: string[] } | string {
  let n = 10;
  const files: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let v: string | undefined;
    if (a === '-n' || a === '--lines') v = args[++i];
    else if (a.startsWith('-n')) v = a.slice(2);
    else if (/^-\d+$/.test(a)) v = a.slice(1);
    else if (a.startsWith('--lines=')) v = a.slice(8);
    else if (a.startsWith('-') && a !== '-') return `invalid option -- '${a.slice(1, 2)}'`;
    else { files.push(a); continue; }
    if (v === undefined || !/^\d+$/.test(v)) return `invalid number of lines: '${v ?? ''}'`;
    n = Number(v);
  }
  return { n, files };
}

function cmdHead(argv: string[], env: Env): Res {
  const c = countArgs(argv);
  if (typeof c === 'string') return fail(`head: ${c}\n`);
  const { text, err } = inputOf(c.files, env, 'head');
  return { out: splitLines(text).slice(0, c.n).map((l) => l + '\n').join(''), err, status: err ? 1 : 0 };
}

function cmdTail(argv: string[], env: Env): Res {
  const c = countArgs(argv);
  if (typeof c === 'string') return fail(`tail: ${c}\n`);
  const { text, err } = inputOf(c.files, env, 'tail');
  const lines = splitLines(text);
  return { out: (c.n === 0 ? [] : lines.slice(-c.n)).map((l) => l + '\n').join(''), err, status: err ? 1 : 0 };
}

/** A basic regular expression (grep's default) as a JS RegExp: `.`, `*`, `^`, `$`, `[...]` keep their meaning. */
function breToRegExp(p: string, flags: string): RegExp {
  let src = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) { src += '\\' + p[++i]; continue; }
    if ('.*[]^$'.includes(c)) { src += c; continue; }
    src += c.replace(/[|+?(){}/]/g, '\\$&');
  }
  try { return new RegExp(src, flags); } catch { return new RegExp(p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), flags); }
}

function cmdGrep(argv: string[], env: Env): Res {
  let invert = false; let icase = false; let count = false; let number = false; let fixed = false;
  const rest: string[] = [];
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') && a.length > 1 && rest.length === 0) {
      for (const c of a.slice(1)) {
        if (c === 'v') invert = true; else if (c === 'i') icase = true; else if (c === 'c') count = true;
        else if (c === 'n') number = true; else if (c === 'F') fixed = true; else if (c === 'E') continue;
        else return fail(`grep: invalid option -- '${c}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`, 2);
      }
    } else rest.push(a);
  }
  const [pat, ...files] = rest;
  if (pat === undefined) return fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", 2);
  const { text, err } = inputOf(files, env, 'grep');
  const re = fixed ? new RegExp(pat.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), icase ? 'i' : '') : breToRegExp(pat, icase ? 'i' : '');
  const hits = splitLines(text).map((l, i) => ({ l, i })).filter(({ l }) => re.test(l) !== invert);
  const out = count ? `${hits.length}\n` : hits.map(({ l, i }) => (number ? `${i + 1}:` : '') + l + '\n').join('');
  return { out, err, status: err ? 2 : hits.length ? 0 : 1 };
}

function cmdWc(argv: string[], env: Env): Res {
  const flags = argv.slice(1).filter((a) => a.startsWith('-')).join('');
  const files = argv.slice(1).filter((a) => !a.startsWith('-'));
  const { text, err } = inputOf(files, env, 'wc');
  const counts: number[] = [];
  const want = (c: string): boolean => flags === '' || flags.includes(c);
  if (want('l')) counts.push((text.match(/\n/g) ?? []).length);
  if (want('w')) counts.push(text.split(/\s+/).filter(Boolean).length);
  if (want('c')) counts.push(new TextEncoder().encode(text).length);
  const line = counts.length === 1 ? String(counts[0]) : counts.map((n) => String(n).padStart(7, ' ')).join(' ');
  return { out: line + (files.length ? ` ${files.join(' ')}` : '') + '\n', err, status: err ? 1 : 0 };
}

function cmdTee(argv: string[], env: Env): Res {
  const append = argv.includes('-a') || argv.includes('--append');
  const data = env.stdin ?? '';
  let err = '';
  for (const a of argv.slice(1).filter((x) => !x.startsWith('-'))) {
    const w = writeFile(env, resolvePath(env.st, a), data, append);
    if (w) err += `tee: ${a}: ${w}\n`;
  }
  return { out: data, err, status: err ? 1 : 0 };
}

function cmdTouch(argv: string[], env: Env): Res {
  let err = '';
  for (const a of argv.slice(1).filter((x) => !x.startsWith('-'))) {
    const p = resolvePath(env.st, a);
    if (lookup(env, p)) continue;
    const w = writeFile(env, p, '', true);
    if (w) err += busybox(env.f) ? `touch: ${a}: ${w}\n` : `touch: cannot touch '${a}': ${w}\n`;
  }
  return { out: '', err, status: err ? 1 : 0 };
}

function cmdRm(argv: string[], env: Env): Res {
  const force = argv.slice(1).some((a) => /^-[a-zA-Z]*f/.test(a));
  let err = '';
  for (const a of argv.slice(1).filter((x) => !x.startsWith('-'))) {
    const p = resolvePath(env.st, a);
    const files = env.st.files ?? {};
    if (files[p] !== undefined) {
      if (!canEnter(env, parentOf(p))) { err += `rm: cannot remove '${a}': Permission denied\n`; continue; }
      const next = { ...files };
      delete next[p];
      env.st.files = next;
      continue;
    }
    const node = lookup(env, p);
    if (!node) { if (!force) err += busybox(env.f) ? `rm: can't remove '${a}': No such file or directory\n` : `rm: cannot remove '${a}': No such file or directory\n`; }
    else if (node.kind === 'dir') err += busybox(env.f) ? `rm: '${a}' is a directory\n` : `rm: cannot remove '${a}': Is a directory\n`;
    else err += busybox(env.f) ? `rm: can't remove '${a}': Permission denied\n` : `rm: cannot remove '${a}': Permission denied\n`;
  }
  return { out: '', err, status: err ? 1 : 0 };
}

function cmdPager(argv: string[], env: Env): Res {
  const { text, err } = inputOf(argv.slice(1).filter((a) => !a.startsWith('-')), env, argv[0]);
  return { out: text, err, status: err ? 1 : 0 };
}
