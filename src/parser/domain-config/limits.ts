/**
 * xl_parse.c: grant-table limits (`max_grant_frames`, `max_maptrack_frames`, `max_grant_version`) and the `on_*` actions.
 */
import { getBoundedLong } from '../getters.js';
import { MAX_GRANT_DEFAULT_U32, INT_MAX, Exit, u32, i32, NO_XL_CONF, Builder } from './builder.js';

/** xl's on_* names (xl_parse.c action_on_shutdown_names) → libxl JSON names; undefined for any other text. */
export function actionName(v: string): string | undefined {
  switch (v) {
    case 'destroy':
      return 'destroy';
    case 'restart':
      return 'restart';
    case 'rename-restart':
      return 'restart_rename';
    case 'preserve':
      return 'preserve';
    case 'coredump-destroy':
      return 'coredump_destroy';
    case 'coredump-restart':
      return 'coredump_restart';
    case 'soft-reset':
      return 'soft_reset';
    default:
      return undefined;
  }
}

/** The on_* keys with xl's default action for each, in xl's order (xl_parse.c step 17). */
export const ON_EVENT_DEFAULTS: readonly (readonly [string, string])[] = [
  ['on_poweroff', 'destroy'],
  ['on_reboot', 'restart'],
  ['on_watchdog', 'destroy'],
  ['on_crash', 'destroy'],
  ['on_soft_reset', 'soft-reset'],
];

/** Grant limits: `xlu_cfg_get_bounded_long(…, 0, INT_MAX, …, dont_warn=1)`; ESRCH → xl.conf value; other failure → silent exit 1. */
export function grantLimit(
  b: Builder,
  key: string,
  xlConfValue: number | undefined,
  initValue: number,
  conv: (n: number) => number,
): void {
  const st = b.cfg.get(key);
  let v: number | undefined;
  if (st === undefined) {
    v = xlConfValue;
  } else {
    v = getBoundedLong(b.cfg, key, 0, INT_MAX);
    if (v === undefined) {
      b.messages.push({
        text: '',
        severity: 'error',
        code: 'XL120',
        message: `${key} must be a number from 0 to ${INT_MAX}: xl exits with status 1 without a message`,
        setting: st,
      });
      throw new Exit(1);
    }
  }
  if (v !== undefined && conv(v) !== conv(initValue)) b.b_info[key] = conv(v);
}

/** Steps 16–17: grant-table limits and the `on_*` actions. */
export function grantsAndActions(b: Builder): void {
  const xlConf = b.opts.xlConf ?? NO_XL_CONF;
  // step 16: grant limits (bounded 0..INT_MAX, silent; a bad value exits 1 with no message)
  grantLimit(b, 'max_grant_frames', xlConf.maxGrantFrames, MAX_GRANT_DEFAULT_U32, u32);
  grantLimit(b, 'max_maptrack_frames', xlConf.maxMaptrackFrames, MAX_GRANT_DEFAULT_U32, u32);
  grantLimit(b, 'max_grant_version', xlConf.maxGrantVersion, -1, i32);

  // step 17: on_* actions
  for (const [key, dflt] of ON_EVENT_DEFAULTS) {
    const v = b.str(key) ?? dflt;
    const action = actionName(v);
    if (action === undefined) b.fatal(`Unknown ${key} action "${v}" specified\n`, 'XL115', 1, key);
    if (action !== 'destroy') (b.d as Record<string, unknown>)[key] = action;
  }
}
