/**
 * Lookups by id and by name in constant time, so getting one credential does
 * not scan the vault. One index per body, built on first use and kept up to
 * date by the only code that changes a body's credentials (vault-change.ts).
 */
import type { StoredCredential, VaultBody } from './body.js';
import { byIdOnDemand, eachCredentialOnDemand, namedLikeOnDemand } from './credentials-on-demand.js';

/**
 * What two names are compared by when deciding whether they clash: a person
 * cannot tell "STRIPE-PROD" from "stripe-prod" in a list, so case does not count.
 * (Vaults written before this rule may hold such pairs; they still open.)
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

interface CredentialIndex {
  readonly byId: Map<string, StoredCredential>;
  /** By nameKey; more than one only in vaults written before names had to differ by more than case. */
  readonly byKey: Map<string, StoredCredential[]>;
  /** The key each id is filed under (a credential edited in a transaction may have been renamed since). */
  readonly keyOf: Map<string, string>;
}

const indexes = new WeakMap<Readonly<VaultBody>, CredentialIndex>();

function indexFor(body: Readonly<VaultBody>): CredentialIndex {
  // Read first: a body decoded on demand builds its index while the changes after its snapshot are applied, in the
  // order an eager read's has (an edited credential is filed again at the end), and that index is the one to use.
  const list = body.credentials;
  let index = indexes.get(body);
  if (!index) {
    index = { byId: new Map(), byKey: new Map(), keyOf: new Map() };
    for (const c of list) add(index, c);
    indexes.set(body, index);
  }
  return index;
}

function add(index: CredentialIndex, c: StoredCredential): void {
  index.byId.set(c.id, c);
  const key = nameKey(c.name);
  index.keyOf.set(c.id, key);
  const named = index.byKey.get(key);
  if (named) named.push(c);
  else index.byKey.set(key, [c]);
}

function drop(index: CredentialIndex, c: StoredCredential): void {
  const filed = index.byId.get(c.id);
  if (filed === c) index.byId.delete(c.id);
  const key = index.keyOf.get(c.id) ?? nameKey(c.name);
  if (filed === c) index.keyOf.delete(c.id);
  const named = index.byKey.get(key)?.filter((x) => x !== c);
  if (named?.length) index.byKey.set(key, named);
  else index.byKey.delete(key);
}

/** The credential with this id, if any. */
export function credentialById(body: Readonly<VaultBody>, id: string): StoredCredential | undefined {
  // A body not decoded yet answers from its index and the one chunk (credentials-on-demand.ts).
  const onDemand = byIdOnDemand(body, id);
  if (onDemand !== undefined) return onDemand ?? undefined;
  return indexFor(body).byId.get(id);
}

/** Every credential whose name has this name's key (same name but for case, spacing and normalisation). */
export function credentialsNamedLike(body: Readonly<VaultBody>, name: string): readonly StoredCredential[] {
  const key = nameKey(name);
  const onDemand = namedLikeOnDemand(body, key, nameKey);
  if (onDemand) return [onDemand];
  return indexFor(body).byKey.get(key) ?? [];
}

/**
 * Visits every credential in the list's order. A body not decoded yet is read
 * a chunk at a time and keeps none of them (credentials-on-demand.ts): what a
 * scan that only reads — a list, a search — uses, so that the CLI listing 50k
 * credentials never holds them all.
 */
export function eachCredential(body: Readonly<VaultBody>, visit: (c: StoredCredential) => void): void {
  if (!eachCredentialOnDemand(body, visit)) for (const c of body.credentials) visit(c);
}

/** Keeps an index that exists in step with a change of the body's credentials (an absent one is built when first asked). */
export function noteCredentialChange(body: Readonly<VaultBody>, removed: StoredCredential | undefined, added: StoredCredential | undefined): void {
  const index = indexes.get(body);
  if (!index) return;
  if (removed) drop(index, removed);
  if (added) add(index, added);
}

/** Files a credential again under its current name (it was renamed while editable in a transaction). */
export function refileCredential(body: Readonly<VaultBody>, c: StoredCredential): void {
  const index = indexes.get(body);
  if (!index || index.byId.get(c.id) !== c) return;
  drop(index, c);
  add(index, c);
}
