/**
 * Encrypts each secret value on its own, bound (as AAD) to the vault, the
 * credential and the version it belongs to: a value copied into another entry,
 * another version or another vault fails to decrypt instead of being shown.
 *
 * A sealed value is nonce (12) ‖ ciphertext ‖ tag (16), held as a latin1
 * string (body.ts `SealedValue`); v1 files store it as two base64 strings
 * (body.ts of v1), v2 files as bytes.
 */
import { aesGcmDecrypt, aesGcmEncrypt, NONCE_BYTES, TAG_BYTES } from '../../../crypto/primitives.js';
import { fail } from '../../../errors.js';
import type { Random } from '../../../ports/random.js';
import type { SealedValue } from '../../body.js';
import { AAD_SEPARATOR, SECRET_VALUE_LABEL } from './labels.js';

/** A value is 1 byte to 1 MiB, so a sealed one is at least nonce + 1 + tag bytes. */
export const MIN_SEALED_BYTES = NONCE_BYTES + 1 + TAG_BYTES;

export class SecretSealer {
  constructor(
    private readonly key: Buffer,
    private readonly vaultId: string,
    private readonly random: Random,
  ) {}

  seal(credentialId: string, version: number, value: string): { sealed: SealedValue } {
    const nonce = this.random.bytes(NONCE_BYTES);
    const plain = Buffer.from(value, 'utf8');
    const ciphertext = aesGcmEncrypt(this.key, nonce, plain, this.aad(credentialId, version));
    plain.fill(0);
    return { sealed: Buffer.concat([nonce, ciphertext]).toString('latin1') };
  }

  open(credentialId: string, version: number, stored: { sealed: SealedValue }): string {
    const bytes = typeof stored.sealed === 'string' ? Buffer.from(stored.sealed, 'latin1') : null;
    if (!bytes || bytes.length < MIN_SEALED_BYTES) throw fail.corrupted('A stored secret value is malformed (too short to be a sealed value).');
    const plain = aesGcmDecrypt(this.key, bytes.subarray(0, NONCE_BYTES), bytes.subarray(NONCE_BYTES), this.aad(credentialId, version));
    if (!plain) throw fail.corrupted('A stored secret value failed its integrity check (it was moved or altered).');
    const text = plain.toString('utf8');
    plain.fill(0);
    return text;
  }

  private aad(credentialId: string, version: number): Buffer {
    return Buffer.from([SECRET_VALUE_LABEL, this.vaultId, credentialId, String(version)].join(AAD_SEPARATOR), 'utf8');
  }
}
