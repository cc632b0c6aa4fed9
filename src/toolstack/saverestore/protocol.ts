/**
 * xl's migration handshake (tools/xl/xl.h and xl_migrate.c; xl-commands.md §7.3):
 *
 * ```
 *  receiver → sender  "xl migration receiver ready, send binary domain data.\n"   (no NUL)
 *  sender → receiver  the xl header, config and libxl stream (format.ts)
 *  receiver → sender  "domain received, ready to unpause\0"
 *  sender → receiver  "domain is yours, you are cleared to unpause\0"
 *  receiver → sender  "my copy unpause results are as follows\0" + one status byte (0 = running)
 *  on failure: receiver → sender "domain is yours, you are cleared to unpause\0" (take it back)
 * ```
 *
 * Plus the sender's helpers for reading fixed messages (`migrate_read_fixedmessage`) and
 * reporting how the transport process ended (`migration_child_report`).
 */
import { libxlLine } from '../format/log.js';
import { SR_SITES } from './format.js';
import type { ByteSource, Peer, PeerExit } from './transport.js';
import { settle } from './transport.js';

/** xl.h `migrate_receiver_banner` (sent without its NUL). */
export const BANNER = 'xl migration receiver ready, send binary domain data.\n';
/** xl.h `migrate_receiver_ready` (sent with its NUL). */
export const READY = 'domain received, ready to unpause\0';
/** xl.h `migrate_permission_to_go` (sent with its NUL). */
export const GO = 'domain is yours, you are cleared to unpause\0';
/** xl.h `migrate_report` (sent with its NUL), then one status byte. */
export const REPORT = 'my copy unpause results are as follows\0';

/** The bytes of a protocol message (all ASCII). */
export function msgBytes(s: string): Uint8Array {
  return new Uint8Array([...s].map((c) => c.charCodeAt(0) & 0xff));
}

/**
 * xl_migrate.c `migrate_read_fixedmessage`: reads `msg` exactly from `src`. A short read
 * prints libxl_read_exactly's `file/stream truncated reading <what> from <stream>`;
 * other bytes print `<stream> contained unexpected data instead of <what>` and, on the
 * sender, `(command run was: <rune> )`. `rune` undefined = the receiver's side
 * ("migration stream"). Returns whether the message came.
 */
export async function readFixed(src: ByteSource, msg: string, what: string, rune: string | undefined, err: (s: string) => void): Promise<boolean> {
  const stream = rune !== undefined ? 'migration receiver stream' : 'migration stream';
  const want = msgBytes(msg);
  const got = await src.read(want.length);
  await settle();
  if (got.length < want.length) {
    err(libxlLine('error', SR_SITES.readExactly, undefined, `file/stream truncated reading ${what} from ${stream}`));
    return false;
  }
  if (!want.every((b, i) => got[i] === b)) {
    err(`${stream} contained unexpected data instead of ${what}\n`);
    if (rune !== undefined) err(`(command run was: ${rune} )\n`);
    return false;
  }
  return true;
}

/** glibc `strsignal` texts for the signals a transport process usually dies of. */
const SIGNAL_TEXT: Record<string, string> = {
  SIGHUP: 'Hangup', SIGINT: 'Interrupt', SIGQUIT: 'Quit', SIGKILL: 'Killed', SIGPIPE: 'Broken pipe', SIGTERM: 'Terminated', SIGSEGV: 'Segmentation fault',
};

/**
 * libxl_exec.c `libxl_report_child_exitstatus` at level info for the migration
 * transport process (Xen 4.20.0 lines), as `migration_child_report` prints it when the
 * child ended badly. Nothing for a clean exit.
 */
export function childExitLine(pid: number, e: PeerExit): string {
  const site = (line: number) => ({ file: 'libxl_exec.c', line, func: 'libxl_report_child_exitstatus' });
  if (e.signal) return libxlLine('info', site(129), undefined, `migration transport process [${pid}] died due to fatal signal ${SIGNAL_TEXT[e.signal] ?? e.signal}`);
  if (e.code) return libxlLine('info', site(118), undefined, `migration transport process [${pid}] exited with error status ${e.code}`);
  return '';
}

/**
 * xl_migrate.c `migration_child_report`: waits up to 2 s (real time) for the transport
 * process to end and reports a bad exit; one that does not end is left alone with
 * `migration child [<pid>] not exiting, no longer waiting (exit status will be unreported)`.
 */
export async function childReport(peer: Peer, err: (s: string) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), 2000);
  });
  const e = await Promise.race([peer.exited, late]);
  clearTimeout(timer);
  if (!e) {
    err(`migration child [${peer.pid}] not exiting, no longer waiting (exit status will be unreported)\n`);
    return;
  }
  await settle();
  err(childExitLine(peer.pid, e));
}
