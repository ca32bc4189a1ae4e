/**
 * The master password minimum, enforced by the core for every caller that
 * sets one outside the app's own checks (the CLI's `init` and `passwd`).
 * The rule itself lives in shared/master-password.ts, so the app states and
 * checks exactly the same one.
 */
import { masterPasswordShortfall } from '../../../shared/master-password.js';
import { estimateStrength } from '../health/strength.js';
import { fail } from '../errors.js';

/** The shortfall of `password` against the minimum, or null when it meets it. */
export function masterPasswordProblem(password: string): string | null {
  return masterPasswordShortfall(password, estimateStrength(password, ['keyward', 'vault']).score);
}

/**
 * Refuses a master password below the minimum unless the caller explicitly
 * accepted a weak one (`override`, which the caller records). `overrideHint`
 * tells the person how to override in the caller's own terms.
 */
export function requireMasterPassword(password: string, override: boolean, overrideHint: string): { weak: boolean } {
  const problem = masterPasswordProblem(password);
  if (problem && !override) throw fail.badRequest(`${problem} ${overrideHint}`, 'password');
  return { weak: problem !== null };
}
