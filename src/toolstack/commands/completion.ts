/**
 * Shell completion for `xlsim` (xlsim extensions, matched by exact name only):
 * - `xlsim completion bash` prints a bash script; `source <(xlsim completion bash)` (or
 *   save it under /etc/bash_completion.d/) and Tab completes like the REPL does.
 * - `xlsim __complete LINE` prints the candidates for the end of LINE, one a line: what
 *   the script calls on every Tab (complete.ts decides).
 */
import type { CmdSpec } from '../cmdtable.js';
import type { XlCommandModule } from '../command.js';
import { complete } from '../complete.js';
import { fsSources } from '../complete-fs.js';

/** The bash completion script (bash ≥ 4): asks `xlsim __complete` for the word under the cursor. */
export const BASH_COMPLETION = `# bash completion for xlsim — source this file, or: source <(xlsim completion bash)
_xlsim_complete() {
  local IFS=$'\\n' line="\${COMP_LINE:0:COMP_POINT}" cur="\${COMP_WORDS[COMP_CWORD]}"
  local -a hits
  hits=( $(xlsim __complete "$line" 2>/dev/null) )
  # complete.ts replaces the whole word under the cursor; bash splits words at '=' and ':'
  # too, so keep only the part after the last such break.
  local i
  for i in "\${!hits[@]}"; do
    case "$cur" in
      *[=:]*) hits[$i]="\${hits[$i]##*[=:]}" ;;
    esac
  done
  COMPREPLY=( "\${hits[@]}" )
  if [[ \${#COMPREPLY[@]} -eq 1 && \${COMPREPLY[0]} == */ ]]; then compopt -o nospace 2>/dev/null; fi
}
complete -o default -F _xlsim_complete xlsim
`;

/** Help-table row of `completion`. */
export const COMPLETION_SPEC: CmdSpec = {
  name: 'completion',
  desc: 'Print a shell completion script (xlsim extension)',
  usage: 'bash',
  modifies: false,
  canDryrun: false,
};

/** Help-table row of `__complete` (for the completion script; not listed). */
export const COMPLETE_SPEC: CmdSpec = {
  name: '__complete',
  desc: 'Print completion candidates for a command line (used by the completion script)',
  usage: '<line>',
  modifies: false,
  canDryrun: false,
};

/** `xlsim completion bash`. */
export const completionCommand: XlCommandModule = {
  name: 'completion',
  minArgs: 1,
  async run(ctx) {
    if (ctx.args[0] !== 'bash') {
      ctx.err(`xlsim completion: only bash is supported (got '${ctx.args[0]}')\n`);
      return 2;
    }
    ctx.out(BASH_COMPLETION);
    return 0;
  },
};

/** `xlsim __complete LINE`: candidates for the end of LINE, one a line. */
export const completeCommand: XlCommandModule = {
  name: '__complete',
  minArgs: 0,
  async run(ctx) {
    const line = ctx.args.join(' ').replace(/^\s*(xlsim|xl)(\s+|$)/, '');
    const domains = await ctx.readHost((h) => h.listDomains().flatMap((d) => [d.name, String(d.domid)])).catch(() => [] as string[]);
    const c = complete(line, fsSources(() => domains, ctx.env.store.dir));
    for (const cand of c.candidates) ctx.out(`${cand.trimEnd()}\n`);
    return 0;
  },
};
