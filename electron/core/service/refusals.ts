/**
 * The refusals a caller may override ("force"): a value that breaks policy,
 * and a rotation to the value already current. Both are POLICY errors that
 * carry their violations, so the CLI and the app can each phrase them and
 * name their own override; the message here is neutral and names neither.
 */
import { KeywardError } from '../errors.js';
import type { PolicyViolation } from '../policy/policy-gate.js';

export const SAME_VALUE_RULE = 'same_value';

export function policyRefusal(violations: readonly PolicyViolation[]): KeywardError {
  return new KeywardError('POLICY', `Refused by policy: the value ${violations.map((v) => v.message).join('; ')}.`, {
    field: 'value',
    violations: violations.map(({ rule, message }) => ({ rule, message })),
  });
}

export function sameValueRefusal(): KeywardError {
  const violation = { rule: SAME_VALUE_RULE, message: 'is the same as the current value' };
  return new KeywardError('POLICY', 'Refused: the new value is the same as the current value, so nothing would change at the provider.', {
    field: 'value',
    violations: [violation],
  });
}
