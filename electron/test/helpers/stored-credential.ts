/** A plain stored credential for tests of pure schedule logic (no crypto: the value is never read). */
import type { StoredCredential } from '../../core/vault/body.js';

let counter = 0;

/** The i-th UUID-shaped id, as stored ids are (only such a reference is taken for an id). */
export const uuidOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

export function storedCredential(createdAtMs: number, overrides: Partial<StoredCredential> = {}): StoredCredential {
  counter++;
  const at = new Date(createdAtMs).toISOString();
  return {
    id: `id-${counter}`,
    name: `cred-${counter}`,
    type: 'api_key',
    provider: '',
    description: '',
    tags: [],
    active: true,
    createdAt: at,
    updatedAt: at,
    lastRotatedAt: null,
    expiresAt: null,
    fields: {},
    versions: [{ version: 1, createdAt: at, stage: 'current', origin: 'initial', sealed: '' }],
    ...overrides,
  };
}
