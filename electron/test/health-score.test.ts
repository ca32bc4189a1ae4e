/**
 * Issue 9, items 2, 3 and 19: the health score agrees with the count beside
 * it and a critical finding caps it; one vocabulary of findings for the list
 * badges, Health and the CLI; Health lists confusable names.
 */
import { describe, expect, it } from 'vitest';
import { badgesFor, type CredentialReport, type Finding, type Severity } from '../../shared/health/findings.js';
import { FINDING_LABELS, confusableNameKey, findingTitle } from '../../shared/health/vocabulary.js';
import { healthReportText, vaultHealthText } from '../cli/commands/health.js';
import { riskFrom } from '../core/health/analyze.js';
import { summarise } from '../core/health/vault-health.js';

const NOW = new Date('2026-12-01T12:00:00Z');

function finding(kind: Finding['kind'], severity: Severity): Finding {
  return { kind, severity, message: `${kind} message`, fix: `${kind} fix`, action: 'rotate' };
}

function report(i: number, findings: Finding[] = [], overrides: Partial<CredentialReport> = {}): CredentialReport {
  return { id: `id-${i}`, name: `cred-${i}`, type: 'secret', provider: '', active: true, version: 1, risk: riskFrom(findings), findings, strength: null, entropyBits: 128, detectedFormat: null, ...overrides };
}

describe('the health score and its label', () => {
  it('a critical finding caps the label at "At risk" and says why, however clean the rest is', () => {
    const reports = [report(0, [finding('placeholder', 'critical')]), ...Array.from({ length: 99 }, (_, i) => report(i + 1))];
    const health = summarise(reports, NOW);
    expect(health.verdict.label).toBe('At risk');
    expect(health.score).toBeLessThan(50);
    expect(health.verdict.cappedBy).toBe('critical');
    expect(health.verdict.explanation).toMatch(/1 credential has a critical finding/);
  });

  it('a high finding caps the label at "Needs attention"', () => {
    const reports = [report(0, [finding('reused', 'high')]), ...Array.from({ length: 99 }, (_, i) => report(i + 1))];
    const health = summarise(reports, NOW);
    expect(health.verdict.label).toBe('Needs attention');
    expect(health.score).toBeLessThan(75);
  });

  it('agrees with the count beside it: a quarter of the vault to look at is not "Excellent"', () => {
    const reports = Array.from({ length: 10_000 }, (_, i) => report(i, i % 4 === 0 ? [finding('rotation_due', 'low')] : []));
    const health = summarise(reports, NOW);
    expect(health.verdict.toLookAt).toBe(2_500);
    expect(health.score).toBeLessThanOrEqual(75);
    expect(health.verdict.label).not.toBe('Excellent');
    expect(health.verdict.explanation).toContain('2,500 of 10,000 credentials');
    expect(health.verdict.byWorstSeverity).toEqual({ critical: 0, high: 0, medium: 0, low: 2_500 });
  });

  it('a clean vault is Excellent and says so', () => {
    const health = summarise([report(0), report(1)], NOW);
    expect(health.score).toBe(100);
    expect(health.verdict).toMatchObject({ label: 'Excellent', toLookAt: 0, cappedBy: null });
    expect(health.verdict.explanation).toMatch(/No findings/);
  });

  it('an inactive credential’s critical finding does not cap the score (it cannot be used by mistake)', () => {
    const reports = [report(0, [finding('placeholder', 'critical')], { active: false }), ...Array.from({ length: 99 }, (_, i) => report(i + 1))];
    expect(summarise(reports, NOW).verdict.cappedBy).toBeNull();
  });
});

describe('confusable names', () => {
  it('groups names equal after trim, NFC and case folding, and nothing else', () => {
    expect(confusableNameKey(' Stripe-Prod ')).toBe(confusableNameKey('stripe-prod'));
    expect(confusableNameKey('cafe\u0301')).toBe(confusableNameKey('CAFÉ'));
    expect(confusableNameKey('straße')).toBe(confusableNameKey('STRASSE'));
    const names = ['stripe-prod', ' stripe-prod ', 'STRIPE-PROD', 'stripe-dev', 'github'];
    const health = summarise(names.map((name, i) => report(i, [], { name })), NOW);
    expect(health.confusableNames).toEqual([
      { credentials: [{ id: 'id-0', name: 'stripe-prod' }, { id: 'id-1', name: ' stripe-prod ' }, { id: 'id-2', name: 'STRIPE-PROD' }] },
    ]);
  });
});

describe('one vocabulary of findings', () => {
  const findings = [finding('pasted_whitespace', 'medium'), finding('placeholder', 'critical'), finding('pattern', 'low')];

  it('the list badges are the worst findings’ kinds, not a second set of names', () => {
    expect(badgesFor(findings)).toEqual(['placeholder', 'pasted_whitespace']);
  });

  it('the CLI names findings as the app does', () => {
    const text = healthReportText(report(0, findings));
    expect(text).toContain(findingTitle({ kind: 'placeholder', severity: 'critical' }));
    expect(text).toContain('Critical · Placeholder: placeholder message');
    expect(text).toContain('Medium · Pasted whitespace');
    const summary = vaultHealthText(summarise([report(0, findings), report(1)], NOW));
    expect(summary).toContain(`${FINDING_LABELS.pasted_whitespace}: 1`);
    expect(summary).not.toContain('pasted whitespace: 1');
    expect(summary).toMatch(/At risk/);
  });
});
