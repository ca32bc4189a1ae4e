/**
 * The frame of a vault file. Its first 14 bytes are read the same way in
 * every format version — magic "KEYWARD\0" (8) | version u16 BE (2) | header
 * length u32 BE (4) — so a reader can tell a Keyward file and its version
 * before interpreting anything else. The trailing checksum is how v1 ends a
 * file; a later version may reuse it or define its own.
 *
 * The checksum (SHA-256 of every preceding byte) is unkeyed on purpose: it
 * lets us tell a damaged or edited file ("corrupted or tampered") from a wrong
 * password *before* running the KDF. It is not what makes the file secure — the
 * GCM tags are.
 */
import { createHash } from 'node:crypto';
import { constantTimeEqual, sha256 } from '../../crypto/primitives.js';
import { fail } from '../../errors.js';

export const MAGIC = Buffer.from('KEYWARD\0', 'latin1');
export const PREFIX_BYTES = MAGIC.length + 2 + 4;
export const CHECKSUM_BYTES = 32;
/** Headers are small; a huge length is damage, not data. */
export const MAX_HEADER_BYTES = 64 * 1024;

export interface ContainerPrefix {
  version: number;
  headerLength: number;
}

/** The version and header length of anything that starts like a Keyward file; CORRUPTED for anything else. */
export function readContainerPrefix(file: Buffer, what: string): ContainerPrefix {
  if (file.length === 0) throw fail.corrupted(`${what} is empty: it is not a Keyward vault.`);
  if (file.length < MAGIC.length || !file.subarray(0, MAGIC.length).equals(MAGIC))
    throw fail.corrupted(`${what} is not a Keyward vault (unknown file type).`);
  if (file.length < PREFIX_BYTES) throw fail.corrupted(`${what} is truncated: its header is incomplete.`);
  return { version: file.readUInt16BE(MAGIC.length), headerLength: file.readUInt32BE(MAGIC.length + 2) };
}

/** The prefix and header as they will appear in the file (in v1, the body's AAD). */
export function authenticatedPrefixFor(version: number, headerJson: Buffer): Buffer {
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt16BE(version, MAGIC.length);
  prefix.writeUInt32BE(headerJson.length, MAGIC.length + 2);
  return Buffer.concat([prefix, headerJson]);
}

/**
 * The parts followed by their checksum, computed incrementally: a large vault
 * is written without ever being assembled into one more copy in memory.
 */
export function withChecksum(parts: readonly Buffer[]): Buffer[] {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return [...parts, hash.digest()];
}

/** CORRUPTED unless the last 32 bytes are the SHA-256 of the rest (compared in constant time). */
export function verifyChecksum(file: Buffer, what: string): void {
  const checksumStart = file.length - CHECKSUM_BYTES;
  if (!constantTimeEqual(sha256(file.subarray(0, checksumStart)), file.subarray(checksumStart)))
    throw fail.corrupted(`${what} is corrupted or tampered: its checksum does not match its contents.`);
}
