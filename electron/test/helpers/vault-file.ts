/**
 * Byte-level surgery on vault files: where each region of the container lies,
 * flipping one byte, and forging a header the way an attacker who also
 * recomputes the (unkeyed) checksum would.
 */
import { createHash } from 'node:crypto';
import { CHECKSUM_BYTES, PREFIX_BYTES } from '../../core/vault/format/container.js';
import { NONCE_BYTES, TAG_BYTES } from '../../core/crypto/primitives.js';
import type { HeaderV1 } from '../../core/vault/format/v1/header.js';

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
  const checksum = { start: file.length - CHECKSUM_BYTES, end: file.length };
  const tag = { start: checksum.start - TAG_BYTES, end: checksum.start };
  return {
    magic: { start: 0, end: 8 },
    version: { start: 8, end: 10 },
    headerLength: { start: 10, end: 14 },
    header,
    kdfIterations: within(header, json, /"iterations":(\d+)/),
    kdfSalt: within(header, json, /"salt":"([^"]+)"/),
    passwordWrap: within(header, json, /"ciphertext":"([^"]+)"/),
    bodyNonce: { start: header.end, end: header.end + NONCE_BYTES },
    bodyCiphertext: { start: header.end + NONCE_BYTES, end: tag.start },
    tag,
    checksum,
  };
}

/** A copy with one byte changed (XOR `mask`, so it always differs). */
export function flipByte(file: Buffer, offset: number, mask = 0x01): Buffer {
  const copy = Buffer.from(file);
  copy[offset] = copy[offset]! ^ mask;
  return copy;
}

/** Replaces the trailing SHA-256 with the right one for the (edited) contents. */
export function withValidChecksum(file: Buffer): Buffer {
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
  const rest = file.subarray(region.end, file.length - CHECKSUM_BYTES);
  return withValidChecksum(Buffer.concat([prefix, json, rest, Buffer.alloc(CHECKSUM_BYTES)]));
}

/** Sets the format version field and recomputes the checksum (a well-formed file of another version). */
export function withVersion(file: Buffer, version: number): Buffer {
  const copy = Buffer.from(file);
  copy.writeUInt16BE(version, 8);
  return withValidChecksum(copy);
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
