/**
 * Guest console rings (what xenconsoled keeps for `xl console`, xl-commands.md §6) and
 * the hypervisor's own ring (`xl dmesg`). A ring keeps the last `CONSOLE_MAX` bytes and
 * counts every byte ever written, so a follower can ask for "everything after byte n".
 *
 * Boot lines are not written one event at a time: the ring holds the boot plan's lines
 * still to come (`pending`, with the guest run time each is printed at), and any read or
 * write first moves the lines whose time has come into the text. Watching a guest boot
 * therefore costs nothing until someone looks.
 */
import type { Ctx } from './ctx.js';
import { conringAppend, CONRING_SIZE } from './dmesg.js';
import type { BootLine } from './guest/bootlog.js';
import type { ConsoleRecord, DomainRecord } from './records.js';

/** Guest console history kept per domain, bytes (like xenconsoled's buffer). */
export const CONSOLE_MAX = 65536;

function trim(text: string, max: number): string {
  return text.length > max ? text.slice(text.length - max) : text;
}

/** The domain's ring with every pending boot line due by now printed (written back when it changed). */
export function consoleNow(ctx: Ctx, rec: DomainRecord): ConsoleRecord {
  const c = ctx.console(rec.domid) ?? { text: '', total: 0 };
  // A guest that has never run (created paused) has printed nothing yet, not even the lines at 0.
  const started = rec.run.since !== null || rec.run.ms > 0;
  if (c.pending && c.pending.length && started) {
    const run = ctx.runMs(rec) - (c.pendingBase ?? 0);
    let k = 0;
    let out = '';
    while (k < c.pending.length && c.pending[k]!.atMs <= run) out += c.pending[k++]!.text;
    if (k > 0) {
      c.pending = c.pending.slice(k);
      if (!c.pending.length) {
        delete c.pending;
        delete c.pendingBase;
      }
      c.text = trim(c.text + out, CONSOLE_MAX);
      c.total += out.length;
      ctx.putConsole(rec.domid, c);
      if (out) ctx.effects.push({ kind: 'console', domid: rec.domid, text: out });
    }
  }
  return c;
}

/** Writes `text` to the guest's console (after any boot lines already due). */
export function consoleWrite(ctx: Ctx, rec: DomainRecord, text: string): void {
  if (text === '') return;
  const c = consoleNow(ctx, rec);
  c.text = trim(c.text + text, CONSOLE_MAX);
  c.total += text.length;
  ctx.putConsole(rec.domid, c);
  ctx.effects.push({ kind: 'console', domid: rec.domid, text });
}

/** Replaces the pending boot lines: `lines` are printed as the guest's run time passes `base + atMs`. */
export function consoleSchedule(ctx: Ctx, rec: DomainRecord, lines: BootLine[], base: number): void {
  const c = consoleNow(ctx, rec);
  if (lines.length) {
    c.pending = lines;
    c.pendingBase = base;
  } else {
    delete c.pending;
    delete c.pendingBase;
  }
  ctx.putConsole(rec.domid, c);
}

/** Prints every pending boot line now (the boot finished early, or the guest stopped). */
export function consoleFlushAll(ctx: Ctx, rec: DomainRecord): void {
  const c = consoleNow(ctx, rec);
  if (!c.pending?.length) return;
  const out = c.pending.map((l) => l.text).join('');
  delete c.pending;
  delete c.pendingBase;
  c.text = trim(c.text + out, CONSOLE_MAX);
  c.total += out.length;
  ctx.putConsole(rec.domid, c);
  if (out) ctx.effects.push({ kind: 'console', domid: rec.domid, text: out });
}

/** Drops pending boot lines that were never printed (a crash or destroy cut the boot short). */
export function consoleDropPending(ctx: Ctx, rec: DomainRecord): void {
  const c = consoleNow(ctx, rec);
  if (!c.pending) return;
  delete c.pending;
  delete c.pendingBase;
  ctx.putConsole(rec.domid, c);
}

/** The hypervisor console ring (`xl dmesg`). */
export function hvRing(ctx: Ctx): string {
  return ctx.console('hv')?.text ?? '';
}

/** Appends to the hypervisor console ring, keeping the last CONRING_SIZE bytes. */
export function hvPrint(ctx: Ctx, text: string): void {
  const c = ctx.console('hv') ?? { text: '', total: 0 };
  c.text = conringAppend(c.text, text, CONRING_SIZE);
  c.total += text.length;
  ctx.putConsole('hv', c);
}

/** Empties the hypervisor console ring (`xl dmesg -c`). */
export function hvClear(ctx: Ctx): void {
  const c = ctx.console('hv') ?? { text: '', total: 0 };
  c.text = '';
  ctx.putConsole('hv', c);
}
