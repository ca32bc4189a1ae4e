/** The CLI's exit codes: a stable interface for scripts. */
import type { ErrorCode } from '../../shared/errors.js';

export const EXIT = {
  ok: 0,
  other: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  corrupted: 5,
  busy: 6,
  policy: 7,
  exists: 8,
  /** The audit trail cannot be written: nothing goes on unrecorded. */
  auditUnavailable: 9,
} as const;

const BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: EXIT.usage,
  AUTH_FAILED: EXIT.auth,
  LOCKED_OUT: EXIT.auth,
  VAULT_LOCKED: EXIT.auth,
  KEYCHAIN_UNAVAILABLE: EXIT.auth,
  NOT_FOUND: EXIT.notFound,
  CORRUPTED: EXIT.corrupted,
  UNSUPPORTED_VERSION: EXIT.corrupted,
  OLDER_COPY: EXIT.corrupted,
  BUSY: EXIT.busy,
  POLICY: EXIT.policy,
  EXISTS: EXIT.exists,
  FORBIDDEN: EXIT.other,
  ROTATION_FAILED: EXIT.other,
  AUDIT_UNAVAILABLE: EXIT.auditUnavailable,
  INTERNAL: EXIT.other,
};

export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code];
}
