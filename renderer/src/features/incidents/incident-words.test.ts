import { describe, expect, it } from 'vitest';
import type { DetectionRulesView } from '../../../../shared/ipc/contract';
import { listInWords, opensIncident, responsesSentence, ruleTexts, trailTime, watchSummary } from './incident-words';

/** The defaults of electron/core/audit/watch/detection-rules.ts, as rulesView gives them. */
const RULES: DetectionRulesView = {
  burst: { reads: 20, minutes: 10, factor: 10, historyDays: 14 },
  sweep: { credentials: 15, minutes: 5 },
  failedUnlocks: { failures: 5, minutes: 15 },
  oddHour: { quietDays: 30, historyDays: 14 },
  severity: { burst: 'high', sweep: 'high', 'failed-unlocks': 'high', 'new-actor': 'info', 'odd-hour': 'low', tamper: 'critical', rollback: 'critical', compromised: 'high' },
  responses: {
    burst: ['notify'],
    sweep: ['notify', 'lock'],
    'failed-unlocks': ['notify'],
    'new-actor': ['notify'],
    'odd-hour': ['notify'],
    tamper: ['notify', 'lock'],
    rollback: ['notify'],
    compromised: ['notify', 'flag-for-rotation'],
  },
};

describe('listInWords', () => {
  it('joins with commas and a last "and"', () => {
    expect(listInWords([])).toBe('');
    expect(listInWords(['a'])).toBe('a');
    expect(listInWords(['a', 'b'])).toBe('a and b');
    expect(listInWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('responsesSentence', () => {
  it('says what Keyward did by itself, in words', () => {
    expect(responsesSentence(['notify'])).toBe('Keyward notified you.');
    expect(responsesSentence(['notify', 'lock'])).toBe('Keyward notified you and locked the vault.');
    expect(responsesSentence(['notify', 'flag-for-rotation'])).toBe('Keyward notified you and flagged the credential for rotation.');
    expect(responsesSentence([])).toBe('Keyward did nothing by itself.');
  });
});

describe('opensIncident', () => {
  it('opens an incident from high severity up', () => {
    expect(['info', 'low', 'medium', 'high', 'critical'].map((s) => opensIncident(s as never))).toEqual([false, false, false, true, true]);
  });
});

describe('ruleTexts', () => {
  const texts = ruleTexts(RULES);
  const of = (kind: string) => texts.find((t) => t.kind === kind)!;

  it('words every kind once, incident-opening kinds first', () => {
    expect(texts.map((t) => t.kind)).toEqual(['burst', 'sweep', 'failed-unlocks', 'tamper', 'rollback', 'compromised', 'new-actor', 'odd-hour']);
  });

  it('puts the thresholds in a person’s words', () => {
    expect(of('burst').when).toBe('More than 20 reads of one credential within 10 minutes, or 10× its usual rate once it has 14 days of history.');
    expect(of('sweep').when).toBe('Reads of 15 or more different credentials within 5 minutes.');
    expect(of('failed-unlocks').when).toBe('5 or more wrong master passwords within 15 minutes.');
    expect(of('odd-hour').when).toBe('Use in an hour of the week with no activity in the previous 30 days, once there are 14 days of history.');
  });

  it('says what happens: the responses for an incident, or that a minor one is only listed', () => {
    expect(of('burst')).toMatchObject({ severity: 'high', then: 'Opens an incident; Keyward will notify.' });
    expect(of('sweep').then).toBe('Opens an incident; Keyward will notify and lock the vault.');
    expect(of('compromised').then).toBe('Opens an incident; Keyward will notify and flag the credential for rotation.');
    expect(of('tamper').severity).toBe('critical');
    expect(of('new-actor')).toMatchObject({ severity: 'info', then: 'Listed under Other anomalies; no incident opens.' });
    expect(of('odd-hour').then).toBe('Listed under Other anomalies; no incident opens.');
  });

  it('follows rules that differ from the defaults (singular units, a minor kind made serious)', () => {
    const custom = ruleTexts({
      ...RULES,
      burst: { reads: 1, minutes: 1, factor: 3, historyDays: 1 },
      severity: { ...RULES.severity, 'odd-hour': 'high' },
      responses: { ...RULES.responses, 'odd-hour': [] },
    });
    expect(custom[0]!.when).toBe('More than 1 read of one credential within 1 minute, or 3× its usual rate once it has 1 day of history.');
    expect(custom.find((t) => t.kind === 'odd-hour')!.then).toBe('Opens an incident; Keyward will do nothing else by itself.');
  });
});

describe('watchSummary', () => {
  it('is one sentence naming what is watched, with the thresholds when known', () => {
    expect(watchSummary(RULES)).toMatch(/^Keyward watches the audit trail for .*reads of 15 or more credentials within 5 minutes.*compromised\.$/);
    expect(watchSummary(null)).toMatch(/^Keyward watches the audit trail for /);
  });
});

describe('trailTime', () => {
  it('shows UTC to the second', () => {
    expect(trailTime('2026-12-07T05:31:02.123Z')).toBe('2026-12-07 05:31:02');
  });
});
