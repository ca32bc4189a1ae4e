/**
 * Format version 2 behind the dispatcher's codec interface: a snapshot and the
 * changes appended after it (frames.ts). The snapshot's plaintext is the body
 * encoded as in v1 (UTF-8 JSON); a change's is `{ put, removed, rest? }` as
 * UTF-8 JSON (vault-change.ts). Both are sealed under the body subkey.
 */
import { NONCE_BYTES } from '../../../crypto/primitives.js';
import { fail } from '../../../errors.js';
import type { Random } from '../../../ports/random.js';
import { BODY_SCHEMA, type StoredCredential, type VaultBody } from '../../body.js';
import { applyChange, type VaultChange } from '../../vault-change.js';
import { isStamp } from '../../hlc.js';
import type { FormatCodec, VaultFile, VaultHeader } from '../codec.js';
import { authenticatedPrefixFor, MAX_HEADER_BYTES, PREFIX_BYTES, readContainerPrefix } from '../container.js';
import { decodeBody, encodeBody } from '../v1/body.js';
import { decodeHeader, encodeHeader } from '../v1/header.js';
import { FORMAT_V2, FRAME_KIND, headerChain, openFrame, parseFrames, sealFrame, type Frame, type LogPosition, type SealedFrame } from './frames.js';

export { FORMAT_V2 } from './frames.js';

interface ParsedFile {
  header: VaultHeader;
  snapshot: Frame;
  changes: Frame[];
  position: LogPosition;
  snapshotEnd: number;
  tornBytes: number;
}

function parseFile(file: Buffer, what: string): ParsedFile {
  const { headerLength } = readContainerPrefix(file, what);
  if (headerLength > MAX_HEADER_BYTES || file.length < PREFIX_BYTES + headerLength) throw fail.corrupted(`${what} is truncated or corrupted (${file.length} bytes).`);
  const headerEnd = PREFIX_BYTES + headerLength;
  const start: LogPosition = { seq: -1, chain: headerChain(file.subarray(0, headerEnd)), end: headerEnd };
  const log = parseFrames(file, start, what, FRAME_KIND.snapshot);
  const [snapshot, ...changes] = log.frames;
  // A snapshot is only ever written whole, by an atomic replace: without one the file is damaged, never torn.
  if (!snapshot) throw fail.corrupted(`${what} is truncated or corrupted: it holds no complete snapshot.`);
  const header = decodeHeader(file.subarray(PREFIX_BYTES, headerEnd));
  if (header.generation !== snapshot.seq) throw fail.corrupted(`${what} is corrupted or tampered: its snapshot does not match its header.`);
  return { header, snapshot, changes, position: log.position, snapshotEnd: start.end + frameLength(file, start.end), tornBytes: log.tornBytes };
}

function frameLength(file: Buffer, at: number): number {
  return 4 + file.readUInt32BE(at);
}

/** Decodes a change's plaintext (already authenticated: a shape error is a bug or a newer Keyward, refused all the same). */
export function decodeChange(plaintext: Buffer): VaultChange {
  let raw: unknown;
  try {
    raw = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw fail.corrupted('A vault record could not be read.');
  }
  const c = raw as Partial<VaultChange> | null;
  const credentialShaped = (x: unknown): x is StoredCredential => !!x && typeof x === 'object' && typeof (x as StoredCredential).id === 'string' && Array.isArray((x as StoredCredential).versions);
  if (!c || typeof c !== 'object' || !Array.isArray(c.put) || !Array.isArray(c.removed) || !c.put.every(credentialShaped) || !c.removed.every((id) => typeof id === 'string'))
    throw fail.corrupted('A vault record has an unexpected shape.');
  if (c.rest !== undefined && (typeof c.rest !== 'object' || c.rest === null || 'credentials' in c.rest)) throw fail.corrupted('A vault record has an unexpected shape.');
  // A record from a newer body schema is refused as the snapshot of one would be (decodeBody).
  const restSchema = (c.rest as { schema?: unknown } | undefined)?.schema;
  if (restSchema !== undefined && (!Number.isSafeInteger(restSchema) || (restSchema as number) < 1 || (restSchema as number) > BODY_SCHEMA))
    throw fail.corrupted('A vault record uses a body schema this Keyward does not understand. Update Keyward.');
  if (c.tombstones !== undefined && (typeof c.tombstones !== 'object' || c.tombstones === null || !Object.values(c.tombstones).every(isStamp)))
    throw fail.corrupted('A vault record has an unexpected shape.');
  if (c.insertedAt !== undefined && (typeof c.insertedAt !== 'object' || c.insertedAt === null || !Object.values(c.insertedAt).every((n) => Number.isSafeInteger(n) && n >= 0)))
    throw fail.corrupted('A vault record has an unexpected shape.');
  return { put: c.put, removed: c.removed, ...(c.tombstones ? { tombstones: c.tombstones } : {}), ...(c.insertedAt ? { insertedAt: c.insertedAt } : {}), ...(c.rest ? { rest: c.rest } : {}) };
}

function encodeChange(change: VaultChange): Buffer {
  return Buffer.from(
    JSON.stringify({
      put: change.put,
      removed: change.removed,
      ...(change.tombstones ? { tombstones: change.tombstones } : {}),
      ...(change.insertedAt ? { insertedAt: change.insertedAt } : {}),
      ...(change.rest ? { rest: change.rest } : {}),
    }),
    'utf8',
  );
}

/** Opens every change frame in order and applies it to `body`; false when one does not authenticate. */
function applyFrames(body: VaultBody, frames: readonly Frame[], key: Buffer): boolean {
  for (const frame of frames) {
    const plaintext = openFrame(frame, key);
    if (!plaintext) return false;
    try {
      applyChange(body, decodeChange(plaintext));
    } finally {
      plaintext.fill(0);
    }
  }
  return true;
}

export const formatV2: FormatCodec = {
  version: FORMAT_V2,

  check(file, what) {
    parseFile(file, what);
  },

  read(file, what): VaultFile {
    const parsed = parseFile(file, what);
    return {
      version: FORMAT_V2,
      // The generation a reader works with is the last complete record's sequence number.
      header: { ...parsed.header, generation: parsed.position.seq },
      log: { position: parsed.position, snapshotEnd: parsed.snapshotEnd, tornBytes: parsed.tornBytes },
      openBody(bodyKey) {
        const plaintext = openFrame(parsed.snapshot, bodyKey);
        if (!plaintext) return null;
        let body: VaultBody;
        try {
          body = decodeBody(plaintext);
        } finally {
          plaintext.fill(0);
        }
        return applyFrames(body, parsed.changes, bodyKey) ? body : null;
      },
    };
  },

  write(header, body, bodyKey, random) {
    const headerBytes = authenticatedPrefixFor(FORMAT_V2, encodeHeader(header));
    const start: LogPosition = { seq: -1, chain: headerChain(headerBytes), end: headerBytes.length };
    const plaintext = encodeBody(body);
    try {
      const snapshot = sealFrame(start, FRAME_KIND.snapshot, header.generation, plaintext, bodyKey, random.bytes(NONCE_BYTES));
      return { parts: [headerBytes, ...snapshot.bytes], log: { position: snapshot.next, snapshotEnd: snapshot.next.end, tornBytes: 0 } };
    } finally {
      plaintext.fill(0);
    }
  },
};

/** One change frame to append after `after`. */
export function sealChange(after: LogPosition, change: VaultChange, bodyKey: Buffer, random: Random): SealedFrame {
  const plaintext = encodeChange(change);
  try {
    return sealFrame(after, FRAME_KIND.change, after.seq + 1, plaintext, bodyKey, random.bytes(NONCE_BYTES));
  } finally {
    plaintext.fill(0);
  }
}

/**
 * The changes in `tail` (the file's bytes from `after.end` on), each checked
 * in its place after `after`, opened under `bodyKey`. Null when one does not
 * authenticate; CORRUPTED when one is damaged.
 */
export function openChangesAfter(tail: Buffer, after: LogPosition, bodyKey: Buffer, what: string): { changes: VaultChange[]; position: LogPosition } | null {
  const log = parseFrames(tail, { ...after, end: 0 }, what);
  const changes: VaultChange[] = [];
  for (const frame of log.frames) {
    const plaintext = openFrame(frame, bodyKey);
    if (!plaintext) return null;
    try {
      changes.push(decodeChange(plaintext));
    } finally {
      plaintext.fill(0);
    }
  }
  return { changes, position: { ...log.position, end: after.end + log.position.end } };
}

/**
 * Whether `tail` (the file from `after.end` on) holds no committed frame that
 * follows `after`: only torn bytes, safe to cut off. False when it holds a
 * record (another writer's) or anything damaged.
 */
export function holdsOnlyTornBytes(tail: Buffer, after: LogPosition): boolean {
  try {
    return parseFrames(tail, { ...after, end: 0 }, 'The vault file').frames.length === 0;
  } catch {
    return false;
  }
}
