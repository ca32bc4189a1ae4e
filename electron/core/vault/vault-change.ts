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
import { credentialById, noteCredentialChange, refileCredential } from './credential-index.js';
import { hasCredentialsOnDemand } from './credentials-on-demand.js';
import { nextStamp, type Stamp } from './hlc.js';
import { eventLoopPacer, type Pacer } from './pacing.js';

/** Every member of the body but the credentials and tombstones: small, and written whole when one of them changes. */
export type VaultBodyRest = Omit<VaultBody, 'credentials' | 'tombstones'>;

export interface VaultChange {
  /** Credentials added or changed, each whole as it now is. */
  readonly put: readonly StoredCredential[];
  /** Ids of the credentials deleted. */
  readonly removed: readonly string[];
  /** Where a credential put back in the middle of the list stands in it (an undone delete); others are appended. */
  readonly insertedAt?: Readonly<Record<string, number>>;
  /** The stamp of each deletion in `removed` (kept in the body's tombstones). */
  readonly tombstones?: Readonly<Record<string, Stamp>>;
  /** The body's other members as they now are, when one of them changed. */
  readonly rest?: VaultBodyRest;
}

export function isEmptyChange(change: VaultChange): boolean {
  return change.put.length === 0 && change.removed.length === 0 && change.rest === undefined;
}

interface Draft {
  readonly restBefore: string;
  /** The list as the change began, and its length: an edit of it that the API did not make shows up in either. */
  readonly listAtBegin: readonly StoredCredential[];
  /** Ids put, each with its credential as it now is, as it was (when it existed), and its place when inserted in the middle. */
  readonly put: Map<string, { credential: StoredCredential; before?: StoredCredential; at?: number }>;
  readonly removed: Set<string>;
  /** Credentials in the list at the end: the length at the start, plus those added, less those removed. */
  expectedLength: number;
}

const drafts = new WeakMap<VaultBody, Draft>();

function restOf(body: Readonly<VaultBody>): VaultBodyRest {
  const { credentials: _credentials, tombstones: _tombstones, ...rest } = body;
  return rest;
}

/** What a change is stamped with: the wall clock now, and this device (hlc.ts). */
export interface StampClock {
  wallMs: number;
  device: string;
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/** The members of a credential that carry their own stamp when they change (fields and versions by key and number). */
const STAMPED_MEMBERS = ['name', 'type', 'provider', 'description', 'tags', 'active', 'expiresAt', 'lastRotatedAt', 'rotation'] as const;

/**
 * The stamps of a credential after a change: a new one gets `*`; an edited
 * one keeps its stamps and gets `stamp` on each member, field and version that
 * differs from how it was (`*` too, if it had none: it was written before
 * stamps). A credential put back after a delete (no `before` here, stamps of
 * its own) counts as made anew.
 */
function stampsAfter(before: StoredCredential | undefined, after: StoredCredential, stamp: Stamp): Record<string, Stamp> {
  if (!before) return { ...after.stamps, '*': stamp };
  const stamps: Record<string, Stamp> = { '*': stamp, ...before.stamps };
  const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
  for (const member of STAMPED_MEMBERS) if (!same(before[member], after[member])) stamps[member] = stamp;
  for (const key of new Set([...Object.keys(before.fields), ...Object.keys(after.fields)]))
    if (before.fields[key] !== after.fields[key]) stamps[`fields.${key}`] = stamp;
  const versionsBefore = new Map(before.versions.map((v) => [v.version, v]));
  for (const v of after.versions) if (!same(versionsBefore.get(v.version), v)) stamps[`versions.${v.version}`] = stamp;
  for (const v of before.versions) if (!after.versions.some((x) => x.version === v.version)) stamps[`versions.${v.version}`] = stamp;
  return stamps;
}

/**
 * Deep-freezes a stored credential (and everything in it), so it can only
 * change by being replaced. Its known members are frozen one by one (a
 * generic walk allocates a list of values per object: at 100k credentials,
 * the difference shows in every unlock); anything else, deeply.
 */
export function freezeCredential(c: StoredCredential): StoredCredential {
  Object.freeze(c);
  Object.freeze(c.tags);
  Object.freeze(c.fields);
  Object.freeze(c.versions);
  if (c.stamps) Object.freeze(c.stamps);
  for (const v of c.versions) {
    Object.freeze(v);
    if (v.strength) deepFreeze(v.strength);
  }
  if (c.rotation) deepFreeze(c.rotation);
  for (const key in c) if (!KNOWN_MEMBERS.has(key)) deepFreeze((c as unknown as Record<string, unknown>)[key]);
  return c;
}

/** The members freezeCredential freezes by name; strings, numbers and booleans need nothing. */
const KNOWN_MEMBERS = new Set(['id', 'name', 'type', 'provider', 'description', 'tags', 'active', 'createdAt', 'updatedAt', 'lastRotatedAt', 'expiresAt', 'fields', 'versions', 'rotation', 'stamps']);

function deepFreeze<T>(value: T): T {
  // Recurses even into an object already frozen at the top: what matters is that nothing below can change.
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/**
 * Freezes every credential of a body just read or written. The list itself
 * stays an ordinary array (V8 scans and copies frozen arrays many times
 * slower): its type is read-only outside this module, and `endChange` checks
 * its length.
 */
export function freezeCredentials(body: VaultBody): VaultBody {
  // Decoded on demand: each chunk is frozen as it is decoded.
  if (hasCredentialsOnDemand(body)) return body;
  for (const c of body.credentials) freezeCredential(c);
  return body;
}

/** The same for a body just read, a thousand credentials at a time with the pacer's pauses between (pacing.ts): at 100k, freezing alone is tens of milliseconds. */
export async function freezeCredentialsPaced(body: VaultBody, pacer: Pacer = eventLoopPacer()): Promise<VaultBody> {
  if (hasCredentialsOnDemand(body)) return body;
  const list = body.credentials;
  for (let i = 0; i < list.length; i++) {
    freezeCredential(list[i]!);
    if (i % 1000 === 999) await pacer.pause();
  }
  return body;
}

/** Starts tracking what a transaction changes in `body`. */
export function beginChange(body: VaultBody): void {
  if (drafts.has(body)) throw new Error('A change is already open on this vault body.');
  drafts.set(body, { restBefore: JSON.stringify(restOf(body)), listAtBegin: listOf(body), put: new Map(), removed: new Set(), expectedLength: body.credentials.length });
}

/**
 * Ends tracking and returns what changed: each touched credential as it now
 * is, each removed id, and the rest if it changed. Throws (and the session
 * reloads from disk) when the list's length does not add up — a push or
 * splice behind the API — since such a change would never reach the file.
 */
export function endChange(body: VaultBody, clock?: StampClock): VaultChange {
  const draft = drafts.get(body);
  drafts.delete(body);
  if (!draft) throw new Error('No change is open on this vault body.');
  // The list's type is read-only outside this module; at run time, a push or splice behind the API shows
  // in its length. (Checking every element as well would cost the scan of the vault a save must not make.)
  if (body.credentials !== draft.listAtBegin || body.credentials.length !== draft.expectedLength)
    throw new Error('The credentials list was changed without putCredential/removeCredential: the change cannot be recorded.');
  const removed = [...draft.removed].filter((id) => !draft.put.has(id));
  // One stamp for what this change did to credentials (and the body remembers it as the newest).
  const stamp = clock && (draft.put.size || removed.length) ? nextStamp(body.lastStamp, clock.wallMs, clock.device) : undefined;
  if (stamp) body.lastStamp = stamp;
  const tombstones: Record<string, Stamp> = {};
  if (stamp) for (const id of removed) tombstones[id] = stamp;
  if (removed.length && stamp) body.tombstones = { ...body.tombstones, ...tombstones };
  const put: StoredCredential[] = [];
  const insertedAt: Record<string, number> = {};
  for (const [id, { credential, before, at }] of draft.put) {
    if (stamp && !Object.isFrozen(credential)) credential.stamps = stampsAfter(before, credential, stamp);
    if (body.tombstones?.[id]) body.tombstones = withoutKey(body.tombstones, id);
    freezeCredential(credential);
    refileCredential(body, credential);
    put.push(credential);
    if (at !== undefined) insertedAt[id] = body.credentials.indexOf(credential);
  }
  const rest = restOf(body);
  return {
    put,
    removed,
    ...(Object.keys(tombstones).length ? { tombstones } : {}),
    ...(Object.keys(insertedAt).length ? { insertedAt } : {}),
    ...(JSON.stringify(rest) !== draft.restBefore ? { rest: structuredClone(rest) } : {}),
  };
}

/** Drops an open change without a result (the transaction failed; the session reloads). */
export function abandonChange(body: VaultBody): void {
  drafts.delete(body);
}

/** The list itself, writable: only this module changes it (the body's type says read-only to everyone else). */
function listOf(body: Readonly<VaultBody>): StoredCredential[] {
  return body.credentials as StoredCredential[];
}

function draftOf(body: VaultBody): Draft {
  const draft = drafts.get(body);
  if (!draft) throw new Error('Credentials change only inside a vault transaction.');
  return draft;
}

function positionOf(body: Readonly<VaultBody>, c: StoredCredential): number {
  return body.credentials.indexOf(c);
}

/**
 * The credential with id `id`, made editable for this transaction: a deep copy
 * replaces it in the body and is returned; the change records it.
 */
export function editCredential(body: VaultBody, id: string): StoredCredential {
  const draft = draftOf(body);
  const current = credentialById(body, id);
  if (!current) throw fail.notFound('No such credential.');
  if (!Object.isFrozen(current) && draft.put.get(id)?.credential === current) return current;
  const copy = structuredClone(current);
  listOf(body)[positionOf(body, current)] = copy;
  noteCredentialChange(body, current, copy);
  draft.put.set(id, { before: current, ...draft.put.get(id), credential: copy });
  return copy;
}

/** Adds a new credential (at `at`, default the end), or replaces the one with its id. */
export function putCredential(body: VaultBody, c: StoredCredential, at?: number): void {
  const draft = draftOf(body);
  const current = credentialById(body, c.id);
  if (current) {
    listOf(body)[positionOf(body, current)] = c;
    draft.put.set(c.id, { before: current, ...draft.put.get(c.id), credential: c });
  } else {
    const place = at === undefined ? body.credentials.length : Math.min(Math.max(at, 0), body.credentials.length);
    // push at the end: V8's splice copies a large array even when it inserts after the last element.
    if (place === body.credentials.length) listOf(body).push(c);
    else listOf(body).splice(place, 0, c);
    draft.expectedLength++;
    draft.put.set(c.id, { credential: c, ...(place < body.credentials.length - 1 ? { at: place } : {}) });
  }
  noteCredentialChange(body, current, c);
  draft.removed.delete(c.id);
}

/** Adds many new credentials at the end at once (a seeder, an import). */
export function appendCredentials(body: VaultBody, credentials: readonly StoredCredential[]): void {
  const draft = draftOf(body);
  for (const c of credentials) if (credentialById(body, c.id)) throw new Error(`Credential ${c.id} is already in the vault.`);
  for (const c of credentials) {
    listOf(body).push(c);
    noteCredentialChange(body, undefined, c);
    draft.put.set(c.id, { credential: c });
    draft.removed.delete(c.id);
  }
  draft.expectedLength += credentials.length;
}

/** Removes a credential; returns it as it was. */
export function removeCredential(body: VaultBody, id: string): StoredCredential {
  const draft = draftOf(body);
  const removed = credentialById(body, id);
  if (!removed) throw fail.notFound('No such credential.');
  listOf(body).splice(positionOf(body, removed), 1);
  noteCredentialChange(body, removed, undefined);
  draft.expectedLength--;
  draft.put.delete(id);
  draft.removed.add(id);
  return removed;
}

/** Applies a change read from the file (another process's save) to a body. */
export function applyChange(body: VaultBody, change: VaultChange): void {
  applyChangeToCredentials(body, change);
  applyChangeBesideCredentials(body, change);
}

/** A change's credentials (put, removed, insertedAt) applied to the body's list: the first half of `applyChange`. */
export function applyChangeToCredentials(body: VaultBody, change: Pick<VaultChange, 'put' | 'removed' | 'insertedAt'>): void {
  if (change.put.length || change.removed.length) {
    const list = listOf(body);
    const inserted: StoredCredential[] = [];
    // A credential with a place given is (re)placed there, even one already in the list: the writer's order wins.
    const moved = new Set(change.put.filter((c) => change.insertedAt?.[c.id] !== undefined && credentialById(body, c.id)).map((c) => c.id));
    for (const c of change.put) {
      freezeCredential(c);
      const current = credentialById(body, c.id);
      if (current && !moved.has(c.id)) list[positionOf(body, current)] = c;
      else if (change.insertedAt?.[c.id] !== undefined) inserted.push(c);
      else list.push(c);
      noteCredentialChange(body, current, c);
    }
    if (change.removed.length || moved.size) {
      const removed = new Set(change.removed);
      for (const id of removed) noteCredentialChange(body, credentialById(body, id), undefined);
      // A moved credential's old entry goes; its new one is inserted below.
      body.credentials = list.filter((c) => !removed.has(c.id) && !(moved.has(c.id) && !Object.is(credentialById(body, c.id), c)));
    }
    // Put back where they stood, in the order of their places, as the writer's list had them.
    for (const c of inserted.sort((a, b) => change.insertedAt![a.id]! - change.insertedAt![b.id]!)) listOf(body).splice(Math.min(change.insertedAt![c.id]!, body.credentials.length), 0, c);
  }
}

/**
 * Everything else a change does — tombstones, and the body's other members
 * (`rest`) — which never reads the credentials: the second half of
 * `applyChange`, applied at once to a body whose credentials are decoded on
 * demand (credentials-on-demand.ts).
 */
export function applyChangeBesideCredentials(body: VaultBody, change: VaultChange): void {
  if (change.tombstones) body.tombstones = { ...body.tombstones, ...change.tombstones };
  // A credential put back (an undone delete) is no longer deleted.
  for (const c of change.put) if (body.tombstones?.[c.id]) body.tombstones = withoutKey(body.tombstones, c.id);
  if (change.rest) {
    // The rest is written whole: a member the writer no longer has goes here too.
    for (const key of Object.keys(body) as (keyof VaultBody)[]) if (key !== 'credentials' && key !== 'tombstones' && !(key in change.rest)) delete body[key];
    Object.assign(body, structuredClone(change.rest));
  }
}
