/**
 * Format version 2 behind the dispatcher's codec interface: a snapshot and the
 * changes appended after it (frames.ts), each frame's plaintext the body or
 * one save's change in sections (records.ts), sealed under the body subkey.
 */
import { NONCE_BYTES } from '../../../crypto/primitives.js';
import { fail } from '../../../errors.js';
import type { Random } from '../../../ports/random.js';
import type { VaultBody } from '../../body.js';
import { applyChange, applyChangeBesideCredentials, applyChangeToCredentials, freezeCredential, type VaultChange } from '../../vault-change.js';
import { withCredentialsOnDemand } from '../../credentials-on-demand.js';
import { bodyFromJson } from '../v1/body.js';
import type { FormatCodec, VaultFile, VaultHeader, WrittenFile } from '../codec.js';
import { authenticatedPrefixFor, MAX_HEADER_BYTES, PREFIX_BYTES, readContainerPrefix } from '../container.js';
import { eventLoopPacer, runPaced, type Pacer, type Steps } from '../../pacing.js';
import { decodeHeader, encodeHeader } from '../v1/header.js';
import { decodeChange, decodeSnapshot, encodeChange, encodeSnapshotSteps, openIndexedSnapshotSteps, type IndexedSnapshot } from './records.js';
import { FORMAT_V2, FRAME_KIND, headerChain, openFrame, parseFrames, parseFramesPaced, sealFrame, sealSteps, type Frame, type LogPosition, type ParsedLog, type SealedFrame } from './frames.js';

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
  const start = logStart(file, what);
  return checkedFile(file, what, start, parseFrames(file, start, what, FRAME_KIND.snapshot));
}

async function parseFilePaced(file: Buffer, what: string, pacer: Pacer): Promise<ParsedFile> {
  const start = logStart(file, what);
  return checkedFile(file, what, start, await parseFramesPaced(file, start, what, pacer, FRAME_KIND.snapshot));
}

/** Where the frames start, chained to the prefix and header. */
function logStart(file: Buffer, what: string): LogPosition {
  const { headerLength } = readContainerPrefix(file, what);
  if (headerLength > MAX_HEADER_BYTES || file.length < PREFIX_BYTES + headerLength) throw fail.corrupted(`${what} is truncated or corrupted (${file.length} bytes).`);
  const headerEnd = PREFIX_BYTES + headerLength;
  return { seq: -1, chain: headerChain(file.subarray(0, headerEnd)), end: headerEnd };
}

function checkedFile(file: Buffer, what: string, start: LogPosition, log: ParsedLog): ParsedFile {
  const headerEnd = start.end;
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

/** Opens every change frame in order and applies it to `body`; false when one does not authenticate. */
async function applyFrames(body: VaultBody, frames: readonly Frame[], key: Buffer, pacer: Pacer): Promise<boolean> {
  const changes = await openChanges(frames, key, pacer);
  if (!changes) return false;
  for (const change of changes) applyChange(body, change);
  return true;
}

/** The changes the frames hold, in order; null when one does not authenticate. */
async function openChanges(frames: readonly Frame[], key: Buffer, pacer: Pacer): Promise<VaultChange[] | null> {
  const changes: VaultChange[] = [];
  for (const frame of frames) {
    const plaintext = await openFrame(frame, key, pacer);
    if (!plaintext) return null;
    try {
      changes.push(await decodeChange(plaintext, pacer));
    } finally {
      for (const piece of plaintext) piece.fill(0);
    }
  }
  return changes;
}

/** A parsed file as the dispatcher hands it out: its header, its log and a way to open its body. */
function opened(parsed: ParsedFile): VaultFile {
  return {
    version: FORMAT_V2,
    // The generation a reader works with is the last complete record's sequence number.
    header: { ...parsed.header, generation: parsed.position.seq },
    log: { position: parsed.position, snapshotEnd: parsed.snapshotEnd, tornBytes: parsed.tornBytes },
    async openBody(bodyKey, pacer = eventLoopPacer(), options = {}) {
      const plaintext = await openFrame(parsed.snapshot, bodyKey, pacer);
      if (!plaintext) return null;
      if (options.credentialsOnDemand) {
        const indexed = await runPaced(openIndexedSnapshotSteps(plaintext), pacer);
        if (indexed) return onDemand(indexed, parsed.changes, bodyKey, pacer);
      }
      let body: VaultBody;
      try {
        body = await decodeSnapshot(plaintext, pacer);
      } finally {
        for (const piece of plaintext) piece.fill(0);
      }
      return (await applyFrames(body, parsed.changes, bodyKey, pacer)) ? body : null;
    },
  };
}

/** The snapshot's head and the changes beside the credentials now; the credentials when first used. */
async function onDemand(indexed: IndexedSnapshot, frames: readonly Frame[], bodyKey: Buffer, pacer: Pacer): Promise<VaultBody | null> {
  let changes: VaultChange[] | null;
  let body: VaultBody;
  try {
    changes = await openChanges(frames, bodyKey, pacer);
    // The head is checked as a whole body's would be (schema, defaults); its credentials come later.
    body = bodyFromJson({ ...indexed.head, credentials: [] }, { valuesResolved: true });
  } catch (err) {
    indexed.chunks.wipe();
    throw err;
  }
  if (!changes) {
    indexed.chunks.wipe();
    return null;
  }
  const { credentials: _none, ...head } = body;
  for (const change of changes) {
    applyChangeBesideCredentials(head as VaultBody, change);
    // Frozen now, as applying them would: a lookup may hand them out before the list is made.
    for (const c of change.put) freezeCredential(c);
  }
  return withCredentialsOnDemand(head, indexed.chunks, changes, { freeze: freezeCredential, applyCredentials: applyChangeToCredentials });
}

export const formatV2: FormatCodec = {
  version: FORMAT_V2,

  check(file, what) {
    parseFile(file, what);
  },

  async checkPaced(file, what, pacer) {
    await parseFilePaced(file, what, pacer);
  },

  read(file, what) {
    return opened(parseFile(file, what));
  },

  async readPaced(file, what, pacer) {
    return opened(await parseFilePaced(file, what, pacer));
  },

  write(header, body, bodyKey, random, pacer = eventLoopPacer()) {
    return runPaced(writeSteps(header, body, bodyKey, random), pacer);
  },
};

/** A whole file: the header and one snapshot frame, encoded and sealed in steps. */
function* writeSteps(header: VaultHeader, body: VaultBody, bodyKey: Buffer, random: Random): Steps<WrittenFile> {
  const headerBytes = authenticatedPrefixFor(FORMAT_V2, encodeHeader(header));
  const start: LogPosition = { seq: -1, chain: headerChain(headerBytes), end: headerBytes.length };
  const plaintext = yield* encodeSnapshotSteps(body);
  try {
    const snapshot = yield* sealSteps(start, FRAME_KIND.snapshot, header.generation, plaintext, bodyKey, random.bytes(NONCE_BYTES));
    return { parts: [headerBytes, ...snapshot.bytes], log: { position: snapshot.next, snapshotEnd: snapshot.next.end, tornBytes: 0 } };
  } finally {
    for (const piece of plaintext) piece.fill(0);
  }
}

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
export async function openChangesAfter(tail: Buffer, after: LogPosition, bodyKey: Buffer, what: string): Promise<{ changes: VaultChange[]; position: LogPosition } | null> {
  const log = parseFrames(tail, { ...after, end: 0 }, what);
  const changes = await openChanges(log.frames, bodyKey, eventLoopPacer());
  return changes ? { changes, position: { ...log.position, end: after.end + log.position.end } } : null;
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
