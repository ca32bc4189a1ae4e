import { describe, expect, it } from 'vitest';
import type { MetricStatus } from '../../../../shared/report';
import { controlName, DISCLAIMER, STATUS_TONES, STATUS_WORDS, statusSummary, strengthColumns, strengthSummary, vaultFacts } from './report-words';

const st = (...statuses: MetricStatus[]) => statuses.map((status) => ({ status }));

describe('statuses', () => {
  it('names every status in words, and gives each its own tone', () => {
    const statuses: MetricStatus[] = ['good', 'attention', 'bad', 'info'];
    expect(new Set(statuses.map((s) => STATUS_WORDS[s])).size).toBe(4);
    expect(new Set(statuses.map((s) => STATUS_TONES[s])).size).toBe(4);
  });

  // The words and the disclaimer of the HTML report (electron/core/report/report-html.ts), which the renderer may not import.
  it('uses the words and the disclaimer the HTML report prints', () => {
    expect(STATUS_WORDS).toEqual({ good: 'Good', attention: 'Needs attention', bad: 'Act now', info: 'For information' });
    expect(DISCLAIMER).toBe('These figures support evidence for the controls named beside them; they are not a certification or an assessment of compliance. The report holds no secret value.');
  });

  it('counts metrics most urgent first, leaving out the statuses none has', () => {
    expect(statusSummary(st('good', 'bad', 'info', 'good', 'attention', 'attention'))).toBe('1 to act on now · 2 need attention · 2 good · 1 for information');
    expect(statusSummary(st('attention', 'good'))).toBe('1 needs attention · 1 good');
    expect(statusSummary([])).toBe('No metrics.');
  });
});

describe('controls and facts', () => {
  it('names a control by framework and id', () => {
    expect(controlName({ framework: 'PCI DSS v4.0', id: '8.3.6' })).toBe('PCI DSS v4.0 8.3.6');
    expect(controlName({ framework: 'GDPR', id: 'Art. 5(1)(c)' })).toBe('GDPR Art. 5(1)(c)');
  });

  it('lists the vault’s facts', () => {
    const facts = vaultFacts({ id: 'v-1', createdAt: '2026-01-02T00:00:00Z', credentialCount: 10_000, kdfIterations: 600_000, keychain: false, keyCreatedAt: '2026-01-02T00:00:00Z' });
    expect(facts.find((f) => f.term === 'Credentials')!.value).toBe((10_000).toLocaleString());
    expect(facts.find((f) => f.term === 'Keychain unlock')!.value).toBe('Off');
    expect(facts.find((f) => f.term === 'Master password KDF')!.value).toMatch(/iterations$/);
  });
});

describe('strength', () => {
  it('draws scores 0–4 with their names, weak in danger, strong in good', () => {
    const columns = strengthColumns([1, 0, 2, 3, 4]);
    expect(columns.map((c) => c.label)).toEqual(['Very weak (0)', 'Weak (1)', 'Fair (2)', 'Strong (3)', 'Very strong (4)']);
    expect(columns.map((c) => c.value)).toEqual([1, 0, 2, 3, 4]);
    expect(columns[0]!.fill).toBe('fill-danger');
    expect(columns[4]!.fill).toBe('fill-ok-text');
  });

  it('sums it up in a sentence', () => {
    expect(strengthSummary([0, 0, 0, 0, 0])).toBe('No password credentials to score yet.');
    expect(strengthSummary([1, 0, 0, 0, 0])).toBe('1 password scored by the strength estimator (0–4): 0 strong or very strong, 1 at fair or below.');
    expect(strengthSummary([1, 1, 1, 2, 5])).toBe('10 passwords scored by the strength estimator (0–4): 7 strong or very strong, 3 at fair or below.');
  });
});
