/**
 * The HVM `rdm=` option: how reserved device memory (RMRR regions of passed-through
 * PCI devices) is kept out of the guest's RAM map.
 *
 * Follows `xlu_rdm_parse` and `parse_rdm_policy` (tools/libs/util/libxlu_pci.c) and the
 * `rdm=` handling of `parse_config_data` (tools/xl/xl_parse.c); xl-cfg-format.md §4.10.
 */

import type { SpecMessage, SpecResult } from './types.js';

/** A parsed `rdm=` value (libxl_rdm_reserve); unset fields are left to libxl (strategy ignore, policy relaxed). */
export interface RdmReserve {
  strategy?: 'host' | 'ignore';
  policy?: 'strict' | 'relaxed';
}

/**
 * Parse `rdm="strategy=host,policy=strict|relaxed"` exactly as libxlu does, including
 * the upstream bug (since Xen 4.15) that inverts the policy check: a *valid* policy
 * makes the whole string fail, an unknown one prints `Unknown RDM policy: <v>` and is
 * accepted with the policy left unset. xl drops a failed rdm= without a word and goes
 * on, so this never sets an exit code.
 *
 * State machine over `key=value` pairs separated by `,`: keys `strategy` (value `host`,
 * case-sensitive) and `policy` (case-insensitive `strict`, `relaxed`, `invalid`). A
 * trailing comma or an empty string fails.
 *
 * @param text the `rdm=` string
 * @returns `value`: the reserve settings xl keeps, or undefined when xl discards the
 *   option. `messages`: libxlu's lines (no trailing newline: `Unknown RDM state option: <k>`,
 *   `Unknown RDM strategy option: <v>`, `Unknown RDM policy: <v>`), each a `warning`
 *   (code XL241) since xl goes on; plus an xlsim-only XL241 warning with empty text
 *   whenever xl silently drops the option, explaining why (notably the inverted policy
 *   check). `exitCode` is always undefined. Never throws.
 */
export function parseRdmSpec(text: string): SpecResult<RdmReserve> {
  const messages: SpecMessage[] = [];
  const rdm: RdmReserve = {};
  const dropped = (why: string): SpecResult<RdmReserve> => {
    messages.push({
      text: '',
      severity: 'warning',
      code: 'XL241',
      message: `xl ignores this rdm= setting without a message: ${why}`,
      span: [0, text.length],
    });
    return { messages };
  };
  type State = 'type' | 'strategy' | 'policy';
  let state: State = 'type';
  let tok = 0;
  // Walk every character including the terminating NUL (index text.length).
  for (let ptr = 0; ptr <= text.length; ptr++) {
    const c = ptr < text.length ? text[ptr] : '\0';
    if (state === 'type') {
      if (c === '=') {
        const key = text.slice(tok, ptr);
        if (key === 'strategy') state = 'strategy';
        else if (key === 'policy') state = 'policy';
        else {
          messages.push({
            text: `Unknown RDM state option: ${key}`,
            severity: 'warning',
            code: 'XL241',
            message: `"${key}" is not an rdm= key; the keys are strategy and policy`,
            span: [tok, ptr],
          });
          return dropped(`"${key}" is not a key (use strategy=host[,policy=strict|relaxed])`);
        }
        tok = ptr + 1;
      }
    } else if (c === ',' || c === '\0') {
      const value = text.slice(tok, ptr);
      const span: [number, number] = [tok, ptr];
      if (state === 'strategy') {
        if (value === 'host') rdm.strategy = 'host';
        else {
          messages.push({
            text: `Unknown RDM strategy option: ${value}`,
            severity: 'warning',
            code: 'XL241',
            message: `the only rdm strategy is host, not "${value}"`,
            span,
          });
          return dropped(`strategy "${value}" is unknown`);
        }
      } else {
        const v = value.toLowerCase();
        if (v === 'strict' || v === 'relaxed' || v === 'invalid') {
          // Upstream inverts this test: a policy libxl knows fails the whole parse.
          return dropped(
            `since Xen 4.15 libxlu inverts its policy check, so any valid policy ("${value}") makes the ` +
              'whole rdm= string invalid. Write rdm="strategy=host" and set the policy per device ' +
              'with rdm_policy= in each pci= entry (the libxl default policy is relaxed)',
          );
        }
        messages.push({
          text: `Unknown RDM policy: ${value}`,
          severity: 'warning',
          code: 'XL241',
          message: `"${value}" is not an rdm policy (strict or relaxed); xl goes on with the policy unset (libxl uses relaxed)`,
          span,
        });
      }
      state = 'type';
      tok = ptr + 1;
    }
  }
  // After the loop C's ptr is one past the NUL; tok must be there and the state idle.
  if (tok !== text.length + 1 || state !== 'type') {
    return dropped(
      text === ''
        ? 'the string is empty (write rdm="strategy=host")'
        : 'it does not end with a complete key=value pair (no trailing comma; write rdm="strategy=host")',
    );
  }
  return { value: rdm, messages };
}
