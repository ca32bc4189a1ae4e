/**
 * The trail's records as a person reads them: names opened, filtered. Reading
 * does not judge the chain (trail-verify.ts does); a line that is not a record
 * is skipped here and reported there.
 */
import type { AuditQuery, AuditRecordView } from '../../../shared/ipc/audit.js';
import { parseIndex, type SegmentIndex } from './segments.js';
import { chainPlaceOf, openName, type StoredRecord, type TrailKeys } from './trail-records.js';
import type { TrailFiles } from './trail-verify.js';

/** A record as a person reads it, and what to pick: the IPC contract's types, one definition for main, CLI and page. */
export type AuditEntry = AuditRecordView;
export type AuditFilter = AuditQuery;

/**
 * The whole trail as one log: the sealed segments still kept, oldest first,
 * then the live log (without lines an interrupted seal left in both). What
 * listing, usage and export read; verification reads the parts (trail-verify.ts).
 */
export function wholeLog(files: TrailFiles): Buffer {
  const index = parseIndex(files.index ?? null);
  const parts: Buffer[] = [];
  for (const seal of index.seals) {
    const bytes = seal.dropped ? null : (files.segments?.get(seal.n) ?? null);
    if (bytes) parts.push(bytes);
  }
  const live = files.log ?? Buffer.alloc(0);
  parts.push(live.subarray(sealedPrefix(live, index.lastSealed)));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** How many bytes at the start of the live log are lines an interrupted seal already moved into a segment (records up to `lastSealed`). */
function sealedPrefix(live: Buffer, lastSealed: number): number {
  let from = 0;
  while (from < live.length) {
    const end = live.indexOf(0x0a, from);
    if (end < 0 || (chainPlaceOf(live.subarray(from, end).toString('utf8'))?.seq ?? Infinity) > lastSealed) break;
    from = end + 1;
  }
  return from;
}

/** The live log's complete lines after what is sealed, and a last line an interrupted append left incomplete ('' for none). */
export function liveLines(files: TrailFiles, index: SegmentIndex = parseIndex(files.index ?? null)): string[] {
  return liveParts(files, index).lines;
}

export function liveParts(files: TrailFiles, index: SegmentIndex): { lines: string[]; torn: string; moved: number } {
  const live = files.log ?? Buffer.alloc(0);
  const from = sealedPrefix(live, index.lastSealed);
  const lines = live.subarray(from).toString('utf8').split('\n');
  const torn = lines.pop() ?? '';
  return { lines, torn, moved: from === 0 ? 0 : live.subarray(0, from).toString('utf8').split('\n').length - 1 };
}

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

/** The filter's seqs as a set, made once per list (a page may ask for 5,000 of a trail of a million). */
const seqSets = new WeakMap<readonly number[], Set<number>>();
function seqSet(seqs: readonly number[]): Set<number> {
  let set = seqSets.get(seqs);
  if (!set) seqSets.set(seqs, (set = new Set(seqs)));
  return set;
}

function matches(e: AuditEntry, f: AuditFilter): boolean {
  if (f.since && e.at < f.since) return false;
  if (f.until && e.at > f.until) return false;
  if (f.action && !(f.action.endsWith('.') ? e.action.startsWith(f.action) : e.action === f.action)) return false;
  if (f.actor && e.actor !== f.actor) return false;
  if (f.credential !== undefined && e.credential !== f.credential) return false;
  if (f.outcome && e.outcome !== f.outcome) return false;
  if (f.seqs && !seqSet(f.seqs).has(e.seq)) return false;
  if (f.before !== undefined && e.seq >= f.before) return false;
  return true;
}
