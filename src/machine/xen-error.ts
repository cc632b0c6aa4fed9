/**
 * A `HostError` that also carries the errno Xen's hypercall (or xenstored, or hypfs)
 * would return for the same failure, so the toolstack can print libxl's log line with
 * the right `strerror` text (`…: Device or resource busy`). Used by the machine
 * modules that model hypercalls with several distinct failures (pools.ts, controls.ts).
 */
import type { HostErrorCode } from './api.js';
import { HostError } from './errors.js';

/** errno values the machine reports (Linux numbering is not needed, only the names). */
export type Errno =
  | 'ENOENT' | 'EBUSY' | 'EINVAL' | 'ENODEV' | 'EADDRNOTAVAIL' | 'EPERM' | 'ENOSPC' | 'ESRCH' | 'ENOSYS' | 'EACCES' | 'EDOM';

/** glibc `strerror` texts of `Errno` (glibc string/_strerror.c, sysdeps/gnu/errlist.h). */
export const STRERROR: Readonly<Record<Errno, string>> = {
  ENOENT: 'No such file or directory',
  EBUSY: 'Device or resource busy',
  EINVAL: 'Invalid argument',
  ENODEV: 'No such device',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EPERM: 'Operation not permitted',
  ENOSPC: 'No space left on device',
  ESRCH: 'No such process',
  ENOSYS: 'Function not implemented',
  EACCES: 'Permission denied',
  EDOM: 'Numerical argument out of domain',
};

/** A failed hypercall-like operation: stable `code` (api.ts) plus Xen's `errno`. Changes nothing. */
export class XenError extends HostError {
  /** The errno Xen would return. */
  readonly errno: Errno;

  constructor(code: HostErrorCode, errno: Errno, message: string, domid?: number) {
    super(code, message, domid);
    this.name = 'XenError';
    this.errno = errno;
  }
}
