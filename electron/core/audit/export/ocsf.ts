/**
 * Open Cybersecurity Schema Framework (OCSF 1.3.0) events as JSON Lines, one
 * per record, members sorted (canonical JSON). Each record becomes one of
 * three classes (docs/siem.md):
 *
 * - unlocking and locking the vault, and master-password checks:
 *   Authentication (class 3002, category 3 Identity & Access Management);
 * - what Keyward found: signs of tampering (`audit.gap`, a failed
 *   `audit.verify`, an older copy of the vault) and incidents its watch
 *   opened (`incident.open.*`): Detection Finding (2004, category 2 Findings);
 * - everything else — credential, settings, backup and audit operations:
 *   API Activity (6003, category 6 Application Activity).
 *
 * type_uid = class_uid × 100 + activity_id, as OCSF defines it.
 */
import { canonicalJson } from '../canonical-json.js';
import type { AuditEntry } from '../trail-read.js';
import { classifyAction, eventTitle, type ActionClass, type ActionLevel, type ActionOperation } from './action-class.js';
import { credentialOf, epochMs, eventId, PRODUCT, type AuditFormatter, type ExportOptions } from './export-options.js';

export const OCSF_VERSION = '1.3.0';

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
export const OCSF_SEVERITY: Record<ActionLevel, { id: number; caption: string }> = {
  routine: { id: 1, caption: 'Informational' },
  sensitive: { id: 2, caption: 'Low' },
  failure: { id: 2, caption: 'Low' },
  'auth-failure': { id: 3, caption: 'Medium' },
  incident: { id: 4, caption: 'High' },
  tamper: { id: 5, caption: 'Critical' },
};

interface OcsfClass {
  classUid: number;
  className: string;
  categoryUid: number;
  categoryName: string;
}

const AUTHENTICATION: OcsfClass = { classUid: 3002, className: 'Authentication', categoryUid: 3, categoryName: 'Identity & Access Management' };
const DETECTION_FINDING: OcsfClass = { classUid: 2004, className: 'Detection Finding', categoryUid: 2, categoryName: 'Findings' };
const API_ACTIVITY: OcsfClass = { classUid: 6003, className: 'API Activity', categoryUid: 6, categoryName: 'Application Activity' };

/** API Activity's activity_id: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other. */
const API_ACTIVITY_ID: Partial<Record<ActionOperation, { id: number; name: string }>> = {
  create: { id: 1, name: 'Create' },
  read: { id: 2, name: 'Read' },
  update: { id: 3, name: 'Update' },
  delete: { id: 4, name: 'Delete' },
};

const OTHER = 99;

function classOf(c: ActionClass): OcsfClass {
  if (c.domain === 'finding') return DETECTION_FINDING;
  if (c.domain === 'session' || (c.domain === 'account' && c.operation === 'verify')) return AUTHENTICATION;
  return API_ACTIVITY;
}

/** activity_id and activity_name within the record's class. */
function activityOf(cls: OcsfClass, c: ActionClass, record: AuditEntry): { id: number; name: string } {
  if (cls === DETECTION_FINDING) return { id: 1, name: 'Create' };
  if (cls === AUTHENTICATION) {
    if (c.operation === 'start') return { id: 1, name: 'Logon' };
    if (c.operation === 'end') return { id: 2, name: 'Logoff' };
    return { id: OTHER, name: c.title };
  }
  return API_ACTIVITY_ID[c.operation] ?? { id: OTHER, name: record.action };
}

/** The fields only one class has. */
function classFields(cls: OcsfClass, c: ActionClass, record: AuditEntry, options: ExportOptions): Record<string, unknown> {
  if (cls === AUTHENTICATION) {
    // The subject is the vault's owner, known to Keyward only as whoever holds the master password (or the keychain entry).
    const how = record.action.startsWith('vault.unlock.') ? record.action.slice('vault.unlock.'.length) : undefined;
    return {
      user: { uid: options.vaultId, type: 'User', type_id: 1 },
      service: { name: 'Keyward vault', uid: options.vaultId },
      is_remote: false,
      ...(how ? { auth_protocol: how, auth_protocol_id: OTHER } : {}),
    };
  }
  if (cls === DETECTION_FINDING) {
    return {
      ...resourcesOf(record, options),
      finding_info: {
        uid: eventId(record, options),
        title: c.title,
        types: [c.level === 'tamper' ? 'Tampering' : 'Anomalous use'],
        ...(record.code !== undefined ? { desc: `Recorded with code ${record.code}.` } : {}),
      },
      is_alert: true,
    };
  }
  return {
    api: { operation: record.action, service: { name: PRODUCT.name } },
    src_endpoint: { uid: record.device },
    ...resourcesOf(record, options),
  };
}

/** The credential acted on (or that an incident is about), as OCSF's affected resources: its keyed id, its name only when asked for. */
function resourcesOf(record: AuditEntry, options: ExportOptions): { resources?: Record<string, string>[] } {
  const credential = credentialOf(record, options);
  if (!credential) return {};
  return { resources: [{ type: 'Credential', ...(credential.key !== undefined ? { uid: credential.key } : {}), ...(credential.name !== undefined ? { name: credential.name } : {}) }] };
}

/**
 * status_id: for activities 1 Success / 2 Failure. A finding's status_id is
 * its triage state instead (1 New), so a Detection Finding carries that.
 */
function statusOf(cls: OcsfClass, record: AuditEntry): Record<string, unknown> {
  if (cls === DETECTION_FINDING) return { status: 'New', status_id: 1, ...(record.code !== undefined ? { status_code: record.code } : {}) };
  return {
    status: record.outcome === 'success' ? 'Success' : 'Failure',
    status_id: record.outcome === 'success' ? 1 : 2,
    ...(record.code !== undefined ? { status_code: record.code } : {}),
  };
}

export function ocsfEvent(record: AuditEntry, options: ExportOptions): Record<string, unknown> {
  const c = classifyAction(record.action, record.outcome);
  const cls = classOf(c);
  const activity = activityOf(cls, c, record);
  const severity = OCSF_SEVERITY[c.level];
  return {
    class_uid: cls.classUid,
    class_name: cls.className,
    category_uid: cls.categoryUid,
    category_name: cls.categoryName,
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: cls.classUid * 100 + activity.id,
    type_name: `${cls.className}: ${activity.name}`,
    time: epochMs(record.at),
    timezone_offset: 0,
    severity_id: severity.id,
    severity: severity.caption,
    message: `${eventTitle(c, record.outcome)}${record.code !== undefined ? ` (${record.code})` : ''}`,
    ...statusOf(cls, record),
    metadata: {
      product: { name: PRODUCT.name, vendor_name: PRODUCT.vendor, version: options.productVersion },
      version: OCSF_VERSION,
      uid: eventId(record, options),
      event_code: record.action,
      original_time: record.at,
    },
    actor: { app_name: record.actor },
    ...classFields(cls, c, record, options),
    // What OCSF has no attribute for: where the record sits in the trail, and whether it was chained after a locked spell.
    unmapped: { keyward: { seq: record.seq, device: record.device, vault_id: options.vaultId, ...(record.locked ? { locked: true } : {}) } },
  };
}

export const formatOcsf: AuditFormatter = (records, options) => records.map((r) => `${canonicalJson(ocsfEvent(r, options))}\n`).join('');
