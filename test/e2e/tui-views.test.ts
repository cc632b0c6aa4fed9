/**
 * End-to-end: what a person sees in `xlsim demo` at 120×36 in a real pseudo-terminal
 * (test/tui/pty.ts): sorting and filtering change the rows, a paused domain shows `p`,
 * `h` on Domain-0 is refused at once, the drill-down shows `vif<domid>.0` with its backend
 * in Domain-0 and a Connected state, the architecture view shows every guest, and the
 * console answers `uname -a` after a login, with Ctrl-] coming back. Each test has its
 * own state directory (the dashboard keeps its settings there).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_SCRIPT, press, ROOT, startXlsim, stopSession, tableRows, waitForScreen, type Session } from '../tui/pty.js';

const COLS = 120;
const ROWS = 36;
const NAMES = readdirSync(join(ROOT, 'examples/etc-xen'))
  .filter((f) => f.endsWith('.cfg'))
  .map((f) => /^name\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, 'examples/etc-xen', f), 'utf8'))![1]!);

let session: Session | undefined;
let home: string | undefined;
afterEach(() => {
  stopSession(session);
  session = undefined;
  if (home) rmSync(home, { recursive: true, force: true });
  home = undefined;
});

const names = (l: string[]) => tableRows(l).map((x) => x.slice(0, 10).trim());
const status = (l: string[]) => l[ROWS - 4] ?? '';

/** `xlsim demo` at 120×36 with every example guest on screen. */
async function demo(): Promise<Session> {
  home = mkdtempSync(join(tmpdir(), 'xlsim-e2e-views-'));
  const s = (session = startXlsim(['demo'], { cols: COLS, rows: ROWS, env: { XLSIM_HOME: home } }));
  await waitForScreen(s, (l) => names(l).length === NAMES.length + 1, 30_000);
  return s;
}

/** Select the row of `name` (Home, then Down until the status line names it). */
async function select(s: Session, name: string): Promise<void> {
  press(s, '\x1b[H');
  await waitForScreen(s, (l) => status(l).startsWith(`[${names(l)[0]} (domid`));
  for (let i = 0; i < NAMES.length + 1; i++) {
    const l = await waitForScreen(s, () => true);
    if (status(l).startsWith(`[${name} (domid`)) return;
    const before = status(l);
    press(s, '\x1b[B');
    await waitForScreen(s, (x) => status(x) !== before);
  }
  throw new Error(`${name} never selected`);
}

describe.skipIf(!HAS_SCRIPT)('xlsim demo at 120×36', () => {
  it('sorting and filtering change the rows; a paused domain shows p', async () => {
    const s = await demo();
    press(s, '>>'); // STATE, then CPU(sec)
    let l = await waitForScreen(s, (x) => status(x).includes('sort CPU(sec)') && names(x).length === NAMES.length + 1);
    const secs = tableRows(l).map((x) => Number(x.slice(18, 28)));
    expect(secs).toEqual([...secs].sort((a, b) => b - a));
    press(s, 'I');
    l = await waitForScreen(s, (x) => status(x).includes('sort CPU(sec) (inverted)') && names(x).length === NAMES.length + 1);
    const up = tableRows(l).map((x) => Number(x.slice(18, 28)));
    expect(up).toEqual([...up].sort((a, b) => a - b));

    press(s, '/');
    press(s, 'type:hvm');
    l = await waitForScreen(s, (x) => x[ROWS - 4]!.startsWith('/type:hvm_') && names(x).length === 2);
    expect(names(l).sort()).toEqual(['ubuntu-hvm', 'win2022']);
    press(s, '\r');
    await waitForScreen(s, (x) => status(x).includes('filter "type:hvm": 2 of 7'));
    press(s, '/');
    press(s, '\x1b'); // Esc clears the filter
    await waitForScreen(s, (x) => names(x).length === NAMES.length + 1 && !status(x).includes('filter'));

    await select(s, 'alpine-pv');
    press(s, 'p');
    l = await waitForScreen(s, (x) => tableRows(x).some((r) => r.startsWith(' alpine-pv ----p-')) && /\d+ domains: .* 1 paused,/.test(x[1]!));
    expect(status(l)).toContain('Paused alpine-pv (domid');
  }, 120_000);

  it('h on Domain-0 is refused at once: no prompt, no wait, nothing shut down', async () => {
    const s = await demo();
    await select(s, 'Domain-0');
    const t0 = Date.now();
    press(s, 'h');
    const l = await waitForScreen(s, (x) => status(x).includes('Domain-0 is the host itself: it is not shut down through xl'));
    expect(Date.now() - t0).toBeLessThan(20_000); // a refusal, not xl's 60 s acknowledgement wait
    expect(l.join('\n')).not.toContain('[y/N]');
    expect(l.join('\n')).not.toContain('⟳');
    expect(tableRows(l).some((r) => r.startsWith('  Domain-0 -----r'))).toBe(true);
  }, 120_000);

  it('Enter drills down: the devices tab shows vif<domid>.0 with its backend in Domain-0 and Connected on both sides', async () => {
    const s = await demo();
    await select(s, 'debian-pv');
    const id = /\[debian-pv \(domid (\d+)\)\]/.exec(status(await waitForScreen(s, () => true)))![1];
    press(s, '\r');
    await waitForScreen(s, (x) => x[3]!.startsWith('debian-pv (domid') && x.some((r) => r.startsWith('Memory ')));
    press(s, '2');
    // The guest may still be booting when the tab is first drawn (its vif backend in
    // InitWait); the dashboard redraws as the XenbusState moves, so wait for Connected.
    const vifAt = (x: string[]) => x.findIndex((r) => r.startsWith('vif 0 — network: netback in Domain-0 ⇄ xen-netfront in debian-pv'));
    const l = await waitForScreen(
      s,
      (x) => vifAt(x) > 3 && x.some((r) => r.includes(`vif${id}.0`)) && (x[vifAt(x) + 4] ?? '').includes('XenbusState 4 Connected') && x[vifAt(x) + 2]!.includes('XenbusState 4 Connected'),
      60_000,
    );
    const at = vifAt(l);
    expect(at).toBeGreaterThan(3);
    expect(l[at + 1]).toBe(`  backend   Domain-0 (dom 0) · netback · vif${id}.0 on bridge xenbr0`);
    expect(l[at + 2]).toMatch(/^ {12}XenbusState 4 Connected · event channel port \d+ · /);
    expect(l[at + 4]).toMatch(/^ {12}XenbusState 4 Connected · event channel port \d+ · /);
    press(s, '\x1b');
    await waitForScreen(s, (x) => names(x).length === NAMES.length + 1);
  }, 120_000);

  it('A draws the architecture: Domain-0, every guest, the hypervisor and its pCPUs', async () => {
    const s = await demo();
    press(s, 'A');
    const l = await waitForScreen(s, (x) => x.some((r) => r.includes('Xen 4.20.0 hypervisor')) && NAMES.every((n) => x.some((r) => r.includes(n))));
    expect(l.some((r) => r.includes('┌─ Domain-0'))).toBe(true);
    expect(l.some((r) => /netback vif\d+\.0 xenbr0/.test(r))).toBe(true);
    expect(l.some((r) => r.startsWith(' pCPUs  0:'))).toBe(true);
    expect(l.every((r) => r.length <= COLS)).toBe(true);
  }, 120_000);

  it('c opens the console: after a login uname -a answers; Ctrl-] comes back', async () => {
    const s = await demo();
    await select(s, 'alpine-pv');
    press(s, 'c');
    await waitForScreen(s, (x) => x.some((r) => r.startsWith('alpine-pv login:')), 60_000);
    press(s, 'root\r');
    await waitForScreen(s, (x) => x.some((r) => r.startsWith('Password:')));
    press(s, 'xen\r');
    await waitForScreen(s, (x) => x.some((r) => r.startsWith('alpine-pv:~#')));
    press(s, 'uname -a\r');
    const l = await waitForScreen(s, (x) => x.some((r) => r.startsWith('Linux alpine-pv ')));
    expect(l.some((r) => r === 'alpine-pv:~# uname -a')).toBe(true);
    press(s, '\x1d'); // Ctrl-]
    await waitForScreen(s, (x) => names(x).length === NAMES.length + 1 && x[3]!.startsWith('      NAME  STATE'));
  }, 120_000);
});
