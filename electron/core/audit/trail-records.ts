/**
 * The records of the audit trail and how they are chained (spec:
 * docs/audit-format.md). Pure functions: the file handling is audit-trail.ts.
 *
 * A record says who did what, to which credential, with what outcome — never
 * a value. The credential id is written keyed (an HMAC), and the name asked
 * for is sealed, so a trail handed to someone else reveals neither without the
 * trail key. Each record's MAC covers the record and the MAC before it:
 *
 *   mac_i = HMAC-SHA256(macKey, mac_{i-1} ‖ SHA-256(canonical JSON of record_i))
 */
import { aesGcmDecrypt, aesGcmEncrypt, hkdfSha256, hmacSha256, NONCE_BYTES, sha256, TAG_BYTES } from '../crypto/primitives.js';
import type { Random } from '../ports/random.js';
import { canonicalJson } from './canonical-json.js';

export const TRAIL_VERSION = 1;

/** What one line of the trail holds, its MAC aside. Members absent when they do not apply. */
export interface TrailRecord {
  v: typeof TRAIL_VERSION;
  /** 0, 1, 2, … in the order records were chained. */
  seq: number;
  /** When the operation ended (ISO 8601, UTC). */
  at: string;
  /** The installation that recorded it (16 hex). */
  device: string;
  actor: string;
  action: string;
  outcome: 'success' | 'failure';
  /** The error code of a failure. */
  code?: string;
  /** HMAC-SHA256(credential-id key, credential id), hex. */
  cred?: string;
  /** The credential's name, sealed (base64 of nonce ‖ ciphertext ‖ tag). */
  name?: string;
  /** Recorded while the vault was locked (no key at hand), and chained at the next unlock. */
  locked?: true;
  /**
   * Written by a writer that found the trail cut back or its head gone before
   * it appended (action `audit.gap`): what it expected and what it found, kept
   * in the chain so the evidence outlives the appends that follow.
   */
  gap?: TrailGap;
  /** An `audit.retention` record: the sealed segment of records `first`…`last` retention (`days`) dropped. */
  retention?: { first: number; last: number; days: number };
  /**
   * An `audit.unrecorded` record: with fail-closed turned off, `count`
   * operations went on while the trail could not be written, the first at
   * `from` and the last at `to` (docs/audit-format.md §5).
   */
  unrecorded?: { count: number; from: string; to: string };
}

export interface TrailGap {
  kind: 'truncated' | 'missing-log' | 'missing-head' | 'head-mismatch';
  /** The last record the head or the vault's anchor named (-1: none). */
  expected: number;
  /** The last record the log held (-1: none). */
  found: number;
}

export interface StoredRecord extends TrailRecord {
  /** hex */
  mac: string;
}

export interface TrailKeys {
  readonly mac: Buffer;
  readonly credentialId: Buffer;
  readonly name: Buffer;
  /** The Ed25519 seed that signs checkpoints (checkpoint.ts). */
  readonly checkpoint: Buffer;
  /** Seals the watch's files: its detector state and the incidents (watch/watch-files.ts). */
  readonly watch: Buffer;
  /** Chains the segments' index (segments.ts). */
  readonly segment: Buffer;
  /** Authenticates each forwarding cursor (forward/forward-state.ts): a raised one would skip records. */
  readonly forward: Buffer;
}

export const TRAIL_LABELS = {
  mac: 'keyward/audit/v1/mac',
  credentialId: 'keyward/audit/v1/credential-id',
  name: 'keyward/audit/v1/name',
  checkpoint: 'keyward/audit/v1/checkpoint-ed25519',
  watch: 'keyward/audit/v1/watch',
  segment: 'keyward/audit/v1/segment-index',
  forward: 'keyward/audit/v1/forward-cursor',
} as const;

/** The trail key's seven purposes, each its own key (HKDF-SHA256, salt = the vault id). */
export function trailKeys(trailKey: Buffer, vaultId: string): TrailKeys {
  const salt = Buffer.from(vaultId, 'utf8');
  return Object.freeze({
    mac: hkdfSha256(trailKey, salt, TRAIL_LABELS.mac),
    credentialId: hkdfSha256(trailKey, salt, TRAIL_LABELS.credentialId),
    name: hkdfSha256(trailKey, salt, TRAIL_LABELS.name),
    checkpoint: hkdfSha256(trailKey, salt, TRAIL_LABELS.checkpoint),
    watch: hkdfSha256(trailKey, salt, TRAIL_LABELS.watch),
    segment: hkdfSha256(trailKey, salt, TRAIL_LABELS.segment),
    forward: hkdfSha256(trailKey, salt, TRAIL_LABELS.forward),
  });
}

export function wipeTrailKeys(keys: TrailKeys): void {
  keys.mac.fill(0);
  keys.credentialId.fill(0);
  keys.name.fill(0);
  keys.checkpoint.fill(0);
  keys.watch.fill(0);
  keys.segment.fill(0);
  keys.forward.fill(0);
}

/** The MAC "before" the first record. */
export const GENESIS_MAC = Buffer.alloc(32);

export function recordMac(keys: Pick<TrailKeys, 'mac'>, previous: Buffer, record: TrailRecord): Buffer {
  return macOfCanonical(keys, previous, canonicalJson(record));
}

/** The same MAC from the record's canonical JSON, already written. */
export function macOfCanonical(keys: Pick<TrailKeys, 'mac'>, previous: Buffer, canonical: string): Buffer {
  return hmacSha256(keys.mac, Buffer.concat([previous, sha256(Buffer.from(canonical, 'utf8'))]));
}

export function keyedCredentialId(keys: TrailKeys, credentialId: string): string {
  return hmacSha256(keys.credentialId, Buffer.from(credentialId, 'utf8')).toString('hex');
}

function nameAad(seq: number): Buffer {
  return Buffer.from(`${TRAIL_LABELS.name}\0${seq}`, 'utf8');
}

/** A name sealed for record `seq` (bound to it: moved to another record, it does not open). */
export function sealName(keys: TrailKeys, seq: number, name: string, random: Random): string {
  const nonce = random.bytes(NONCE_BYTES);
  return Buffer.concat([nonce, aesGcmEncrypt(keys.name, nonce, Buffer.from(name, 'utf8'), nameAad(seq))]).toString('base64');
}

/** The name sealed in record `seq`; null when it does not open. */
export function openName(keys: TrailKeys, seq: number, sealed: string): string | null {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < NONCE_BYTES + TAG_BYTES) return null;
  const plain = aesGcmDecrypt(keys.name, bytes.subarray(0, NONCE_BYTES), bytes.subarray(NONCE_BYTES), nameAad(seq));
  return plain ? plain.toString('utf8') : null;
}

/** A place in the chain — a record's, the head file's, the vault's anchor: a sequence number and a MAC (hex). */
export interface TrailAnchor {
  seq: number;
  mac: string;
}

const HEX_MAC = /^[0-9a-f]{64}$/;

/** Whether a parsed value carries a valid place in the chain. */
export function hasChainPlace<T>(value: T): value is T & TrailAnchor {
  const v = value as Partial<TrailAnchor> | null;
  return !!v && typeof v === 'object' && Number.isSafeInteger(v.seq) && typeof v.mac === 'string' && HEX_MAC.test(v.mac);
}

/** The place in the chain a line (a record, or the head file) names; null for anything else. */
export function chainPlaceOf(text: string): TrailAnchor | null {
  try {
    const parsed = JSON.parse(text) as unknown;
    return hasChainPlace(parsed) ? { seq: parsed.seq, mac: parsed.mac } : null;
  } catch {
    return null;
  }
}

/** A record as one line of the file: its canonical JSON with the MAC added. */
export function recordLine(record: TrailRecord, mac: Buffer): string {
  return `${canonicalJson({ ...record, mac: mac.toString('hex') })}\n`;
}
