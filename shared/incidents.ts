/**
 * Anomalies and incidents (docs/audit-format.md §9): what the watch over the
 * audit trail finds, and what a person does about it. Shared by the core, the
 * CLI, IPC and the renderer; never a value.
 */
import type { IsoTime } from './domain.js';

export type AnomalyKind = 'burst' | 'sweep' | 'failed-unlocks' | 'new-actor' | 'odd-hour' | 'tamper' | 'rollback' | 'compromised';
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Something unusual in the trail, explained in words. */
export interface Anomaly {
  kind: AnomalyKind;
  severity: Severity;
  /** When the last event behind it happened. */
  at: IsoTime;
  explanation: string;
  /** The credential it is about: its keyed id (as in the trail) and its name when known. */
  credentialKey?: string;
  credential?: string;
  actor?: string;
  /** The trail records behind it (sequence numbers), oldest first. */
  seqs: number[];
  /**
   * What to do by itself instead of its kind's rule: a verification someone
   * ran and is reading only notifies (locking would hide what it found).
   */
  responses?: IncidentResponse[];
}

/** What Keyward did by itself when an incident opened. */
/** suspend-grant: the grant (the anomaly's actor, grant:NAME) was suspended — its token opens nothing until resumed. */
export type IncidentResponse = 'notify' | 'lock' | 'flag-for-rotation' | 'suspend-grant';

export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';

export interface IncidentNote {
  at: IsoTime;
  status: IncidentStatus;
  note: string;
}

/** An anomaly of high or critical severity (or a credential marked compromised), with what was done and said about it. */
export interface Incident extends Anomaly {
  /** "inc-" and 12 hex. */
  id: string;
  status: IncidentStatus;
  openedAt: IsoTime;
  responses: IncidentResponse[];
  notes: IncidentNote[];
}

/**
 * What a person may change of the rules, in their units (shared/incidents.ts
 * DetectionOverrides): thresholds, and whether a kind locks the vault.
 * Each number's range, in one place.
 */
export const DETECTION_LIMITS = {
  'burst.reads': [5, 10_000],
  'burst.minutes': [1, 1440],
  'burst.factor': [2, 1000],
  'burst.history-days': [1, 365],
  'sweep.credentials': [3, 100_000],
  'sweep.minutes': [1, 1440],
  'failed-unlocks.failures': [2, 1000],
  'failed-unlocks.minutes': [1, 1440],
  'odd-hour.quiet-days': [1, 365],
  'odd-hour.history-days': [1, 365],
} as const satisfies Record<string, readonly [number, number]>;

export type DetectionSetting = keyof typeof DETECTION_LIMITS;
/** Kinds whose incidents may lock the vault by themselves (a lock on the others is not offered). */
export const LOCKABLE_KINDS = ['burst', 'sweep', 'failed-unlocks', 'tamper', 'compromised'] as const satisfies readonly AnomalyKind[];

/** The overrides the vault keeps: a number per setting changed, and `lock.KIND` on or off. */
export type DetectionOverrides = Partial<Record<DetectionSetting, number>> & Partial<Record<`lock.${(typeof LOCKABLE_KINDS)[number]}`, boolean>>;

