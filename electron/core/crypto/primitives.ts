/**
 * The only place Keyward calls cryptographic primitives. Everything is Node's
 * `crypto` (OpenSSL); nothing here is home-made. Keep this file small and boring.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, hkdfSync, pbkdf2, sign, timingSafeEqual, verify } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export const KEY_BYTES = 32; // AES-256
export const NONCE_BYTES = 12; // 96-bit GCM nonce (NIST SP 800-38D)
export const TAG_BYTES = 16;

/** PBKDF2-HMAC-SHA256. Runs on libuv's thread pool so the caller's event loop stays responsive. */
export async function pbkdf2Sha256(password: Buffer, salt: Buffer, iterations: number, length = KEY_BYTES): Promise<Buffer> {
  return pbkdf2Async(password, salt, iterations, length, 'sha256');
}

/** HKDF-SHA256 (RFC 5869): one purpose-specific subkey per `info` string. */
export function hkdfSha256(ikm: Buffer, salt: Buffer, info: string, length = KEY_BYTES): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info, 'utf8'), length));
}

/** AES-256-GCM. The caller supplies a fresh random nonce for every call. */
export function aesGcmEncrypt(key: Buffer, nonce: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const { ciphertext, tag } = aesGcmEncryptParts(key, nonce, plaintext, aad);
  return Buffer.concat([ciphertext, tag]);
}

/**
 * The same, with ciphertext and tag apart, so a large body is never copied
 * just to put its tag after it (writers write the parts one after another).
 */
export function aesGcmEncryptParts(key: Buffer, nonce: Buffer, plaintext: Buffer, aad: Buffer): { ciphertext: Buffer; tag: Buffer } {
  assertLengths(key, nonce);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = cipher.update(plaintext);
  const rest = cipher.final(); // empty for GCM, a stream mode
  return { ciphertext: rest.length ? Buffer.concat([ciphertext, rest]) : ciphertext, tag: cipher.getAuthTag() };
}

/** Returns null when authentication fails: callers decide what that means (wrong key vs. tampering). */
export function aesGcmDecrypt(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer | null {
  assertLengths(key, nonce);
  if (sealed.length < TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    const plaintext = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    const rest = decipher.final(); // verifies the tag; empty for GCM
    return rest.length ? Buffer.concat([plaintext, rest]) : plaintext;
  } catch {
    return null;
  }
}

/**
 * AES-256-GCM over large inputs, in steps of at most `stepBytes`: a generator
 * that yields after each step, so a caller on an event loop can pause there
 * (vault/pacing.ts). Ciphertext and plaintext stay in pieces, one per step
 * (joining them would copy all of it at once).
 */
export function* aesGcmEncryptSteps(key: Buffer, nonce: Buffer, plaintext: readonly Buffer[], aad: Buffer, stepBytes: number): Generator<void, { ciphertext: Buffer[]; tag: Buffer }, void> {
  assertLengths(key, nonce);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext: Buffer[] = [];
  for (const piece of plaintext)
    for (let at = 0; at < piece.length; at += stepBytes) {
      ciphertext.push(cipher.update(piece.subarray(at, at + stepBytes)));
      yield;
    }
  cipher.final(); // empty for GCM, a stream mode
  return { ciphertext, tag: cipher.getAuthTag() };
}

/**
 * Decryption in steps, as `aesGcmEncryptSteps`. The plaintext comes back in
 * pieces, and only once the tag has verified; on failure (null) the pieces
 * already decrypted are wiped.
 */
export function* aesGcmDecryptSteps(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer, stepBytes: number): Generator<void, Buffer[] | null, void> {
  assertLengths(key, nonce);
  if (sealed.length < TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const ciphertextLength = sealed.length - TAG_BYTES;
  const pieces: Buffer[] = [];
  for (let at = 0; at < ciphertextLength; at += stepBytes) {
    pieces.push(decipher.update(sealed.subarray(at, Math.min(at + stepBytes, ciphertextLength))));
    if (at + stepBytes < ciphertextLength) yield;
  }
  try {
    decipher.final(); // verifies the tag; empty for GCM
    return pieces;
  } catch {
    for (const piece of pieces) piece.fill(0);
    return null;
  }
}

export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

export function hmacSha256(key: Buffer, data: Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** An Ed25519 key pair made from a 32-byte seed (RFC 8032 §5.1.5): the same seed is always the same key. */
export interface Ed25519Signer {
  /** The raw 32-byte public key. */
  readonly publicKey: Buffer;
  sign(message: Buffer): Buffer;
}

// The fixed DER of a PKCS #8 Ed25519 private key before its 32-byte seed (RFC 8410 §7); Node takes keys only as DER, PEM or JWK.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function ed25519FromSeed(seed: Buffer): Ed25519Signer {
  if (seed.length !== 32) throw new Error('Ed25519 needs a 32-byte seed');
  const der = Buffer.concat([ED25519_PKCS8_PREFIX, seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return Object.freeze({ publicKey: Buffer.from(spki.subarray(ED25519_SPKI_PREFIX.length)), sign: (message: Buffer) => sign(null, message, privateKey) });
}

/** Whether `signature` is `publicKey`'s (raw 32 bytes) Ed25519 signature of `message`. */
export function ed25519Verify(publicKey: Buffer, message: Buffer, signature: Buffer): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  return verify(null, message, key, signature);
}

/** Constant-time equality; unequal lengths are simply unequal. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function assertLengths(key: Buffer, nonce: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error('AES-256-GCM needs a 32-byte key');
  if (nonce.length !== NONCE_BYTES) throw new Error('AES-256-GCM needs a 12-byte nonce');
}
