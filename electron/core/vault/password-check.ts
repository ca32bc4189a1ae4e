/**
 * The one master-password check. Unlocking, re-authentication (rotator
 * configuration, security settings), password change and vault key rotation
 * all come here, so every guess is counted the same way:
 *
 *  - one attempt at a time per vault, across processes: the lockout check, the
 *    KDF and the failure count run under the attempts lock file, so parallel
 *    guesses cannot all slip past the counter before it is written;
 *  - refused while a lockout delay runs, whichever caller asks;
 *  - against the header as it is on disk *now*: the caller passes a function
 *    that reads it inside the lock (or a header it re-read under the write
 *    lock), never one remembered from an earlier read — a password that
 *    another process has since replaced must not pass.
 *
 * On success the caller gets the unwrapped vault key and the password-derived
 * key for that very header, so a write that re-wraps key material derives from
 * the same bytes it checked. The caller must wipe both.
 */
import { wipe } from '../crypto/wipe.js';
import { KeywardError } from '../errors.js';
import { derivePasswordKey, unwrapVaultKey, type VaultHeader } from './format/index.js';
import { Lockout } from './lockout.js';
import type { VaultDeps } from './vault-session.js';
import type { VaultPaths } from './vault-paths.js';
import { WriteLock } from './write-lock.js';

/** How long a password check may wait for another process's check (each takes one KDF). */
const ATTEMPTS_LOCK_TIMEOUT_MS = 30_000;

export interface PasswordCheckOptions {
  /** The form field a wrong password is reported against (for inline errors). */
  field?: string;
  /** Reset the failure counter on success (unlock does; re-authentication leaves it). */
  resetOnSuccess?: boolean;
}

export interface CheckedPassword {
  /** The header the password was checked against (read inside the attempts lock). */
  header: VaultHeader;
  vaultKey: Buffer;
  passwordKey: Buffer;
}

export function attemptsLockPath(paths: VaultPaths): string {
  return `${paths.lockout}.lock`;
}

export async function checkPassword(
  deps: VaultDeps,
  paths: VaultPaths,
  readHeader: () => Promise<VaultHeader> | VaultHeader,
  password: string,
  options: PasswordCheckOptions = {},
): Promise<CheckedPassword> {
  const attempts = new WriteLock(deps.fs, deps.random, { timeoutMs: ATTEMPTS_LOCK_TIMEOUT_MS, isProcessAlive: deps.isProcessAlive });
  return attempts.withLock(attemptsLockPath(paths), async () => {
    const lockout = new Lockout(deps.fs, deps.clock, paths.lockout);
    await lockout.assertMayAttempt();
    const header = await readHeader();
    const passwordKey = await derivePasswordKey(password, header.kdf);
    const vaultKey = unwrapVaultKey(passwordKey, header);
    if (!vaultKey) {
      wipe(passwordKey);
      const { failures, free } = await lockout.recordFailure();
      const left = Math.max(0, free - failures);
      const suffix = left > 0 ? ` ${left} more attempt${left === 1 ? '' : 's'} before attempts are delayed.` : ' Further attempts are now delayed.';
      throw new KeywardError('AUTH_FAILED', `Wrong master password.${suffix}`, options.field ? { field: options.field } : {});
    }
    if (options.resetOnSuccess) await lockout.recordSuccess();
    return { header, vaultKey, passwordKey };
  });
}
