/**
 * JSON Lines in Elastic Common Schema (ECS) field names: one nested JSON
 * object per record, members sorted (canonical JSON), so the same trail
 * always exports to the same bytes. Syslog forwarding sends exactly these
 * lines as its messages (forward/rfc5424.ts).
 */
import { canonicalJson } from '../canonical-json.js';
import type { AuditEntry } from '../trail-read.js';
import { classifyAction, eventTitle, type ActionClass, type ActionOperation } from './action-class.js';
import { credentialOf, eventId, PRODUCT, type AuditFormatter, type ExportOptions } from './export-options.js';

/** The ECS release whose field names and categorisation values these documents use. */
export const ECS_VERSION = '8.11.0';

/** ECS event.type for what was done (ECS's allowed values). */
const ECS_TYPE: Record<ActionOperation, string> = {
  start: 'start',
  end: 'end',
  verify: 'info',
  create: 'creation',
  read: 'access',
  update: 'change',
  delete: 'deletion',
  detect: 'info',
  other: 'info',
};

/** ECS event.category and event.type for a classified action (the table in docs/siem.md). */
export function ecsCategorisation(c: ActionClass): { category: string[]; type: string[] } {
  const type = [ECS_TYPE[c.operation]];
  switch (c.domain) {
    case 'session':
      return { category: ['authentication', 'session'], type };
    case 'account':
      return c.operation === 'verify' ? { category: ['authentication'], type } : { category: ['iam', 'configuration'], type };
    case 'credential':
    case 'audit':
      return { category: ['database'], type };
    case 'configuration':
      return { category: ['configuration'], type };
    case 'backup':
      return { category: ['file'], type };
    case 'finding':
      return { category: ['intrusion_detection'], type };
    case 'tool':
      return { category: ['api'], type };
  }
}

/** One record as an ECS document (nested objects, as ECS JSON is). */
export function ecsDocument(record: AuditEntry, options: ExportOptions): Record<string, unknown> {
  const c = classifyAction(record.action, record.outcome);
  const { category, type } = ecsCategorisation(c);
  const credential = credentialOf(record, options);
  return {
    '@timestamp': record.at,
    ecs: { version: ECS_VERSION },
    event: {
      action: record.action,
      category,
      type,
      kind: 'event',
      outcome: record.outcome,
      provider: PRODUCT.provider,
      dataset: 'keyward.audit',
      sequence: record.seq,
      id: eventId(record, options),
    },
    ...(record.code !== undefined ? { error: { code: record.code } } : {}),
    host: { id: record.device },
    message: `${eventTitle(c, record.outcome)}${record.code !== undefined ? ` (${record.code})` : ''}`,
    service: { name: PRODUCT.provider, version: options.productVersion },
    keyward: {
      actor: record.actor,
      vault: { id: options.vaultId },
      ...(credential ? { credential } : {}),
      ...(record.locked ? { locked: true } : {}),
      ...(record.unrecorded ? { unrecorded: record.unrecorded } : {}),
    },
  };
}

/** One record as one line (without its newline): canonical JSON, so members are sorted and nothing is spaced. */
export function ecsLine(record: AuditEntry, options: ExportOptions): string {
  return canonicalJson(ecsDocument(record, options));
}

export const formatJsonl: AuditFormatter = (records, options) => records.map((r) => `${ecsLine(r, options)}\n`).join('');
