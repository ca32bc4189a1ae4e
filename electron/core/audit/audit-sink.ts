/**
 * Where audit events go. Every operation of every core service reaches the
 * sink through one place (AuditDoor.run, audit-door.ts), so nothing can bypass
 * the trail. An event names who, what, which credential and the outcome —
 * never a value.
 *
 * The tamper-evident, HMAC-chained log arrives with the audit-trail work; it
 * will implement this same interface.
 */
import type { ErrorCode } from '../../../shared/errors.js';

/** Who called, as the entry point says (never inferred): Keyward's own entry points, or a program by the grant it holds (`grant:NAME`). */
export type AuditActor = 'cli' | 'app' | 'harness' | 'test' | `grant:${string}`;

/** An actor as the trail accepts it: one of Keyward's entry points, or a grant's name (shared/grants.ts GRANT_NAME). */
export function isAuditActor(text: unknown): text is AuditActor {
  return typeof text === 'string' && (['cli', 'app', 'harness', 'test'].includes(text) || /^grant:[a-z0-9][a-z0-9._-]{0,63}$/.test(text));
}

export interface AuditEvent {
  at: string;
  actor: AuditActor;
  action: string;
  credentialId?: string;
  credentialName?: string;
  outcome: 'success' | 'failure';
  errorCode?: ErrorCode;
  /**
   * A use by a grant's token while the vault is locked (grant-access.ts): the
   * grant's id and an HMAC, under a key only the token and the vault have, of
   * the pending line without it. It lets the credential's id travel through
   * the pending file and be believed when it is folded in.
   */
  grantProof?: { grant: string; mac: string };
}

export interface AuditSink {
  record(event: AuditEvent): void | Promise<void>;
}

/** Keeps the most recent events in memory; used by tests and as the app's session view. */
export class MemoryAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];
  constructor(private readonly limit = 10_000) {}
  record(event: AuditEvent): void {
    this.events.push(event);
    if (this.events.length > this.limit) this.events.splice(0, this.events.length - this.limit);
  }
}
