/**
 * The security policy, under the product's own names (docs/policies.md): one
 * table that says, for every key, what it means, what it may be, its default,
 * and which direction weakens the vault. The core stores and enforces it, the
 * CLI and the Policies screen show and edit it, all from this one table.
 */
import type { CustomRule } from './policy-rules.js';

export type PolicyKey =
  | 'rotation_interval_days'
  | 'max_age_days'
  | 'min_length'
  | 'require_special_chars'
  | 'require_numbers'
  | 'require_uppercase'
  | 'require_lowercase'
  | 'password_rules'
  | 'backup_enabled'
  | 'backup_count'
  | 'auto_lock_minutes'
  | 'clipboard_clear_seconds'
  | 'audit_retention_days'
  | 'audit_fail_closed'
  | 'unlock_backoff'
  | 'cli_integration_minutes';

export type PolicyValue = number | boolean | string;

/** What a key may hold. */
export type PolicyKind =
  | { type: 'int'; min: number; max: number; unit: string; /** A value with a meaning of its own besides the range (0 = never, for ever). */ special?: { value: number; means: string } }
  | { type: 'bool' }
  | { type: 'choice'; values: readonly string[] };

export interface PolicyKeyDef {
  key: PolicyKey;
  label: string;
  /** What it does, in a sentence a person reads in the Policies screen and `policy show`. */
  description: string;
  kind: PolicyKind;
  default: PolicyValue;
  /** Whether changing `from` to `to` weakens the vault (then the master password is asked for). */
  weakens: (from: PolicyValue, to: PolicyValue) => boolean;
  /** The group it is shown under. */
  group: 'Rotation' | 'Passwords' | 'Backups' | 'Sessions' | 'Audit trail';
}

const lower = (from: PolicyValue, to: PolicyValue) => (to as number) < (from as number);
const higher = (from: PolicyValue, to: PolicyValue) => (to as number) > (from as number);
const turnedOff = (from: PolicyValue, to: PolicyValue) => from === true && to === false;

/** The rules a value of type `password` is checked against, each its own key: a refusal names the one broken. */
export const PASSWORD_RULE_KEYS = ['min_length', 'require_uppercase', 'require_lowercase', 'require_numbers', 'require_special_chars'] as const;
export type PasswordRuleKey = (typeof PASSWORD_RULE_KEYS)[number];

export const POLICY_KEYS: readonly PolicyKeyDef[] = [
  {
    key: 'rotation_interval_days',
    label: 'Rotate every',
    description: 'How often a credential is due for rotation, unless a type, provider or credential has its own interval.',
    kind: { type: 'int', min: 1, max: 3650, unit: 'days' },
    default: 30,
    weakens: higher,
    group: 'Rotation',
  },
  {
    key: 'max_age_days',
    label: 'Oldest allowed',
    description: 'A credential whose current value is older than this is overdue, whatever its interval.',
    kind: { type: 'int', min: 1, max: 3650, unit: 'days' },
    default: 90,
    weakens: higher,
    group: 'Rotation',
  },
  {
    key: 'min_length',
    label: 'Minimum length',
    description: 'Passwords shorter than this (in characters as a person counts them) are refused.',
    kind: { type: 'int', min: 8, max: 128, unit: 'characters' },
    default: 12,
    weakens: lower,
    group: 'Passwords',
  },
  { key: 'require_uppercase', label: 'Require an upper-case letter', description: 'Passwords must contain an upper-case letter.', kind: { type: 'bool' }, default: true, weakens: turnedOff, group: 'Passwords' },
  { key: 'require_lowercase', label: 'Require a lower-case letter', description: 'Passwords must contain a lower-case letter.', kind: { type: 'bool' }, default: true, weakens: turnedOff, group: 'Passwords' },
  { key: 'require_numbers', label: 'Require a digit', description: 'Passwords must contain a digit.', kind: { type: 'bool' }, default: true, weakens: turnedOff, group: 'Passwords' },
  { key: 'require_special_chars', label: 'Require a special character', description: 'Passwords must contain a character that is neither a letter nor a digit.', kind: { type: 'bool' }, default: true, weakens: turnedOff, group: 'Passwords' },
  {
    key: 'password_rules',
    label: 'When a password breaks a rule',
    description: 'refuse: it is not stored unless forced. warn: it is stored, and Health lists the rule it breaks.',
    kind: { type: 'choice', values: ['refuse', 'warn'] },
    default: 'refuse',
    weakens: (from, to) => from === 'refuse' && to === 'warn',
    group: 'Passwords',
  },
  { key: 'backup_enabled', label: 'Keep backups', description: 'Copy the vault beside itself before changes, so a bad change or a damaged file can be undone.', kind: { type: 'bool' }, default: true, weakens: turnedOff, group: 'Backups' },
  { key: 'backup_count', label: 'Backups kept', description: 'How many backup copies are kept; the oldest go first.', kind: { type: 'int', min: 1, max: 100, unit: 'copies' }, default: 10, weakens: lower, group: 'Backups' },
  {
    key: 'auto_lock_minutes',
    label: 'Lock when idle after',
    description: 'The app locks the vault after this long without input.',
    kind: { type: 'int', min: 1, max: 1440, unit: 'minutes', special: { value: 0, means: 'never' } },
    default: 5,
    weakens: (from, to) => to === 0 ? from !== 0 : from !== 0 && (to as number) > (from as number),
    group: 'Sessions',
  },
  { key: 'clipboard_clear_seconds', label: 'Clear the clipboard after', description: 'A copied value is cleared from the clipboard after this long.', kind: { type: 'int', min: 5, max: 600, unit: 'seconds' }, default: 30, weakens: higher, group: 'Sessions' },
  {
    key: 'audit_retention_days',
    label: 'Keep the audit trail for',
    description: 'Sealed parts of the audit trail older than this are dropped, each drop recorded.',
    kind: { type: 'int', min: 30, max: 3650, unit: 'days', special: { value: 0, means: 'for ever' } },
    default: 365,
    weakens: (from, to) => to !== 0 && (from === 0 || (to as number) < (from as number)),
    group: 'Audit trail',
  },
  {
    key: 'audit_fail_closed',
    label: 'Refuse what cannot be recorded',
    description: 'When the audit trail cannot be written, operations are refused rather than go on unrecorded.',
    kind: { type: 'bool' },
    default: true,
    weakens: turnedOff,
    group: 'Audit trail',
  },
  {
    key: 'unlock_backoff',
    label: 'Unlock backoff',
    description: 'standard: 5 free attempts, then waits of 5 s doubling up to 5 minutes; strict: 3 free attempts, then 30 s doubling up to 30 minutes.',
    kind: { type: 'choice', values: ['standard', 'strict'] },
    default: 'standard',
    weakens: (from, to) => from === 'strict' && to === 'standard',
    group: 'Sessions',
  },
  {
    key: 'cli_integration_minutes',
    label: 'CLI through the app',
    description: 'While the app is unlocked, keyward get, list, show, history, env, inject and run in a terminal you approved ask the app instead of opening the file (no master password, no KDF), for this many minutes per terminal; 0: off.',
    kind: { type: 'int', min: 1, max: 480, unit: 'minutes', special: { value: 0, means: 'off' } },
    default: 0,
    // On, or longer, lets more happen without the master password.
    weakens: (from, to) => (to as number) > (from as number),
    group: 'Sessions',
  },
];

const BY_KEY = new Map(POLICY_KEYS.map((d) => [d.key, d]));

export function policyKeyDef(key: string): PolicyKeyDef | undefined {
  return BY_KEY.get(key as PolicyKey);
}

/** The allowed values of a key, in words (what an error says). */
export function allowedValues(def: PolicyKeyDef): string {
  const k = def.kind;
  if (k.type === 'bool') return 'true or false';
  if (k.type === 'choice') return k.values.join(' or ');
  return `a whole number of ${k.unit} from ${k.min} to ${k.max}${k.special ? `, or ${k.special.value} (${k.special.means})` : ''}`;
}

/**
 * `text` (as typed after `policy set KEY`, or sent by the page) as a value of
 * `def`; a string saying what is allowed when it is not one.
 */
export function parsePolicyValue(def: PolicyKeyDef, input: unknown): { value: PolicyValue } | { error: string } {
  const k = def.kind;
  const wrong = { error: `${def.key} takes ${allowedValues(def)}.` };
  if (k.type === 'bool') {
    if (typeof input === 'boolean') return { value: input };
    const t = String(input).trim().toLowerCase();
    if (['true', 'on', 'yes'].includes(t)) return { value: true };
    if (['false', 'off', 'no'].includes(t)) return { value: false };
    return wrong;
  }
  if (k.type === 'choice') {
    const t = String(input).trim().toLowerCase();
    return k.values.includes(t) ? { value: t } : wrong;
  }
  const n = typeof input === 'number' ? input : /^\s*-?\d+\s*$/.test(String(input)) ? Number(String(input).trim()) : NaN;
  if (!Number.isSafeInteger(n)) return wrong;
  if (k.special && n === k.special.value) return { value: n };
  return n >= k.min && n <= k.max ? { value: n } : wrong;
}

export type PolicyPresetName = 'default' | 'nist-800-63b' | 'pci-dss-4';

export interface PolicyPreset {
  name: PolicyPresetName;
  label: string;
  /** Why it sets what it sets (docs/policies.md says the same at length). */
  summary: string;
  values: Partial<Record<PolicyKey, PolicyValue>>;
}

export const POLICY_PRESETS: readonly PolicyPreset[] = [
  {
    name: 'default',
    label: 'Keyward defaults',
    summary: 'Every key at its default.',
    values: Object.fromEntries(POLICY_KEYS.map((d) => [d.key, d.default])),
  },
  {
    name: 'nist-800-63b',
    label: 'NIST SP 800-63B',
    summary:
      'Length over composition: passwords of at least 15 characters, no rules about which kinds of character they contain, and no forced periodic changes of passwords (change them when there is a reason: the Compromised action, a breach); keys and tokens are still reviewed yearly.',
    values: {
      min_length: 15,
      require_uppercase: false,
      require_lowercase: false,
      require_numbers: false,
      require_special_chars: false,
      password_rules: 'refuse',
      rotation_interval_days: 365,
      max_age_days: 730,
    },
  },
  {
    name: 'pci-dss-4',
    label: 'PCI DSS v4.0',
    summary:
      'Requirement 8.3.6: at least 12 characters with letters and digits; 8.3.9: changed at least every 90 days; 8.2.8: re-authentication after at most 15 idle minutes; 10.5.1: a year of audit history, nothing unrecorded.',
    values: {
      min_length: 12,
      require_uppercase: true,
      require_lowercase: true,
      require_numbers: true,
      password_rules: 'refuse',
      rotation_interval_days: 90,
      max_age_days: 90,
      auto_lock_minutes: 5,
      audit_retention_days: 365,
      audit_fail_closed: true,
      backup_enabled: true,
      unlock_backoff: 'strict',
    },
  },
];

export function policyPreset(name: string): PolicyPreset | undefined {
  return POLICY_PRESETS.find((p) => p.name === name);
}

/** Where a key's value comes from. */
export type PolicySource = { from: 'default' } | { from: 'preset'; preset: PolicyPresetName; at: string } | { from: 'set'; at: string };

export interface PolicyEntry {
  key: PolicyKey;
  value: PolicyValue;
  source: PolicySource;
}

export interface PolicyView {
  entries: PolicyEntry[];
  /** Custom rules (shared/policy-rules.ts), in the order they were made. */
  rules: CustomRule[];
}
