/**
 * The incidents domain: what the watch over the audit trail found
 * (docs/audit-format.md §9) and what a person does about it.
 */
import type { Anomaly, AnomalyKind, Incident, IncidentResponse, Severity } from '../incidents.js';

/** Incidents (newest first), the latest minor anomalies, and the thresholds the watch applies (docs/audit-format.md §9). */
export interface IncidentsView {
  incidents: Incident[];
  anomalies: Anomaly[];
  rules: DetectionRulesView;
}

/** The watch's thresholds, as Settings shows them. */
export interface DetectionRulesView {
  burst: { reads: number; minutes: number; factor: number; historyDays: number };
  sweep: { credentials: number; minutes: number };
  failedUnlocks: { failures: number; minutes: number };
  oddHour: { quietDays: number; historyDays: number };
  severity: Record<AnomalyKind, Severity>;
  responses: Record<AnomalyKind, IncidentResponse[]>;
}

export interface IncidentsApi {
  /** Open and acknowledged incidents; `all` adds the resolved ones. */
  'incidents.list': { request: { all?: boolean }; response: IncidentsView };
  'incidents.update': { request: { id: string; status: 'acknowledged' | 'resolved'; note?: string }; response: Incident };
}

/** Main tells the page as incidents open (the badge, a toast; the vault may also lock). */
export type IncidentEvent = { type: 'incidents-opened'; incidents: Incident[] };
