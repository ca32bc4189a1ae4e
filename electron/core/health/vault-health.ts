/**
 * The health of a whole vault: decrypts each current value once, groups reused
 * values by keyed fingerprint (never comparing or keeping values in clear),
 * and aggregates the per-credential reports into a health score.
 */
import type { ConfusableNames, CredentialReport, FindingKind, StrengthEstimate, VaultHealth } from '../../../shared/health/findings.js';
import { confusableNameKey } from '../../../shared/health/vocabulary.js';
import type { PolicyGate } from '../policy/policy-gate.js';
import { editCredential } from '../vault/vault-change.js';
import type { VaultSession } from '../vault/vault-session.js';
import { effectiveRules } from '../rotation/due.js';
import { analyzeCredential, type AgeRules, type CredentialUnderAnalysis } from './analyze.js';
import { entropyBits } from './value-checks.js';
import { estimateStrength } from './strength.js';
import { healthScore } from './health-score.js';

/** Long, varied values are strong by construction; the dictionary estimator would only confirm it slowly. */
export function strengthFastPath(value: string): StrengthEstimate | null {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(value)).length;
  const bits = entropyBits(value);
  // A run of 5+ letters may be a dictionary word: leave those to the estimator.
  if ([...value].length < 20 || classes < 3 || bits < 80 || /[a-z]{5,}/i.test(value)) return null;
  return { score: 4, guessesLog10: Math.round(bits * Math.log10(2) * 100) / 100, crackTime: 'centuries', warning: null, suggestions: [] };
}

/** Strength for a password, memoised by keyed fingerprint for as long as this process runs. */
export class StrengthCache {
  private readonly cache = new Map<string, StrengthEstimate>();
  get(fingerprint: string, value: string, context: readonly string[]): StrengthEstimate {
    const hit = this.cache.get(fingerprint);
    if (hit) return hit;
    const estimate = strengthFastPath(value) ?? estimateStrength(value, context);
    this.cache.set(fingerprint, estimate);
    return estimate;
  }
}

/** Folds case, trailing digits/symbols and common l33t substitutions, so "Summer2024!" ≈ "summer2025". */
export function nearDuplicateKey(password: string): string {
  const leet: Record<string, string> = { '4': 'a', '@': 'a', '3': 'e', '1': 'i', '!': 'i', '0': 'o', '$': 's', '5': 's', '7': 't' };
  const stem = password.toLowerCase().replace(/[\d\W_]+$/u, '');
  return [...stem].map((ch) => leet[ch] ?? ch).join('');
}

/** One credential ready for its health check: everything but the (slow) strength estimate. */
export interface HealthItem extends CredentialUnderAnalysis {
  /** Keyed fingerprint of the value: the strength cache's key. */
  fingerprint: string;
  strengthContext: string[];
}

/** Gathers what the health check needs from an unlocked vault. Values stay in this process. */
export function collectHealthItems(session: VaultSession, policy: PolicyGate, only?: ReadonlySet<string>): HealthItem[] {
  const exact = new Map<string, number>();
  const near = new Map<string, number>();
  const rows = session.state.credentials.map((c) => {
    const current = c.versions.find((v) => v.stage === 'current')!;
    const value = session.openValue(c.id, current.version, current);
    const fingerprint = session.fingerprint(value);
    exact.set(fingerprint, (exact.get(fingerprint) ?? 0) + 1);
    let nearKey: string | null = null;
    if (c.type === 'password') {
      const stem = nearDuplicateKey(value);
      if (stem.length >= 4) {
        nearKey = session.fingerprint(`near\0${stem}`);
        near.set(nearKey, (near.get(nearKey) ?? 0) + 1);
      }
    }
    return { c, current, value, fingerprint, nearKey };
  });
  const nearExact = new Map<string, number>(); // exact duplicates inside a near group are not "near"
  for (const r of rows) if (r.nearKey) nearExact.set(`${r.nearKey}|${r.fingerprint}`, (nearExact.get(`${r.nearKey}|${r.fingerprint}`) ?? 0) + 1);

  return rows
    .filter((r) => !only || only.has(r.c.id))
    .map(({ c, current, value, fingerprint, nearKey }) => {
      const context = { name: c.name, type: c.type, provider: c.provider, tags: c.tags };
      return {
        id: c.id,
        name: c.name,
        type: c.type,
        provider: c.provider,
        tags: c.tags,
        active: c.active,
        createdAt: c.createdAt,
        lastRotatedAt: c.lastRotatedAt,
        expiresAt: c.expiresAt,
        version: current.version,
        value,
        strength: c.type === 'password' ? (current.strength ?? null) : null,
        rules: effectiveRules(session.state.rotation, c, session.state.policy?.rules),
        fingerprint,
        strengthContext: c.type === 'password' ? [c.name, c.provider, c.fields.username ?? ''] : [],
        policyViolations: policy.check(context, value),
        reusedWith: exact.get(fingerprint)! - 1,
        nearDuplicates: nearKey ? near.get(nearKey)! - nearExact.get(`${nearKey}|${fingerprint}`)! : 0,
      };
    });
}

export function summarise(reports: CredentialReport[], now: Date): VaultHealth {
  const counts: Partial<Record<FindingKind, number>> = {};
  const distribution: VaultHealth['strengthDistribution'] = [0, 0, 0, 0, 0];
  for (const r of reports) {
    for (const f of r.findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    if (r.strength) distribution[r.strength.score]++;
  }
  const { score, verdict } = healthScore(reports);
  return {
    score,
    analysedAt: now.toISOString(),
    credentialCount: reports.length,
    counts,
    strengthDistribution: distribution,
    reports: [...reports].sort((a, b) => b.risk - a.risk || a.name.localeCompare(b.name)),
    verdict,
    confusableNames: confusableNames(reports),
  };
}

/** Names a person cannot tell apart in a list (issue 9, item 19): equal once trimmed, NFC-normalised and case-folded. */
export function confusableNames(reports: readonly CredentialReport[]): ConfusableNames[] {
  const groups = new Map<string, Array<{ id: string; name: string }>>();
  for (const r of reports) {
    const key = confusableNameKey(r.name);
    const group = groups.get(key);
    if (group) group.push({ id: r.id, name: r.name });
    else groups.set(key, [{ id: r.id, name: r.name }]);
  }
  return [...groups.values()].filter((g) => g.length > 1).map((credentials) => ({ credentials }));
}

/** The health pipeline's slow half (strength estimates), separate so that the app can run it in a worker thread. */
export function credentialReports(items: readonly HealthItem[], now: Date, rules?: AgeRules, cache = new StrengthCache()): CredentialReport[] {
  return items.map((item) => {
    const strength = item.type === 'password' ? (item.strength ?? cache.get(item.fingerprint, item.value, item.strengthContext)) : null;
    return analyzeCredential({ ...item, strength }, now, rules);
  });
}

/** Strength estimates this run computed that the vault does not hold yet. */
export function newStrengths(items: readonly HealthItem[], reports: readonly CredentialReport[]): Array<{ id: string; version: number; strength: StrengthEstimate }> {
  const byId = new Map(reports.map((r) => [r.id, r]));
  return items.flatMap((item) => {
    const strength = byId.get(item.id)?.strength;
    return item.type === 'password' && !item.strength && strength ? [{ id: item.id, version: item.version, strength }] : [];
  });
}

/**
 * Keeps computed strength estimates with their versions (inside the encrypted
 * body), so that each version's password is estimated once, ever: the next
 * health check, in any process, reads them instead of running the estimator.
 */
export async function persistStrengths(session: VaultSession, found: ReturnType<typeof newStrengths>): Promise<void> {
  if (!found.length) return;
  await session.transact((body) => {
    const byId = new Map(body.credentials.map((c) => [c.id, c]));
    for (const { id, version, strength } of found) {
      const stored = byId.get(id)?.versions.find((x) => x.version === version);
      if (!stored || stored.strength) continue;
      // Only credentials that gain an estimate are rewritten (each becomes one entry of the record).
      const v = editCredential(body, id).versions.find((x) => x.version === version)!;
      v.strength = strength;
    }
  });
}
