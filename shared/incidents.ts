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
}

/** What Keyward did by itself when an incident opened. */
export type IncidentResponse = 'notify' | 'lock' | 'flag-for-rotation';

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
