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

/** Who called, as the entry point says (never inferred); a named grant joins these with access grants. */
export type AuditActor = 'cli' | 'app' | 'harness' | 'test';

export interface AuditEvent {
  at: string;
  actor: AuditActor;
  action: string;
  credentialId?: string;
  credentialName?: string;
  outcome: 'success' | 'failure';
  errorCode?: ErrorCode;
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
