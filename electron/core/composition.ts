/**
 * Builds the core's services from real adapters. The CLI, the Electron main
 * process, the test harness and the benchmarks all start here, so they run the
 * very same code; only the transport in front of it differs.
 */
import type { AuditActor, AuditSink } from './audit/audit-sink.js';
import { MemoryAuditSink } from './audit/audit-sink.js';
import { disabledKeychain, type Keychain } from './keychain/keychain.js';
import { keytarKeychain } from './keychain/keytar-keychain.js';
import { combineGates, type PolicyGate } from './policy/policy-gate.js';
import { passwordPolicyGate } from './policy/password-policy.js';
import { systemClock, type Clock } from './ports/clock.js';
import { nodeFileSystem } from './ports/file-system.js';
import { systemRandom } from './ports/random.js';
import { VaultService } from './service/vault-service.js';
import type { VaultDeps, VaultSession } from './vault/vault-session.js';

export interface CoreOptions {
  /** False for --no-keychain: the OS keychain is never touched. */
  useKeychain: boolean;
  clock?: Clock;
  keychain?: Keychain;
}

export function realVaultDeps(options: CoreOptions): VaultDeps {
  return {
    fs: nodeFileSystem,
    clock: options.clock ?? systemClock,
    random: systemRandom,
    keychain: options.keychain ?? (options.useKeychain ? keytarKeychain : disabledKeychain('The OS keychain is turned off (--no-keychain).')),
  };
}

export function defaultPolicy(): PolicyGate {
  return combineGates(passwordPolicyGate());
}

export function serviceFor(
  session: VaultSession,
  actor: AuditActor,
  options: { clock?: Clock; audit?: AuditSink; policy?: PolicyGate } = {},
): VaultService {
  return new VaultService(session, {
    clock: options.clock ?? systemClock,
    random: systemRandom,
    audit: options.audit ?? new MemoryAuditSink(),
    policy: options.policy ?? defaultPolicy(),
    actor,
  });
}
