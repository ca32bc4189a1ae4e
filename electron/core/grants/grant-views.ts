/**
 * What a grant's holder can be told about the credentials it covers, from
 * its metadata alone (no value, no vault key): their due rotations, a health
 * summary, and alerts — what the MCP server answers and pushes.
 */
import type { DueItem } from '../../../shared/rotation.js';
import { dueItemFor } from '../rotation/due.js';
import type { StoredCredential } from '../vault/body.js';
import type { GrantCredential } from './grant-access.js';

const DAY = 86_400_000;

/** A credential's due item, by the rules its entry carries. */
export function grantDueItem(c: GrantCredential, now: Date): DueItem {
  const asStored = {
    id: c.id,
    name: c.name,
    type: c.type,
    provider: c.provider,
    createdAt: c.createdAt,
    lastRotatedAt: c.lastRotatedAt,
    expiresAt: c.expiresAt,
    rotation: { ...(c.rotation.compromisedAt ? { compromisedAt: c.rotation.compromisedAt } : {}), ...(c.rotation.snoozedUntil ? { snoozedUntil: c.rotation.snoozedUntil } : {}) },
  } as unknown as StoredCredential;
  return dueItemFor(asStored, { defaults: c.rotation.rules, byType: {}, byProvider: {} }, now);
}

/** Active credentials due within `withinDays` (or overdue), soonest first. */
export function grantDue(credentials: readonly GrantCredential[], now: Date, withinDays = 30): DueItem[] {
  return credentials
    .filter((c) => c.active)
    .map((c) => grantDueItem(c, now))
    .filter((d) => Date.parse(d.dueAt) - now.getTime() <= withinDays * DAY)
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

export interface GrantHealth {
  credentials: number;
  overdue: string[];
  dueSoon: string[];
  compromised: string[];
  expired: string[];
  /** Strength score 0–1 (too guessable): passwords whose value was estimated weak. */
  weak: string[];
}

export function grantHealth(credentials: readonly GrantCredential[], now: Date): GrantHealth {
  const active = credentials.filter((c) => c.active);
  const due = active.map((c) => [c, grantDueItem(c, now)] as const);
  return {
    credentials: active.length,
    overdue: due.filter(([, d]) => d.status === 'overdue').map(([c]) => c.name),
    dueSoon: due.filter(([, d]) => d.status === 'due_soon').map(([c]) => c.name),
    compromised: active.filter((c) => c.rotation.compromisedAt && Date.parse(c.rotation.compromisedAt) > Date.parse(c.lastRotatedAt ?? c.createdAt)).map((c) => c.name),
    expired: active.filter((c) => c.expiresAt && Date.parse(c.expiresAt) <= now.getTime()).map((c) => c.name),
    weak: active.filter((c) => c.strength !== undefined && c.strength <= 1).map((c) => c.name),
  };
}

export interface GrantAlert {
  severity: 'critical' | 'high' | 'medium' | 'info';
  kind: 'compromised' | 'expired' | 'overdue' | 'grant-expiring' | 'grant-ended';
  message: string;
  credential?: string;
}

/** What deserves attention now, most severe first. */
export function grantAlerts(credentials: readonly GrantCredential[], grant: { name: string; expiresAt: string | null }, now: Date): GrantAlert[] {
  const health = grantHealth(credentials, now);
  const alerts: GrantAlert[] = [
    ...health.compromised.map((name) => ({ severity: 'critical' as const, kind: 'compromised' as const, credential: name, message: `${name} was marked compromised and has not been rotated since.` })),
    ...health.expired.map((name) => ({ severity: 'high' as const, kind: 'expired' as const, credential: name, message: `${name} has expired.` })),
    ...health.overdue.map((name) => ({ severity: 'medium' as const, kind: 'overdue' as const, credential: name, message: `${name} is overdue for rotation.` })),
  ];
  if (grant.expiresAt && Date.parse(grant.expiresAt) - now.getTime() <= 7 * DAY)
    alerts.push({ severity: 'info', kind: 'grant-expiring', message: `This grant ("${grant.name}") expires on ${grant.expiresAt}.` });
  return alerts;
}
