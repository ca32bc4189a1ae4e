/**
 * The health check of a value that is not saved yet (the add and rotate forms), so
 * that a person sees before saving what `keyward check` would report after:
 * the same rules, run where every stored value is analysed. The value is
 * judged on its own: reuse and age need the saved vault and come with Health.
 */
import type { CredentialReport, ValueCheck, ValueCheckRequest } from '../../../shared/health/findings.js';
import type { CredentialTypeId } from '../../../shared/credential-types/index.js';
import type { PolicyGate } from '../policy/policy-gate.js';
import { findCredential } from '../service/vault-service.js';
import type { VaultSession } from '../vault/vault-session.js';
import type { HealthItem } from './vault-health.js';

/** The findings that belong to the value itself; age and reuse are about the saved credential. */
const NOT_ABOUT_THE_VALUE = new Set(['stale', 'rotation_due', 'expired', 'expiring', 'reused', 'near_duplicate']);

export function valueCheckItem(session: VaultSession, policy: PolicyGate, request: ValueCheckRequest, now: Date): HealthItem {
  const stored = request.id ? findCredential(session.state, request.id) : null;
  const type: CredentialTypeId = stored?.type ?? request.type ?? 'secret';
  const name = stored?.name ?? request.name ?? '';
  const provider = stored?.provider ?? request.provider?.trim() ?? '';
  const tags = stored?.tags ?? request.tags ?? [];
  const username = stored?.fields.username ?? request.username ?? '';
  const value = request.value;
  return {
    id: stored?.id ?? 'unsaved',
    name,
    type,
    provider,
    tags,
    active: true,
    createdAt: now.toISOString(),
    lastRotatedAt: null,
    expiresAt: null,
    version: 0,
    value,
    strength: null,
    fingerprint: session.fingerprint(value),
    strengthContext: type === 'password' ? [name, provider, username] : [],
    policyViolations: policy.check({ name, type, provider, tags }, value),
    reusedWith: 0,
    nearDuplicates: 0,
  };
}

export function valueCheckFrom(report: CredentialReport): ValueCheck {
  return {
    findings: report.findings.filter((f) => !NOT_ABOUT_THE_VALUE.has(f.kind)),
    strength: report.strength,
    entropyBits: report.entropyBits,
    detectedFormat: report.detectedFormat,
  };
}
