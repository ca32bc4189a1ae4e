/**
 * The outer container of a vault file, shared by every format version:
 *
 *   magic "KEYWARD\0" (8) | version u16 BE (2) | header length u32 BE (4) | header (JSON, UTF-8)
 *   | body nonce (12) | body ciphertext + GCM tag | SHA-256 of all preceding bytes (32)
 *
 * The trailing checksum is unkeyed on purpose: it lets us tell a damaged or
 * edited file ("corrupted or tampered") from a wrong password *before* running
 * the KDF. It is not what makes the file secure — the GCM tags are.
 */
import { fail, KeywardError } from '../../errors.js';
import { createHash } from 'node:crypto';
import { constantTimeEqual, NONCE_BYTES, sha256, TAG_BYTES } from '../../crypto/primitives.js';

export const MAGIC = Buffer.from('KEYWARD\0', 'latin1');
export const PREFIX_BYTES = MAGIC.length + 2 + 4;
export const CHECKSUM_BYTES = 32;
/** Headers are small; a huge length is damage, not data. */
export const MAX_HEADER_BYTES = 64 * 1024;
export const CURRENT_FORMAT_VERSION = 1;

export interface Container {
  version: number;
  /** Bytes 0 .. end of header: authenticated as AAD of the body. */
  authenticatedPrefix: Buffer;
  headerJson: Buffer;
  bodyNonce: Buffer;
  bodyCiphertext: Buffer;
  checksum: Buffer;
}

export function assembleContainer(version: number, headerJson: Buffer, bodyNonce: Buffer, bodyCiphertext: Buffer): Buffer {
  return Buffer.concat(containerParts(version, headerJson, bodyNonce, [bodyCiphertext]));
}

/**
 * The file as consecutive parts (prefix, header, nonce, ciphertext…, checksum),
 * checksummed incrementally: a large vault is written without ever being
 * assembled into one more copy in memory.
 */
export function containerParts(version: number, headerJson: Buffer, bodyNonce: Buffer, bodyCiphertext: readonly Buffer[]): Buffer[] {
  const parts = [authenticatedPrefixFor(version, headerJson).subarray(0, PREFIX_BYTES), headerJson, bodyNonce, ...bodyCiphertext];
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return [...parts, hash.digest()];
}

/** The authenticated prefix for a header, as it will appear in the file (the body's AAD). */
export function authenticatedPrefixFor(version: number, headerJson: Buffer): Buffer {
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt16BE(version, MAGIC.length);
  prefix.writeUInt32BE(headerJson.length, MAGIC.length + 2);
  return Buffer.concat([prefix, headerJson]);
}

/**
 * Splits a file into its parts and verifies the checksum. Throws CORRUPTED for
 * anything that is not an intact Keyward container, UNSUPPORTED_VERSION for a
 * newer one. Never runs a KDF.
 */
export function parseContainer(file: Buffer, what = 'The vault file'): Container {
  if (file.length === 0) throw fail.corrupted(`${what} is empty: it is not a Keyward vault.`);
  if (file.length < MAGIC.length || !file.subarray(0, MAGIC.length).equals(MAGIC))
    throw fail.corrupted(`${what} is not a Keyward vault (unknown file type).`);
  if (file.length < PREFIX_BYTES) throw fail.corrupted(`${what} is truncated: its header is incomplete.`);
  const version = file.readUInt16BE(MAGIC.length);
  if (version > CURRENT_FORMAT_VERSION)
    throw new KeywardError(
      'UNSUPPORTED_VERSION',
      `${what} uses format version ${version}, written by a newer Keyward; this one reads up to version ${CURRENT_FORMAT_VERSION}. Update Keyward to open it.`,
    );
  if (version < 1) throw fail.corrupted(`${what} is corrupted or tampered: invalid format version.`);
  const headerLength = file.readUInt32BE(MAGIC.length + 2);
  const minimumLength = PREFIX_BYTES + headerLength + NONCE_BYTES + TAG_BYTES + CHECKSUM_BYTES;
  if (headerLength > MAX_HEADER_BYTES || file.length < minimumLength)
    throw fail.corrupted(`${what} is truncated or corrupted (${file.length} bytes).`);
  const checksumStart = file.length - CHECKSUM_BYTES;
  const checksum = file.subarray(checksumStart);
  if (!constantTimeEqual(sha256(file.subarray(0, checksumStart)), checksum))
    throw fail.corrupted(`${what} is corrupted or tampered: its checksum does not match its contents.`);
  const headerEnd = PREFIX_BYTES + headerLength;
  return {
    version,
    authenticatedPrefix: file.subarray(0, headerEnd),
    headerJson: file.subarray(PREFIX_BYTES, headerEnd),
    bodyNonce: file.subarray(headerEnd, headerEnd + NONCE_BYTES),
    bodyCiphertext: file.subarray(headerEnd + NONCE_BYTES, checksumStart),
    checksum,
  };
}
