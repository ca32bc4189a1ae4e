/**
 * The layout of a v2 file (spec: docs/vault-format.md, "Format version 2"):
 *
 *   prefix (14) | header (JSON, UTF-8) | frame 0 (snapshot) | frame 1 (change) | … | frame n (change)
 *
 *   frame := length u32 BE | kind u8 | seq u64 BE | check (4) | nonce (12) | ciphertext + tag | chain (32)
 *
 * `length` counts every byte after itself. `check` is the first 4 bytes of
 * SHA-256(length ‖ kind ‖ seq) with the top bit set, so it is never zero: a
 * damaged length is told from a torn write. It is written last, in a second
 * fsynced write after the rest of the frame is on disk (`commit`), so a frame
 * whose `check` is still zero is one a crash interrupted: never acknowledged.
 * `chain` is SHA-256(previous chain ‖ the frame's bytes before it), starting
 * from SHA-256(prefix ‖ header): an unkeyed running checksum that tells damage
 * from a wrong password before any KDF, as v1's trailer does. The frame's
 * AES-256-GCM AAD is label ‖ previous chain ‖ kind ‖ seq, so each frame
 * authenticates the header and every frame before it, and its own place.
 *
 * The file only grows between compactions: a save appends one frame. A frame
 * that the file ends inside of (a write a crash cut short) is a torn tail;
 * see `parseFrames`. Pure functions over buffers.
 */
import { createHash } from 'node:crypto';
import { aesGcmDecryptSteps, aesGcmEncryptSteps, NONCE_BYTES, TAG_BYTES } from '../../../crypto/primitives.js';
import { fail } from '../../../errors.js';
import type { LogPosition } from '../codec.js';
import { runNow, runPaced, type Pacer, type Steps } from '../../pacing.js';
import { AAD_SEPARATOR } from '../v1/labels.js';

/** The one place the number of this format version is written down. */
export const FORMAT_V2 = 2;

export const FRAME_KIND = { snapshot: 1, change: 2 } as const;
export type FrameKind = (typeof FRAME_KIND)[keyof typeof FRAME_KIND];

/** First element of every frame's AAD. */
export const FRAME_LABEL = 'keyward/v2/frame';

const LENGTH_BYTES = 4;
const KIND_BYTES = 1;
const SEQ_BYTES = 8;
const CHECK_BYTES = 4;
export const CHAIN_BYTES = 32;
/** length, kind, seq and check: what a reader needs to know where the frame ends. */
export const FRAME_PREFIX_BYTES = LENGTH_BYTES + KIND_BYTES + SEQ_BYTES + CHECK_BYTES;
const MIN_FRAME_LENGTH = KIND_BYTES + SEQ_BYTES + CHECK_BYTES + NONCE_BYTES + TAG_BYTES + CHAIN_BYTES;
/** A frame is at most 1 GiB: a larger length is damage, not data. */
const MAX_FRAME_LENGTH = 1 << 30;

export type { LogPosition } from '../codec.js';

export interface Frame {
  kind: FrameKind;
  seq: number;
  /** The chain value before this frame: its AAD. */
  chainBefore: Buffer;
  nonce: Buffer;
  sealed: Buffer;
}

/** The chain value a file starts from: SHA-256 of its prefix and header bytes. */
export function headerChain(authenticatedPrefix: Buffer): Buffer {
  return createHash('sha256').update(authenticatedPrefix).digest();
}

function frameAad(chainBefore: Buffer, kind: FrameKind, seq: number): Buffer {
  const place = Buffer.alloc(KIND_BYTES + SEQ_BYTES);
  place.writeUInt8(kind, 0);
  place.writeBigUInt64BE(BigInt(seq), KIND_BYTES);
  return Buffer.concat([Buffer.from(FRAME_LABEL + AAD_SEPARATOR, 'utf8'), chainBefore, place]);
}

function prefixCheck(lengthKindSeq: Buffer): Buffer {
  const check = Buffer.from(createHash('sha256').update(lengthKindSeq).digest().subarray(0, CHECK_BYTES));
  check[0]! |= 0x80;
  return check;
}

const UNCOMMITTED = Buffer.alloc(CHECK_BYTES);

/** Where a frame's `check` lies, from the frame's first byte. */
export const CHECK_OFFSET = LENGTH_BYTES + KIND_BYTES + SEQ_BYTES;

/** A sealed frame: its bytes in order (the whole frame, committed), and the position after it. */
export interface SealedFrame {
  bytes: Buffer[];
  next: LogPosition;
  /** The frame's `check` and where it goes from the frame's start: an appender writes the frame with zeros there first, then this. */
  commit: { at: number; bytes: Buffer };
}

/** How much is encrypted, decrypted or checksummed between two chances to pause (pacing.ts): a few milliseconds' work. */
const CRYPT_STEP_BYTES = 1 << 20;
const HASH_STEP_BYTES = 4 << 20;

/** One frame sealing `plaintext` (its pieces, in order), chained to `after`. */
export function sealFrame(after: LogPosition, kind: FrameKind, seq: number, plaintext: Buffer | readonly Buffer[], key: Buffer, nonce: Buffer): SealedFrame {
  return runNow(sealSteps(after, kind, seq, plaintext, key, nonce));
}

/** sealFrame as steps: it yields after each step of encryption and checksumming, so a writer may pause there (pacing.ts). */
export function* sealSteps(after: LogPosition, kind: FrameKind, seq: number, plaintext: Buffer | readonly Buffer[], key: Buffer, nonce: Buffer): Steps<SealedFrame> {
  const pieces = Buffer.isBuffer(plaintext) ? [plaintext] : plaintext;
  let plaintextLength = 0;
  for (const piece of pieces) plaintextLength += piece.length;
  const length = MIN_FRAME_LENGTH + plaintextLength;
  // A writer never makes a frame its own reader would refuse.
  if (length > MAX_FRAME_LENGTH) throw fail.badRequest('This change is too large to save (more than 1 GiB).');
  const { ciphertext, tag } = yield* aesGcmEncryptSteps(key, nonce, pieces, frameAad(after.chain, kind, seq), CRYPT_STEP_BYTES);
  const head = Buffer.alloc(FRAME_PREFIX_BYTES);
  head.writeUInt32BE(length, 0);
  head.writeUInt8(kind, LENGTH_BYTES);
  head.writeBigUInt64BE(BigInt(seq), LENGTH_BYTES + KIND_BYTES);
  const check = prefixCheck(head.subarray(0, CHECK_OFFSET));
  check.copy(head, CHECK_OFFSET);
  const hash = createHash('sha256').update(after.chain).update(head).update(nonce);
  for (const piece of ciphertext) {
    hash.update(piece);
    yield;
  }
  const chain = hash.update(tag).digest();
  return { bytes: [head, nonce, ...ciphertext, tag, chain], next: { seq, chain, end: after.end + LENGTH_BYTES + length }, commit: { at: CHECK_OFFSET, bytes: check } };
}

/** The frame's bytes with its `check` zeroed: what an appender writes (and fsyncs) before it commits the frame. */
export function uncommitted(frame: SealedFrame): Buffer[] {
  const head = Buffer.from(frame.bytes[0]!);
  UNCOMMITTED.copy(head, CHECK_OFFSET);
  return [head, ...frame.bytes.slice(1)];
}

/** The frames of a log and where it ends; a torn final frame is reported, not returned. */
export interface ParsedLog {
  frames: Frame[];
  position: LogPosition;
  /** Bytes after the last complete frame that do not make a frame: a write cut short. */
  tornBytes: number;
}

/**
 * Reads the frames in `file` from `start.end`, each chained to the one before.
 * CORRUPTED for any frame that is committed but wrong (its check, kind, place
 * in the sequence or chain value) — any changed byte of a committed frame is
 * that. The reader stops before a frame that is not committed (its check is
 * zero) or that the file ends inside of: a save a crash interrupted, which
 * never returned and so was never acknowledged (`tornBytes`; the next writer
 * keeps a copy of the file in the backups and cuts them off before appending).
 * Dropping whole frames at the end, or forging a torn frame, cannot be told
 * from that by the unkeyed bytes alone: that is a rollback, which only a
 * generation remembered outside the file can catch (docs/vault-format.md V2.8).
 */
export function parseFrames(file: Buffer, start: LogPosition, what: string, expectFirst?: FrameKind): ParsedLog {
  return runNow(parseSteps(file, start, what, expectFirst));
}

/** The same, with the pacer's pauses while a large frame is checksummed (pacing.ts). */
export function parseFramesPaced(file: Buffer, start: LogPosition, what: string, pacer: Pacer, expectFirst?: FrameKind): Promise<ParsedLog> {
  return runPaced(parseSteps(file, start, what, expectFirst), pacer);
}

/** parseFrames as steps: it yields after each HASH_STEP_BYTES of checksumming, so a caller may pause there. */
function* parseSteps(file: Buffer, start: LogPosition, what: string, expectFirst?: FrameKind): Steps<ParsedLog> {
  // (The prefix of a frame is read before its check: a frame cut inside its prefix is torn, whatever it holds.)
  const frames: Frame[] = [];
  let position = start;
  let offset = start.end;
  while (offset < file.length) {
    const left = file.length - offset;
    if (left < FRAME_PREFIX_BYTES) break;
    const lengthKindSeq = file.subarray(offset, offset + CHECK_OFFSET);
    const check = file.subarray(offset + CHECK_OFFSET, offset + FRAME_PREFIX_BYTES);
    // Not committed: the save that was writing it never returned (its bytes may be anything a crash left).
    if (check.equals(UNCOMMITTED)) break;
    if (!prefixCheck(lengthKindSeq).equals(check)) throw fail.corrupted(`${what} is corrupted or tampered: a record's frame is damaged (at byte ${offset}).`);
    const length = file.readUInt32BE(offset);
    const kind = file.readUInt8(offset + LENGTH_BYTES) as FrameKind;
    const seq = Number(file.readBigUInt64BE(offset + LENGTH_BYTES + KIND_BYTES));
    if (length < MIN_FRAME_LENGTH || length > MAX_FRAME_LENGTH) throw fail.corrupted(`${what} is corrupted or tampered: a record has an impossible length (at byte ${offset}).`);
    if (left < LENGTH_BYTES + length) break;
    const wanted = frames.length === 0 && expectFirst !== undefined ? expectFirst : FRAME_KIND.change;
    if (kind !== wanted) throw fail.corrupted(`${what} is corrupted or tampered: a record of the wrong kind (at byte ${offset}).`);
    const expectedSeq = frames.length === 0 && expectFirst === FRAME_KIND.snapshot ? seq : position.seq + 1;
    if (!Number.isSafeInteger(seq) || seq !== expectedSeq) throw fail.corrupted(`${what} is corrupted or tampered: records are out of sequence (at byte ${offset}).`);
    const end = offset + LENGTH_BYTES + length;
    const chainStart = end - CHAIN_BYTES;
    const hash = createHash('sha256').update(position.chain);
    for (let at = offset; at < chainStart; at += HASH_STEP_BYTES) {
      hash.update(file.subarray(at, Math.min(at + HASH_STEP_BYTES, chainStart)));
      if (at + HASH_STEP_BYTES < chainStart) yield;
    }
    const chain = hash.digest();
    if (!chain.equals(file.subarray(chainStart, end))) throw fail.corrupted(`${what} is corrupted or tampered: a record's checksum does not match its contents (at byte ${offset}).`);
    const nonceStart = offset + FRAME_PREFIX_BYTES;
    frames.push({ kind, seq, chainBefore: position.chain, nonce: file.subarray(nonceStart, nonceStart + NONCE_BYTES), sealed: file.subarray(nonceStart + NONCE_BYTES, chainStart) });
    position = { seq, chain, end };
    offset = end;
  }
  return { frames, position, tornBytes: file.length - position.end };
}

/**
 * A frame's plaintext, in pieces of at most a step each (in order; joined,
 * they are the plaintext); null when it does not authenticate under `key` in
 * its place. A large frame is decrypted a step at a time, with the pacer's
 * pauses between steps.
 */
export function openFrame(frame: Frame, key: Buffer, pacer: Pacer): Promise<Buffer[] | null> {
  return runPaced(aesGcmDecryptSteps(key, frame.nonce, frame.sealed, frameAad(frame.chainBefore, frame.kind, frame.seq), CRYPT_STEP_BYTES), pacer);
}
