/**
 * The v1 header (spec: docs/vault-format.md §3): UTF-8 JSON, validated field
 * by field on read. Anything unexpected is damage, and a KDF weaker than the
 * floor is refused, so a tampered header can neither weaken nor hang the KDF.
 */
import { KEY_BYTES, NONCE_BYTES } from '../../../crypto/primitives.js';
import { fail } from '../../../errors.js';

export const KDF_ALGORITHM = 'pbkdf2-hmac-sha256';
export const DEFAULT_KDF_ITERATIONS = 600_000;
/** Below this a header is refused: a tampered header must not be able to weaken the KDF. */
export const MIN_KDF_ITERATIONS = 100_000;
/** Above this a header is refused too: a tampered header must not be able to hang the app. */
export const MAX_KDF_ITERATIONS = 50_000_000;
export const SALT_BYTES = 32;

export interface KdfParams {
  algorithm: typeof KDF_ALGORITHM;
  iterations: number;
  /** base64 */
  salt: string;
}

export interface HeaderV1 {
  vaultId: string;
  createdAt: string;
  /** Incremented by every save: tells readers the file changed. */
  generation: number;
  kdf: KdfParams;
  /** Identifies the vault key (and its keychain entry). */
  keyId: string;
  /** The vault key, AES-256-GCM-encrypted under the password-derived key. */
  passwordWrap: { nonce: string; ciphertext: string };
  /** Whether a copy of the vault key is expected in the OS keychain. */
  keychain: boolean;
}

export function encodeHeader(header: HeaderV1): Buffer {
  return Buffer.from(JSON.stringify(header), 'utf8');
}

/** Parses and validates a v1 header. Anything unexpected is damage: CORRUPTED. */
export function decodeHeader(json: Buffer): HeaderV1 {
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch {
    throw fail.corrupted('The vault header is corrupted or tampered: it is not valid JSON.');
  }
  const h = raw as Partial<HeaderV1> | null;
  const bad = (what: string) => fail.corrupted(`The vault header is corrupted or tampered: ${what}.`);
  if (typeof h !== 'object' || h === null) throw bad('not an object');
  if (typeof h.vaultId !== 'string' || !/^[0-9a-f-]{36}$/.test(h.vaultId)) throw bad('invalid vault id');
  if (typeof h.keyId !== 'string' || !/^[0-9a-f-]{36}$/.test(h.keyId)) throw bad('invalid key id');
  if (typeof h.createdAt !== 'string') throw bad('invalid creation time');
  if (!Number.isSafeInteger(h.generation) || (h.generation as number) < 0) throw bad('invalid generation');
  if (typeof h.keychain !== 'boolean') throw bad('invalid keychain flag');
  const kdf = h.kdf;
  if (!kdf || kdf.algorithm !== KDF_ALGORITHM) throw bad('unknown key-derivation algorithm');
  if (!Number.isSafeInteger(kdf.iterations)) throw bad('invalid iteration count');
  if (kdf.iterations < MIN_KDF_ITERATIONS)
    throw bad(`${kdf.iterations} PBKDF2 iterations is below the minimum of ${MIN_KDF_ITERATIONS}; refusing to open a weakened vault`);
  if (kdf.iterations > MAX_KDF_ITERATIONS) throw bad('implausibly high iteration count');
  if (typeof kdf.salt !== 'string' || base64Length(kdf.salt) !== SALT_BYTES) throw bad('invalid salt');
  const wrap = h.passwordWrap;
  if (!wrap || typeof wrap.nonce !== 'string' || base64Length(wrap.nonce) !== NONCE_BYTES) throw bad('invalid key wrap');
  if (typeof wrap.ciphertext !== 'string' || base64Length(wrap.ciphertext) !== KEY_BYTES + 16) throw bad('invalid key wrap');
  return h as HeaderV1;
}

function base64Length(s: string): number {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return -1;
  return Buffer.from(s, 'base64').length;
}
