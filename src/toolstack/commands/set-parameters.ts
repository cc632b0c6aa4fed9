/**
 * `xl set-parameters <Params>` (tools/xl/xl_misc.c `main_set_parameters`,
 * tools/libs/light/libxl.c `libxl_set_parameters`): the argument is a blank-separated
 * list of `name=value` (or `noname`, meaning `name=no`); each is written to Xen's hypfs
 * as `/params/<name>`. Only runtime parameters exist there (machine controls.ts
 * `RUNTIME_PARAMS`: loglvl, guest_loglvl, console_timestamps, conswitch, gnttab_max_frames,
 * …); any other name fails with ENOENT, a bad value with EINVAL/EDOM/ENOSPC: libxl's
 * `setting parameters: <strerror>`, then `cannot set parameters: <Params>`, exit 1.
 */
import { STRERROR, XenError } from '../../machine/xen-error.js';
import type { XlCommandModule } from '../command.js';
import { libxlLine } from '../format/log.js';
import { MORE_SITES as S } from '../format/log-sites.js';

/** libxl's split of the parameter string into `[name, value]` pairs, in order. */
export function splitParameters(params: string): [string, string][] {
  const out: [string, string][] = [];
  let rest = params.replace(/^[ \t]+/, '');
  while (rest !== '') {
    const sp = rest.indexOf(' ');
    const tok = sp < 0 ? rest : rest.slice(0, sp);
    rest = sp < 0 ? '' : rest.slice(sp).replace(/^[ \t]+/, '');
    const eq = tok.indexOf('=');
    if (eq < 0 && tok.startsWith('no')) out.push([tok.slice(2), 'no']);
    else if (eq < 0) out.push([tok, '']);
    else out.push([tok.slice(0, eq), tok.slice(eq + 1)]);
  }
  return out;
}

/** `xl set-parameters`: change hypervisor runtime parameters. */
export const setParametersCommand: XlCommandModule = {
  name: 'set-parameters',
  minArgs: 1,
  run: (ctx) =>
    ctx.withHost(async (host) => {
      const params = ctx.args[0]!;
      for (const [name, value] of splitParameters(params)) {
        try {
          host.setParameter(name, value);
        } catch (e) {
          if (!(e instanceof XenError)) throw e;
          ctx.err(libxlLine('error', S.setParameters, undefined, 'setting parameters', STRERROR[e.errno]));
          ctx.err(`cannot set parameters: ${params}\n`);
          return 1;
        }
      }
      return 0;
    }),
};
