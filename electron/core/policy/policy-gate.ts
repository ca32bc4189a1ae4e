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

export interface PolicyGate {
  check(context: ValueContext, value: string): PolicyViolation[];
}

/** Runs several gates in order; all their violations are reported together. */
export function combineGates(...gates: PolicyGate[]): PolicyGate {
  return { check: (context, value) => gates.flatMap((g) => g.check(context, value)) };
}
