/**
 * The trail's records as a person reads them: names opened, filtered. Reading
 * does not judge the chain (trail-verify.ts does); a line that is not a record
 * is skipped here and reported there.
 */
import type { AuditQuery, AuditRecordView } from '../../../shared/ipc/audit.js';
import { openName, type StoredRecord, type TrailKeys } from './trail-records.js';

/** A record as a person reads it, and what to pick: the IPC contract's types, one definition for main, CLI and page. */
export type AuditEntry = AuditRecordView;
export type AuditFilter = AuditQuery;

/** The records of a trail's log as stored (names sealed), skipping any line that is not one. */
export function* storedRecords(log: Buffer): Generator<StoredRecord> {
  for (const line of log.toString('utf8').split('\n')) {
    if (!line) continue;
    let r: StoredRecord;
    try {
      r = JSON.parse(line) as StoredRecord;
    } catch {
      continue;
    }
    if (r && typeof r === 'object' && Number.isSafeInteger(r.seq) && typeof r.at === 'string' && typeof r.action === 'string') yield r;
  }
}

export function readTrail(log: Buffer, keys: TrailKeys, filter: AuditFilter = {}): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const r of storedRecords(log)) {
    const entry: AuditEntry = {
      seq: r.seq,
      at: r.at,
      device: r.device,
      actor: r.actor,
      action: r.action,
      outcome: r.outcome,
      ...(r.code ? { code: r.code } : {}),
      ...(r.name ? { credential: openName(keys, r.seq, r.name) ?? '(does not open)' } : {}),
      ...(r.cred ? { credentialKey: r.cred } : {}),
      ...(r.locked ? { locked: true } : {}),
    };
    if (matches(entry, filter)) entries.push(entry);
  }
  return filter.limit !== undefined ? entries.slice(-filter.limit) : entries;
}

function matches(e: AuditEntry, f: AuditFilter): boolean {
  if (f.since && e.at < f.since) return false;
  if (f.until && e.at > f.until) return false;
  if (f.action && !(f.action.endsWith('.') ? e.action.startsWith(f.action) : e.action === f.action)) return false;
  if (f.actor && e.actor !== f.actor) return false;
  if (f.credential !== undefined && e.credential !== f.credential) return false;
  if (f.outcome && e.outcome !== f.outcome) return false;
  if (f.seqs && !f.seqs.includes(e.seq)) return false;
  return true;
}
