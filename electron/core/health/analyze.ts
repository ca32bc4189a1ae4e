/**
 * Turns one credential (metadata + its current value) into findings, each with
 * a severity and a fix, and a risk score. Pure: the caller supplies the clock,
 * the rules, the reuse groups and (for passwords) the cached strength.
 */
import type { CredentialReport, Finding, StrengthEstimate } from '../../../shared/health/findings.js';
import { SEVERITY_WEIGHT } from '../../../shared/health/findings.js';
import { DEFAULT_ROTATION_RULES, type RotationRules } from '../../../shared/rotation.js';
import type { PolicyViolation } from '../policy/policy-gate.js';
import { formatsForProvider } from '../../../shared/health/key-formats.js';
import { detectFormat } from './key-formats.js';
import { valueIssuer } from '../../../shared/health/value-issuer.js';
import { entropyBits, isPlaceholder, pastedArtifacts, patternProblems, readJwt } from './value-checks.js';

/** Age findings follow the rotation policy (shared/rotation.ts): one set of rules for both. */
export type AgeRules = RotationRules;
export const DEFAULT_AGE_RULES: AgeRules = DEFAULT_ROTATION_RULES;

export interface CredentialUnderAnalysis {
  id: string;
  name: string;
  type: string;
  provider: string;
  tags: readonly string[];
  active: boolean;
  createdAt: string;
  lastRotatedAt: string | null;
  expiresAt: string | null;
  version: number;
  value: string;
  strength: StrengthEstimate | null;
  /** Policy rules the value breaks (stored with --force). */
  policyViolations: readonly PolicyViolation[];
  /** How many other credentials hold exactly this value. */
  reusedWith: number;
  /** How many other password credentials hold a near-identical password. */
  nearDuplicates: number;
  /** This credential's effective rotation rules (else the caller's). */
  rules?: AgeRules;
}

const DAY = 86_400_000;
const TEST_TAGS = ['test', 'dev', 'sandbox', 'development', 'staging'];
const MIN_SECRET_BITS = 64;

export function riskFrom(findings: readonly Finding[]): number {
  // Independent findings combine like probabilities: two mediums are worse than one, never above 100.
  const safe = findings.reduce((p, f) => p * (1 - SEVERITY_WEIGHT[f.severity] / 100), 1);
  return Math.round((1 - safe) * 100);
}

function days(ms: number): number {
  return Math.floor(ms / DAY);
}

export function analyzeCredential(c: CredentialUnderAnalysis, now: Date, fallbackRules: AgeRules = DEFAULT_AGE_RULES): CredentialReport {
  const rules = c.rules ?? fallbackRules;
  const findings: Finding[] = [];
  const add = (f: Finding) => findings.push(f);
  const value = c.value;
  const isPassword = c.type === 'password';

  if (isPlaceholder(value)) {
    add({ kind: 'placeholder', severity: 'critical', message: 'The value looks like a placeholder, not a real secret.', fix: 'Paste the real value, or delete this entry.', action: 'rotate' });
  }

  const artifacts = pastedArtifacts(value);
  if (artifacts.length) {
    add({ kind: 'pasted_whitespace', severity: 'medium', message: `The value contains ${artifacts.join(', ')}, probably pasted by accident.`, fix: 'Rotate it with the clean value.', action: 'rotate' });
  }

  if (isPassword && c.strength && c.strength.score <= 2) {
    const severity = c.strength.score <= 1 ? 'high' : 'medium';
    const why = c.strength.warning ? ` ${c.strength.warning}` : '';
    add({ kind: 'weak_password', severity, message: `Weak password (strength ${c.strength.score}/4, cracked in ${c.strength.crackTime} offline).${why}`, fix: 'Change it at the site, then rotate it here with a generated password.', action: 'rotate' });
  }
  if (c.policyViolations.length) {
    add({ kind: 'policy_violation', severity: 'medium', message: `Breaks the password policy: ${c.policyViolations.map((v) => v.message).join('; ')}.`, fix: 'Rotate it with a value that meets the policy (the generator always does).', action: 'rotate' });
  }

  const bits = entropyBits(value);
  const trimmed = value.trim();
  // Where the provider issues the value, Keyward cannot generate one: the fix is a new key from the provider.
  const issuer = valueIssuer(c);
  const newValueFix = issuer
    ? `Create a new key at ${issuer.provider}, then paste it with Rotate (or set a rotator).`
    : 'Rotate it with a generated value.';
  const match = isPassword ? null : detectFormat(trimmed);
  if (!isPassword) {
    if (bits < MIN_SECRET_BITS && !isPlaceholder(value) && !match?.format.identifier) {
      add({ kind: 'low_entropy', severity: bits < 40 ? 'high' : 'medium', message: `Only about ${Math.round(bits)} bits of randomness; secrets should have at least ${MIN_SECRET_BITS}.`, fix: issuer ? newValueFix : 'Rotate it with a generated value (or ask the provider for a new key).', action: 'rotate' });
    }
    const patterns = patternProblems(value);
    if (patterns.length && !isPlaceholder(value)) {
      add({ kind: 'pattern', severity: 'low', message: `The value contains ${patterns.join(' and ')}.`, fix: newValueFix, action: 'rotate' });
    }
    formatFindings(c, trimmed, match, add);
    const jwt = readJwt(trimmed);
    if (jwt?.expiresAt) {
      const left = jwt.expiresAt.getTime() - now.getTime();
      if (left <= 0) add({ kind: 'jwt_expired', severity: 'high', message: `The token expired on ${jwt.expiresAt.toISOString().slice(0, 10)} (its "exp" claim).`, fix: 'Get a new token and rotate it here.', action: 'rotate' });
      else if (left <= rules.reminderLeadDays * DAY)
        add({ kind: 'jwt_expiring', severity: 'medium', message: `The token expires in ${Math.max(1, days(left))} day(s) (its "exp" claim).`, fix: 'Get a new token before it expires.', action: 'rotate' });
    }
    if (jwt?.alg?.toLowerCase() === 'none') {
      add({ kind: 'invalid_format', severity: 'medium', message: 'The token is unsigned (alg "none").', fix: 'Check where this token came from.', action: 'edit' });
    }
  }

  if (c.reusedWith > 0) {
    add({ kind: 'reused', severity: 'high', message: `The same value is stored under ${c.reusedWith} other credential(s).`, fix: 'Give each use its own secret: rotate this one.', action: 'rotate' });
  }
  if (c.nearDuplicates > 0) {
    add({ kind: 'near_duplicate', severity: 'medium', message: `Nearly the same password is used by ${c.nearDuplicates} other credential(s) (differs only in case, digits or symbols).`, fix: 'Use a generated password per site.', action: 'rotate' });
  }

  if (c.active) ageFindings(c, now, rules, add);

  findings.sort((a, b) => SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity]);
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    provider: c.provider,
    active: c.active,
    version: c.version,
    // An inactive credential cannot be used by mistake: its risk counts for half.
    risk: Math.round(riskFrom(findings) * (c.active ? 1 : 0.5)),
    findings,
    strength: isPassword ? c.strength : null,
    entropyBits: bits,
    detectedFormat: match?.format.label ?? null,
  };
}

function formatFindings(c: CredentialUnderAnalysis, value: string, match: ReturnType<typeof detectFormat>, add: (f: Finding) => void) {
  const declared = formatsForProvider(c.provider);
  if (match) {
    const belongs = match.format.providers;
    if (c.provider && belongs.length && !belongs.includes(c.provider.trim().toLowerCase())) {
      add({ kind: 'provider_mismatch', severity: 'medium', message: `The value looks like a ${match.format.label}, but the provider is "${c.provider}".`, fix: 'Check that the right key is stored under this name, or correct the provider.', action: 'edit' });
    } else if (!match.wellFormed) {
      add({ kind: 'invalid_format', severity: 'medium', message: `The value starts like a ${match.format.label} but does not have its length or characters.`, fix: 'Copy the key again from the provider; it may be truncated.', action: 'rotate' });
    } else if (match.checksumValid === false) {
      add({ kind: 'invalid_format', severity: 'high', message: `The ${match.format.label}'s built-in checksum does not match: it was mistyped or truncated.`, fix: 'Copy the token again from the provider.', action: 'rotate' });
    }
    if (match.format.isTest?.(value) && !c.tags.some((t) => TEST_TAGS.includes(t.toLowerCase()))) {
      add({ kind: 'test_key', severity: 'medium', message: `This is a test/sandbox key, but the credential is not tagged test, dev or sandbox.`, fix: 'Tag it "test" if that is intended, or store the live key.', action: 'retag' });
    }
  } else if (declared.length && c.type === 'api_key') {
    add({ kind: 'invalid_format', severity: 'low', message: `The value does not match any known ${c.provider} key format.`, fix: 'Check that the whole key was copied.', action: 'rotate' });
  }
}

function ageFindings(c: CredentialUnderAnalysis, now: Date, rules: AgeRules, add: (f: Finding) => void) {
  const since = new Date(c.lastRotatedAt ?? c.createdAt).getTime();
  const age = now.getTime() - since;
  if (age > rules.maxAgeDays * DAY) {
    add({ kind: 'stale', severity: 'high', message: `Not rotated for ${days(age)} days (the maximum age is ${rules.maxAgeDays}).`, fix: 'Rotate it now.', action: 'rotate' });
  } else if (age > rules.intervalDays * DAY) {
    add({ kind: 'rotation_due', severity: 'low', message: `Rotation is due: ${days(age)} days since the last one (every ${rules.intervalDays} days).`, fix: 'Rotate it.', action: 'rotate' });
  }
  if (c.expiresAt) {
    const left = new Date(c.expiresAt).getTime() - now.getTime();
    if (left <= 0) add({ kind: 'expired', severity: 'critical', message: `Expired on ${c.expiresAt.slice(0, 10)}.`, fix: 'Rotate it with a new value, or deactivate it.', action: 'rotate' });
    else if (left <= rules.reminderLeadDays * DAY) add({ kind: 'expiring', severity: 'medium', message: `Expires in ${Math.max(1, Math.ceil(left / DAY))} day(s), on ${c.expiresAt.slice(0, 10)}.`, fix: 'Rotate it before it expires.', action: 'rotate' });
  }
}
