/**
 * The audit trail's export formats, by name (`keyward audit export --format`;
 * docs/siem.md). Each is a pure formatter over the records as a person reads
 * them; which credential names appear is the caller's `withNames`.
 */
import type { AuditEntry } from '../trail-read.js';
import { formatCef } from './cef.js';
import { formatCsv } from './csv.js';
import { formatJsonl } from './ecs-jsonl.js';
import type { AuditFormatter, ExportOptions } from './export-options.js';
import { formatOcsf } from './ocsf.js';

export { KEYWARD_VERSION, type ExportOptions } from './export-options.js';

/** In the order the help lists them; the first is the default. */
export const EXPORT_FORMATS = {
  jsonl: formatJsonl,
  csv: formatCsv,
  cef: formatCef,
  ocsf: formatOcsf,
} as const satisfies Record<string, AuditFormatter>;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

export const FORMAT_NAMES = Object.keys(EXPORT_FORMATS) as ExportFormat[];

export const DEFAULT_FORMAT: ExportFormat = 'jsonl';

export function isExportFormat(name: string): name is ExportFormat {
  return Object.hasOwn(EXPORT_FORMATS, name);
}

/** The file's text for `records` in `format`. */
export function exportRecords(format: ExportFormat, records: readonly AuditEntry[], options: ExportOptions): string {
  // (Checked again here: an unchecked name could reach Object.prototype's members.)
  if (!isExportFormat(format)) throw new Error(`not an export format: ${String(format)}`);
  return EXPORT_FORMATS[format](records, options);
}
