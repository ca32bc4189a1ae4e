/**
 * Resolving secret references (references.ts) against an open vault: each
 * value through the vault's audited door (a `reveal`, a field through
 * `show`), so every use is in the audit trail. A reference to no credential,
 * to a field it does not have, or one that could mean two things, is refused
 * before any value is read.
 */
import { fail } from '../errors.js';
import type { UnlockedVault } from '../service/vault-lifecycle.js';
import { credentialsNamedLike } from '../vault/credential-index.js';
import { candidates, type SecretReference } from './references.js';

export interface ResolvedReference {
  ref: SecretReference;
  name: string;
  field?: string;
}

/** Which credential (and field) each reference means; refused (NOT_FOUND, BAD_REQUEST) before anything is read. */
export function locate(vault: UnlockedVault, refs: readonly SecretReference[]): ResolvedReference[] {
  return refs.map((ref) => {
    const meant = candidates(ref).filter((c) => {
      const [credential] = credentialsNamedLike(vault.state, c.name);
      return credential !== undefined && (c.field === undefined || Object.hasOwn(credential.fields, c.field));
    });
    if (meant.length === 0) throw fail.notFound(`${ref.text} names no credential${ref.text.includes('/') && ref.text.startsWith('kw://') ? ' (nor a field of one)' : ''} in this vault.`);
    if (meant.length > 1)
      throw fail.badRequest(`${ref.text} could mean the credential "${meant[0]!.name}" or the field "${meant[1]!.field}" of "${meant[1]!.name}": write the name's / as %2F for the first.`);
    return { ref, ...meant[0]! };
  });
}

/** The value each located reference stands for, in order: the credential's current value, or the field. */
export async function readReferences(vault: UnlockedVault, located: readonly ResolvedReference[]): Promise<string[]> {
  const values: string[] = [];
  for (const r of located) values.push(r.field === undefined ? await vault.credentials.reveal(r.name) : ((await vault.credentials.show(r.name)).fields[r.field] ?? ''));
  return values;
}
