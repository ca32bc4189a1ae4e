/**
 * ArcSight Common Event Format (CEF) 0, one event per line:
 *
 *   CEF:0|Keyward|Keyward|<version>|<action>|<title>|<severity>|<extension>
 *
 * Header fields escape `\` and `|`; extension values escape `\`, `=` and
 * line breaks (as `\n`, `\r`), so nothing a credential's name holds can end
 * a field, forge a key or start a new event. The severity scale is in
 * docs/siem.md.
 */
import type { AuditEntry } from '../trail-read.js';
import { classifyAction, eventTitle, type ActionLevel } from './action-class.js';
import { credentialOf, epochMs, PRODUCT, type AuditFormatter, type ExportOptions } from './export-options.js';

/** CEF severity, 0 (lowest) to 10. */
export const CEF_SEVERITY: Record<ActionLevel, number> = {
  routine: 1,
  sensitive: 3,
  failure: 5,
  'auth-failure': 7,
  incident: 8,
  tamper: 10,
};

const lineBreaks = (text: string) => text.replace(/\r\n|\n|\r/g, (br) => (br === '\r' ? '\\r' : '\\n'));

/** A header field: backslash and pipe escaped (and a line break, which no header may hold, written as \n). */
export function cefHeaderField(text: string): string {
  return lineBreaks(text.replace(/[\\|]/g, (ch) => `\\${ch}`));
}

/** An extension value: backslash and equals sign escaped, line breaks written as \n and \r. */
export function cefExtensionValue(text: string): string {
  return lineBreaks(text.replace(/[\\=]/g, (ch) => `\\${ch}`));
}

function extension(record: AuditEntry, options: ExportOptions, category: string): string {
  const credential = credentialOf(record, options);
  const pairs: [key: string, value: string][] = [
    ['rt', String(epochMs(record.at))],
    ['act', record.action],
    ['outcome', record.outcome],
  ];
  if (record.code !== undefined) pairs.push(['reason', record.code]);
  pairs.push(['cat', category], ['suser', record.actor], ['deviceExternalId', record.device], ['externalId', String(record.seq)]);
  if (credential?.key !== undefined) pairs.push(['cs1', credential.key], ['cs1Label', 'credentialKey']);
  if (credential?.name !== undefined) pairs.push(['cs2', credential.name], ['cs2Label', 'credentialName']);
  pairs.push(['cs3', options.vaultId], ['cs3Label', 'vaultId']);
  if (record.locked) pairs.push(['cs4', 'true'], ['cs4Label', 'recordedWhileLocked']);
  return pairs.map(([key, value]) => `${key}=${cefExtensionValue(value)}`).join(' ');
}

export function cefLine(record: AuditEntry, options: ExportOptions): string {
  const c = classifyAction(record.action, record.outcome);
  const header = ['CEF:0', PRODUCT.vendor, PRODUCT.name, options.productVersion, record.action, eventTitle(c, record.outcome), String(CEF_SEVERITY[c.level])];
  return `${header.map((field, i) => (i === 0 ? field : cefHeaderField(field))).join('|')}|${extension(record, options, c.domain)}`;
}

export const formatCef: AuditFormatter = (records, options) => records.map((r) => `${cefLine(r, options)}\n`).join('');
