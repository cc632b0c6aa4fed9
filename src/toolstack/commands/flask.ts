/**
 * `xl getenforce`, `xl setenforce <1|0|Enforcing|Permissive>`, `xl loadpolicy <policy
 * file>` (tools/xl/xl_flask.c; tools/libs/ctrl/xc_flask.c), as on a host whose Xen has
 * no FLASK: the XSM hypercall answers ENOSYS. getenforce prints `Flask XSM Disabled` on
 * stdout, setenforce and loadpolicy `Flask XSM disabled` on stderr; all three return -1
 * (exit status 255). A missing or bad argument prints the command's help and returns 2
 * (these commands do no getopt of their own); an unreadable policy file prints `Error
 * occurred opening policy file '<f>': <strerror>` (255).
 */
import { commandHelp } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import { readFileBytes } from '../io.js';

/** `xl getenforce`: FLASK is not enabled on the emulated Xen. */
export const getenforceCommand: XlCommandModule = {
  name: 'getenforce',
  minArgs: 0,
  run: async (ctx) => {
    ctx.out('Flask XSM Disabled\n');
    return 255;
  },
};

/** `xl setenforce`: the mode is checked, then the hypercall fails with ENOSYS. */
export const setenforceCommand: XlCommandModule = {
  name: 'setenforce',
  minArgs: 0,
  run: async (ctx) => {
    const p = ctx.args[0];
    if (p === undefined || !['0', '1', 'permissive', 'enforcing'].includes(/^[01]$/.test(p) ? p : p.toLowerCase())) {
      ctx.out(commandHelp(ctx.spec));
      return 2;
    }
    ctx.err('Flask XSM disabled\n');
    return 255;
  },
};

/** `xl loadpolicy`: the file is read, then the hypercall fails with ENOSYS. */
export const loadpolicyCommand: XlCommandModule = {
  name: 'loadpolicy',
  minArgs: 0,
  run: async (ctx) => {
    const f = ctx.args[0];
    if (f === undefined) {
      ctx.out(commandHelp(ctx.spec));
      return 2;
    }
    const read = await (ctx.env.readFile ?? readFileBytes)(f);
    if (!read.ok) {
      ctx.err(`Error occurred opening policy file '${f}': ${read.strerror}\n`);
      return 255;
    }
    ctx.err('Flask XSM disabled\n');
    return 255;
  },
};
