/**
 * Guest controls and host-wide knobs that are not part of a domain's lifecycle commands:
 * triggers (`xl trigger`, `xl button-press`), sysrq (`xl sysrq`), a config for the next
 * restart (`xl config-update`), Xen's debug keys (`xl debug-keys`) and runtime
 * hypervisor parameters (`xl set-parameters`).
 *
 * Sources:
 * - Triggers: XEN_DOMCTL_sendtrigger on x86 (xen/arch/x86/domctl.c): `nmi` works for any
 *   domain (the vCPU gets an NMI), `power` and `sleep` press an ACPI button of an HVM
 *   guest (EINVAL for PV/PVH), `init` and `reset` are not implemented on x86 (ENOSYS); a
 *   vCPU id past the domain's gives ESRCH. `s3resume` is not a hypercall: libxl asks
 *   QEMU (`system_wakeup`) and fails with ERROR_INVAL for a guest without one
 *   (tools/libs/light/libxl_domain.c `libxl_send_trigger`, `domain_s3_resume`).
 * - The guest's reaction follows its OS: Linux prints `Uhhuh. NMI received for unknown
 *   reason …` (arch/x86/kernel/nmi.c `unknown_nmi_error`), powers off cleanly on the
 *   power button (systemd-logind), suspends to RAM on the sleep button (kernel/power/
 *   suspend.c); Windows bugchecks on an NMI and shuts down on the power button; a
 *   unikernel ignores them.
 * - Sysrq: libxl writes the letter to `control/sysrq` (libxl.c `libxl_send_sysrq`); a
 *   Linux guest's xenbus watch (drivers/xen/manage.c `sysrq_handler`) clears it and runs
 *   `handle_sysrq` (drivers/tty/sysrq.c), whose action lines the console shows: `s`
 *   syncs, `u` remounts read-only, `b` resets at once, `c` panics, `o` powers off,
 *   `0`–`9` set the console log level, unknown letters print the HELP line. The guest is
 *   modelled with every sysrq function enabled (`kernel.sysrq = 1`, docs/compat.md).
 * - Debug keys: keyhandler.ts. Runtime parameters: the `/params` directory of Xen's
 *   hypfs (xen/include/xen/param.h `*_runtime_param`, tools/libs/hypfs/core.c).
 *
 * Failures are `XenError`s (xen-error.ts) carrying Xen's errno; nothing is written first.
 */
import type { DomainConfig } from '../parser/libxl.js';
import { ShutdownReason } from './api.js';
import { consoleNow, consoleWrite, hvPrint } from './console.js';
import { reschedule } from './cpu.js';
import { Ctx } from './ctx.js';
import { beginHalt, guestCrash, guestShutdown } from './guest/os.js';
import { printkStamp } from './guest/bootlog.js';
import { hash32 } from './prng.js';
import { debugKeysText } from './keyhandler.js';
import type { DomainRecord } from './records.js';
import { XenError } from './xen-error.js';
import { xsWrite } from './xenstore.js';
import { domainExecuting } from './summary.js';

/** libxl_trigger names (tools/libs/light/libxl_types.idl), lower case. */
export type TriggerName = 'unknown' | 'power' | 'sleep' | 'nmi' | 'init' | 'reset' | 's3resume';

/** Every control operation (`Input` `{ kind: 'control', op }` in step.ts). */
export type ControlOp =
  | { kind: 'trigger'; domid: number; trigger: TriggerName; vcpu: number }
  | { kind: 'sysrq'; domid: number; key: string }
  | { kind: 'config-update'; domid: number; config: DomainConfig }
  | { kind: 'debug-keys'; keys: string }
  | { kind: 'set-parameter'; name: string; value: string };

/** What the monitor does once a guest shut down (step.ts binds it). */
export type OnShutdown = (ctx: Ctx, rec: DomainRecord, reason: ShutdownReason) => void;

const NL = '\r\n';

/** The guest kernel's printk line at its current uptime (lines of one reaction share the stamp, so stamps never go back). */
function klog(ctx: Ctx, rec: DomainRecord, text: string): string {
  return `${printkStamp(ctx.runMs(rec) * 1000)} ${text}${NL}`;
}

/** Whether the guest's kernel runs and can react (booted far enough, not halting, running). */
function kernelUp(rec: DomainRecord): boolean {
  return rec.life.state === 'running' && (rec.guest.stage === 'kernel' || rec.guest.stage === 'up');
}

/**
 * XEN_DOMCTL_sendtrigger (plus libxl's QMP `system_wakeup` for `s3resume`) and the
 * guest's reaction. Errors (XenError): ESRCH (no domain, vCPU out of range), EINVAL
 * (`power`/`sleep` for a non-HVM guest, `unknown`, `s3resume` without a device model),
 * ENOSYS (`init`, `reset`: not implemented on x86).
 */
export function sendTrigger(ctx: Ctx, domid: number, trigger: TriggerName, vcpu: number, onShutdown: OnShutdown): void {
  const rec = ctx.domain(domid);
  if (!rec) throw new XenError('NO_SUCH_DOMAIN', 'ESRCH', `domain ${String(domid)} does not exist`, domid);
  if (trigger === 's3resume') {
    if (rec.type !== 'hvm') throw new XenError('INVALID_ARGUMENT', 'EINVAL', `domain ${domid} has no device model to wake it`, domid);
    if (rec.guest.s3) {
      delete rec.guest.s3;
      if (rec.guest.os === 'linux') {
        consoleWrite(ctx, rec, [
          'ACPI: PM: Low-level resume complete', 'ACPI: PM: Restoring platform NVS memory', 'OOM killer enabled.',
          'Restarting tasks ... done.', 'PM: suspend exit',
        ].map((l) => klog(ctx, rec, l)).join(''));
      }
      reschedule(ctx, rec);
    }
    return;
  }
  if (!Number.isInteger(vcpu) || vcpu < 0 || vcpu >= rec.vcpus.length) {
    throw new XenError('INVALID_ARGUMENT', 'ESRCH', `domain ${domid} has no vCPU ${String(vcpu)}`, domid);
  }
  switch (trigger) {
    case 'nmi':
      return nmi(ctx, rec, vcpu, onShutdown);
    case 'power':
    case 'sleep':
      if (rec.type !== 'hvm') throw new XenError('INVALID_ARGUMENT', 'EINVAL', `domain ${domid} has no ACPI buttons (not HVM)`, domid);
      return trigger === 'power' ? powerButton(ctx, rec) : sleepButton(ctx, rec);
    case 'init':
    case 'reset':
      throw new XenError('INVALID_ARGUMENT', 'ENOSYS', `the ${trigger} trigger is not implemented on x86`, domid);
    default:
      throw new XenError('INVALID_ARGUMENT', 'EINVAL', `unknown trigger ${String(trigger)}`, domid);
  }
}

/** An NMI on `vcpu`: Linux logs it and carries on, Windows bugchecks (NMI_HARDWARE_FAILURE). */
function nmi(ctx: Ctx, rec: DomainRecord, vcpu: number, onShutdown: OnShutdown): void {
  // Domain-0's kernel logs to the host's own console, which the machine does not model.
  if (rec.domid === 0 || !kernelUp(rec) || rec.guest.s3) return;
  if (rec.guest.os === 'linux') {
    consoleNow(ctx, rec);
    // A PV kernel reads the reason from the shared info page (0); an HVM one from port 0x61.
    const reason = rec.type === 'hvm' ? ['00', '10', '20', '30'][hash32('nmi', rec.uuid, ctx.runMs(rec)) % 4]! : '00';
    consoleWrite(ctx, rec, klog(ctx, rec, `Uhhuh. NMI received for unknown reason ${reason} on CPU ${vcpu}.`) +
      klog(ctx, rec, 'Dazed and confused, but trying to continue'));
    ctx.putDomain(rec);
    return;
  }
  if (rec.guest.os === 'windows' && rec.guest.stage === 'up') guestCrash(ctx, rec, onShutdown);
}

/** The ACPI power button: an OS that is up shuts down cleanly (logind / Windows). */
function powerButton(ctx: Ctx, rec: DomainRecord): void {
  if (rec.guest.stage !== 'up' || rec.life.state !== 'running' || rec.guest.os === 'unikernel' || rec.guest.s3) return;
  consoleNow(ctx, rec);
  beginHalt(ctx, rec, ShutdownReason.Poweroff);
}

/** The ACPI sleep button: an OS that is up suspends to RAM (S3) until `s3resume`. */
function sleepButton(ctx: Ctx, rec: DomainRecord): void {
  if (rec.guest.stage !== 'up' || rec.life.state !== 'running' || rec.guest.os === 'unikernel' || rec.guest.s3) return;
  consoleNow(ctx, rec);
  if (rec.guest.os === 'linux') {
    consoleWrite(ctx, rec, [
      'PM: suspend entry (deep)', 'Filesystems sync: 0.004 seconds', 'Freezing user space processes',
      'Freezing user space processes completed (elapsed 0.001 seconds)', 'OOM killer disabled.',
      'Freezing remaining freezable tasks', 'Freezing remaining freezable tasks completed (elapsed 0.001 seconds)',
      'printk: Suspending console(s) (use no_console_suspend to debug)',
    ].map((l) => klog(ctx, rec, l)).join(''));
  }
  rec.guest.s3 = true;
  reschedule(ctx, rec);
}

/** drivers/tty/sysrq.c `sysrq_key_table` action messages (Debian 6.1 x86 kernel: no lockdep 'd'). */
const SYSRQ_ACTIONS: Readonly<Record<string, string>> = {
  b: 'Resetting',
  c: 'Trigger a crash',
  e: 'Terminate All Tasks',
  f: 'Manual OOM execution',
  i: 'Kill All Tasks',
  j: 'Emergency Thaw of all frozen filesystems',
  k: 'SAK',
  l: 'Show backtrace of all active CPUs',
  m: 'Show Memory',
  n: 'Nice All RT Tasks',
  o: 'Power Off',
  p: 'Show Regs',
  q: 'Show clockevent devices & pending hrtimers (no others)',
  r: 'Keyboard mode set to system default',
  s: 'Emergency Sync',
  t: 'Show State',
  u: 'Emergency Remount R/O',
  w: 'Show Blocked State',
  z: 'Dump ftrace buffer',
};

/** The HELP line of `__handle_sysrq` for a key with no handler (one help message per handler, table order). */
export const SYSRQ_HELP =
  'sysrq: HELP : loglevel(0-9) reboot(b) crash(c) terminate-all-tasks(e) memory-full-oom-kill(f) kill-all-tasks(i) ' +
  'thaw-filesystems(j) sak(k) show-backtrace-all-active-cpus(l) show-memory-usage(m) nice-all-RT-tasks(n) poweroff(o) ' +
  'show-registers(p) show-all-timers(q) unraw(r) sync(s) show-task-states(t) unmount(u) show-blocked-tasks(w) ' +
  'dump-ftrace-buffer(z) ';

/**
 * `xl sysrq`: writes `key` to the guest's `control/sysrq`; a Linux guest whose xenbus
 * driver runs clears the node and handles the key at once (see the module comment).
 * Errors: NO_SUCH_DOMAIN; INVALID_ARGUMENT for a key that is not one character; DOMAIN_0
 * for `b`, `c`, `o` aimed at Domain-0 (they would reset, crash or power off the host).
 */
export function sendSysrq(ctx: Ctx, domid: number, key: string, onShutdown: OnShutdown): void {
  const rec = ctx.domain(domid);
  if (!rec) throw new XenError('NO_SUCH_DOMAIN', 'ESRCH', `domain ${String(domid)} does not exist`, domid);
  if (typeof key !== 'string' || key.length !== 1) throw new XenError('INVALID_ARGUMENT', 'EINVAL', 'a sysrq key is one character', domid);
  if (rec.domid === 0 && 'bco'.includes(key)) {
    throw new XenError('DOMAIN_0', 'EPERM', `sysrq '${key}' would ${key === 'b' ? 'reset' : key === 'c' ? 'crash' : 'power off'} the host itself`, 0);
  }
  const path = `/local/domain/${rec.domid}/control/sysrq`;
  xsWrite(ctx, path, key);
  if (rec.domid === 0) return;
  if (rec.guest.os !== 'linux' || !rec.guest.xenbus || !domainExecuting(rec) || !kernelUp(rec) || rec.guest.s3) {
    ctx.putDomain(rec);
    return;
  }
  xsWrite(ctx, path, '');
  consoleNow(ctx, rec);
  const action = SYSRQ_ACTIONS[key];
  if (key >= '0' && key <= '9') {
    consoleWrite(ctx, rec, klog(ctx, rec, 'sysrq: Changing Loglevel') + klog(ctx, rec, `sysrq: Loglevel set to ${key}`));
  } else if (!action) {
    consoleWrite(ctx, rec, klog(ctx, rec, SYSRQ_HELP));
  } else {
    consoleWrite(ctx, rec, klog(ctx, rec, `sysrq: ${action}`));
  }
  switch (key) {
    case 's':
      consoleWrite(ctx, rec, klog(ctx, rec, 'Emergency Sync complete'));
      break;
    case 'u':
      consoleWrite(ctx, rec, klog(ctx, rec, 'Emergency Remount complete'));
      break;
    case 'b':
      // emergency_restart: no services stop, the domain shuts down with reason reboot at once.
      guestShutdown(ctx, rec, ShutdownReason.Reboot, onShutdown);
      return;
    case 'c':
      guestCrash(ctx, rec, onShutdown, 'sysrq triggered crash');
      return;
    case 'o':
      consoleWrite(ctx, rec, klog(ctx, rec, 'reboot: Power down'));
      guestShutdown(ctx, rec, ShutdownReason.Poweroff, onShutdown);
      return;
    default:
      break;
  }
  ctx.putDomain(rec);
}

/**
 * `xl config-update`: keeps `config` as the config the domain is rebuilt from at its
 * next restart (libxl_userdata_store "xl"); the running config (`xl list -l`) is
 * unchanged. Errors: NO_SUCH_DOMAIN, INVALID_ARGUMENT (not a config object).
 */
export function updateConfig(ctx: Ctx, domid: number, config: DomainConfig): void {
  const rec = ctx.domain(domid);
  if (!rec) throw new XenError('NO_SUCH_DOMAIN', 'ESRCH', `domain ${String(domid)} does not exist`, domid);
  let copy: DomainConfig;
  try {
    copy = structuredClone(config);
  } catch {
    throw new XenError('INVALID_ARGUMENT', 'EINVAL', 'config is not plain data', domid);
  }
  if (typeof copy !== 'object' || copy === null || typeof copy.c_info !== 'object' || typeof copy.b_info !== 'object') {
    throw new XenError('INVALID_ARGUMENT', 'EINVAL', 'config must have c_info and b_info objects', domid);
  }
  rec.pendingConfig = copy;
  ctx.putDomain(rec);
}

/** Kinds of hypfs node a runtime parameter is (tools/libs/hypfs/core.c `xenhypfs_write`). */
type ParamKind = 'bool' | 'string' | 'custom';

/** One runtime parameter of Xen 4.20 x86 (`/params/<name>` in hypfs) and how a value is checked. */
interface RuntimeParam {
  kind: ParamKind;
  /** For strings: the buffer size, value length must be below it (hypfs ENOSPC otherwise). */
  size?: number;
  /** For custom parameters: whether Xen's parse function accepts the value (EINVAL otherwise). */
  accepts?: (v: string) => boolean;
}

const BOOL_WORDS = ['1', '0', 'on', 'off', 'yes', 'no', 'true', 'false', 'enable', 'disable'];
const LOGLVL = /^(none|error|warning|info|debug|all)(\/(none|error|warning|info|debug|all))?$/;

/**
 * The runtime parameters of an x86 Xen 4.20 (every `*_runtime_param` in xen/: console.c,
 * keyhandler.c, grant_table.c, pv/domain.c, hvm/vmx/vmcs.c). Boot-only parameters are
 * not in hypfs, so writing them fails with ENOENT.
 */
export const RUNTIME_PARAMS: ReadonlyMap<string, RuntimeParam> = new Map<string, RuntimeParam>([
  ['conswitch', { kind: 'string', size: 3 }],
  ['console_timestamps', { kind: 'custom', accepts: (v) => ['none', 'date', 'datems', 'boot', 'raw'].includes(v) || BOOL_WORDS.includes(v) }],
  ['loglvl', { kind: 'custom', accepts: (v) => LOGLVL.test(v) }],
  ['guest_loglvl', { kind: 'custom', accepts: (v) => LOGLVL.test(v) }],
  ['crash-debug-panic', { kind: 'string', size: 32 }],
  ['crash-debug-hwdom', { kind: 'string', size: 32 }],
  ['crash-debug-watchdog', { kind: 'string', size: 32 }],
  ['crash-debug-kexeccmd', { kind: 'string', size: 32 }],
  ['crash-debug-debugkey', { kind: 'string', size: 32 }],
  ['gnttab_max_frames', { kind: 'custom', accepts: (v) => /^(0x[0-9a-f]+|[0-9]+)$/i.test(v) }],
  ['gnttab_max_maptrack_frames', { kind: 'custom', accepts: (v) => /^(0x[0-9a-f]+|[0-9]+)$/i.test(v) }],
  ['pcid', { kind: 'custom', accepts: (v) => BOOL_WORDS.includes(v) || v === 'xpti' || v === 'noxpti' }],
  ['global-pages', { kind: 'bool' }],
  ['ept', { kind: 'custom', accepts: (v) => /^exec-sp=(1|0|on|off|yes|no|true|false|enable|disable)$/.test(v) }],
]);

/**
 * Writes one runtime parameter (`/params/<name>` in hypfs). Errors (XenError): ENOENT
 * (not a runtime parameter), EDOM (a boolean that is not one of hypfs's words), ENOSPC
 * (string too long), EINVAL (Xen's parser refuses the value). The emulated hypervisor
 * accepts the value; nothing it prints changes (docs/compat.md).
 */
export function setParameter(name: string, value: string): void {
  const p = typeof name === 'string' ? RUNTIME_PARAMS.get(name) : undefined;
  if (!p) throw new XenError('INVALID_ARGUMENT', 'ENOENT', `${String(name)} is not a runtime parameter`);
  if (typeof value !== 'string') throw new XenError('INVALID_ARGUMENT', 'EINVAL', 'a parameter value is a string');
  if (p.kind === 'bool' && !BOOL_WORDS.includes(value)) throw new XenError('INVALID_ARGUMENT', 'EDOM', `${name} takes a boolean`);
  if (p.kind === 'string' && value.length + 1 > (p.size ?? 64)) throw new XenError('INVALID_ARGUMENT', 'ENOSPC', `${name} is at most ${(p.size ?? 64) - 1} characters`);
  if (p.kind === 'custom' && !p.accepts!(value)) throw new XenError('INVALID_ARGUMENT', 'EINVAL', `${name} does not accept ${value}`);
}

/** Runs one control operation (the `control` case of step.ts). */
export function controlStep(ctx: Ctx, op: ControlOp, onShutdown: OnShutdown): undefined {
  switch (op.kind) {
    case 'trigger':
      sendTrigger(ctx, op.domid, op.trigger, op.vcpu, onShutdown);
      return undefined;
    case 'sysrq':
      sendSysrq(ctx, op.domid, op.key, onShutdown);
      return undefined;
    case 'config-update':
      updateConfig(ctx, op.domid, op.config);
      return undefined;
    case 'debug-keys':
      if (typeof op.keys !== 'string') throw new XenError('INVALID_ARGUMENT', 'EINVAL', 'debug keys are a string');
      // 'R' reboots the machine itself: the emulated host refuses it, like Domain-0's shutdown.
      if (op.keys.includes('R')) throw new XenError('DOMAIN_0', 'EPERM', "debug key 'R' would reboot the host itself");
      hvPrint(ctx, debugKeysText(ctx, op.keys));
      return undefined;
    case 'set-parameter':
      setParameter(op.name, op.value);
      return undefined;
    default:
      throw new XenError('INVALID_ARGUMENT', 'EINVAL', `unknown control operation ${String((op as { kind?: unknown }).kind)}`);
  }
}
