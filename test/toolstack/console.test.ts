/**
 * `xl console` and `xl create -c` (xl-commands.md §6): the console client prints the log so
 * far, follows new output as (virtual) time passes, detaches on the escape byte with the
 * terminal restored, exits when the domain is destroyed, and fails exactly as xl does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { consoleStream, parseEscape, TTY_WAIT_MS } from '../../src/toolstack/console-follow.js';
import type { ReadResult, XlEnv } from '../../src/toolstack/io.js';
import { runXl } from '../../src/toolstack/program.js';
import { runRepl } from '../../src/toolstack/repl.js';
import { HostStore } from '../../src/toolstack/store.js';
import { SqliteBackend } from '../../src/toolstack/store/sqlite.js';
import { processTerminal, type ConsoleTerminal, type TerminalHandlers } from '../../src/toolstack/terminal.js';
import { ScriptClock, T0 } from './helpers.js';

const FILES: Record<string, string> = {
  '/etc/xen/deb.cfg': 'name = "deb"\ntype = "pv"\nkernel = "/boot/vmlinuz-6.1.0-28-amd64"\nmemory = 512\nvif = [ "bridge=xenbr0" ]\n',
  '/etc/xen/hvm.cfg': 'name = "hvm1"\ntype = "hvm"\nmemory = 1024\n',
};

/** A terminal that records raw mode and lets the test type bytes, end input or send a signal. */
class FakeTerminal implements ConsoleTerminal {
  raw = false;
  opened = 0;
  closed = 0;
  private h: TerminalHandlers | undefined;
  constructor(readonly isTTY = true) {}
  open(h: TerminalHandlers): () => void {
    this.h = h;
    this.opened++;
    if (this.isTTY) this.raw = true;
    return () => {
      this.closed++;
      this.raw = false;
      this.h = undefined;
    };
  }
  type(...bytes: number[]): void {
    this.h?.input(new Uint8Array(bytes));
  }
  end(): void {
    this.h?.end();
  }
  signal(n: number): void {
    this.h?.signal(n);
  }
  get attached(): boolean {
    return this.h !== undefined;
  }
}

function setup(opts: { terminal?: FakeTerminal; store?: HostStore } = {}) {
  const clock = new ScriptClock(T0);
  const store = opts.store ?? HostStore.inMemory();
  const chunks: string[] = [];
  let err = '';
  const env: XlEnv = {
    stdout: (s) => void chunks.push(s),
    stderr: (s) => {
      err += s;
    },
    store,
    clock,
    isTTY: false,
    terminal: opts.terminal,
    readFile: async (path: string): Promise<ReadResult> =>
      path in FILES ? { ok: true, bytes: new TextEncoder().encode(FILES[path]) } : { ok: false, code: 'ENOENT', strerror: 'No such file or directory' },
  };
  const run = async (line: string) => {
    chunks.length = 0;
    err = '';
    const code = await runXl(line.split(' ').filter((w) => w !== ''), env);
    return { code, out: chunks.join(''), chunks: [...chunks], err };
  };
  /** The domain's console log as the host holds it now (read without the console client). */
  const log = async (domid: number): Promise<string> => {
    let text = '';
    await store.withHost(clock, async (h) => {
      text = h.consoleLog(domid);
      return store.dir === undefined ? 0 : 1;
    });
    return text;
  };
  const host = async <T>(fn: (h: import('../../src/machine/host.js').Host) => T): Promise<T> => {
    let r: T | undefined;
    await store.withHost(clock, async (h) => {
      r = fn(h);
      return 0;
    });
    return r as T;
  };
  return { clock, store, env, run, log, host };
}

describe('xl console: following the guest console', () => {
  test('prints the log so far, then detaches on Ctrl-] with the terminal restored, no message', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    expect((await t.run('create /etc/xen/deb.cfg')).code).toBe(0);
    t.clock.set(T0 + 30_000);
    const sofar = await t.log(1);
    expect(sofar).toContain('Linux version 6.1.0-28-amd64');
    expect(sofar).toContain('deb login: ');
    let rawWhileAttached = false;
    t.clock.at(T0 + 30_400, () => {
      rawWhileAttached = term.raw;
      term.type(0x1d);
    });
    const r = await t.run('console deb');
    expect(r).toMatchObject({ code: 0, err: '', out: sofar });
    expect(rawWhileAttached).toBe(true);
    expect(term.raw).toBe(false);
    expect([term.opened, term.closed]).toEqual([1, 1]);
  });

  test('follows new output as time advances, printing only the new bytes', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    const first = await t.log(1);
    t.clock.at(T0 + 20_000, () => term.type(0x1d));
    const r = await t.run('console 1');
    expect(r.code).toBe(0);
    expect(r.chunks[0]).toBe(first);
    expect(r.chunks.length).toBeGreaterThan(5);
    expect(r.out).toBe(await t.log(1));
    expect(r.out).toContain('[  OK  ] Reached target multi-user.target - Multi-User System.\r\n');
    // polled every 200 ms of (virtual) wall time
    expect(t.clock.now()).toBeGreaterThanOrEqual(T0 + 20_000);
    expect(t.clock.now()).toBeLessThan(T0 + 20_000 + 400);
  });

  test('exits 0 when the domain is destroyed, after printing its last words', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    t.clock.at(T0 + 10_000, () => t.host((h) => h.requestShutdown(1, 'poweroff')));
    const r = await t.run('console deb');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('deb login: ');
    expect(r.out.endsWith(' reboot: Power down\r\n')).toBe(true);
    expect(await t.host((h) => h.domain(1))).toBeUndefined();
    expect(term.raw).toBe(false);
    expect(term.closed).toBe(1);
  });

  test('a reboot ends the console: the restarted guest has a new domid and is not re-attached', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    t.clock.at(T0 + 10_000, () => t.host((h) => h.requestShutdown(1, 'reboot')));
    const r = await t.run('console deb');
    expect(r.code).toBe(0);
    expect(r.out.endsWith(' reboot: Restarting system\r\n')).toBe(true);
    t.clock.advance(5000);
    expect(await t.host((h) => h.domidByName('deb'))).toBe(2);
  });

  test('xl destroy from elsewhere ends the console at the next poll', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    t.clock.at(T0 + 1000, () => t.host((h) => h.destroy(1)));
    const r = await t.run('console deb');
    expect(r.code).toBe(0);
    expect(t.clock.now()).toBeLessThanOrEqual(T0 + 1000 + 200);
  });

  test('detaches only when one read is exactly the escape byte; other input goes nowhere', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    t.clock.at(T0 + 1000, () => term.type(0x1d, 0x1d));
    t.clock.at(T0 + 1200, () => term.type(0x03)); // ^C is a byte in raw mode
    t.clock.at(T0 + 1400, () => term.type(0x61));
    let stillAttached = false;
    t.clock.at(T0 + 2000, () => {
      stillAttached = term.attached;
      term.type(0x1d);
    });
    const r = await t.run('console deb');
    expect(stillAttached).toBe(true);
    expect(r.code).toBe(0);
    expect(t.clock.now()).toBeGreaterThanOrEqual(T0 + 2000);
  });

  test('-e ^A makes Ctrl-A (0x01) the escape; Ctrl-] is then ordinary input', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    t.clock.at(T0 + 1000, () => term.type(0x1d));
    let attachedAfterCtrlBracket = false;
    t.clock.at(T0 + 1600, () => {
      attachedAfterCtrlBracket = term.attached;
      term.type(0x01);
    });
    const r = await t.run('console -e ^A deb');
    expect(attachedAfterCtrlBracket).toBe(true);
    expect(r.code).toBe(0);
    expect(t.clock.now()).toBeLessThan(T0 + 1600 + 200);
  });

  test('-e x makes the letter x the escape', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    t.clock.at(T0 + 600, () => term.type(0x78));
    expect((await t.run('console -e x deb')).code).toBe(0);
    expect(t.clock.now()).toBeLessThan(T0 + 800);
  });

  test('without a TTY: no raw mode; follows until standard input ends, exit 0', async () => {
    const term = new FakeTerminal(false);
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    let rawSeen = true;
    t.clock.at(T0 + 5000, () => {
      rawSeen = term.raw;
      term.end();
    });
    const r = await t.run('console deb');
    expect(rawSeen).toBe(false);
    expect(r.code).toBe(0);
    expect(r.out).toBe(await t.log(1));
    expect(r.out).toContain('Run /sbin/init as init process');
  });

  test('without a TTY: SIGINT ends the client with 128 + 2 and restores the terminal', async () => {
    const term = new FakeTerminal(false);
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    t.clock.at(T0 + 1000, () => term.signal(2));
    expect((await t.run('console deb')).code).toBe(130);
    expect(term.closed).toBe(1);
    t.clock.at(T0 + 2000, () => term.signal(15));
    expect((await t.run('console deb')).code).toBe(143);
  });

  test('with no terminal at all (REPL, palette) it prints the log so far and returns 0', async () => {
    const t = setup();
    await t.run('create /etc/xen/deb.cfg');
    t.clock.set(T0 + 3000);
    const r = await t.run('console deb');
    expect(r).toMatchObject({ code: 0, err: '', out: await t.log(1) });
    expect(r.out).toContain('Linux version');
    expect(t.clock.now()).toBe(T0 + 3000);
  });

  test('an HVM guest: the primary console is its serial port; its PV console stays silent', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/hvm.cfg');
    t.clock.at(T0 + 3000, () => term.type(0x1d));
    const serial = await t.run('console hvm1');
    expect(serial.out.startsWith('SeaBIOS (version ')).toBe(true);
    expect(serial.out).toContain('Booting from Hard Disk...\r\n');
    expect((await t.log(1)).startsWith(serial.out)).toBe(true);
    t.clock.at(T0 + 6000, () => term.type(0x1d));
    const pv = await t.run('console -t pv hvm1');
    expect(pv).toMatchObject({ code: 0, out: '', err: '' });
    t.clock.at(T0 + 9000, () => term.type(0x1d));
    const ser = await t.run('console -t serial hvm1');
    expect(ser.code).toBe(0);
    expect(ser.out).toContain('Machine UUID ');
    expect((await t.log(1)).startsWith(ser.out)).toBe(true);
  });

  test('-t serial on a PV guest falls back to its PV console, as xenconsole does', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    t.clock.at(T0 + 2000, () => term.type(0x1d));
    const r = await t.run('console -t serial deb');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('EXT4-fs (xvda1): mounted filesystem');
    expect((await t.log(1)).startsWith(r.out)).toBe(true);
  });

  test('reads the host database without the write lock: it follows the guest while another process holds the lock, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsim-console-'));
    try {
      const term = new FakeTerminal();
      const t = setup({ terminal: term, store: HostStore.open(dir) });
      expect((await t.run('create /etc/xen/deb.cfg')).code).toBe(0);
      const seq = (): number => {
        const db = SqliteBackend.open(join(dir, 'host.db'), { readonly: true });
        try {
          return db.lastChangeSeq();
        } finally {
          db.close();
        }
      };
      const saved = seq();
      const other = SqliteBackend.open(join(dir, 'host.db'));
      await other.beginWrite({ waitMs: 0 });
      try {
        t.clock.at(T0 + 10_000, () => term.type(0x1d));
        const r = await t.run('console deb');
        expect(r.code).toBe(0);
        expect(r.out).toContain('deb login: ');
      } finally {
        other.rollback();
        other.close();
      }
      expect(seq()).toBe(saved);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('xl console in the REPL', () => {
  test('prints the console so far and returns to the prompt without taking the terminal', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    let out = '';
    t.env.stdout = (s) => void (out += s);
    const input = new PassThrough();
    const done = runRepl({ env: t.env, input, output: new PassThrough() });
    input.end('create -q /etc/xen/deb.cfg\nconsole deb\ndomid deb\nexit\n');
    expect(await done).toBe(0);
    expect(term.opened).toBe(0);
    expect(out).toMatch(/^\[ {4}0\.0\d+\] Linux version [^]*\r\n1\n$/);
  });
});

describe('xl console: errors exactly as xl and xenconsole', () => {
  const term = new FakeTerminal();
  afterEach(() => {
    expect(term.raw).toBe(false);
  });

  test('Domain-0, by id or by name → exit 22', async () => {
    const t = setup({ terminal: term });
    expect(await t.run('console 0')).toMatchObject({ code: 22, out: '', err: "Can't specify Domain-0\n" });
    expect(await t.run('console Domain-0')).toMatchObject({ code: 22, out: '', err: "Can't specify Domain-0\n" });
    expect(await t.run('console -t serial 0')).toMatchObject({ code: 22, err: "Can't specify Domain-0\n" });
  });

  test('a bad -t → exit 1 before the domain is looked up', async () => {
    const t = setup({ terminal: term });
    expect(await t.run('console -t hvc nosuch')).toMatchObject({ code: 1, out: '', err: 'console type supported are: pv, serial, vuart\n' });
  });

  test('an unknown name → invalid domain identifier, exit 1', async () => {
    const t = setup({ terminal: term });
    expect(await t.run('console nosuch')).toMatchObject({ code: 1, out: '', err: 'nosuch is an invalid domain identifier (rc=-6)\n' });
  });

  test('a domid that does not exist, with -t → xenconsole waits 5 s for the tty, exit 2', async () => {
    const t = setup({ terminal: term });
    const r = await t.run('console -t pv 42');
    expect(r).toMatchObject({ code: 2, out: '', err: 'xenconsole: Could not read tty from store: No such file or directory\n' });
    expect(t.clock.now()).toBe(T0 + TTY_WAIT_MS);
  });

  test('a domid that does not exist, without -t → libxl cannot get its type, Unable to attach console, exit 1', async () => {
    const t = setup({ terminal: term });
    expect(await t.run('console 42')).toMatchObject({
      code: 1,
      out: '',
      err: 'libxl: error: libxl_dom.c:40:libxl__domain_type: unable to get domain type for domid=42\nUnable to attach console\n',
    });
  });

  test('-t vuart on x86 and -n 1 for a console the guest lacks → the tty never appears, exit 2', async () => {
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    const msg = 'xenconsole: Could not read tty from store: No such file or directory\n';
    expect(await t.run('console -t vuart deb')).toMatchObject({ code: 2, out: '', err: msg });
    expect(t.clock.now()).toBe(T0 + TTY_WAIT_MS);
    expect(await t.run('console -t pv -n 1 deb')).toMatchObject({ code: 2, out: '', err: msg });
    expect(term.opened).toBe(0);
  });

  test('an escape that is not one character or ^X → Invalid escape argument, exit 22', async () => {
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    for (const e of ['ab', '^AB', 'é']) {
      expect(await t.run(`console -e ${e} deb`)).toMatchObject({ code: 22, out: '', err: 'Invalid escape argument\n' });
    }
  });

  test('no domain → usage error, exit 2; a missing option argument → getopt error, exit 2', async () => {
    const t = setup({ terminal: term });
    const r = await t.run('console');
    expect(r.code).toBe(2);
    expect(r.err).toBe("'xl console' requires at least 1 argument.\n\n");
    expect(await t.run('console deb -t')).toMatchObject({ code: 2, err: "option `t' not supported.\n" });
  });
});

describe('escape and console selection rules', () => {
  test('parseEscape: one byte, ^X as X & 0x1f, anything else refused', () => {
    expect(parseEscape('^]')).toBe(0x1d);
    expect(parseEscape('^A')).toBe(0x01);
    expect(parseEscape('^a')).toBe(0x01);
    expect(parseEscape('q')).toBe(0x71);
    expect(parseEscape('^')).toBe(0x5e);
    expect(parseEscape('')).toBeUndefined();
    expect(parseEscape('ab')).toBeUndefined();
    expect(parseEscape('ü')).toBeUndefined();
  });

  test('consoleStream: primary, serial fallback, numbered and vuart consoles', () => {
    expect(consoleStream('pv', undefined, 5)).toBe('log');
    expect(consoleStream('pvh', undefined, 0)).toBe('log');
    expect(consoleStream('hvm', undefined, 0)).toBe('log');
    expect(consoleStream('hvm', 'pv', 0)).toBe('quiet');
    expect(consoleStream('pv', 'serial', 0)).toBe('log');
    expect(consoleStream('hvm', 'serial', 1)).toBe('missing');
    expect(consoleStream('pv', 'pv', 1)).toBe('missing');
    expect(consoleStream('hvm', 'vuart', 0)).toBe('missing');
  });
});

describe('xl create -c', () => {
  test('creates the domain, then attaches its console from the first byte', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    t.clock.at(T0 + 8000, () => term.type(0x1d));
    const r = await t.run('create -c /etc/xen/deb.cfg');
    expect(r.code).toBe(0);
    expect(r.err).toBe('Parsing config from /etc/xen/deb.cfg\n');
    expect(r.out.startsWith('[    0.0')).toBe(true);
    expect(r.out).toContain('Linux version 6.1.0-28-amd64');
    expect(r.out).toBe(await t.log(1));
    expect(await t.host((h) => h.domain(1)?.name)).toBe('deb');
    expect(term.raw).toBe(false);
  });

  test('a failed create attaches nothing', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    await t.run('create /etc/xen/deb.cfg');
    const r = await t.run('create -c /etc/xen/deb.cfg');
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(term.opened).toBe(0);
  });

  test('with -p the console shows nothing until the domain is unpaused', async () => {
    const term = new FakeTerminal();
    const t = setup({ terminal: term });
    t.clock.at(T0 + 5000, () => t.host((h) => h.unpause(1)));
    t.clock.at(T0 + 5600, () => term.type(0x1d));
    const r = await t.run('create -c -p /etc/xen/deb.cfg');
    expect(r.code).toBe(0);
    expect(r.chunks[0]).toMatch(/^\[ {4}0\.0\d+\] Linux version/);
    expect(r.out).toContain('smp: Brought up 1 node, 1 CPU');
    expect((await t.log(1)).startsWith(r.out)).toBe(true);
  });
});

describe('processTerminal', () => {
  /** A stand-in for process.stdin / process.stdout that records raw-mode changes. */
  function fakeStdio(tty: boolean) {
    const stdin = new PassThrough() as unknown as NodeJS.ReadStream & { rawCalls: boolean[] };
    stdin.rawCalls = [];
    Object.assign(stdin, { isTTY: tty, setRawMode: (on: boolean) => (stdin.rawCalls.push(on), stdin) });
    const stdout = { isTTY: tty } as NodeJS.WriteStream;
    return { stdin, stdout };
  }

  test('on a TTY: raw mode while open, input and end delivered, restored once on close', async () => {
    const { stdin, stdout } = fakeStdio(true);
    const term = processTerminal(stdin, stdout);
    expect(term.isTTY).toBe(true);
    const got: number[][] = [];
    let ended = 0;
    const close = term.open({ input: (b) => void got.push([...b]), end: () => void ended++, signal: () => undefined });
    expect(stdin.rawCalls).toEqual([true]);
    (stdin as unknown as PassThrough).write(Buffer.from([0x1d]));
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([[0x1d]]);
    close();
    close();
    expect(stdin.rawCalls).toEqual([true, false]);
    expect(stdin.listenerCount('data')).toBe(0);
    expect(ended).toBe(0);
  });

  test('not a TTY: no raw mode; end of input is reported', async () => {
    const { stdin, stdout } = fakeStdio(false);
    const term = processTerminal(stdin, stdout);
    expect(term.isTTY).toBe(false);
    let ended = 0;
    const close = term.open({ input: () => undefined, end: () => void ended++, signal: () => undefined });
    (stdin as unknown as PassThrough).end();
    await new Promise((r) => setImmediate(r));
    expect(ended).toBe(1);
    close();
    expect(stdin.rawCalls).toEqual([]);
  });
});
