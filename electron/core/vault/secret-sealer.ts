/**
 * Encrypts each secret value on its own, bound (as AAD) to the vault, the
 * credential and the version it belongs to: a value copied into another entry,
 * another version or another vault fails to decrypt instead of being shown.
 */
import { aesGcmDecrypt, aesGcmEncrypt, NONCE_BYTES } from '../crypto/primitives.js';
import type { Random } from '../ports/random.js';
import { fail } from '../errors.js';

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
    const plain = aesGcmDecrypt(
      this.key,
      Buffer.from(sealed.nonce, 'base64'),
      Buffer.from(sealed.ciphertext, 'base64'),
      this.aad(credentialId, version),
    );
    if (!plain) throw fail.corrupted('A stored secret value failed its integrity check (it was moved or altered).');
    const text = plain.toString('utf8');
    plain.fill(0);
    return text;
  }

  private aad(credentialId: string, version: number): Buffer {
    return Buffer.from(['keyward/v1/secret', this.vaultId, credentialId, String(version)].join('\0'), 'utf8');
  }
}
