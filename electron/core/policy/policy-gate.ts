/**
 * The one place where values enter the vault is checked against policy. The
 * service asks the gate about every new value (add, rotate, import); a
 * violation refuses the value with POLICY unless the caller forces it.
 */
import type { CredentialTypeId } from '../../../shared/credential-types/index.js';

export interface ValueContext {
  name: string;
  type: CredentialTypeId;
  provider: string;
  tags: readonly string[];
}

export interface PolicyViolation {
  rule: string;
  message: string;
}

/** What a value of type `password` must contain; the generator's passwords meet the same rules. */
export interface PasswordRules {
  minLength: number;
  requireUpper: boolean;
  requireLower: boolean;
  requireDigit: boolean;
  requireSpecial: boolean;
}

/**
 * The one policy: the service's gate for every value that enters, the rules
 * the generator satisfies, and what Health reports as a policy violation.
 */
export interface PolicyGate {
  check(context: ValueContext, value: string): PolicyViolation[];
  readonly passwordRules: PasswordRules;
  /** What a violation does: refuse the value (unless forced; the default), or store it with a finding (warn). */
  readonly onViolation?: 'refuse' | 'warn';
}

/** Whether `violations` refuse a value under `gate` (a forced value, or a warning policy, is stored regardless). */
export function refuses(gate: PolicyGate, violations: readonly PolicyViolation[], force = false): boolean {
  return violations.length > 0 && !force && gate.onViolation !== 'warn';
}
