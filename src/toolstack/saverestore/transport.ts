/**
 * Byte channels for save files and migration streams: a `ByteSource` to read exact
 * amounts from (a file's bytes, a pipe from a child process, an in-process pipe) and a
 * `ByteSink` to write to, plus the migration "transport process" of xl_migrate.c
 * `create_migration_child`: a child whose stdin receives the stream and whose stdout
 * carries the receiver's banner and acknowledgements back, with its stderr copied to
 * ours (as ssh relays the remote xl's stderr).
 *
 * Two kinds of peer:
 * - `spawnPeer`: a real child process (`sh -c <rune>`, or `xlsim migrate-receive`
 *   itself), over real pipes;
 * - `memoryPeer`: the receiver runs in this process over in-memory pipes (used when the
 *   host lives in an in-memory store: tests, the REPL demo), with the same protocol.
 */
import type { spawn as Spawn } from 'node:child_process';
import { lazyRequire } from '../lazy-require.js';
import type { Readable, Writable } from 'node:stream';

/** Where bytes are read from. */
export interface ByteSource {
  /** Resolves with exactly `n` bytes, or fewer when the source ends first (EOF). */
  read(n: number): Promise<Uint8Array>;
}

/** Where bytes are written to. */
export interface ByteSink {
  /** Resolves once written; rejects with an `EPIPE` error when nobody reads any more. */
  write(bytes: Uint8Array | string): Promise<void>;
  /** No more bytes (the reader sees EOF). */
  end(): void;
}

/** A `ByteSource` over bytes already in memory (a save file read whole). */
export class BufferSource implements ByteSource {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  /** Bytes consumed so far. */
  get offset(): number {
    return this.at;
  }
  async read(n: number): Promise<Uint8Array> {
    const out = this.bytes.subarray(this.at, Math.min(this.bytes.length, this.at + Math.max(0, n)));
    this.at += out.length;
    return out;
  }
}

/** An error that says the other end went away (EPIPE), as a write to a closed pipe reports it. */
export function epipe(): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error('write EPIPE');
  e.code = 'EPIPE';
  return e;
}

/**
 * A one-way in-memory pipe: both a sink (the writer's end) and a source (the reader's
 * end). Writing after `closeReader()` rejects with EPIPE; reading after `end()` gets
 * what is left, then EOF.
 */
export class MemPipe implements ByteSource, ByteSink {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private ended = false;
  private readerClosed = false;
  private waiter: (() => void) | undefined;

  async write(bytes: Uint8Array | string): Promise<void> {
    if (this.readerClosed) throw epipe();
    if (this.ended) throw new Error('write after end');
    const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    if (b.length === 0) return;
    this.chunks.push(b.slice());
    this.size += b.length;
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  /** The reader is gone: later writes fail with EPIPE. */
  closeReader(): void {
    this.readerClosed = true;
    this.chunks = [];
    this.size = 0;
  }

  async read(n: number): Promise<Uint8Array> {
    while (this.size < n && !this.ended) {
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
    const take = Math.min(n, this.size);
    const out = new Uint8Array(take);
    let at = 0;
    while (at < take) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, take - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.size -= take;
    return out;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

/** A `ByteSource` over a Node readable stream (a child's stdout, our stdin). */
export class StreamSource implements ByteSource {
  private readonly pipe = new MemPipe();
  constructor(stream: Readable) {
    stream.on('data', (b: Buffer) => void this.pipe.write(new Uint8Array(b.buffer, b.byteOffset, b.length)));
    stream.on('end', () => this.pipe.end());
    stream.on('close', () => this.pipe.end());
    stream.on('error', () => this.pipe.end());
  }
  read(n: number): Promise<Uint8Array> {
    return this.pipe.read(n);
  }
}

/** A `ByteSink` over a Node writable stream (a child's stdin, our stdout). */
export class StreamSink implements ByteSink {
  private broken = false;
  constructor(private readonly stream: Writable) {
    stream.on('error', () => {
      this.broken = true;
    });
  }
  write(bytes: Uint8Array | string): Promise<void> {
    if (this.broken || this.stream.destroyed || this.stream.writableEnded) return Promise.reject(epipe());
    return new Promise((resolve, reject) => {
      this.stream.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, (e) => {
        if (e) {
          this.broken = true;
          reject(e);
        } else resolve();
      });
    });
  }
  end(): void {
    if (!this.stream.writableEnded) this.stream.end();
  }
}

/** How a transport process ended: its exit code or the signal that killed it. */
export interface PeerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The receiving side of a migration, seen from the sender. */
export interface Peer {
  /** What the receiver writes (its stdout): banner, acknowledgements. */
  from: ByteSource;
  /** What the receiver reads (its stdin): the stream, the go-ahead. */
  to: ByteSink;
  /** Process id (a child's; this process's for an in-process receiver). */
  pid: number;
  /** Resolves when it has ended and everything it wrote to stderr has been passed on. */
  exited: Promise<PeerExit>;
  /** Ends it now (SIGTERM for a child). */
  kill(): void;
  /**
   * Stops keeping this process alive for it: a child runs on by itself (a detached Remus
   * backup that fails over after we are gone); its stderr is still passed on while we live.
   */
  release(): void;
}

/**
 * Starts `command` with `args` as the transport process (xl's `xl_fork` + `execlp`):
 * stdin and stdout are pipes to us, stderr is copied to `err` as it comes. A command
 * that cannot be started ends at once with exit code 127, as `sh` reports it.
 * `opts.detached`: the child gets a session of its own (no SIGINT from our terminal).
 */
export function spawnPeer(command: string, args: string[], env: NodeJS.ProcessEnv, err: (s: string) => void, opts: { detached?: boolean } = {}): Peer {
  // node:child_process is loaded here, not at start-up: only migrate and remus spawn.
  const { spawn } = lazyRequire<{ spawn: typeof Spawn }>('node:child_process');
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: opts.detached === true });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => err(s));
  let done: (e: PeerExit) => void = () => undefined;
  const exited = new Promise<PeerExit>((resolve) => {
    done = resolve;
  });
  child.on('error', (e) => {
    err(`${command}: ${e.message}\n`);
    done({ code: 127, signal: null });
  });
  child.on('close', (code, signal) => done({ code, signal }));
  return {
    from: new StreamSource(child.stdout),
    to: new StreamSink(child.stdin),
    pid: child.pid ?? 0,
    exited,
    kill: () => void child.kill('SIGTERM'),
    release: () => {
      child.unref();
      for (const s of [child.stdin, child.stdout, child.stderr] as unknown as ({ unref?: () => void } | null)[]) s?.unref?.();
    },
  };
}

/**
 * Runs `receiver` in this process as the transport's far end: it reads what we send and
 * writes its answers through in-memory pipes. `exited` resolves with its return value
 * as the exit code; when it returns, the pipe towards it reports EPIPE to our writes.
 */
export function memoryPeer(receiver: (input: ByteSource, output: ByteSink) => Promise<number>): Peer {
  const toRecv = new MemPipe();
  const fromRecv = new MemPipe();
  let killed = false;
  const exited = receiver(toRecv, fromRecv).then(
    (code) => ({ code: killed ? null : code, signal: killed ? ('SIGTERM' as NodeJS.Signals) : null }),
    () => ({ code: 1, signal: null }),
  ).then((e) => {
    toRecv.closeReader();
    fromRecv.end();
    return e;
  });
  return {
    from: fromRecv,
    to: toRecv,
    pid: process.pid,
    exited,
    kill: () => {
      killed = true;
      toRecv.end();
    },
    release: () => undefined,
  };
}

/** Lets pending I/O callbacks (a peer's stderr) run before we print, so lines keep their causal order. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
