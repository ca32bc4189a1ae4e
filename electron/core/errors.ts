/**
 * The core's one error class. Every failure a person can act on is a
 * KeywardError with a code from shared/errors.ts. Messages are written for
 * people and must never contain a secret value: build them only from names,
 * paths and numbers.
 */
import type { ErrorCode, ErrorInfo } from '../../shared/errors.js';

export class KeywardError extends Error {
  readonly code: ErrorCode;
  readonly extra: Omit<ErrorInfo, 'code' | 'message'>;

  constructor(code: ErrorCode, message: string, extra: Omit<ErrorInfo, 'code' | 'message'> = {}) {
    super(message);
    this.name = 'KeywardError';
    this.code = code;
    this.extra = extra;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

/**
 * Turns anything thrown into an ErrorInfo that is safe to show. Unknown errors
 * become INTERNAL with a generic message: their text may quote data (a JSON
 * parser echoing input, say), so it is not passed on.
 */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof KeywardError) return err.toInfo();
  return { code: 'INTERNAL', message: 'Internal error: nothing was changed. Please report this.' };
}

export const fail = {
  badRequest: (message: string, field?: string) => new KeywardError('BAD_REQUEST', message, field ? { field } : {}),
  notFound: (message: string) => new KeywardError('NOT_FOUND', message),
  exists: (message: string) => new KeywardError('EXISTS', message),
  corrupted: (message: string, backups: string[] = []) =>
    new KeywardError('CORRUPTED', message, backups.length ? { backups } : {}),
  locked: () => new KeywardError('VAULT_LOCKED', 'The vault is locked. Unlock it first.'),
};
