/**
 * The audit domain: the vault's tamper-evident trail (docs/audit-format.md),
 * read and verified in main. Reading it and verifying it are recorded in it.
 */

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
  /** An `audit.unrecorded` record: how many operations went on unrecorded (fail-closed off), the first and last at. */
  unrecorded?: { count: number; from: string; to: string };
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
  /** Only records older than this one: sequence number below `before` (the next page of a screen that scrolls back in time). */
  before?: number;
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

/** What the app forwards the trail to while the vault is open (Settings; docs/siem.md). */
export interface ForwardingStatus {
  /** "host:port/proto", or null when no destination is set. */
  destination: string | null;
  state: 'off' | 'sending' | 'failing';
  /** Records sent since the vault was unlocked. */
  sent: number;
  /** The last record the receiver has (-1: none yet; null: not known yet). */
  lastSeq: number | null;
  lastSentAt: string | null;
  /** Why the last delivery failed (the receiver unreachable, …), while it is failing. */
  error: string | null;
  /** Something the person should know that is not a failure: the remembered place did not authenticate, so all was sent again. */
  notice?: string;
}

/** An operation went on although its audit record could not be written (fail-closed is off in Settings ▸ Audit trail). */
export type AuditTrailEvent = { type: 'audit-unrecorded'; action: string; message: string };

/** What to tell the person when an operation went on unrecorded (the app's toast, the CLI's warning). */
export function unrecordedMessage(reason: string): string {
  return `not recorded in the audit trail (${reason}); it went on because "refuse anything that cannot be recorded" is off. The trail will say how many went unrecorded once it can be written.`;
}

export interface AuditApi {
  'audit.records': { request: AuditQuery; response: AuditRecordView[] };
  'audit.verify': { request: Record<string, never>; response: AuditReport };
  /** Usage from the trail: every credential's, or one's (by id or name). */
  'audit.usage': { request: { credential?: string }; response: UsageView };
  /** How the app's forwarding is going; reads nothing of the trail, so is not recorded. */
  'audit.forwarding': { request: Record<string, never>; response: ForwardingStatus };
}
