/**
 * What a credential's health check can find, shared by the core, the CLI, IPC and the
 * renderer. A finding says what is wrong, how bad it is, and how to fix it;
 * it never carries the value.
 */
import type { CredentialTypeId } from '../credential-types/index.js';

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

/** A value being typed into the add or rotate form, with what the health check needs to judge it. */
export interface ValueCheckRequest {
  value: string;
  /** Rotating an existing credential: its type, provider, name and tags are used. */
  id?: string;
  type?: CredentialTypeId;
  name?: string;
  provider?: string;
  tags?: string[];
  username?: string;
}

/** What the health check says about an unsaved value: the findings `keyward check` would report once it is saved. */
export interface ValueCheck {
  findings: Finding[];
  /** Password credentials only. */
  strength: StrengthEstimate | null;
  entropyBits: number;
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
  /** What the score means and why; it agrees with the score and caps it by the worst finding. */
  verdict: HealthVerdict;
  /** Credentials whose names look the same to a person (equal once trimmed, NFC-normalised and case-folded). */
  confusableNames: ConfusableNames[];
}

export interface HealthVerdict {
  label: 'Excellent' | 'Good' | 'Needs attention' | 'At risk';
  /** One sentence: how many credentials need looking at, by their worst finding, and what capped the score. */
  explanation: string;
  /** Credentials with at least one finding: the number shown beside the score. */
  toLookAt: number;
  /** Credentials by their worst finding. */
  byWorstSeverity: Record<Severity, number>;
  /** The severity that capped the score, if one did. */
  cappedBy: Severity | null;
}

export interface ConfusableNames {
  /** The names as stored, with their credentials, in list order. */
  credentials: Array<{ id: string; name: string }>;
}

export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 70, high: 40, medium: 20, low: 8 };

/** A badge on the vault list: the kind of one of the credential's findings, named as everywhere else (shared/health/vocabulary.ts). */
export type Badge = FindingKind;

/** The list has room for two badges: the worst findings' kinds, once each; the detail panel lists them all. */
export const MAX_LIST_BADGES = 2;

export function badgesFor(findings: readonly Finding[]): Badge[] {
  const rank: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  const kinds: Badge[] = [];
  for (const f of findings.slice().sort((a, b) => rank[a.severity] - rank[b.severity])) if (!kinds.includes(f.kind)) kinds.push(f.kind);
  return kinds.slice(0, MAX_LIST_BADGES);
}
