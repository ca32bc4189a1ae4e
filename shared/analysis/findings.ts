/**
 * What credential analysis can find, shared by the core, the CLI, IPC and the
 * renderer. A finding says what is wrong, how bad it is, and how to fix it;
 * it never carries the value.
 */
export const FINDING_KINDS = [
  'weak_password', // estimator score 0–2
  'policy_violation', // stored with --force despite the active policy
  'low_entropy', // a non-password secret with too little randomness
  'pattern', // repeated or sequential characters
  'placeholder', // "your_api_key_here", "changeme", "xxxx…"
  'pasted_whitespace', // leading/trailing space, quotes, "Bearer " pasted by accident
  'invalid_format', // does not match its provider's known format (or a checksum fails)
  'provider_mismatch', // looks like another provider's key
  'test_key', // a test/sandbox key on a credential not tagged test/dev/sandbox
  'jwt_expired',
  'jwt_expiring',
  'reused', // the same value stored under several credentials
  'near_duplicate', // passwords that differ only by case, digits or l33t
  'stale', // older than max_age_days
  'rotation_due', // older than the rotation interval
  'expired', // the credential's expiry date has passed
  'expiring', // expires within the reminder lead time
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export type FixAction = 'rotate' | 'edit' | 'deactivate' | 'retag';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** What is wrong, for people. Never includes the value. */
  message: string;
  /** What to do about it. */
  fix: string;
  action: FixAction;
}

export interface StrengthEstimate {
  /** 0 (too guessable) … 4 (very unguessable), as the estimator defines it. */
  score: 0 | 1 | 2 | 3 | 4;
  guessesLog10: number;
  /** "centuries", "3 hours": an offline attack on a slow hash at 10k guesses/s. */
  crackTime: string;
  warning: string | null;
  suggestions: string[];
}

export interface CredentialReport {
  id: string;
  name: string;
  type: string;
  provider: string;
  active: boolean;
  version: number;
  /** 0 (no known problem) … 100 (fix now). */
  risk: number;
  findings: Finding[];
  /** Password credentials only. */
  strength: StrengthEstimate | null;
  /** Estimated bits of entropy of the value. */
  entropyBits: number;
  /** The provider format recognised from the value, if any. */
  detectedFormat: string | null;
}

export interface VaultHealth {
  /** 0 … 100, higher is healthier. */
  score: number;
  analysedAt: string;
  credentialCount: number;
  counts: Partial<Record<FindingKind, number>>;
  /** How many password credentials have each estimator score (index = score). */
  strengthDistribution: [number, number, number, number, number];
  /** Sorted by risk, highest first. */
  reports: CredentialReport[];
}

export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 70, high: 40, medium: 20, low: 8 };

/** Badges the vault list shows, derived from findings. */
export type Badge = 'weak' | 'reused' | 'stale' | 'invalid_format' | 'expiring' | 'expired';

export function badgesFor(findings: readonly Finding[]): Badge[] {
  const kinds = new Set(findings.map((f) => f.kind));
  const badges: Badge[] = [];
  if (kinds.has('weak_password') || kinds.has('low_entropy') || kinds.has('placeholder') || kinds.has('policy_violation')) badges.push('weak');
  if (kinds.has('reused') || kinds.has('near_duplicate')) badges.push('reused');
  if (kinds.has('stale') || kinds.has('rotation_due')) badges.push('stale');
  if (kinds.has('invalid_format') || kinds.has('provider_mismatch') || kinds.has('pasted_whitespace')) badges.push('invalid_format');
  if (kinds.has('expired') || kinds.has('jwt_expired')) badges.push('expired');
  else if (kinds.has('expiring') || kinds.has('jwt_expiring')) badges.push('expiring');
  return badges;
}
