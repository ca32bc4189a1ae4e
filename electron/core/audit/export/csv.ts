/**
 * CSV (RFC 4180): a header row, then one row per record, each line ending in
 * CRLF; a field holding a comma, a double quote, CR or LF is quoted, its
 * quotes doubled. Credential names are chosen by whoever added them, and a
 * spreadsheet runs a cell that begins with = + - @ (or a tab or CR) as a
 * formula: such a cell is written with a single quote in front (OWASP's
 * advice for CSV injection), so it opens as text.
 */
import type { AuditEntry } from '../trail-read.js';
import { credentialOf, type AuditFormatter, type ExportOptions } from './export-options.js';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: disarmed as a formula, then quoted when RFC 4180 requires it. */
export function csvCell(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function columns(options: ExportOptions): readonly string[] {
  return ['seq', 'time', 'action', 'outcome', 'code', 'actor', 'device', 'credential_key', ...(options.withNames ? ['credential_name'] : []), 'locked', 'vault_id'];
}

function row(record: AuditEntry, options: ExportOptions): string[] {
  const credential = credentialOf(record, options);
  return [
    String(record.seq),
    record.at,
    record.action,
    record.outcome,
    record.code ?? '',
    record.actor,
    record.device,
    credential?.key ?? '',
    ...(options.withNames ? [credential?.name ?? ''] : []),
    record.locked ? 'true' : '',
    options.vaultId,
  ];
}

export const formatCsv: AuditFormatter = (records, options) => {
  const line = (cells: readonly string[]) => `${cells.map(csvCell).join(',')}\r\n`;
  return line(columns(options)) + records.map((r) => line(row(r, options))).join('');
};
