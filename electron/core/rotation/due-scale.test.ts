/** The next reminder of a very large vault (issue 8, item 13: no one-argument-per-credential spreads). */
import { describe, expect, it } from 'vitest';
import { emptyBody } from '../vault/body.js';
import { storedCredential } from '../../test/helpers/stored-credential.js';
import { nextReminderAt } from './due.js';

describe('nextReminderAt at scale', () => {
  it('finds the soonest reminder among 200,000 credentials', () => {
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const body = { ...emptyBody(), credentials: Array.from({ length: 200_000 }, (_, i) => storedCredential(t0 + (i % 1000) * 60_000)) };
    const next = nextReminderAt(body, new Date(t0));
    expect(next).not.toBeNull();
    // The oldest credentials (created at t0) come due first: 30 days, less the 7-day lead.
    expect(next!.toISOString()).toBe(new Date(t0 + 23 * 86_400_000).toISOString());
  });
});
