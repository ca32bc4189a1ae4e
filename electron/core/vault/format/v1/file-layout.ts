/**
 * The layout of a v1 file (spec: docs/vault-format.md §2):
 *
 *   prefix (14) | header (JSON, UTF-8) | body nonce (12) | body ciphertext + GCM tag | checksum (32)
 *
 * and the sealing of its body: AES-256-GCM under the body subkey, with the
 * exact prefix and header bytes as AAD. Pure functions over buffers.
 */
import { aesGcmDecrypt, aesGcmEncryptParts, NONCE_BYTES, TAG_BYTES } from '../../../crypto/primitives.js';
import { fail } from '../../../errors.js';
import { authenticatedPrefixFor, CHECKSUM_BYTES, MAX_HEADER_BYTES, PREFIX_BYTES, readContainerPrefix, verifyChecksum, withChecksum } from '../container.js';
import { encodeHeader, type HeaderV1 } from './header.js';

/** The one place the number of this format version is written down. */
export const FORMAT_V1 = 1;

export interface ContainerV1 {
  /** Bytes 0 .. end of header: authenticated as AAD of the body. */
  authenticatedPrefix: Buffer;
  headerJson: Buffer;
  bodyNonce: Buffer;
  bodyCiphertext: Buffer;
  checksum: Buffer;
}

/**
 * Splits a v1 file into its parts and verifies the checksum (the caller has
 * dispatched on the version). Throws CORRUPTED for anything that is not an
 * intact file. Never runs a KDF.
 */
export function parseContainer(file: Buffer, what = 'The vault file'): ContainerV1 {
  const { headerLength } = readContainerPrefix(file, what);
  const minimumLength = PREFIX_BYTES + headerLength + NONCE_BYTES + TAG_BYTES + CHECKSUM_BYTES;
  if (headerLength > MAX_HEADER_BYTES || file.length < minimumLength)
    throw fail.corrupted(`${what} is truncated or corrupted (${file.length} bytes).`);
  verifyChecksum(file, what);
  const headerEnd = PREFIX_BYTES + headerLength;
  const checksumStart = file.length - CHECKSUM_BYTES;
  return {
    authenticatedPrefix: file.subarray(0, headerEnd),
    headerJson: file.subarray(PREFIX_BYTES, headerEnd),
    bodyNonce: file.subarray(headerEnd, headerEnd + NONCE_BYTES),
    bodyCiphertext: file.subarray(headerEnd + NONCE_BYTES, checksumStart),
    checksum: file.subarray(checksumStart),
  };
}

/**
 * A file sealing `bodyPlaintext` under `bodyKey`, as parts to write one after
 * another (no assembled copy); the last part is the checksum.
 */
export function sealFileParts(header: HeaderV1, bodyPlaintext: Buffer, bodyKey: Buffer, bodyNonce: Buffer): Buffer[] {
  const aad = authenticatedPrefixFor(FORMAT_V1, encodeHeader(header));
  const { ciphertext, tag } = aesGcmEncryptParts(bodyKey, bodyNonce, bodyPlaintext, aad);
  return withChecksum([aad, bodyNonce, ciphertext, tag]);
}

/** Null when the body does not authenticate under this key. */
export function openBody(container: ContainerV1, bodyKey: Buffer): Buffer | null {
  return aesGcmDecrypt(bodyKey, container.bodyNonce, container.bodyCiphertext, container.authenticatedPrefix);
}
