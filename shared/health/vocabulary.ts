/**
 * The one vocabulary of findings: what each kind, severity and fix is called,
 * and in which order they are shown. The list badges, the detail panel, the
 * Health screen, the add/rotate forms and the CLI's `health`/`check` all read
 * their words from here, so one problem has one name everywhere.
 */
import type { Finding, FindingKind, FixAction, Severity } from './findings.js';

export const FINDING_LABELS: Record<FindingKind, string> = {
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

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const satisfies readonly Severity[];

export const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

/** 0 is the most severe: sorts findings worst first. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export const ACTION_LABELS: Record<FixAction, string> = { rotate: 'Rotate', edit: 'Edit', deactivate: 'Deactivate', retag: 'Edit tags' };

/** Worst first; equal severities keep their order. */
export function worstFirst<T extends Pick<Finding, 'severity'>>(findings: readonly T[]): T[] {
  return findings.slice().sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

export function worstSeverity(findings: readonly Pick<Finding, 'severity'>[]): Severity | null {
  return worstFirst(findings)[0]?.severity ?? null;
}

/** "Critical · Placeholder": how one finding is titled wherever it is shown. */
export function findingTitle(f: Pick<Finding, 'kind' | 'severity'>): string {
  return `${SEVERITY_LABELS[f.severity]} · ${FINDING_LABELS[f.kind]}`;
}

/** The word for a health score. The score itself is capped by the worst finding (see the core's health score). */
export type ScoreWord = 'Excellent' | 'Good' | 'Needs attention' | 'At risk';

export function scoreWord(score: number): ScoreWord {
  if (score >= 90) return 'Excellent';
  if (score >= 75) return 'Good';
  if (score >= 50) return 'Needs attention';
  return 'At risk';
}

/**
 * The key under which two names look the same to a person: trimmed,
 * NFC-normalised and case-folded (upper then lower, so "ß" and "SS" meet).
 */
export function confusableNameKey(name: string): string {
  return name.trim().normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}
