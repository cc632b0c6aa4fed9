import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  initialTty,
  loginBanner,
  shellPrompt,
  stressFinished,
  ttyInput,
  type GuestFacts,
  type ShellAction,
  type TtyState,
} from '../../src/machine/guest/shell.js';

const UUID = '3f0c5b7e-8d0a-4c39-9d4b-2a1f6e0c9a11';
const NOW = Date.UTC(2024, 10, 28, 10, 4, 5); // Thu Nov 28 10:04:05 UTC 2024
const DMESG =
  '[    0.000000] Linux version 6.1.0-28-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, ' +
  'GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)\r\n' +
  '[    0.000000] Hypervisor detected: Xen PV\r\n' +
  '[    1.500000] EXT4-fs (xvda1): mounted filesystem with ordered data mode. Quota mode: none.\r\n';

/** A small xenstore as xl leaves it for domain 5 (plus Domain-0's home, which the guest may not read). */
function store(): GuestFacts['xenstore'] {
  const nodes: Record<string, string> = {
    '/': '', '/local': '', '/local/domain': '', '/local/domain/0': '', '/local/domain/0/name': 'Domain-0',
    '/local/domain/5': '', '/local/domain/5/name': 'web1', '/local/domain/5/domid': '5', '/local/domain/5/vm': `/vm/${UUID}`,
    '/local/domain/5/device': '', '/local/domain/5/device/vif': '', '/local/domain/5/device/vif/0': '',
    '/local/domain/5/device/vif/0/mac': '00:16:3e:5a:01:02', '/local/domain/5/device/vif/0/state': '4',
    '/local/domain/5/memory': '', '/local/domain/5/memory/target': '524288',
    '/local/domain/5/data': '', '/local/domain/5/data/long': 'x'.repeat(90), '/local/domain/5/data/tab': 'a\tb',
    [`/vm/${UUID}`]: '', [`/vm/${UUID}/name`]: 'web1',
  };
  return {
    read: (p) => nodes[p],
    list: (p) => {
      if (nodes[p] === undefined) return [];
      const pre = p === '/' ? '/' : p + '/';
      return Object.keys(nodes).filter((k) => k !== p && k.startsWith(pre) && !k.slice(pre.length).includes('/')).map((k) => k.slice(pre.length));
    },
  };
}

function facts(o: Partial<GuestFacts> = {}): GuestFacts {
  return {
    hostname: 'web1', domid: 5, type: 'pv', flavour: 'debian', kernelRelease: '6.1.0-28-amd64', xenVersion: '4.20.0',
    uptimeMs: 3_723_000, nowMs: NOW, memKiB: 524288, vcpusOnline: 2,
    nics: [{ devid: 0, mac: '00:16:3E:5A:01:02', ip: '192.168.1.50', connected: true }],
    disks: [{ vdev: 'xvda', sectors: 20971520 }, { vdev: 'xvdb', sectors: 2097152 }],
    xenstore: store(), dmesg: DMESG,
    ...o,
  };
}

/** A console session: type into it and read what it shows. */
class Console {
  state: TtyState = initialTty();
  screen = '';
  actions: ShellAction[] = [];
  constructor(public f: GuestFacts = facts()) {}
  /** Types `s`; returns what this input printed. */
  type(s: string): string {
    const r = ttyInput(this.state, s, this.f);
    this.state = r.state;
    this.screen += r.output;
    this.actions.push(...r.actions);
    return r.output;
  }
  login(user = 'root'): this {
    this.type(`${user}\r`);
    this.type('secret\r');
    return this;
  }
  /** Runs a command line and returns its output lines (between the echoed line and the next prompt). */
  run(cmd: string): string {
    const out = this.type(cmd + '\r');
    const echo = cmd + '\r\n';
    expect(out.startsWith(echo)).toBe(true);
    const prompt = shellPrompt(this.state, this.f);
    const body = out.slice(echo.length);
    if (this.state.mode === 'shell' && !this.state.fg && !this.state.halted) {
      expect(body.endsWith(prompt)).toBe(true);
      return body.slice(0, body.length - prompt.length);
    }
    return body;
  }
}

const rootShell = (o: Partial<GuestFacts> = {}): Console => new Console(facts(o)).login();

describe('login', () => {
  test('user name echoes, the password does not, then the Debian MOTD and a root prompt', () => {
    const c = new Console();
    expect(c.type('root')).toBe('root');
    expect(c.type('\r')).toBe('\r\nPassword: ');
    expect(c.type('hunter2')).toBe('');
    const out = c.type('\r');
    expect(out.startsWith('\r\nLinux web1 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22) x86_64\r\n\r\n')).toBe(true);
    expect(out).toContain('Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\r\npermitted by applicable law.\r\n');
    expect(out).not.toContain('hunter2');
    expect(out.endsWith('\r\nroot@web1:~# ')).toBe(true);
    expect(c.state).toMatchObject({ mode: 'shell', user: 'root', cwd: '/root', line: '' });
  });

  test('an empty user name shows the issue and the login prompt again', () => {
    const c = new Console();
    expect(c.type('\r')).toBe('\r\n' + loginBanner(c.f));
    expect(loginBanner(c.f)).toBe('\r\nDebian GNU/Linux 12 web1 hvc0\r\n\r\nweb1 login: ');
    expect(c.state.mode).toBe('login');
  });

  test('banners per flavour match the boot log (HVM guests use ttyS0)', () => {
    expect(loginBanner(facts({ flavour: 'alpine', kernelRelease: '6.6.58-0-virt' })))
      .toBe('\r\nWelcome to Alpine Linux 3.20\r\nKernel 6.6.58-0-virt on an x86_64 (/dev/hvc0)\r\n\r\nweb1 login: ');
    expect(loginBanner(facts({ flavour: 'fedora', kernelRelease: '6.11.4-301.fc41.x86_64', type: 'hvm' })))
      .toBe('\r\nFedora Linux 41 (Server Edition)\r\nKernel 6.11.4-301.fc41.x86_64 on an x86_64 (ttyS0)\r\n\r\nweb1 login: ');
    expect(loginBanner(facts({ flavour: 'ubuntu', kernelRelease: '6.12.9-custom' }))).toBe('\r\nLinux web1 hvc0\r\n\r\nweb1 login: ');
  });

  test('prompts: bash for users and root, Fedora brackets, Alpine ash; ~ only for the home directory', () => {
    const u = new Console().login('alice');
    expect(u.screen.endsWith('alice@web1:~$ ')).toBe(true);
    expect(u.state.cwd).toBe('/home/alice');
    u.run('cd /tmp');
    expect(shellPrompt(u.state, u.f)).toBe('alice@web1:/tmp$ ');
    const r = rootShell();
    r.run('cd /proc/xen');
    expect(shellPrompt(r.state, r.f)).toBe('root@web1:/proc/xen# ');
    expect(r.run('pwd')).toBe('/proc/xen\r\n');
    r.run('cd');
    expect(shellPrompt(r.state, r.f)).toBe('root@web1:~# ');
    const fed = rootShell({ flavour: 'fedora' });
    expect(fed.screen).toContain('Web console: https://web1:9090/ or https://192.168.1.50:9090/\r\n\r\n');
    expect(fed.screen.endsWith('[root@web1 ~]# ')).toBe(true);
    fed.run('cd /sys/hypervisor');
    expect(shellPrompt(fed.state, fed.f)).toBe('[root@web1 hypervisor]# ');
    const alp = rootShell({ flavour: 'alpine' });
    expect(alp.screen).toContain('Welcome to Alpine!\r\n');
    expect(alp.screen.endsWith('\r\nweb1:~# ')).toBe(true);
  });

  test('the second login shows pam_lastlog\'s "Last login" line', () => {
    const c = rootShell();
    expect(c.screen).not.toContain('Last login');
    c.type('exit\r');
    c.f = { ...c.f, nowMs: NOW + 60_000 };
    c.login();
    expect(c.screen).toContain('permitted by applicable law.\r\nLast login: Thu Nov 28 10:04:05 UTC 2024 on hvc0\r\nroot@web1:~# ');
  });
});

describe('line discipline', () => {
  test('backspace erases one character with \\b \\b, nothing on an empty line', () => {
    const c = rootShell();
    expect(c.type('\x7f')).toBe('');
    expect(c.type('whoamx')).toBe('whoamx');
    expect(c.type('\x7f')).toBe('\b \b');
    expect(c.type('\bi')).toBe('\b \bi'); // ^H erases too
    expect(c.state.line).toBe('whoai');
    c.type('\x7fmi');
    expect(c.type('\r')).toBe('\r\nroot\r\nroot@web1:~# ');
  });

  test('Ctrl-U kills the line, Ctrl-C prints ^C and a fresh prompt', () => {
    const c = rootShell();
    c.type('echo abc');
    expect(c.type('\x15')).toBe('\b \b'.repeat(8));
    expect(c.state.line).toBe('');
    c.type('uname');
    expect(c.type('\x03')).toBe('^C\r\nroot@web1:~# ');
    expect(c.state.line).toBe('');
  });

  test('CR, LF and CR LF each submit once', () => {
    const c = rootShell();
    const prompt = 'root@web1:~# ';
    expect(c.type('true\r\n')).toBe(`true\r\n${prompt}`);
    expect(c.type('true\n')).toBe(`true\r\n${prompt}`);
    expect(c.type('true\r')).toBe(`true\r\n${prompt}`);
    expect(c.type('\n')).toBe(''); // the LF of the CR LF split across two reads
    expect(c.type('\r\r')).toBe(`\r\n${prompt}\r\n${prompt}`);
  });

  test('escape sequences (arrows, function keys, Alt-x) are swallowed, not echoed', () => {
    const c = rootShell();
    expect(c.type('\x1b[A\x1b[B\x1b[1;5C\x1bOP\x1b[15~\x1bx')).toBe('');
    expect(c.type('who\x1b[Dami')).toBe('whoami');
    expect(c.state.line).toBe('whoami');
  });

  test('Ctrl-D logs out on an empty line only; exit and logout print "logout" and getty starts again', () => {
    const c = rootShell();
    c.type('ab');
    expect(c.type('\x04')).toBe('');
    c.type('\x15');
    expect(c.type('\x04')).toBe('logout\r\n' + loginBanner(c.f));
    expect(c.state).toMatchObject({ mode: 'login', user: '', line: '', cwd: '/' });
    c.login();
    expect(c.run('logout')).toBe('logout\r\n' + loginBanner(c.f));
    c.login();
    expect(c.run('exit')).toBe('logout\r\n' + loginBanner(c.f));
  });

  test('a whole paste with several lines runs each in turn', () => {
    const c = new Console();
    const out = c.type('root\rpw\rhostname\rwhoami\r');
    expect(out.endsWith('root@web1:~# hostname\r\nweb1\r\nroot@web1:~# whoami\r\nroot\r\nroot@web1:~# ')).toBe(true);
  });

  test('chunking does not matter: any split of the same input gives the same output and state', () => {
    const script =
      'alice\r\x7fpw\r' + 'ech\x1b[Ao hi there\r\n' + 'uname -r\x15uname -a\r' + 'sudo cat /proc/xen/capabilities\r' +
      'cd /tmp; pwd\n' + "echo 'a  b' \"$USER\" > f; cat f\r" + 'sudo stress -c 2 -t 5\rtyped ahead\x7f\x7f\rmore\x03' +
      'stress-ng --cpu 1\r\x03' + 'xenstore-ls\rsudo xenstore-ls device\r' + 'nope\r\x03\x04' + 'root\rpw\recho c > /proc/sysrq-trigger\rtrue\r';
    const f = facts();
    const whole = ttyInput(initialTty(), script, f);
    expect(whole.state.halted).toBe(true);
    expect(whole.actions.map((a) => a.kind)).toEqual(['stress', 'stress-stop', 'stress', 'stress-stop', 'panic']);
    const chars = [...script];
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: chars.length - 1 }), { maxLength: 40 }), (cuts) => {
        const points = [0, ...[...cuts].sort((a, b) => a - b), chars.length];
        let st = initialTty();
        let out = '';
        const actions: ShellAction[] = [];
        for (let i = 0; i + 1 < points.length; i++) {
          const r = ttyInput(st, chars.slice(points[i], points[i + 1]).join(''), f);
          st = r.state;
          out += r.output;
          actions.push(...r.actions);
        }
        expect(out).toBe(whole.output);
        expect(st).toEqual(whole.state);
        expect(actions).toEqual(whole.actions);
      }),
      { numRuns: 200 },
    );
  });

  test('deterministic: the same state, input and facts give the same bytes', () => {
    const a = ttyInput(initialTty(), 'root\rpw\ruptime\rfree\rstress -c 1\r', facts());
    const b = ttyInput(initialTty(), 'root\rpw\ruptime\rfree\rstress -c 1\r', facts());
    expect(b).toEqual(a);
  });
});

describe('commands', () => {
  test('uname follows coreutils (busybox on Alpine) and agrees with the kernel', () => {
    const c = rootShell();
    expect(c.run('uname')).toBe('Linux\r\n');
    expect(c.run('uname -r')).toBe('6.1.0-28-amd64\r\n');
    expect(c.run('uname -rs')).toBe('Linux 6.1.0-28-amd64\r\n');
    expect(c.run('uname -m -n')).toBe('web1 x86_64\r\n');
    expect(c.run('uname -v')).toBe('#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)\r\n');
    expect(c.run('uname -a')).toBe('Linux web1 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22) x86_64 GNU/Linux\r\n');
    expect(c.run('uname -x')).toBe("uname: invalid option -- 'x'\r\nTry 'uname --help' for more information.\r\n");
    const fed = rootShell({ flavour: 'fedora', kernelRelease: '6.11.4-301.fc41.x86_64', dmesg: '' });
    expect(fed.run('uname -a')).toBe('Linux web1 6.11.4-301.fc41.x86_64 #1 SMP PREEMPT_DYNAMIC x86_64 x86_64 x86_64 GNU/Linux\r\n');
    const alp = rootShell({ flavour: 'alpine', kernelRelease: '6.6.58-0-virt', dmesg: '' });
    expect(alp.run('uname -a')).toBe('Linux web1 6.6.58-0-virt #1-Alpine SMP PREEMPT_DYNAMIC x86_64 Linux\r\n');
  });

  test('hostname, whoami, id, nproc, echo, true/false and $?', () => {
    const c = rootShell();
    expect(c.run('hostname')).toBe('web1\r\n');
    expect(c.run('whoami')).toBe('root\r\n');
    expect(c.run('id')).toBe('uid=0(root) gid=0(root) groups=0(root)\r\n');
    expect(c.run('nproc')).toBe('2\r\n');
    expect(c.run('echo hello   "big  world" \'$HOME\' $HOME')).toBe('hello big  world $HOME /root\r\n');
    expect(c.run('false; echo $?')).toBe('1\r\n');
    expect(c.run('true && echo yes || echo no')).toBe('yes\r\n');
    const u = new Console().login('bob');
    expect(u.run('id')).toBe('uid=1000(bob) gid=1000(bob) groups=1000(bob)\r\n');
    expect(u.run('sudo whoami')).toBe('root\r\n');
  });

  test('unknown commands: bash and ash wording', () => {
    expect(rootShell().run('foo')).toBe('-bash: foo: command not found\r\n');
    expect(rootShell({ flavour: 'alpine' }).run('foo --bar')).toBe('-ash: foo: not found\r\n');
    const c = rootShell();
    c.run('foo');
    expect(c.run('echo $?')).toBe('127\r\n');
  });

  test('uptime and date come from the facts, in procps and GNU date layout', () => {
    const c = rootShell();
    expect(c.run('uptime')).toBe(' 10:04:05 up  1:02,  1 user,  load average: 0.00, 0.00, 0.00\r\n');
    expect(c.run('date')).toBe('Thu Nov 28 10:04:05 UTC 2024\r\n');
    expect(c.run('date +%F_%T')).toBe('2024-11-28_10:04:05\r\n');
    const young = rootShell({ uptimeMs: 5 * 60_000 + 3000 });
    expect(young.run('uptime')).toBe(' 10:04:05 up 5 min,  1 user,  load average: 0.00, 0.00, 0.00\r\n');
    const old = rootShell({ uptimeMs: 2 * 86400_000 + 3 * 3600_000 + 7 * 60_000 });
    expect(old.run('uptime')).toBe(' 10:04:05 up 2 days,  3:07,  1 user,  load average: 0.00, 0.00, 0.00\r\n');
    expect(rootShell({ flavour: 'alpine' }).run('uptime')).toBe(' 10:04:05 up  1:02,  load average: 0.00, 0.00, 0.00\r\n');
  });

  test('the load average rises with stress workers and decays afterwards', () => {
    const c = rootShell({ uptimeMs: 100_000 });
    c.type('stress -c 4\r');
    c.f = { ...c.f, uptimeMs: 400_000 };
    c.type('\x03');
    const load = (): number[] => c.run('uptime').match(/load average: (.*)\r\n/)![1].split(', ').map(Number);
    const [l1, l5, l15] = load();
    expect(l1).toBeGreaterThan(3.9);
    expect(l5).toBeGreaterThan(2);
    expect(l15).toBeGreaterThan(1);
    expect(l1).toBeLessThanOrEqual(4);
    c.f = { ...c.f, uptimeMs: 700_000 };
    expect(load()[0]).toBeLessThan(0.1);
  });

  test('free: procps-ng 4 columns (busybox on Alpine), total from memKiB, consistent with /proc/meminfo', () => {
    const c = rootShell();
    const lines = c.run('free').split('\r\n');
    expect(lines[0]).toBe('               total        used        free      shared  buff/cache   available');
    expect(lines[1]).toMatch(/^Mem: {9,}\d+ +\d+ +\d+ +\d+ +\d+ +\d+$/);
    expect(lines[1].length).toBe(lines[0].length);
    expect(lines[2]).toBe('Swap:              0           0           0');
    const [total, used, free, , cache, avail] = lines[1].split(/\s+/).slice(1).map(Number);
    expect(total).toBeLessThan(524288);
    expect(total).toBeGreaterThan(524288 * 0.9);
    expect(used).toBe(total - avail);
    expect(free + cache).toBeLessThanOrEqual(total);
    const mem = c.run('cat /proc/meminfo').split('\r\n');
    expect(mem[0]).toBe(`MemTotal:       ${String(total).padStart(8)} kB`);
    expect(mem[1]).toBe(`MemFree:        ${String(free).padStart(8)} kB`);
    expect(mem[2]).toBe(`MemAvailable:   ${String(avail).padStart(8)} kB`);
    expect(c.run('free -m').split('\r\n')[1]).toMatch(new RegExp(`^Mem: +${Math.floor(total / 1024)} `));
    expect(c.run('free -h').split('\r\n')[1]).toMatch(/^Mem: +\d+Mi +\d+Mi +\d+Mi +\d+Ki +\d+Mi +\d+Mi$/);
    expect(rootShell({ memKiB: 8 * 1024 * 1024 }).run('free -h').split('\r\n')[1]).toMatch(/^Mem: +7\.\dGi /);
    expect(c.run('free -m -k')).toBe("free: Multiple unit options don't make sense.\r\n");
    const alp = rootShell({ flavour: 'alpine' }).run('free').split('\r\n');
    expect(alp[0]).toBe('              total        used        free      shared  buff/cache   available');
    expect(alp[2]).toBe('Swap:             0           0           0');
  });

  test('cat of the Xen and system files', () => {
    const c = rootShell();
    expect(c.run('cat /proc/xen/capabilities')).toBe(''); // only Domain-0 has control_d
    expect(c.run('cat /sys/hypervisor/type')).toBe('xen\r\n');
    expect(c.run('cat /sys/hypervisor/uuid')).toBe(`${UUID}\r\n`);
    expect(c.run('cat /sys/hypervisor/guest_type')).toBe('PV\r\n');
    expect(c.run('cat /sys/hypervisor/version/major /sys/hypervisor/version/minor /sys/hypervisor/version/extra')).toBe('4\r\n20\r\n.0\r\n');
    expect(c.run('cat /etc/hostname')).toBe('web1\r\n');
    expect(c.run('cat /etc/os-release').split('\r\n')[0]).toBe('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"');
    expect(c.run('cat /proc/version')).toBe(
      'Linux version 6.1.0-28-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) ' +
      '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)\r\n');
    expect(c.run('cat /etc/shadow')).toBe('cat: /etc/shadow: No such file or directory\r\n');
    expect(c.run('cat /proc')).toBe('cat: /proc: Is a directory\r\n');
    expect(rootShell({ flavour: 'alpine' }).run('cat /nope')).toBe("cat: can't open '/nope': No such file or directory\r\n");
    expect(rootShell({ flavour: 'ubuntu' }).run('cat /etc/os-release')).toContain('VERSION_CODENAME=noble\r\n');
  });

  test('/proc/cpuinfo: one block per online vCPU with the hypervisor flag', () => {
    const c = rootShell({ vcpusOnline: 3 });
    const info = c.run('cat /proc/cpuinfo');
    const blocks = info.split('\r\n\r\n').filter(Boolean);
    expect(blocks).toHaveLength(3);
    blocks.forEach((b, i) => {
      expect(b.startsWith(`processor\t: ${i}\r\nvendor_id\t: GenuineIntel\r\n`)).toBe(true);
      expect(b).toMatch(/\r\nflags\t\t: [^\r]* hypervisor /);
    });
    expect(c.run('grep -c processor /proc/cpuinfo')).toBe('3\r\n');
  });

  test('ls of /, /proc/xen and /sys/hypervisor in GNU ls columns', () => {
    const c = rootShell();
    expect(c.run('ls /proc/xen')).toBe('capabilities  privcmd  xenbus\r\n');
    expect(c.run('ls /sys/hypervisor')).toBe('compilation  guest_type  properties  type  uuid  version\r\n');
    const root = c.run('ls /').split('\r\n').filter(Boolean);
    expect(root.length).toBeGreaterThan(1);
    for (const l of root) expect(l.length).toBeLessThan(80);
    expect(root[0].startsWith('bin ')).toBe(true);
    expect(c.run('ls / | head -3')).toBe('bin\r\nboot\r\ndev\r\n'); // one per line into a pipe
    expect(c.run('ls /nope')).toBe("ls: cannot access '/nope': No such file or directory\r\n");
    expect(c.run('ls')).toBe('');
  });

  test('ip addr / ip link in iproute2 layout; a disconnected vif has no carrier', () => {
    const c = rootShell({
      vcpusOnline: 1,
      nics: [{ devid: 0, mac: '00:16:3e:5a:01:02', ip: '10.0.0.5/16', connected: true }, { devid: 1, mac: '00:16:3e:5a:01:03', connected: false }],
    });
    expect(c.run('ip addr')).toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\r\n' +
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\r\n' +
      '    inet 127.0.0.1/8 scope host lo\r\n' +
      '       valid_lft forever preferred_lft forever\r\n' +
      '    inet6 ::1/128 scope host \r\n' +
      '       valid_lft forever preferred_lft forever\r\n' +
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\r\n' +
      '    link/ether 00:16:3e:5a:01:02 brd ff:ff:ff:ff:ff:ff\r\n' +
      '    inet 10.0.0.5/16 brd 10.0.255.255 scope global eth0\r\n' +
      '       valid_lft forever preferred_lft forever\r\n' +
      '    inet6 fe80::216:3eff:fe5a:102/64 scope link \r\n' +
      '       valid_lft forever preferred_lft forever\r\n' +
      '3: eth1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc fq_codel state DOWN group default qlen 1000\r\n' +
      '    link/ether 00:16:3e:5a:01:03 brd ff:ff:ff:ff:ff:ff\r\n',
    );
    expect(c.run('ip a')).toBe(c.run('ip address show'));
    expect(c.run('ip link')).toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\r\n' +
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\r\n' +
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000\r\n' +
      '    link/ether 00:16:3e:5a:01:02 brd ff:ff:ff:ff:ff:ff\r\n' +
      '3: eth1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc fq_codel state DOWN mode DEFAULT group default qlen 1000\r\n' +
      '    link/ether 00:16:3e:5a:01:03 brd ff:ff:ff:ff:ff:ff\r\n',
    );
    expect(c.run('ip route')).toBe('10.0.0.0/16 dev eth0 proto kernel scope link src 10.0.0.5 \r\n');
  });

  test('lsblk and /proc/partitions from the disks (sizes from sectors × 512), root partition from the boot log', () => {
    const c = rootShell({ disks: [{ vdev: 'xvda', sectors: 20971520 }, { vdev: 'xvdb', sectors: 2097152 }] });
    expect(c.run('lsblk')).toBe(
      'NAME    MAJ:MIN RM  SIZE RO TYPE MOUNTPOINTS\r\n' +
      'xvda    202:0    0   10G  0 disk \r\n' +
      '└─xvda1 202:1    0   10G  0 part /\r\n' +
      'xvdb    202:16   0    1G  0 disk \r\n',
    );
    expect(c.run('cat /proc/partitions')).toBe(
      'major minor  #blocks  name\r\n\r\n' +
      ' 202        0   10485760 xvda\r\n' +
      ' 202        1   10484736 xvda1\r\n' +
      ' 202       16    1048576 xvdb\r\n',
    );
    // HVM disks named hda/sda appear as xvda/xvde through blkfront (xen_translate_vdev).
    const h = rootShell({ type: 'hvm', dmesg: '', disks: [{ vdev: 'hda', sectors: 4194304 }, { vdev: 'sda', sectors: 1000000 }] });
    expect(h.run('lsblk')).toBe(
      'NAME    MAJ:MIN RM   SIZE RO TYPE MOUNTPOINTS\r\n' +
      'xvda    202:0    0     2G  0 disk \r\n' +
      '└─xvda1 202:1    0     2G  0 part /\r\n' +
      'xvde    202:64   0 488.3M  0 disk \r\n',
    );
  });

  test('xenstore-ls: one space of indent per level, xenstore_client.c quoting and 80-column truncation', () => {
    const c = rootShell();
    expect(c.run('xenstore-ls device')).toBe(
      'vif = ""\r\n 0 = ""\r\n  mac = "00:16:3e:5a:01:02"\r\n  state = "4"\r\n',
    );
    const data = c.run('xenstore-ls /local/domain/5/data').split('\r\n');
    expect(data[0]).toBe(`long = "${'x'.repeat(66)}\\..."`);
    expect(data[1]).toBe('tab = "a\\tb"');
    expect(c.run('xenstore-ls -f device/vif/0')).toBe('device/vif/0/mac = "00:16:3e:5a:01:02"\r\ndevice/vif/0/state = "4"\r\n');
    expect(c.run(`xenstore-ls /vm/${UUID}`)).toBe('name = "web1"\r\n');
  });

  test('xenstore tools resolve relative paths in the guest\'s home and are refused elsewhere', () => {
    const c = rootShell();
    expect(c.run('xenstore-read name')).toBe('web1\r\n');
    expect(c.run('xenstore-read domid memory/target')).toBe('5\r\n524288\r\n');
    expect(c.run('xenstore-read -p name')).toBe('name: web1\r\n');
    expect(c.run('xenstore-read /local/domain/0/name')).toBe("xenstore-read: couldn't read path /local/domain/0/name\r\n");
    expect(c.run('xenstore-read nope')).toBe("xenstore-read: couldn't read path nope\r\n");
    expect(c.run('xenstore-ls')).toBe('xenstore-ls: xs_directory (/): Permission denied\r\n');
    expect(c.run('xenstore-ls /local/domain/0')).toBe('xenstore-ls: xs_directory (/local/domain/0): Permission denied\r\n');
    expect(c.run('xenstore-ls nope')).toBe('xenstore-ls: xs_directory (nope): No such file or directory\r\n');
    expect(c.run('xenstore-list device/vif')).toBe('0\r\n');
    expect(c.run('xenstore-list -p device')).toBe('device/vif\r\n');
    expect(c.run('xenstore-list /local/domain')).toBe('xenstore-list: could not list path /local/domain\r\n');
    expect(c.run('xenstore-exists name; echo $?')).toBe('0\r\n');
    expect(c.run('xenstore-exists /local/domain/0; echo $?')).toBe('1\r\n');
    expect(c.run('xenstore-read')).toBe('xenstore-read: Usage: xenstore-read [-h] [-p] [-R] key [...]\r\n');
    const u = new Console().login('bob');
    expect(u.run('xenstore-read name')).toBe('xenstore-read: xs_open: Permission denied\r\n');
    expect(u.run('sudo xenstore-read name')).toBe('web1\r\n');
  });

  test('dmesg prints the kernel log (root only on Debian), with | tail and | head', () => {
    const c = rootShell();
    expect(c.run('dmesg')).toBe(DMESG);
    expect(c.run('dmesg | tail -n 1')).toBe('[    1.500000] EXT4-fs (xvda1): mounted filesystem with ordered data mode. Quota mode: none.\r\n');
    expect(c.run('dmesg | head -2 | tail -1')).toBe('[    0.000000] Hypervisor detected: Xen PV\r\n');
    expect(c.run('dmesg | grep -i xen')).toBe('[    0.000000] Hypervisor detected: Xen PV\r\n');
    expect(new Console().login('bob').run('dmesg')).toBe('dmesg: read kernel buffer failed: Operation not permitted\r\n');
  });

  test('files written with > and >> can be read back; others\' places are refused', () => {
    const c = new Console().login('bob');
    expect(c.run('echo one > notes; echo two >> notes; cat notes')).toBe('one\r\ntwo\r\n');
    expect(c.run('ls')).toBe('notes\r\n');
    expect(c.run('echo x > /etc/motd')).toBe('-bash: /etc/motd: Permission denied\r\n');
    expect(c.run('ls /root')).toBe("ls: cannot open directory '/root': Permission denied\r\n");
    expect(c.run('rm notes; ls')).toBe('');
  });
});

describe('stress', () => {
  test('stress -c N prints its dispatch line, emits the action and holds the prompt until Ctrl-C', () => {
    const c = rootShell();
    const out = c.type('stress -c 2\r');
    expect(out).toMatch(/^stress -c 2\r\nstress: info: \[(\d+)\] dispatching hogs: 2 cpu, 0 io, 0 vm, 0 hdd\r\n$/);
    const pid = Number(/\[(\d+)\]/.exec(out)![1]);
    expect(c.actions).toEqual([{ kind: 'stress', workers: 2, pid }]);
    expect(c.state.fg).toMatchObject({ prog: 'stress', pid, workers: 2 });
    expect(c.type('ls')).toBe('ls'); // the tty still echoes
    expect(c.type('\x03')).toBe('^C\r\nroot@web1:~# ');
    expect(c.actions.at(-1)).toEqual({ kind: 'stress-stop' });
    expect(c.state.fg).toBeUndefined();
    expect(c.state.line).toBe(''); // Ctrl-C flushed the type-ahead
    expect(c.run('echo $?')).toBe('130\r\n');
  });

  test('stress -t runs out: the completion line, the prompt, then what was typed meanwhile runs', () => {
    const c = rootShell();
    c.type('stress --cpu 1 --timeout 10s; echo after\r');
    expect(c.actions).toEqual([{ kind: 'stress', workers: 1, seconds: 10, pid: c.state.fg!.pid }]);
    expect(c.type('hostname\r')).toBe('hostname\r\n');
    const pid = c.state.fg!.pid;
    const r = stressFinished(c.state, c.f, 10);
    expect(r.output).toBe(
      `stress: info: [${pid}] successful run completed in 10s\r\nafter\r\nroot@web1:~# hostname\r\nweb1\r\nroot@web1:~# `,
    );
    expect(r.actions).toEqual([]);
    expect(r.state.fg).toBeUndefined();
    expect(stressFinished(r.state, c.f, 10).output).toBe(''); // nothing is running any more
  });

  test('stress with -m/-i counts every hog; no hogs prints the usage', () => {
    const c = rootShell();
    expect(c.type('stress -c 1 -i 1 -m 2 -t 1m\r')).toMatch(/dispatching hogs: 1 cpu, 1 io, 2 vm, 0 hdd\r\n$/);
    expect(c.actions[0]).toMatchObject({ kind: 'stress', workers: 4, seconds: 60 });
    c.type('\x03');
    expect(c.run('stress').startsWith("`stress' imposes certain types of compute stress on your system\r\n")).toBe(true);
  });

  test('stress-ng --cpu N --timeout T: its own wording, summary at the end or on Ctrl-C', () => {
    const c = rootShell();
    const out = c.type('stress-ng --cpu 3 --timeout 60\r');
    const pid = c.state.fg!.pid;
    expect(out).toBe(
      `stress-ng --cpu 3 --timeout 60\r\nstress-ng: info:  [${pid}] setting to a 1 min, 0 secs run per stressor\r\n` +
      `stress-ng: info:  [${pid}] dispatching hogs: 3 cpu\r\n`,
    );
    expect(c.actions).toEqual([{ kind: 'stress', workers: 3, seconds: 60, pid }]);
    const done = stressFinished(c.state, c.f, 60);
    expect(done.output).toBe(
      `stress-ng: info:  [${pid}] skipped: 0\r\nstress-ng: info:  [${pid}] passed: 3: cpu (3)\r\nstress-ng: info:  [${pid}] failed: 0\r\n` +
      `stress-ng: info:  [${pid}] metrics untrustworthy: 0\r\nstress-ng: info:  [${pid}] successful run completed in 1 min, 0.00 secs\r\n` +
      'root@web1:~# ',
    );
    const d = rootShell({ vcpusOnline: 4 });
    expect(d.type('stress-ng --cpu 0\r')).toContain('defaulting to a 1 day, 0 secs run per stressor\r\n');
    expect(d.actions[0]).toMatchObject({ workers: 4 });
    d.f = { ...d.f, uptimeMs: d.f.uptimeMs + 2500 };
    const stop = d.type('\x03');
    expect(stop.startsWith(`^Cstress-ng: info:  [${d.state.lastStressPid}] skipped: 0\r\n`)).toBe(true);
    expect(stop.endsWith('successful run completed in 2.50 secs\r\nroot@web1:~# ')).toBe(true);
  });

  test('a stress the machine runs but the state does not know about still holds the console', () => {
    const c = rootShell();
    c.f = { ...c.f, stress: { workers: 2, pid: 4321 } };
    expect(c.type('ls\r')).toBe('ls\r\n');
    expect(c.type('\x03')).toBe('^C\r\nroot@web1:~# ');
    expect(c.actions).toEqual([{ kind: 'stress-stop' }]);
    expect(c.type('true\r')).toBe('true\r\nroot@web1:~# '); // the same stale stress is not adopted again
  });
});

describe('power and sysrq', () => {
  test.each([
    ['poweroff', 'poweroff'],
    ['halt', 'halt'],
    ['reboot', 'reboot'],
    ['shutdown -h now', 'poweroff'],
    ['shutdown -r now', 'reboot'],
    ['systemctl reboot', 'reboot'],
  ] as const)('%s as root emits %s, prints nothing, and the console stops reading', (cmd, kind) => {
    const c = rootShell();
    expect(c.type(cmd + '\r')).toBe(cmd + '\r\n');
    expect(c.actions).toEqual([{ kind }]);
    expect(c.state.halted).toBe(true);
    expect(c.type('whoami\r')).toBe('');
  });

  test('echo c > /proc/sysrq-trigger crashes the kernel; b resets; s syncs and carries on', () => {
    const c = rootShell();
    expect(c.run('echo s > /proc/sysrq-trigger')).toBe('[ 3723.000000] sysrq: Emergency Sync\r\n[ 3723.000000] Emergency Sync complete\r\n');
    expect(c.actions).toEqual([{ kind: 'sync' }]);
    expect(c.run('sync')).toBe('');
    expect(c.actions).toEqual([{ kind: 'sync' }, { kind: 'sync' }]);
    expect(c.type('echo c > /proc/sysrq-trigger\r')).toBe('echo c > /proc/sysrq-trigger\r\n[ 3723.000000] sysrq: Trigger a crash\r\n');
    expect(c.actions.at(-1)).toEqual({ kind: 'panic' });
    expect(c.state.halted).toBe(true);
    const b = rootShell();
    b.type('echo b > /proc/sysrq-trigger\r');
    expect(b.actions).toEqual([{ kind: 'reboot' }]);
  });

  test('non-root users are refused as their tools refuse them; sudo lets them through', () => {
    const u = new Console().login('alice');
    expect(u.run('poweroff')).toBe('Call to PowerOff failed: Access denied\r\n');
    expect(u.run('reboot')).toBe('Call to Reboot failed: Access denied\r\n');
    expect(u.run('shutdown -h now')).toBe('Call to PowerOff failed: Access denied\r\n');
    expect(u.run('echo c > /proc/sysrq-trigger')).toBe('-bash: /proc/sysrq-trigger: Permission denied\r\n');
    expect(u.run('sudo echo c > /proc/sysrq-trigger')).toBe('-bash: /proc/sysrq-trigger: Permission denied\r\n'); // the redirection is the user's
    expect(u.actions).toEqual([]);
    expect(u.type('echo c | sudo tee /proc/sysrq-trigger\r')).toContain('sysrq: Trigger a crash');
    expect(u.actions).toEqual([{ kind: 'panic' }]);
    const a = new Console(facts({ flavour: 'alpine' })).login('alice');
    expect(a.run('poweroff')).toBe('poweroff: Operation not permitted\r\n');
    expect(a.run('echo c > /proc/sysrq-trigger')).toBe("-ash: can't create /proc/sysrq-trigger: Permission denied\r\n");
    expect(a.run('sudo poweroff')).toBe('-ash: sudo: not found\r\n');
    const s = new Console().login('carol');
    s.type('sudo poweroff\r');
    expect(s.actions).toEqual([{ kind: 'poweroff' }]);
  });
});

describe('help and syntax', () => {
  test('help lists the commands; clear clears; syntax errors read like bash', () => {
    const c = rootShell();
    expect(c.run('help')).toContain('xenstore-ls [PATH]');
    expect(c.run('clear')).toBe('\x1b[H\x1b[2J\x1b[3J');
    expect(c.run("echo 'oops")).toBe("-bash: unexpected EOF while looking for matching `''\r\n-bash: syntax error: unexpected end of file\r\n");
    expect(c.run('| ls')).toBe("-bash: syntax error near unexpected token `|'\r\n");
    expect(c.run('cd /nope')).toBe('-bash: cd: /nope: No such file or directory\r\n');
    expect(c.run('cd /etc/hostname')).toBe('-bash: cd: /etc/hostname: Not a directory\r\n');
  });
});
