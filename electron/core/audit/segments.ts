/**
 * Sealed segments of the audit trail (docs/audit-format.md §11). When the
 * live log `P.audit` holds SEGMENT_RECORDS records, its first SEGMENT_RECORDS
 * lines move, unchanged, into a segment file, and a `seal` entry — their
 * count, first and last sequence numbers, Merkle root (RFC 9162), the MAC
 * before the first and of the last — is appended to the segments' index,
 * itself a MAC chain. Retention later drops whole segments whose last record
 * is older than the policy allows: the file goes, a `drop` entry stays, so
 * what remains still verifies from where the dropped part ended, and a
 * checkpoint's root still includes the dropped records (by their segment's root).
 *
 * Segments hold a power of two of lines, so each is a complete subtree of the
 * trail's Merkle tree: the root of the whole trail is computable from the
 * sealed roots and the live lines.
 */
import { join } from 'node:path';
import { hmacSha256, sha256 } from '../crypto/primitives.js';
import { canonicalJson } from './canonical-json.js';
import { GENESIS_MAC, hasChainPlace, type TrailKeys } from './trail-records.js';

/** Records per segment: 2^16 (a power of two: a segment is a complete subtree of the Merkle tree). */
export const SEGMENT_RECORDS = 65_536;

export interface SealEntry {
  v: 1;
  /** 0, 1, 2, … in the index. */
  n: number;
  kind: 'seal';
  /** The segment's first and last records' sequence numbers; `count` lines in all. */
  first: number;
  last: number;
  count: number;
  /** Base64 of the Merkle Tree Hash of its lines. */
  root: string;
  /** Hex: the MAC of the record before its first (the genesis MAC for the first segment), and of its last. */
  prev: string;
  tail: string;
  /** When its last record says it happened (informational: retention judges `at`). */
  lastAt: string;
  /** When it was sealed, by the sealing writer's clock: what retention judges. */
  at: string;
  /**
   * Present (true) when the sealing writer checked every record of the
   * segment, from `prev`, as verification does, and found nothing wrong: a
   * verifier whose Merkle root then matches `root` knows the lines are those
   * checked ones, without checking each MAC again (docs/audit-format.md §11).
   */
  checked?: true;
}

export interface DropEntry {
  v: 1;
  n: number;
  kind: 'drop';
  /** The `n` of the seal entry whose file was removed. */
  segment: number;
  /** The retention in days that dropped it. */
  retentionDays: number;
  at: string;
}

export type IndexEntry = SealEntry | DropEntry;
export type StoredIndexEntry = IndexEntry & { mac: string };

export interface SegmentPaths {
  /** P.audit-segments/ */
  dir: string;
  /** P.audit-segments/index */
  index: string;
}

/** A segment's file: its first record's sequence number, 12 digits. */
export function segmentFile(paths: SegmentPaths, first: number): string {
  return join(paths.dir, `${String(first).padStart(12, '0')}.log`);
}

export function indexMac(keys: TrailKeys, previous: Buffer, entry: IndexEntry): Buffer {
  return hmacSha256(keys.segment, Buffer.concat([previous, sha256(Buffer.from(canonicalJson(entry), 'utf8'))]));
}

export function indexLine(entry: IndexEntry, mac: Buffer): string {
  return `${canonicalJson({ ...entry, mac: mac.toString('hex') })}\n`;
}

/** What the index says, read without judging it (verification does: trail-verify.ts). */
export interface SegmentIndex {
  entries: StoredIndexEntry[];
  /** Seal entries in order, with whether a drop entry removed them. */
  seals: (SealEntry & { mac: string; dropped: boolean })[];
  /** The last seal's last record (-1: none) and MAC after it (the genesis MAC: none). */
  lastSealed: number;
  tail: Buffer;
  /** The last entry's MAC (the genesis MAC: none), what the next entry chains to. */
  mac: Buffer;
}

export function parseIndex(bytes: Buffer | null): SegmentIndex {
  const entries: StoredIndexEntry[] = [];
  for (const line of (bytes?.toString('utf8') ?? '').split('\n')) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as StoredIndexEntry;
      if (e && typeof e === 'object' && typeof e.mac === 'string' && (e.kind === 'seal' || e.kind === 'drop')) entries.push(e);
    } catch {
      /* judged by verification */
    }
  }
  const dropped = new Set(entries.filter((e): e is DropEntry & { mac: string } => e.kind === 'drop').map((e) => e.segment));
  const seals = entries.filter((e): e is SealEntry & { mac: string } => e.kind === 'seal' && hasChainPlace({ seq: e.last, mac: e.tail })).map((e) => ({ ...e, dropped: dropped.has(e.n) }));
  const last = seals.at(-1);
  return {
    entries,
    seals,
    lastSealed: last ? last.last : -1,
    tail: last ? Buffer.from(last.tail, 'hex') : GENESIS_MAC,
    mac: entries.length ? Buffer.from(entries.at(-1)!.mac, 'hex') : GENESIS_MAC,
  };
}
