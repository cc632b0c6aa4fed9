/**
 * `xl list -l` JSON (tools/xl/xl_info.c `list_domains_details`, printed with yajl as xl
 * 4.20 does; xl-commands.md §3.4). The per-domain config object comes from the parser's
 * `domainConfigJson`; this module wraps it as `[{"domid": N, "config": {…}}, …]`.
 */
import type { DomainInfo } from '../../machine/api.js';
import { domainConfigJson, yajlStringify } from './libxl-json.js';

/**
 * The exact stdout of `xl list -l` for `domains` (ascending domid): a yajl-beautified
 * array ending in `]\n` plus the newline of xl's `puts` (so `]\n\n`). Domain-0 carries
 * the stub config written at boot (no create-time fields, as init-dom-json writes it).
 * Each domain must carry its config (`listDomains({ config: true })`); one without is
 * printed with an empty PV config.
 */
export function listLongJson(domains: readonly DomainInfo[]): string {
  const items = domains.map((d) => ({
    domid: d.domid,
    config: domainConfigJson(d.config ?? { c_info: { type: 'pv' }, b_info: { sched_params: {}, arch_arm: {}, arch_x86: {} } }, {
      for: d.domid === 0 ? 'create-n' : 'list-l',
    }),
  }));
  return `${yajlStringify(items)}\n`;
}
