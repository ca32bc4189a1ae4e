/**
 * Test builders: real adapters (files, crypto, randomness) by default, with
 * `Partial` overrides for the ports a test wants to control (clock, keychain,
 * file system), and random, distinctive values.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { NewCredential } from '../../../shared/domain.js';
import { MemoryAuditSink, type AuditSink } from '../../core/audit/audit-sink.js';
import { defaultPolicy } from '../../core/composition.js';
import type { AuditActor } from '../../core/audit/audit-sink.js';
import { MemoryKeychain } from '../../core/keychain/keychain.js';
import type { PolicyGate } from '../../core/policy/policy-gate.js';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import { nodeFileSystem } from '../../core/ports/file-system.js';
import { systemRandom, type Random } from '../../core/ports/random.js';
import { VaultService } from '../../core/service/vault-service.js';
import { MIN_KDF_ITERATIONS } from '../../core/vault/format/index.js';
import { createVault, type VaultDeps, type VaultSession } from '../../core/vault/vault-session.js';

/** The floor: the cheapest KDF a vault accepts (~55 ms here), to keep tests fast. */
export const TEST_KDF_ITERATIONS = MIN_KDF_ITERATIONS;

/** A value no code would produce by accident, so finding it anywhere means it leaked. */
export function distinctiveSecret(label = 'secret'): string {
  return `KWLEAK-${label}-${randomBytes(12).toString('hex')}`;
}

/** A password-type value that satisfies the default policy (12+ chars, all four classes). */
export function strongPassword(): string {
  return `Pw!9-${randomBytes(9).toString('base64url')}aZ`;
}

export function testPassword(): string {
  return `master-${randomBytes(6).toString('hex')}`;
}

export function newCredential(overrides: Partial<NewCredential> = {}): NewCredential {
  return { name: `cred-${randomBytes(4).toString('hex')}`, type: 'secret', ...overrides };
}

export function testDeps(overrides: Partial<VaultDeps> = {}): VaultDeps {
  return { fs: nodeFileSystem, clock: systemClock, random: systemRandom, keychain: new MemoryKeychain(), ...overrides };
}

export interface TestVault {
  path: string;
  password: string;
  deps: VaultDeps;
  session: VaultSession;
  service: VaultService;
  audit: MemoryAuditSink;
}

export interface TestVaultOptions {
  password?: string;
  deps?: Partial<VaultDeps>;
  useKeychain?: boolean;
  file?: string;
}

/**
 * A credential service over a session a test already holds (entry points
 * never hold sessions: they use openCore).
 */
export function serviceFor(
  session: VaultSession,
  actor: AuditActor,
  options: { clock?: Clock; random?: Random; audit?: AuditSink; policy?: PolicyGate } = {},
): VaultService {
  return new VaultService(session, {
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
    audit: options.audit ?? new MemoryAuditSink(),
    policy: options.policy ?? defaultPolicy(),
    actor,
  });
}

export function testService(
  session: VaultSession,
  options: { clock?: Clock; random?: Random; audit?: AuditSink; policy?: PolicyGate } = {},
): VaultService {
  return serviceFor(session, 'test', options);
}

/** A fresh vault on disk (real KDF at the floor), unlocked, with a service over it. */
export async function createTestVault(dir: string, options: TestVaultOptions = {}): Promise<TestVault> {
  const path = join(dir, options.file ?? 'vault.keyward');
  const password = options.password ?? testPassword();
  const deps = testDeps(options.deps);
  const session = await createVault(path, { password, kdfIterations: TEST_KDF_ITERATIONS, useKeychain: options.useKeychain ?? false }, deps);
  const audit = new MemoryAuditSink();
  return { path, password, deps, session, audit, service: testService(session, { clock: deps.clock, audit }) };
}
