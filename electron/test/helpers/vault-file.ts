/**
 * Byte-level surgery on vault files: where each region of the container lies,
 * flipping one byte, and forging a header the way an attacker who also
 * recomputes the (unkeyed) checksum would. Each helper reads the format
 * version from the file: v1 (one sealed body, a trailing checksum) and v2 (a
 * snapshot and appended records, each ending with its chain value).
 */
import { createHash } from 'node:crypto';
import { CHECKSUM_BYTES, PREFIX_BYTES } from '../../core/vault/format/container.js';
import { NONCE_BYTES, TAG_BYTES } from '../../core/crypto/primitives.js';
import type { HeaderV1 } from '../../core/vault/format/v1/header.js';
import { FRAME_PREFIX_BYTES, CHAIN_BYTES } from '../../core/vault/format/v2/frames.js';

/** Where each frame of a v2 file lies (offsets in the file). */
export interface FrameRegions {
  start: number;
  end: number;
  head: Region;
  nonce: Region;
  ciphertext: Region;
  tag: Region;
  chain: Region;
}

export function formatVersionOf(file: Buffer): number {
  return file.readUInt16BE(8);
}

/** The frames of a v2 file, walked by their lengths (no check: the file may be one being forged). */
export function framesOf(file: Buffer): FrameRegions[] {
  const frames: FrameRegions[] = [];
  let offset = PREFIX_BYTES + file.readUInt32BE(10);
  while (offset + 4 <= file.length) {
    const end = offset + 4 + file.readUInt32BE(offset);
    if (end > file.length) break;
    const nonceStart = offset + FRAME_PREFIX_BYTES;
    const chainStart = end - CHAIN_BYTES;
    frames.push({
      start: offset,
      end,
      head: { start: offset, end: nonceStart },
      nonce: { start: nonceStart, end: nonceStart + NONCE_BYTES },
      ciphertext: { start: nonceStart + NONCE_BYTES, end: chainStart - TAG_BYTES },
      tag: { start: chainStart - TAG_BYTES, end: chainStart },
      chain: { start: chainStart, end },
    });
    offset = end;
  }
  return frames;
}

export interface Region {
  start: number;
  end: number;
}

export interface VaultRegions {
  magic: Region;
  version: Region;
  headerLength: Region;
  header: Region;
  /** The digits of kdf.iterations inside the header JSON. */
  kdfIterations: Region;
  /** The base64 text of kdf.salt inside the header JSON. */
  kdfSalt: Region;
  /** The wrapped vault key inside the header JSON. */
  passwordWrap: Region;
  bodyNonce: Region;
  bodyCiphertext: Region;
  tag: Region;
  checksum: Region;
}

function within(header: Region, json: string, pattern: RegExp): Region {
  const m = pattern.exec(json);
  if (!m || m.index === undefined) throw new Error(`pattern ${pattern} not found in the header`);
  // Offsets in the JSON are character offsets; the header written by Keyward is ASCII.
  const start = header.start + m.index + m[0].length - m[1]!.length;
  return { start, end: start + m[1]!.length };
}

export function regionsOf(file: Buffer): VaultRegions {
  const headerLength = file.readUInt32BE(10);
  const header = { start: PREFIX_BYTES, end: PREFIX_BYTES + headerLength };
  const json = file.subarray(header.start, header.end).toString('latin1');
  const prefixAndHeader = {
    magic: { start: 0, end: 8 },
    version: { start: 8, end: 10 },
    headerLength: { start: 10, end: 14 },
    header,
    kdfIterations: within(header, json, /"iterations":(\d+)/),
    kdfSalt: within(header, json, /"salt":"([^"]+)"/),
    passwordWrap: within(header, json, /"ciphertext":"([^"]+)"/),
  };
  if (formatVersionOf(file) === 2) {
    // The snapshot's nonce and ciphertext; the last frame's tag and chain value (what ends the file).
    const frames = framesOf(file);
    const last = frames.at(-1)!;
    return { ...prefixAndHeader, bodyNonce: frames[0]!.nonce, bodyCiphertext: frames[0]!.ciphertext, tag: last.tag, checksum: last.chain };
  }
  const checksum = { start: file.length - CHECKSUM_BYTES, end: file.length };
  const tag = { start: checksum.start - TAG_BYTES, end: checksum.start };
  return { ...prefixAndHeader, bodyNonce: { start: header.end, end: header.end + NONCE_BYTES }, bodyCiphertext: { start: header.end + NONCE_BYTES, end: tag.start }, tag, checksum };
}

/** A copy with one byte changed (XOR `mask`, so it always differs). */
export function flipByte(file: Buffer, offset: number, mask = 0x01): Buffer {
  const copy = Buffer.from(file);
  copy[offset] = copy[offset]! ^ mask;
  return copy;
}

/**
 * Recomputes the unkeyed checksums for the (edited) contents: v1's trailing
 * SHA-256, or every chain value of a v2 file (and each frame's length check).
 */
export function withValidChecksum(file: Buffer): Buffer {
  return recomputeChecksums(file, formatVersionOf(file));
}

/** The checksums of `file` recomputed as the layout of format `version` has them. */
function recomputeChecksums(file: Buffer, version: number): Buffer {
  if (version === 2) {
    const copy = Buffer.from(file);
    const headerEnd = PREFIX_BYTES + copy.readUInt32BE(10);
    let chain = createHash('sha256').update(copy.subarray(0, headerEnd)).digest();
    for (const frame of framesOf(copy)) {
      const check = createHash('sha256').update(copy.subarray(frame.start, frame.start + 13)).digest();
      check[0]! |= 0x80; // a committed check is never zero (docs/vault-format.md V2.1)
      check.copy(copy, frame.start + 13, 0, 4);
      chain = createHash('sha256').update(chain).update(copy.subarray(frame.start, frame.chain.start)).digest();
      chain.copy(copy, frame.chain.start);
    }
    return copy;
  }
  const body = file.subarray(0, file.length - CHECKSUM_BYTES);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

export function readHeader(file: Buffer): HeaderV1 {
  const { header } = regionsOf(file);
  return JSON.parse(file.subarray(header.start, header.end).toString('utf8')) as HeaderV1;
}

/**
 * Rewrites the header JSON (and its length), keeps the body bytes, and
 * recomputes the checksum: what an attacker who knows the format can do.
 */
export function forgeHeader(file: Buffer, edit: (header: Record<string, unknown> & HeaderV1) => void, version?: number): Buffer {
  const { header: region } = regionsOf(file);
  const header = JSON.parse(file.subarray(region.start, region.end).toString('utf8')) as Record<string, unknown> & HeaderV1;
  edit(header);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.from(file.subarray(0, PREFIX_BYTES));
  if (version !== undefined) prefix.writeUInt16BE(version, 8);
  prefix.writeUInt32BE(json.length, 10);
  if (formatVersionOf(file) === 2) return withValidChecksum(Buffer.concat([prefix, json, file.subarray(region.end)]));
  const rest = file.subarray(region.end, file.length - CHECKSUM_BYTES);
  return withValidChecksum(Buffer.concat([prefix, json, rest, Buffer.alloc(CHECKSUM_BYTES)]));
}

/** Sets the format version field and recomputes the checksum (a well-formed file of another version). */
export function withVersion(file: Buffer, version: number): Buffer {
  const layout = formatVersionOf(file);
  const copy = Buffer.from(file);
  copy.writeUInt16BE(version, 8);
  // Recomputed as the file's own layout has them: the bytes stay what they were, under another label.
  return recomputeChecksums(copy, layout);
}

/**
 * Whether `needle` appears in `haystack` in clear or in an encoding a careless
 * writer might use (UTF-16, hex, base64 at any alignment). Returns the encoding found.
 */
export function findInAnyEncoding(haystack: Buffer, needle: string): string | null {
  const raw = Buffer.from(needle, 'utf8');
  const forms: [string, Buffer][] = [
    ['utf8', raw],
    ['utf16le', Buffer.from(needle, 'utf16le')],
    ['hex', Buffer.from(raw.toString('hex'), 'latin1')],
    ['HEX', Buffer.from(raw.toString('hex').toUpperCase(), 'latin1')],
  ];
  for (const shift of [0, 1, 2]) {
    // The middle of the encoding does not depend on the bytes around the value.
    for (const alphabet of ['base64', 'base64url'] as const) {
      const text = Buffer.concat([Buffer.alloc(shift), raw]).toString(alphabet);
      forms.push([`${alphabet}+${shift}`, Buffer.from(text.slice(shift ? 4 : 0, -4), 'latin1')]);
    }
  }
  for (const [encoding, form] of forms) if (haystack.includes(form)) return encoding;
  return null;
}
