/**
 * The typed error every host command raises on failure (DESIGN.md "The machine":
 * "failures are typed errors with stable codes"). Codes are the shared
 * `HostErrorCode` of `api.ts`; the toolstack maps each to a libxl rc.
 */
import type { HostErrorCode } from './api.js';

/**
 * A failed host command. A command that throws this has changed no state.
 *
 * - `code`: stable machine-readable reason (`NO_SUCH_DOMAIN`, `NAME_EXISTS`, …).
 * - `domid`: the domain concerned, when there is one.
 * - `message`: a clear English sentence for logs and tests (not xl's wording; the
 *   toolstack prints xl's own messages).
 */
export class HostError extends Error {
  readonly code: HostErrorCode;
  readonly domid?: number;

  constructor(code: HostErrorCode, message: string, domid?: number) {
    super(message);
    this.name = 'HostError';
    this.code = code;
    if (domid !== undefined) this.domid = domid;
  }
}
