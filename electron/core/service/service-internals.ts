/**
 * What the core's own services (rotation, health, undo) need from a
 * VaultService beyond its public operations: its session and its
 * dependencies. They live in this module's WeakMap, not on the instance, so
 * no member of a service — TypeScript-private, `#`, symbol-keyed or
 * otherwise — leads to them: `service['session']` is undefined, and
 * `Object.getOwnPropertySymbols(service)` is empty. The sealed-core lint rule
 * forbids importing this module outside electron/core, so code outside the
 * core has no path from a service to a session, nor a way to swap the audit
 * sink or the policy a service runs under.
 */
import type { AuditActor, AuditSink } from '../audit/audit-sink.js';
import type { PolicyGate } from '../policy/policy-gate.js';
import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import type { VaultSession } from '../vault/vault-session.js';
import type { VaultService } from './vault-service.js';

export interface ServiceDeps {
  clock: Clock;
  random: Random;
  audit: AuditSink;
  policy: PolicyGate;
  actor: AuditActor;
}

export interface ServiceInternals {
  readonly session: VaultSession;
  readonly deps: Readonly<ServiceDeps>;
}

const internals = new WeakMap<VaultService, ServiceInternals>();

/** Called once, by VaultService's constructor. */
export function bindInternals(service: VaultService, value: ServiceInternals): void {
  if (internals.has(service)) throw new Error('A service is bound to one session, once.');
  internals.set(service, Object.freeze({ session: value.session, deps: Object.freeze({ ...value.deps }) }));
}

export function internalsOf(service: VaultService): ServiceInternals {
  const found = internals.get(service);
  if (!found) throw new Error('Not a VaultService built by the core.');
  return found;
}

/** The session behind a service (for the core's other services only). */
export function sessionOf(service: VaultService): VaultSession {
  return internalsOf(service).session;
}
