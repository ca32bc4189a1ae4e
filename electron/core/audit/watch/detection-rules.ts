/**
 * The thresholds of the watch over the trail and what Keyward does when one
 * is crossed: one place, read by the detector, the Settings screen and the
 * docs (docs/audit-format.md §9).
 */
import { DETECTION_LIMITS, LOCKABLE_KINDS, type AnomalyKind, type DetectionOverrides, type DetectionSetting, type IncidentResponse, type Severity } from '../../../../shared/incidents.js';

export type { DetectionOverrides } from '../../../../shared/incidents.js';
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

/** Checks one override as the CLI and main receive it; the error says the range. */
export function checkOverride(key: string, value: number | boolean): string | null {
  if (key.startsWith('lock.')) {
    if (!(LOCKABLE_KINDS as readonly string[]).includes(key.slice(5))) return `"${key.slice(0, 40)}" is not a kind that can lock: ${LOCKABLE_KINDS.map((k) => `lock.${k}`).join(', ')}.`;
    return typeof value === 'boolean' ? null : `${key} is on or off.`;
  }
  const range = (DETECTION_LIMITS as Record<string, readonly [number, number]>)[key];
  if (!range) return `"${key.slice(0, 40)}" is not a detection setting: ${Object.keys(DETECTION_LIMITS).join(', ')}, or lock.KIND.`;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < range[0] || value > range[1]) return `${key} is a whole number from ${range[0]} to ${range[1]}.`;
  return null;
}

/** The rules in force: the defaults with the vault's overrides. */
export function rulesWith(overrides: DetectionOverrides | undefined | null): DetectionRules {
  if (!overrides || Object.keys(overrides).length === 0) return DEFAULT_DETECTION_RULES;
  const d = DEFAULT_DETECTION_RULES;
  const n = (key: DetectionSetting, fallback: number) => overrides[key] ?? fallback;
  const responses = { ...d.responses };
  for (const kind of LOCKABLE_KINDS) {
    const lock = overrides[`lock.${kind}`];
    if (lock === undefined) continue;
    const rest = responses[kind].filter((r) => r !== 'lock');
    responses[kind] = lock ? [...rest.slice(0, 1), 'lock', ...rest.slice(1)] : rest;
  }
  return {
    burst: { reads: n('burst.reads', d.burst.reads), windowMs: n('burst.minutes', d.burst.windowMs / MINUTE) * MINUTE, factor: n('burst.factor', d.burst.factor), historyMs: n('burst.history-days', d.burst.historyMs / DAY) * DAY },
    sweep: { credentials: n('sweep.credentials', d.sweep.credentials), windowMs: n('sweep.minutes', d.sweep.windowMs / MINUTE) * MINUTE },
    failedUnlocks: { failures: n('failed-unlocks.failures', d.failedUnlocks.failures), windowMs: n('failed-unlocks.minutes', d.failedUnlocks.windowMs / MINUTE) * MINUTE },
    oddHour: { quietMs: n('odd-hour.quiet-days', d.oddHour.quietMs / DAY) * DAY, historyMs: n('odd-hour.history-days', d.oddHour.historyMs / DAY) * DAY },
    severity: d.severity,
    responses,
  };
}

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

/** A grant's use of a value: read (`reveal`, `copy.field`), injected into a program it ran (`reveal.run`), or rotated by its rotator (`rotate.rotator`): what a grant's own pace counts. */
export function isGrantUse(action: string): boolean {
  return isValueRead(action) || action === 'reveal.run' || action === 'rotate.rotator';
}

/**
 * A grant's busiest burst window so far, times this, is the least its limit
 * can be once it has a history: a program that reads thirty values at every
 * run is doing what it always does, and one that reads twice its most ever is not.
 */
export const GRANT_PEAK_HEADROOM = 2;

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
