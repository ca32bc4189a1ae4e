/**
 * Key separation: every purpose gets its own key, derived from the vault key with
 * HKDF-SHA256 (salt = vault id). A key is never used for two purposes, so a flaw
 * in how one purpose uses its key cannot expose another's data.
 */
import { hkdfSha256 } from './primitives.js';

export const SUBKEY_PURPOSES = {
  body: 'keyward/v1/body',
  secrets: 'keyward/v1/secret-values',
  audit: 'keyward/v1/audit',
  backups: 'keyward/v1/backups',
  fingerprint: 'keyward/v1/value-fingerprint',
} as const;

export type SubkeyPurpose = keyof typeof SUBKEY_PURPOSES;

export type Subkeys = Readonly<Record<SubkeyPurpose, Buffer>>;

export function deriveSubkeys(vaultKey: Buffer, vaultId: string): Subkeys {
  const salt = Buffer.from(vaultId, 'utf8');
  const entries = Object.entries(SUBKEY_PURPOSES).map(([purpose, info]) => [purpose, hkdfSha256(vaultKey, salt, info)]);
  return Object.freeze(Object.fromEntries(entries)) as Subkeys;
}

/** Overwrite key material we are done with (best effort: the GC may hold copies). */
export function wipe(...buffers: Buffer[]): void {
  for (const b of buffers) b.fill(0);
}
