/**
 * The audit domain: the vault's tamper-evident trail (docs/audit-format.md),
 * read and verified in main. Reading it and verifying it are recorded in it.
 */
import type { CredentialDetail } from '../domain.js';
import type { Anomaly, AnomalyKind, Incident, IncidentResponse, Severity } from '../incidents.js';
import type { SecurityReport } from '../report.js';

export interface AuditRecordView {
  seq: number;
  at: string;
  device: string;
  actor: string;
  action: string;
  outcome: 'success' | 'failure';
  code?: string;
  /** The credential's name as recorded (sealed in the file, opened in main). */
  credential?: string;
  /** The credential's keyed id: the same credential has the same one in every record. */
  credentialKey?: string;
  /** Recorded while the vault was locked, chained at the next unlock. */
  locked?: boolean;
}

export interface AuditQuery {
  /** An action, or the start of one ending in "." ("vault." for every lifecycle event). */
  action?: string;
  outcome?: 'success' | 'failure';
  /** Who: app, cli, harness, test (later a grant's name). */
  actor?: string;
  /** A credential's name, exactly. */
  credential?: string;
  /** ISO times, inclusive. */
  since?: string;
  until?: string;
  /** The newest N that match (at most 5,000 per call). */
  limit?: number;
  /** Only these records, by sequence number (an incident's timeline). */
  seqs?: number[];
}

export interface AuditReport {
  intact: boolean;
  records: number;
  lastSeq: number;
  problems: { kind: string; line?: number; message: string }[];
}

/** How one credential's values were used, from the trail. */
export interface CredentialUsage {
  id: string;
  name: string;
  /** Successful value reads (reveal, get, copy), ever. */
  reads: number;
  reads7d: number;
  reads30d: number;
  lastUsedAt: string | null;
  byActor: Record<string, number>;
}

export interface ActorUsage {
  actor: string;
  /** Value reads of credentials still in the vault. */
  reads: number;
  /** Every recorded operation. */
  operations: number;
  lastSeenAt: string;
}

export interface UsageView {
  /** When the trail begins (null: empty). */
  since: string | null;
  /** Used credentials, most read first. */
  credentials: CredentialUsage[];
  /** Credentials no value of which was ever read. */
  neverUsed: { id: string; name: string; createdAt: string }[];
  actors: ActorUsage[];
  /** Value reads per UTC day, the last 30 days, oldest first. */
  readsPerDay: { day: string; reads: number }[];
}

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

export interface AuditApi {
  'audit.records': { request: AuditQuery; response: AuditRecordView[] };
  'audit.verify': { request: Record<string, never>; response: AuditReport };
  /** Usage from the trail: every credential's, or one's (by id or name). */
  'audit.usage': { request: { credential?: string }; response: UsageView };
  /** The security report's figures (the app's Reports screen; `keyward report` renders the same as HTML). */
  'report.security': { request: Record<string, never>; response: SecurityReport };
  /** Open and acknowledged incidents; `all` adds the resolved ones. */
  'incidents.list': { request: { all?: boolean }; response: IncidentsView };
  'incidents.update': { request: { id: string; status: 'acknowledged' | 'resolved'; note?: string }; response: Incident };
  /** Marks a credential compromised: due for rotation now, and an incident opens (told by the incidents-opened event). */
  'credentials.markCompromised': { request: { id: string }; response: CredentialDetail };
}

/** Main tells the page as incidents open (the badge, a toast; the vault may also lock). */
export type AuditEvent = { type: 'incidents-opened'; incidents: Incident[] };
