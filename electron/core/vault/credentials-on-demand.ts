/**
 * A body whose credentials are decoded when first needed (issue 11): the CLI
 * asking for one credential of 100,000 decodes the chunk of 500 that holds it,
 * not the vault. Opened from a snapshot with an index (records.ts, encoding
 * 0x03) and the change records after it.
 *
 * The body looks like any other: `body.credentials` is an accessor that, on
 * first use, decodes every chunk, applies the changes' credentials, and turns
 * itself into a plain array — so code that needs the whole list (a save, a
 * health scan) gets exactly the body an eager read gives, and nothing but the
 * functions below knows the difference. The lookups by id and by name
 * (credential-index.ts) answer from the index, the chunks they need, and the
 * changes replayed over them; whatever they cannot settle alone (a name that
 * more than one credential answers to, or none) makes the whole list. A scan
 * that only reads (a list, a search) visits a chunk at a time and keeps none;
 * the app decodes every chunk in the background after its unlock; a lock drops
 * what is kept. The rest of each change (settings, policy, grants,
 * tombstones) is applied at open, as an eager read does.
 */
import type { StoredCredential, VaultBody } from './body.js';
import type { Pacer } from './pacing.js';

/** The snapshot's credentials, a chunk at a time (records.ts `openIndexedSnapshot`). */
export interface CredentialChunks {
  /** How many chunks there are. */
  readonly length: number;
  /** Chunk i's credentials as [id, name key] (credential-index.ts `nameKey`), in order, from the index. */
  entries(i: number): readonly (readonly [string, string])[];
  /** The chunks whose index entry may hold `text` as an id or a key (a cheap filter: check with `entries`). */
  mentioning(text: string): number[];
  /** Whether the index's name keys compare with this reader's (all ASCII, or made under its Unicode version). */
  readonly keysComparable: boolean;
  /** Chunk i's credentials, decoded, checked against the index. */
  decode(i: number): StoredCredential[];
  /** Wipes the plaintext kept for decoding. */
  wipe(): void;
}

/** A change's credential part, as the change records after the snapshot hold it (vault-change.ts `VaultChange`). */
export interface CredentialChangePart {
  readonly put: readonly StoredCredential[];
  readonly removed: readonly string[];
  /** Where a put credential goes back in the list (an undone delete), by id. */
  readonly insertedAt?: Readonly<Record<string, number>>;
}

interface Pending {
  readonly chunks: CredentialChunks;
  readonly decoded: (StoredCredential[] | undefined)[];
  readonly changes: readonly CredentialChangePart[];
  /** Freezes a credential just decoded, as an eager read's are. */
  readonly freeze: (c: StoredCredential) => StoredCredential;
  /** Applies one change's credentials to the body once its list is whole (vault-change.ts). */
  readonly applyCredentials: (body: VaultBody, change: CredentialChangePart) => void;
  /** How many credentials there are, once counted (the body cannot change while on demand: a change decodes it first). */
  count?: number;
  /** The snapshot's ids, once read from the whole index; null when it files an id twice (a damaged vault). */
  ids?: ReadonlySet<string> | null;
}

const pending = new WeakMap<VaultBody, Pending>();

/**
 * Every id the snapshot's index files (each entry parsed: for a count or a
 * scan, not for a lookup); null when one is filed twice, a damaged vault that
 * the whole list answers for, as an eager read would.
 */
function snapshotIds(state: Pending): ReadonlySet<string> | null {
  if (state.ids === undefined) {
    const ids = new Set<string>();
    let count = 0;
    for (let i = 0; i < state.chunks.length; i++) {
      const entries = state.chunks.entries(i);
      count += entries.length;
      for (let j = 0; j < entries.length; j++) ids.add(entries[j]![0]);
    }
    state.ids = ids.size === count ? ids : null;
  }
  return state.ids;
}

function chunk(state: Pending, i: number): StoredCredential[] {
  let list = state.decoded[i];
  if (!list) state.decoded[i] = list = state.chunks.decode(i).map(state.freeze);
  return list;
}

/**
 * Makes `body` (its head read, `credentials` absent) a body whose credentials
 * come from `chunks` with `changes` applied, when first used. `freeze` is
 * applied to every credential decoded (they are frozen as an eager read's are).
 */
export function withCredentialsOnDemand(
  body: Omit<VaultBody, 'credentials'>,
  chunks: CredentialChunks,
  changes: readonly CredentialChangePart[],
  hooks: { freeze: (c: StoredCredential) => StoredCredential; applyCredentials: (body: VaultBody, change: CredentialChangePart) => void },
): VaultBody {
  const whole = body as VaultBody;
  const state: Pending = { chunks, decoded: new Array(chunks.length), changes, ...hooks };
  pending.set(whole, state);
  Object.defineProperty(whole, 'credentials', {
    enumerable: true,
    configurable: true,
    get: () => materialize(whole),
    // Assigning a list settles the question: the chunks are no longer needed.
    set: (list: readonly StoredCredential[]) => settle(whole, list),
  });
  return whole;
}

function materialize(body: VaultBody): readonly StoredCredential[] {
  const state = pending.get(body);
  if (!state) return body.credentials;
  const list: StoredCredential[] = [];
  for (let i = 0; i < state.decoded.length; i++) for (const c of chunk(state, i)) list.push(c);
  // Settled before the changes are applied: applying them reads the list (and its index) as a plain body's.
  settle(body, list);
  for (const change of state.changes) state.applyCredentials(body, change);
  return body.credentials;
}

/** Makes `list` the body's plain list, and wipes what was kept for decoding. */
function settle(body: VaultBody, list: readonly StoredCredential[]): void {
  pending.get(body)?.chunks.wipe();
  pending.delete(body);
  Object.defineProperty(body, 'credentials', { value: list, writable: true, enumerable: true, configurable: true });
}

/**
 * Decodes the body's credentials a chunk at a time, pausing with `pacer` in
 * between, until its list is whole (the app, after an unlock: the session is
 * usable at once, and the event loop is never held for the whole vault). Stops
 * early, its work kept, once `wanted()` says no more (the session locked, or
 * its body replaced) or the list was made whole by someone else meanwhile.
 */
export async function decodeOnDemandPaced(body: VaultBody, pacer: Pacer, wanted: () => boolean): Promise<void> {
  for (let i = 0; ; i++) {
    await pacer.pause();
    const state = pending.get(body);
    if (!state || !wanted()) return;
    if (i >= state.decoded.length) {
      materialize(body);
      return;
    }
    chunk(state, i);
  }
}

/** How many credentials the body holds, without decoding them (the index, and the changes replayed over it); undefined when not on demand. */
export function countOnDemand(body: Readonly<VaultBody>): number | undefined {
  const state = pending.get(body as VaultBody);
  if (!state) return undefined;
  if (state.count === undefined) {
    const ids = snapshotIds(state);
    if (!ids) return body.credentials.length;
    // Which ids the changes touch, and whether the snapshot holds each.
    const touched = new Map<string, boolean>();
    for (const change of state.changes) {
      for (const c of change.put) touched.set(c.id, ids.has(c.id));
      for (const id of change.removed) touched.set(id, ids.has(id));
    }
    let count = ids.size;
    // Replayed over the touched ids alone: each ends present or absent.
    const present = new Map(touched);
    for (const change of state.changes) {
      for (const c of change.put) present.set(c.id, true);
      for (const id of change.removed) present.set(id, false);
    }
    for (const [id, inSnapshot] of touched) count += Number(present.get(id)) - Number(inSnapshot);
    state.count = count;
  }
  return state.count;
}

/**
 * Visits every credential in the order the whole list has them, a chunk at a
 * time, keeping none of them (a chunk decoded already is read from where it
 * is kept): `keyward list` at 50k holds one chunk of credentials, not 50,000.
 * The body stays on demand. False, having visited nothing, when the body is
 * not on demand, or its changes place credentials at given positions or its
 * index files an id twice (the whole list then answers, as an eager read's).
 * Visited credentials are read-only.
 */
export function eachCredentialOnDemand(body: Readonly<VaultBody>, visit: (c: StoredCredential) => void): boolean {
  const state = pending.get(body as VaultBody);
  if (!state) return false;
  // A change that puts a credential back at a position (an undone delete) orders the list as only the list can.
  if (state.changes.some((change) => Object.keys(change.insertedAt ?? {}).length > 0)) return false;
  const inSnapshot = snapshotIds(state);
  if (!inSnapshot) return false;
  // The changes replayed as applying them to the list would: a put replaces a credential where it stands, or is
  // added at the end (a new one, or one removed before); a removal drops it. Within a change, puts come first.
  const replaced = new Map<string, StoredCredential | null>();
  const added = new Map<string, StoredCredential>();
  for (const change of state.changes) {
    for (const c of change.put) {
      if (added.has(c.id)) added.set(c.id, c);
      else if (inSnapshot.has(c.id) && replaced.get(c.id) !== null) replaced.set(c.id, c);
      else added.set(c.id, c);
    }
    for (const id of change.removed) {
      if (added.has(id)) added.delete(id);
      else if (inSnapshot.has(id)) replaced.set(id, null);
    }
  }
  for (let i = 0; i < state.chunks.length; i++) {
    for (const c of state.decoded[i] ?? state.chunks.decode(i)) {
      const now = replaced.get(c.id);
      if (now !== null) visit(now ?? c);
    }
  }
  for (const c of added.values()) visit(c);
  return true;
}

/** Whether the body's credentials have not been decoded yet. */
export function hasCredentialsOnDemand(body: Readonly<VaultBody>): boolean {
  return pending.has(body as VaultBody);
}

/** Drops what is kept for decoding, and the credentials with it: the body is being locked. */
export function dropCredentialsOnDemand(body: VaultBody): void {
  if (pending.has(body)) settle(body, []);
}

/** The credential as the changes after the snapshot leave it: each put replaces, each removal deletes. */
function replay(state: Pending, found: Map<string, StoredCredential>, keeps: (c: StoredCredential) => boolean): void {
  for (const change of state.changes) {
    for (const c of change.put) {
      if (keeps(c)) found.set(c.id, c);
      else found.delete(c.id);
    }
    for (const id of change.removed) found.delete(id);
  }
}

/**
 * Which chunk the index files `id` in: its number, null when none does, or
 * undefined when more than one entry has it (a damaged vault: the whole list
 * answers, as an eager read would). A scan of the chunks whose text holds it:
 * a lookup or a few per command, each far cheaper than building a map.
 */
function placeOf(state: Pending, id: string): number | null | undefined {
  let place: number | null = null;
  for (const i of state.chunks.mentioning(id)) {
    const entries = state.chunks.entries(i);
    for (let j = 0; j < entries.length; j++) {
      if (entries[j]![0] !== id) continue;
      if (place !== null) return undefined;
      place = i;
    }
  }
  return place;
}

/**
 * The credential with this id, without decoding the vault: the credential,
 * null when there is none, or undefined when the body is not on demand (use
 * its list).
 */
export function byIdOnDemand(body: Readonly<VaultBody>, id: string): StoredCredential | null | undefined {
  const state = pending.get(body as VaultBody);
  if (!state) return undefined;
  const found = new Map<string, StoredCredential>();
  const at = placeOf(state, id);
  if (at === undefined) return undefined;
  const inSnapshot = at === null ? undefined : chunk(state, at).find((c) => c.id === id);
  if (inSnapshot) found.set(id, inSnapshot);
  replay(state, found, (c) => c.id === id);
  return found.get(id) ?? null;
}

/**
 * The one credential whose name has this key (`keyOf`, credential-index.ts),
 * without decoding the vault; undefined when the body is not on demand or the
 * answer is not exactly one credential (none, or names that differ only by
 * case from a vault written before that was refused): the caller then uses
 * the whole list, which orders and reports those as an eager read does.
 */
export function namedLikeOnDemand(body: Readonly<VaultBody>, key: string, keyOf: (name: string) => string): StoredCredential | undefined {
  const state = pending.get(body as VaultBody);
  // An index whose keys were made under another Unicode version may file a name under another key than this one's.
  if (!state?.chunks.keysComparable) return undefined;
  const found = new Map<string, StoredCredential>();
  for (const i of state.chunks.mentioning(key)) {
    const entries = state.chunks.entries(i);
    for (let j = 0; j < entries.length; j++) {
      if (entries[j]![1] !== key) continue;
      const id = entries[j]![0];
      const c = chunk(state, i).find((x) => x.id === id);
      // The index says where to look; the credential itself says what it is called. (An id twice: a damaged vault.)
      if (!c || keyOf(c.name) !== key || found.has(id) || placeOf(state, id) === undefined) return undefined;
      found.set(id, c);
    }
  }
  replay(state, found, (c) => keyOf(c.name) === key);
  return found.size === 1 ? found.values().next().value : undefined;
}
