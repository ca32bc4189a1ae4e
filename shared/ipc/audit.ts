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
}

export interface AuditReport {
  intact: boolean;
  records: number;
  lastSeq: number;
  problems: { kind: string; line?: number; message: string }[];
}

export interface AuditApi {
  'audit.records': { request: AuditQuery; response: AuditRecordView[] };
  'audit.verify': { request: Record<string, never>; response: AuditReport };
}
