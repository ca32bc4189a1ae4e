/**
 * The thresholds of the watch over the trail and what Keyward does when one
 * is crossed: one place, read by the detector, the Settings screen and the
 * docs (docs/audit-format.md §9).
 */
import type { AnomalyKind, IncidentResponse, Severity } from '../../../../shared/incidents.js';
import type { DetectionRulesView } from '../../../../shared/ipc/incidents.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface DetectionRules {
  /** More than `reads` reads of one credential within `windowMs` — or, with `historyMs` of history, more than `factor`× its usual rate, whichever is higher. */
  burst: { reads: number; windowMs: number; factor: number; historyMs: number };
  /** Reads of `credentials` or more different credentials within `windowMs`. */
  sweep: { credentials: number; windowMs: number };
  /** `failures` or more wrong master passwords within `windowMs`. */
  failedUnlocks: { failures: number; windowMs: number };
  /** An access in an hour of the week with no activity in the previous `quietMs`, once `historyMs` of history exist. */
  oddHour: { quietMs: number; historyMs: number };
  severity: Record<AnomalyKind, Severity>;
  /** What is done by itself when an incident of that kind opens (notify is always among them). */
  responses: Record<AnomalyKind, IncidentResponse[]>;
}

export const DEFAULT_DETECTION_RULES: DetectionRules = Object.freeze<DetectionRules>({
  burst: { reads: 20, windowMs: 10 * MINUTE, factor: 10, historyMs: 14 * DAY },
  sweep: { credentials: 15, windowMs: 5 * MINUTE },
  failedUnlocks: { failures: 5, windowMs: 15 * MINUTE },
  oddHour: { quietMs: 30 * DAY, historyMs: 14 * DAY },
  severity: { burst: 'high', sweep: 'high', 'failed-unlocks': 'high', 'new-actor': 'info', 'odd-hour': 'low', tamper: 'critical', rollback: 'critical', compromised: 'high' },
  responses: {
    burst: ['notify'],
    sweep: ['notify', 'lock'],
    'failed-unlocks': ['notify'],
    'new-actor': ['notify'],
    'odd-hour': ['notify'],
    tamper: ['notify', 'lock'],
    // Not lock: the app has just stopped on the older copy and offers to keep the newer state it holds; locking would lose it.
    rollback: ['notify'],
    compromised: ['notify', 'flag-for-rotation'],
  },
});

/** The rules in a person's units (minutes, days), as Settings and the CLI show them. */
export function rulesView(rules: DetectionRules): DetectionRulesView {
  const min = (ms: number) => Math.round(ms / MINUTE);
  const day = (ms: number) => Math.round(ms / DAY);
  return {
    burst: { reads: rules.burst.reads, minutes: min(rules.burst.windowMs), factor: rules.burst.factor, historyDays: day(rules.burst.historyMs) },
    sweep: { credentials: rules.sweep.credentials, minutes: min(rules.sweep.windowMs) },
    failedUnlocks: { failures: rules.failedUnlocks.failures, minutes: min(rules.failedUnlocks.windowMs) },
    oddHour: { quietDays: day(rules.oddHour.quietMs), historyDays: day(rules.oddHour.historyMs) },
    severity: { ...rules.severity },
    responses: Object.fromEntries(Object.entries(rules.responses).map(([k, v]) => [k, [...v]])) as DetectionRulesView['responses'],
  };
}

/** Reading a value: what burst and sweep count. */
export function isValueRead(action: string): boolean {
  return action === 'reveal' || action === 'copy.field' || action.startsWith('copy.field.');
}

/** Someone using the vault (not Keyward's own bookkeeping): what the odd-hour and new-actor rules look at. */
export function isAccess(action: string): boolean {
  return !action.startsWith('vault.lock.') && !action.startsWith('incident.') && action !== 'audit.gap';
}

/** A sign that the trail was tampered with. */
export function isTamperSign(action: string, outcome: 'success' | 'failure'): boolean {
  return action === 'audit.gap' || (action === 'audit.verify' && outcome === 'failure');
}

/** The vault file was replaced by an older copy of itself (seen, or opened on purpose). */
export function isRollbackSign(action: string): boolean {
  return action === 'vault.olderCopySeen' || action === 'vault.olderCopyAccepted';
}
