/** Words for what analysis finds: finding kinds, severities, list badges, strength scores. */
import type { Badge, FindingKind, FixAction, Severity } from '../../../../shared/analysis/findings';

export const KIND_LABELS: Record<FindingKind, string> = {
  weak_password: 'Weak password',
  policy_violation: 'Breaks policy',
  low_entropy: 'Low entropy',
  pattern: 'Pattern',
  placeholder: 'Placeholder',
  pasted_whitespace: 'Pasted whitespace',
  invalid_format: 'Invalid format',
  provider_mismatch: 'Provider mismatch',
  test_key: 'Test key',
  jwt_expired: 'JWT expired',
  jwt_expiring: 'JWT expiring',
  reused: 'Reused',
  near_duplicate: 'Near duplicate',
  stale: 'Stale',
  rotation_due: 'Rotation due',
  expired: 'Expired',
  expiring: 'Expiring',
};

export const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };
export const SEVERITY_TONES = { critical: 'danger', high: 'danger', medium: 'warn', low: 'neutral' } as const satisfies Record<Severity, string>;

export const ACTION_LABELS: Record<FixAction, string> = { rotate: 'Rotate', edit: 'Edit', deactivate: 'Deactivate', retag: 'Edit tags' };

export const BADGE_LABELS: Record<Badge, string> = {
  weak: 'Weak',
  reused: 'Reused',
  stale: 'Stale',
  invalid_format: 'Invalid format',
  expiring: 'Expiring',
  expired: 'Expired',
};
export const BADGE_TONES = { weak: 'danger', reused: 'warn', stale: 'warn', invalid_format: 'danger', expiring: 'warn', expired: 'danger' } as const satisfies Record<Badge, string>;

export function riskTone(risk: number): 'danger' | 'warn' | 'neutral' | 'ok' {
  if (risk >= 60) return 'danger';
  if (risk >= 25) return 'warn';
  if (risk > 0) return 'neutral';
  return 'ok';
}

export function scoreWord(score: number): string {
  if (score >= 90) return 'Excellent';
  if (score >= 75) return 'Good';
  if (score >= 50) return 'Needs attention';
  return 'At risk';
}
