/**
 * The quick `xlsim create -n` and `xlsim check` (src/toolstack/quick-config.ts) against
 * the full commands: for the same command line on the same host they write the same
 * bytes to standard output and error and end with the same status, or decline having
 * written nothing.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import type { XlEnv } from '../../src/toolstack/io.js';
import { runXl } from '../../src/toolstack/program.js';
import { quickCheck, quickDryRun } from '../../src/toolstack/quick-config.js';
import { HostStore } from '../../src/toolstack/store.js';
import { T0 } from './helpers.js';

const EXAMPLES = resolve(__dirname, '../../examples/etc-xen');

let dir: string;
let home: string;
/** Config files: the shipped examples and some that go wrong in each way xl reports. */
const files: string[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xlsim-quick-config-'));
  home = join(dir, 'home');
  for (const f of readdirSync(EXAMPLES)) files.push(join(EXAMPLES, f));
  const bad: Record<string, string> = {
    'syntax.cfg': 'name = "a"\nmemory = = 5\n',
    'unterminated.cfg': 'name = "a\n',
    'vcpus.cfg': 'name = "v"\ntype = "pvh"\nkernel = "/k"\nvcpus = 14294967296\n',
    'cpus.cfg': 'name = "c"\ntype = "pvh"\nkernel = "/k"\nvcpus = 2\ncpus = "9-12"\n',
    'vdev.cfg': 'name = "d"\ntype = "pv"\nkernel = "/k"\ndisk = [ "/dev/vg/d,raw,d0p1,rw" ]\n',
    'nokernel.cfg': 'name = "n"\ntype = "pv"\nmemory = 128\n',
    'warn.cfg': 'name = "w"\ntype = "hvm"\nmemory = 128\nmaxmem = 64\nvif = [ "bridge=xenbr0,mac=00:16:3e:zz:00:01" ]\n',
  };
  for (const [name, text] of Object.entries(bad)) {
    writeFileSync(join(dir, name), text);
    files.push(join(dir, name));
  }
  files.push(join(dir, 'missing.cfg'));
  mkdirSync(join(dir, 'a-directory.cfg'));
  files.push(join(dir, 'a-directory.cfg'));
  // The host, with an xl.conf whose settings reach the builder.
  expect(await full(['list'])).toMatchObject({ code: 0 });
  writeFileSync(join(home, 'xl.conf'), 'autoballoon = "off"\nvif.default.bridge = "br-lan"\nvm.cpumask = "0-5"\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The full command line through runXl, as a new xlsim process would run it. */
async function full(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const store = HostStore.open(home);
  const env: XlEnv = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), store, clock: new VirtualClock(T0), isTTY: false };
  try {
    return { code: await runXl(argv, env), out, err };
  } finally {
    store.close();
  }
}

/** A dry run's JSON names a fresh random uuid each time. */
const noUuid = (s: string) => s.replace(/"uuid": "[0-9a-f-]{36}"/, '"uuid": U');

describe('quick create -n', () => {
  it('writes what `xl create -n` writes, with the same status, for good and bad files and with extra settings', async () => {
    const statuses = new Set<number>();
    for (const file of files) {
      for (const extras of [[], ['memory=300', 'name="other"'], ['vcpus=']]) {
        let out = '';
        let err = '';
        const code = await quickDryRun(home, ['-n', file, ...extras], (s) => void (out += s), (s) => void (err += s));
        const want = await full(['create', '-n', file, ...extras]);
        expect({ file, extras, code, out: noUuid(out), err }).toEqual({ file, extras, code: want.code, out: noUuid(want.out), err: want.err });
        statuses.add(want.code);
      }
    }
    // Not vacuous: successes, parse and build failures (1) and unreadable files (3) were all compared.
    expect([...statuses].sort()).toEqual([0, 1, 3]);
  });

  it('declines, writing nothing, any other command line and a host it cannot read as it is', async () => {
    const file = files[0]!;
    const none = (args: string[], at = home) => {
      let written = '';
      return quickDryRun(at, args, (s) => void (written += s), (s) => void (written += s)).then((code) => ({ code, written }));
    };
    for (const args of [['-q', '-n', file], ['-n', '-q', file], ['-n'], ['-n', file, 'other.cfg'], ['-n', '-'], [file, '-n'], ['-n', file, '--', 'x=1']]) {
      expect(await none(args)).toEqual({ code: undefined, written: '' });
    }
    expect(await none(['-n', file], join(dir, 'no-host-yet'))).toEqual({ code: undefined, written: '' });
  });
});

describe('quick check', () => {
  it('writes what `xlsim check` writes, with the same status, for each file and for all at once', async () => {
    for (const set of [...files.map((f) => [f]), files]) {
      let out = '';
      let err = '';
      const code = await quickCheck(set, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false });
      const want = await full(['check', ...set]);
      expect({ set, code, out, err }).toEqual({ set, code: want.code, out: want.out, err: want.err });
    }
  });

  it('declines options, standard input and no operand', async () => {
    for (const args of [[], ['--strict', files[0]!], [files[0]!, '--format', 'json'], ['-']]) {
      let written = '';
      const code = await quickCheck(args, { out: (s) => void (written += s), err: (s) => void (written += s), isTTY: false });
      expect({ code, written }).toEqual({ code: undefined, written: '' });
    }
  });
});
