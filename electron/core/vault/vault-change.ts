/**
 * What one save changes, as the session hands it to the format. A format that
 * appends (v2) writes exactly this as one record, so a save costs the change,
 * not the vault; a format that rewrites (v1) ignores it and writes the state.
 *
 * `transact` computes it from the draft the change ran on (credentials whose
 * object was replaced, added or deleted; the body's other members when any of
 * them changed), so a caller cannot forget to declare what it touched.
 */
import type { VaultBody, StoredCredential } from './body.js';

/**
 * A hybrid-logical-clock stamp with the device that made it:
 * `<wall ms, 13 digits>.<counter, 4 digits>@<device id>`, so stamps compare as
 * strings in time order (docs/vault-format.md, "Merging copies").
 */
export type Stamp = string;

/** A deleted credential, kept so a merge can tell "deleted" from "never seen". */
export interface Tombstone {
  id: string;
  stamp: Stamp;
}

/** Every member of the body but the credentials: small, and written whole when one of them changes. */
export type VaultBodyRest = Omit<VaultBody, 'credentials'>;

export interface VaultChange {
  /** Credentials added or changed, each whole as it now is. */
  readonly put: readonly StoredCredential[];
  /** Credentials deleted, each with the stamp of its deletion. */
  readonly removed: readonly Tombstone[];
  /** The body's other members as they now are, when one of them changed. */
  readonly rest?: VaultBodyRest;
}

export function isEmptyChange(change: VaultChange): boolean {
  return change.put.length === 0 && change.removed.length === 0 && change.rest === undefined;
}
