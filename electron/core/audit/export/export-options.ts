/**
 * What every export format is given besides the records, and the few values
 * they share. A formatter is a pure function: records in, the file's text
 * out (docs/siem.md).
 */
import type { AuditEntry } from '../trail-read.js';

export interface ExportOptions {
  /** The vault's id (from its public header): with a record's seq, an event id no other vault's trail repeats. */
  vaultId: string;
  /** Keyward's version, for the formats that name the reporting product's. */
  productVersion: string;
  /**
   * Credential names in clear. Without it a credential appears only as its
   * keyed id (HMAC under the trail key): the same credential has the same id
   * everywhere, and nothing else can be learnt from it.
   */
  withNames: boolean;
}

export type AuditFormatter = (records: readonly AuditEntry[], options: ExportOptions) => string;

export const PRODUCT = { name: 'Keyward', vendor: 'Keyward', provider: 'keyward' } as const;

/**
 * Keyward's version as exports report it. The CLI bundle does not read
 * package.json at run time; audit-export.test.ts fails when the two differ.
 */
export const KEYWARD_VERSION = '0.1.0';

/** One record's id across vaults: `<vault id>:<seq>` (what a SIEM can de-duplicate on). */
export function eventId(record: AuditEntry, options: ExportOptions): string {
  return `${options.vaultId}:${record.seq}`;
}

/** The record's time in milliseconds since the epoch; 0 for a time that does not parse (a damaged line, never one Keyward wrote). */
export function epochMs(at: string): number {
  const ms = Date.parse(at);
  return Number.isSafeInteger(ms) ? ms : 0;
}

/** The credential as the export may show it: the keyed id always, the name only when asked for. */
export function credentialOf(record: AuditEntry, options: ExportOptions): { key?: string; name?: string } | undefined {
  const key = record.credentialKey;
  const name = options.withNames ? record.credential : undefined;
  if (key === undefined && name === undefined) return undefined;
  return { ...(key !== undefined ? { key } : {}), ...(name !== undefined ? { name } : {}) };
}
