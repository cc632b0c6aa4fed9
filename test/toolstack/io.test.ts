/**
 * Input limits of the toolstack's readers (toolstack/io.ts): a file or standard input past
 * the limit is refused with EFBIG and the limit in the message, without reading it all;
 * what is under the limit comes back whole.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_CHECK_BYTES, MAX_INPUT_BYTES, readFileBytes, readStdinBytes } from '../../src/toolstack/io.js';

const dir = mkdtempSync(join(tmpdir(), 'xlsim-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MiB = 1024 * 1024;

describe('readFileBytes', () => {
  it('reads a file up to the limit and refuses one past it with the limit in MiB', async () => {
    const f = join(dir, 'two-mib.cfg');
    writeFileSync(f, Buffer.alloc(2 * MiB, 0x23));
    const ok = await readFileBytes(f, 2 * MiB);
    expect(ok.ok && ok.bytes.length).toBe(2 * MiB);
    expect(await readFileBytes(f, 1 * MiB)).toEqual({ ok: false, code: 'EFBIG', strerror: 'File too large (more than 1 MiB)' });
  });

  it('defaults to 16 MiB, the limit of create; check reads up to 256 MiB', async () => {
    expect(MAX_INPUT_BYTES).toBe(16 * MiB);
    expect(MAX_CHECK_BYTES).toBe(256 * MiB);
    const f = join(dir, 'seventeen-mib.cfg');
    writeFileSync(f, Buffer.alloc(17 * MiB, 0x23));
    expect(await readFileBytes(f)).toEqual({ ok: false, code: 'EFBIG', strerror: 'File too large (more than 16 MiB)' });
    const ok = await readFileBytes(f, MAX_CHECK_BYTES);
    expect(ok.ok && ok.bytes.length).toBe(17 * MiB);
  });
});

describe('readStdinBytes', () => {
  it('joins the chunks of a stream under the limit', async () => {
    const r = await readStdinBytes(Readable.from([Buffer.from('name = '), Buffer.from('"a"\n')]), 64);
    expect(r.ok && Buffer.from(r.bytes).toString()).toBe('name = "a"\n');
  });

  it('stops at the first chunk past the limit: an endless stream ends with EFBIG', async () => {
    let chunks = 0;
    const endless = new Readable({
      read() {
        chunks++;
        this.push(Buffer.alloc(64 * 1024, 0));
      },
    });
    expect(await readStdinBytes(endless, 1 * MiB)).toEqual({ ok: false, code: 'EFBIG', strerror: 'File too large (more than 1 MiB)' });
    expect(chunks).toBeLessThan(40);
  });
});

describe('isTerminal (toolstack/stdio.ts)', () => {
  it('answers false for /dev/null, a regular file and a closed descriptor, as isatty(3) does', async () => {
    const { closeSync, openSync } = await import('node:fs');
    const { isTerminal } = await import('../../src/toolstack/stdio.js');
    const devNull = openSync('/dev/null', 'r');
    const f = join(dir, 'plain.txt');
    writeFileSync(f, 'x');
    const file = openSync(f, 'r');
    try {
      expect([isTerminal(devNull), isTerminal(file)]).toEqual([false, false]);
    } finally {
      closeSync(devNull);
      closeSync(file);
    }
    expect(isTerminal(file)).toBe(false);
  });

  it('reads a FIFO, a directory and a missing file as the errors xl would give, without waiting', async () => {
    const { execFileSync } = await import('node:child_process');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await readFileBytes(fifo)).toEqual({ ok: false, code: 'EINVAL', strerror: 'is a FIFO (named pipe), not a regular file' });
    expect(await readFileBytes(dir)).toEqual({ ok: false, code: 'EISDIR', strerror: 'Is a directory' });
    expect(await readFileBytes(join(dir, 'missing.cfg'))).toEqual({ ok: false, code: 'ENOENT', strerror: 'No such file or directory' });
    expect(await readFileBytes('/dev/null')).toEqual({ ok: true, bytes: new Uint8Array(0) });
  });
});
