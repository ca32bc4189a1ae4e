/**
 * The v1 body encoding (spec: docs/vault-format.md §7): the body model as
 * UTF-8 JSON, sealed whole by file-layout.ts.
 */
import { fail } from '../../../errors.js';
import { BODY_SCHEMA, DEFAULT_SETTINGS, defaultRotationPolicy, type VaultBody } from '../../body.js';

export function encodeBody(body: VaultBody): Buffer {
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/**
 * The body has already authenticated (GCM), so a shape error means a bug or a
 * newer schema, not an attacker; still refuse rather than guess.
 */
export function decodeBody(plaintext: Buffer): VaultBody {
  let body: VaultBody;
  try {
    body = JSON.parse(plaintext.toString('utf8')) as VaultBody;
  } catch {
    throw fail.corrupted('The vault body could not be read.');
  }
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
  return body;
}
