/**
 * Every XL4xx lint rule (docs/rules.md), one record each in `rules/<group>.ts`, in the
 * order they run. Each is independent of the others and of xl's processing order, so one
 * run reports every problem even where xl would stop at its first fatal error.
 *
 * Groups: `keys.ts` (unknown, obsolete, deprecated, repeated, other-architecture keys),
 * `values.ts` (numbers, booleans, escapes, nesting), `memory-vcpus.ts`, `guest-type.ts`,
 * `boot.ts` (kernel command line, direct boot), `devices.ts` (disk, vif, vfb),
 * `man-page.ts` (traps documented in xl.cfg(5)), `libxl.ts` (creation-time refusals).
 */
import { unknownKeys } from './keys.js';
import { numbers } from './values.js';
import { octalEscapes } from './values.js';
import { nestedLists } from './values.js';
import { repeatedKeys } from './keys.js';
import { memoryAndVcpus } from './memory-vcpus.js';
import { typeRules } from './guest-type.js';
import { archKeys } from './keys.js';
import { kernelRules } from './boot.js';
import { diskRules } from './devices.js';
import { vifRules } from './devices.js';
import { vfbRules } from './devices.js';
import { manPageTraps } from './man-page.js';
import { libxlRules } from './libxl.js';
import { deviceRefusals } from './libxl.js';
import { firmwareAndPassthrough } from './libxl.js';
import type { LintRule } from './rule.js';

export * from './rule.js';
export { guestType } from './guest-type.js';
export { DEPRECATED_KEYS, OBSOLETE_KEYS, XM_KEYS } from './keys.js';

/** The rules in the order they run. */
export const LINT_RULES: readonly LintRule[] = [
  unknownKeys,
  numbers,
  octalEscapes,
  nestedLists,
  repeatedKeys,
  memoryAndVcpus,
  typeRules,
  archKeys,
  kernelRules,
  diskRules,
  vifRules,
  vfbRules,
  manPageTraps,
  libxlRules,
  deviceRefusals,
  firmwareAndPassthrough,
];
