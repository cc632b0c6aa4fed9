/**
 * Direct hardware access for a domain: `ioports=`, `iomem=` and `irqs=` lists.
 *
 * Follows the `ioports`, `iomem` and `irqs` blocks of `parse_config_data`
 * (tools/xl/xl_parse.c); xl.cfg(5) "ioports", "iomem", "irqs"; xl-cfg-format.md §4.13.
 * Each list item arrives as the string libxlu stores (an unquoted NUMBER token keeps its
 * text); a nested list item is the caller's business (xl: "Unable to get element").
 */

import type { SpecMessage, SpecResult } from './types.js';
import { scanIntC, strtoulC } from './vdev.js';

const UINT32_MAX = 0xffffffffn;

/** An I/O port range (libxl_ioport_range). */
export interface IoportRange {
  /** First port. */
  first: number;
  /** Number of ports (uint32 arithmetic, so a reversed range wraps as in xl). */
  number: number;
}

/** A machine memory range mapped into the guest (libxl_iomem_range), in 4 KiB pages (page frame numbers). */
export interface IomemRange {
  /** First machine page frame (hex in the config). */
  start: number;
  /** Number of pages. */
  number: number;
  /** First guest page frame; defaults to `start` (1:1), as libxl fills it in. */
  gfn: number;
}

const err = (text: string, message: string): SpecResult<never> => {
  const m: SpecMessage = { text, severity: 'error', code: 'XL251', message };
  return { messages: [m], exitCode: 1 };
};

/**
 * Parse `ioports=[ "2f8-2ff", "3f8" ]` as xl does: `START` or `START-END`, hex
 * (`strtoul` base 16, `0x` allowed), each value below 0xffffffff.
 * @param items the list items
 * @returns `value`: one `{ first, number }` per item. Messages: `xl: Invalid argument
 *   parsing ioport: <s>\n` (exit 1; for junk after a lone START xl only prints it and goes
 *   on, so that one is a warning), `xl: ioport <hex> too big\n` (exit 1); code XL251.
 *   As upstream, a reversed range (END < START) is not detected and `number` wraps.
 *   Never throws.
 */
export function parseIoports(items: string[]): SpecResult<IoportRange[]> {
  const out: IoportRange[] = [];
  const messages: SpecMessage[] = [];
  const HELP = 'an I/O port range is START or START-END in hex, e.g. 3f8 or 2f8-2ff';
  for (const buf of items) {
    let r = strtoulC(buf, 0, 16);
    if (r.end === 0) {
      const e = err(`xl: Invalid argument parsing ioport: ${buf}\n`, `"${buf}": ${HELP}`);
      return { messages: [...messages, ...e.messages], exitCode: 1 };
    }
    if (r.value >= UINT32_MAX) {
      const e = err(`xl: ioport ${r.value.toString(16)} too big\n`, `"${buf}": ports must be below ffffffff`);
      return { messages: [...messages, ...e.messages], exitCode: 1 };
    }
    const start = r.value;
    let end = r.value;
    if (buf[r.end] === '-') {
      const from = r.end + 1;
      r = strtoulC(buf, from, 16);
      // Upstream compares start > end before storing the new end, so this never fires.
      if (r.end === from || r.end !== buf.length || start > end) {
        const e = err(`xl: Invalid argument parsing ioport: ${buf}\n`, `"${buf}": ${HELP}`);
        return { messages: [...messages, ...e.messages], exitCode: 1 };
      }
      if (r.value >= UINT32_MAX) {
        const e = err(`xl: ioport ${r.value.toString(16)} too big\n`, `"${buf}": ports must be below ffffffff`);
        return { messages: [...messages, ...e.messages], exitCode: 1 };
      }
      end = r.value;
    } else if (r.end !== buf.length) {
      messages.push({
        text: `xl: Invalid argument parsing ioport: ${buf}\n`,
        severity: 'warning',
        code: 'XL251',
        message: `"${buf}": xl ignores "${buf.slice(r.end)}" after the port and uses ${start.toString(16)}; ${HELP}`,
      });
    }
    out.push({ first: Number(start), number: Number(BigInt.asUintN(32, end - start + 1n)) });
  }
  return { value: out, messages };
}

/**
 * Parse `iomem=[ "START,NUM[@GFN]" ]` as xl does:
 * `sscanf("%" SCNx64 ",%" SCNx64 "%n@%" SCNx64 "%n")`, all hex page frame numbers, and
 * nothing may follow.
 * @param items the list items
 * @returns `value`: `{ start, number, gfn }` per item (gfn = start when absent; values
 *   above 2^53 lose precision). On error `xl: Invalid argument parsing iomem: <s>\n`,
 *   code XL251, exit 1. Never throws.
 */
export function parseIomem(items: string[]): SpecResult<IomemRange[]> {
  const out: IomemRange[] = [];
  for (const buf of items) {
    const bad = (): SpecResult<IomemRange[]> =>
      err(
        `xl: Invalid argument parsing iomem: ${buf}\n`,
        `"${buf}": an iomem range is START,NUM[@GFN] in hex page frames, e.g. "fe000,10" or "fe000,10@80000"`,
      );
    const s = scanIntC(buf, 0, 16);
    if (!s || buf[s.end] !== ',') return bad();
    const n = scanIntC(buf, s.end + 1, 16);
    if (!n) return bad();
    let used = n.end;
    let gfn = s.value;
    if (buf[used] === '@') {
      const g = scanIntC(buf, used + 1, 16);
      if (g) {
        gfn = g.value;
        used = g.end;
      }
    }
    if (used !== buf.length) return bad();
    out.push({ start: Number(s.value), number: Number(n.value), gfn: Number(gfn) });
  }
  return { value: out, messages: [] };
}

/**
 * Parse `irqs=[ 10, "11" ]` as xl does: decimal `strtoul`, the whole string, below
 * 0xffffffff.
 * @param items the list items
 * @returns `value`: the IRQ numbers. On error `xl: Invalid argument parsing irq: <s>\n`
 *   or `xl: irq <hex> too big\n`, code XL251, exit 1. Never throws.
 */
export function parseIrqs(items: string[]): SpecResult<number[]> {
  const out: number[] = [];
  for (const buf of items) {
    const r = strtoulC(buf, 0, 10);
    if (r.end === 0 || r.end !== buf.length) {
      return err(`xl: Invalid argument parsing irq: ${buf}\n`, `"${buf}": an IRQ is a decimal number, e.g. 10`);
    }
    if (r.value >= UINT32_MAX) {
      return err(`xl: irq ${r.value.toString(16)} too big\n`, `"${buf}": IRQ numbers must be below 4294967295`);
    }
    out.push(Number(r.value));
  }
  return { value: out, messages: [] };
}
