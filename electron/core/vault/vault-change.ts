/**
 * What one save changes, as the session hands it to the format. A format that
 * appends (v2) writes exactly this as one record, so a save costs the change,
 * not the vault; a format that rewrites (v1) ignores it and writes the state.
 *
 * Changes are tracked, not guessed: inside `transact` the stored credentials
 * and their list are frozen, so a credential can only change through
 * `editCredential`, `putCredential` or `removeCredential` below, which note
 * what they touched. Code that tries to change a credential in place throws
 * (TypeError) instead of changing memory that would never reach the file: a
 * caller cannot forget to declare what it touched. The body's other members
 * (settings, rotation policy, counters) are small and are compared whole.
 */
import { fail } from '../errors.js';
import type { StoredCredential, VaultBody } from './body.js';

/** Every member of the body but the credentials: small, and written whole when one of them changes. */
export type VaultBodyRest = Omit<VaultBody, 'credentials'>;

export interface VaultChange {
  /** Credentials added or changed, each whole as it now is. */
  readonly put: readonly StoredCredential[];
  /** Ids of the credentials deleted. */
  readonly removed: readonly string[];
  /** Where a credential put back in the middle of the list stands in it (an undone delete); others are appended. */
  readonly insertedAt?: Readonly<Record<string, number>>;
  /** The body's other members as they now are, when one of them changed. */
  readonly rest?: VaultBodyRest;
}

export function isEmptyChange(change: VaultChange): boolean {
  return change.put.length === 0 && change.removed.length === 0 && change.rest === undefined;
}

interface Draft {
  readonly restBefore: string;
  /** Ids put, each with its place when it was inserted in the middle. */
  readonly put: Map<string, number | true>;
  readonly removed: Set<string>;
}

const drafts = new WeakMap<VaultBody, Draft>();

function restOf(body: Readonly<VaultBody>): VaultBodyRest {
  const { credentials: _credentials, ...rest } = body;
  return rest;
}

/** Deep-freezes a stored credential (and everything in it), so it can only change by being replaced. */
export function freezeCredential(c: StoredCredential): StoredCredential {
  return deepFreeze(c);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/** Freezes every credential of a body just read or written (the credentials list too). */
export function freezeCredentials(body: VaultBody): VaultBody {
  for (const c of body.credentials) freezeCredential(c);
  Object.freeze(body.credentials);
  return body;
}

/** Starts tracking what a transaction changes in `body`. */
export function beginChange(body: VaultBody): void {
  if (drafts.has(body)) throw new Error('A change is already open on this vault body.');
  drafts.set(body, { restBefore: JSON.stringify(restOf(body)), put: new Map(), removed: new Set() });
}

/** Ends tracking and returns what changed: each touched credential as it now is, each removed id, and the rest if it changed. */
export function endChange(body: VaultBody): VaultChange {
  const draft = drafts.get(body);
  drafts.delete(body);
  if (!draft) throw new Error('No change is open on this vault body.');
  const byId = new Map<string, StoredCredential>();
  if (draft.put.size) for (const c of body.credentials) if (draft.put.has(c.id)) byId.set(c.id, c);
  for (const c of byId.values()) freezeCredential(c);
  Object.freeze(body.credentials);
  const rest = restOf(body);
  const insertedAt: Record<string, number> = {};
  for (const [id, at] of draft.put) if (at !== true && byId.has(id)) insertedAt[id] = body.credentials.indexOf(byId.get(id)!);
  return {
    put: [...byId.values()],
    removed: [...draft.removed].filter((id) => !byId.has(id)),
    ...(Object.keys(insertedAt).length ? { insertedAt } : {}),
    ...(JSON.stringify(rest) !== draft.restBefore ? { rest: structuredClone(rest) } : {}),
  };
}

/** Drops an open change without a result (the transaction failed; the session reloads). */
export function abandonChange(body: VaultBody): void {
  drafts.delete(body);
}

function draftOf(body: VaultBody): Draft {
  const draft = drafts.get(body);
  if (!draft) throw new Error('Credentials change only inside a vault transaction.');
  return draft;
}

function indexOf(body: Readonly<VaultBody>, id: string): number {
  return body.credentials.findIndex((c) => c.id === id);
}

/** A copy of the list with `index` replaced (or `c` inserted/appended): the frozen list itself never changes. */
function withCredentials(body: VaultBody, edit: (list: StoredCredential[]) => void): void {
  const list = body.credentials.slice();
  edit(list);
  body.credentials = list;
}

/**
 * The credential with id `id`, made editable for this transaction: a deep copy
 * replaces it in the body and is returned; the change records it.
 */
export function editCredential(body: VaultBody, id: string): StoredCredential {
  const draft = draftOf(body);
  const index = indexOf(body, id);
  if (index < 0) throw fail.notFound('No such credential.');
  const current = body.credentials[index]!;
  if (draft.put.has(id) && !Object.isFrozen(current)) return current;
  const copy = structuredClone(current);
  withCredentials(body, (list) => void (list[index] = copy));
  draft.put.set(id, true);
  return copy;
}

/** Adds a new credential (at `at`, default the end), or replaces the one with its id. */
export function putCredential(body: VaultBody, c: StoredCredential, at?: number): void {
  const draft = draftOf(body);
  const index = indexOf(body, c.id);
  withCredentials(body, (list) => {
    if (index >= 0) list[index] = c;
    else list.splice(at === undefined ? list.length : Math.min(Math.max(at, 0), list.length), 0, c);
  });
  draft.put.set(c.id, index < 0 && at !== undefined ? at : true);
  draft.removed.delete(c.id);
}

/** Adds many new credentials at the end at once (a seeder, an import): one copy of the list, not one per credential. */
export function appendCredentials(body: VaultBody, credentials: readonly StoredCredential[]): void {
  const draft = draftOf(body);
  const known = new Set(body.credentials.map((c) => c.id));
  for (const c of credentials) if (known.has(c.id)) throw new Error(`Credential ${c.id} is already in the vault.`);
  body.credentials = [...body.credentials, ...credentials];
  for (const c of credentials) {
    draft.put.set(c.id, true);
    draft.removed.delete(c.id);
  }
}

/** Removes a credential; returns it as it was. */
export function removeCredential(body: VaultBody, id: string): StoredCredential {
  const draft = draftOf(body);
  const index = indexOf(body, id);
  if (index < 0) throw fail.notFound('No such credential.');
  const removed = body.credentials[index]!;
  withCredentials(body, (list) => void list.splice(index, 1));
  draft.put.delete(id);
  draft.removed.add(id);
  return removed;
}

/** Applies a change read from the file (another process's save) to a body. */
export function applyChange(body: VaultBody, change: VaultChange): void {
  if (change.put.length || change.removed.length) {
    const list = body.credentials.slice();
    const index = new Map(list.map((c, i) => [c.id, i]));
    const inserted: StoredCredential[] = [];
    for (const c of change.put) {
      const at = index.get(c.id);
      freezeCredential(c);
      if (at !== undefined) list[at] = c;
      else if (change.insertedAt?.[c.id] !== undefined) inserted.push(c);
      else index.set(c.id, list.push(c) - 1);
    }
    const removed = new Set(change.removed);
    const kept = removed.size ? list.filter((c) => !removed.has(c.id)) : list;
    // Put back where they stood, in the order of their places, as the writer's list had them.
    for (const c of inserted.sort((a, b) => change.insertedAt![a.id]! - change.insertedAt![b.id]!)) kept.splice(Math.min(change.insertedAt![c.id]!, kept.length), 0, c);
    body.credentials = kept;
    Object.freeze(body.credentials);
  }
  if (change.rest) Object.assign(body, structuredClone(change.rest));
}
