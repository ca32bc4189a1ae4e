/**
 * The product's default password rules (min length 12; upper, lower, digit and
 * special characters all required). They apply to credentials of type
 * `password`; API keys and tokens are minted by providers and are judged by
 * format and entropy analysis instead.
 */
import type { PasswordRules, PolicyGate, PolicyViolation } from './policy-gate.js';

export const DEFAULT_PASSWORD_RULES: PasswordRules = {
  minLength: 12,
  requireUpper: true,
  requireLower: true,
  requireDigit: true,
  requireSpecial: true,
};

export function passwordViolations(value: string, rules: PasswordRules): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  // Code points, not UTF-16 units: an emoji is one character to a person (NIST 800-63B).
  const length = [...value.normalize('NFC')].length;
  if (length < rules.minLength)
    violations.push({ rule: 'min_length', message: `must be at least ${rules.minLength} characters (it has ${length})` });
  // (Each rule is named by its security policy key: a refusal says exactly which one to change or meet.)
  if (rules.requireUpper && !/\p{Lu}/u.test(value)) violations.push({ rule: 'require_uppercase', message: 'must contain an upper-case letter' });
  if (rules.requireLower && !/\p{Ll}/u.test(value)) violations.push({ rule: 'require_lowercase', message: 'must contain a lower-case letter' });
  if (rules.requireDigit && !/\p{Nd}/u.test(value)) violations.push({ rule: 'require_numbers', message: 'must contain a digit' });
  if (rules.requireSpecial && !/[^\p{L}\p{Nd}]/u.test(value))
    violations.push({ rule: 'require_special_chars', message: 'must contain a special character' });
  return violations;
}

export function passwordPolicyGate(rules: PasswordRules = DEFAULT_PASSWORD_RULES): PolicyGate {
  return {
    check: (context, value) => (context.type === 'password' ? passwordViolations(value, rules) : []),
    passwordRules: rules,
  };
}
