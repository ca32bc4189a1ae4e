/**
 * What the app can still take back: a deleted credential (kept sealed exactly
 * as it was stored — no value is decrypted to keep it) and the state a
 * "rotated at the provider" overwrote. Held in memory for as long as the toast
 * offering Undo is on screen, never written anywhere, and dropped on lock, so
 * an undo cannot outlive the session that made the change.
 */
import type { CredentialDetail } from '../../../shared/domain.js';
import { fail } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { StoredCredential } from '../vault/body.js';
import { toDetail, type VaultService } from './vault-service.js';
import { sessionOf } from './service-internals.js';
import { findNameClash } from './credential-input.js';
import { putCredential } from '../vault/vault-change.js';

/** How long an undo stays possible: a little longer than the toast that offers it. */
export const UNDO_LIFETIME_MS = 15_000;

export interface RemovedEntry {
  kind: 'removed';
  credential: StoredCredential;
  /** Its position in the vault, so it comes back where it was. */
  index: number;
  /** The vault key its values are sealed under: after a vault key rotation they could not be opened. */
  keyCreatedAt: string | null;
}

export interface MarkedEntry {
  kind: 'marked';
  /** The instant "rotated at the provider" recorded: undo applies only if nothing changed it since. */
  markedAt: string;
  lastRotatedAt: string | null;
  updatedAt: string;
  snoozedUntil: string | null;
}

export type UndoEntry = RemovedEntry | MarkedEntry;

export class UndoBuffer {
  private readonly entries = new Map<string, { entry: UndoEntry; until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly lifetimeMs = UNDO_LIFETIME_MS,
  ) {}

  /** Keeps one entry for a credential (a newer change replaces an older one: only the latest can be undone). */
  keep(credentialId: string, entry: UndoEntry): void {
    this.entries.set(credentialId, { entry: structuredClone(entry), until: this.clock.now().getTime() + this.lifetimeMs });
  }

  /** Takes the entry of this kind for a credential, if it is still fresh; it can be taken once. */
  take<K extends UndoEntry['kind']>(credentialId: string, kind: K): Extract<UndoEntry, { kind: K }> | null {
    const held = this.entries.get(credentialId);
    if (!held || held.entry.kind !== kind) return null;
    this.entries.delete(credentialId);
    if (held.until < this.clock.now().getTime()) return null;
    return held.entry as Extract<UndoEntry, { kind: K }>;
  }

  /** Puts an entry back after a failed undo, so the user can try again while the toast is up. */
  restore(credentialId: string, entry: UndoEntry): void {
    this.entries.set(credentialId, { entry, until: this.clock.now().getTime() + this.lifetimeMs });
  }

  clear(): void {
    this.entries.clear();
  }
}

const shorten = (name: string) => (name.length > 80 ? `${name.slice(0, 80)}…` : name);

/** Deletes a credential and keeps it, sealed as stored, so `undoRemove` can put it back. */
export async function removeKeepingUndo(svc: VaultService, buffer: UndoBuffer, ref: string): Promise<{ id: string; name: string }> {
  const state = sessionOf(svc).state;
  const index = state.credentials.findIndex((c) => c.id === ref || c.name === ref);
  const snapshot = index >= 0 ? structuredClone(state.credentials[index]!) : null;
  const removed = await svc.remove(ref);
  if (snapshot && snapshot.id === removed.id) buffer.keep(removed.id, { kind: 'removed', credential: snapshot, index, keyCreatedAt: state.keyCreatedAt ?? null });
  return removed;
}

/** Puts a just-deleted credential back where it was, under the write lock; recorded as `remove.undo`. */
export function undoRemove(svc: VaultService, buffer: UndoBuffer, id: string): Promise<CredentialDetail> {
  return svc.run('remove.undo', id, async () => {
    const held = buffer.take(id, 'removed');
    if (!held) throw fail.notFound('That delete can no longer be undone.');
    const { credential } = held;
    try {
      return await sessionOf(svc).transact((body) => {
        if ((body.keyCreatedAt ?? null) !== held.keyCreatedAt) throw fail.badRequest('The vault key was rotated since the delete: it can no longer be undone.');
        if (body.credentials.some((c) => c.id === credential.id)) throw fail.exists(`“${shorten(credential.name)}” is already in the vault.`);
        const clash = findNameClash(body, credential.name);
        if (clash) throw fail.exists(`A credential named “${shorten(clash.name)}” was added meanwhile: rename it, then undo again.`);
        putCredential(body, structuredClone(credential), held.index);
        return toDetail(credential);
      });
    } catch (err) {
      // Nothing was put back: keep the chance to undo while the toast is up.
      buffer.restore(id, held);
      throw err;
    }
  });
}
