import { describe, expect, it } from 'vitest';
import { dueIn, dueSentence, reasonLabel } from './due-format';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(NOW + ms).toISOString();
const rules = { intervalDays: 90, maxAgeDays: 365, reminderLeadDays: 7 };

describe('dueIn', () => {
  it('words a reminder by how far off it is', () => {
    expect(dueIn(at(5 * DAY), 'rotation_interval', NOW)).toBe('due in 5 days');
    expect(dueIn(at(4.2 * DAY), 'rotation_interval', NOW)).toBe('due in 5 days');
    expect(dueIn(at(DAY), 'rotation_interval', NOW)).toBe('due within a day');
    expect(dueIn(at(60_000), 'max_age', NOW)).toBe('due within a day');
  });

  it('words a late reminder as overdue', () => {
    expect(dueIn(at(0), 'rotation_interval', NOW)).toBe('overdue');
    expect(dueIn(at(-0.5 * DAY), 'rotation_interval', NOW)).toBe('overdue');
    expect(dueIn(at(-DAY), 'rotation_interval', NOW)).toBe('overdue by 1 day');
    expect(dueIn(at(-3.7 * DAY), undefined, NOW)).toBe('overdue by 3 days');
  });

  it('words the credential’s own expiry as expiring or expired, not as a late reminder', () => {
    expect(dueIn(at(5 * DAY), 'expiry', NOW)).toBe('expires in 5 days');
    expect(dueIn(at(DAY), 'expiry', NOW)).toBe('expires within a day');
    expect(dueIn(at(-0.5 * DAY), 'expiry', NOW)).toBe('expired today');
    expect(dueIn(at(-DAY), 'expiry', NOW)).toBe('expired 1 day ago');
    expect(dueIn(at(-62 * DAY), 'expiry', NOW)).toBe('expired 62 days ago');
  });
});

describe('dueSentence', () => {
  it('starts a sentence for the detail panel', () => {
    expect(dueSentence({ dueAt: at(-3 * DAY), reason: 'expiry' }, NOW)).toBe('Expired 3 days ago');
    expect(dueSentence({ dueAt: at(5 * DAY), reason: 'rotation_interval' }, NOW)).toBe('Rotation due in 5 days');
    expect(dueSentence({ dueAt: at(-2 * DAY), reason: 'max_age' }, NOW)).toBe('Rotation overdue by 2 days');
    expect(dueSentence({ dueAt: at(-60_000), reason: 'compromised' }, NOW)).toBe('Marked compromised: rotation overdue');
    expect(dueSentence({ dueAt: at(-2 * DAY), reason: 'compromised' }, NOW)).toBe('Marked compromised: rotation overdue by 2 days');
  });
});

describe('reasonLabel', () => {
  it('names the rule that set the due date', () => {
    expect(reasonLabel({ reason: 'expiry', rules })).toBe('Expiry date');
    expect(reasonLabel({ reason: 'max_age', rules })).toBe('Maximum age (365 days)');
    expect(reasonLabel({ reason: 'rotation_interval', rules })).toBe('Rotation interval (90 days)');
  });
});
