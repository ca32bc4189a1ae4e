/**
 * How the renderer draws what the health check finds. The words come from the one
 * vocabulary (shared/health/vocabulary.ts) that the CLI uses too; only the
 * colours are decided here.
 */
import type { Badge, FindingKind, Severity } from '../../../../shared/health/findings';
import { FINDING_LABELS } from '../../../../shared/health/vocabulary';

export { ACTION_LABELS, FINDING_LABELS as KIND_LABELS, scoreWord, SEVERITY_LABELS } from '../../../../shared/health/vocabulary';

export const SEVERITY_TONES = { critical: 'danger', high: 'danger', medium: 'warn', low: 'neutral' } as const satisfies Record<Severity, string>;

/** A list badge is a finding's kind, named exactly as on Health, in the detail panel and in the CLI. */
export const BADGE_LABELS: Record<Badge, string> = FINDING_LABELS;

/** A kind's tone on the list follows the worst severity Health gives that kind. */
export const BADGE_TONES = {
  weak_password: 'danger',
  policy_violation: 'warn',
  low_entropy: 'danger',
  pattern: 'neutral',
  placeholder: 'danger',
  pasted_whitespace: 'warn',
  invalid_format: 'danger',
  provider_mismatch: 'warn',
  test_key: 'warn',
  jwt_expired: 'danger',
  jwt_expiring: 'warn',
  reused: 'danger',
  near_duplicate: 'warn',
  stale: 'danger',
  rotation_due: 'neutral',
  expired: 'danger',
  expiring: 'warn',
} as const satisfies Record<FindingKind, string>;

export function riskTone(risk: number): 'danger' | 'warn' | 'neutral' | 'ok' {
  if (risk >= 60) return 'danger';
  if (risk >= 25) return 'warn';
  if (risk > 0) return 'neutral';
  return 'ok';
}
