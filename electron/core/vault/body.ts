/**
 * The decrypted body of a vault: credential metadata plus, per version, the
 * secret value still encrypted under the secret-values subkey (`sealed`). Opening a vault
 * therefore never puts secret values in memory in clear; `SecretSealer.open`
 * decrypts one value when someone asks for it.
 *
 * This is the model the session works on; how it becomes bytes is the format's
 * (format/v1/body.ts). `schema` numbers the model's shape, whatever the format.
 */
import type { StrengthEstimate } from '../../../shared/health/findings.js';
import type { CredentialTypeId } from '../../../shared/credential-types/index.js';
import type { CredentialRotation, VersionStage, VersionInfo } from '../../../shared/domain.js';
import { DEFAULT_ROTATION_RULES, type RotationPolicySettings } from '../../../shared/rotation.js';
import type { DetectionOverrides } from '../audit/watch/detection-rules.js';
import type { Stamp } from './hlc.js';
import type { GrantDefinition } from '../../../shared/grants.js';
import type { CustomRule } from '../../../shared/policy-rules.js';
import type { PolicyKey, PolicyPresetName, PolicyValue } from '../../../shared/security-policy.js';
import type { PasswordRules } from '../policy/policy-gate.js';

/** The newest body schema this Keyward understands (and writes). */
export const BODY_SCHEMA = 1;

export interface StoredVersion {
  version: number;
  createdAt: string;
  stage: VersionStage;
  origin: VersionInfo['origin'];
  note?: string;
  /** The strength estimate of this version's value (passwords), computed once and kept: estimates are slow. */
  strength?: StrengthEstimate;
  /** The sealed value (SecretSealer): nonce ‖ ciphertext ‖ tag. */
  sealed: SealedValue;
}

/**
 * A sealed secret value's bytes — nonce (12) ‖ ciphertext ‖ tag (16) — held
 * as a latin1 string, one character per byte: immutable, copied for free by
 * structuredClone and compared with ===, and one string per version instead
 * of two base64 ones. Files hold the bytes (v2) or base64 (v1); only
 * SecretSealer reads inside it.
 */
export type SealedValue = string;

export interface StoredCredential {
  id: string;
  name: string;
  type: CredentialTypeId;
  provider: string;
  description: string;
  tags: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
  lastRotatedAt: string | null;
  expiresAt: string | null;
  fields: Record<string, string>;
  /** Ascending by version number. */
  versions: StoredVersion[];
  /** Absent until the credential gets its own rotation settings. */
  rotation?: Partial<CredentialRotation>;
  /**
   * When each part was last changed, and on which device (hlc.ts), for
   * merging copies: `*` is when the credential was made (what every part
   * without its own stamp carries); others are a member's name, `fields.KEY`
   * or `versions.N`. Absent in credentials written before format v2.
   */
  stamps?: Record<string, Stamp>;
}

export interface VaultSettings {
  autoLockMinutes: number;
  clipboardClearSeconds: number;
  backupsToKeep: number;
  /** How many superseded versions each credential keeps. */
  historyToKeep: number;
  /** Rotate the vault key itself this often (0 = never by schedule). */
  vaultKeyRotationDays: number;
  /** How long the audit trail's sealed segments are kept, in days (0: for ever); absent in older vaults (the default). */
  auditRetentionDays?: number;
  /** Where the app forwards the trail while the vault is open (docs/siem.md); absent or null: nowhere. */
  auditForward?: AuditForwardSetting | null;
  /** The watch's thresholds and lock responses changed from their defaults (docs/audit-format.md §9). */
  detection?: DetectionOverrides;
  /**
   * Whether an operation whose audit record cannot be written is refused
   * (AUDIT_UNAVAILABLE); absent means true. Off, it goes on and the trail
   * later says how many went unrecorded (docs/audit-format.md §5).
   */
  auditFailClosed?: boolean;
  /** Minutes a terminal the user approved may use the CLI through the running app (core/api/cli-sessions.ts); absent or 0: off. */
  cliIntegrationMinutes?: number;
}

export interface AuditForwardSetting {
  /** HOST:PORT ([IPv6]:PORT). */
  syslog: string;
  protocol: 'tcp' | 'udp';
  /** Credential names in clear in what is sent (else keyed ids only). */
  withNames: boolean;
}

/** Twelve months and a bit: PCI DSS 10.5.1 asks for a year of audit history. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

export const DEFAULT_SETTINGS: VaultSettings = {
  autoLockMinutes: 5,
  clipboardClearSeconds: 30,
  backupsToKeep: 10,
  historyToKeep: 20,
  vaultKeyRotationDays: 365,
};

export function defaultRotationPolicy(): RotationPolicySettings {
  return { defaults: { ...DEFAULT_ROTATION_RULES }, byType: {}, byProvider: {} };
}

/** The body's `policy` member (absent: every key there at its default). */
export interface StoredPolicy {
  password?: Partial<PasswordRules>;
  onViolation?: 'refuse' | 'warn';
  backupEnabled?: boolean;
  /** Custom rules (shared/policy-rules.ts; policy/rules/): named, scoped, in the order they were made. */
  rules?: CustomRule[];
  /** How wrong master passwords are slowed down (vault/lockout.ts); mirrored into P.lockout, read before an unlock. */
  unlockBackoff?: 'standard' | 'strict';
  /** What last set each key through the policy, with the value it set: a later change elsewhere (Settings) then shows as set. */
  sources?: Partial<Record<PolicyKey, StoredPolicySource>>;
}

export interface StoredPolicySource {
  from: 'preset' | 'set';
  preset?: PolicyPresetName;
  at: string;
  value: PolicyValue;
}

export type { GrantDefinition };

/** The body's `grants` member: one per grant (docs/vault-format.md, "Grants"; core/grants/). */
export interface StoredGrant extends GrantDefinition {
  id: string;
  createdAt: string;
  /** G, base64: under the vault key like everything in the body. */
  key: string;
  /** HMAC of the token's secret under G's token-hash key, hex: the token itself is never kept. */
  tokenHash: string;
  /** G sealed under the token's wrap key, base64 (nonce ‖ ciphertext ‖ tag): copied into the grant's file. */
  wrap: string;
  /** Set by the user or an incident response: the file (the key material on disk) is removed until resumed. */
  suspended?: boolean;
}

export interface VaultBody {
  schema: number;
  /** Read-only to everyone but vault-change.ts: a credential is added, changed or removed only through it, which records the change. */
  credentials: readonly StoredCredential[];
  settings: VaultSettings;
  /** AES-GCM invocations per key, so the key can be rotated long before NIST's 2^32 limit. */
  encryptions: { body: number; secrets: number };
  rotation: RotationPolicySettings;
  /** When the current vault key was made (absent in vaults older than key rotation: the header's createdAt). */
  keyCreatedAt?: string;
  /** The newest stamp made or seen in this vault: the next one is later (hlc.ts). */
  lastStamp?: Stamp;
  /** Deleted credentials' ids, each with the stamp of its deletion, so a merge tells "deleted" from "never seen". */
  tombstones?: Record<string, Stamp>;
  /**
   * The audit trail's key (32 random bytes, base64), kept here so it outlives
   * a vault key rotation, and the trail's head as of this save: an anchor a
   * truncated trail cannot match (docs/audit-format.md).
   */
  audit?: { key: string; head?: { seq: number; mac: string } };
  /** The security policy's own keys and where each key's value came from (policy/security-policy.ts; docs/policies.md). */
  policy?: StoredPolicy;
  /** Access grants for programs (core/grants/); absent: none. */
  grants?: StoredGrant[];
}

/**
 * What a restored backup does not bring back: the vault's configuration —
 * settings, the rotation and security policy with its custom rules, and the
 * grants — is who may read the credentials and how, decided now, not part of
 * what a backup holds for the person; nor the audit trail's key and anchor. Taken from `today` into `restored`. The
 * AES-GCM counts keep the higher of the two: both copies were sealed under the
 * same key, and a count that went back would let the key outlive its limit.
 */
export function carryConfiguration(today: Readonly<VaultBody>, restored: VaultBody): void {
  carryPolicy(today, restored);
  if (today.grants) restored.grants = today.grants;
  else delete restored.grants;
}

/** carryConfiguration but for the grants (when those are judged apart: grants/restore-marker.ts). */
export function carryPolicy(today: Readonly<VaultBody>, restored: VaultBody): void {
  // The trail's key and newest anchor too: the trail went on after the backup was made.
  if (today.audit) restored.audit = today.audit;
  restored.settings = today.settings;
  restored.rotation = today.rotation;
  if (today.policy) restored.policy = today.policy;
  else delete restored.policy;
  restored.encryptions = {
    body: Math.max(today.encryptions.body, restored.encryptions.body),
    secrets: Math.max(today.encryptions.secrets, restored.encryptions.secrets),
  };
}

export function emptyBody(): VaultBody {
  return { schema: BODY_SCHEMA, credentials: [], settings: { ...DEFAULT_SETTINGS }, encryptions: { body: 0, secrets: 0 }, rotation: defaultRotationPolicy() };
}
