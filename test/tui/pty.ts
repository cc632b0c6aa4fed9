/**
 * Running the built `bin/xlsim` in a real pseudo-terminal for the end-to-end tests
 * (test/e2e/tui*.test.ts): util-linux `script` gives the child a pty of a chosen size, its
 * output is fed into a headless xterm of the same size, and the tests read the screen as
 * a person sees it (text, bold or reverse cells, which screen buffer shows). Ink needs
 * CI=false to draw frames as it does for a user (stack-notes.md §C3.3); colours are
 * forced on as a 256-colour terminal gets them.
 *
 * Waits poll the screen until a condition holds (a correctness check with a generous
 * deadline, never a timing assertion): every assertion a test makes on a screen should be
 * part of the condition it waited for, so a frame drawn in two writes cannot be read half-way.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve, join } from 'node:path';
import xterm from '@xterm/headless';

const { Terminal } = xterm;
/** The headless terminal type. */
export type Term = InstanceType<typeof Terminal>;

/** The repository root and the built CLI. */
export const ROOT = resolve(__dirname, '../..');
export const BIN = join(ROOT, 'bin/xlsim');

/** Whether util-linux `script` is available to give the child a pty. */
export const HAS_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** A running `xlsim` in a pty, mirrored into a headless terminal. */
export interface Session {
  child: ChildProcess;
  term: Term;
  cols: number;
  rows: number;
  exit: Promise<number | null>;
}

/** Start `bin/xlsim <args>` in a `cols`×`rows` pty with `env` added to the process's environment. */
export function startXlsim(args: string[], opts: { cols: number; rows: number; env?: NodeJS.ProcessEnv }): Session {
  const { cols, rows } = opts;
  const term = new Terminal({ cols, rows, allowProposedApi: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'false', TERM: 'xterm-256color', FORCE_COLOR: '3', ...opts.env };
  delete env.NO_COLOR;
  if (opts.env && 'NO_COLOR' in opts.env) env.NO_COLOR = opts.env.NO_COLOR;
  // a variable given as undefined is removed from the child's environment
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v === undefined) delete env[k];
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qfec', `stty cols ${cols} rows ${rows}; exec "${process.execPath}" "${BIN}" ${quoted}`, '/dev/null'], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => term.write(d));
  const exit = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  return { child, term, cols, rows, exit };
}

/** Kill a session that is still running and free its terminal. */
export function stopSession(s: Session | undefined): void {
  if (!s) return;
  if (s.child.exitCode === null) s.child.kill('SIGKILL');
  s.term.dispose();
}

/** The screen as text, one string per row, trailing blanks trimmed. */
export function screen(s: Session): string[] {
  const b = s.term.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < s.rows; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
  return out;
}

/** Poll the screen until `pred` holds; on timeout fail with the screen as it was. */
export async function waitForScreen(s: Session, pred: (lines: string[]) => boolean, ms = 20_000): Promise<string[]> {
  const end = Date.now() + ms;
  for (;;) {
    // Let xterm parse what has arrived before reading.
    await new Promise<void>((res) => s.term.write('', res));
    const lines = screen(s);
    if (pred(lines)) return lines;
    if (Date.now() > end) throw new Error(`screen never matched; it showed:\n${lines.join('\n')}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Type `keys` into the session, as a terminal sends them. */
export function press(s: Session, keys: string): void {
  s.child.stdin!.write(keys);
}

/** Whether every cell of `len` cells at row `y`, column `x` is drawn bold / in reverse video. */
export function cellsAre(s: Session, y: number, x: number, len: number, what: 'bold' | 'inverse'): boolean {
  const line = s.term.buffer.active.getLine(s.term.buffer.active.viewportY + y)!;
  for (let i = 0; i < len; i++) {
    const c = line.getCell(x + i)!;
    if (what === 'bold' ? !c.isBold() : !c.isInverse()) return false;
  }
  return true;
}

/** Rows of the domain table on a screen (xentop's row shape: a 10-wide name, then six state letters). */
export const tableRows = (lines: string[]): string[] => lines.slice(4).filter((l) => /^[ \S]{10} [-dsbcpr]{6} /.test(l));
