import { describe, expect, it } from 'vitest';
import { usageOf, type KnownCredential, type UsageRecord } from './usage.js';

const now = new Date('2026-12-07T12:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();
const stripe: KnownCredential = { id: 'c1', name: 'stripe-prod', createdAt: daysAgo(100), key: 'k1' };
const github: KnownCredential = { id: 'c2', name: 'github', createdAt: daysAgo(50), key: 'k2' };
const unused: KnownCredential = { id: 'c3', name: 'old-ftp', createdAt: daysAgo(400), key: 'k3' };

const records: UsageRecord[] = [
  { at: daysAgo(90), actor: 'app', action: 'vault.create', outcome: 'success' },
  { at: daysAgo(40), actor: 'app', action: 'reveal', outcome: 'success', cred: 'k1' },
  { at: daysAgo(20), actor: 'cli', action: 'reveal', outcome: 'success', cred: 'k1' },
  { at: daysAgo(3), actor: 'app', action: 'copy.field', outcome: 'success', cred: 'k1' },
  { at: daysAgo(3), actor: 'app', action: 'copy.field.username', outcome: 'success', cred: 'k2' },
  // Not a use: a failed read, a change, a read of a credential deleted since.
  { at: daysAgo(1), actor: 'cli', action: 'reveal', outcome: 'failure', cred: 'k3' },
  { at: daysAgo(1), actor: 'app', action: 'update', outcome: 'success', cred: 'k3' },
  { at: daysAgo(1), actor: 'cli', action: 'reveal', outcome: 'success', cred: 'gone' },
  { at: daysAgo(0), actor: 'harness', action: 'list', outcome: 'success' },
];

describe('usage from the trail', () => {
  it('counts value reads per credential and actor, names the never used, and reads per day for 30 days', () => {
    const u = usageOf(records, [stripe, github, unused], now);
    expect(u.since).toBe(daysAgo(90));
    expect(u.credentials.map((c) => [c.name, c.reads, c.reads7d, c.reads30d, c.lastUsedAt, c.byActor])).toEqual([
      ['stripe-prod', 3, 1, 2, daysAgo(3), { app: 2, cli: 1 }],
      ['github', 1, 1, 1, daysAgo(3), { app: 1 }],
    ]);
    expect(u.neverUsed).toEqual([{ id: 'c3', name: 'old-ftp', createdAt: daysAgo(400) }]);
    expect(u.actors.map((a) => [a.actor, a.operations, a.reads])).toEqual([
      ['app', 5, 3],
      ['cli', 3, 1],
      ['harness', 1, 0],
    ]);
    expect(u.readsPerDay).toHaveLength(30);
    expect(u.readsPerDay.at(-1)!.day).toBe('2026-12-07');
    expect(u.readsPerDay.find((d) => d.day === daysAgo(3).slice(0, 10))!.reads).toBe(2);
    expect(u.readsPerDay.reduce((s, d) => s + d.reads, 0)).toBe(3);
  });

  it('for one credential, only its own', () => {
    const u = usageOf(records, [stripe, github, unused], now, github);
    expect(u.credentials.map((c) => c.name)).toEqual(['github']);
    expect(u.neverUsed).toEqual([]);
  });
});
