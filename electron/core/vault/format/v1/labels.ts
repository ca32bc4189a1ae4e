/**
 * Every domain-separation string of format v1, in one place: the HKDF info of
 * each subkey and the label that opens each AAD. They are bytes of the format
 * (changing one makes every existing vault unreadable), so they live here and
 * nowhere else; docs/vault-format.md §§ 4, 6 and 8 list them too.
 */

/** HKDF-SHA256 `info` per purpose (salt = the vault id). */
export const SUBKEY_PURPOSES = {
  body: 'keyward/v1/body',
  secrets: 'keyward/v1/secret-values',
  audit: 'keyward/v1/audit',
  backups: 'keyward/v1/backups',
  fingerprint: 'keyward/v1/value-fingerprint',
  /** Authenticates what a user's Keyward remembers of the vault outside it (seen-generations.ts); added with format v2. */
  seen: 'keyward/v2/seen-generations',
} as const;

/** First element of the wrapped vault key's AAD. */
export const PASSWORD_WRAP_LABEL = 'keyward/v1/password-wrap';

/** First element of each sealed secret value's AAD. */
export const SECRET_VALUE_LABEL = 'keyward/v1/secret';

/** The separator between the AAD's elements (none of them can contain it). */
export const AAD_SEPARATOR = '\0';
