/**
 * `xl top` run through the program itself — a script of xl commands (`xlsim < script`),
 * an in-process caller. Real xl runs `xentop` (tools/xl/xl_misc.c `main_top`:
 * `system("xentop")`); xlsim's xentop is the dashboard, which needs the terminal, so the
 * CLI and the prompt start it themselves (cli.ts `xlsim top`, tui/). Here no terminal is
 * handed over: it says where the dashboard is, exit 1.
 */
import type { XlCommandModule } from '../command.js';

/** `xl top` without a terminal: see the module comment. */
export const topCommand: XlCommandModule = {
  name: 'top',
  minArgs: 0,
  async run(ctx) {
    ctx.err("xlsim: 'xl top' is the xentop dashboard, which needs a terminal: run 'xlsim top' from a shell or at the prompt ('xlsim top -b' prints xentop's batch output)\n");
    return 1;
  },
};
