/**
 * Reading the trail as it grows, for forwarding it (UnlockedVault.auditFeed).
 * Opening a feed is recorded once; its reads are not — a record per read
 * would itself be read and forwarded, and recorded again, for ever.
 */
import type { AuditEntry } from '../trail-read.js';
import type { ForwardCursor } from './forward-state.js';
import { chainPlaceOf } from '../trail-records.js';

/** The actions that record a read of the whole trail, by what it was read for. */
export type AuditReadAction = 'audit.list' | 'audit.export' | 'audit.forward';

/** A record as the feed gives it: what a person reads, and its chain MAC (what a forwarding cursor is tied to). */
export type FeedRecord = AuditEntry & { mac: string };

export interface AuditFeed {
  /** The records after record `seq` (-1: all), oldest first, names opened. Throws once closed or once the vault is locked. */
  after(seq: number): Promise<FeedRecord[]>;
  /** Whether a forwarding cursor for `destination` is one this vault's key wrote (forward-state.ts). */
  cursorIsAuthentic(destination: string, cursor: ForwardCursor): Promise<boolean>;
  /** The cursor for `destination` (its record's chain MAC in `recordMac`), with its own MAC. */
  signCursor(destination: string, cursor: Omit<ForwardCursor, 'mac'>): Promise<ForwardCursor>;
  /** Wipes the feed's keys; later reads throw. */
  close(): void;
}

/**
 * The lines of `log` after the last one whose record is `seq` or before:
 * records are in order, so this looks back from the end only as far as the
 * records not yet seen, and only their names need opening.
 */
export function linesAfter(log: Buffer, seq: number): Buffer {
  let end = log.length;
  while (end > 0) {
    // (end - 2 skips this line's own newline; a negative offset would count from the buffer's end.)
    const start = end >= 2 ? log.lastIndexOf(0x0a, end - 2) + 1 : 0;
    const place = chainPlaceOf(log.subarray(start, end).toString('utf8'));
    // (A line that is not a record is left to the reader, which skips it, and verification, which reports it.)
    if (place && place.seq <= seq) return log.subarray(end);
    end = start;
  }
  return log;
}
