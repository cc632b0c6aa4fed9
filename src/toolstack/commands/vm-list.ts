/**
 * `xl vm-list` (tools/xl/xl_info.c `main_vm_list`, `list_vm`; xl-commands.md §3.3).
 * Despite the man page, Domain-0 is included (only stub domains are left out).
 */
import type { XlCommandModule } from '../command.js';
import { padRight } from '../format/printf.js';

/** `xl vm-list`: `UUID  ID    name` per domain. */
export const vmListCommand: XlCommandModule = {
  name: 'vm-list',
  minArgs: 0,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      let out = 'UUID                                  ID    name\n';
      for (const d of host.listDomains()) out += `${d.uuid}  ${d.domid}    ${padRight(d.name, 30)}\n`;
      ctx.out(out);
      return 0;
    }),
};
