/**
 * What a backup holds compared with another state of the same vault: which
 * credentials were added, removed or changed. Metadata only — values stay
 * sealed, and a re-encryption (key rotation) or a kept strength estimate is
 * not a change the user made, so neither counts.
 */
import type { BackupInfo, CredentialChanges } from '../../../shared/domain.js';
import type { StoredCredential, VaultBody } from './body.js';

/** How many names per kind travel to the UI: enough to recognise a change. */
const NAMES_SHOWN = 5;

/** The parts of a credential a person edits; ciphertext, nonces and cached estimates are left out. */
function userVisible(c: StoredCredential): string {
  return JSON.stringify([
    c.name,
    c.type,
    c.provider,
    c.description,
    c.tags,
    c.active,
    c.lastRotatedAt,
    c.expiresAt,
    c.fields,
    c.rotation ?? null,
    c.versions.map((v) => [v.version, v.createdAt, v.stage, v.origin, v.note ?? null]),
  ]);
}

/** From `older` to `newer`: what `newer` added, removed and changed. */
export function changesBetween(older: VaultBody, newer: VaultBody): CredentialChanges {
  const before = new Map(older.credentials.map((c) => [c.id, c]));
  const after = new Map(newer.credentials.map((c) => [c.id, c]));
  const added = newer.credentials.filter((c) => !before.has(c.id));
  const removed = older.credentials.filter((c) => !after.has(c.id));
  const changed = newer.credentials.filter((c) => {
    const was = before.get(c.id);
    return was !== undefined && userVisible(was) !== userVisible(c);
  });
  const names = (list: StoredCredential[]) => list.slice(0, NAMES_SHOWN).map((c) => c.name.slice(0, 200));
  return {
    added: added.length,
    removed: removed.length,
    changed: changed.length,
    names: { added: names(added), removed: names(removed), changed: names(changed) },
  };
}

export function noChanges(changes: CredentialChanges): boolean {
  return changes.added + changes.removed + changes.changed === 0;
}

/**
 * Adds to each intact backup (newest first) its credential count and what changed
 * from the next older one, for those `open` can read (null: it cannot, e.g. an
 * earlier vault key). Damaged files are passed through as they are.
 */
export async function describeBackups(list: BackupInfo[], open: (file: string) => Promise<VaultBody | null>): Promise<BackupInfo[]> {
  const bodies = new Map<string, VaultBody | null>();
  for (const b of list) bodies.set(b.file, b.intact === false ? null : await open(b.file).catch(() => null));
  return list.map((b, i) => {
    const body = bodies.get(b.file);
    if (!body) return b;
    const olderFile = list.slice(i + 1).find((o) => o.intact !== false);
    const older = olderFile ? bodies.get(olderFile.file) : null;
    return { ...b, credentialCount: body.credentials.length, ...(older ? { changesFromPrevious: changesBetween(older, body) } : {}) };
  });
}
