/**
 * What each recorded action is, in the few terms every SIEM format maps from:
 * what it acted on, what it did to it, and how much a security team should
 * care. ECS, CEF, OCSF and syslog all read this one table (docs/siem.md), so
 * an action is a "credential read" or a "failed unlock" the same way in each.
 * What counts as a sign of tampering is the watch's definition
 * (watch/detection-rules.ts), so an export and the watch never disagree.
 */
import { isRollbackSign, isTamperSign } from '../watch/detection-rules.js';

/** What an action acted on. */
export type ActionDomain =
  /** The vault being opened and closed: a logon session. */
  | 'session'
  /** The master password, the keychain unlock, the vault key: how the vault is opened. */
  | 'account'
  | 'credential'
  | 'configuration'
  | 'backup'
  /** The audit trail and the watch's incidents: read, verified, exported, acknowledged. */
  | 'audit'
  /** What Keyward found: signs that the vault or its trail was tampered with, or an incident its watch opened. */
  | 'finding'
  /** Anything else (the password generator, actions a newer Keyward records). */
  | 'tool';

/** What the action did to it. */
export type ActionOperation = 'start' | 'end' | 'verify' | 'create' | 'read' | 'update' | 'delete' | 'detect' | 'other';

/**
 * How much it matters, from least to most; each format maps a level to its own
 * scale (syslog severity, CEF severity, OCSF severity_id: docs/siem.md).
 */
export type ActionLevel =
  /** Day-to-day use. */
  | 'routine'
  /** A secret handed out, or a change that weakens or replaces protection, or the trail leaving the machine. */
  | 'sensitive'
  /** An operation that failed. */
  | 'failure'
  /** A failed unlock or master-password check: someone may be guessing. */
  | 'auth-failure'
  /** An incident the watch over the trail opened (a burst or sweep of reads, repeated failed unlocks, …). */
  | 'incident'
  /** The vault or its trail was cut back, rewritten, rolled back or failed verification. */
  | 'tamper';

export interface ActionClass {
  domain: ActionDomain;
  operation: ActionOperation;
  level: ActionLevel;
  /** A short name for people, a noun ("Vault unlock", "Credential value reveal"): formats add "failed". */
  title: string;
}

interface Kind {
  domain: ActionDomain;
  operation: ActionOperation;
  title: string;
  /** A success that deserves more attention than routine use. */
  sensitive?: true;
}

const kind = (domain: ActionDomain, operation: ActionOperation, title: string, sensitive = false): Kind => ({ domain, operation, title, ...(sensitive ? { sensitive: true as const } : {}) });

/** Actions by exact name. */
const EXACT: Readonly<Record<string, Kind>> = {
  'vault.create': kind('configuration', 'create', 'Vault creation'),
  'vault.verifyPassword': kind('account', 'verify', 'Master password check'),
  'vault.changePassword': kind('account', 'update', 'Master password change', true),
  'vault.keychain.on': kind('account', 'update', 'Keychain unlock activation', true),
  'vault.keychain.off': kind('account', 'update', 'Keychain unlock deactivation', true),
  'vault.rotateKey': kind('account', 'update', 'Vault key rotation', true),
  'vault.weakMasterPasswordAllowed': kind('account', 'update', 'Weak master password allowance', true),
  'vault.restoreBackup': kind('backup', 'update', 'Vault restore from a backup', true),
  'vault.keepSessionState': kind('configuration', 'update', 'Older copy on disk overwritten by the open vault', true),
  // (Both are signs of tampering as the watch defines them: classifyAction files them as findings.)
  'vault.olderCopySeen': kind('configuration', 'other', 'Older vault copy seen on disk', true),
  'vault.olderCopyAccepted': kind('configuration', 'update', 'Older vault copy acceptance', true),
  'vault.inspectBackups': kind('backup', 'read', 'Backup inspection with the master password'),
  'vault.previewBackup.password': kind('backup', 'read', 'Backup preview with an earlier password'),
  'backups.list': kind('backup', 'read', 'Backup listing'),
  'backups.preview': kind('backup', 'read', 'Backup preview'),
  'settings.update': kind('configuration', 'update', 'Settings change', true),
  'policy.set': kind('configuration', 'update', 'Rotation policy change'),
  add: kind('credential', 'create', 'Credential addition'),
  update: kind('credential', 'update', 'Credential change'),
  promote: kind('credential', 'update', 'Credential version promotion'),
  rotate: kind('credential', 'update', 'Credential rotation'),
  'rotate.rescued': kind('credential', 'update', 'Rescued rotation value storage'),
  'rotate.rotator': kind('credential', 'update', 'Credential rotation by its rotator'),
  'rotator.set': kind('configuration', 'update', 'Rotator setup'),
  'rotator.dryRun': kind('credential', 'other', 'Rotator dry run'),
  remove: kind('credential', 'delete', 'Credential removal', true),
  'remove.undo': kind('credential', 'create', 'Credential removal undo'),
  reveal: kind('credential', 'read', 'Credential value reveal', true),
  show: kind('credential', 'read', 'Credential details read'),
  history: kind('credential', 'read', 'Credential history read'),
  list: kind('credential', 'read', 'Credential listing'),
  analyse: kind('credential', 'read', 'Credential health analysis'),
  due: kind('credential', 'read', 'Due rotations listing'),
  schedule: kind('credential', 'read', 'Rotation schedule read'),
  'audit.list': kind('audit', 'read', 'Audit trail read'),
  'audit.verify': kind('audit', 'verify', 'Audit trail verification'),
  'audit.export': kind('audit', 'read', 'Audit trail export', true),
  'audit.forward': kind('audit', 'read', 'Audit trail forwarding', true),
  'audit.checkpoint': kind('audit', 'read', 'Audit trail checkpoint'),
  'audit.gap': kind('finding', 'detect', 'Audit trail gap'),
  'audit.unrecorded': kind('finding', 'detect', 'Operations not recorded (fail-closed off)'),
  'audit.retention': kind('audit', 'delete', 'Audit trail segment dropped by retention', true),
  'policy.show': kind('configuration', 'read', 'Security policy read'),
  'incident.list': kind('audit', 'read', 'Incident listing'),
  'incident.acknowledged': kind('audit', 'update', 'Incident acknowledgement', true),
  'incident.resolved': kind('audit', 'update', 'Incident resolution', true),
  generate: kind('tool', 'other', 'Password generation'),
};

/** Families of actions, by the start of their name (the first that matches wins). */
const PREFIXES: readonly (readonly [string, Kind])[] = [
  ['vault.unlock.', kind('session', 'start', 'Vault unlock')],
  ['vault.lock.', kind('session', 'end', 'Vault lock')],
  ['copy.', kind('credential', 'read', 'Credential field copy', true)],
  ['health.', kind('credential', 'read', 'Credential health check')],
  ['policy.set.', kind('configuration', 'update', 'Security policy change', true)],
  ['policy.preset.', kind('configuration', 'update', 'Security policy preset applied', true)],
];

const INCIDENT_OPENED = 'incident.open.';

function kindOf(action: string): Kind {
  // (hasOwn: an action named "constructor" is not Object.prototype's.)
  if (Object.hasOwn(EXACT, action)) return EXACT[action]!;
  for (const [prefix, k] of PREFIXES) if (action.startsWith(prefix)) return k;
  // An action this Keyward does not know (a newer one's): exported as it is, never dropped.
  return kind('tool', 'other', action);
}

/** How each format should see one record's action. */
export function classifyAction(action: string, outcome: 'success' | 'failure'): ActionClass {
  if (isTamperSign(action, outcome) || isRollbackSign(action)) {
    // (A verification that failed is evidence, not an operation that went wrong.)
    const title = action === 'audit.verify' ? 'Audit trail failed verification' : kindOf(action).title;
    return { domain: 'finding', operation: 'detect', level: 'tamper', title };
  }
  if (action.startsWith(INCIDENT_OPENED)) {
    // The watch's own record, right after what opened it (watch/audit-watch.ts): `incident.open.KIND`.
    const what = action.slice(INCIDENT_OPENED.length);
    return { domain: 'finding', operation: 'detect', level: what === 'tamper' || what === 'rollback' ? 'tamper' : 'incident', title: `Incident opened: ${what}` };
  }
  const k = kindOf(action);
  return { domain: k.domain, operation: k.operation, level: levelOf(k, outcome), title: k.title };
}

/** An unlock or a master-password check: its failure is a wrong password (or a guess). */
const isAuthentication = (k: Kind) => (k.domain === 'session' && k.operation === 'start') || (k.domain === 'account' && k.operation === 'verify');

function levelOf(k: Kind, outcome: 'success' | 'failure'): ActionLevel {
  if (outcome === 'failure') return isAuthentication(k) ? 'auth-failure' : 'failure';
  return k.sensitive ? 'sensitive' : 'routine';
}

/** "Vault unlock failed": the title with the outcome, for formats that carry one human-readable name. */
export function eventTitle(c: ActionClass, outcome: 'success' | 'failure'): string {
  return outcome === 'failure' && c.domain !== 'finding' ? `${c.title} failed` : c.title;
}
