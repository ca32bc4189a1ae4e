/**
 * Usage from the audit trail (`keyward usage`, the Audit screen's charts):
 * per credential and per actor, how often and how lately values were read,
 * and which credentials were never used. Credentials are matched by their
 * keyed id, so a renamed credential keeps its history. Pure over the records.
 */
import type { ActorUsage, CredentialUsage, UsageView } from '../../../shared/ipc/audit.js';
import { isValueRead } from './watch/detection-rules.js';

/** What usage needs of a record (no name: the vault says what each keyed id is called now). */
export interface UsageRecord {
  at: string;
  actor: string;
  action: string;
  outcome: 'success' | 'failure';
  cred?: string;
}

/** A credential of the vault now, with its keyed id as the trail writes it. */
export interface KnownCredential {
  id: string;
  name: string;
  createdAt: string;
  key: string;
}

const DAY = 86_400_000;
/** How many days the per-day series covers. */
export const USAGE_DAYS = 30;

export function usageOf(records: Iterable<UsageRecord>, credentials: readonly KnownCredential[], now: Date, only?: KnownCredential): UsageView {
  const byKey = new Map<string, CredentialUsage>();
  for (const c of only ? [only] : credentials) byKey.set(c.key, { id: c.id, name: c.name, reads: 0, reads7d: 0, reads30d: 0, lastUsedAt: null, byActor: {} });
  const actors = new Map<string, ActorUsage>();
  const today = Math.floor(now.getTime() / DAY);
  const perDay = new Array<number>(USAGE_DAYS).fill(0);
  let since: string | null = null;
  for (const r of records) {
    since ??= r.at;
    const t = Date.parse(r.at);
    const actor = actors.get(r.actor) ?? { actor: r.actor, reads: 0, operations: 0, lastSeenAt: r.at };
    actors.set(r.actor, actor);
    actor.operations++;
    if (r.at > actor.lastSeenAt) actor.lastSeenAt = r.at;
    // Only reads that handed a value out count as use.
    if (!r.cred || r.outcome !== 'success' || !isValueRead(r.action)) continue;
    const usage = byKey.get(r.cred);
    if (!usage) continue; // (a credential since deleted, or not the one asked about)
    actor.reads++;
    usage.reads++;
    const age = now.getTime() - t;
    if (age <= 7 * DAY) usage.reads7d++;
    if (age <= 30 * DAY) usage.reads30d++;
    if (!usage.lastUsedAt || r.at > usage.lastUsedAt) usage.lastUsedAt = r.at;
    usage.byActor[r.actor] = (usage.byActor[r.actor] ?? 0) + 1;
    const day = today - Math.floor(t / DAY);
    if (day >= 0 && day < USAGE_DAYS) perDay[USAGE_DAYS - 1 - day]!++;
  }
  const all = [...byKey.values()];
  const created = new Map((only ? [only] : credentials).map((c) => [c.id, c.createdAt]));
  return {
    since,
    credentials: all.filter((u) => u.reads > 0).sort((a, b) => b.reads - a.reads || a.name.localeCompare(b.name)),
    neverUsed: all.filter((u) => u.reads === 0).map((u) => ({ id: u.id, name: u.name, createdAt: created.get(u.id) ?? '' })),
    actors: [...actors.values()].sort((a, b) => b.operations - a.operations),
    readsPerDay: perDay.map((reads, i) => ({ day: new Date((today - (USAGE_DAYS - 1 - i)) * DAY).toISOString().slice(0, 10), reads })),
  };
}
