/**
 * `xl dump-core <Domain> <filename>` (tools/xl/xl_misc.c `main_dump_core`,
 * `core_dump_domain`; libxl_domain.c `libxl_domain_core_dump`; libxc xg_core.c
 * `xc_domain_dumpcore`): writes the domain's ELF core file (saverestore/elfcore.ts).
 *
 * libxc creates the file first (mode 0600, truncated), so a domid that names no domain
 * still leaves an empty file: `xc: error: Could not get info for dom<N> (3 = No such
 * process): Internal error`, libxl's `Core dumping domain to <file>: No such process`,
 * then xl's `core dump failed (rc=-3)`, exit 1. A file that cannot be created fails the
 * same way with `Could not open corefile`. Success is silent, exit 0. The guest keeps
 * running (libxc dumps a live domain).
 */
import { fsPromises } from '../lazy-require.js';
import type { XlCommandModule } from '../command.js';
import { findDomain } from '../domain-arg.js';
import { libxlLine } from '../format/log.js';
import { strerror } from '../io.js';
import { writeCore } from '../saverestore/elfcore.js';

/** libxl_domain.c:599 (Xen 4.20.0). */
const CORE_DUMP_SITE = { file: 'libxl_domain.c', line: 599, func: 'libxl_domain_core_dump' };

/** errno numbers of the errors creating a file can give (Linux). */
const ERRNO: Record<string, number> = { EPERM: 1, ENOENT: 2, EIO: 5, EACCES: 13, EEXIST: 17, ENOTDIR: 20, EISDIR: 21, ENOSPC: 28, EROFS: 30, ENAMETOOLONG: 36, ELOOP: 40 };
const MORE_STRERROR: Record<string, string> = { ENOSPC: 'No space left on device', EROFS: 'Read-only file system', EEXIST: 'File exists' };

/** `xl dump-core`: see the module comment. */
export const dumpCoreCommand: XlCommandModule = {
  name: 'dump-core',
  minArgs: 2,
  async run(ctx) {
    const [dom, file] = ctx.args as [string, string];
    const found = await ctx.readHost((host) => {
      const domid = findDomain(host, dom, ctx.err);
      const seed = host.seed();
      return { domid, info: host.domain(domid), xen: { major: seed.xenMajor, minor: seed.xenMinor, extra: seed.xenExtra } };
    });
    const fail = (xcLine: string, errText: string): number => {
      ctx.err(xcLine);
      ctx.err(libxlLine('error', CORE_DUMP_SITE, found.domid, `Core dumping domain to ${file}`, errText));
      ctx.err('core dump failed (rc=-3)\n');
      return 1;
    };
    let fh;
    try {
      fh = await fsPromises().open(file, 'w', 0o600);
    } catch (e) {
      const code = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'EIO';
      const text = MORE_STRERROR[code] ?? strerror(code);
      return fail(`xc: error: Could not open corefile ${file} (${ERRNO[code] ?? 5} = ${text}): Internal error\n`, text);
    }
    try {
      if (!found.info) return fail(`xc: error: Could not get info for dom${found.domid} (3 = No such process): Internal error\n`, 'No such process');
      await writeCore(fh, found.info, found.xen);
      return 0;
    } catch (e) {
      const code = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'EIO';
      const text = MORE_STRERROR[code] ?? strerror(code);
      return fail(`xc: error: Failed to write buffer (${ERRNO[code] ?? 5} = ${text}): Internal error\n`, text);
    } finally {
      await fh.close();
    }
  },
};
