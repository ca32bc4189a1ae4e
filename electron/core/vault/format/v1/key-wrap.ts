/**
 * How the master password protects the vault key in v1 (spec:
 * docs/vault-format.md §§4–5): PBKDF2 turns the password into a key, which
 * wraps the vault key with AES-256-GCM bound to the header fields that decide
 * the derivation.
 */
import { aesGcmDecrypt, aesGcmEncrypt, pbkdf2Sha256 } from '../../../crypto/primitives.js';
import type { HeaderV1, KdfParams } from './header.js';
import { AAD_SEPARATOR, PASSWORD_WRAP_LABEL } from './labels.js';

/**
 * Every header field that decides how the password becomes a key is bound to
 * the wrapped key, so changing any of them makes unwrapping fail.
 */
function wrapAad(header: Pick<HeaderV1, 'vaultId' | 'keyId' | 'kdf'>): Buffer {
  const { vaultId, keyId, kdf } = header;
  return Buffer.from([PASSWORD_WRAP_LABEL, vaultId, keyId, kdf.algorithm, String(kdf.iterations), kdf.salt].join(AAD_SEPARATOR), 'utf8');
}

export async function derivePasswordKey(password: string, kdf: KdfParams): Promise<Buffer> {
  // NFC so that the same password typed on two systems (composed vs. decomposed accents) opens the vault.
  const utf8 = Buffer.from(password.normalize('NFC'), 'utf8');
  try {
    return await pbkdf2Sha256(utf8, Buffer.from(kdf.salt, 'base64'), kdf.iterations);
  } finally {
    // The JS string cannot be wiped; the bytes we made from it can.
    utf8.fill(0);
  }
}

export function wrapVaultKey(
  passwordKey: Buffer,
  nonce: Buffer,
  vaultKey: Buffer,
  header: Pick<HeaderV1, 'vaultId' | 'keyId' | 'kdf'>,
): HeaderV1['passwordWrap'] {
  const ciphertext = aesGcmEncrypt(passwordKey, nonce, vaultKey, wrapAad(header));
  return { nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/** Null when the password is wrong (or the bound header fields were changed). */
export function unwrapVaultKey(passwordKey: Buffer, header: HeaderV1): Buffer | null {
  return aesGcmDecrypt(
    passwordKey,
    Buffer.from(header.passwordWrap.nonce, 'base64'),
    Buffer.from(header.passwordWrap.ciphertext, 'base64'),
    wrapAad(header),
  );
}
