/**
 * `xl console [-t pv|serial|vuart] [-n N] [-e C] <Domain>` (tools/xl/xl_console.c
 * `main_console`, libxl `libxl_console_exec` / `libxl_primary_console_exec`,
 * tools/console/client/main.c; xl-commands.md §6). The client itself is in
 * `console-follow.ts`.
 */
import type { XlCommandModule } from '../command.js';
import { attachConsole, type ConsoleType } from '../console-follow.js';

const TYPES: readonly ConsoleType[] = ['pv', 'serial', 'vuart'];

/** C `atoi`: optional blanks and sign, then digits; anything else stops; no digits → 0. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1]!, 10) | 0 : 0;
}

/**
 * `xl console`: a bad `-t` → `console type supported are: pv, serial, vuart` (exit 1),
 * before the domain is looked up; everything else as `attachConsole`.
 */
export const consoleCommand: XlCommandModule = {
  name: 'console',
  minArgs: 1,
  options: (cmd) => cmd.option('-t <type>').option('-n <num>').option('-e <escape>'),
  async run(ctx) {
    const o = ctx.opts as { t?: string; n?: string; e?: string };
    if (o.t !== undefined && !TYPES.includes(o.t as ConsoleType)) {
      ctx.err('console type supported are: pv, serial, vuart\n');
      return 1;
    }
    return attachConsole(
      { store: ctx.env.store, clock: ctx.env.clock, out: ctx.out, err: ctx.err, terminal: ctx.env.terminal },
      { domain: ctx.args[0]!, type: o.t as ConsoleType | undefined, num: o.n === undefined ? 0 : atoi(o.n), escape: o.e },
    );
  },
};
