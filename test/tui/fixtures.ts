/**
 * Hand-built host snapshots and a scripted `TopSource` for the TUI tests, plus the input
 * helpers of stack-notes.md §C3.4 (`waitForInputReady`, `waitForFrame`).
 */
import type { DomainInfo, HostInfo } from '../../src/machine/api.js';
import { ShutdownReason } from '../../src/machine/api.js';
import type { ArchData, CommandResult, ConsoleChunk, DrillData, HostSample, SampleRequest, TopSource } from '../../src/tui/source.js';
import { dom as baseDom } from '../toolstack/helpers.js';

export const HOST: HostInfo = {
  hostname: 'xenhost',
  nrCpus: 8,
  nrNodes: 1,
  coresPerSocket: 4,
  threadsPerCore: 2,
  cpuMhz: 2400,
  totalMemoryMiB: 32768,
  freeMemoryMiB: 20480,
  xenMajor: 4,
  xenMinor: 20,
  xenExtra: '.0',
  scheduler: 'credit',
};

const RUNNING = { running: true, blocked: false, paused: false, shutdown: false, dying: false };
const BLOCKED = { running: false, blocked: true, paused: false, shutdown: false, dying: false };

/** A domain snapshot with the toolstack tests' defaults plus a Xen max of memory + 1 MiB (as a fresh guest has); override any field. */
export function dom(p: Partial<DomainInfo> & { domid: number; name: string }): DomainInfo {
  return baseDom({ maxMemKiB: 1049600, ...p });
}

export const dom0 = (cpuTimeNs = 1234_000_000_000): DomainInfo =>
  dom({ domid: 0, name: 'Domain-0', state: RUNNING, memKiB: 4194304, maxMemKiB: undefined, maxVcpus: 4, onlineVcpus: 4, cpuTimeNs });

export { RUNNING, BLOCKED, ShutdownReason };

/**
 * A scripted host: a list of domains and a clock in ms the test moves; `run` understands
 * pause/unpause/destroy/shutdown on a domid and records every argv.
 */
export class FakeSource implements TopSource {
  nowMs = Date.UTC(2026, 10, 21, 10, 30, 5);
  calls: string[][] = [];
  logs = new Map<number, string>();
  /** Bytes typed to each guest's console. */
  typed = new Map<number, string>();
  /** Domains whose shutdown request was taken back. */
  withdrawn: number[] = [];
  /** Commands (by name) that wait until cancelled, as `xl shutdown` of a paused guest waits for its acknowledgement. */
  hang = new Set<string>();
  /** Every sample request, in order. */
  requests: SampleRequest[] = [];
  constructor(public domains: DomainInfo[], public host: HostInfo = HOST) {}

  async sample(req: SampleRequest = {}): Promise<HostSample> {
    this.requests.push(req);
    return { nowMs: this.nowMs, host: this.host, domains: this.domains.map((d) => ({ ...d })) };
  }

  async consoleSince(domid: number, offset: number): Promise<ConsoleChunk | undefined> {
    if (!this.domains.some((d) => d.domid === domid)) return undefined;
    const text = this.logs.get(domid) ?? '';
    return { text: text.slice(offset), total: text.length, gone: false };
  }

  async consoleInput(domid: number, bytes: string): Promise<string | undefined> {
    this.typed.set(domid, (this.typed.get(domid) ?? '') + bytes);
    // The guest echoes what it is sent, CR as CR LF.
    this.logs.set(domid, (this.logs.get(domid) ?? '') + bytes.replace(/\r/g, '\r\n'));
    return undefined;
  }

  async drill(): Promise<DrillData | undefined> {
    return undefined;
  }

  async arch(): Promise<ArchData> {
    return {
      nowMs: this.nowMs,
      host: this.host,
      pools: [{ id: 0, name: 'Pool-0', scheduler: 'credit2', cpus: [0, 1, 2, 3, 4, 5, 6, 7] }],
      domains: this.domains,
      pcpus: Array.from({ length: this.host.nrCpus }, () => undefined),
      devices: new Map(),
      deviceModels: new Map(),
      calls: new Map(),
      daemons: ['xenstored', 'xenconsoled'],
    };
  }

  async withdrawShutdown(domid: number): Promise<void> {
    this.withdrawn.push(domid);
  }

  async run(argv: string[], opts: { signal?: AbortSignal } = {}): Promise<CommandResult> {
    this.calls.push(argv);
    if (this.hang.has(argv[0]!)) {
      await new Promise<void>((resolve) => {
        if (opts.signal?.aborted) resolve();
        opts.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      return { code: 1, stdout: '', stderr: `${argv[0] === 'shutdown' ? 'Shutting down' : 'Rebooting'} domain ${argv[1]}\n`, cancelled: true };
    }
    const [cmd, arg] = argv;
    const d = this.domains.find((x) => String(x.domid) === arg || x.name === arg);
    if (cmd === 'list') {
      const lines = this.domains.map((x) => `${x.name} ${x.domid}`).join('\n');
      return { code: 0, stdout: `Name ID\n${lines}\n`, stderr: '' };
    }
    if (!d) return { code: 1, stdout: '', stderr: `${arg} is an invalid domain identifier (rc=-6)\n` };
    if (cmd === 'pause') d.state = { ...d.state, paused: true, running: false, blocked: false };
    else if (cmd === 'unpause') d.state = { ...d.state, paused: false, blocked: true };
    else if (cmd === 'destroy') this.domains = this.domains.filter((x) => x !== d);
    else if (cmd === 'shutdown') d.state = { ...d.state, blocked: false, running: false, shutdown: true, shutdownReason: ShutdownReason.Poweroff };
    return { code: 0, stdout: '', stderr: '' };
  }
}

/** Let React 19's scheduler flush and Ink attach its stdin listener before the first key (stack-notes.md §C3.4). */
export async function waitForInputReady(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 10));
}

/**
 * Wait until `frame()` satisfies `ok`, yielding to the event loop between checks, then
 * wait for input to be ready again (a pane that just took the focus attaches its
 * `useInput` listener in an effect after the frame is drawn).
 * Rejects with the last frame if it never does (a correctness failure, not a speed check).
 */
export async function waitForFrame(frame: () => string | undefined, ok: (f: string) => boolean, tries = 1000): Promise<string> {
  let last = '';
  for (let i = 0; i < tries; i++) {
    last = frame() ?? '';
    if (ok(last)) {
      await waitForInputReady();
      return last;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`frame never matched; last frame:\n${last}`);
}

/** Key sequences as a terminal sends them. */
export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  ctrlBracket: '\u001D',
  home: '\u001B[H',
  end: '\u001B[F',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  right: '\u001B[C',
  left: '\u001B[D',
  tab: '\t',
  shiftTab: '\u001B[Z',
};
