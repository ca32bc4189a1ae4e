/**
 * The v1 body encoding (spec: docs/vault-format.md §7): the body model as
 * UTF-8 JSON, sealed whole by file-layout.ts. Each version's sealed value is
 * stored as two standard base64 strings, `nonce` and `ciphertext` (with its tag).
 */
import { NONCE_BYTES } from '../../../crypto/primitives.js';
import { fail } from '../../../errors.js';
import { BODY_SCHEMA, DEFAULT_SETTINGS, defaultRotationPolicy, type SealedValue, type StoredCredential, type VaultBody } from '../../body.js';

export function encodeBody(body: VaultBody): Buffer {
  return Buffer.from(JSON.stringify({ ...body, credentials: body.credentials.map(withBase64Values) }), 'utf8');
}

/**
 * The body has already authenticated (GCM), so a shape error means a bug or a
 * newer schema, not an attacker; still refuse rather than guess.
 */
export function decodeBody(plaintext: Buffer): VaultBody {
  let raw: unknown;
  try {
    raw = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw fail.corrupted('The vault body could not be read.');
  }
  return bodyFromJson(raw);
}

/**
 * A body from its parsed JSON, checked and with defaults filled in; each
 * version's base64 pair becomes its sealed value unless `valuesResolved`
 * (format v2 stores the values apart and has resolved them already).
 */
export function bodyFromJson(raw: unknown, options: { valuesResolved?: boolean } = {}): VaultBody {
  const body = raw as VaultBody;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.credentials))
    throw fail.corrupted('The vault body has an unexpected shape.');
  // A missing schema is the first one (schema 1); anything but a positive integer (null included) is damage.
  const schema: unknown = 'schema' in body ? (body as { schema: unknown }).schema : BODY_SCHEMA;
  if (!Number.isSafeInteger(schema) || (schema as number) < 1) throw fail.corrupted('The vault body has an invalid schema number.');
  if ((schema as number) > BODY_SCHEMA)
    throw fail.corrupted(`The vault body uses schema ${schema as number}, newer than this Keyward understands. Update Keyward.`);
  body.schema = schema as number;
  body.settings = { ...DEFAULT_SETTINGS, ...(body.settings ?? {}) };
  body.encryptions ??= { body: 0, secrets: 0 };
  body.rotation ??= defaultRotationPolicy();
  if (!options.valuesResolved) for (const c of body.credentials) fromBase64Values(c);
  return body;
}

/** v1's stored version: the sealed value as base64 `nonce` and `ciphertext` (+ tag). */
interface V1Sealed {
  nonce?: unknown;
  ciphertext?: unknown;
  sealed?: SealedValue;
}

function withBase64Values(c: StoredCredential): object {
  return {
    ...c,
    versions: c.versions.map(({ sealed, ...v }) => {
      const bytes = Buffer.from(sealed, 'latin1');
      return { ...v, nonce: bytes.subarray(0, NONCE_BYTES).toString('base64'), ciphertext: bytes.subarray(NONCE_BYTES).toString('base64') };
    }),
  };
}

/**
 * Turns each version's base64 pair into the sealed value, in place. A pair
 * that is not standard padded base64 (RFC 4648 §4) or the wrong size becomes
 * an empty value, refused (CORRUPTED) when that one value is opened: one
 * damaged value never keeps the rest of the vault from opening.
 */
export function fromBase64Values(c: StoredCredential): void {
  if (!Array.isArray(c?.versions)) return;
  for (const v of c.versions as V1Sealed[]) {
    const nonce = decodeBase64(v.nonce);
    const ciphertext = decodeBase64(v.ciphertext);
    v.sealed = nonce && nonce.length === NONCE_BYTES && ciphertext ? Buffer.concat([nonce, ciphertext]).toString('latin1') : '';
    delete v.nonce;
    delete v.ciphertext;
  }
}

function decodeBase64(text: unknown): Buffer | null {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  return Buffer.from(text, 'base64');
}
