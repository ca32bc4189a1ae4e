/**
 * A grant's keys (docs/vault-format.md, "Grants"): every grant has its own
 * random 32-byte key G, kept in the vault's body (so under the vault key).
 * Its token carries a 32-byte secret from which HKDF derives the key that
 * unwraps G from the grant's file; from G, HKDF derives the key that seals
 * what the grant covers and the keys that authenticate its uses and its
 * token's hash. No password KDF: the token is random, not a password.
 */
import { GRANT_TOKEN_PREFIX } from '../../../shared/grants.js';
import { aesGcmDecrypt, aesGcmEncrypt, constantTimeEqual, hkdfSha256, hmacSha256, KEY_BYTES, NONCE_BYTES } from '../crypto/primitives.js';
import type { Random } from '../ports/random.js';

export const GRANT_ID_BYTES = 12;
const SECRET_BYTES = 32;
const NUL = '\0';

export const GRANT_INFO = {
  wrap: 'keyward/grant/v1/wrap',
  contents: 'keyward/grant/v1/contents',
  tokenHash: 'keyward/grant/v1/token-hash',
  uses: 'keyward/grant/v1/uses',
} as const;

/** A token as it is read: which grant, and the secret that opens it. */
export interface ParsedToken {
  grantId: string;
  secret: Buffer;
}

/** `kwg_` ‖ base64url(grant id (12 bytes) ‖ secret (32 bytes)): 256 bits a guesser cannot reach. */
export function makeToken(grantId: string, random: Random): { token: string; secret: Buffer } {
  const secret = random.bytes(SECRET_BYTES);
  return { token: GRANT_TOKEN_PREFIX + Buffer.concat([Buffer.from(grantId, 'hex'), secret]).toString('base64url'), secret };
}

/** Null for anything that is not a well-formed token (its grant may still not exist). */
export function parseToken(token: string): ParsedToken | null {
  const text = token.trim();
  if (!text.startsWith(GRANT_TOKEN_PREFIX)) return null;
  const body = text.slice(GRANT_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return null;
  const bytes = Buffer.from(body, 'base64url');
  // One spelling per token: a last character that differs only in its unused bits is not the same token.
  if (bytes.length !== GRANT_ID_BYTES + SECRET_BYTES || bytes.toString('base64url') !== body) return null;
  return { grantId: bytes.subarray(0, GRANT_ID_BYTES).toString('hex'), secret: Buffer.from(bytes.subarray(GRANT_ID_BYTES)) };
}

export function newGrantId(random: Random): string {
  return random.bytes(GRANT_ID_BYTES).toString('hex');
}

export function newGrantKey(random: Random): Buffer {
  return random.bytes(KEY_BYTES);
}

/** The key that wraps G in the grant's file, from the token's secret alone. */
export function wrapKeyFromSecret(secret: Buffer, grantId: string): Buffer {
  return hkdfSha256(secret, Buffer.from(grantId, 'hex'), GRANT_INFO.wrap);
}

/** The keys G yields, one per purpose. */
export interface GrantSubkeys {
  contents: Buffer;
  tokenHash: Buffer;
  uses: Buffer;
}

export function grantSubkeys(grantKey: Buffer, grantId: string): GrantSubkeys {
  const salt = Buffer.from(grantId, 'hex');
  return { contents: hkdfSha256(grantKey, salt, GRANT_INFO.contents), tokenHash: hkdfSha256(grantKey, salt, GRANT_INFO.tokenHash), uses: hkdfSha256(grantKey, salt, GRANT_INFO.uses) };
}

/** What the vault keeps of a token: HMAC-SHA256 under G's token-hash key, hex. */
export function tokenHash(subkeys: GrantSubkeys, secret: Buffer): string {
  return hmacSha256(subkeys.tokenHash, secret).toString('hex');
}

export function tokenHashMatches(subkeys: GrantSubkeys, secret: Buffer, stored: string): boolean {
  return constantTimeEqual(Buffer.from(tokenHash(subkeys, secret), 'hex'), Buffer.from(stored, 'hex'));
}

/** The AAD of each sealed part of a grant file: its purpose, the vault, the grant, and (entries) the credential. */
export function grantAad(part: 'wrap' | 'manifest' | 'entry', vaultId: string, grantId: string, credentialId = ''): Buffer {
  return Buffer.from(`keyward/grant/v1/${part}${NUL}${vaultId}${NUL}${grantId}${part === 'entry' ? NUL + credentialId : ''}`, 'utf8');
}

/** nonce ‖ ciphertext ‖ tag, base64. */
export function sealPart(key: Buffer, plaintext: Buffer, aad: Buffer, random: Random): string {
  const nonce = random.bytes(NONCE_BYTES);
  return Buffer.concat([nonce, aesGcmEncrypt(key, nonce, plaintext, aad)]).toString('base64');
}

/** Null when it does not authenticate (a wrong key, another place, a changed byte). */
export function openPart(key: Buffer, sealed: string, aad: Buffer): Buffer | null {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < NONCE_BYTES + 16) return null;
  return aesGcmDecrypt(key, bytes.subarray(0, NONCE_BYTES), bytes.subarray(NONCE_BYTES), aad);
}
