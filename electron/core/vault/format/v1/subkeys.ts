/**
 * Key separation: every purpose gets its own key, derived from the vault key with
 * HKDF-SHA256 (salt = vault id). A key is never used for two purposes, so a flaw
 * in how one purpose uses its key cannot expose another's data.
 */
import { hkdfSha256 } from '../../../crypto/primitives.js';
import { SUBKEY_PURPOSES } from './labels.js';

export type SubkeyPurpose = keyof typeof SUBKEY_PURPOSES;

export type Subkeys = Readonly<Record<SubkeyPurpose, Buffer>>;

export function deriveSubkeys(vaultKey: Buffer, vaultId: string): Subkeys {
  const salt = Buffer.from(vaultId, 'utf8');
  const entries = Object.entries(SUBKEY_PURPOSES).map(([purpose, info]) => [purpose, hkdfSha256(vaultKey, salt, info)]);
  return Object.freeze(Object.fromEntries(entries)) as Subkeys;
}
