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
    const r = storedRecord(line);
    if (r) yield r;
  }
}

/** The same, newest first: a page of the latest records reads only as far back as it needs. */
function* storedRecordsNewestFirst(log: Buffer): Generator<StoredRecord> {
  let end = log.length;
  while (end > 0) {
    // (end - 2 skips this line's own newline; a negative offset would count from the buffer's end.)
    const start = end >= 2 ? log.lastIndexOf(0x0a, end - 2) + 1 : 0;
    const r = storedRecord(log.toString('utf8', start, log[end - 1] === 0x0a ? end - 1 : end));
    if (r) yield r;
    end = start;
  }
}

function storedRecord(line: string): StoredRecord | null {
  if (!line) return null;
  let r: StoredRecord;
  try {
    r = JSON.parse(line) as StoredRecord;
  } catch {
    return null;
  }
  return r && typeof r === 'object' && Number.isSafeInteger(r.seq) && typeof r.at === 'string' && typeof r.action === 'string' ? r : null;
}

/**
 * The records that match `filter`, oldest first; with `limit`, the last
 * `limit` of them. A record's name is opened (a decryption) only once every
 * other part of the filter has let it through, and a limited read walks back
 * from the end and stops when it has its page: the Audit screen's first page
 * of a long trail costs that page, not the trail.
 */
export function readTrail(log: Buffer, keys: TrailKeys, filter?: AuditFilter): AuditEntry[];
/** The same, each entry with its chain MAC (what forwarding ties its cursor to). */
export function readTrail(log: Buffer, keys: TrailKeys, filter: AuditFilter, options: { withMacs: true }): (AuditEntry & { mac: string })[];
export function readTrail(log: Buffer, keys: TrailKeys, filter: AuditFilter = {}, options: { withMacs?: boolean } = {}): AuditEntry[] {
  const { limit } = filter;
  if (limit !== undefined && limit <= 0) return [];
  const entries: AuditEntry[] = [];
  for (const r of limit === undefined ? storedRecords(log) : storedRecordsNewestFirst(log)) {
    if (!matches(r, filter)) continue;
    const credential = r.name ? (openName(keys, r.seq, r.name) ?? '(does not open)') : undefined;
    if (filter.credential !== undefined && credential !== filter.credential) continue;
    const entry: AuditEntry = {
      seq: r.seq,
      at: r.at,
      device: r.device,
      actor: r.actor,
      action: r.action,
      outcome: r.outcome,
      ...(r.code ? { code: r.code } : {}),
      ...(credential !== undefined ? { credential } : {}),
      ...(r.cred ? { credentialKey: r.cred } : {}),
      ...(r.locked ? { locked: true } : {}),
      ...(r.unrecorded ? { unrecorded: r.unrecorded } : {}),
      ...(options.withMacs ? { mac: r.mac } : {}),
    };
    entries.push(entry);
    if (limit !== undefined && entries.length === limit) break;
  }
  return limit === undefined ? entries : entries.reverse();
}

/** The filter's seqs as a set, made once per list (a page may ask for 5,000 of a trail of a million). */
const seqSets = new WeakMap<readonly number[], Set<number>>();
function seqSet(seqs: readonly number[]): Set<number> {
  let set = seqSets.get(seqs);
  if (!set) seqSets.set(seqs, (set = new Set(seqs)));
  return set;
}

/** Every part of the filter but the credential's name (which needs the name opened: readTrail checks it after). */
function matches(e: Pick<AuditEntry, 'seq' | 'at' | 'action' | 'actor' | 'outcome'>, f: AuditFilter): boolean {
  if (f.since && e.at < f.since) return false;
  if (f.until && e.at > f.until) return false;
  if (f.action && !(f.action.endsWith('.') ? e.action.startsWith(f.action) : e.action === f.action)) return false;
  if (f.actor && e.actor !== f.actor) return false;
  if (f.outcome && e.outcome !== f.outcome) return false;
  if (f.seqs && !seqSet(f.seqs).has(e.seq)) return false;
  if (f.before !== undefined && e.seq >= f.before) return false;
  return true;
}
