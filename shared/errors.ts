/**
 * The closed set of error codes that cross every boundary (core → CLI exit codes,
 * main → renderer over IPC). Code branches on `code`, people read `message`.
 * Messages must never contain a secret value.
 */
export const ERROR_CODES = [
  'BAD_REQUEST', // malformed input: fix the request
  'AUTH_FAILED', // wrong master password or keychain key
  'LOCKED_OUT', // too many wrong passwords: wait `retryAfterSeconds`
  'VAULT_LOCKED', // an operation needs an unlocked vault
  'NOT_FOUND', // no such credential / vault / backup
  'CORRUPTED', // file damaged, tampered, or not a Keyward vault
  'UNSUPPORTED_VERSION', // file written by a newer Keyward
  'OLDER_COPY', // the file is an older copy than one already seen: keep the newer state or reopen
  'BUSY', // another writer holds the vault
  'POLICY', // refused by the active security policy
  'EXISTS', // a credential or vault already exists
  'KEYCHAIN_UNAVAILABLE', // no OS keychain (the password still works)
  'FORBIDDEN', // the caller may not do this (wrong IPC sender, …)
  'ROTATION_FAILED', // a rotator step failed; the current value is unchanged
  'AUDIT_UNAVAILABLE', // the audit trail cannot be written: the operation's result is withheld
  'INTERNAL', // a bug: nothing was changed
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** Seconds until a lockout ends (LOCKED_OUT only). */
  retryAfterSeconds?: number;
  /** Backups that may be restored (CORRUPTED only): file names, newest first. */
  backups?: string[];
  /** The field at fault (BAD_REQUEST / POLICY), for inline display. */
  field?: string;
  /**
   * What a POLICY refusal objects to, so each caller can say it in its own
   * words (the CLI names --force, the app offers "Store anyway"). `message`
   * completes "the value …"; `rule` is stable ("min_length", "same_value").
   */
  violations?: { rule: string; message: string }[];
  /** The rotator step that failed (ROTATION_FAILED only). */
  step?: 'create' | 'set' | 'test' | 'finish' | 'revoke';
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function isErrorInfo(x: unknown): x is ErrorInfo {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ErrorInfo).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((x as ErrorInfo).code) &&
    typeof (x as ErrorInfo).message === 'string'
  );
}
