/**
 * One audit record as a syslog message (RFC 5424), and its TCP framing
 * (RFC 6587 §3.4.1, octet counting). Pure: the host name and process id are
 * given.
 *
 *   <PRI>1 TIMESTAMP HOSTNAME keyward PROCID MSGID - MSG
 *
 * PRI is facility 13 (log audit) × 8 + a severity from the record; TIMESTAMP
 * is when the operation ended (the record's `at`); MSGID is the action; MSG is
 * the record's line of the JSON Lines export (ECS), so a SIEM parses the same
 * document whichever way it arrives. No STRUCTURED-DATA: Keyward has no IANA
 * enterprise number to name its own SD-ID with, and the JSON carries
 * everything. No BOM: MSG is JSON, UTF-8, whose own escapes keep it on one line.
 */
import { classifyAction, type ActionLevel } from '../export/action-class.js';
import { ecsLine } from '../export/ecs-jsonl.js';
import type { ExportOptions } from '../export/export-options.js';
import type { AuditEntry } from '../trail-read.js';

/** RFC 5424 §6.2.1: facility 13, "log audit". */
export const FACILITY_LOG_AUDIT = 13;

/** RFC 5424 severity (0 emergency … 7 debug) for each level (docs/siem.md). */
export const SYSLOG_SEVERITY: Record<ActionLevel, number> = {
  routine: 6, // informational
  sensitive: 5, // notice
  failure: 4, // warning
  'auth-failure': 4, // warning
  incident: 3, // error
  tamper: 2, // critical
};

export const APP_NAME = 'keyward';

const NILVALUE = '-';

/** RFC 5424 §6: header fields are PRINTUSASCII (%d33-126) with a maximum length; anything else becomes "_". */
export function printUsAscii(text: string, maxLength: number): string {
  const printable = text.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return printable === '' ? NILVALUE : printable;
}

/** RFC 5424 §6.2.3 with §6.2.3.1's limits: an RFC 3339 time, at most 6 fraction digits; NILVALUE for anything else. */
export function syslogTimestamp(at: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/.test(at) && !Number.isNaN(Date.parse(at)) ? at : NILVALUE;
}

export interface SyslogOptions extends ExportOptions {
  /** This machine's name (os.hostname()); sanitised here. */
  hostname: string;
  /** The forwarding process's id. */
  procId: number;
}

export function syslogPri(record: AuditEntry): number {
  return FACILITY_LOG_AUDIT * 8 + SYSLOG_SEVERITY[classifyAction(record.action, record.outcome).level];
}

/** The whole message, without framing. */
export function syslogMessage(record: AuditEntry, options: SyslogOptions): string {
  const header = [
    `<${syslogPri(record)}>1`,
    syslogTimestamp(record.at),
    printUsAscii(options.hostname, 255),
    APP_NAME,
    printUsAscii(String(options.procId), 128),
    printUsAscii(record.action, 32),
    NILVALUE, // STRUCTURED-DATA
  ];
  return `${header.join(' ')} ${ecsLine(record, options)}`;
}

/** RFC 6587 §3.4.1 octet counting: the message's length in bytes, a space, the message. */
export function octetCounted(message: string): Buffer {
  const bytes = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${bytes.length} `, 'ascii'), bytes]);
}
