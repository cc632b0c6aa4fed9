/**
 * `xl block-list <Domain(s)>` and `xl network-list <Domain(s)>` (tools/xl/xl_block.c
 * `main_blocklist`, tools/xl/xl_nic.c `main_networklist`; xl-commands.md §3.7).
 */
import type { XlCommandModule } from '../command.js';
import { findDomain, qualifierToDomid } from '../domain-arg.js';
import { padLeft, padRight } from '../format/printf.js';

/** `xl block-list`: one header, then each domain's vbds; a bad name is reported and skipped (exit 0). */
export const blockListCommand: XlCommandModule = {
  name: 'block-list',
  minArgs: 1,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      ctx.out(`${padRight('Vdev', 5)} ${padRight('BE', 3)} ${padRight('handle', 6)} ${padRight('state', 5)} ${padRight('evt-ch', 6)} ${padRight('ring-ref', 8)} ${padRight('BE-path', 30)}\n`);
      for (const arg of ctx.args) {
        const domid = qualifierToDomid(host, arg);
        if (domid === undefined) {
          ctx.err(`${arg} is an invalid domain identifier\n`);
          continue;
        }
        for (const d of host.devices(domid).filter((x) => x.kind === 'vbd')) {
          ctx.out(
            `${padRight(d.devid, 5)} ${padRight(d.backendDomid, 3)} ${padRight(d.frontendDomid, 6)} ${padRight(d.state, 5)} ` +
              `${padRight(d.evtch, 6)} ${padRight(d.ringRef, 8)} ${padRight(d.backendPath, 30)}\n`,
          );
        }
      }
      return 0;
    }),
};

/** `xl network-list`: one header, then each domain's vifs; a bad name exits 1 (`find_domain`). */
export const networkListCommand: XlCommandModule = {
  name: 'network-list',
  minArgs: 1,
  run: (ctx) =>
    ctx.readHost(async (host) => {
      ctx.out(
        `${padRight('Idx', 3)} ${padRight('BE', 2)} ${padRight('Mac Addr.', 17)} ${padRight('handle', 6)} ${padRight('state', 5)} ` +
          `${padRight('evt-ch', 6)} ${padLeft('tx-', 5)}/${padRight('rx-ring-ref', 5)} ${padRight('BE-path', 30)}\n`,
      );
      for (const arg of ctx.args) {
        const domid = findDomain(host, arg, ctx.err);
        for (const d of host.devices(domid).filter((x) => x.kind === 'vif')) {
          ctx.out(
            `${padRight(d.devid, 3)} ${padRight(d.backendDomid, 2)} ${d.mac ?? '00:00:00:00:00:00'}` +
              `${padLeft(d.devid, 6)} ${padLeft(d.state, 5)} ${padLeft(d.evtch, 6)} ${padLeft(d.ringRef, 5)}/${padRight(d.rxRingRef ?? -1, 11)} ` +
              `${padRight(d.backendPath, 30)}\n`,
          );
        }
      }
      return 0;
    }),
};
