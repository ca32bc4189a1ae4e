/**
 * A backup restored while the vault is locked brings back the body of its
 * time, grants included — with the keys of grants revoked or suspended since.
 * No key is at hand to read the current body then, but the grants' files say
 * which grants work now (a revoked or suspended grant has none). That list is
 * kept beside them, and the next unlock suspends every restored grant not on
 * it. The file can only take access away: a forged one suspends grants, never
 * resumes one.
 */
import { join } from 'node:path';
import type { FileSystem } from '../ports/file-system.js';

const MARKER = '.restored';

function markerPath(vaultPath: string): string {
  return join(`${vaultPath}.grants`, MARKER);
}

/** Notes the grants whose files exist now (nothing when the vault has no grants folder). */
export async function writeRestoreMarker(fs: FileSystem, vaultPath: string): Promise<void> {
  const dir = `${vaultPath}.grants`;
  if (!(await fs.stat(dir))) return;
  // A marker already there (two restores in a row) is kept: it says what worked before the first.
  if (await fs.readFile(markerPath(vaultPath))) return;
  const live = (await fs.list(dir)).filter((n) => /^[0-9a-f]{24}$/.test(n));
  await fs.writeFileAtomic(markerPath(vaultPath), Buffer.from(JSON.stringify({ live }), 'utf8'));
}

/** The grant ids that worked when a backup was restored; null when none was. An unreadable marker keeps nothing working. */
export async function readRestoreMarker(fs: FileSystem, vaultPath: string): Promise<string[] | null> {
  const bytes = await fs.readFile(markerPath(vaultPath));
  if (!bytes) return null;
  try {
    const { live } = JSON.parse(bytes.toString('utf8')) as { live?: unknown };
    return Array.isArray(live) ? live.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export async function clearRestoreMarker(fs: FileSystem, vaultPath: string): Promise<void> {
  await fs.unlink(markerPath(vaultPath)).catch(() => undefined);
}
