/**
 * Builds the core's services from real adapters. The CLI, the Electron main
 * process, the test harness and the benchmarks all start here, so they run the
 * very same code; only the transport in front of it differs.
 */
import type { HealthRunner } from './health/health-runner.js';
import type { SegmentChecker } from './audit/trail-verify.js';
import { AuditDoor } from './audit/audit-door.js';
import type { AuditActor, AuditSink } from './audit/audit-sink.js';
import { MemoryAuditSink } from './audit/audit-sink.js';
import { disabledKeychain, type Keychain } from './keychain/keychain.js';
import { keytarKeychain } from './keychain/keytar-keychain.js';
import type { PolicyGate } from './policy/policy-gate.js';
import { passwordPolicyGate } from './policy/password-policy.js';
import { systemClock, type Clock } from './ports/clock.js';
import { nodeFileSystem } from './ports/file-system.js';
import { systemRandom } from './ports/random.js';
import { defaultStateDir } from './vault/vault-paths.js';
import { GeneratorService } from './service/generator-service.js';
import { VaultLifecycle, type IncidentListener, type UnrecordedListener, type WatchOptions } from './service/vault-lifecycle.js';
import type { VaultDeps } from './vault/vault-session.js';

export type { VaultDeps };

export interface CoreOptions {
  /** False for --no-keychain: the OS keychain is never touched. */
  useKeychain: boolean;
  clock?: Clock;
  keychain?: Keychain;
  /** A long-running process (the app, the harness) compacts the vault file in the background. */
  compactInBackground?: boolean;
  /** The user's state folder: the highest generation seen of each vault (rollback protection) and this device's id; null: neither is kept. */
  stateDir?: string | null;
}

export function realVaultDeps(options: CoreOptions): VaultDeps {
  return {
    fs: nodeFileSystem,
    clock: options.clock ?? systemClock,
    random: systemRandom,
    keychain: options.keychain ?? (options.useKeychain ? keytarKeychain : disabledKeychain('The OS keychain is turned off (--no-keychain).')),
    ...(options.compactInBackground ? { compactInBackground: true } : {}),
    stateDir: options.stateDir === undefined ? defaultStateDir() : options.stateDir,
  };
}

export function defaultPolicy(): PolicyGate {
  return passwordPolicyGate();
}

export interface CoreEntry {
  /** Who calls, set by the entry point: every operation is recorded under it. */
  actor: AuditActor;
  deps: VaultDeps;
  audit?: AuditSink;
  policy?: PolicyGate;
  /** Where the health pipeline's slow half runs (a worker thread in the app). */
  healthRunner?: HealthRunner;
  /** Told of incidents as the trail's watch opens them, to respond (the app notifies and locks; the CLI warns). */
  onIncidents?: IncidentListener;
  /** Told when an operation went on unrecorded (the vault's fail-closed setting off), to say so. */
  onUnrecorded?: UnrecordedListener;
  /** The watch's rules and clock face (tests); the defaults otherwise. */
  watch?: WatchOptions;
  /** Lines per sealed segment of the trail (tests use small ones). */
  auditSegmentRecords?: number;
  /** Checks sealed segments (in parallel where the entry point bundles the worker). */
  segmentChecker?: SegmentChecker;
}

/** The core's application layer for one entry point: the vault's lifecycle (and, once open, its services) and the generator. */
export interface Core {
  vault(path: string): VaultLifecycle;
  generator: GeneratorService;
}

export function openCore(entry: CoreEntry): Core {
  const audit = entry.audit ?? new MemoryAuditSink();
  const policy = entry.policy ?? defaultPolicy();
  const options = {
    deps: entry.deps,
    audit,
    actor: entry.actor,
    policy,
    health: { runner: entry.healthRunner },
    ...(entry.onIncidents ? { onIncidents: entry.onIncidents } : {}),
    ...(entry.onUnrecorded ? { onUnrecorded: entry.onUnrecorded } : {}),
    ...(entry.watch ? { watch: entry.watch } : {}),
    ...(entry.auditSegmentRecords ? { auditSegmentRecords: entry.auditSegmentRecords } : {}),
    ...(entry.segmentChecker ? { segmentChecker: entry.segmentChecker } : {}),
  };
  return {
    vault: (path) => new VaultLifecycle(path, options),
    generator: new GeneratorService(policy, new AuditDoor(audit, entry.deps.clock, entry.actor)),
  };
}
