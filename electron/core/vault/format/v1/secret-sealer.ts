/**
 * Encrypts each secret value on its own, bound (as AAD) to the vault, the
 * credential and the version it belongs to: a value copied into another entry,
 * another version or another vault fails to decrypt instead of being shown.
 */
import { aesGcmDecrypt, aesGcmEncrypt, NONCE_BYTES, TAG_BYTES } from '../../../crypto/primitives.js';
import { fail } from '../../../errors.js';
import type { Random } from '../../../ports/random.js';
import { AAD_SEPARATOR, SECRET_VALUE_LABEL } from './labels.js';

const MIN_SEALED_BYTES = 1 + TAG_BYTES;

/** Standard padded base64 (RFC 4648 §4), as Keyward writes it; null for anything else. */
function decodeBase64(text: unknown): Buffer | null {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  return Buffer.from(text, 'base64');
}

export class SecretSealer {
  constructor(
    private readonly key: Buffer,
    private readonly vaultId: string,
    private readonly random: Random,
  ) {}

  seal(credentialId: string, version: number, value: string): { nonce: string; ciphertext: string } {
    const nonce = this.random.bytes(NONCE_BYTES);
    const ciphertext = aesGcmEncrypt(this.key, nonce, Buffer.from(value, 'utf8'), this.aad(credentialId, version));
    return { nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64') };
  }

  open(credentialId: string, version: number, sealed: { nonce: string; ciphertext: string }): string {
    const nonce = decodeBase64(sealed.nonce);
    const ciphertext = decodeBase64(sealed.ciphertext);
    // A value is 1 byte to 1 MiB, so a sealed one is at least 1 + 16 (tag) bytes; the nonce is exactly 12.
    if (!nonce || nonce.length !== NONCE_BYTES || !ciphertext || ciphertext.length < MIN_SEALED_BYTES)
      throw fail.corrupted('A stored secret value is malformed (wrong nonce or ciphertext size).');
    const plain = aesGcmDecrypt(this.key, nonce, ciphertext, this.aad(credentialId, version));
    if (!plain) throw fail.corrupted('A stored secret value failed its integrity check (it was moved or altered).');
    const text = plain.toString('utf8');
    plain.fill(0);
    return text;
  }

  private aad(credentialId: string, version: number): Buffer {
    return Buffer.from([SECRET_VALUE_LABEL, this.vaultId, credentialId, String(version)].join(AAD_SEPARATOR), 'utf8');
  }
}
