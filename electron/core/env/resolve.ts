/**
 * Resolving secret references (references.ts) against where secrets come
 * from: the vault, opened by its owner (each value through the vault's
 * audited door: a `reveal`, a field through `show`), or a grant's token (only
 * what the grant covers, each use recorded under the grant's name). A
 * reference to no credential, to a field it does not have, or one that could
 * mean two things, is refused before any value is read.
 */
import { fail } from '../errors.js';
import type { GrantAccess } from '../grants/grant-access.js';
import type { UnlockedVault } from '../service/vault-lifecycle.js';
import { credentialsNamedLike } from '../vault/credential-index.js';
import { candidates, type SecretReference } from './references.js';

/** Where references are resolved: what it holds, and each value or field by name. */
export interface SecretSource {
  /** The fields of the credential `name` names, or null when it names none here. */
  fieldsOf(name: string): Readonly<Record<string, string>> | null;
  /** The credential's current value, for a program (`run`) or for the caller itself (`value`). */
  value(name: string, purpose: 'run' | 'value'): Promise<string>;
  field(name: string, field: string): Promise<string>;
  /** Which vault or grant, in a refusal ("in this vault", "the grant "ci" covers"). */
  readonly where: string;
  /**
   * Several values at once, when the source would rather be asked once (the
   * running app: one approval for all of them); `command` is the program they
   * are for, when Keyward runs one.
   */
  values?(names: string[], purpose: 'run' | 'value', command?: string[]): Promise<string[]>;
  /** Fetches what `fieldsOf` will be asked about these names, when the source is elsewhere (the running app). */
  prepare?(names: string[]): Promise<void>;
}

export function vaultSource(vault: UnlockedVault): SecretSource {
  return {
    where: 'in this vault',
    fieldsOf: (name) => credentialsNamedLike(vault.state, name)[0]?.fields ?? null,
    // Written out (env, inject) or injected into a program (run): the custom rules judge the credential reveal opens.
    value: (name, purpose) => vault.credentials.reveal(name, undefined, purpose === 'value' ? 'export' : 'run'),
    field: async (name, field) => (await vault.credentials.show(name)).fields[field] ?? '',
  };
}

export function grantSource(access: GrantAccess): SecretSource {
  return {
    where: `that the grant "${access.name}" covers`,
    fieldsOf: (name) => (access.covers(name) ? access.find(name).fields : null),
    value: (name, purpose) => access.value(name, purpose),
    field: async (name, field) => {
      // A field is metadata: a viewer may read it, recorded like the vault's `show`.
      await access.check('metadata', 'show');
      const credential = access.find(name);
      await access.record('show', credential.id);
      return credential.fields[field] ?? '';
    },
  };
}

export interface ResolvedReference {
  ref: SecretReference;
  name: string;
  field?: string;
}

/** Which credential (and field) each reference means; refused (NOT_FOUND, BAD_REQUEST) before anything is read. */
export async function locate(source: SecretSource, refs: readonly SecretReference[]): Promise<ResolvedReference[]> {
  if (source.prepare && refs.length) await source.prepare([...new Set(refs.flatMap((ref) => candidates(ref).map((c) => c.name)))]);
  return refs.map((ref) => {
    const meant = candidates(ref).filter((c) => {
      const fields = source.fieldsOf(c.name);
      return fields !== null && (c.field === undefined || Object.hasOwn(fields, c.field));
    });
    if (meant.length === 0) throw fail.notFound(`${ref.text} names no credential${ref.text.includes('/') && ref.text.startsWith('kw://') ? ' (nor a field of one)' : ''} ${source.where}.`);
    if (meant.length > 1)
      throw fail.badRequest(`${ref.text} could mean the credential "${meant[0]!.name}" or the field "${meant[1]!.field}" of "${meant[1]!.name}": write the name's / as %2F for the first.`);
    return { ref, ...meant[0]! };
  });
}

/** The value each located reference stands for, in order: the credential's current value, or the field. */
export async function readReferences(source: SecretSource, located: readonly ResolvedReference[], purpose: 'run' | 'value', command?: string[]): Promise<string[]> {
  const wanted = located.filter((r) => r.field === undefined).map((r) => r.name);
  const batch = source.values && wanted.length ? await source.values(wanted, purpose, command) : null;
  let next = 0;
  const values: string[] = [];
  for (const r of located) values.push(r.field !== undefined ? await source.field(r.name, r.field) : batch ? batch[next++]! : await source.value(r.name, purpose));
  return values;
}
