/** A plain stored credential for tests of pure schedule logic (no crypto: the value is never read). */
import type { StoredCredential } from '../../core/vault/body.js';

let counter = 0;

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
