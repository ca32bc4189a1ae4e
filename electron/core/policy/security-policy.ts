/**
 * The security policy as the vault holds it (shared/security-policy.ts names
 * the keys; docs/policies.md says what each does). Most keys live where the
 * code that enforces them already reads them — the rotation defaults, the
 * settings — so there is one value for each, whichever screen or command
 * changed it. The password rules, what a broken rule does, and whether
 * backups are kept live in the body's `policy` member, with where each key's
 * value came from.
 */
import { DEFAULT_ROTATION_RULES } from '../../../shared/rotation.js';
import { POLICY_KEYS, type PolicyEntry, type PolicyKey, type PolicyPresetName, type PolicySource, type PolicyValue, type PolicyView } from '../../../shared/security-policy.js';
import { DEFAULT_AUDIT_RETENTION_DAYS, DEFAULT_SETTINGS, type StoredPolicy, type VaultBody, type VaultSettings } from '../vault/body.js';
import { DEFAULT_PASSWORD_RULES, passwordViolations } from './password-policy.js';
import type { PasswordRules, PolicyGate } from './policy-gate.js';

const PASSWORD_FIELDS: Partial<Record<PolicyKey, keyof PasswordRules>> = {
  min_length: 'minLength',
  require_uppercase: 'requireUpper',
  require_lowercase: 'requireLower',
  require_numbers: 'requireDigit',
  require_special_chars: 'requireSpecial',
};

const SETTINGS_FIELDS: Partial<Record<PolicyKey, keyof VaultSettings>> = {
  backup_count: 'backupsToKeep',
  auto_lock_minutes: 'autoLockMinutes',
  clipboard_clear_seconds: 'clipboardClearSeconds',
  audit_retention_days: 'auditRetentionDays',
  audit_fail_closed: 'auditFailClosed',
  cli_integration_minutes: 'cliIntegrationMinutes',
};

/** Every key's value in this body. */
export function policyValues(body: Readonly<VaultBody>): Record<PolicyKey, PolicyValue> {
  const p = body.policy ?? {};
  const rules = passwordRulesOf(body);
  const s = body.settings;
  return {
    rotation_interval_days: body.rotation.defaults.intervalDays ?? DEFAULT_ROTATION_RULES.intervalDays,
    max_age_days: body.rotation.defaults.maxAgeDays ?? DEFAULT_ROTATION_RULES.maxAgeDays,
    min_length: rules.minLength,
    require_uppercase: rules.requireUpper,
    require_lowercase: rules.requireLower,
    require_numbers: rules.requireDigit,
    require_special_chars: rules.requireSpecial,
    password_rules: p.onViolation ?? 'refuse',
    backup_enabled: p.backupEnabled !== false,
    backup_count: s.backupsToKeep ?? DEFAULT_SETTINGS.backupsToKeep,
    auto_lock_minutes: s.autoLockMinutes,
    clipboard_clear_seconds: s.clipboardClearSeconds,
    audit_retention_days: s.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS,
    audit_fail_closed: s.auditFailClosed !== false,
    unlock_backoff: p.unlockBackoff ?? 'standard',
    cli_integration_minutes: s.cliIntegrationMinutes ?? 0,
  };
}

/** The password rules this vault's values are checked against (and the generator meets): the vault's, over `base`. */
export function passwordRulesOf(body: Readonly<VaultBody>, base: PasswordRules = DEFAULT_PASSWORD_RULES): PasswordRules {
  return { ...base, ...(body.policy?.password ?? {}) };
}

/**
 * The gate of an open vault: the entry point's (`base`), with the password
 * rules and what a violation does as the vault's policy says now.
 */
export function vaultPolicyGate(base: PolicyGate, body: () => Readonly<VaultBody>): PolicyGate {
  // As last read while open: a step that finishes after the vault locked (a rotator's value being kept) is still judged.
  let last: { rules: PasswordRules; warn: boolean } = { rules: base.passwordRules, warn: false };
  const current = () => {
    let b: Readonly<VaultBody>;
    try {
      b = body();
    } catch {
      return last;
    }
    return (last = { rules: passwordRulesOf(b, base.passwordRules), warn: warnsOnly(b) });
  };
  current();
  return {
    check: (context, value) => (context.type === 'password' ? passwordViolations(value, current().rules) : base.check(context, value)),
    get passwordRules() {
      return current().rules;
    },
    get onViolation() {
      return current().warn ? 'warn' : 'refuse';
    },
  };
}

/** Whether a value that breaks the password rules is stored all the same (with a finding). */
export function warnsOnly(body: Readonly<VaultBody>): boolean {
  return body.policy?.onViolation === 'warn';
}

/** Whether backups are made before changes. */
export function backupsEnabled(body: Readonly<VaultBody>): boolean {
  return body.policy?.backupEnabled !== false;
}

/** Every key, its value, and where that comes from. */
export function policyView(body: Readonly<VaultBody>): PolicyView {
  const values = policyValues(body);
  const sources = body.policy?.sources ?? {};
  const entries: PolicyEntry[] = POLICY_KEYS.map((def) => {
    const value = values[def.key];
    const stored = sources[def.key];
    let source: PolicySource;
    if (stored && stored.value === value) source = stored.from === 'preset' && stored.preset ? { from: 'preset', preset: stored.preset, at: stored.at } : { from: 'set', at: stored.at };
    else if (value === def.default) source = { from: 'default' };
    else source = { from: 'set', at: stored?.at ?? '' };
    return { key: def.key, value, source };
  });
  return { entries, rules: (body.policy?.rules ?? []).map((r) => structuredClone(r)) };
}

/** Writes `value` for `key` into `body` (checked by the caller), noting where it came from. */
export function applyPolicyValue(body: VaultBody, key: PolicyKey, value: PolicyValue, source: { from: 'preset'; preset: PolicyPresetName } | { from: 'set' }, at: string): void {
  const policy: StoredPolicy = { ...(body.policy ?? {}) };
  const field = PASSWORD_FIELDS[key];
  if (field) policy.password = { ...(policy.password ?? {}), [field]: value };
  else if (key === 'password_rules') policy.onViolation = value as 'refuse' | 'warn';
  else if (key === 'backup_enabled') policy.backupEnabled = value as boolean;
  else if (key === 'unlock_backoff') policy.unlockBackoff = value as 'standard' | 'strict';
  else if (key === 'rotation_interval_days' || key === 'max_age_days') {
    const member = key === 'rotation_interval_days' ? 'intervalDays' : 'maxAgeDays';
    body.rotation = { ...body.rotation, defaults: { ...body.rotation.defaults, [member]: value as number } };
  } else {
    const member = SETTINGS_FIELDS[key];
    if (!member) throw new Error(`no storage for policy key ${key}`);
    body.settings = { ...DEFAULT_SETTINGS, ...body.settings, [member]: value };
  }
  policy.sources = { ...(policy.sources ?? {}), [key]: { ...source, at, value } };
  body.policy = policy;
}
